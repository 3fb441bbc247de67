// Gradient checking by central differences: (J(θ+ε) − J(θ−ε)) / 2ε against backprop, and
// difference = ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖) as in the course.
import { type FloatArray, type MatrixLike, arrayFor } from './matrix.js';
import { MersenneTwister } from './random.js';
import type { Mode } from './nn/layer.js';
import { type LossName, getLoss } from './nn/losses.js';
import type { Labels, Sequential } from './nn/model.js';

export interface GradCheckOptions {
  /** the step; 1e-7 in float64, 1e-3 in float32 */
  epsilon?: number;
  /** passed when difference < threshold; 2e-7 in float64, 2e-2 in float32 */
  threshold?: number;
  /** check a seeded sample of this many entries instead of every one */
  maxChecks?: number;
  /** seeds the sample */
  seed?: number;
  /** how many of the worst entries to report (default 5) */
  worst?: number;
}

export interface GradEntry {
  layer: string;
  param: string;
  index: number;
  analytic: number;
  numeric: number;
}

export interface GradCheckResult {
  difference: number;
  passed: boolean;
  threshold: number;
  epsilon: number;
  /** entries compared */
  checked: number;
  /** the entries with the largest |analytic − numeric|, largest first */
  worst: GradEntry[];
}

const defaults = (dtype: string) =>
  dtype === 'float64' ? { epsilon: 1e-7, threshold: 2e-7 } : { epsilon: 1e-3, threshold: 2e-2 };

function summarize(entries: GradEntry[], epsilon: number, threshold: number, nWorst: number): GradCheckResult {
  let d = 0, na = 0, nn = 0;
  for (const e of entries) {
    d += (e.analytic - e.numeric) ** 2;
    na += e.analytic ** 2;
    nn += e.numeric ** 2;
  }
  const denom = Math.sqrt(na) + Math.sqrt(nn);
  const difference = denom === 0 ? 0 : Math.sqrt(d) / denom;
  const worst = [...entries].sort((a, b) => Math.abs(b.analytic - b.numeric) - Math.abs(a.analytic - a.numeric)).slice(0, nWorst);
  return { difference, passed: difference < threshold, threshold, epsilon, checked: entries.length, worst };
}

function pick(total: number, maxChecks: number | undefined, seed: number): number[] {
  const all = Array.from({ length: total }, (_, i) => i);
  if (maxChecks === undefined || maxChecks >= total) return all;
  const rng = new MersenneTwister(seed);
  rng.shuffle(all);
  return all.slice(0, maxChecks).sort((a, b) => a - b);
}

/**
 * Checks a model's backprop on (x, y): every parameter entry (or a sample of maxChecks), with the
 * dropout mask held fixed and the L2 term included when l2 is given. The model is left as it was.
 */
export function gradCheck(model: Sequential, x: MatrixLike, y: Labels,
  opts: GradCheckOptions & { loss: LossName; l2?: number }): GradCheckResult {
  const be = model.backend;
  const { epsilon, threshold } = { ...defaults(be.dtype), ...opts };
  const loss = getLoss(opts.loss);
  model.checkLossFits(loss);
  const l2 = opts.l2 ?? 0;
  const X = model.inputs(x, 'gradCheck');
  const Y = model.labels(y, X.rows, 'gradCheck');
  const m = X.rows;
  const xt = be.tensor(X), yt = be.tensor(Y), grad = be.zeros(m, model.outputSize);
  const out = arrayFor(be.dtype, m * model.outputSize);
  // one step number for every pass: the same dropout mask throughout
  const mode: Mode = { training: true, step: model.step, seed: model.seed };
  const named = model.namedParams();
  const weights = named.filter((p) => p.param.regularize).map((p) => p.param);
  const cost = (): number => {
    const c = model.lossAndGradient(loss, xt, yt, Y.data, grad, out, mode);
    return l2 > 0 ? c + model.l2Term(weights, l2, m) : c;
  };
  try {
    // analytic gradients
    cost();
    model.backward(grad, loss);
    if (l2 > 0) for (const w of weights) be.axpy(l2 / m, w.value, w.grad);
    const analytic = named.map((p) => p.param.grad.toMatrix().data);

    // numeric gradients, one entry at a time
    const total = named.reduce((s, p) => s + p.param.value.size, 0);
    const chosen = pick(total, opts.maxChecks, opts.seed ?? 0);
    const entries: GradEntry[] = [];
    let base = 0, c = 0;
    for (let pi = 0; pi < named.length; pi++) {
      const { param, layer } = named[pi];
      const size = param.value.size;
      const original = param.value.toMatrix();
      const theta = original.data.slice() as FloatArray;
      try {
        for (; c < chosen.length && chosen[c] < base + size; c++) {
          const i = chosen[c] - base;
          theta[i] = original.data[i] + epsilon;
          be.assign(param.value, { rows: original.rows, cols: original.cols, data: theta });
          const plus = cost();
          theta[i] = original.data[i] - epsilon;
          be.assign(param.value, { rows: original.rows, cols: original.cols, data: theta });
          const minus = cost();
          theta[i] = original.data[i];
          entries.push({ layer: layer.name, param: param.name, index: i, analytic: analytic[pi][i], numeric: (plus - minus) / (2 * epsilon) });
        }
      } finally {
        be.assign(param.value, original);
      }
      base += size;
    }
    return summarize(entries, epsilon, threshold, opts.worst ?? 5);
  } finally {
    xt.dispose();
    yt.dispose();
    grad.dispose();
  }
}

/**
 * Checks the gradient of any scalar function: f(θ) returns the cost and its gradient at θ
 * (a flat vector of all parameters, as the course's dictionary_to_vector makes).
 */
export function gradCheckFunction(f: (theta: Float64Array) => { cost: number; grad: ArrayLike<number> },
  theta: ArrayLike<number>, opts: GradCheckOptions = {}): GradCheckResult {
  const { epsilon, threshold } = { ...defaults('float64'), ...opts };
  const t = Float64Array.from(theta);
  const { grad } = f(t.slice());
  if (grad.length !== t.length) throw new Error(`gradCheckFunction: f returned ${grad.length} gradient values for ${t.length} parameters`);
  const entries: GradEntry[] = [];
  for (const i of pick(t.length, opts.maxChecks, opts.seed ?? 0)) {
    const p = t.slice(); p[i] += epsilon;
    const q = t.slice(); q[i] -= epsilon;
    entries.push({ layer: 'theta', param: 'theta', index: i, analytic: grad[i], numeric: (f(p).cost - f(q).cost) / (2 * epsilon) });
  }
  return summarize(entries, epsilon, threshold, opts.worst ?? 5);
}
