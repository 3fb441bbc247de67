// Model: a stack of layers with its weights, forward and backward passes, predict and evaluate.
// Training (nn/train) and the formats (io) work on a Model; Sequential (src/api) adds them as
// methods.
import { Backend, type Tensor } from '../backends/backend.js';
import { type FloatArray, type Matrix, type MatrixLike, arrayFor, checkSize, describe } from '../core/matrix.js';
import { MersenneTwister } from '../core/random.js';
import { checkOptions, optNumber } from '../core/options.js';
import { BufferCache, type Layer, type Mode, type Param } from './layer.js';
import { Dense } from './dense.js';
import { Activation } from './activations.js';
import { type LossName, type Loss, defaultLossAfter, getLoss } from './losses.js';
import { summaryTable } from './summary.js';
import type { Optimizer } from './train/optimizers.js';
import { buildLayers } from './build.js';
import { type Weight, checkWeights, shapeOfParam } from './weights.js';
import { type Evaluation, type Labels, checkInputs, countRight, labelMatrix } from './data.js';
import { Normalization } from './normalization.js';

/** The options of sequential() and the Model constructor. */
export type { Weight } from './weights.js';

/** The options of sequential() and the Model constructor. */
export interface SequentialOptions {
  /** the features of each example: x has this many columns */
  inputSize: number;
  /** where the weights live and the ops run */
  backend: Backend;
  /** seeds the initializers (numpy-compatible), the shuffles and the dropout masks */
  seed?: number;
}

/**
 * A stack of layers on a backend: its weights, predict and evaluate. What training, gradient
 * checking, inspect and the formats work on; `sequential()` makes a Sequential, a Model that also
 * has fit and the formats as methods.
 */
export class Model {
  /** the layers, in order; named dense1, relu1, … when the model is built */
  readonly layers: Layer[];
  /** where the weights live and the ops run */
  readonly backend: Backend;
  /** the features of each example */
  readonly inputSize: number;
  /** the width of the last layer's output */
  readonly outputSize: number;
  /** seeds the initializers, the shuffles and the dropout masks */
  readonly seed: number;
  /** training steps taken: picks each step's dropout mask */
  step = 0;
  private disposed = false;
  /** each layer's output width */
  private readonly widths: number[];
  /** @internal every layer's reusable buffers; bounded, and rolled back when a call fails */
  readonly buffers: BufferCache;
  /** @internal the optimizer whose state this model holds (freed on dispose or on a switch) */
  optimizer: Optimizer | null = null;
  /** @internal set while fit or fitAsync runs */
  training = false;

  /**
   * @param initial saved values by qualified name ('dense1.W'), checked already, that the
   * layers take instead of drawing initial ones (what loadModel passes)
   */
  constructor(layers: Layer[], opts: SequentialOptions, initial?: ReadonlyMap<string, FloatArray>) {
    if (!Array.isArray(layers) || layers.length === 0) throw new Error('sequential: give at least one layer');
    const o = checkOptions(opts, ['inputSize', 'backend', 'seed'], 'sequential');
    if (!(o.backend instanceof Backend))
      throw new Error(`sequential: backend must be a backend from createBackend(), got ${describe(o.backend)}`);
    this.inputSize = checkSize(o.inputSize, 'sequential: inputSize');
    this.seed = optNumber(o.seed, 'sequential: seed', 0, { min: 0, max: 0xffffffff, integer: true });
    const rng = new MersenneTwister(this.seed);
    this.backend = o.backend;
    this.layers = layers;
    this.buffers = new BufferCache(this.backend, 6);
    this.widths = buildLayers(layers, this.inputSize, this.backend, rng, this.buffers, initial, this);
    this.outputSize = this.widths[this.widths.length - 1];
  }

  /** the backend's element type */
  get dtype() {
    return this.backend.dtype;
  }

  /** Every parameter with its qualified name. */
  namedParams(): {
    /** the layer that holds it */
    layer: Layer;
    /** the parameter: its value and gradient tensors */
    param: Param;
    /** qualified: 'dense1.W' */
    name: string;
  }[] {
    return this.layers.flatMap((layer) =>
      layer.params().map((param) => ({ layer, param, name: `${layer.name}.${param.name}` })),
    );
  }

