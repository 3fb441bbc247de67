// Every op of the wasm backend (the table's, through test/ops/calls.ts, and matmul) run once,
// for comparing the bits across thread counts: shared by threads.test.ts and the child it starts
// with relaxed SIMD turned on (relaxed-child.ts). Each output is named by op, shape and form.
import { createBackend, type Backend, type DType } from '../../src/index.js';
import { OP_LIST } from '../../src/backends/ops.js';
import { ADAPT } from '../../src/backends/wasm/threads/adapt.js';
import { MIN_SHARE } from '../../src/backends/wasm/threads/split.js';
import { runAgainstReference } from '../ops/run.js';
import { SIZES, randomData } from '../helpers.js';

export const THREADS = [1, 2, 3, 4];

/** Same bits, NaN included. */
export function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Runs every op (but the whole-tensor sums) on one backend, returning all outputs in order. */
export function everyOp(be: Backend, dtype: DType): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  const keep = (name: string, data: ArrayLike<number>) => out.set(name, Float64Array.from(data));
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
      const form = `matmul ${m}×${k}·${k}×${n}${transA ? ' transA' : ''}${transB ? ' transB' : ''}`;
      keep(form, be.matmul(a, b, { transA, transB }).data);
      const c = be.tensor(M(m, n));
      be.matmul(be.tensor(a), be.tensor(b), { transA, transB, out: c, accumulate: true });
      keep(`${form} accumulate`, c.toMatrix().data);
    }
  }
  // every op of the table, on every awkward size in 1, 3 and 17 rows
  for (const op of OP_LIST) {
    for (const n of SIZES) {
      for (const rows of [1, 3, 17]) {
        const { got } = runAgainstReference(op.name, be, rows, n, rows * 1000 + n);
        got.forEach((g, i) => keep(`${op.name} ${rows}×${n} output ${i}`, g));
      }
    }
  }
  // sums of squares over many blocks (8192 elements each), split across threads by blocks
  for (const n of [8193, 50001, 300007]) keep(`sumSquares 1×${n}`, [be.sumSquares(M(1, n))]);
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
  // every op on every thread: the governor may not set any aside
  ADAPT.enabled = false;
  try {
    const results: Map<string, Float64Array>[] = [];
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
      for (const [name, r] of results[t]) {
        if (!same(r, results[0].get(name)!)) differ.push(`${name} on ${THREADS[t]} threads`);
      }
    }
    return { variant, differ };
  } finally {
    Object.assign(MIN_SHARE, saved);
    ADAPT.enabled = true;
  }
}
