/** Running the real `altcall-lint` binary on fixture trees, for the lint tests. */
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fixturesDir, serverOut } from '../helpers/paths';
import { readMarkers } from '../helpers/markers';

export const cliMain = path.join(serverOut, 'cli', 'main.js');
export const cliFixtures = path.join(fixturesDir, 'cli');
export const basicDir = path.join(cliFixtures, 'basic');

export function lint(args: string[], cwd?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cliMain, ...args], { encoding: 'utf8', cwd });
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'altcall-lint-'));
}

/** A copy of a fixture tree that a test may change. */
export function copyOf(fixture: string): string {
  const dir = path.join(tempDir(), path.basename(fixture));
  fs.cpSync(fixture, dir, { recursive: true });
  return dir;
}

/** `file:line rule` for each `/* expect: rule *\/` marker under `root`, with paths relative to it. */
export function markedFindings(root: string): string[] {
  return readMarkers(root)
    .filter((m) => m.kind === 'finding')
    .map((m) => `${path.relative(root, m.file)}:${m.line} ${m.text}`)
    .sort();
}

/**
 * Where a finding's range must be, from the fixture text: `text` inside the
 * first occurrence of `context` on the line holding the marker for `rule`
 * (1-based columns in UTF-16 code units, end column just past the range).
 */
export function rangeOf(root: string, file: string, rule: string, text: string, context = text): { line: number; column: number; endLine: number; endColumn: number } {
  const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(`/* expect: ${rule} */`));
  if (index < 0) throw new Error(`no marker for ${rule} in ${file}`);
  const at = lines[index].indexOf(context);
  if (at < 0 || !context.includes(text)) throw new Error(`'${text}' in '${context}' is not on ${file}:${index + 1}`);
  const column = at + context.indexOf(text) + 1;
  return { line: index + 1, column, endLine: index + 1, endColumn: column + text.length };
}

type Validator = ((data: unknown) => boolean) & { errors?: unknown };
interface AjvLike { compile(schema: object): Validator; }

/**
 * A validator for the SARIF 2.1.0 schema (draft-04, from @microsoft/jest-sarif),
 * with formats such as `uri` checked. Development dependencies, loaded here
 * so that only the tests that use them need them.
 */
export function sarifValidator(): Validator {
  const dev = createRequire(__filename);
  const schemaFile = path.join(path.dirname(dev.resolve('@microsoft/jest-sarif/package.json')), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
  const Ajv04 = dev('ajv-draft-04') as new (options: object) => AjvLike;
  const addFormats = dev('ajv-formats') as (ajv: AjvLike) => void;
  // The schema has a pattern that is invalid with the `u` flag ('[a-zA-Z]{2}]?'), as JavaScript reads it.
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
}
