// matmul on every backend, dtype, build and thread count (1, 3), in all three forms and accumulating, against float64 loops.
import { describe, expect, it } from 'vitest';
import { SIZES, normRelError, randomData, tol } from '../helpers.js';
import { OP_CONFIGS } from './suite.js';

/** C = op(A)·op(B) in float64, indexing the stored layouts directly. */
function reference(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): Float64Array {
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
  ...SIZES.flatMap((s): [number, number, number][] => [
    [s, 5, 7],
    [7, s, 5],
    [5, 7, s],
  ]),
  ...SIZES.filter((s) => s <= 127).map((s): [number, number, number] => [s, s, s]),
  [65, 513, 257],
  [129, 17, 513],
  [3, 1000, 2],
  [1000, 1, 33],
  [2, 3, 1000],
];

const FORMS = [
  { name: 'A·B', transA: false, transB: false },
  { name: 'A·Bᵀ', transA: false, transB: true },
  { name: 'Aᵀ·B', transA: true, transB: false },
];

describe.each(OP_CONFIGS)('matmul on $label', ({ make, dtype }) => {
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
      expect(normRelError(acc.toMatrix().data, refAcc), `accumulate M=${M} N=${N} K=${K}`).toBeLessThanOrEqual(
        tol(dtype),
      );

      // out without accumulate overwrites whatever was there
      be.matmul(A, B, { transA, transB, out: acc });
      expect(normRelError(acc.toMatrix().data, ref)).toBeLessThanOrEqual(tol(dtype));
      for (const t of [A, B, C, acc]) t.dispose();
    }
    expect(be.memory().tensors).toBe(0);
  });

  it('takes and returns plain matrices', async () => {
    const be = await make();
    const c = be.matmul(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [
        [1, 0, 2],
        [0, 1, 3],
      ],
    );
    expect(c.rows).toBe(3);
    expect(Array.from(c.data)).toEqual([1, 2, 8, 3, 4, 18, 5, 6, 28]);
    expect(be.memory().tensors).toBe(0);
  });
});

// Threads share one packing of the operand every block of C needs (matmul_pack_a / _pack_b, then
// the blocks with `packed` 1 or 2): at the kernel level, blocks of columns over a packed op(A)
// and blocks of rows over a packed op(B), the packing itself in two parts, against float64
// loops and against the one-call product bit for bit.
describe.each(['simd', 'scalar'] as const)('matmul over a packed operand, %s build', (variant) => {
  it.each(['float32', 'float64'] as const)('%s: every form, blocks of rows and of columns', async (dtype) => {
    const { embeddedModule } = await import('../../src/backends/wasm/loader.js');
    const ex = (
      await WebAssembly.instantiate(await embeddedModule(variant), {
        env: {
          abort: () => {
            throw new Error('abort');
          },
        },
      })
    ).exports as Record<string, (...a: number[]) => number> & { memory: WebAssembly.Memory };
    const sfx = dtype === 'float64' ? 'f64' : 'f32',
      S = dtype === 'float64' ? 8 : 4;
    const mr = ex.matmul_mr(),
      nr = 32 / S;
    ex.memory.grow(600);
    const view = () => (dtype === 'float64' ? new Float64Array(ex.memory.buffer) : new Float32Array(ex.memory.buffer));
    const at = (bytes: number) => Math.ceil(bytes / 64) * 64;
    const scratch = at(ex.heap_base()),
      A = at(scratch + ex.matmul_scratch_bytes(S));
    let seed = 100;
    for (const [M, N, K] of [
      [1, 1, 1],
      [5, 17, 3],
      [7, 33, 257],
      [65, 127, 5],
      [127, 65, 513],
      [33, 1000, 17],
      [1000, 2, 65],
    ]) {
      const a = randomData(M * K, seed++, dtype),
        b = randomData(K * N, seed++, dtype);
      const B = at(A + M * K * S),
        C = at(B + K * N * S),
        P = at(C + M * N * S);
      for (const [transA, transB] of [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ]) {
        view().set(a, A / S);
        view().set(b, B / S);
        const ref = reference(!!transA, !!transB, M, N, K, a, b);
        ex[`matmul_${sfx}`](transA, transB, M, N, K, A, B, C, 0, scratch, 0, M, 0, N, 0);
        const whole = view().slice(C / S, C / S + M * N);
        // op(A) packed in two parts, then C in blocks of 8 columns (the last one partial)
        const split = (n: number, unit: number) => Math.min(n, Math.ceil(n / 2 / unit) * unit);
        const ma = split(M, mr);
        ex[`matmul_pack_a_${sfx}`](transA, M, K, A, P, 0, ma);
        ex[`matmul_pack_a_${sfx}`](transA, M, K, A, P, ma, M);
        expect(P + ex.matmul_packed_bytes(1, M, K, S)).toBeLessThan(ex.memory.buffer.byteLength);
        view().fill(NaN, C / S, C / S + M * N);
        for (let j = 0; j < N; j += 8)
          ex[`matmul_${sfx}`](transA, transB, M, N, K, P, B, C, 0, scratch, 0, M, j, Math.min(N, j + 8), 1);
        const byCols = view().slice(C / S, C / S + M * N);
        // op(B) packed in two parts, then C in blocks of micro-tile rows
        const nb = split(N, nr);
        ex[`matmul_pack_b_${sfx}`](transB, N, K, B, P, 0, nb);
        ex[`matmul_pack_b_${sfx}`](transB, N, K, B, P, nb, N);
        view().fill(NaN, C / S, C / S + M * N);
        for (let i = 0; i < M; i += mr)
          ex[`matmul_${sfx}`](transA, transB, M, N, K, A, P, C, 0, scratch, i, Math.min(M, i + mr), 0, N, 2);
        const byRows = view().slice(C / S, C / S + M * N);
        const what = `M=${M} N=${N} K=${K} transA=${transA} transB=${transB}`;
        expect(normRelError(whole, ref), what).toBeLessThanOrEqual(tol(dtype));
        expect(Array.from(byCols), `${what}, blocks of columns`).toEqual(Array.from(whole));
        expect(Array.from(byRows), `${what}, blocks of rows`).toEqual(Array.from(whole));
      }
    }
  });
});
