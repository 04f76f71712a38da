/**
 * The preview as the engine offers it: sites found by position (or all of
 * them) previewed for a profile's patching scheme and IBT settings over the
 * model of the whole index, so that every site gets the same addresses
 * whether it is previewed alone or with the others.
 */
import type { Profile } from '../engine/config/profiles';
import type { OpsObjectInfo, SiteInfo } from '../engine/index/types';
import type { IndexResult } from '../engine/index/workspace';
import { LineIndex } from '../engine/util/lines';
import { PreviewVariant, SitePreview, sitePreviewer } from '../patch';
import type { Syntax } from '../x86';
import { IndexedModel, indexedModel, ModelOptions, pointerKey, siteId } from './model';

export interface PreviewRequest extends ModelOptions {
  readonly profile: Profile;
  /** IBT settings to preview, one result per setting; default: on when the profile has IBT, else off. */
  readonly ibt?: readonly boolean[];
  /** Of the `asm` texts; default AT&T. */
  readonly syntax?: Syntax;
}

/** One site and its preview (no variants, and an error, when it cannot be patched). */
export interface SitePreviewEntry {
  readonly site: SiteInfo;
  /** Its ops object as the index knows it (impl tables with their files). */
  readonly ops: OpsObjectInfo | null;
  readonly preview: SitePreview;
}

export interface PreviewReport {
  readonly profile: Profile;
  readonly variants: readonly PreviewVariant[];
  readonly entries: readonly SitePreviewEntry[];
  /** How files are named in the output. */
  readonly display: (file: string) => string;
}

/** 1-based, as editors and the command line count. */
export interface SourcePosition { readonly line: number; readonly column?: number }

/** The emulated patchers for a profile: its scheme, with IBT on where the release has it unless told otherwise. */
export function variantsFor(profile: Profile, ibt: readonly boolean[] = [profile.ibtAvailable]): PreviewVariant[] {
  return ibt.map((on) => ({ scheme: profile.scheme, ibt: on, ibtSupported: profile.ibtAvailable, label: profile.name }));
}

/** Previews over one index; build once, ask many times. */
export class Previewer {
  private readonly indexed: IndexedModel;
  private readonly variants: PreviewVariant[];
  private readonly previewSite: (id: string) => SitePreview | undefined;

  constructor(private readonly result: IndexResult, private readonly request: PreviewRequest) {
    this.indexed = indexedModel(result, request);
    this.variants = variantsFor(request.profile, request.ibt);
    this.previewSite = sitePreviewer(this.indexed.model, { variants: this.variants, syntax: request.syntax });
  }

  /** Sites of `file` whose invocation covers the position (the whole line when no column is given). */
  sitesAt(file: string, position: SourcePosition, sameFile: (a: string, b: string) => boolean = (a, b) => a === b): SiteInfo[] {
    const line = position.line - 1;
    const lines = new Map<string, LineIndex>();
    const end = (s: SiteInfo) => {
      const text = this.request.text?.(s.file);
      if (text === undefined) return { line: s.span.line, col: s.span.col + (s.span.end - s.span.start) };
      let li = lines.get(s.file);
      if (!li) lines.set(s.file, (li = new LineIndex(text)));
      const span = li.span(s.span.end, s.span.end);
      return { line: span.line, col: span.col };
    };
    return this.result.sites.filter((s) => {
      if (!sameFile(s.file, file)) return false;
      const last = end(s);
      if (line < s.span.line || line > last.line) return false;
      if (position.column === undefined) return true;
      const col = position.column - 1;
      return (line > s.span.line || col >= s.span.col) && (line < last.line || col < last.col);
    });
  }

  preview(sites: readonly SiteInfo[]): PreviewReport {
    return {
      profile: this.request.profile, variants: this.variants, entries: sites.map((s) => this.entry(s)),
      display: this.request.displayPath ?? ((f) => f),
    };
  }

  all(): PreviewReport {
    return this.preview(this.result.sites);
  }

  private entry(site: SiteInfo): SitePreviewEntry {
    const indexed = this.indexed.sites.get(siteId(site))!;
    const ops = this.result.objects.find((o) => o.id === site.ops) ?? null;
    const found = site.ops === null ? undefined : this.previewSite(indexed.model.id);
    if (!found) {
      const reason = site.reason ?? 'the site names no ops object';
      return {
        site, ops,
        preview: { site: indexed.model, function: indexed.function, opsName: null, variants: [], errors: [`cannot be previewed: ${reason}`] },
      };
    }
    const notes = site.ops === null ? [] : this.indexed.pointerNotes.get(pointerKey(site.ops, site.member)) ?? [];
    const preview = notes.length === 0 ? found
      : { ...found, variants: found.variants.map((v) => ({ ...v, notes: [...v.notes, ...notes] })) };
    return { site, ops, preview };
  }
}

/** The preview of the sites at a position of `file` (none: no site there). */
export function previewAt(result: IndexResult, file: string, position: SourcePosition, request: PreviewRequest): PreviewReport {
  const p = new Previewer(result, request);
  return p.preview(p.sitesAt(file, position));
}

/** The preview of every site of the index. */
export function previewAllSites(result: IndexResult, request: PreviewRequest): PreviewReport {
  return new Previewer(result, request).all();
}
