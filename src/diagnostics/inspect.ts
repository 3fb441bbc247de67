// dl.inspect: what goes on inside a network, per dense layer, from one forward and backward pass
// (dropout off, weights untouched). The figures the lessons are about: symmetry (units that are
// copies of each other), saturation (sigmoid and tanh in their flat tails), dead ReLUs, and the
// gradient's size layer by layer (vanishing, exploding).
import type { Tensor } from '../backends/backend.js';
import { type FloatArray, type MatrixLike, arrayFor } from '../core/matrix.js';
import { Activation } from '../nn/activations.js';
import type { ActivationStats, BatchNormStats, Inspection, LayerStats } from '../nn/inspection.js';
import { BatchNorm } from '../nn/batchnorm.js';
import { Dense } from '../nn/dense.js';
import { type Loss, type LossName, getLoss } from '../nn/losses.js';
import type { Labels } from '../nn/data.js';
import type { Model } from '../nn/model.js';
import { checkOptions } from '../core/options.js';
import { type Penalty, addPenaltyGradient, penaltyCost, penaltyOf } from '../nn/penalty.js';

export type { ActivationStats, BatchNormStats, Inspection, LayerStats } from '../nn/inspection.js';

/** The options of inspect. */
export interface InspectOptions {
  /** the loss the gradients are of */
  loss: LossName;
  /** λ of L2, included in the cost and the gradients (default 0): λ/(2m)·Σ‖W‖² */
  l2?: number;
  /** λ₁ of L1, included in the cost and the gradients (default 0): λ₁/m·Σ|W| */
  l1?: number;
}

/** One forward and backward pass on (x, y), dropout off, weights untouched: figures per dense layer. */
export function inspect(model: Model, x: MatrixLike, y: Labels, opts: InspectOptions): Inspection {
  if (!opts || typeof opts !== 'object') throw new Error('inspect: options are required, at least { loss }');
  checkOptions(opts, ['loss', 'l1', 'l2'], 'inspect');
  const loss = getLoss(opts.loss);
  model.checkLossFits(loss);
  const penalty = penaltyOf(opts, 'inspect');
  const X = model.inputs(x, 'inspect');
  const Y = model.labels(y, X.rows, 'inspect', loss);
  return model.transaction(() => {
    const be = model.backend;
    const xt = be.tensor(X),
      yt = be.tensor(Y);
    try {
      return inspectTensors(model, xt, yt, Y.data, loss, penalty);
    } finally {
      xt.dispose();
      yt.dispose();
    }
  });
}

/** @internal inspect on tensors already in backend memory (fit's inspectEvery) */
export function inspectTensors(
  model: Model,
  x: Tensor,
  y: Tensor,
  yData: FloatArray,
  loss: Loss,
  penalty: Penalty,
): Inspection {
  const be = model.backend,
    m = x.rows;
  const grad = be.zeros(m, model.outputSize);
  try {
    const named = model.namedParams();
    const weights = named.filter((p) => p.param.regularize).map((p) => p.param);
    let cost = model.lossAndGradient(loss, x, y, yData, grad, arrayFor(be.dtype, m * model.outputSize), {
      training: false,
      step: model.step,
      seed: model.seed,
    });
    cost += penaltyCost(be, weights, penalty, m);
    model.backward(grad, loss);
    addPenaltyGradient(be, weights, penalty, m);
    const layers: LayerStats[] = [];
    model.layers.forEach((layer, i) => {
      if (!(layer instanceof Dense)) return;
      const [W, b] = layer.params();
      const w = W.value.toMatrix().data,
        g = W.grad.toMatrix().data;
      const bias = b && b.name === 'b' ? b.value.toMatrix().data : null;
      // the activation after it, past dropout and batch norm
      let k = i + 1;
      while (model.layers[k] && (model.layers[k].type === 'dropout' || model.layers[k] instanceof BatchNorm)) k++;
      const next = model.layers[k];
      layers.push({
        name: layer.name,
        units: layer.units,
        weightNorm: norm(w),
        gradientNorm: norm(g),
        distinctUnits: distinctRows(w, bias, layer.units, layer.inputSize),
        activation: next instanceof Activation ? activationStats(next, layer.units) : null,
      });
    });
    const batchNorms: BatchNormStats[] = model.layers.flatMap((layer) => {
      if (!(layer instanceof BatchNorm)) return [];
      const x = layer.input()!.toMatrix().data;
      const [gamma, beta] = layer.affine ? layer.params() : [null, null];
      const { mean, std } = moments(x);
      return [
        {
          name: layer.name,
          inputMean: mean,
          inputStd: std,
          gammaNorm: gamma ? norm(gamma.value.toMatrix().data) : null,
          betaNorm: beta ? norm(beta.value.toMatrix().data) : null,
        },
      ];
    });
    return { loss: cost, layers, batchNorms };
  } finally {
    grad.dispose();
  }
}

function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** distinct (row of W, bias) pairs: rows sorted by their values, then neighbours compared */
function distinctRows(w: FloatArray, b: FloatArray | null, units: number, inputs: number): number {
  const cmp = (r: number, s: number): number => {
    for (let j = 0; j < inputs; j++) {
      const d = w[r * inputs + j] - w[s * inputs + j];
      if (d !== 0) return d;
    }
    return b ? b[r] - b[s] : 0;
  };
  const rows = Array.from({ length: units }, (_, i) => i).sort(cmp);
  let n = units > 0 ? 1 : 0;
  for (let k = 1; k < rows.length; k++) if (cmp(rows[k - 1], rows[k]) !== 0) n++;
  return n;
}

/** mean and standard deviation of all the values */
function moments(a: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  const mean = s / a.length;
  let v = 0;
  for (let i = 0; i < a.length; i++) v += (a[i] - mean) ** 2;
  return { mean, std: Math.sqrt(v / a.length) };
}

function activationStats(act: Activation, units: number): ActivationStats {
  const a = act.output()!.toMatrix().data;
  const rows = a.length / units;
  const { mean, std } = moments(a);
  let saturated: number | null = null,
    dead: number | null = null;
  if (act.type === 'sigmoid' || act.type === 'tanh') {
    let n = 0;
    for (let i = 0; i < a.length; i++) {
      if (act.type === 'sigmoid' ? a[i] < 0.01 || a[i] > 0.99 : Math.abs(a[i]) > 0.99) n++;
    }
    saturated = n / a.length;
  } else if (act.type === 'softmax') {
    let n = 0;
    for (let r = 0; r < rows; r++) {
      let max = -Infinity;
      for (let j = 0; j < units; j++) max = Math.max(max, a[r * units + j]);
      if (max > 0.99) n++;
    }
    saturated = n / rows;
  } else if (act.type === 'relu') {
    let n = 0;
    for (let j = 0; j < units; j++) {
      let alive = false;
      for (let r = 0; r < rows && !alive; r++) alive = a[r * units + j] !== 0;
      if (!alive) n++;
    }
    dead = n / units;
  }
  return { name: act.type, mean, std, saturated, dead };
}
