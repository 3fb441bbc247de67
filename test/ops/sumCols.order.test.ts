// sumCols adds each column's rows in order, whatever the column's position. The bias gradient of a
// layer is sumCols of dZ: when a unit's sum depended on its column (a SIMD block, a single vector,
// the scalar remainder each adding in an order of its own), units that start identical (zeros
// initialization) got gradients an ulp apart, and Adam grew that into units that differ: the
// symmetry lesson showed symmetry broken by rounding, and the engines disagreed.
import { describe, expect, it } from 'vitest';
import { CONFIGS, SIZES, randomData } from '../helpers.js';

describe.each(CONFIGS)('sumCols on $label', ({ label, make, dtype }) => {
  // wasm adds in the dtype; the js backend adds in float64 and rounds the sum once
  const inDtype = dtype === 'float32' && !label.startsWith('js');
  const round = inDtype ? Math.fround : (v: number) => v;

  it('gives the bits of adding each column down its rows in order', async () => {
    const be = await make();
    for (const cols of SIZES)
      for (const rows of [1, 2, 3, 5, 17, 300]) {
        const x = randomData(rows * cols, 7 * cols + rows, dtype, -1, 1);
        const got = be.sumCols(be.tensor({ rows, cols, data: x })).toMatrix().data;
        const want = new Float64Array(cols);
        for (let c = 0; c < cols; c++) {
          let s = 0;
          for (let r = 0; r < rows; r++) s = round(s + x[r * cols + c]);
          want[c] = dtype === 'float32' ? Math.fround(s) : s;
        }
        expect(Array.from(got), `${rows}×${cols}`).toEqual(Array.from(want));
      }
    be.dispose();
  });

  it('identical columns give identical sums in every position', async () => {
    const be = await make();
    for (const cols of SIZES) {
      const rows = 300;
      const col = randomData(rows, cols, dtype, -1e-3, 1e-3);
      const x = dtype === 'float64' ? new Float64Array(rows * cols) : new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) x.fill(col[r], r * cols, (r + 1) * cols);
      const got = be.sumCols(be.tensor({ rows, cols, data: x })).toMatrix().data;
      expect(new Set(got).size, `${rows}×${cols}`).toBe(1);
    }
    be.dispose();
  });
});
