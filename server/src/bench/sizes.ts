/**
 * File sizes shaped like Xen's: quantiles of the .c and .h sizes in Xen's
 * hypervisor tree (2025), interpolated linearly so that no transcendental
 * function (whose last bit may differ between platforms) decides a size.
 */
import type { Rng } from './rng';

export type FileKind = 'c' | 'h';

type Quantiles = readonly (readonly [p: number, bytes: number])[];

const QUANTILES: Record<FileKind, Quantiles> = {
  c: [[0, 300], [0.05, 580], [0.1, 936], [0.25, 2665], [0.5, 7786], [0.75, 18684], [0.9, 41616], [0.95, 62110], [0.99, 101095], [1, 340000]],
  h: [[0, 200], [0.05, 283], [0.1, 421], [0.25, 952], [0.5, 2435], [0.75, 5850], [0.9, 13756], [0.95, 23092], [0.99, 39250], [1, 76000]],
};

/** A size drawn from the kind's distribution (inverse of the piecewise-linear CDF). */
export function drawSize(rng: Rng, kind: FileKind): number {
  const q = QUANTILES[kind];
  const u = rng.next();
  for (let i = 1; i < q.length; i++) {
    const [p0, b0] = q[i - 1];
    const [p1, b1] = q[i];
    if (u <= p1) return b0 + ((u - p0) / (p1 - p0)) * (b1 - b0);
  }
  return q[q.length - 1][1];
}
