/**
 * Hover documentation of the words the analysis cares about: the site
 * macros and the annotations, initcall macros and patch routines of the
 * active profile (whose names settings can change), in our own words.
 */
import type { Profile } from '../engine/config/profiles';

const NUMBERED = /^alternative_(v?)call(\d)$/;

/** Markdown for `word` under `profile`, or null when the word means nothing special. */
export function wordDoc(word: string, profile: Profile): string | null {
  const n = profile.names;
  const parts: string[] = [];
  if (n.siteMacros.includes(word)) parts.push(siteMacroDoc(word));
  if (word === n.opsAnnotation) {
    parts.push('The annotation of an **ops object** that is only used through alternative-call sites. With `ALTERNATIVE_CALL` the object lives in init memory (or stays read-only after init when livepatching needs it): once the boot patcher has turned every site into a direct call, nothing reads it any more. Without `ALTERNATIVE_CALL` the sites are plain pointer calls and the object must stay.');
  } else if (n.initDataAnnotations.includes(word)) {
    parts.push('Puts the object in **init memory**, freed at the end of boot. An ops object here must never be read at runtime other than through alternative-call sites.');
  }
  if (word === n.keptAtRuntime) parts.push(`The annotation for an ops object that **must stay at runtime** because code reads it other than through sites (data members, direct calls, pointer tests, its address taken). In profile \`${profile.name}\` this is \`${word}\`.`);
  if (word === n.implTableConst) parts.push(`The annotation of a \`const\` **impl table**: a table of functions one of which init code copies into the ops object. In profile \`${profile.name}\` impl tables are \`const ${word}\`${profile.ibtAvailable ? '; with CET-IBT, the functions it points to lose their `endbr64` once patching is done, so they can no longer be called indirectly' : ''}.`);
  if (word === n.implTableWritable) parts.push(`The annotation of an impl table that init code **writes** before copying it (so it cannot be \`const\`). In profile \`${profile.name}\` this is \`${word}\`.`);
  if (word === n.deprecatedAnnotation) parts.push(`A conditional impl-table annotation from an early draft of the alternative-call work, dropped in review: **do not use it**. Impl tables take \`${n.implTableConst}\` (const) or \`${n.implTableWritable}\` in profile \`${profile.name}\`.`);
  if (n.initFunctionAnnotations.includes(word)) parts.push('Marks **init code**: the function is freed after boot. Writes to accelerated pointers belong here, before the patch point.');
  if (n.presmpInitcalls.includes(word)) parts.push('Registers an initcall that runs **before** the alternative-call sites are patched: writes to accelerated pointers it makes are seen by the patcher.');
  if (n.postInitcalls.includes(word)) parts.push('Registers an initcall that runs **after** the alternative-call sites are patched: a write to an accelerated pointer from here is not seen by the patched sites.');
  if (word === n.patchRoutine) parts.push(`The **patch point** of profile \`${profile.name}\`: the call that rewrites every alternative-call site into a direct call to the function its pointer holds at that moment. Later writes to the pointers change nothing for the sites.`);
  if (word === n.firstPassRoutine) parts.push('The **first patching pass** (up to Xen 4.20): it already patches every site whose pointer is set at that moment; only sites whose pointer is still NULL wait for the later forced pass.');
  if (parts.length === 0 && word in OTHER) parts.push(OTHER[word]!(profile));
  return parts.length ? parts.join('\n\n') : null;
}

function siteMacroDoc(word: string): string {
  const numbered = NUMBERED.exec(word);
  const voidCall = word.startsWith('alternative_vcall');
  const args = numbered ? `, with exactly ${numbered[2]} argument${numbered[2] === '1' ? '' : 's'} after the pointer` : '';
  return [
    `**\`${word}(ptr${numbered?.[2] === '0' ? '' : ', args…'})\`**: an alternative-call site${voidCall ? ' for a function returning `void`' : ''}${args}.`,
    'On x86 with `ALTERNATIVE_CALL` it is compiled as an indirect call through `ptr` and recorded; at boot, after init code has chosen the implementation, the patcher rewrites it into a direct call to whatever `ptr` holds then. Writes to `ptr` after that point are not seen here. `ptr` must be a file-scope object or a member path of one (`ops.fn`), never a local, a parameter or `p->fn`. Elsewhere the site is a plain call through the pointer.',
  ].join('\n\n');
}

/** Names that have a meaning in some profile but no role in the active one. */
const OTHER: Record<string, (p: Profile) => string> = {
  __initconstrel: (p) => `Init-time constant data that holds relocations (function pointers): Xen 4.16's impl-table annotation. In profile \`${p.name}\` impl tables use \`${p.names.implTableConst}\`.`,
  __initconst_cf_clobber: (p) => `Impl-table annotation of Xen 4.17 and later: const init data whose function pointers get their targets' \`endbr64\` clobbered after patching. In profile \`${p.name}\` impl tables use \`${p.names.implTableConst}\`.`,
  __initdata_cf_clobber: (p) => `Writable impl-table annotation of Xen 4.17 and later (for tables init code adjusts). In profile \`${p.name}\` writable impl tables use \`${p.names.implTableWritable}\`.`,
  __read_mostly: (p) => `Data that is rarely written, kept at runtime. Xen 4.16 keeps ops objects needed at runtime here; in profile \`${p.name}\` they use \`${p.names.keptAtRuntime}\`.`,
  __ro_after_init: (p) => `Data made read-only once boot is over (Xen 4.17 and later). In profile \`${p.name}\` ops objects kept at runtime use \`${p.names.keptAtRuntime}\`.`,
  cf_check: () => 'Marks a function that is called indirectly: with CET-IBT it starts with `endbr64`. Functions reachable only through patched alternative-call sites can lose it after boot.',
  init_or_livepatch: () => 'Code kept after boot when livepatching is built in: it is **not** init code, so writes to accelerated pointers from it count as runtime writes.',
};
