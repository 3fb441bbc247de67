// relu, sigmoid, tanh, softmax and their backward ops on every backend and dtype, against
// float64 formulas written here, over the whole range and at the extremes.
import { describe, expect, it } from 'vitest';
import { CONFIGS, SIZES, maxRelError, randomData, tol } from '../helpers.js';
import type { DType } from '../../src/index.js';

const refSigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const refs = { relu: (x: number) => (Number.isNaN(x) ? NaN : x > 0 ? x : 0), sigmoid: refSigmoid, tanh: Math.tanh };

/** The kernels' accuracy promise: relative error 1e-6 in f32 and 1e-14 in f64. */
const actTol = (dtype: DType): number => (dtype === 'float64' ? 1e-14 : 1e-6);
/** Below the smallest normal number only absolute error is meaningful. */
const tiny = (dtype: DType): number => (dtype === 'float64' ? 2.2250738585072014e-308 : 1.1754943508222875e-38);

/** Inputs over the whole range: a dense sweep, tiny values, huge values, the specials. */
function sweep(dtype: DType): number[] {
  const xs: number[] = [];
  const lim = dtype === 'float64' ? 760 : 110;
  for (let x = -lim; x <= lim; x += 0.0371) xs.push(x);
  for (let x = -3; x <= 3; x += 0.000513) xs.push(x);
  // f32 tanh's rational and its limit at 7.8
  for (let x = -10; x <= 10; x += 0.00123) xs.push(x);
  for (let e = -300; e <= 0; e += 0.5) xs.push(10 ** e, -(10 ** e));
  xs.push(
    0,
    -0,
    1000,
    -1000,
    1e30,
    -1e30,
    Infinity,
    -Infinity,
    NaN,
    5e-324,
    1e-45,
    88.7,
    -88.7,
    709.7,
    -709.7,
    745.1,
    -745.1,
  );
  return xs;
}

const NOTEBOOK_SOFTMAX = [
  [9.80897665e-1, 8.94462891e-4, 1.79657674e-2, 1.21052389e-4, 1.21052389e-4],
  [8.78679856e-1, 1.18916387e-1, 8.01252314e-4, 8.01252314e-4, 8.01252314e-4],
];

