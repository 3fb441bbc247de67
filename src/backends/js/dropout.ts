// dropoutMask, reference semantics: the counter-based hash of core/hash.ts, as assembly/dropout.ts.
import type { FloatArray } from '../../core/matrix.js';
import { mix } from '../../core/hash.js';

/** mask[i] = u_i < keep ? 1/keep : 0, with u_i = top 24 bits of mix(key ^ i) / 2^24. */
export function dropoutMask(key: number, keep: number, scale: number, out: FloatArray): void {
  const limit = keep * 16777216;
  for (let i = 0; i < out.length; i++) out[i] = mix((key ^ i) >>> 0) >>> 8 < limit ? scale : 0;
}
