// Losses. The value is computed in float64 in JS from the model's output (a few numbers per
// example); the gradient on the backend. Binary cross-entropy after sigmoid and categorical
// cross-entropy after softmax work from the logits z, never from log(a):
//   BCE = mean over examples of  max(z, 0) − z·y + log1p(exp(−|z|))
//   CE  = mean over examples of  logsumexp(z) − Σ y·z
// so an output of exactly 0 or 1 never makes the cost or a gradient infinite, and the gradient
// with respect to z is (a − y)/m.
import type { Backend, Tensor } from '../backends/backend.js';
import { describe, type FloatArray } from '../matrix.js';

export type LossName = 'binaryCrossEntropy' | 'categoricalCrossEntropy' | 'meanSquaredError';
export const LOSSES: LossName[] = ['binaryCrossEntropy', 'categoricalCrossEntropy', 'meanSquaredError'];

export interface Loss {
  name: LossName;
  /** the activation the loss is fused with (the model must end in it), if any */
  fusedWith: 'sigmoid' | 'softmax' | null;
  /** the loss of a batch: `out` holds logits z when fused, else the outputs a */
  value(out: FloatArray, y: FloatArray, rows: number, cols: number): number;
  /** dL/dz when fused (from a), else dL/da, into `grad` */
  gradient(be: Backend, a: Tensor, y: Tensor, grad: Tensor): void;
}

export function checkLoss(name: unknown): LossName {
  if (!LOSSES.includes(name as LossName)) {
    throw new Error(`unknown loss ${describe(name)}; use one of ${LOSSES.map((s) => `'${s}'`).join(', ')}`);
  }
  return name as LossName;
}

/** (a − y)/m: the gradient of the fused losses with respect to the logits, and of MSE/2. */
function residual(be: Backend, a: Tensor, y: Tensor, grad: Tensor, scale: number): void {
  be.sub(a, y, grad);
  be.scale(grad, scale, grad);
}

const binaryCrossEntropy: Loss = {
  name: 'binaryCrossEntropy',
  fusedWith: 'sigmoid',
  value(z, y, rows, cols) {
    let s = 0;
    for (let i = 0; i < rows * cols; i++) {
      const v = z[i];
      s += Math.max(v, 0) - v * y[i] + Math.log1p(Math.exp(-Math.abs(v)));
    }
    return (1 / rows) * s;
  },
  gradient(be, a, y, grad) { residual(be, a, y, grad, 1 / a.rows); },
};

const categoricalCrossEntropy: Loss = {
  name: 'categoricalCrossEntropy',
  fusedWith: 'softmax',
  value(z, y, rows, cols) {
    let s = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let m = -Infinity;
      for (let c = 0; c < cols; c++) m = Math.max(m, z[o + c]);
      let e = 0, yz = 0, ys = 0;
      for (let c = 0; c < cols; c++) {
        e += Math.exp(z[o + c] - m);
        yz += y[o + c] * z[o + c];
        ys += y[o + c];
      }
      s += ys * (m + Math.log(e)) - yz;
    }
    return s / rows;
  },
  gradient(be, a, y, grad) { residual(be, a, y, grad, 1 / a.rows); },
};

/** Mean over examples of Σ (a − y)² / 2 over outputs: the gradient is (a − y)/m. */
const meanSquaredError: Loss = {
  name: 'meanSquaredError',
  fusedWith: null,
  value(a, y, rows, cols) {
    let s = 0;
    for (let i = 0; i < rows * cols; i++) s += (a[i] - y[i]) ** 2;
    return s / (2 * rows);
  },
  gradient(be, a, y, grad) { residual(be, a, y, grad, 1 / a.rows); },
};

export function getLoss(name: LossName): Loss {
  return { binaryCrossEntropy, categoricalCrossEntropy, meanSquaredError }[checkLoss(name)];
}
