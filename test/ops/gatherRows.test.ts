// gatherRows: out's rows are src's rows indices[start], indices[start + 1], … on every backend,
// dtype, build and thread count, against plain index arithmetic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/index.js';
import { SIZES, randomData, rng } from '../helpers.js';
import { OP_CONFIGS } from './suite.js';

describe.each(OP_CONFIGS)('gatherRows on $label', ({ label, dtype, make }) => {
  let be: Backend;
  beforeAll(async () => {
    be = await make();
  });
  afterAll(() => be.dispose());
  it.each(SIZES)('copies the indexed rows, %i columns', (cols) => {
    const rows = 17,
      data = randomData(rows * cols, cols, dtype);
    const src = be.tensor({ rows, cols, data });
    const r = rng(cols);
    const indices = Int32Array.from({ length: 40 }, () => Math.floor(r() * rows));
    for (const [start, count] of [
      [0, 1],
      [3, 5],
      [0, 40],
      [39, 1],
    ]) {
      const out = be.zeros(count, cols);
      be.gatherRows(src, indices, start, out);
      const want = new Float64Array(count * cols);
      for (let i = 0; i < count; i++)
        for (let c = 0; c < cols; c++) want[i * cols + c] = data[indices[start + i] * cols + c];
      expect(Array.from(out.toMatrix().data), `gatherRows on ${label}, rows ${start}…${start + count - 1}`).toEqual(
        Array.from(want),
      );
      out.dispose();
    }
    expect(() => be.gatherRows(src, indices, 38, be.zeros(3, cols))).toThrow(/rows 38\.\.40 are past the 40 indices/);
    src.dispose();
  });
});
