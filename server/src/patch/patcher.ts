import {
  addAddress, decodeAll, decodeOne, Decoded, encode, encodeAll, hex, Insn, nopFill, rel32,
} from '../x86';
import {
  CF_CLOBBER_SECTIONS, cloneImage, KERNEL_TEXT_SECTION, MemoryImage, readBytes, readPointer, sectionAt,
  symbolName, writeBytes, writePointer,
} from './memory';

/**
 * Emulation of Xen's boot patching of alternative-call sites (PATCHING.md
 * sections 3 and 4) over a modelled memory image. Bad input never throws: it
 * comes back as errors in the result.
 */

/** `alternative`: Xen 4.13..4.20 (ALTERNATIVE entries); `alt_call_sites`: Xen 4.21 on. */
export type Scheme = 'alternative' | 'alt_call_sites';

export interface PatcherConfig {
  readonly scheme: Scheme;
  /**
   * "IBT on": CONFIG_XEN_IBT (calls skip the target's endbr64) and IBT active
   * at boot (the cf_clobber targets are sealed).
   */
  readonly ibt: boolean;
  /** False for Xen 4.13..4.16, whose patcher predates CET-IBT. Default true. */
  readonly ibtSupported?: boolean;
}

/** The replacement of an alternative-call ALTERNATIVE entry: `call .` (e8 fb ff ff ff). */
export const ALTCALL_REPLACEMENT: Uint8Array = encode({ op: 'call', rel: -5 });

export interface AltCallSiteInput {
  /** Address of the `ff 15 disp32` instruction. */
  readonly site: bigint;
  /** Scheme `alternative` only: orig_len + pad_len of the entry; default 6. */
  readonly origLen?: number;
  /** Scheme `alternative` only: the entry's replacement; default `ALTCALL_REPLACEMENT`. */
  readonly replacement?: Uint8Array;
}

/** A pointer store done by init code at a given moment, e.g. a presmp initcall. */
export interface PointerWrite { readonly address: bigint; readonly value: bigint }

export interface BootPatchInput {
  readonly config: PatcherConfig;
  /** The image before boot; not modified. */
  readonly image: MemoryImage;
  /** In patching order (.altinstructions / .alt_call_sites order). */
  readonly sites: readonly AltCallSiteInput[];
  /**
   * Stores made by presmp initcalls: after the first pass
   * (alternative_instructions) and before the forced pass (alternative_branches)
   * or boot_apply_alt_calls.
   */
  readonly presmpWrites?: readonly PointerWrite[];
}

/** `direct`: now a direct call/jmp; `trap`: sealed with ud2 (NULL pointer); `unpatched`: left as is. */
export type SiteStatus = 'direct' | 'trap' | 'unpatched' | 'error';

/** `first`: alternative_instructions(); `forced`: alternative_branches(); `alt_calls`: boot_apply_alt_calls(). */
export type PatchPass = 'first' | 'forced' | 'alt_calls';

/** What an emulation step has to say: notes, warnings (Xen would log them), errors (Xen would stop). */
export interface Messages {
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
  readonly errors: readonly string[];
}

export interface SitePatch extends Messages {
  readonly site: bigint;
  readonly before: Uint8Array;
  readonly after: Uint8Array;
  readonly beforeInsns: readonly Decoded[];
  readonly afterInsns: readonly Decoded[];
  readonly status: SiteStatus;
  /** The pass that decided the site's final bytes. */
  readonly pass?: PatchPass;
  /** Address of the pointer the site calls through (site + 6 + disp32). */
  readonly slot?: bigint;
  /** The pointer's value when the deciding pass read it (0n for NULL). */
  readonly dest?: bigint;
  /** Where the direct call goes (dest, or dest + 4 past an endbr64). */
  readonly target?: bigint;
}

