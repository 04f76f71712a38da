/** The README documents every rule with the description the rule itself carries (hover and SARIF use it too). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/out/engine/rules/registry';
import { repoRoot } from '../helpers/paths';

test('README has a section per rule, with its description and default severity', () => {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  for (const rule of RULES) {
    const at = readme.indexOf(`\n### ${rule.id}\n`);
    assert.ok(at >= 0, `section for ${rule.id}`);
    const section = readme.slice(at, readme.indexOf('\n#', at + 5));
    assert.ok(section.includes(rule.description), `description of ${rule.id}`);
    assert.ok(section.includes(`\`${rule.defaultSeverity}\``), `severity of ${rule.id}`);
  }
});
