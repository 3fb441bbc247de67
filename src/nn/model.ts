// sequential(): a stack of layers with fit, predict, evaluate, weights, save and load.
import { Backend, Tensor } from '../backends/backend.js';
import {
  type FloatArray, type Matrix, type MatrixLike, arrayFor, checkSize, describe, readMatrix, shapeOf,
} from '../matrix.js';
import { MersenneTwister } from '../random.js';
import { type Layer, type Mode, type Param } from './layer.js';
import { Dense } from './dense.js';
import { Activation } from './activations.js';
import { type LossName, type Loss, getLoss } from './losses.js';
import type { Optimizer } from './optimizers.js';
import { sgd } from './optimizers.js';

export interface SequentialOptions {
  inputSize: number;
  backend: Backend;
  /** seeds the initializers (numpy-compatible), the shuffles and the dropout masks */
  seed?: number;
}

export interface Weight {
  /** 'dense1.W', 'dense1.b', … */
  name: string;
  shape: [number, number];
  data: FloatArray;
}

export interface EpochLogs { loss: number; epoch: number }
export interface BatchLogs { loss: number; batch: number; epoch: number }

export interface FitOptions {
  loss: LossName;
  optimizer?: Optimizer;
  epochs?: number;
  /** examples per step; all of them (full batch) by default */
  batchSize?: number;
  /** shuffle the examples each epoch (from the seed) when batchSize is smaller than the set */
  shuffle?: boolean;
  /** λ of L2 regularization: cost + λ/(2m)·Σ‖W‖², gradient + (λ/m)·W, weights only */
  l2?: number;
  onEpochEnd?: (epoch: number, logs: EpochLogs) => void;
  onBatchEnd?: (batch: number, logs: BatchLogs) => void;
}

export interface History {
  /** one value per epoch: the mean cost of its forward passes (including the L2 term) */
  loss: number[];
  epochs: number;
}

/** Labels: a 0/1 (or value) column, one-hot rows, or integer class ids. */
export type Labels = MatrixLike | number[] | Int32Array | Uint8Array;

export class Sequential {
  readonly layers: Layer[];
  readonly backend: Backend;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly seed: number;
  /** training steps taken: picks each step's dropout mask */
  step = 0;
  private disposed = false;
  /** each layer's output width */
  private readonly widths: number[] = [];

  constructor(layers: Layer[], opts: SequentialOptions) {
    if (!Array.isArray(layers) || layers.length === 0) throw new Error('sequential: give at least one layer');
    if (!opts || !(opts.backend instanceof Backend)) throw new Error('sequential: options.backend must be a backend from createBackend()');
    this.inputSize = checkSize(opts.inputSize, 'sequential: inputSize');
    this.seed = opts.seed ?? 0;
    const rng = new MersenneTwister(this.seed);
    this.backend = opts.backend;
    this.layers = layers;
    const counts = new Map<string, number>();
    let width = this.inputSize;
    layers.forEach((layer, i) => {
      if (!layer || typeof layer.forward !== 'function' || typeof layer.build !== 'function') {
        throw new Error(`sequential: layer ${i + 1} is ${describe(layer)}, not a layer`);
      }
      const n = (counts.get(layer.type) ?? 0) + 1;
      counts.set(layer.type, n);
      layer.name = `${layer.type}${n}`;
      width = layer.build(width, { backend: this.backend, rng, index: i + 1 });
      this.widths.push(width);
    });
    this.outputSize = width;
  }

  get dtype() { return this.backend.dtype; }

  /** Every parameter with its qualified name. */
  namedParams(): { layer: Layer; param: Param; name: string }[] {
    return this.layers.flatMap((layer) => layer.params().map((param) => ({ layer, param, name: `${layer.name}.${param.name}` })));
  }

  getWeights(): Weight[] {
    this.alive();
    return this.namedParams().map(({ param, name }) => ({
      name, shape: [param.value.rows, param.value.cols], data: param.value.toMatrix().data,
    }));
  }