/** One pointer of the cf_clobber sections as the sealing walk saw it. */
export interface SealEntry {
  /** Where the pointer is stored. */
  readonly pointerAt: bigint;
  readonly value: bigint;
  readonly poisoned: boolean;
  /** Why it was not poisoned. */
  readonly reason?: string;
}

export interface BootPatchResult extends Pick<Messages, 'notes' | 'errors'> {
  readonly config: PatcherConfig;
  /** The image after patching (a copy). */
  readonly image: MemoryImage;
  readonly sites: readonly SitePatch[];
  /** Whether the sealing walk ran (IBT on, a patcher that seals, no earlier failure). */
  readonly sealingRan: boolean;
  readonly sealed: readonly SealEntry[];
}

interface SiteState {
  readonly input: AltCallSiteInput;
  readonly len: number;
  readonly before: Uint8Array | undefined;
  after?: Uint8Array;
  status: SiteStatus;
  pass?: PatchPass;
  slot?: bigint;
  dest?: bigint;
  target?: bigint;
  readonly notes: string[];
  readonly warnings: string[];
  readonly errors: string[];
}

function insnAt(image: MemoryImage, address: bigint): Insn | undefined {
  const bytes = readBytes(image, address, 4) ?? readBytes(image, address, 1);
  return bytes && decodeOne(bytes, 0, address).insn;
}

/**
 * The call target for pointer value `dest`: under IBT, past the endbr64 when
 * there is one; otherwise Xen warns and calls `dest` itself.
 */
function skipEndbr(image: MemoryImage, config: PatcherConfig, s: SiteState, dest: bigint): bigint {
  if (!config.ibt) return dest;
  if (insnAt(image, dest)?.op === 'endbr64') {
    s.notes.push(`calls ${symbolName(image, dest)} past its endbr64`);
    return addAddress(dest, 4);
  }
  s.warnings.push(`target ${symbolName(image, dest)} does not start with endbr64: `
    + 'Xen logs a warning and calls it at its start (an indirect call there would fault under CET-IBT)');
  return dest;
}

/** Reads `ff 15`/`ff 25` at the site and the pointer it goes through. */
function readSlot(image: MemoryImage, s: SiteState, site: Decoded): { slot: bigint; dest: bigint } | undefined {
  const slot = site.memAddress!;
  const dest = readPointer(image, slot);
  if (dest === undefined) {
    s.errors.push(`the pointer at 0x${hex(slot)} is outside the modelled image`);
    return undefined;
  }
  s.slot = slot;
  s.dest = dest;
  return { slot, dest };
}

function directInsn(op: 'call' | 'jmp' | 'cs-call', image: MemoryImage, s: SiteState, target: bigint): Insn | undefined {
  const next = addAddress(s.input.site, op === 'cs-call' ? 6 : 5);
  const rel = rel32(next, target);
  if (rel === undefined) {
    s.errors.push(`${symbolName(image, target)} is out of rel32 reach of the site (Xen asserts)`);
    return undefined;
  }
  s.target = target;
  return { op, rel };
}

/** The entry's replacement with its first bytes replaced by `head`, padded with NOPs to the site length. */
function patchedBuffer(s: SiteState, replacement: Uint8Array, head: Uint8Array): Uint8Array {
  const buf = new Uint8Array(s.len);
  buf.set(replacement);
  buf.set(head);
  buf.set(encodeAll(nopFill(s.len - replacement.length)), replacement.length);
  return buf;
}

/**
 * One site in _apply_alternatives(): the indirect-to-direct special case
 * (replacement `call .`/`jmp .` over `call/jmp *disp32(%rip)`, orig_len >= 6).
 * Returns whether the site is done (Xen's `priv`).
 */
