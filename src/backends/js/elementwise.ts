// Elementwise ops and reductions, reference semantics.
import type { FloatArray } from '../../core/matrix.js';

export function sumCols(rows: number, cols: number, x: FloatArray, out: FloatArray): void {
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += x[r * cols + c];
    out[c] = s;
  }
}

export function scale(n: number, alpha: number, x: FloatArray, y: FloatArray): void {
  for (let i = 0; i < n; i++) y[i] = alpha * x[i];
}

export function axpy(n: number, alpha: number, x: FloatArray, y: FloatArray): void {
  for (let i = 0; i < n; i++) y[i] += alpha * x[i];
}

export function mul(n: number, a: FloatArray, b: FloatArray, y: FloatArray): void {
  for (let i = 0; i < n; i++) y[i] = a[i] * b[i];
}

export function sub(n: number, a: FloatArray, b: FloatArray, y: FloatArray): void {
  for (let i = 0; i < n; i++) y[i] = a[i] - b[i];
}

/** Σ x², in float64. */
export function sumSquares(n: number, x: FloatArray): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] * x[i];
  return s;
}
