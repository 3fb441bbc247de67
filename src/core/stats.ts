// Column statistics: each feature's mean and population variance (divided by m, as the course
// and Keras' Normalization.adapt compute them), summed in float64 in row order, two passes (the
// variance from the centred values, so a large mean costs no digits).
import type { Matrix } from './matrix.js';

/** Mean and variance of each column of x. */
export function columnStats(x: Matrix): { mean: Float64Array; variance: Float64Array } {
  const { rows, cols, data } = x;
  const mean = new Float64Array(cols),
    variance = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += data[r * cols + c];
  for (let c = 0; c < cols; c++) mean[c] /= rows;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const d = data[r * cols + c] - mean[c];
      variance[c] += d * d;
    }
  }
  for (let c = 0; c < cols; c++) variance[c] /= rows;
  return { mean, variance };
}
