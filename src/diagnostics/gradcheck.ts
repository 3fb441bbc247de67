// Gradient checking by central differences: (J(θ+ε) − J(θ−ε)) / 2ε against backprop, and
// difference = ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖) as in the course.
import { type FloatArray, type Matrix, type MatrixLike, arrayFor } from '../core/matrix.js';
import { MersenneTwister } from '../core/random.js';
import type { Mode } from '../nn/layer.js';
import { type Loss, type LossName, getLoss } from '../nn/losses.js';
import type { Labels } from '../nn/data.js';
import type { Model } from '../nn/model.js';
import { Activation } from '../nn/activations.js';
import { checkOptions, optNumber } from '../core/options.js';
import { type Penalty, addPenaltyGradient, penaltyCost, penaltyOf } from '../nn/penalty.js';

/** The options of gradCheck. */
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

/** One parameter entry compared: where it is, backprop's gradient and the central difference. */
export interface GradEntry {
  /** 'dense1', … */
  layer: string;
  /** 'W' or 'b' */
  param: string;
  /** the entry's index in the parameter, row-major */
  index: number;
  /** the gradient backprop computed */
  analytic: number;
  /** (cost(θ + ε) − cost(θ − ε)) / 2ε */
  numeric: number;
}

/** What gradCheck returns. */
export interface GradCheckResult {
  /** ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖) over the entries compared (kinks left out) */
  difference: number;
  /** difference < threshold, judged on at least one entry */
  passed: boolean;
  /** what difference must be below */
  threshold: number;
  /** the step used */
  epsilon: number;
  /** entries compared */
  checked: number;
  /** the entries with the largest |analytic − numeric|, largest first */
  worst: GradEntry[];
  /**
   * entries whose ±ε step moved a ReLU input across 0: there the cost is not differentiable and
   * the central difference is not the gradient, so they are reported apart, not judged
   */
  kinks: {
    /** how many entries */
    count: number;
    /** the one with the largest |analytic − numeric|, or null */
    worst: GradEntry | null;
    /** why they are left out */
    why: string;
  };
}

const KINK_WHY =
  'a ±ε step of these entries moves some ReLU input across 0, where ReLU has a kink: ' +
  'the central difference there straddles two slopes and is not a derivative, so they are left out of the judgement';

const GRADCHECK_OPTIONS = ['epsilon', 'threshold', 'maxChecks', 'seed', 'worst'];

function checkGradOptions(
  opts: GradCheckOptions,
  dtype: string,
  where: string,
): Required<Omit<GradCheckOptions, 'maxChecks'>> & { maxChecks?: number } {
  const d = defaults(dtype);
  return {
    epsilon: optNumber(opts.epsilon, `${where}: epsilon`, d.epsilon, { min: 0, minOpen: true }),
    threshold: optNumber(opts.threshold, `${where}: threshold`, d.threshold, { min: 0, minOpen: true }),
    maxChecks:
      opts.maxChecks === undefined
        ? undefined
        : optNumber(opts.maxChecks, `${where}: maxChecks`, 0, { min: 1, integer: true }),
    seed: optNumber(opts.seed, `${where}: seed`, 0, { min: 0, max: 0xffffffff, integer: true }),
    worst: optNumber(opts.worst, `${where}: worst`, 5, { min: 0, integer: true }),
  };
}

const defaults = (dtype: string) =>
  dtype === 'float64' ? { epsilon: 1e-7, threshold: 2e-7 } : { epsilon: 1e-3, threshold: 2e-2 };

