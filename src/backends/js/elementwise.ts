// Elementwise ops and reductions, reference semantics.
import type { FloatArray } from '../../core/matrix.js';

export function addBias(rows: number, cols: number, x: FloatArray, b: FloatArray, y: FloatArray): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) y[r * cols + c] = x[r * cols + c] + b[c];
  }
}

export function sumCols(rows: number, cols: number, x: FloatArray, out: FloatArray): void {
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += x[r * cols + c];
    out[c] = s;
  }
}

export function scale(alpha: number, x: FloatArray, y: FloatArray): void {
  for (let i = 0; i < x.length; i++) y[i] = alpha * x[i];
}

export function axpy(alpha: number, x: FloatArray, y: FloatArray): void {
  for (let i = 0; i < x.length; i++) y[i] += alpha * x[i];
}

export function mul(a: FloatArray, b: FloatArray, y: FloatArray): void {
  for (let i = 0; i < a.length; i++) y[i] = a[i] * b[i];
}

export function sub(a: FloatArray, b: FloatArray, y: FloatArray): void {
  for (let i = 0; i < a.length; i++) y[i] = a[i] - b[i];
}

export function sumSquares(x: FloatArray): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}
