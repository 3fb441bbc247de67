// Every op of the wasm backend run once, for comparing the bits across thread counts: shared by
// test/threads.test.ts and the child it starts with relaxed SIMD turned on (threads-relaxed.ts).
import { createBackend, type Backend, type DType } from '../src/index.js';
import { MIN_SHARE } from '../src/backends/wasm/threads/split.js';
import { SIZES, randomData } from './helpers.js';

export const THREADS = [1, 2, 3, 4];

/** Same bits, NaN included. */
export function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Runs every op (but the whole-tensor sums) on one backend, returning all outputs in order. */
export function everyOp(be: Backend, dtype: DType): Float64Array[] {
  const out: Float64Array[] = [];
  const keep = (m: { data: ArrayLike<number> }) => out.push(Float64Array.from(m.data));
  let seed = 1;
  const M = (rows: number, cols: number, lo = -3, hi = 3) => ({
    rows,
    cols,
    data: randomData(rows * cols, seed++, dtype, lo, hi),
  });
  const shapes = [
    [1, 1, 1],
    [2, 3, 5],
    [7, 17, 33],
    [65, 5, 127],
    [33, 65, 17],
    [127, 33, 65],
    [1000, 7, 3],
    [5, 1000, 9],
    [17, 9, 1000],
  ];
  for (const [m, k, n] of shapes) {
    for (const [transA, transB] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ]) {
      const a = transA ? M(k, m) : M(m, k),
        b = transB ? M(n, k) : M(k, n);
      keep(be.matmul(a, b, { transA, transB }));
      const c = be.tensor(M(m, n));
      be.matmul(be.tensor(a), be.tensor(b), { transA, transB, out: c, accumulate: true });
      keep(c.toMatrix());
    }
  }
  for (const n of SIZES) {
    for (const rows of [1, 3, 17]) {
      const x = M(rows, n),
        dy = M(rows, n, -1, 1),
        b = M(1, n);
      for (const op of ['relu', 'sigmoid', 'tanh', 'softmax'] as const) {
        const y = be[op](x);
        keep(y);
        keep(be[`${op}Backward`](dy, y));
      }
      keep(be.addBias(x, b));
      for (const then of ['relu', 'sigmoid', 'tanh'] as const) keep(be.addBias(x, b, undefined, then));
      keep(be.sumCols(x));
      keep(be.scale(x, 0.37));
      keep(be.mul(x, dy));
      keep(be.sub(x, dy));
      const yt = be.tensor(dy);
      be.axpy(-0.7, be.tensor(x), yt);
      keep(yt.toMatrix());
      const w = be.tensor(x),
        g = be.tensor(dy),
        v = be.tensor(M(rows, n, 0, 1)),
        m1 = be.tensor(M(rows, n, -1, 1)),
        v2 = be.tensor(M(rows, n, 0, 1));
      be.momentumUpdate(w, g, v, 0.05, 0.9);
      keep(w.toMatrix());
      keep(v.toMatrix());
      be.adamUpdate(w, g, m1, v2, { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, t: 4 });
      keep(w.toMatrix());
      keep(m1.toMatrix());
      keep(v2.toMatrix());
      const mask = be.zeros(rows, n);
      be.dropoutMask(mask, 0.3, 5, 7, 1);
      keep(mask.toMatrix());
      out.push(
        Float64Array.of(
          be.sumSquares(x),
          be.sigmoidCrossEntropy(x, { rows, cols: n, data: Array.from({ length: rows * n }, (_, i) => i % 2) }),
        ),
      );
    }
  }
  // sums of squares over many blocks (8192 elements each), split across threads by blocks
  for (const n of [8193, 50001, 300007]) out.push(Float64Array.of(be.sumSquares(M(1, n))));
  return out;
}

/**
 * Every op (with every op splitting, down to a few elements a thread) on 1 … 4 threads: the
 * outputs that differ from one thread's, as "output i on t threads", and the build that ran.
 */
export async function differencesAcrossThreads(
  dtype: DType,
  build: Record<string, boolean>,
): Promise<{ variant: string; differ: string[] }> {
  const saved = { ...MIN_SHARE };
  Object.assign(MIN_SHARE, { matmul: 1, cheap: 1, costly: 1 });
  try {
    const results: Float64Array[][] = [];
    let variant = '';
    for (const threads of THREADS) {
      const be = await createBackend('wasm', { dtype, threads, ...build });
      if (be.threads !== threads)
        throw new Error(`asked for ${threads} threads, got ${be.threads} (${be.threadsReason})`);
      variant = be.variant;
      results.push(everyOp(be, dtype));
      be.dispose();
    }
    const differ: string[] = [];
    for (let t = 1; t < THREADS.length; t++) {
      results[t].forEach((r, i) => {
        if (!same(r, results[0][i])) differ.push(`output ${i} on ${THREADS[t]} threads`);
      });
    }
    return { variant, differ };
  } finally {
    Object.assign(MIN_SHARE, saved);
  }
}