describe.each(CONFIGS)('activations on $label', ({ make, dtype }) => {
  for (const op of ['relu', 'sigmoid', 'tanh'] as const) {
    it(`${op} is accurate over the whole range, saturates cleanly and keeps NaN`, async () => {
      const be = await make();
      const xs = sweep(dtype);
      const x = be.tensor({ rows: 1, cols: xs.length, data: xs });
      const yT = be[op](x);
      const got = yT.toMatrix().data;
      yT.dispose();
      const xin = x.toMatrix().data; // what the backend holds (rounded to f32 in float32)
      const want = Array.from(xin, refs[op]);
      const wantRounded = dtype === 'float32' ? Array.from(new Float32Array(want)) : want;
      // relative error where the result is a normal number; absolute below
      expect(maxRelError(got, want, tiny(dtype))).toBeLessThanOrEqual(actTol(dtype));
      expect(maxRelError(got, wantRounded, tiny(dtype))).toBeLessThanOrEqual(actTol(dtype));
      const at = (v: number) => got[xs.indexOf(v)];
      expect(at(1000)).toBe(op === 'relu' ? 1000 : 1);
      expect(at(-1000)).toBe(op === 'tanh' ? -1 : 0);
      expect(at(Infinity)).toBe(op === 'relu' ? Infinity : 1);
      expect(at(-Infinity)).toBe(op === 'tanh' ? -1 : 0);
      expect(got[xs.findIndex(Number.isNaN)]).toBeNaN();
      expect(xs.filter((v, i) => !Number.isNaN(v) && Number.isNaN(got[i]))).toEqual([]);
      // never past the range, by rounding either (the backward formulas assume it)
      if (op !== 'relu') {
        const lo = op === 'tanh' ? -1 : 0;
        expect(Array.from(got).filter((v) => v < lo || v > 1)).toEqual([]);
      }
    });

    it(`addBias then ${op} (one pass) is ${op}(x + b) on every size`, async () => {
      const be = await make();
      for (const cols of SIZES) {
        const rows = cols === 1000 ? 2 : 3;
        const x = be.tensor({ rows, cols, data: randomData(rows * cols, cols + 7, dtype, -12, 12) });
        const b = be.tensor({ rows: 1, cols, data: randomData(cols, cols + 8, dtype, -4, 4) });
        const xd = x.toMatrix().data,
          bd = b.toMatrix().data;
        // x + b rounds to the dtype first, as the separate ops would store it
        const round = dtype === 'float32' ? Math.fround : (v: number) => v;
        const want = Array.from(xd, (v, i) => refs[op](round(v + bd[i % cols])));
        const y = be.addBias(x, b, undefined, op);
        expect(maxRelError(y.toMatrix().data, want, tiny(dtype)), `${rows}×${cols}`).toBeLessThanOrEqual(actTol(dtype));
        for (const t of [x, b, y]) t.dispose();
      }
      expect(be.memory().tensors).toBe(0);
    });

    it(`${op} and ${op}Backward on every size`, async () => {
      const be = await make();
      for (const n of SIZES) {
        const cols = n,
          rows = n === 1000 ? 3 : 2;
        const xd = randomData(rows * cols, n, dtype, -6, 6);
        const dyd = randomData(rows * cols, n + 100, dtype);
        const x = be.tensor({ rows, cols, data: xd });
        const dy = be.tensor({ rows, cols, data: dyd });
        const y = be[op](x);
        const yd = y.toMatrix().data;
        expect(maxRelError(yd, Array.from(xd, refs[op]), tiny(dtype))).toBeLessThanOrEqual(actTol(dtype));
        const dxT = be[`${op}Backward`](dy, y);
        const dx = dxT.toMatrix().data;
        const deriv = (v: number) =>
          op === 'relu' ? (v > 0 ? 1 : 0) : op === 'sigmoid' ? v * (1 - v) : (1 - v) * (1 + v);
        // derivative from the backend's own y: the backward formula is what is tested here
        const want = Array.from(yd, (v, i) => dyd[i] * deriv(v));
        expect(maxRelError(dx, want, 1e-3)).toBeLessThanOrEqual(tol(dtype));
        // in place: out = x
        be[op](x, x);
        expect(Array.from(x.toMatrix().data)).toEqual(Array.from(yd));
        for (const t of [x, dy, y, dxT]) t.dispose();
      }
      expect(be.memory().tensors).toBe(0);
    });
  }

  it('sigmoid matches the notebook values', async () => {
    const be = await make();
    const s = be.sigmoid([[1, -5]]).data;
    const t = dtype === 'float64' ? 1e-15 : 1e-7;
    expect(Math.abs(s[0] - 0.7310585786300049) / 0.7310585786300049).toBeLessThanOrEqual(t);
    expect(Math.abs(s[1] - 0.0066928509242848554) / 0.0066928509242848554).toBeLessThanOrEqual(t);
  });

  it('softmax matches the notebook values and rows sum to 1', async () => {
    const be = await make();
    const s = be.softmax([
      [9, 2, 5, 0, 0],
      [7, 5, 0, 0, 0],
    ]);
    // the notebook printed 9 significant digits
    expect(maxRelError(s.data, NOTEBOOK_SOFTMAX.flat())).toBeLessThanOrEqual(5e-9 / 1.2e-4 + 1e-6);
    for (let r = 0; r < 2; r++) {
      let sum = 0;
      for (let c = 0; c < 5; c++) sum += s.data[r * 5 + c];
      expect(Math.abs(sum - 1)).toBeLessThanOrEqual(dtype === 'float64' ? 1e-15 : 1e-6);
    }
  });

  it('softmax: a NaN in a row makes that row NaN and leaves the others alone', async () => {
    const be = await make();
    // the NaN row last, and in the middle (a row's pass also scales the one before and takes
    // the max of the one after)
    for (const [rows, bad] of [
      [2, 1],
      [3, 1],
    ]) {
      for (const cols of [3, 17, 33]) {
        const d = Array.from({ length: rows * cols }, (_, i) => Math.sin(i));
        d[bad * cols + (cols >> 1)] = NaN;
        const s = be.softmax({ rows, cols, data: d }).data;
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) expect(Number.isNaN(s[r * cols + c]), `row ${r} of ${rows}`).toBe(r === bad);
        }
      }
    }
  });

  it('softmax is accurate down through the subnormals and underflows to exactly 0', async () => {
    const be = await make();
    // one row: 0 (the max), then logits falling past the point where exp underflows
    const lim = dtype === 'float64' ? 760 : 110;
    const xs = [0];
    for (let v = -0.37; v > -lim; v -= 0.37) xs.push(v);
    xs.push(-1e30, -Infinity);
    const xd = dtype === 'float32' ? Array.from(new Float32Array(xs)) : xs;
    let sum = 0;
    for (const v of xd) sum += Math.exp(v);
    const want = xd.map((v) => Math.exp(v) / sum);
    const got = be.softmax({ rows: 1, cols: xd.length, data: xd }).data;
    expect(maxRelError(got, want, tiny(dtype))).toBeLessThanOrEqual(actTol(dtype) * 10);
    expect(got[got.length - 1]).toBe(0);
    expect(got[got.length - 2]).toBe(0);
  });

  it('softmax and softmaxBackward on every size, with huge and -Infinity logits', async () => {
    const be = await make();
    for (const cols of SIZES) {
      for (const rows of [1, 3, 17]) {
        const xd = randomData(rows * cols, cols * 31 + rows, dtype, -30, 30);
        if (cols > 2) {
          xd[0] = 1e4;
          xd[1] = -Infinity;
        }
        const dyd = randomData(rows * cols, cols + rows, dtype);
        const want = new Float64Array(rows * cols);
        for (let r = 0; r < rows; r++) {
          let m = -Infinity,
            s = 0;
          for (let c = 0; c < cols; c++) m = Math.max(m, xd[r * cols + c]);
          for (let c = 0; c < cols; c++) s += Math.exp(xd[r * cols + c] - m);
          for (let c = 0; c < cols; c++) want[r * cols + c] = Math.exp(xd[r * cols + c] - m) / s;
        }
        const x = be.tensor({ rows, cols, data: xd });
        const y = be.softmax(x);
        const yd = y.toMatrix().data;
        expect(maxRelError(yd, want, tiny(dtype)), `${rows}×${cols}`).toBeLessThanOrEqual(actTol(dtype) * 10);
        const dy = be.tensor({ rows, cols, data: dyd });
        const dxT = be.softmaxBackward(dy, y);
        const dx = dxT.toMatrix().data;
        const wantDx = new Float64Array(rows * cols);
        for (let r = 0; r < rows; r++) {
          let dot = 0;
          for (let c = 0; c < cols; c++) dot += dyd[r * cols + c] * yd[r * cols + c];
          for (let c = 0; c < cols; c++) wantDx[r * cols + c] = yd[r * cols + c] * (dyd[r * cols + c] - dot);
        }
        // the size of the terms that cancel in y·(dy − dot) sets the attainable accuracy
        let scale = 0;
        for (let r = 0; r < rows; r++) {
          let dot = 0;
          for (let c = 0; c < cols; c++) dot += Math.abs(dyd[r * cols + c] * yd[r * cols + c]);
          for (let c = 0; c < cols; c++)
            scale = Math.max(scale, Math.abs(yd[r * cols + c]) * (Math.abs(dyd[r * cols + c]) + dot));
        }
        expect(maxRelError(dx, wantDx, scale)).toBeLessThanOrEqual(tol(dtype) * 10);
        // in place: out = x, row after row, gives the same numbers
        be.softmax(x, x);
        expect(Array.from(x.toMatrix().data)).toEqual(Array.from(yd));
        for (const t of [x, y, dy, dxT]) t.dispose();
      }
    }
    expect(be.memory().tensors).toBe(0);
  });
});
