// Batch normalization's two per-column kernels, reference semantics (see assembly/normalization.ts).
import type { FloatArray } from '../../core/matrix.js';

/** y[r, c] = x[r, c]·scale[c] + shift[c] */
export function scaleShift(
  rows: number,
  cols: number,
  x: FloatArray,
  s: FloatArray,
  b: FloatArray,
  y: FloatArray,
): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0, o = r * cols; c < cols; c++) y[o + c] = x[o + c] * s[c] + b[c];
  }
}

/** dx[r, c] = dy[r, c]·a[c] + xhat[r, c]·b[c] + k[c] */
export function batchNormBackward(
  rows: number,
  cols: number,
  dy: FloatArray,
  xh: FloatArray,
  a: FloatArray,
  b: FloatArray,
  k: FloatArray,
  dx: FloatArray,
): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0, o = r * cols; c < cols; c++) dx[o + c] = dy[o + c] * a[c] + xh[o + c] * b[c] + k[c];
  }
}
