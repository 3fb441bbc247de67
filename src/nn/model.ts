// sequential(): a stack of layers with fit, predict, evaluate, weights, save and load.
import { Backend, Tensor } from '../backends/backend.js';
import {
  type FloatArray, type Matrix, type MatrixLike, arrayFor, checkSize, describe, readMatrix, shapeOf, shapeText,
} from '../matrix.js';
import { MersenneTwister } from '../random.js';
import { BufferCache, type Layer, type Mode, type Param } from './layer.js';
import { Dense } from './dense.js';
import { Activation } from './activations.js';
import { type LossName, type Loss, getLoss } from './losses.js';
import type { Optimizer } from './optimizers.js';
import { checkOptions, optNumber } from '../options.js';
import { type FitOptions, type History, fitAsync, fitSync } from './fit.js';
import { type ModelJSON, modelToJSON } from '../io/json.js';
import { toSafetensors } from '../io/safetensors.js';
import { toONNX } from '../io/onnx.js';
import { type TFJSArtifacts, toTFJS } from '../io/tfjs.js';

export type { FitOptions, History } from './fit.js';

export interface SequentialOptions {
  inputSize: number;
  backend: Backend;
  /** seeds the initializers (numpy-compatible), the shuffles and the dropout masks */
  seed?: number;
}

export interface Weight {
  /** 'dense1.W', 'dense1.b', … */
  name: string;
  /** [units, inputs] for a dense layer's W (as PyTorch's Linear.weight), [units] for its bias */
  shape: number[];
  data: FloatArray;
}