  /** Replaces every weight; all are checked (names, shapes, finite values) before any is written. */
  setWeights(weights: { name?: string; shape?: number[]; data: ArrayLike<number> }[]): void {
    this.alive();
    const params = this.namedParams();
    if (!Array.isArray(weights) || weights.length !== params.length) {
      throw new Error(`setWeights: expected ${params.length} weights (${params.map((p) => p.name).join(', ')}), got ${Array.isArray(weights) ? weights.length : describe(weights)}`);
    }
    const checked = params.map(({ param, name }, i) => {
      const w = weights[i];
      const rows = param.value.rows, cols = param.value.cols;
      if (w.name !== undefined && w.name !== name) throw new Error(`setWeights: weight ${i} is named ${w.name}, expected ${name}`);
      if (w.shape !== undefined && (w.shape.length !== 2 || w.shape[0] !== rows || w.shape[1] !== cols)) {
        throw new Error(`setWeights: ${name} has shape [${w.shape.join('×')}], the model's is ${shapeOf(param.value)}`);
      }
      if (!w.data || w.data.length !== rows * cols) {
        throw new Error(`setWeights: ${name} has ${w.data?.length ?? 'no'} values, expected ${rows}×${cols} = ${rows * cols}`);
      }
      const m = readMatrix({ rows, cols, data: w.data }, this.dtype, name);
      const bad = m.data.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new Error(`setWeights: ${name}[${bad}] is ${m.data[bad]}, not a finite number`);
      return m;
    });
    params.forEach(({ param }, i) => this.backend.assign(param.value, checked[i]));
  }

  /** A table of the layers: output shapes and parameter counts. */
  summary(): string {
    const rows = [['layer', 'output', 'params']];
    let total = 0;
    this.layers.forEach((layer, i) => {
      const n = layer.params().reduce((s, p) => s + p.value.size, 0);
      total += n;
      rows.push([layer.name, `[batch, ${this.widths[i]}]`, String(n)]);
    });
    rows.push(['total', '', String(total)]);
    const w = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
    return rows.map((r) => `${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padStart(w[2])}`).join('\n');
  }

  /** the input of the last layer in the last forward pass: the logits, for the fused losses */
  private lastInput: Tensor | null = null;

  /** Forward through every layer. */
  forward(x: Tensor, mode: Mode): Tensor {
    let a = x;
    const L = this.layers;
    for (let i = 0; i < L.length; i++) {
      const layer = L[i], next = L[i + 1];
      // A hidden dense layer with a bias, then relu, sigmoid or tanh: the bias and the activation
      // in one pass over Z (Z itself is not needed again: the backward passes use the
      // activation's output). The last pair is left alone: its Z is the logits the loss reads.
      if (layer instanceof Dense && next instanceof Activation && next.type !== 'softmax' && i + 2 < L.length) {
        const b = layer.bias();
        if (b) {
          a = next.forwardWithBias(layer.forwardWithoutBias(a), b);
          i++;
          continue;
        }
      }
      this.lastInput = a;
      a = layer.forward(a, mode);
    }
    return a;
  }

  /** The model's outputs for x (dropout off). */
  predict(x: MatrixLike): Matrix {
    this.alive();
    const X = this.inputs(x, 'predict');
    const xt = this.backend.tensor(X);
    try {
      return this.forward(xt, { training: false, step: this.step, seed: this.seed }).toMatrix();
    } finally {
      xt.dispose();
    }
  }

  /** Loss (without the L2 term) and accuracy: threshold 0.5 for one output, argmax for several. */
  evaluate(x: MatrixLike, y: Labels, opts: { loss?: LossName } = {}): { loss: number; accuracy: number } {
    this.alive();
    const X = this.inputs(x, 'evaluate');
    const Y = this.labels(y, X.rows, 'evaluate');
    const loss = getLoss(opts.loss ?? this.defaultLoss());
    this.checkLossFits(loss);
    const xt = this.backend.tensor(X);
    const yt = this.backend.tensor(Y);
    try {
      const out = this.forward(xt, { training: false, step: this.step, seed: this.seed });
      const src = loss.fusedWith ? this.logits() : out;
      const value = loss.value(this.backend, src, yt, Y.data, arrayFor(this.dtype, src.size));
      return { loss: value, accuracy: accuracy(out.toMatrix(), Y) };
    } finally {
      xt.dispose();
      yt.dispose();
    }
  }

