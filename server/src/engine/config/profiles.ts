/**
 * Xen version profiles (ALTCALL.md section 4): the names and the patching
 * scheme each Xen release uses. Every name can be overridden by settings.
 */
export const PROFILE_NAMES = ['xen-4.16', 'xen-4.17', 'xen-4.18', 'xen-4.19', 'xen-4.20', 'xen-4.21'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];
export const DEFAULT_PROFILE: ProfileName = 'xen-4.21';

export type PatchScheme = 'alternative' | 'alt_call_sites';

export interface Names {
  /** Macros that are alternative-call sites. */
  siteMacros: string[];
  /** Annotation of the single ops object. */
  opsAnnotation: string;
  /** Annotations that put an object in init memory. */
  initDataAnnotations: string[];
  /** Annotation objects kept at runtime must carry. */
  keptAtRuntime: string;
  /** Impl tables: const ones, and non-const ones written during init. */
  implTableConst: string;
  implTableWritable: string;
  deprecatedAnnotation: string;
  /** Annotations that make a function init code. */
  initFunctionAnnotations: string[];
  /** Initcall registration macros by level. */
  presmpInitcalls: string[];
  postInitcalls: string[];
  /** The routine that applies alternative calls (the patch point), and the earlier first pass if any. */
  patchRoutine: string;
  firstPassRoutine: string | null;
  /** Attribute-like macros known without reading their #define. */
  attributes: string[];
}

export interface Profile {
  name: ProfileName;
  scheme: PatchScheme;
  ibtAvailable: boolean;
  names: Names;
}

const SITE_MACROS = [
  'alternative_call', 'alternative_vcall',
  ...[0, 1, 2, 3, 4, 5, 6].flatMap((n) => [`alternative_call${n}`, `alternative_vcall${n}`]),
];

const ATTRIBUTES = [
  '__init', '__initdata', '__initconst', '__initconstrel', '__initconst_cf_clobber', '__initdata_cf_clobber',
  '__ro_after_init', '__read_mostly', '__alt_call_maybe_initdata', '__alt_call_maybe_initconst',
  '__used', '__maybe_unused', '__cold', '__hot', 'cf_check', 'init_or_livepatch', 'init_or_livepatch_const',
  'init_or_livepatch_data', '__section', '__aligned', '__packed', 'noinline', 'always_inline', '__must_check',
  'noreturn', '__noreturn', 'nocall', '__nocall', '__weak', '__pure', '__constructor', 'asmlinkage',
];

function names(version: number): Names {
  const old = version <= 16;
  return {
    siteMacros: SITE_MACROS,
    opsAnnotation: '__alt_call_maybe_initdata',
    initDataAnnotations: ['__alt_call_maybe_initdata', '__initdata', '__initdata_cf_clobber'],
    keptAtRuntime: old ? '__read_mostly' : '__ro_after_init',
    implTableConst: old ? '__initconstrel' : '__initconst_cf_clobber',
    implTableWritable: old ? '__initdata' : '__initdata_cf_clobber',
    deprecatedAnnotation: '__alt_call_maybe_initconst',
    initFunctionAnnotations: ['__init'],
    presmpInitcalls: ['presmp_initcall'],
    postInitcalls: ['__initcall'],
    patchRoutine: version >= 21 ? 'boot_apply_alt_calls' : 'alternative_branches',
    firstPassRoutine: version >= 21 ? null : 'alternative_instructions',
    attributes: ATTRIBUTES,
  };
}

export function profile(name: ProfileName = DEFAULT_PROFILE): Profile {
  const version = Number(name.slice('xen-4.'.length));
  return { name, scheme: version >= 21 ? 'alt_call_sites' : 'alternative', ibtAvailable: version >= 17, names: names(version) };
}

/** Overrides of a profile's names; in a list, the element INHERIT stands for the profile's own list. */
export type NameOverrides = { [K in keyof Names]?: Names[K] };
export const INHERIT = '...';

/** The profile with some names replaced (settings and config files override names this way). */
export function withNames(base: Profile, overrides: NameOverrides): Profile {
  const names: Record<string, unknown> = { ...base.names };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const inherited = names[key];
    names[key] = Array.isArray(value) && Array.isArray(inherited)
      ? [...new Set(value.flatMap((v) => (v === INHERIT ? inherited : [v])))]
      : value;
  }
  return { ...base, names: names as unknown as Names };
}

export function isProfileName(s: string): s is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(s);
}
