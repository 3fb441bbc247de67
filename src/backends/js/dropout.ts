// dropoutMask, reference semantics: the same counter-based hash as assembly/dropout.ts.
import type { FloatArray } from '../../matrix.js';

/** Wellons' lowbias32 mixer. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

export function dropoutKey(seed: number, step: number, layer: number): number {
  return mix(mix(mix((seed ^ 0x9e3779b9) >>> 0) ^ step) ^ layer);
}

/** mask[i] = u_i < keep ? 1/keep : 0, with u_i = top 24 bits of mix(key ^ i) / 2^24. */
export function dropoutMask(key: number, keep: number, scale: number, out: FloatArray): void {
  const limit = keep * 16777216;
  for (let i = 0; i < out.length; i++) out[i] = (mix((key ^ i) >>> 0) >>> 8) < limit ? scale : 0;
}
