// readInto: a tensor's values copied into an array the caller owns, on every backend, dtype,
// build and thread count: the same values toMatrix gives, the rest of the array untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/index.js';
import { SIZES, randomData } from '../helpers.js';
import { OP_CONFIGS } from './suite.js';

describe.each(OP_CONFIGS)('readInto on $label', ({ label, dtype, make }) => {
  let be: Backend;
  beforeAll(async () => {
    be = await make();
  });
  afterAll(() => be.dispose());
  it.each(SIZES)('copies every value, %i columns', (cols) => {
    const data = randomData(3 * cols, cols, dtype);
    const t = be.tensor({ rows: 3, cols, data });
    const dst = dtype === 'float64' ? new Float64Array(3 * cols + 2) : new Float32Array(3 * cols + 2);
    dst.fill(7);
    be.readInto(t, dst);
    expect(Array.from(dst.subarray(0, 3 * cols)), `readInto on ${label}`).toEqual(Array.from(data));
    expect(Array.from(dst.subarray(3 * cols))).toEqual([7, 7]);
    expect(() => be.readInto(t, dst.subarray(0, 3 * cols - 1))).toThrow(/shorter than \[3×/);
    t.dispose();
  });
});
