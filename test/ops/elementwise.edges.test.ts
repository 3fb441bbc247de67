// addBias, sumCols, scale, axpy, mul, sumSquares on every backend and dtype, on every size.
import { describe, expect, it } from 'vitest';
import { CONFIGS, SIZES, maxRelError, randomData, tol } from '../helpers.js';
import { lowbias32 } from './reference.js';

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
        expect(
          maxRelError(
            added.toMatrix().data,
            Array.from(xd, (v, i) => v + bd[i % cols]),
            1,
          ),
          at,
        ).toBeLessThanOrEqual(tol(dtype));

        const sums = be.sumCols(x);
        const wantSums = new Float64Array(cols);
        for (let i = 0; i < n; i++) wantSums[i % cols] += xd[i];
        expect([sums.rows, sums.cols]).toEqual([1, cols]);
        expect(maxRelError(sums.toMatrix().data, wantSums, rows * 3), at).toBeLessThanOrEqual(tol(dtype));

        const scaled = be.scale(x, alpha);
        expect(
          maxRelError(
            scaled.toMatrix().data,
            Array.from(xd, (v) => alpha * v),
            1,
          ),
          at,
        ).toBeLessThanOrEqual(tol(dtype));

        const prod = be.mul(x, y);
        expect(
          maxRelError(
            prod.toMatrix().data,
            Array.from(xd, (v, i) => v * yd[i]),
            1,
          ),
          at,
        ).toBeLessThanOrEqual(tol(dtype));

        be.axpy(alpha, x, y);
        expect(
          maxRelError(
            y.toMatrix().data,
            Array.from(yd, (v, i) => v + alpha * xd[i]),
            1,
          ),
          at,
        ).toBeLessThanOrEqual(tol(dtype));

        let ss = 0;
        for (const v of xd) ss += v * v;
        expect(Math.abs(be.sumSquares(x) - ss) / ss, at).toBeLessThanOrEqual(1e-12);

        for (const t of [x, y, b, added, sums, scaled, prod]) t.dispose();
      }
    }
    expect(be.memory().tensors).toBe(0);
  });

  it('sumSquares of long tensors (block by block, 8192 elements a block) matches a float64 loop', async () => {
    const be = await make();
    for (const n of [8191, 8192, 8193, 16385, 50001, 300007]) {
      const xd = randomData(n, n, dtype, -3, 3);
      let ss = 0;
      for (const v of xd) ss += v * v;
      const x = be.tensor({ rows: 1, cols: n, data: xd });
      expect(Math.abs(be.sumSquares(x) - ss) / ss, `n ${n}`).toBeLessThanOrEqual(1e-12);
      x.dispose();
    }
  });

  it('ops write in place when out is an input', async () => {
    const be = await make();
    const x = be.tensor([
      [1, -2, 3],
      [4, 5, -6],
    ]);
    be.scale(x, 2, x);
    be.addBias(x, be.tensor([[1, 1, 1]]), x);
    be.mul(x, x, x);
    expect(Array.from(x.toMatrix().data)).toEqual([9, 9, 49, 81, 121, 121]);
  });
});

// dropoutMask against the hash written out here: Wellons' lowbias32, key from (seed, step, layer),
// u_i = top 24 bits of mix(key ^ i) / 2^24, mask = u < keep ? 1/keep : 0, keep = 1 - rate in
// the backend's dtype.
const mix32 = lowbias32;
const keyOf = (seed: number, step: number, layer: number) =>
  mix32(mix32(mix32((seed ^ 0x9e3779b9) >>> 0) ^ step) ^ layer);
const top24 = (key: number, i: number) => mix32((key ^ i) >>> 0) >>> 8;

describe.each(CONFIGS)('dropoutMask on $label', ({ make, dtype }) => {
  const inDtype = (v: number) => (dtype === 'float32' ? Math.fround(v) : v);

  it('matches the hash formula on every size', async () => {
    const be = await make();
    for (const rate of [0.14, 0.25, 0.5, 0.1]) {
      const keep = inDtype(1 - rate);
      const scale = inDtype(1 / keep);
      for (const cols of SIZES) {
        const rows = 3;
        const [seed, step, layer] = [11, cols, 2];
        const key = keyOf(seed, step, layer);
        const want = Array.from({ length: rows * cols }, (_, i) => (top24(key, i) / 2 ** 24 < keep ? scale : 0));
        const out = be.zeros(rows, cols);
        be.dropoutMask(out, rate, seed, step, layer);
        expect(Array.from(out.toMatrix().data), `rate ${rate}, ${rows}×${cols}`).toEqual(want);
        out.dispose();
      }
    }
  });

  it('keeps the largest u below the threshold and drops the next, in the SIMD body and the tail', async () => {
    const be = await make();
    const keep = inDtype(0.9); // rate 0.1: keep·2^24 is 15099494.4 in f64, 15099494 in f32
    const kept = Math.ceil(keep * 2 ** 24) - 1;
    const [seed, layer] = [3, 1];
    for (const [u, want] of [
      [kept, inDtype(1 / keep)],
      [kept + 1, 0],
    ]) {
      // a step and an index where this value of u comes up
      let found: [number, number] | undefined;
      for (let step = 0; !found; step++) {
        const key = keyOf(seed, step, layer);
        for (let i = 0; i < 4096; i++)
          if (top24(key, i) === u) {
            found = [step, i];
            break;
          }
      }
      const [step, i] = found;
      for (const n of [i + 1, (i | 3) + 5]) {
        const out = be.zeros(1, n);
        be.dropoutMask(out, 0.1, seed, step, layer);
        expect(out.toMatrix().data[i], `u = ${u}, n = ${n}`).toBe(want);
        out.dispose();
      }
    }
  });
});