function alternativeSite(image: MemoryImage, config: PatcherConfig, s: SiteState, force: boolean): boolean {
  const replacement = s.input.replacement ?? ALTCALL_REPLACEMENT;
  const pass: PatchPass = force ? 'forced' : 'first';
  if (replacement.length > s.len) {
    s.errors.push(`replacement (${replacement.length} bytes) longer than the site (${s.len} bytes): Xen BUG()s`);
    return true;
  }
  const orig = decodeOne(s.before!, 0, s.input.site);
  const repl = decodeOne(replacement, 0, s.input.site);
  const kind = repl.insn.op === 'call' || repl.insn.op === 'jmp' ? repl.insn : undefined;
  const wanted = kind?.op === 'jmp' ? 'jmp-rip' : 'call-rip';
  if (!kind || kind.rel !== -5 || s.len < 6 || orig.insn.op !== wanted) {
    s.errors.push(`not an alternative call: the site is not \`${wanted === 'jmp-rip' ? 'jmp' : 'call'} *disp32(%rip)\``
      + ' under a `call .`/`jmp .` replacement, so Xen would copy the replacement as an ordinary alternative');
    return true;
  }
  const read = readSlot(image, s, orig);
  if (!read) return true;
  if (read.dest === 0n) {
    if (!force) {
      s.notes.push('pointer NULL at the first pass (alternative_instructions): left for the forced pass');
      return false;
    }
    s.notes.push('pointer still NULL at the forced pass (alternative_branches): sealed with ud2; ud0');
    s.after = patchedBuffer(s, replacement, encodeAll([{ op: 'ud2' }, { op: 'ud0' }]));
    s.status = 'trap';
    s.pass = pass;
    return true;
  }
  const branch = directInsn(kind.op, image, s, skipEndbr(image, config, s, read.dest));
  if (!branch) return true;
  s.after = patchedBuffer(s, replacement, encode(branch));
  s.status = 'direct';
  s.pass = pass;
  s.notes.push(force ? 'patched by the forced pass (alternative_branches)'
    : 'patched by the first pass (alternative_instructions)');
  return true;
}

/** One site in apply_alt_calls(); false when the patcher fails (Xen panics). */
function altCallSite(image: MemoryImage, config: PatcherConfig, s: SiteState): boolean {
  const orig = decodeOne(s.before!, 0, s.input.site);
  if (orig.insn.op !== 'call-rip') {
    s.errors.push('not `call *disp32(%rip)` (ff 15): Xen logs an error and the boot panics, '
      + 'alternative calls cannot be applied');
    return false;
  }
  // A slot outside the model or an unreachable target is a modelling error, not a Xen failure.
  const read = readSlot(image, s, orig);
  if (!read) return true;
  s.pass = 'alt_calls';
  if (read.dest === 0n) {
    s.notes.push('pointer NULL at boot_apply_alt_calls: the call is sealed with three ud2');
    s.after = encodeAll([{ op: 'ud2' }, { op: 'ud2' }, { op: 'ud2' }]);
    s.status = 'trap';
    return true;
  }
  const branch = directInsn('cs-call', image, s, skipEndbr(image, config, s, read.dest));
  if (!branch) return true;
  s.after = encode(branch);
  s.status = 'direct';
  return true;
}

/**
 * seal_endbr64(): every pointer stored in the cf_clobber sections that points
 * at an endbr64 in .text gets it replaced by the poison, so the function can
 * no longer be reached indirectly.
 */
function sealEndbr64(image: MemoryImage): SealEntry[] {
  const out: SealEntry[] = [];
  for (const name of CF_CLOBBER_SECTIONS) {
    for (const section of image.sections.filter((s) => s.name === name)) {
      for (let at = 0; at + 8 <= section.bytes.length; at += 8) {
        const pointerAt = addAddress(section.address, at);
        const value = readPointer(image, pointerAt)!;
        if (value === 0n) continue;
        const insn = insnAt(image, value);
        let reason: string | undefined;
        if (sectionAt(image, value)?.name !== KERNEL_TEXT_SECTION) reason = 'not in .text';
        else if (insn?.op === 'endbr64-poison') reason = 'already poisoned through an earlier pointer';
        else if (insn?.op !== 'endbr64') reason = 'no endbr64 there';
        if (!reason) writeBytes(image, value, encode({ op: 'endbr64-poison' }));
        out.push(reason ? { pointerAt, value, poisoned: false, reason } : { pointerAt, value, poisoned: true });
      }
    }
  }
  return out;
}

