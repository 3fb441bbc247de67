// dropoutMask, reference semantics: the counter-based hash of core/hash.ts, as assembly/dropout.ts.
import type { FloatArray } from '../../core/matrix.js';
import { mix } from '../../core/hash.js';

/**
 * mask[i] = u_i < keep ? 1/keep : 0 for the elements first … first + n − 1 of the mask, with
 * u_i = top 24 bits of mix(key ^ i) / 2^24. (1/keep is rounded once to the array's dtype, as
 * the wasm kernel divides in its dtype: for a float32 keep both are the correctly rounded value.)
 */
export function dropoutMask(n: number, first: number, key: number, keep: number, out: FloatArray): void {
  const limit = keep * 16777216,
    scale = 1 / keep;
  for (let i = 0; i < n; i++) out[i] = mix((key ^ (first + i)) >>> 0) >>> 8 < limit ? scale : 0;
}
