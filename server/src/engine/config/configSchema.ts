/**
 * The JSON schema of `altcall.json`, built from the rule list and the profile
 * names so that it cannot drift from them, and a validator for the part of
 * draft-07 it uses. Editors read the schema as a file
 * (server/schema/altcall.schema.json, checked against this by a test); the
 * CLI and the server validate with it in memory.
 */
import type { JsonNode } from './configJson';
import { PROFILE_NAMES, DEFAULT_PROFILE, INHERIT, type Names } from './profiles';
import { didYouMean } from './suggest';
import { SEVERITIES, type Severity } from '../rules/types';
import { RULES } from '../rules/registry';

type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

export interface Schema {
  $schema?: string;
  title?: string;
  markdownDescription?: string;
  type?: JsonType | JsonType[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  propertyNames?: Schema;
  items?: Schema;
  enum?: Array<string | null>;
  markdownEnumDescriptions?: string[];
  pattern?: string;
  /** VS Code's own keyword, shown instead of the bare regular expression. */
  patternErrorMessage?: string;
  minimum?: number;
  uniqueItems?: boolean;
  default?: unknown;
}

export interface RuleInfo { id: string; description: string; defaultSeverity: Severity; }

export interface SchemaProblem {
  /** Where the mistake is: the key for an unknown key, else the value. */
  offset: number;
  /** Dotted path of the key, e.g. `rules.write-after-patch` or `exclude[2]`. */
  key: string;
  message: string;
}

const IDENT = '^[A-Za-z_][A-Za-z0-9_]*$';
const identifier = (what: string): Schema => ({ type: 'string', pattern: IDENT, patternErrorMessage: `${what} must be a C identifier` });
const nameList = (what: string): Schema => ({
  type: 'array',
  uniqueItems: true,
  items: { type: 'string', pattern: '^(?:[A-Za-z_][A-Za-z0-9_]*|\\.\\.\\.)$', patternErrorMessage: `${what} must be a C identifier, or "${INHERIT}" for the profile's list` },
});

const NAME_DOCS: { [K in keyof Names]: { doc: string; schema: Schema } } = {
  siteMacros: { doc: 'Macros that are alternative-call sites (`alternative_call`, `alternative_vcall2`, …).', schema: nameList('a site macro') },
  opsAnnotation: { doc: 'The annotation an ops object used only through sites should carry (`__alt_call_maybe_initdata`).', schema: identifier('the ops annotation') },
  initDataAnnotations: { doc: 'Annotations that put an object in init memory, freed after boot.', schema: nameList('an annotation') },
  keptAtRuntime: { doc: 'The annotation of ops objects kept at runtime (`__read_mostly` in 4.16, `__ro_after_init` later).', schema: identifier('the annotation') },
  implTableConst: { doc: 'The annotation of a `const` impl table (`__initconstrel` in 4.16, `__initconst_cf_clobber` later).', schema: identifier('the annotation') },
  implTableWritable: { doc: 'The annotation of an impl table that init code writes (`__initdata` in 4.16, `__initdata_cf_clobber` later).', schema: identifier('the annotation') },
  deprecatedAnnotation: { doc: 'The deprecated annotation reported by `deprecated-initconst-annotation` (`__alt_call_maybe_initconst`).', schema: identifier('the annotation') },
  initFunctionAnnotations: { doc: 'Annotations that make a function init code (`__init`).', schema: nameList('an annotation') },
  presmpInitcalls: { doc: 'Initcall macros run before the patch point (`presmp_initcall`).', schema: nameList('an initcall macro') },
  postInitcalls: { doc: 'Initcall macros run after the patch point (`__initcall`).', schema: nameList('an initcall macro') },
  patchRoutine: { doc: 'The routine whose call is the patch point (`alternative_branches` up to 4.20, `boot_apply_alt_calls` in 4.21).', schema: identifier('the patch routine') },
  firstPassRoutine: { doc: 'The earlier first patching pass (`alternative_instructions` up to 4.20), or `null` when there is none.', schema: { ...identifier('the routine'), type: ['string', 'null'] } },
  attributes: { doc: 'Attribute-like macros known without reading their `#define` (macros the tree defines as attributes are learned anyway).', schema: nameList('an attribute macro') },
};

/** The schema of the config file for the given rules. */
export function configSchema(rules: readonly RuleInfo[] = RULES): Schema {
  const severity: Schema = {
    type: 'string',
    enum: [...SEVERITIES, 'off'],
    markdownEnumDescriptions: ['Reported as an error: the exit status is 1.', 'Reported as a warning: the exit status is 1 unless `--max-warnings` allows it.', 'Reported for information; never changes the exit status.', 'Reported as a hint; never changes the exit status.', 'Not checked.'],
  };
  const names: Record<string, Schema> = {};
  for (const [key, { doc, schema }] of Object.entries(NAME_DOCS)) {
    names[key] = { ...schema, markdownDescription: `${doc} Overrides the profile's name${schema.type === 'array' ? `s; \`"${INHERIT}"\` in the list stands for the profile's list` : ''}.` };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'altcall.json: configuration of xen-altcall (altcall-lint and the language server)',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', markdownDescription: 'The schema of this file, for editors.' },
      profile: {
        type: 'string',
        enum: [...PROFILE_NAMES],
        default: DEFAULT_PROFILE,
        markdownDescription: `The Xen release whose annotation names and patching scheme apply (default \`${DEFAULT_PROFILE}\`, also for anything newer). \`--profile\` overrides it.`,
      },
      rules: {
        type: 'object',
        additionalProperties: false,
        markdownDescription: 'Severity of each rule, or `off`. `--rule ID=SEVERITY` overrides it.',
        properties: Object.fromEntries(rules.map((r) => [r.id, { ...severity, default: r.defaultSeverity, markdownDescription: `${r.description} (default: \`${r.defaultSeverity}\`)` }])),
      },
      names: {
        type: 'object',
        additionalProperties: false,
        markdownDescription: "Overrides of the profile's names: annotations, site macros, the patch routine, initcall macros, attributes.",
        properties: names,
      },
      build: {
        type: 'object',
        additionalProperties: false,
        markdownDescription: 'The build configuration that decides `#if`s on `CONFIG_` options. Options it does not name keep both branches.',
        properties: {
          kconfig: { type: 'string', markdownDescription: 'A Kconfig `.config` file, relative to this file. `--kconfig` overrides it.' },
          defines: {
            type: 'object',
            propertyNames: { type: 'string', pattern: IDENT, patternErrorMessage: 'a define must be named by a C identifier' },
            additionalProperties: { type: 'string' },
            markdownDescription: 'Options as Kconfig writes them (`"CONFIG_X": "y"`, `"n"`, `"m"`, or a value); they win over `kconfig`, and `-D` wins over them.',
          },
        },
      },
      exclude: {
        type: 'array',
        items: { type: 'string' },
        markdownDescription: 'gitignore-style patterns, relative to this file, of files and folders not to read. `--exclude` adds to them.',
      },
      includePath: {
        type: 'array',
        items: { type: 'string' },
        markdownDescription: 'Include roots (like `-I`), relative to this file, used to resolve `#include <…>`. `-I` adds to them.',
      },
      arch: { type: 'string', pattern: '^[a-z0-9_]+$', patternErrorMessage: 'an architecture is a folder name under arch/, such as x86', default: 'x86', markdownDescription: 'The architecture whose `arch/<name>/` folders take part. `--arch` overrides it.' },
      maxFiles: { type: 'integer', minimum: 1, markdownDescription: 'Read at most this many files (in path order); the rest are reported as not linted.' },
      maxFileSize: { type: 'integer', minimum: 1, default: 16 * 1024 * 1024, markdownDescription: 'Files larger than this many bytes are reported and skipped (default 16 MiB).' },
    },
  };
}

