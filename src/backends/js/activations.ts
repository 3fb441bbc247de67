// Activations, reference semantics. Backward ops take the forward output y.
import type { FloatArray } from '../../core/matrix.js';
import { exp, tanh as tanhOf } from '../../core/libm.js';

export function relu(n: number, x: FloatArray, y: FloatArray): void {
  // NaN stays NaN, as in the wasm kernel
  for (let i = 0; i < n; i++) y[i] = x[i] < 0 ? 0 : x[i];
}

export function reluBackward(n: number, dy: FloatArray, y: FloatArray, dx: FloatArray): void {
  for (let i = 0; i < n; i++) dx[i] = y[i] > 0 ? dy[i] : 0;
}

export function sigmoid(n: number, x: FloatArray, y: FloatArray): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    // never exp of a positive number: no overflow, small results keep their digits
    const e = exp(-Math.abs(v));
    y[i] = (v >= 0 ? 1 : e) / (1 + e);
  }
}

export function sigmoidBackward(n: number, dy: FloatArray, y: FloatArray, dx: FloatArray): void {
  for (let i = 0; i < n; i++) dx[i] = dy[i] * (y[i] * (1 - y[i]));
}

export function tanh(n: number, x: FloatArray, y: FloatArray): void {
  for (let i = 0; i < n; i++) y[i] = tanhOf(x[i]);
}

export function tanhBackward(n: number, dy: FloatArray, y: FloatArray, dx: FloatArray): void {
  // (1 - y)(1 + y) rather than 1 - y²: no cancellation where |y| is near 1
  for (let i = 0; i < n; i++) dx[i] = dy[i] * ((1 - y[i]) * (1 + y[i]));
}

/** Row-wise softmax, shifted by the row max. */
export function softmax(rows: number, cols: number, x: FloatArray, y: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let c = 0; c < cols; c++) m = Math.max(m, x[o + c]);
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const e = exp(x[o + c] - m);
      y[o + c] = e;
      sum += e;
    }
    for (let c = 0; c < cols; c++) y[o + c] /= sum;
  }
}

export function softmaxBackward(rows: number, cols: number, dy: FloatArray, y: FloatArray, dx: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let dot = 0;
    for (let c = 0; c < cols; c++) dot += dy[o + c] * y[o + c];
    for (let c = 0; c < cols; c++) dx[o + c] = y[o + c] * (dy[o + c] - dot);
  }
}

/** y = x + b, b one row added to every row of x. */
export function addBias(rows: number, cols: number, x: FloatArray, b: FloatArray, y: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) y[r * cols + c] = x[r * cols + c] + b[c];
  }
}

/** addBias then relu, in place on y: the wasm kernel fuses the two with the same bits. */
export function addBiasRelu(rows: number, cols: number, x: FloatArray, b: FloatArray, y: FloatArray): void {
  addBias(rows, cols, x, b, y);
  relu(rows * cols, y, y);
}

export function addBiasSigmoid(rows: number, cols: number, x: FloatArray, b: FloatArray, y: FloatArray): void {
  addBias(rows, cols, x, b, y);
  sigmoid(rows * cols, y, y);
}

export function addBiasTanh(rows: number, cols: number, x: FloatArray, b: FloatArray, y: FloatArray): void {
  addBias(rows, cols, x, b, y);
  tanh(rows * cols, y, y);
}
