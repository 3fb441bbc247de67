// The table's ops bound to the kernel module's exports: each call lays out the kernel's
// arguments as the table says (sizes, scalars, pointers) in an array kept per op, so a call
// allocates nothing; a threaded backend hands an op big enough to repay it to the splitter,
// which cuts it by the table's split (ranges of elements or rows; blocks for a sum of squares).
import type { Kernels, Tensor } from '../backend.js';
import { OP_LIST } from '../ops.js';
import { MIN_SHARE, type Splitter } from './threads/split.js';

export type Fn = (...args: number[]) => number;

/** Calls f with the first n values of a, without spreading (no allocation). */
function call(f: Fn, a: Float64Array, n: number): number {
  switch (n) {
    case 2:
      return f(a[0], a[1]);
    case 3:
      return f(a[0], a[1], a[2]);
    case 4:
      return f(a[0], a[1], a[2], a[3]);
    case 5:
      return f(a[0], a[1], a[2], a[3], a[4]);
    case 6:
      return f(a[0], a[1], a[2], a[3], a[4], a[5]);
    case 7:
      return f(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    case 8:
      return f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    case 11:
      return f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]);
    default:
      return f(...a.subarray(0, n));
  }
}

interface Bound {
  name: string;
  f: Fn;
  /** the kernel's arguments, rewritten by each call */
  args: Float64Array;
  /** argument positions of the pointers that advance with a chunk (not a row applied to every row) */
  advancing: number[];
  /** leading size arguments: n; rows, cols; or n, first */
  lead: number;
  rows: boolean;
  indexed: boolean;
  /** how it splits across threads (serial: never) and the elements a thread must get at least */
  split: 'elements' | 'rows' | 'blocks' | 'serial';
  minShare: number;
}

/** A sum of squares threaded by blocks: the caller's own code (it reads the blocks' sums back). */
export type BlockSum = (x: Tensor) => number | null;

export function bindOps(
  fn: (name: string) => Fn,
  sfx: string,
  bytesPer: number,
  split: Splitter | undefined,
  blockSum: BlockSum,
): Kernels['run'] {
  const bound: Bound[] = OP_LIST.map((spec) => {
    const ptr0 = spec.lead + spec.scalars.length;
    const name = `${spec.kernel}_${sfx}`;
    return {
      name,
      f: fn(name),
      args: new Float64Array(ptr0 + spec.operands.length),
      advancing: spec.operands.flatMap(([, role], i) => (role === 'row' ? [] : [ptr0 + i])),
      lead: spec.lead,
      rows: spec.layout === 'rows',
      indexed: spec.layout === 'indexed',
      split: spec.split,
      minShare: spec.cost === 'costly' ? MIN_SHARE.costly : MIN_SHARE.cheap,
    };
  });
  return (spec, ts, scalars) => {
    const b = bound[spec.id],
      a = b.args,
      first = ts[0];
    let n = b.lead;
    if (b.rows) {
      a[0] = first.rows;
      a[1] = first.cols;
    } else {
      a[0] = first.rows * first.cols;
      if (b.indexed) a[1] = 0;
    }
    for (let j = 0; j < scalars.length; j++) a[n++] = scalars[j];
    for (let j = 0; j < ts.length; j++) a[n++] = ts[j].handle as number;
    if (split !== undefined && b.split !== 'serial' && first.rows * first.cols >= 2 * b.minShare) {
      const r = threaded(b, split, first, n);
      if (r !== null) return r;
    }
    return call(b.f, a, n);
  };

  /** The op's share handed out across threads: its value (0 for the others), or null when it ran on none. */
  function threaded(b: Bound, split: Splitter, first: Tensor, n: number): number | null {
    if (b.split === 'blocks') return blockSum(first);
    // a plain array of the arguments (the splitter copies and shifts it per chunk)
    const a: number[] = [];
    for (let j = 0; j < n; j++) a.push(b.args[j]);
    if (b.split === 'rows') return split.rows(b.name, b.f, a, b.advancing) ? 0 : null;
    return split.items(b.name, b.f, a, 0, b.advancing, bytesPer, b.minShare, 64, b.indexed ? 1 : -1) ? 0 : null;
  }
}