/** Every mistake in `node` against `schema`, in document order. */
export function validate(node: JsonNode, schema: Schema): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  check(node, schema, '', out);
  return out;
}

function check(node: JsonNode, schema: Schema, key: string, out: SchemaProblem[]): void {
  const at = (message: string, offset = node.offset, k = key): void => {
    out.push({ offset, key: k, message });
  };
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => hasType(node, t))) return at(`must be ${types.map(article).join(' or ')} (found ${describe(node)})`);
  }
  if (schema.enum && !schema.enum.some((e) => (node.kind === 'null' ? e === null : node.kind === 'string' && node.value === e))) {
    const found = node.kind === 'string' ? node.value : '';
    return at(`must be one of ${schema.enum.map(String).join(', ')} (found ${describe(node)})${didYouMean(found, schema.enum.filter((e): e is string => e !== null))}`);
  }
  if (node.kind === 'string' && schema.pattern && !new RegExp(schema.pattern, 'u').test(node.value)) {
    return at(`${schema.patternErrorMessage ?? `must match ${schema.pattern}`} (found ${describe(node)})`);
  }
  if (node.kind === 'number' && schema.minimum !== undefined && node.value < schema.minimum) return at(`must be at least ${schema.minimum} (found ${node.value})`);
  if (node.kind === 'array') {
    const seen = new Set<string>();
    node.items.forEach((item, i) => {
      const itemKey = `${key}[${i}]`;
      if (schema.items) check(item, schema.items, itemKey, out);
      if (schema.uniqueItems && item.kind === 'string') {
        if (seen.has(item.value)) at(`'${item.value}' is listed twice`, item.offset, itemKey);
        seen.add(item.value);
      }
    });
  }
  if (node.kind === 'object') {
    const known = Object.keys(schema.properties ?? {});
    for (const entry of node.entries) {
      const entryKey = key ? `${key}.${entry.key}` : entry.key;
      const sub = schema.properties?.[entry.key];
      if (schema.propertyNames) check({ kind: 'string', offset: entry.keyOffset, value: entry.key }, schema.propertyNames, entryKey, out);
      if (sub) check(entry.value, sub, entryKey, out);
      else if (typeof schema.additionalProperties === 'object') check(entry.value, schema.additionalProperties, entryKey, out);
      else if (schema.additionalProperties === false) at(`unknown key '${entry.key}'${didYouMean(entry.key, known)}`, entry.keyOffset, entryKey);
    }
  }
}

function hasType(node: JsonNode, t: JsonType): boolean {
  if (t === 'integer') return node.kind === 'number' && Number.isInteger(node.value);
  return node.kind === t;
}

function article(t: JsonType): string {
  return t === 'null' ? 'null' : `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`;
}

function describe(node: JsonNode): string {
  switch (node.kind) {
    case 'string': return `'${node.value}'`;
    case 'number': return String(node.value);
    case 'boolean': return String(node.value);
    case 'null': return 'null';
    default: return article(node.kind);
  }
}
