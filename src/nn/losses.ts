// Losses. The gradient is computed on the backend; so is binary cross-entropy's value (the
// backend's sigmoidCrossEntropy: in JS it was most of a small network's step); the other two
// values in float64 in JS from the model's output (a few numbers per example). Binary
// cross-entropy after sigmoid and categorical cross-entropy after softmax work from the logits
// z, never from log(a):
//   BCE = mean over examples of  max(z, 0) − z·y + log1p(exp(−|z|))
//   CE  = mean over examples of  logsumexp(z) − Σ y·z
// so an output of exactly 0 or 1 never makes the cost or a gradient infinite, and the gradient
// with respect to z is (a − y)/m.
import type { Backend, Tensor } from '../backends/backend.js';
import { describe, type FloatArray } from '../core/matrix.js';
import { exp, log } from '../core/libm.js';

/** The losses fit, evaluate, gradCheck and inspect take. */
export type LossName = 'binaryCrossEntropy' | 'categoricalCrossEntropy' | 'meanSquaredError';
export const LOSSES: LossName[] = ['binaryCrossEntropy', 'categoricalCrossEntropy', 'meanSquaredError'];

export interface Loss {
  name: LossName;
  /** the activation the loss is fused with (the model must end in it), if any */
  fusedWith: 'sigmoid' | 'softmax' | null;
  /**
   * the loss of a batch: `out` holds logits z when fused, else the outputs a; `yData` is y's
   * values and `scratch` has room for out's
   */
  value(be: Backend, out: Tensor, y: Tensor, yData: FloatArray, scratch: FloatArray): number;
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
  value(be, z, y) {
    return (1 / z.rows) * be.sigmoidCrossEntropy(z, y);
  },
  gradient(be, a, y, grad) {
    residual(be, a, y, grad, 1 / a.rows);
  },
};

const categoricalCrossEntropy: Loss = {
  name: 'categoricalCrossEntropy',
  fusedWith: 'softmax',
  value(be, out, _y, y, z) {
    be.readInto(out, z);
    const rows = out.rows,
      cols = out.cols;
    let s = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let m = -Infinity;
      for (let c = 0; c < cols; c++) m = Math.max(m, z[o + c]);
      let e = 0,
        yz = 0,
        ys = 0;
      for (let c = 0; c < cols; c++) {
        e += exp(z[o + c] - m);
        yz += y[o + c] * z[o + c];
        ys += y[o + c];
      }
      s += ys * (m + log(e)) - yz;
    }
    return s / rows;
  },
  gradient(be, a, y, grad) {
    residual(be, a, y, grad, 1 / a.rows);
  },
};

/** Mean over examples of Σ (a − y)² / 2 over outputs: the gradient is (a − y)/m. */
const meanSquaredError: Loss = {
  name: 'meanSquaredError',
  fusedWith: null,
  value(be, out, _y, y, a) {
    be.readInto(out, a);
    let s = 0;
    for (let i = 0; i < out.size; i++) s += (a[i] - y[i]) ** 2;
    return s / (2 * out.rows);
  },
  gradient(be, a, y, grad) {
    residual(be, a, y, grad, 1 / a.rows);
  },
};

export function getLoss(name: LossName): Loss {
  return { binaryCrossEntropy, categoricalCrossEntropy, meanSquaredError }[checkLoss(name)];
}

/** The loss that fits a model ending in this layer type: binaryCrossEntropy after sigmoid, categoricalCrossEntropy after softmax, else meanSquaredError. */
export function defaultLossAfter(lastType: string): LossName {
  if (lastType === 'sigmoid') return 'binaryCrossEntropy';
  return lastType === 'softmax' ? 'categoricalCrossEntropy' : 'meanSquaredError';
}
