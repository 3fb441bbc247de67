// What each op of the table means, as float64 loops written here from the formulas, not from the
// package: the reference every backend, dtype, build and thread count is held to. Each takes the
// kernel's arguments as the table lays them out (sizes, scalars, then arrays), in float64.
import type { OpName } from '../../src/backends/ops.js';

type F = Float64Array;
export type Reference = (...args: never[]) => number | void;

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const relu = (v: number) => (v > 0 ? v : v < 0 ? 0 : v); // NaN stays NaN

/** Wellons' lowbias32 mixer: the dropout mask's hash (its published constants). */
export function lowbias32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

const map = (f: (v: number) => number) => (n: number, x: F, y: F) => {
  for (let i = 0; i < n; i++) y[i] = f(x[i]);
};
const back = (f: (dy: number, y: number) => number) => (n: number, dy: F, y: F, dx: F) => {
  for (let i = 0; i < n; i++) dx[i] = f(dy[i], y[i]);
};
const addBiasThen = (f: (v: number) => number) => (rows: number, cols: number, x: F, b: F, y: F) => {
  for (let i = 0; i < rows * cols; i++) y[i] = f(x[i] + b[i % cols]);
};

export const REFERENCE: Record<OpName, Reference> = {
  relu: map(relu),
  sigmoid: map(sigmoid),
  tanh: map(Math.tanh),
  reluBackward: back((dy, y) => (y > 0 ? dy : 0)),
  sigmoidBackward: back((dy, y) => dy * y * (1 - y)),
  tanhBackward: back((dy, y) => dy * (1 - y * y)),
  softmax(rows: number, cols: number, x: F, y: F) {
    for (let r = 0; r < rows; r++) {
      const row = x.subarray(r * cols, (r + 1) * cols);
      const top = Math.max(...row);
      let sum = 0;
      for (let c = 0; c < cols; c++) sum += Math.exp(row[c] - top);
      for (let c = 0; c < cols; c++) y[r * cols + c] = Math.exp(row[c] - top) / sum;
    }
  },
  softmaxBackward(rows: number, cols: number, dy: F, y: F, dx: F) {
    for (let r = 0; r < rows; r++) {
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += dy[r * cols + c] * y[r * cols + c];
      for (let c = 0; c < cols; c++) dx[r * cols + c] = y[r * cols + c] * (dy[r * cols + c] - dot);
    }
  },
  addBias: addBiasThen((v) => v),
  addBiasRelu: addBiasThen(relu),
  addBiasSigmoid: addBiasThen(sigmoid),
  addBiasTanh: addBiasThen(Math.tanh),
  sumCols(rows: number, cols: number, x: F, out: F) {
    out.fill(0);
    for (let i = 0; i < rows * cols; i++) out[i % cols] += x[i];
  },
  scale(n: number, alpha: number, x: F, y: F) {
    for (let i = 0; i < n; i++) y[i] = alpha * x[i];
  },
  axpy(n: number, alpha: number, x: F, y: F) {
    for (let i = 0; i < n; i++) y[i] = y[i] + alpha * x[i];
  },
  mul(n: number, a: F, b: F, y: F) {
    for (let i = 0; i < n; i++) y[i] = a[i] * b[i];
  },
  sub(n: number, a: F, b: F, y: F) {
    for (let i = 0; i < n; i++) y[i] = a[i] - b[i];
  },
  scaleShift(rows: number, cols: number, x: F, s: F, b: F, y: F) {
    for (let i = 0; i < rows * cols; i++) y[i] = x[i] * s[i % cols] + b[i % cols];
  },
  batchNormBackward(rows: number, cols: number, dy: F, xh: F, a: F, b: F, k: F, dx: F) {
    for (let i = 0; i < rows * cols; i++) {
      const c = i % cols;
      dx[i] = dy[i] * a[c] + xh[i] * b[c] + k[c];
    }
  },
  sumAbs(n: number, x: F) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i] < 0 ? -x[i] : x[i];
    return s;
  },
  signAxpy(n: number, alpha: number, x: F, y: F) {
    for (let i = 0; i < n; i++) y[i] = y[i] + (x[i] > 0 ? alpha : x[i] < 0 ? -alpha : 0);
  },
  sumSquares(n: number, x: F) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i] ** 2;
    return s;
  },
  sigmoidCrossEntropy(n: number, z: F, y: F) {
    // −y·log σ(z) − (1−y)·log(1−σ(z)), written with log1p so that it is exact in float64
    let s = 0;
    for (let i = 0; i < n; i++) s += y[i] * Math.log1p(Math.exp(-z[i])) + (1 - y[i]) * Math.log1p(Math.exp(z[i]));
    return s;
  },
  dropoutMask(n: number, first: number, key: number, keep: number, out: F) {
    for (let i = 0; i < n; i++) {
      const u = (lowbias32((key ^ (first + i)) >>> 0) >>> 8) / 2 ** 24;
      out[i] = u < keep ? 1 / keep : 0;
    }
  },
  momentumUpdate(n: number, lr: number, beta: number, w: F, g: F, v: F) {
    for (let i = 0; i < n; i++) {
      v[i] = beta * v[i] + (1 - beta) * g[i];
      w[i] = w[i] - lr * v[i];
    }
  },
  adagradUpdate(n: number, lr: number, eps: number, w: F, g: F, s: F) {
    for (let i = 0; i < n; i++) {
      s[i] = s[i] + g[i] ** 2;
      w[i] = w[i] - (lr * g[i]) / (Math.sqrt(s[i]) + eps);
    }
  },
  rmspropUpdate(n: number, lr: number, beta: number, eps: number, w: F, g: F, s: F) {
    for (let i = 0; i < n; i++) {
      s[i] = beta * s[i] + (1 - beta) * g[i] ** 2;
      w[i] = w[i] - (lr * g[i]) / (Math.sqrt(s[i]) + eps);
    }
  },
  adamUpdate(
    n: number,
    lr: number,
    b1: number,
    b2: number,
    eps: number,
    c1: number,
    c2: number,
    w: F,
    g: F,
    m: F,
    v: F,
  ) {
    for (let i = 0; i < n; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] ** 2;
      w[i] = w[i] - (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
    }
  },
};