  /**
   * Trains on (x, y); returns the loss of each epoch. x and y may also be tensors already on the
   * model's backend ([m × inputs] and [m × outputs]): then nothing is copied in.
   */
  fit(x: MatrixLike | Tensor, y: Labels | Tensor, opts: FitOptions): History {
    this.alive();
    if (!opts || typeof opts !== 'object') throw new Error('fit: options are required, at least { loss }');
    const loss = getLoss(opts.loss);
    this.checkLossFits(loss);
    const optimizer = opts.optimizer ?? sgd();
    if (!optimizer || typeof optimizer.update !== 'function') throw new Error(`fit: optimizer is ${describe(optimizer)}, not one of sgd(), momentum(), adam()`);
    const epochs = checkSize(opts.epochs ?? 1, 'fit: epochs');
    const X = x instanceof Tensor ? this.tensorInput(x, 'x', this.inputSize) : this.inputs(x, 'fit');
    const Y = y instanceof Tensor ? this.tensorLabels(y, X.rows) : this.labels(y as Labels, X.rows, 'fit');
    const m = X.rows;
    const batchSize = opts.batchSize === undefined ? m : checkSize(opts.batchSize, 'fit: batchSize');
    const l2 = opts.l2 ?? 0;
    if (typeof l2 !== 'number' || !Number.isFinite(l2) || l2 < 0) throw new Error(`fit: l2 must be a finite number ≥ 0, got ${String(l2)}`);
    const shuffle = opts.shuffle ?? true;

    const be = this.backend;
    const params = this.namedParams().map((p) => p.param);
    const weights = params.filter((p) => p.regularize);
    const fullBatch = batchSize >= m;
    const xt = X instanceof Tensor ? X : be.tensor(X);
    const yt = Y instanceof Tensor ? Y : be.tensor(Y);
    const yAll = Y instanceof Tensor ? Y.toMatrix().data : Y.data;
    const rng = new MersenneTwister((this.seed ^ 0x5eed5eed) >>> 0);
    const order = Int32Array.from({ length: m }, (_, i) => i);
    const batches = new Map<number, { x: Tensor; y: Tensor; yData: FloatArray; grad: Tensor; out: FloatArray }>();
    const batchBuffers = (rows: number) => {
      let b = batches.get(rows);
      if (!b) {
        b = {
          x: fullBatch ? xt : be.zeros(rows, this.inputSize),
          y: fullBatch ? yt : be.zeros(rows, this.outputSize),
          yData: fullBatch ? yAll : arrayFor(this.dtype, rows * this.outputSize),
          grad: be.zeros(rows, this.outputSize),
          out: arrayFor(this.dtype, rows * this.outputSize),
        };
        batches.set(rows, b);
      }
      return b;
    };
    const history: History = { loss: [], epochs: 0 };
    const mode: Mode = { training: true, step: this.step, seed: this.seed };
    try {
      for (let epoch = 0; epoch < epochs; epoch++) {
        if (!fullBatch && shuffle) rng.shuffle(order);
        let epochLoss = 0;
        let batch = 0;
        for (let start = 0; start < m; start += batchSize, batch++) {
          const rows = Math.min(batchSize, m - start);
          const b = batchBuffers(rows);
          if (!fullBatch) {
            be.gatherRows(xt, order, start, b.x);
            be.gatherRows(yt, order, start, b.y);
            const k = this.outputSize;
            for (let r = 0; r < rows; r++) {
              for (let c = 0, src = order[start + r] * k; c < k; c++) b.yData[r * k + c] = yAll[src + c];
            }
          }
          mode.step = this.step;
          let cost = this.lossAndGradient(loss, b.x, b.y, b.yData, b.grad, b.out, mode);
          if (l2 > 0) cost += this.l2Term(weights, l2, rows);
          if (!Number.isFinite(cost)) {
            throw new Error(`fit: the loss became ${cost} at epoch ${epoch} (batch ${batch}): training diverged; ` +
              'try a smaller learningRate or another initializer');
          }
          this.backward(b.grad, loss);
          if (l2 > 0) for (const w of weights) be.axpy(l2 / rows, w.value, w.grad);
          this.step++;
          optimizer.update(be, params, this.step);
          epochLoss += cost * rows;
          opts.onBatchEnd?.(batch, { loss: cost, batch, epoch });
        }
        const value = epochLoss / m;
        history.loss.push(value);
        history.epochs = epoch + 1;
        opts.onEpochEnd?.(epoch, { loss: value, epoch });
      }
    } finally {
      for (const b of batches.values()) {
        if (b.x !== xt) b.x.dispose();
        if (b.y !== yt) b.y.dispose();
        b.grad.dispose();
      }
      if (xt !== x) xt.dispose();
      if (yt !== y) yt.dispose();
    }
    return history;
  }