/** The shape a parameter has in getWeights() and in files. */
export const shapeOfParam = (p: Param): number[] => p.shape ?? [p.value.rows, p.value.cols];

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
  /** @internal every layer's reusable buffers; bounded, and rolled back when a call fails */
  readonly buffers: BufferCache;
  /** @internal the optimizer whose state this model holds (freed on dispose or on a switch) */
  optimizer: Optimizer | null = null;
  /** @internal set while fit or fitAsync runs */
  training = false;

  constructor(layers: Layer[], opts: SequentialOptions) {
    const initial = loading;
    loading = undefined;
    if (!Array.isArray(layers) || layers.length === 0) throw new Error('sequential: give at least one layer');
    const o = checkOptions(opts, ['inputSize', 'backend', 'seed'], 'sequential');
    if (!(o.backend instanceof Backend)) throw new Error(`sequential: backend must be a backend from createBackend(), got ${describe(o.backend)}`);
    this.inputSize = checkSize(o.inputSize, 'sequential: inputSize');
    this.seed = optNumber(o.seed, 'sequential: seed', 0, { min: 0, max: 0xffffffff, integer: true });
    const rng = new MersenneTwister(this.seed);
    this.backend = o.backend;
    this.layers = layers;
    layers.forEach((layer, i) => {
      if (!layer || typeof layer.forward !== 'function' || typeof layer.build !== 'function') {
        throw new Error(`sequential: layer ${i + 1} is ${describe(layer)}, not a layer`);
      }
      if (owners.has(layer) || layers.indexOf(layer) !== i) {
        throw new Error(`sequential: layer ${i + 1} (${layer.name}) already belongs to ${owners.has(layer) ? 'another model' : `this list, at ${layers.indexOf(layer) + 1}`}; ` +
          `a layer can be in one model once: create a new ${layer.type}()`);
      }
    });
    this.buffers = new BufferCache(this.backend, 6);
    const counts = new Map<string, number>();
    let width = this.inputSize;
    const built: Layer[] = [];
    try {
      layers.forEach((layer, i) => {
        const n = (counts.get(layer.type) ?? 0) + 1;
        counts.set(layer.type, n);
        layer.name = `${layer.type}${n}`;
        built.push(layer);
        const prefix = layer.name;
        width = layer.build(width, {
          backend: this.backend, rng, index: i + 1, buffers: this.buffers.scope(layer.name),
          ...(initial ? { initial: (param: string) => initial.get(`${prefix}.${param}`) } : {}),
        });
        this.widths.push(width);
      });
    } catch (e) {
      // free what the layers before (and the one that failed) made
      for (const l of built) { try { l.dispose(); } catch { /* a half-built layer */ } }
      throw e;
    }
    for (const l of layers) owners.set(l, this);
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
      name, shape: shapeOfParam(param), data: param.value.toMatrix().data,
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
      if (!w || typeof w !== 'object') throw new Error(`setWeights: weight ${i} (${name}) is ${describe(w)}, not { name, shape, data }`);
      const rows = param.value.rows, cols = param.value.cols;
      if (w.name !== undefined && w.name !== name) throw new Error(`setWeights: weight ${i} is named ${w.name}, expected ${name}`);
      const shape = shapeOfParam(param);
      if (w.shape !== undefined && (!Array.isArray(w.shape) || w.shape.length !== shape.length || w.shape.some((d, j) => d !== shape[j]))) {
        throw new Error(`setWeights: ${name} has shape ${Array.isArray(w.shape) ? shapeText(w.shape) : describe(w.shape)}, the model's is ${shapeText(shape)}`);
      }
      if (!w.data || w.data.length !== rows * cols) {
        throw new Error(`setWeights: ${name} has ${w.data?.length ?? 'no'} values, expected ${shape.join('×')} = ${rows * cols}`);
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
  /** @internal the output of the last lossAndGradient's forward pass */
  lastOutput: Tensor | null = null;

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
    return this.transaction(() => {
      const xt = this.backend.tensor(X);
      try {
        return this.forward(xt, { training: false, step: this.step, seed: this.seed }).toMatrix();
      } finally {
        xt.dispose();
      }
    });
  }

  /** Loss (without the L2 term) and accuracy: threshold 0.5 for one output, argmax for several. */
  evaluate(x: MatrixLike, y: Labels, opts?: { loss?: LossName }): { loss: number; accuracy: number } {
    this.alive();
    const o = checkOptions(opts, ['loss'], 'evaluate');
    const loss = getLoss(o.loss ?? this.defaultLoss());
    this.checkLossFits(loss);
    const X = this.inputs(x, 'evaluate');
    const Y = this.labels(y, X.rows, 'evaluate', loss);
    return this.transaction(() => {
      const xt = this.backend.tensor(X);
      const yt = this.backend.tensor(Y);
      try {
        return this.measure(loss, xt, yt, Y.data, arrayFor(this.dtype, Y.data.length));
      } finally {
        xt.dispose();
        yt.dispose();
      }
    });
  }

  /** @internal loss and accuracy of (x, y) with dropout off; `scratch` holds [rows × outputs] */
  measure(loss: Loss, xt: Tensor, yt: Tensor, yData: FloatArray, scratch: FloatArray): { loss: number; accuracy: number } {
    const out = this.forward(xt, { training: false, step: this.step, seed: this.seed });
    const value = loss.value(this.backend, loss.fusedWith ? this.logits() : out, yt, yData, scratch);
    this.backend.readInto(out, scratch);
    return { loss: value, accuracy: countRight(scratch, yData, out.rows, out.cols) / out.rows };
  }

  /** @internal runs f with the buffers in a transaction: if f throws, what it allocated is freed */
  transaction<T>(f: () => T): T {
    this.buffers.begin();
    try {
      const r = f();
      this.buffers.commit();
      return r;
    } catch (e) {
      this.buffers.rollback();
      throw e;
    }
  }

  /**
   * Trains on (x, y) and returns the history: the loss of each epoch (and accuracy, validation
   * figures, learning rates). x and y may also be tensors already on the model's backend
   * ([m × inputs] and [m × outputs]): then nothing is copied in. If it throws, the model is as it
   * was before the call.
   */
  fit(x: MatrixLike | Tensor, y: Labels | Tensor, opts: FitOptions): History {
    this.alive();
    return fitSync(this, x, y, opts);
  }

  /** fit, yielding to the event loop between batches (so a page stays responsive); callbacks may be async. */
  async fitAsync(x: MatrixLike | Tensor, y: Labels | Tensor, opts: FitOptions): Promise<History> {
    this.alive();
    return fitAsync(this, x, y, opts);
  }

  /** This package's JSON: the architecture, the weights, the seed and the step (dl.loadModel reads it). */
  toJSON(): ModelJSON {
    this.alive();
    return modelToJSON(this);
  }

  /**
   * The weights as safetensors bytes, named as PyTorch's nn.Sequential names them ('0.weight'
   * [out, in], '0.bias' [out]), with the architecture in its metadata (dl.loadModel reads it).
   */
  toSafetensors(): Uint8Array {
    this.alive();
    return toSafetensors(this);
  }

  /**
   * An ONNX model (opset 17, IR version 8, dynamic batch) that ONNX Runtime runs: Gemm per dense
   * layer as torch.onnx.export writes nn.Linear, the activations, no dropout (inference).
   */
  toONNX(): Uint8Array {
    this.alive();
    return toONNX(this);
  }

  /**
   * TF.js layers artifacts (tf.io.ModelArtifacts): tf.loadLayersModel(tf.io.fromMemory(a)) loads
   * them. TF.js layers are float32: a float64 model needs { cast: true }.
   */
  toTFJS(options?: { cast?: boolean }): TFJSArtifacts {
    this.alive();
    return toTFJS(this, options);
  }

  /** Frees every tensor the model holds: weights, buffers, and its optimizer's state for it. */
  dispose(): void {
    if (this.disposed) return;
    if (this.training) throw new Error('dispose: this model is training (fitAsync); stop it first: return false from a callback, then dispose');
    this.optimizer?.release(this.namedParams().map((p) => p.param));
    this.optimizer = null;
    for (const l of this.layers) l.dispose();
    this.buffers.dispose();
    this.lastInput = this.lastOutput = null;
    this.disposed = true;
  }

  // ---- internals (also used by gradCheck) ----

  /** @internal forward, loss value; the gradient of the loss w.r.t. the output (or logits) into grad */
  lossAndGradient(loss: Loss, x: Tensor, y: Tensor, yData: FloatArray, grad: Tensor, out: FloatArray, mode: Mode): number {
    const a = this.forward(x, mode);
    this.lastOutput = a;
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
    const X = readMatrix(x, this.dtype, `${op}: x`);
    if (X.cols !== this.inputSize) {
      throw new Error(`${op}: x has ${X.cols} columns ${shapeOf(X)}, the model takes ${this.inputSize} inputs`);
    }
    const bad = X.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${op}: x[${Math.floor(bad / X.cols)}][${bad % X.cols}] is ${X.data[bad]}, not a finite number`);
    return X;
  }

  /** @internal a tensor given as input: this backend, the right width, finite values */
  tensorInput(t: Tensor, what: string, cols: number, op = 'fit'): Tensor {
    if (t.backend !== this.backend) throw new Error(`${op}: ${what} is a tensor on the ${t.backend} backend; the model is on ${this.backend}`);
    if (t.disposed) throw new Error(`${op}: ${what} ${shapeOf(t)} was disposed`);
    if (t.cols !== cols) throw new Error(`${op}: ${what} ${shapeOf(t)} has ${t.cols} columns, expected ${cols}`);
    // Σ v² is finite exactly when every value is (barring overflow of huge values)
    if (!Number.isFinite(this.backend.sumSquares(t))) {
      const d = t.toMatrix().data;
      const bad = d.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new Error(`${op}: ${what}[${Math.floor(bad / cols)}][${bad % cols}] is ${d[bad]}, not a finite number`);
    }
    return t;
  }

  /** @internal labels given as a tensor: checked as labels() checks them; returns their values */
  tensorLabels(t: Tensor, m: number, op: string, loss: Loss): FloatArray {
    this.tensorInput(t, 'y', this.outputSize, op);
    if (t.rows !== m) throw new Error(`${op}: x has ${m} examples but y has ${t.rows}`);
    const Y = t.toMatrix();
    checkLabels(Y, loss, op);
    return Y.data;
  }

  /** @internal labels as a [m × outputs] matrix in the model's dtype, checked against the loss */
  labels(y: Labels, m: number, op: string, loss: Loss): Matrix {
    const Y = this.labelMatrix(y, m, op);
    checkLabels(Y, loss, op);
    return Y;
  }

  private labelMatrix(y: Labels, m: number, op: string): Matrix {
    const k = this.outputSize;
    let Y: Matrix;
    const flat = ArrayBuffer.isView(y) || (Array.isArray(y) && (y.length === 0 || typeof y[0] === 'number'));
    if (flat) {
      const v = y as ArrayLike<number>;
      if (v.length === 0) throw new Error(`${op}: y is empty`);
      Y = readMatrix({ rows: v.length, cols: 1, data: v }, this.dtype, `${op}: y`);
    } else {
      Y = readMatrix(y as MatrixLike, this.dtype, `${op}: y`);
    }
    if (Y.rows !== m) throw new Error(`${op}: x has ${m} examples but y has ${Y.rows}`);
    const bad = Y.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${op}: y[${Math.floor(bad / Y.cols)}] is ${Y.data[bad]}, not a finite number`);
    if (Y.cols === k) return Y;
    if (Y.cols === 1 && k > 1) {
      // integer class ids → one-hot rows
      const oh = arrayFor(this.dtype, m * k);
      for (let i = 0; i < m; i++) {
        const c = Y.data[i];
        if (!Number.isInteger(c) || c < 0 || c >= k) throw new Error(`${op}: y[${i}] = ${c} is not a class id in 0..${k - 1}`);
        oh[i * k + c] = 1;
      }
      return { rows: m, cols: k, data: oh };
    }
    throw new Error(`${op}: y has ${Y.cols} columns ${shapeOf(Y)}, the model has ${k} outputs`);
  }

  /** @internal */
  defaultLoss(): LossName {
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
  return countRight(out.data, y.data, out.rows, out.cols) / out.rows;
}

