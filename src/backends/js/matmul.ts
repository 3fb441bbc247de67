// matmul, reference semantics: C (=|+=) op(A)·op(B) with plain loops, summed in float64; in
// float32, every product and sum rounded to float32 as the wasm kernel rounds them, so that the
// two backends overflow on the same inputs (3.4e38 + 3.4e38 is Infinity in float32, not 6.8e38).
import type { FloatArray } from '../../core/matrix.js';

export function matmul(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  accumulate: boolean,
): void {
  // op(A)(i, p) = a[i*rsA + p*csA], op(B)(p, j) = b[p*rsB + j*csB]
  const rsA = transA ? 1 : K,
    csA = transA ? M : 1;
  const rsB = transB ? 1 : N,
    csB = transB ? K : 1;
  const f32 = c instanceof Float32Array;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      if (f32)
        for (let p = 0; p < K; p++) s = Math.fround(s + Math.fround(a[i * rsA + p * csA] * b[p * rsB + j * csB]));
      else for (let p = 0; p < K; p++) s += a[i * rsA + p * csA] * b[p * rsB + j * csB];
      c[i * N + j] = accumulate ? c[i * N + j] + s : s;
    }
  }
}