function configErrors(config: PatcherConfig): string[] {
  if (config.ibtSupported !== false) return [];
  if (config.scheme === 'alt_call_sites') return ['the alt_call_sites patcher (Xen 4.21 on) always supports CET-IBT'];
  return config.ibt ? ['CET-IBT requested, but this Xen version (4.16 or older) has no IBT support'] : [];
}

function applyWrites(image: MemoryImage, writes: readonly PointerWrite[], errors: string[]): void {
  for (const w of writes) {
    if (!writePointer(image, w.address, w.value)) {
      errors.push(`presmp write to 0x${hex(w.address)} is outside the modelled image`);
    }
  }
}

function finish(s: SiteState): SitePatch {
  const before = s.before ?? new Uint8Array(0);
  const after = s.after ?? before;
  return {
    site: s.input.site, before, after,
    beforeInsns: decodeAll(before, s.input.site), afterInsns: decodeAll(after, s.input.site),
    status: s.errors.length > 0 ? 'error' : s.status,
    pass: s.pass, slot: s.slot, dest: s.dest, target: s.target,
    notes: s.notes, warnings: s.warnings, errors: s.errors,
  };
}

/** Runs the boot-time patching of `input.sites` as the configured Xen patcher does. */
export function bootPatch(input: BootPatchInput): BootPatchResult {
  const { config } = input;
  const image = cloneImage(input.image);
  const notes: string[] = [];
  const errors = configErrors(config);
  const states: SiteState[] = input.sites.map((site) => {
    const len = config.scheme === 'alternative' ? site.origLen ?? 6 : 6;
    const before = readBytes(image, site.site, len);
    const s: SiteState = { input: site, len, before, status: 'unpatched', notes: [], warnings: [], errors: [] };
    if (!before) s.errors.push(`site 0x${hex(site.site)} is outside the modelled image`);
    return s;
  });
  const live = errors.length === 0 ? states.filter((s) => s.before) : [];
  let sealingRan = false;
  let sealed: SealEntry[] = [];

  const commit = (s: SiteState) => { if (s.after) writeBytes(image, s.input.site, s.after); };

  if (config.scheme === 'alternative') {
    const pending = live.filter((s) => {
      const done = alternativeSite(image, config, s, false);
      commit(s);
      return !done;
    });
    applyWrites(image, input.presmpWrites ?? [], errors);
    for (const s of live) {
      if (s.pass === 'first' && s.slot !== undefined && readPointer(image, s.slot) !== s.dest) {
        s.warnings.push('the pointer changes after the first pass (presmp initcall): '
          + `this site keeps calling ${symbolName(image, s.dest!)}`);
      }
    }
    for (const s of pending) {
      alternativeSite(image, config, s, true);
      commit(s);
    }
    sealingRan = config.ibt && config.ibtSupported !== false && errors.length === 0;
  } else {
    applyWrites(image, input.presmpWrites ?? [], errors);
    let failed = false;
    for (const s of live) {
      if (failed) {
        s.notes.push('not reached: patching stopped at an earlier failing site');
        continue;
      }
      failed = !altCallSite(image, config, s);
      commit(s);
    }
    if (failed) errors.push('boot_apply_alt_calls failed: Xen panics');
    sealingRan = config.ibt && !failed && errors.length === 0;
  }
  if (sealingRan) {
    sealed = sealEndbr64(image);
    notes.push(`sealing: ${sealed.filter((e) => e.poisoned).length} endbr64 poisoned`);
  }
  return {
    config, image, sites: states.map(finish), sealingRan, sealed,
    notes, errors,
  };
}
