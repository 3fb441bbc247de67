// How each op's work splits across threads so that every result is bit-identical for any
// thread count: matmul by blocks of C's rows or columns (never its k range: each element's
// sum keeps its order), elementwise ops by ranges of elements, row-wise ops by rows. Ranges
// start at multiples of 64 elements, so every element goes through the same code path (vector
// main loop, vector remainder, scalar tail) as on one thread. Reductions over the whole tensor
// (sumSquares, the loss, sumCols) stay on one thread, and so do ops too small to repay handing
// out (the notebook's 2-10-5-1 net never leaves the calling thread).
import { MAX_ARGS, type Pool, type Share } from './pool.js';

type Fn = (...args: number[]) => number;

/** Sizes below which an op stays on the calling thread (measured: bench/threads.ts). */
export const MIN_SHARE = {
  /** multiply-adds per thread */
  matmul: 1 << 15,
  /** elements per thread, cheap ops (relu, scale, axpy, mul, sub, the backward ops, momentum) */
  cheap: 1 << 14,
  /** elements per thread, ops with exp or a divide (sigmoid, tanh, softmax, adam, fused bias ops) */
  costly: 1 << 12,
};

/** Boundaries b[0]=0 < … < b[parts]=n, each a multiple of align but the last. */
function bounds(n: number, parts: number, align: number): number[] {
  const units = Math.ceil(n / align);
  const b = [0];
  for (let p = 1; p < parts; p++) b.push(Math.min(n, Math.round((units * p) / parts) * align));
  b.push(n);
  return b;
}

export class Splitter {
  /** each kernel's index in the module's exports, as the workers know them */
  private readonly indexOf: Map<string, number>;

  constructor(
    private readonly pool: Pool,
    private readonly id: number,
    readonly threads: number,
    names: readonly string[],
    private readonly bytesPer: number,
    /** each thread's matmul scratch */
    private readonly scratch: readonly number[],
  ) {
    this.indexOf = new Map(names.map((name, i) => [name, i]));
  }

  private index(name: string): number {
    const i = this.indexOf.get(name);
    if (i === undefined) throw new Error(`split: the kernel module has no export ${name}`);
    return i;
  }

  private run(fn: Fn, fnIndex: number, shares: number[][]): void {
    const list: Share[] = shares.map((args) => ({ fn: fnIndex, args }));
    this.pool.run(this.id, list, () => fn(...shares[0]));
  }

  /**
   * An op over n items (elements or rows): args[nAt] is the count, args at `offsetAt` are
   * pointers that advance by `itemBytes` per item. Returns false when it is too small to split.
   */
  items(name: string, fn: Fn, args: number[], nAt: number, offsetAt: readonly number[], itemBytes: number, minPerThread: number, align: number): boolean {
    if (args.length > MAX_ARGS) throw new Error(`split: ${name} has ${args.length} arguments, more than ${MAX_ARGS}`);
    const n = args[nAt];
    const parts = Math.min(this.threads, Math.floor(n / minPerThread));
    if (parts < 2) return false;
    const b = bounds(n, parts, align);
    const shares: number[][] = [];
    for (let p = 0; p < parts; p++) {
      if (b[p + 1] === b[p]) continue;
      const a = args.slice();
      a[nAt] = b[p + 1] - b[p];
      for (const i of offsetAt) a[i] += b[p] * itemBytes;
      shares.push(a);
    }
    this.run(fn, this.index(name), shares);
    return true;
  }

  /** An elementwise op on n elements. */
  elements(name: string, fn: Fn, args: number[], nAt: number, ptrAt: readonly number[], costly: boolean): boolean {
    return this.items(name, fn, args, nAt, ptrAt, this.bytesPer, costly ? MIN_SHARE.costly : MIN_SHARE.cheap, 64);
  }

  /** A row-wise op: args[0] rows, args[1] cols, pointers at ptrAt advance a row at a time. */
  rows(name: string, fn: Fn, args: number[], ptrAt: readonly number[]): boolean {
    const cols = args[1];
    return this.items(name, fn, args, 0, ptrAt, cols * this.bytesPer, Math.ceil(MIN_SHARE.costly / cols), 1);
  }

  /**
   * matmul (args as the kernel takes them, with 0, M, 0, N as the range): split along the
   * larger of C's dimensions, in blocks of whole micro-tiles (4 rows, 8 columns), each share
   * with its own scratch.
   */
  matmul(name: string, fn: Fn, args: number[]): boolean {
    const M = args[2], N = args[3], K = args[4];
    const byCols = N >= M;
    const dim = byCols ? N : M, align = byCols ? 8 : 4;
    const parts = Math.min(this.threads, Math.floor((M * N * K) / MIN_SHARE.matmul), Math.floor(dim / align));
    if (parts < 2) return false;
    const b = bounds(dim, parts, align);
    const shares: number[][] = [];
    for (let p = 0; p < parts; p++) {
      const a = args.slice();
      a[9] = this.scratch[shares.length];
      if (byCols) { a[12] = b[p]; a[13] = b[p + 1]; } else { a[10] = b[p]; a[11] = b[p + 1]; }
      shares.push(a);
    }
    this.run(fn, this.index(name), shares);
    return true;
  }
}