function summarize(
  entries: GradEntry[],
  epsilon: number,
  threshold: number,
  nWorst: number,
  kinked: GradEntry[] = [],
): GradCheckResult {
  let d = 0,
    na = 0,
    nn = 0;
  for (const e of entries) {
    d += (e.analytic - e.numeric) ** 2;
    na += e.analytic ** 2;
    nn += e.numeric ** 2;
  }
  const denom = Math.sqrt(na) + Math.sqrt(nn);
  const difference = denom === 0 ? 0 : Math.sqrt(d) / denom;
  const byError = (list: GradEntry[]) =>
    [...list].sort((a, b) => Math.abs(b.analytic - b.numeric) - Math.abs(a.analytic - a.numeric));
  return {
    difference,
    passed: entries.length > 0 && difference < threshold,
    threshold,
    epsilon,
    checked: entries.length,
    worst: byError(entries).slice(0, nWorst),
    kinks: { count: kinked.length, worst: byError(kinked)[0] ?? null, why: kinked.length ? KINK_WHY : '' },
  };
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
 * dropout mask held fixed and the penalties included when l1 or l2 is given. The model is left as it was.
 */
export function gradCheck(
  model: Model,
  x: MatrixLike,
  y: Labels,
  opts: GradCheckOptions & { loss: LossName; l1?: number; l2?: number },
): GradCheckResult {
  const be = model.backend;
  if (!opts || typeof opts !== 'object') throw new Error('gradCheck: options are required, at least { loss }');
  checkOptions(opts, [...GRADCHECK_OPTIONS, 'loss', 'l1', 'l2'], 'gradCheck');
  const o = checkGradOptions(opts, be.dtype, 'gradCheck');
  const loss = getLoss(opts.loss);
  model.checkLossFits(loss);
  const penalty = penaltyOf(opts, 'gradCheck');
  const X = model.inputs(x, 'gradCheck');
  const Y = model.labels(y, X.rows, 'gradCheck', loss);
  // a training forward pass moves state (batch norm's running statistics): put it back after
  const state = model.namedParams().filter((p) => p.param.trainable === false);
  const before = state.map((p) => p.param.value.toMatrix());
  try {
    return model.transaction(() => check(model, X, Y, loss, penalty, o));
  } finally {
    state.forEach((p, i) => be.assign(p.param.value, before[i]));
  }
}

function check(
  model: Model,
  X: Matrix,
  Y: Matrix,
  loss: Loss,
  penalty: Penalty,
  o: ReturnType<typeof checkGradOptions>,
): GradCheckResult {
  const be = model.backend,
    m = X.rows;
  const { epsilon, threshold } = o;
  // which ReLU inputs are positive: a ±ε step that changes this pattern crossed a kink
  const relus = model.layers.filter((l): l is Activation => l instanceof Activation && l.type === 'relu');
  const pattern = (): Uint8Array[] =>
    relus.map((l) => Uint8Array.from(l.output()!.toMatrix().data, (v) => (v > 0 ? 1 : 0)));
  const samePattern = (a: Uint8Array[], b: Uint8Array[]) => a.every((p, i) => p.every((v, j) => v === b[i][j]));
  const xt = be.tensor(X),
    yt = be.tensor(Y),
    grad = be.zeros(m, model.outputSize);
  const out = arrayFor(be.dtype, m * model.outputSize);
  // one step number for every pass: the same dropout mask throughout
  const mode: Mode = { training: true, step: model.step, seed: model.seed };
  // state (running statistics) is not a parameter of the function: it is neither varied nor judged
  const named = model.namedParams().filter((p) => p.param.trainable !== false);
  const weights = named.filter((p) => p.param.regularize).map((p) => p.param);
  const cost = (): number => {
    const c = model.lossAndGradient(loss, xt, yt, Y.data, grad, out, mode);
    return c + penaltyCost(be, weights, penalty, m);
  };
  try {
    // analytic gradients
    cost();
    const relu0 = pattern();
    model.backward(grad, loss);
    addPenaltyGradient(be, weights, penalty, m);
    const analytic = named.map((p) => p.param.grad.toMatrix().data);

    // numeric gradients, one entry at a time
    const total = named.reduce((s, p) => s + p.param.value.size, 0);
    const chosen = pick(total, o.maxChecks, o.seed);
    const entries: GradEntry[] = [],
      kinked: GradEntry[] = [];
    let base = 0,
      c = 0;
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
          let crossed = relus.length > 0 && !samePattern(relu0, pattern());
          theta[i] = original.data[i] - epsilon;
          be.assign(param.value, { rows: original.rows, cols: original.cols, data: theta });
          const minus = cost();
          crossed ||= relus.length > 0 && !samePattern(relu0, pattern());
          theta[i] = original.data[i];
          (crossed ? kinked : entries).push({
            layer: layer.name,
            param: param.name,
            index: i,
            analytic: analytic[pi][i],
            numeric: (plus - minus) / (2 * epsilon),
          });
        }
      } finally {
        be.assign(param.value, original);
      }
      base += size;
    }
    return summarize(entries, epsilon, threshold, o.worst, kinked);
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
export function gradCheckFunction(
  f: (theta: Float64Array) => { cost: number; grad: ArrayLike<number> },
  theta: ArrayLike<number>,
  opts?: GradCheckOptions,
): GradCheckResult {
  const o = checkGradOptions(
    checkOptions(opts, GRADCHECK_OPTIONS, 'gradCheckFunction'),
    'float64',
    'gradCheckFunction',
  );
  const { epsilon, threshold } = o;
  if (typeof f !== 'function') throw new Error(`gradCheckFunction: f must be a function, got ${typeof f}`);
  const t = Float64Array.from(theta);
  const { grad } = f(t.slice());
  if (grad.length !== t.length)
    throw new Error(`gradCheckFunction: f returned ${grad.length} gradient values for ${t.length} parameters`);
  const entries: GradEntry[] = [];
  for (const i of pick(t.length, o.maxChecks, o.seed)) {
    const p = t.slice();
    p[i] += epsilon;
    const q = t.slice();
    q[i] -= epsilon;
    entries.push({
      layer: 'theta',
      param: 'theta',
      index: i,
      analytic: grad[i],
      numeric: (f(p).cost - f(q).cost) / (2 * epsilon),
    });
  }
  return summarize(entries, epsilon, threshold, o.worst);
}
