// L1 regularization's two kernels, reference semantics.
import type { FloatArray } from '../../core/matrix.js';

/** Σ|x|, in float64. */
export function sumAbs(n: number, x: FloatArray): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(x[i]);
  return s;
}

/** y += α·sign(x), with sign(±0) = 0 and sign(NaN) = NaN. */
export function signAxpy(n: number, alpha: number, x: FloatArray, y: FloatArray): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    y[i] += v > 0 ? alpha : v < 0 ? -alpha : v === 0 ? 0 : v;
  }
}
