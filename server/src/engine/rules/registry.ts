/** Every rule, in one explicit list: the runner, the CLI, hover and SARIF metadata read it. */
import type { Rule } from './types';
import { opsMissingInitdata } from './opsMissingInitdata';
import { opsKeptAtRuntime } from './opsKeptAtRuntime';
import { initdataOpsUsedAtRuntime } from './initdataOpsUsedAtRuntime';
import { implTableNotInitconstrel } from './implTableNotInitconstrel';
import { deprecatedInitconstAnnotation } from './deprecatedInitconstAnnotation';
import { writeAfterPatch } from './writeAfterPatch';
import { siteTargetNotPatchable } from './siteTargetNotPatchable';
import { unsetAcceleratedPointer } from './unsetAcceleratedPointer';
import { BAD_SUPPRESSION, badSuppression } from './badSuppression';

const CHECKS: readonly Rule[] = [
  opsMissingInitdata,
  opsKeptAtRuntime,
  initdataOpsUsedAtRuntime,
  implTableNotInitconstrel,
  deprecatedInitconstAnnotation,
  writeAfterPatch,
  siteTargetNotPatchable,
  unsetAcceleratedPointer,
];

export const RULES: readonly Rule[] = [...CHECKS, badSuppression([...CHECKS.map((r) => r.id), BAD_SUPPRESSION])];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
