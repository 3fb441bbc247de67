// Running one op of the table through its public method on generated operands, beside the
// float64 reference run on the same values (as the backend holds them). No test framework here:
// the thread bit-identity test's child process uses it too.
import { OPS, type OpName } from '../../src/backends/ops.js';
import type { Backend, Tensor } from '../../src/index.js';
import { randomData } from '../helpers.js';
import { CALLS } from './calls.js';
import { REFERENCE } from './reference.js';

/** Runs one op on one backend and shape; returns each written operand and the float64 reference's. */
export function runAgainstReference(op: OpName, be: Backend, rows: number, cols: number, seed: number) {
  const spec = OPS[op],
    c = CALLS[op],
    dtype = be.dtype;
  const given: Tensor[] = [];
  const ref: Float64Array[] = [];
  spec.operands.forEach(([, role], i) => {
    const shape = role === 'row' || role === 'outRow' ? [1, cols] : [rows, cols];
    const n = shape[0] * shape[1];
    if (role === 'out' || role === 'outRow') {
      ref.push(new Float64Array(n));
      // an op whose only operand is its output is given that
      if (i === 0) given.push(be.zeros(shape[0], shape[1]));
      return;
    }
    const [lo, hi] = c.domain?.[i] ?? [-3, 3];
    const data = randomData(n, seed + 31 * i, dtype, lo, hi);
    given.push(be.tensor({ rows: shape[0], cols: shape[1], data }));
    ref.push(Float64Array.from(data));
  });
  const sizes = spec.layout === 'rows' ? [rows, cols] : spec.layout === 'indexed' ? [rows * cols, 0] : [rows * cols];
  const scalars = c.scalars?.(dtype) ?? [];
  const want = (REFERENCE[op] as (...a: unknown[]) => number | undefined)(...sizes, ...scalars, ...ref);
  const result = c.call(be, given);
  const got: ArrayLike<number>[] = [],
    expected: ArrayLike<number>[] = [];
  if (typeof result === 'number') {
    got.push([result]);
    expected.push([want as number]);
  }
  spec.operands.forEach(([, role], i) => {
    if (role === 'in' || role === 'row') return;
    const t = role === 'inout' || i < given.length ? given[i] : (result as Tensor);
    got.push(t.toMatrix().data);
    expected.push(ref[i]);
  });
  for (const t of given) t.dispose();
  if (result && typeof result === 'object' && !given.includes(result)) result.dispose();
  return { got, expected };
}
