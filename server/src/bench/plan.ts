/**
 * The generated tree before it is rendered: which files exist, how big each
 * should get, the hand-shaped code planted in them, and a manifest of the
 * alternative-call facts that code contains.
 */
import * as path from 'node:path';
import type { Rng } from './rng';
import { drawSize, FileKind } from './sizes';

export interface FilePlan {
  /** '/'-separated, relative to the tree root. */
  path: string;
  kind: FileKind;
  /** Size to fill up to with ordinary code, planted pieces included. */
  target: number;
  /** What follows `#include `: `<xen/lib.h>` or `"local.h"`. */
  includes: string[];
  /** Planted code, in order. */
  pieces: string[];
  /** X-macro lists are included several times: no ordinary code, no guard. */
  plain: boolean;
  /** The target was chosen rather than drawn: scaleTo leaves it. */
  pinned: boolean;
}

export interface PlantedSite { file: string; ops: string; member: string; }

export interface Manifest {
  sites: PlantedSite[];
  opsObjects: { name: string; file: string }[];
  implTables: { name: string; ops: string }[];
}

export class TreePlan {
  readonly files = new Map<string, FilePlan>();
  readonly manifest: Manifest = { sites: [], opsObjects: [], implTables: [] };

  constructor(private readonly rng: Rng) {}

  /** The plan for `file`, created on first use with a size drawn for its kind, or of `bytes` when given. */
  file(file: string, opts: { plain?: boolean; bytes?: number } = {}): FilePlan {
    let plan = this.files.get(file);
    if (!plan) {
      const kind: FileKind = file.endsWith('.h') ? 'h' : 'c';
      plan = { path: file, kind, target: drawSize(this.rng, kind), includes: [], pieces: [], plain: opts.plain ?? false, pinned: false };
      this.files.set(file, plan);
    }
    if (opts.bytes !== undefined) {
      plan.target = opts.bytes;
      plan.pinned = true;
    }
    return plan;
  }

  /**
   * Scales the targets so that the files add up to about `bytes`: a few huge
   * draws must not decide the tree's size. A file whose planted code alone
   * outgrows its share keeps that size, as does a pinned file, and the
   * others share what is left.
   */
  scaleTo(bytes: number): void {
    const files = [...this.files.values()];
    const planted = files.map((f) => f.pieces.reduce((n, p) => n + p.length + 1, 0));
    let factor = bytes / files.reduce((n, f) => n + f.target, 0);
    for (let round = 0; round < 4; round++) {
      let fixed = 0;
      let free = 0;
      files.forEach((f, i) => {
        if (f.pinned) fixed += f.target;
        else if (f.target * factor < planted[i]) fixed += planted[i];
        else free += f.target;
      });
      factor = (bytes - fixed) / free;
    }
    for (const f of files) if (!f.pinned) f.target = Math.round(f.target * factor);
  }

  include(file: string, header: string): void {
    const plan = this.file(file);
    if (!plan.includes.includes(header)) plan.includes.push(header);
  }

  add(file: string, ...pieces: string[]): void {
    this.file(file).pieces.push(...pieces);
  }

  site(file: string, ops: string, member: string): void {
    this.manifest.sites.push({ file, ops, member });
  }

  sourceFiles(filter: (p: string) => boolean): FilePlan[] {
    return [...this.files.values()].filter((f) => f.kind === 'c' && !f.plain && filter(f.path));
  }
}

/** How a source file names a header: by include root when under one, else by relative path. */
export function includeName(header: string, from: string): string {
  const m = /^xen\/(?:arch\/[^/]+\/)?include\/(.*)$/.exec(header);
  if (m) return `<${m[1]}>`;
  return `"${path.posix.relative(path.posix.dirname(from), header)}"`;
}
