// addBias, sumCols, scale, axpy, mul, sumSquares on every backend and dtype, on every size.
import { describe, expect, it } from 'vitest';
import { CONFIGS, SIZES, maxRelError, randomData, tol } from './helpers.js';

describe.each(CONFIGS)('elementwise on $label', ({ make, dtype }) => {
  it('every op matches float64 loops on every size', async () => {
    const be = await make();
    for (const cols of SIZES) {
      for (const rows of [1, 2, 7]) {
        const n = rows * cols;
        const xd = randomData(n, cols + rows, dtype, -3, 3);
        const yd = randomData(n, cols + rows + 1, dtype, -3, 3);
        const bd = randomData(cols, cols + rows + 2, dtype, -3, 3);
        const alpha = dtype === 'float64' ? -0.37 : Math.fround(-0.37);
        const x = be.tensor({ rows, cols, data: xd });
        const y = be.tensor({ rows, cols, data: yd });
        const b = be.tensor({ rows: 1, cols, data: bd });
        const at = `${rows}×${cols}`;

        const added = be.addBias(x, b);
        expect(maxRelError(added.toMatrix().data, Array.from(xd, (v, i) => v + bd[i % cols]), 1), at)
          .toBeLessThanOrEqual(tol(dtype));

        const sums = be.sumCols(x);
        const wantSums = new Float64Array(cols);
        for (let i = 0; i < n; i++) wantSums[i % cols] += xd[i];
        expect([sums.rows, sums.cols]).toEqual([1, cols]);
        expect(maxRelError(sums.toMatrix().data, wantSums, rows * 3), at).toBeLessThanOrEqual(tol(dtype));

        const scaled = be.scale(x, alpha);
        expect(maxRelError(scaled.toMatrix().data, Array.from(xd, (v) => alpha * v), 1), at).toBeLessThanOrEqual(tol(dtype));

        const prod = be.mul(x, y);
        expect(maxRelError(prod.toMatrix().data, Array.from(xd, (v, i) => v * yd[i]), 1), at).toBeLessThanOrEqual(tol(dtype));

        be.axpy(alpha, x, y);
        expect(maxRelError(y.toMatrix().data, Array.from(yd, (v, i) => v + alpha * xd[i]), 1), at).toBeLessThanOrEqual(tol(dtype));

        let ss = 0;
        for (const v of xd) ss += v * v;
        expect(Math.abs(be.sumSquares(x) - ss) / ss, at).toBeLessThanOrEqual(1e-12);

        for (const t of [x, y, b, added, sums, scaled, prod]) t.dispose();
      }
    }
    expect(be.memory().tensors).toBe(0);
  });

  it('ops write in place when out is an input', async () => {
    const be = await make();
    const x = be.tensor([[1, -2, 3], [4, 5, -6]]);
    be.scale(x, 2, x);
    be.addBias(x, be.tensor([[1, 1, 1]]), x);
    be.mul(x, x, x);
    expect(Array.from(x.toMatrix().data)).toEqual([9, 9, 49, 81, 121, 121]);
  });
});
