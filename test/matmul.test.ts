// matmul on every backend and dtype, in all three forms and accumulating, against float64 loops.
import { describe, expect, it } from 'vitest';
import { CONFIGS, SIZES, normRelError, randomData, tol } from './helpers.js';

/** C = op(A)·op(B) in float64, indexing the stored layouts directly. */
function reference(transA: boolean, transB: boolean, M: number, N: number, K: number,
  a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const c = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let p = 0; p < K; p++) {
        const av = transA ? a[p * M + i] : a[i * K + p];
        const bv = transB ? b[j * K + p] : b[p * N + j];
        s += av * bv;
      }
      c[i * N + j] = s;
    }
  }
  return c;
}

// M, N, K varied independently over the awkward sizes, plus the blocking edges of the packed
// kernel (MC = 64, KC = 256, NC = 512 and the 4-row, 8/4-column micro-tiles).
const SHAPES: [number, number, number][] = [
  ...SIZES.flatMap((s): [number, number, number][] => [[s, 5, 7], [7, s, 5], [5, 7, s]]),
  ...SIZES.filter((s) => s <= 127).map((s): [number, number, number] => [s, s, s]),
  [65, 513, 257], [129, 17, 513], [3, 1000, 2], [1000, 1, 33], [2, 3, 1000],
];

const FORMS = [
  { name: 'A·B', transA: false, transB: false },
  { name: 'A·Bᵀ', transA: false, transB: true },
  { name: 'Aᵀ·B', transA: true, transB: false },
];

describe.each(CONFIGS)('matmul on $label', ({ make, dtype }) => {
  it.each(FORMS)('$name matches float64 loops on every shape, plain and accumulating', async ({ transA, transB }) => {
    const be = await make();
    let seed = 1;
    for (const [M, N, K] of SHAPES) {
      const a = randomData(M * K, seed++, dtype);
      const b = randomData(K * N, seed++, dtype);
      const c0 = randomData(M * N, seed++, dtype);
      const A = be.tensor({ rows: transA ? K : M, cols: transA ? M : K, data: a });
      const B = be.tensor({ rows: transB ? N : K, cols: transB ? K : N, data: b });
      const ref = reference(transA, transB, M, N, K, a, b);

      const C = be.matmul(A, B, { transA, transB });
      expect([C.rows, C.cols]).toEqual([M, N]);
      const err = normRelError(C.toMatrix().data, ref);
      expect(err, `M=${M} N=${N} K=${K}`).toBeLessThanOrEqual(tol(dtype));

      // accumulate: C0 + op(A)·op(B)
      const acc = be.tensor({ rows: M, cols: N, data: c0 });
      be.matmul(A, B, { transA, transB, out: acc, accumulate: true });
      const refAcc = ref.map((v, i) => v + c0[i]);
      expect(normRelError(acc.toMatrix().data, refAcc), `accumulate M=${M} N=${N} K=${K}`)
        .toBeLessThanOrEqual(tol(dtype));

      // out without accumulate overwrites whatever was there
      be.matmul(A, B, { transA, transB, out: acc });
      expect(normRelError(acc.toMatrix().data, ref)).toBeLessThanOrEqual(tol(dtype));
      for (const t of [A, B, C, acc]) t.dispose();
    }
    expect(be.memory().tensors).toBe(0);
  });

  it('takes and returns plain matrices', async () => {
    const be = await make();
    const c = be.matmul([[1, 2], [3, 4], [5, 6]], [[1, 0, 2], [0, 1, 3]]);
    expect(c.rows).toBe(3);
    expect(Array.from(c.data)).toEqual([1, 2, 8, 3, 4, 18, 5, 6, 28]);
    expect(be.memory().tensors).toBe(0);
  });
});
