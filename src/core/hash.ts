// The counter-based hash behind dropout masks: the same function as assembly/dropout.ts, so
// every backend and any number of threads draw the same mask.

/** Wellons' lowbias32 mixer. */
export function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One 32-bit key per (seed, step, layer); a mask's element i is then a hash of key ^ i. */
export function dropoutKey(seed: number, step: number, layer: number): number {
  return mix(mix(mix((seed ^ 0x9e3779b9) >>> 0) ^ step) ^ layer);
}
