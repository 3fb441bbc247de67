// How each op's work splits across threads so that every result is bit-identical for any
// thread count: matmul by blocks of C's rows or columns (never its k range: each element's
// sum keeps its order; the operand every block needs whole is packed once, first),
// elementwise ops by ranges of elements, row-wise ops by rows. Ranges start at multiples of 64
// elements, so every element goes through the same code path (vector main loop, vector
// remainder, scalar tail) as on one thread. A sum of squares is a sum of fixed blocks' sums
// (the kernel's definition, on one thread too), so threads take whole blocks and the caller
// adds them in order. Other reductions over a whole tensor (the loss, sumCols) stay on one
// thread, and so do ops too small to repay handing out (the notebook's 2-10-5-1 net never
// leaves the calling thread). An op is cut into more chunks than threads (up to
// CHUNKING.perThread each), taken one at a time by whichever thread is free (pool.ts), so a
// thread that starts late or runs slow costs that much, not a whole share.
import { Governor, keyOf } from './adapt.js';
import { MAX_ARGS, MAX_CHUNKS, type Pool } from './pool.js';

type Fn = (...args: number[]) => number;

/** Sizes below which an op stays on the calling thread (checked with npm run bench:threads). */
export const MIN_SHARE = {
  /** multiply-adds per thread */
  matmul: 1 << 15,
  /** elements per thread, cheap ops (relu, scale, axpy, mul, sub, the backward ops, momentum) */
  cheap: 1 << 14,
  /** elements per thread, ops with exp or a divide (sigmoid, tanh, softmax, adam, fused bias ops) */
  costly: 1 << 12,
};

/** How ops are cut into chunks (checked with npm run bench:threads). */
export const CHUNKING = {
  /** chunks per thread at most: enough that the others make up for a late one */
  perThread: 4,
  /** a matmul chunk spans at least this many rows or columns of C where it can */
  matmulSpan: 64,
  /** matmul's first chunk is this many times its last (see bounds) */
  taper: 3,
};

/**
 * Boundaries b[0]=0 < … < b[parts]=n of parts that shrink geometrically, the first `taper`
 * times the last (1: equal parts), each a multiple of align but the last. matmul's taper: the
 * big ones are taken first, so what a thread is still finishing when the others run out is a
 * small one. (Equal parts left the calling thread idle 4.7–20.3% of a 2-thread product's time,
 * tapered ones 2.1–5.8%.) parts must be at most ceil(n / align).
 */
function bounds(n: number, parts: number, align: number, taper = 1): number[] {
  const r = parts > 1 ? taper ** (-1 / (parts - 1)) : 1;
  let total = 0;
  for (let p = 0; p < parts; p++) total += r ** p;
  const units = Math.ceil(n / align);
  const b = [0];
  let w = 0;
  for (let p = 1; p < parts; p++) {
    w += r ** (p - 1);
    // at least one unit for this part and for each one after it
    const at = Math.round((units * w) / total) * align;
    b.push(Math.min((units - (parts - p)) * align, Math.max(b[p - 1] + align, at)));
  }
  b.push(n);
  return b;
}

export class Splitter {
  /** each kernel's index in the module's exports, as the workers know them */
  private readonly indexOf: Map<string, number>;
  /** how many of the threads the next op uses (adapt.ts) */
  readonly governor: Governor;

  constructor(
    private readonly pool: Pool,
    private readonly id: number,
    readonly threads: number,
    names: readonly string[],
    private readonly bytesPer: number,
    /** each thread's matmul scratch */
    private readonly scratch: readonly number[],
    /** the matmul micro-tile's rows (4, or 6 in the relaxed build) */
    private readonly tileRows: number,
  ) {
    this.indexOf = new Map(names.map((name, i) => [name, i]));
    this.governor = new Governor(threads, performance.now());
  }

  private index(name: string): number {
    const i = this.indexOf.get(name);
    if (i === undefined) throw new Error(`split: the kernel module has no export ${name}`);
    return i;
  }

  private run(threads: number, fn: Fn, fnIndex: number, chunks: number[][], scratchAt = -1): void {
    this.pool.run(this.id, threads - 1, { fn: fnIndex, chunks, scratchAt }, fn);
  }

  /**
   * Runs an op big enough to split on as many threads as the governor chooses, timed for it:
   * `split(threads)` on more than one, `alone()` on one (the whole op: the same bits).
   */
  private governed(kernel: number, work: number, split: (threads: number) => void, alone: () => void): true {
    const g = this.governor,
      t0 = performance.now(),
      level = g.choose(t0),
      threads = g.levels[level];
    // a dead worker fails the backend's ops on any number of threads, as it always did
    this.pool.check(this.threads - 1);
    if (threads > 1) split(threads);
    else alone();
    g.record(level, keyOf(kernel, work), work, t0, performance.now());
    return true;
  }