/** @internal examples classified right, from flat outputs and labels [rows × k] */
export function countRight(out: FloatArray, y: FloatArray, rows: number, k: number): number {
  let right = 0;
  if (k === 1) {
    for (let i = 0; i < rows; i++) if ((out[i] > 0.5) === (y[i] > 0.5)) right++;
    return right;
  }
  for (let i = 0, o = 0; i < rows; i++, o += k) {
    let a = 0, b = 0;
    for (let c = 1; c < k; c++) {
      if (out[o + c] > out[o + a]) a = c;
      if (y[o + c] > y[o + b]) b = c;
    }
    if (a === b) right++;
  }
  return right;
}

/**
 * Labels the loss can learn from: binary cross-entropy needs values in [0, 1]; categorical
 * cross-entropy rows that are non-negative and sum to 1 (one-hot or probabilities: then its value
 * and its gradient (a − y)/m agree); mean squared error any finite values.
 */
export function checkLabels(Y: Matrix, loss: Loss, op: string): void {
  const { rows, cols, data } = Y;
  if (loss.name === 'binaryCrossEntropy') {
    const bad = data.findIndex((v) => !(v >= 0 && v <= 1));
    if (bad >= 0) {
      throw new Error(`${op}: y[${Math.floor(bad / cols)}]${cols > 1 ? `[${bad % cols}]` : ''} is ${data[bad]}; binaryCrossEntropy needs labels in [0, 1]`);
    }
  } else if (loss.name === 'categoricalCrossEntropy') {
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let c = 0; c < cols; c++) {
        const v = data[r * cols + c];
        if (!(v >= 0)) throw new Error(`${op}: y[${r}][${c}] is ${v}; categoricalCrossEntropy needs non-negative labels`);
        sum += v;
      }
      if (Math.abs(sum - 1) > 1e-6) {
        throw new Error(`${op}: y row ${r} sums to ${sum}; categoricalCrossEntropy needs each row to sum to 1 (one-hot, or probabilities)`);
      }
    }
  }
}

/** the saved values the next model built takes (set by withSavedWeights only) */
let loading: Map<string, FloatArray> | undefined;

/**
 * @internal A model whose layers take checked saved values (by qualified name: 'dense1.W')
 * instead of drawing initial ones: what loadModel builds.
 */
export function withSavedWeights(layers: Layer[], opts: SequentialOptions, initial: Map<string, FloatArray>): Sequential {
  loading = initial;
  try {
    return new Sequential(layers, opts);
  } finally {
    loading = undefined;
  }
}

/** @internal which model each layer belongs to: a layer is in one model */
const owners = new WeakMap<Layer, Sequential>();

export function sequential(layers: Layer[], opts: SequentialOptions): Sequential {
  return new Sequential(layers, opts);
}
