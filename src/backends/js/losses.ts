// Losses, reference semantics.
import type { FloatArray } from '../../core/matrix.js';
import { exp, log1p } from '../../core/libm.js';

/** Σ max(z, 0) − z·y + log1p(exp(−|z|)): binary cross-entropy from the logits, summed. */
export function sigmoidCrossEntropy(n: number, z: FloatArray, y: FloatArray): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = z[i];
    s += Math.max(v, 0) - v * y[i] + log1p(exp(-Math.abs(v)));
  }
  return s;
}