  /** Every parameter, copied out: names, shapes as in files, values. */
  getWeights(): Weight[] {
    this.alive();
    return this.namedParams().map(({ param, name }) => ({
      name,
      shape: shapeOfParam(param),
      data: param.value.toMatrix().data,
    }));
  }

  /** Replaces every weight; all are checked (names, shapes, finite values) before any is written. */
  setWeights(weights: { name?: string; shape?: number[]; data: ArrayLike<number> }[]): void {
    this.alive();
    const params = this.namedParams();
    const checked = checkWeights(params, weights, this.dtype);
    params.forEach(({ param }, i) => this.backend.assign(param.value, checked[i]));
  }

  /** A table of the layers: output shapes and parameter counts. */
  summary(): string {
    return summaryTable(this.layers, this.widths);
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
      const layer = L[i],
        next = L[i + 1];
      // A hidden dense layer with a bias, then relu, sigmoid or tanh: the bias and the activation
      // in one pass over Z (Z itself is not needed again: the backward passes use the
      // activation's output). The last pair is left alone: its Z is the logits the loss reads.
      if (
        layer instanceof Dense &&
        next instanceof Activation &&
        next.type !== 'softmax' &&
        next.type !== 'linear' &&
        i + 2 < L.length
      ) {
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

  /** Adapts each normalization layer to these inputs (each to what reaches it, in order). */
  adapt(x: MatrixLike): void {
    this.alive();
    if (!this.layers.some((l) => l instanceof Normalization))
      throw new Error('adapt: the model has no normalization layer');
    const X = this.inputs(x, 'adapt');
    this.transaction(() => {
      const xt = this.backend.tensor(X);
      try {
        let a = xt;
        const mode = { training: false, step: this.step, seed: this.seed };
        for (const layer of this.layers) {
          if (layer instanceof Normalization) layer.adapt(a.toMatrix());
          a = layer.forward(a, mode);
        }
      } finally {
        xt.dispose();
      }
    });
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
  evaluate(x: MatrixLike, y: Labels, opts?: { loss?: LossName }): Evaluation {
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
  measure(loss: Loss, xt: Tensor, yt: Tensor, yData: FloatArray, scratch: FloatArray): Evaluation {
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

  /** Frees every tensor the model holds: weights, buffers, and its optimizer's state for it. */
  dispose(): void {
    if (this.disposed) return;
    if (this.training)
      throw new Error(
        'dispose: this model is training (fitAsync); stop it first: return false from a callback, then dispose',
      );
    this.optimizer?.release(this.namedParams().map((p) => p.param));
    this.optimizer = null;
    for (const l of this.layers) l.dispose();
    this.buffers.dispose();
    this.lastInput = this.lastOutput = null;
    this.disposed = true;
  }

  // ---- internals (also used by gradCheck) ----

  /** @internal forward, loss value; the gradient of the loss w.r.t. the output (or logits) into grad */
  lossAndGradient(
    loss: Loss,
    x: Tensor,
    y: Tensor,
    yData: FloatArray,
    grad: Tensor,
    out: FloatArray,
    mode: Mode,
  ): number {
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

  /** @internal the input of the last layer (the logits, for the fused losses) */
  logits(): Tensor {
    if (!this.lastInput) throw new Error('no forward pass yet');
    return this.lastInput;
  }

  /** @internal */
  inputs(x: MatrixLike, op: string): Matrix {
    return checkInputs(x, this.dtype, this.inputSize, op);
  }

  /** @internal labels as a [m × outputs] matrix in the model's dtype, checked against the loss */
  labels(y: Labels, m: number, op: string, loss: Loss): Matrix {
    return labelMatrix(y, m, this.outputSize, this.dtype, op, loss);
  }

  /** @internal the loss that fits the last layer: binaryCrossEntropy after sigmoid, … */
  defaultLoss(): LossName {
    return defaultLossAfter(this.layers[this.layers.length - 1].type);
  }

  /** @internal */
  checkLossFits(loss: Loss): void {
    const last = this.layers[this.layers.length - 1].type;
    if (loss.fusedWith && last !== loss.fusedWith) {
      throw new Error(
        `${loss.name} is computed from the logits of a final ${loss.fusedWith}() layer; this model ends in ${last}`,
      );
    }
  }

  /** @internal throws if the model was disposed */
  protected alive(): void {
    if (this.disposed) throw new Error('this model was disposed');
  }
}