  /** Serializes the architecture and the weights. */
  toJSON(): ModelJSON {
    this.alive();
    return {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      dtype: this.dtype,
      inputSize: this.inputSize,
      seed: this.seed,
      layers: this.layers.map((l) => ({ type: l.type, ...l.config() })),
      weights: this.getWeights().map((w) => ({ name: w.name, shape: w.shape, data: Array.from(w.data) })),
    };
  }

  /** Frees every tensor the model holds. */
  dispose(): void {
    if (this.disposed) return;
    for (const l of this.layers) l.dispose();
    this.disposed = true;
  }

  // ---- internals (also used by gradCheck) ----

  /** @internal forward, loss value; the gradient of the loss w.r.t. the output (or logits) into grad */
  lossAndGradient(loss: Loss, x: Tensor, y: Tensor, yData: FloatArray, grad: Tensor, out: FloatArray, mode: Mode): number {
    const a = this.forward(x, mode);
    const value = loss.value(this.backend, loss.fusedWith ? this.logits() : a, y, yData, out);
    loss.gradient(this.backend, a, y, grad);
    return value;
  }

  /** @internal backprop from the output gradient (skipping the fused activation) */
  backward(grad: Tensor, loss: Loss): void {
    const last = loss.fusedWith ? this.layers.length - 2 : this.layers.length - 1;
    let g: Tensor | null = grad;
    for (let i = last; i >= 0 && g; i--) g = this.layers[i].backward(g, i > 0);
  }

  /** @internal the L2 term λ/(2m)·Σ‖W‖² */
  l2Term(weights: Param[], l2: number, m: number): number {
    let s = 0;
    for (const w of weights) s += this.backend.sumSquares(w.value);
    return (l2 / (2 * m)) * s;
  }

  /** @internal the input of the last layer (the logits, for the fused losses) */
  logits(): Tensor {
    if (!this.lastInput) throw new Error('no forward pass yet');
    return this.lastInput;
  }