  /**
   * An op over n items (elements, rows or fixed blocks): args[nAt] is the count, args at
   * `offsetAt` are pointers that advance by `itemBytes` per item, and args[indexAt] (if given)
   * the index of the first item. Returns false when it is too small to split.
   */
  items(
    name: string,
    fn: Fn,
    args: number[],
    nAt: number,
    offsetAt: readonly number[],
    itemBytes: number,
    minPerThread: number,
    align: number,
    indexAt = -1,
  ): boolean {
    if (args.length > MAX_ARGS) throw new Error(`split: ${name} has ${args.length} arguments, more than ${MAX_ARGS}`);
    const n = args[nAt];
    if (Math.min(this.threads, Math.floor(n / minPerThread), Math.ceil(n / align)) < 2) return false;
    const kernel = this.index(name);
    const split = (threads: number) => {
      const parts = Math.min(maxChunks(threads), Math.floor(n / minPerThread), Math.ceil(n / align));
      const b = bounds(n, parts, align);
      const chunks: number[][] = [];
      for (let p = 0; p < parts; p++) {
        const a = args.slice();
        a[nAt] = b[p + 1] - b[p];
        for (const i of offsetAt) a[i] += b[p] * itemBytes;
        if (indexAt >= 0) a[indexAt] += b[p];
        chunks.push(a);
      }
      this.run(threads, fn, kernel, chunks);
    };
    return this.governed(kernel, n, split, () => fn(...args));
  }

  /** A row-wise op: args[0] rows, args[1] cols, pointers at ptrAt advance a row at a time. */
  rows(name: string, fn: Fn, args: number[], ptrAt: readonly number[]): boolean {
    const cols = args[1];
    return this.items(name, fn, args, 0, ptrAt, cols * this.bytesPer, Math.ceil(MIN_SHARE.costly / cols), 1);
  }

  /**
   * matmul (args as the kernel takes them, with 0, M, 0, N as the range and packed 0): split
   * along the larger of C's dimensions, in blocks of whole micro-tiles (4 or 6 rows, 8 columns).
   * Every block needs the whole of the other operand: it is packed once, first (split by its own
   * rows or columns when big), into a buffer of the backend's, and each block then packs only
   * its part of the operand it splits, into its thread's scratch.
   */
  matmul(k: MatmulKernels, args: number[]): boolean {
    const [, , M, N, K] = args;
    const byCols = N >= M;
    const dim = byCols ? N : M,
      align = byCols ? 8 : this.tileRows;
    const most = Math.min(Math.floor((M * N * K) / MIN_SHARE.matmul), Math.floor(dim / align));
    if (Math.min(this.threads, most) < 2) return false;
    return this.governed(
      this.index(k.matmul.name),
      M * N * K,
      (threads) => this.matmulOn(threads, k, args, most, byCols, align),
      () => k.matmul.fn(...args),
    );
  }

  /** matmul's split on this many threads, along C's columns (byCols) or rows. */
  private matmulOn(
    threads: number,
    k: MatmulKernels,
    args: number[],
    most: number,
    byCols: boolean,
    align: number,
  ): void {
    const [transA, transB, M, N, K] = args;
    const dim = byCols ? N : M;
    const parts = Math.min(most, maxChunks(threads), Math.max(threads, Math.floor(dim / CHUNKING.matmulSpan)));
    // 1. the shared operand: op(A) for blocks of columns, op(B) for blocks of rows
    const which = byCols ? 1 : 2,
      other = byCols ? M : N,
      unit = byCols ? this.tileRows : 32 / this.bytesPer;
    const packed = k.buffer(k.packedBytes(which, other, K));
    const pack = byCols ? k.packA : k.packB;
    const packArgs = [byCols ? transA : transB, other, K, args[byCols ? 5 : 6], packed, 0, other];
    const packParts = Math.min(threads, Math.floor((other * K) / MIN_SHARE.cheap), Math.ceil(other / unit));
    if (packParts < 2) pack.fn(...packArgs);
    else this.run(threads, pack.fn, this.index(pack.name), rangeChunks(packArgs, bounds(other, packParts, unit), 5));
    // 2. the blocks of C, over the packed operand
    const blocks = args.slice();
    blocks[9] = this.scratch[0];
    blocks[byCols ? 5 : 6] = packed;
    blocks[14] = which;
    this.run(
      threads,
      k.matmul.fn,
      this.index(k.matmul.name),
      rangeChunks(blocks, bounds(dim, parts, align, CHUNKING.taper), byCols ? 12 : 10),
      9,
    );
  }
}

/** Chunks an op on this many threads is cut into at most. */
const maxChunks = (threads: number): number => Math.min(MAX_CHUNKS, CHUNKING.perThread * threads);

/** One chunk a part: args with the part's range [b[p], b[p + 1]) at arguments at, at + 1. */
function rangeChunks(args: readonly number[], b: readonly number[], at: number): number[][] {
  return b.slice(1).map((end, p) => {
    const a = args.slice();
    a[at] = b[p];
    a[at + 1] = end;
    return a;
  });
}

/** The kernels a threaded matmul uses, with a buffer for the operand packed once. */
export interface MatmulKernels {
  matmul: { name: string; fn: Fn };
  packA: { name: string; fn: Fn };
  packB: { name: string; fn: Fn };
  /** bytes matmul_pack_a (1) or matmul_pack_b (2) writes for that many rows or columns of K */
  packedBytes: (which: number, n: number, K: number) => number;
  /** a 16-aligned buffer of at least that many bytes, the same one while it is big enough */
  buffer: (bytes: number) => number;
}
