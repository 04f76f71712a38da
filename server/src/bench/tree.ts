/**
 * A deterministic, Xen-sized synthetic tree: Xen's directory layout and file
 * size distribution, the alternative-call subsystems of plant.ts, and
 * ordinary code from cgen.ts filling every file up to its drawn size.
 */
import * as path from 'node:path';
import { Rng } from './rng';
import { Namer } from './names';
import { World } from './world';
import { CFiller } from './cgen';
import { BASE_HEADERS } from './base';
import { planter, STYLE_CYCLE } from './plant';
import { FilePlan, includeName, Manifest, TreePlan } from './plan';

export interface TreeOptions {
  /** Number of .c and .h files. */
  files: number;
  /** Approximate total size in bytes. */
  bytes: number;
  seed: number;
}

export const DEFAULT_TREE: TreeOptions = { files: 1500, bytes: 16_000_000, seed: 0x58656e };

export interface GeneratedTree {
  /** Relative path ('/'-separated) to contents, in generation order. */
  files: Map<string, string>;
  manifest: Manifest;
}

/** Where Xen keeps its files, with about as many .c and .h files in each place. */
const LAYOUT: readonly (readonly [dir: string, c: number, h: number])[] = [
  ['xen/arch/x86', 60, 0], ['xen/arch/x86/cpu', 40, 0], ['xen/arch/x86/hvm', 50, 0], ['xen/arch/x86/hvm/svm', 12, 2],
  ['xen/arch/x86/hvm/vmx', 12, 2], ['xen/arch/x86/mm', 30, 2], ['xen/arch/x86/pv', 20, 2], ['xen/arch/x86/acpi', 8, 0],
  ['xen/arch/x86/guest', 8, 2], ['xen/arch/x86/x86_64', 10, 0], ['xen/arch/x86/include/asm', 0, 150],
  ['xen/arch/x86/include/asm/hvm', 0, 40], ['xen/arch/arm', 80, 2], ['xen/arch/arm/arm64', 20, 0],
  ['xen/arch/arm/include/asm', 0, 110], ['xen/arch/riscv', 20, 0], ['xen/arch/riscv/include/asm', 0, 60],
  ['xen/arch/ppc', 10, 0], ['xen/arch/ppc/include/asm', 0, 30], ['xen/common', 110, 0], ['xen/common/sched', 10, 2],
  ['xen/include/xen', 0, 170], ['xen/include/public', 0, 77], ['xen/include/asm-generic', 0, 15],
  ['xen/drivers/passthrough', 25, 5], ['xen/drivers/char', 18, 0], ['xen/drivers/acpi', 19, 0],
  ['xen/drivers/cpufreq', 6, 0], ['xen/drivers/video', 9, 0], ['xen/xsm/flask', 20, 10], ['xen/lib', 30, 0], ['xen/crypto', 5, 0],
];

export function generateTree(opts: TreeOptions = DEFAULT_TREE): GeneratedTree {
  const rng = new Rng(opts.seed);
  const names = new Namer(rng);
  const world = new World();
  const code = { x86: new CFiller(rng, names, world, 'x86'), other: new CFiller(rng, names, world, 'other') };

  const totalC = LAYOUT.reduce((n, [, c]) => n + c, 0);
  const cShare = totalC / LAYOUT.reduce((n, [, c, h]) => n + c + h, 0);
  const plan = new TreePlan(rng);

  const planters = Array.from({ length: Math.max(6, Math.round(opts.files / 95)) }, (_, i) =>
    planter(STYLE_CYCLE[i % STYLE_CYCLE.length], { rng, names, code: code.x86, plan }));
  for (const p of planters) p.own();
  layOut(plan, names, rng, opts.files - BASE_HEADERS.size - plan.files.size, cShare);
  for (const p of planters) p.scatter();
  let baseBytes = 0;
  for (const text of BASE_HEADERS.values()) baseBytes += text.length;
  plan.scaleTo(opts.bytes - baseBytes);

  const files = new Map<string, string>(BASE_HEADERS);
  const plans = [...plan.files.values()];
  const headers = plans.filter((f) => f.kind === 'h');
  // Headers first: they declare the structs and functions the sources then use.
  for (const f of [...headers, ...plans.filter((f) => f.kind === 'c')]) {
    files.set(f.path, render(f, f.path.startsWith('xen/arch/x86/') ? code.x86 : code.other, rng, names, headers));
  }
  return { files, manifest: plan.manifest };
}

/** Ordinary files spread over the layout in proportion, `count` in all. */
function layOut(plan: TreePlan, names: Namer, rng: Rng, count: number, cShare: number): void {
  const cs = LAYOUT.filter(([, c]) => c > 0);
  const hs = LAYOUT.filter(([, , h]) => h > 0);
  const cCount = Math.round(count * cShare);
  const weightC = cs.reduce((n, [, c]) => n + c, 0);
  const weightH = hs.reduce((n, [, , h]) => n + h, 0);
  for (let i = 0; i < count; i++) {
    const isC = i < cCount;
    let u = rng.next() * (isC ? weightC : weightH);
    const [dir] = (isC ? cs : hs).find(([, c, h]) => (u -= isC ? c : h) < 0) ?? (isC ? cs : hs)[0];
    let file: string;
    do file = `${dir}/${rng.chance(0.4) ? `${names.noun()}_${names.noun()}` : names.noun()}${isC ? '.c' : '.h'}`;
    while (plan.files.has(file));
    plan.file(file);
  }
}

function render(f: FilePlan, code: CFiller, rng: Rng, names: Namer, headers: FilePlan[]): string {
  if (f.plain) return f.pieces.join('\n');
  const includes = f.kind === 'c' ? ['<xen/init.h>', '<xen/lib.h>', ...visibleHeaders(f, rng, headers)] : ['<xen/lib.h>'];
  for (const inc of f.includes) if (!includes.includes(inc)) includes.push(inc);
  const guard = f.path.replace(/^xen\//, '').replace(/[^A-Za-z0-9]/g, '_').toUpperCase();
  const head = [
    '/* SPDX-License-Identifier: GPL-2.0-only */',
    `/*\n * ${path.posix.basename(f.path)}: ${names.sentence(4, 10)}\n *\n * ${names.sentence()} ${names.sentence()}\n */`,
    '',
    ...(f.kind === 'h' ? [`#ifndef ${guard}`, `#define ${guard}`, ''] : []),
    ...includes.map((i) => `#include ${i}`),
    '',
  ].join('\n');
  const tail = f.kind === 'h' ? `#endif /* ${guard} */\n` : '';
  const planted = f.pieces.join('\n');
  const fill = (bytes: number) => (f.kind === 'c' ? code.source(bytes) : code.header(bytes));
  const budget = f.target - head.length - planted.length - tail.length;
  const before = fill(budget * rng.next() * 0.6);
  const after = fill(budget - before.length);
  return [head, before, planted, after, tail].join('\n');
}

/** A few headers a source file in this place could include: its own architecture's, generic ones, its folder's. */
function visibleHeaders(f: FilePlan, rng: Rng, headers: FilePlan[]): string[] {
  const arch = /^xen\/arch\/([^/]+)\//.exec(f.path)?.[1] ?? 'x86';
  const dir = path.posix.dirname(f.path);
  const pool = headers.filter((h) => !h.plain && (h.path.startsWith('xen/include/') || h.path.startsWith(`xen/arch/${arch}/include/`) || path.posix.dirname(h.path) === dir));
  return rng.sample(pool, rng.int(2, 10)).map((h) => includeName(h.path, f.path));
}