  /** @internal */
  inputs(x: MatrixLike, op: string): Matrix {
    const X = readMatrix(x, 'float64', `${op}: x`);
    if (X.cols !== this.inputSize) {
      throw new Error(`${op}: x has ${X.cols} columns ${shapeOf(X)}, the model takes ${this.inputSize} inputs`);
    }
    const bad = X.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${op}: x[${Math.floor(bad / X.cols)}][${bad % X.cols}] is ${X.data[bad]}, not a finite number`);
    return X;
  }

  /** @internal a tensor given as input: this backend, the right width, finite values */
  tensorInput(t: Tensor, what: string, cols: number): Tensor {
    if (t.backend !== this.backend) throw new Error(`fit: ${what} is a tensor on the ${t.backend} backend; the model is on ${this.backend}`);
    if (t.cols !== cols) throw new Error(`fit: ${what} ${shapeOf(t)} has ${t.cols} columns, expected ${cols}`);
    // Σ v² is finite exactly when every value is (barring overflow of huge values)
    if (!Number.isFinite(this.backend.sumSquares(t))) {
      const d = t.toMatrix().data;
      const bad = d.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new Error(`fit: ${what}[${Math.floor(bad / cols)}][${bad % cols}] is ${d[bad]}, not a finite number`);
    }
    return t;
  }

  /** @internal */
  tensorLabels(t: Tensor, m: number): Tensor {
    this.tensorInput(t, 'y', this.outputSize);
    if (t.rows !== m) throw new Error(`fit: x has ${m} examples but y has ${t.rows}`);
    return t;
  }

  /** @internal labels as a [m × outputs] matrix */
  labels(y: Labels, m: number, op: string): Matrix {
    const k = this.outputSize;
    let Y: Matrix;
    const flat = ArrayBuffer.isView(y) || (Array.isArray(y) && (y.length === 0 || typeof y[0] === 'number'));
    if (flat) {
      const v = y as ArrayLike<number>;
      Y = readMatrix({ rows: Math.max(v.length, 1), cols: 1, data: v.length ? v : [NaN] }, 'float64', `${op}: y`);
      if (v.length === 0) throw new Error(`${op}: y is empty`);
    } else {
      Y = readMatrix(y as MatrixLike, 'float64', `${op}: y`);
    }
    if (Y.rows !== m) throw new Error(`${op}: x has ${m} examples but y has ${Y.rows}`);
    const bad = Y.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${op}: y[${Math.floor(bad / Y.cols)}] is ${Y.data[bad]}, not a finite number`);
    if (Y.cols === k) return Y;
    if (Y.cols === 1 && k > 1) {
      // integer class ids → one-hot rows
      const oh = new Float64Array(m * k);
      for (let i = 0; i < m; i++) {
        const c = Y.data[i];
        if (!Number.isInteger(c) || c < 0 || c >= k) throw new Error(`${op}: y[${i}] = ${c} is not a class id in 0..${k - 1}`);
        oh[i * k + c] = 1;
      }
      return { rows: m, cols: k, data: oh };
    }
    throw new Error(`${op}: y has ${Y.cols} columns ${shapeOf(Y)}, the model has ${k} outputs`);
  }

  private defaultLoss(): LossName {
    const last = this.layers[this.layers.length - 1].type;
    return last === 'sigmoid' ? 'binaryCrossEntropy' : last === 'softmax' ? 'categoricalCrossEntropy' : 'meanSquaredError';
  }

  /** @internal */
  checkLossFits(loss: Loss): void {
    const last = this.layers[this.layers.length - 1].type;
    if (loss.fusedWith && last !== loss.fusedWith) {
      throw new Error(`${loss.name} is computed from the logits of a final ${loss.fusedWith}() layer; this model ends in ${last}`);
    }
  }

  private alive(): void {
    if (this.disposed) throw new Error('this model was disposed');
  }
}

/** Fraction of examples classified right: a > 0.5 for one output, argmax for several. */
export function accuracy(out: Matrix, y: Matrix): number {
  let right = 0;
  const k = out.cols;
  for (let i = 0; i < out.rows; i++) {
    if (k === 1) {
      if ((out.data[i] > 0.5 ? 1 : 0) === (y.data[i] > 0.5 ? 1 : 0)) right++;
    } else {
      let a = 0, b = 0;
      for (let c = 1; c < k; c++) {
        if (out.data[i * k + c] > out.data[i * k + a]) a = c;
        if (y.data[i * k + c] > y.data[i * k + b]) b = c;
      }
      if (a === b) right++;
    }
  }
  return right / out.rows;
}

export const MODEL_FORMAT = 'dl-fundamentals-model';
export const MODEL_VERSION = 1;

export interface ModelJSON {
  format: string;
  version: number;
  dtype: string;
  inputSize: number;
  seed: number;
  layers: ({ type: string } & Record<string, unknown>)[];
  weights: { name: string; shape: [number, number]; data: number[] }[];
}

export function sequential(layers: Layer[], opts: SequentialOptions): Sequential {
  return new Sequential(layers, opts);
}
