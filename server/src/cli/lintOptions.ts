/** The command line of lint mode, `altcall-lint [options] [paths...]`. */
import { parseArgs } from 'node:util';
import { COMMON_OPTIONS, UsageError, choice } from './options';
import { FORMAT_NAMES, FormatName } from './format';
import { SEVERITIES, type Severity } from '../engine/rules/types';
import { RULE_IDS } from '../engine/rules/registry';
import { didYouMean } from '../engine/config/suggest';

export const LINT_USAGE = `usage: altcall-lint [options] [paths...]      check the C files under paths (default: .)
       altcall-lint index [options] [paths...]  print what the engine understood
       altcall-lint preview ...                 emulated boot patching of sites

options:
  --format text|json|sarif|github|gitlab   output format (default text)
  --profile xen-4.16..xen-4.21             Xen release (default: altcall.json's, else xen-4.21)
  --rule ID=off|hint|info|warning|error    set a rule's severity (repeatable)
  --config FILE                            config file (default: altcall.json found from the paths)
  --max-warnings N                         exit 0 with up to N warnings (default: any warning fails)
  --quiet                                  report errors only
  --fix                                    apply the preferred fixes, then report what remains
  --kconfig .config, -D CONFIG_X=y         build configuration
  -I DIR, --exclude PATTERN, --arch x86    include roots, files to skip, architecture
  --parser auto|native|wasm                tree-sitter backend
  --version, --help

exit status: 0 nothing at or above the threshold, 1 findings, 2 usage, config or fatal error`;

const LINT_OPTIONS = {
  ...COMMON_OPTIONS,
  rule: { type: 'string', multiple: true },
  config: { type: 'string' },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  fix: { type: 'boolean' },
} as const;

export interface LintArgs {
  /** Everything parsed, for the options shared with the other commands. */
  values: ReturnType<typeof parse>['values'];
  paths: string[];
  format: FormatName;
  /** --rule settings, which win over the config file's. */
  rules: Record<string, Severity | 'off'>;
  maxWarnings: number | undefined;
  quiet: boolean;
  fix: boolean;
  config: string | undefined;
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: LINT_OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function parseLintArgs(argv: string[]): LintArgs {
  const { values, positionals } = parse(argv);
  const maxWarnings = values['max-warnings'];
  if (maxWarnings !== undefined && !/^\d+$/.test(maxWarnings)) throw new UsageError(`--max-warnings expects a whole number (got '${maxWarnings}')`);
  return {
    values,
    paths: positionals.length ? positionals : ['.'],
    format: choice(values.format, FORMAT_NAMES, '--format', 'text'),
    rules: ruleSettings(values.rule ?? []),
    maxWarnings: maxWarnings === undefined ? undefined : Number(maxWarnings),
    quiet: values.quiet ?? false,
    fix: values.fix ?? false,
    config: values.config,
  };
}

const LEVELS: readonly string[] = [...SEVERITIES, 'off'];

function ruleSettings(flags: string[]): Record<string, Severity | 'off'> {
  const out: Record<string, Severity | 'off'> = {};
  for (const flag of flags) {
    const m = /^([^=]+)=(.*)$/.exec(flag);
    if (!m) throw new UsageError(`--rule expects ID=${LEVELS.join('|')} (got '${flag}')`);
    const [, id, level] = m;
    if (!RULE_IDS.includes(id)) throw new UsageError(`--rule: unknown rule '${id}'${didYouMean(id, RULE_IDS)} (rules: ${RULE_IDS.join(', ')})`);
    if (!LEVELS.includes(level)) throw new UsageError(`--rule ${id}: the severity must be one of ${LEVELS.join(', ')} (got '${level}')${didYouMean(level, LEVELS)}`);
    out[id] = level as Severity | 'off';
  }
  return out;
}
