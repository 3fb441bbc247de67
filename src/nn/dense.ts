// dense(units): Z = X·Wᵀ + b, with W [units × inputs] as in the course and PyTorch.
import type { Tensor } from '../backends/backend.js';
import { checkSize } from '../core/matrix.js';
import type { Buffers, BuildContext, Layer, Param } from './layer.js';
import { checkOptions, optBoolean, optNumber } from '../core/options.js';
import { type InitName, checkInit, initWeights } from './initializers.js';

/** The options of dense(). */
export interface DenseOptions {
  /** 'he' (default), 'xavier', 'random' or 'zeros' */
  init?: InitName;
  /** the factor for init 'random' (default 10, as in the course) */
  scale?: number;
  /** add a bias b [units] (default true) */
  useBias?: boolean;
}

/** A fully connected layer: Z = X·Wᵀ + b, W [units × inputs] as PyTorch stores Linear.weight. */
export class Dense implements Layer {
  readonly type = 'dense';
  name = 'dense';
  /** how W is drawn */
  readonly init: InitName;
  /** the factor of init 'random' */
  readonly scale: number;
  /** whether it has a bias */
  readonly useBias: boolean;
  /** its input width, set when the model is built */
  inputSize = 0;
  protected W!: Param;
  protected b: Param | null = null;
  protected x: Tensor | null = null;
  protected bufs!: Buffers;

  constructor(
    /** its output width */
    readonly units: number,
    opts?: DenseOptions,
  ) {
    checkSize(units, 'dense: units');
    const o = checkOptions(opts, ['init', 'scale', 'useBias'], 'dense');
    this.init = o.init === undefined ? 'he' : checkInit(o.init);
    this.scale = optNumber(o.scale, 'dense: scale', 10);
    this.useBias = optBoolean(o.useBias, 'dense: useBias', true);
  }

  build(inputSize: number, { backend, rng, buffers, initial }: BuildContext): number {
    this.inputSize = inputSize;
    const w = initial?.('W') ?? initWeights(this.init, this.units, inputSize, rng, this.scale);
    this.W = {
      name: 'W',
      value: backend.tensor({ rows: this.units, cols: inputSize, data: w }),
      grad: backend.zeros(this.units, inputSize),
      regularize: true,
    };
    if (this.useBias) {
      const b = initial?.('b');
      this.b = {
        name: 'b',
        value: b ? backend.tensor({ rows: 1, cols: this.units, data: b }) : backend.zeros(1, this.units),
        grad: backend.zeros(1, this.units),
        regularize: false,
        shape: [this.units],
      };
    }
    this.bufs = buffers;
    return this.units;
  }

  /** W, then b if it has one */
  params(): Param[] {
    return this.b ? [this.W, this.b] : this.W ? [this.W] : [];
  }

  forward(x: Tensor): Tensor {
    const z = this.forwardWithoutBias(x);
    if (this.b) x.backend.addBias(z, this.b.value, z);
    return z;
  }

  /** @internal X·Wᵀ alone, for the model to add the bias together with the next activation */
  forwardWithoutBias(x: Tensor): Tensor {
    this.x = x;
    const z = this.bufs.get('z', x.rows, this.units);
    return x.backend.matmul(x, this.W.value, { transB: true, out: z });
  }

  /** @internal the bias, if the layer has one */
  bias(): Tensor | null {
    return this.b ? this.b.value : null;
  }

  backward(dz: Tensor, needInputGrad: boolean): Tensor | null {
    const be = dz.backend;
    const x = this.x!;
    be.matmul(dz, x, { transA: true, out: this.W.grad }); // dW = dZᵀ·X
    if (this.b) be.sumCols(dz, this.b.grad); //              db = Σ over examples
    if (!needInputGrad) return null;
    const dx = this.bufs.get('dx', dz.rows, this.inputSize);
    return be.matmul(dz, this.W.value, { out: dx }); //      dX = dZ·W
  }

  config(): Record<string, unknown> {
    return {
      units: this.units,
      init: this.init,
      ...(this.init === 'random' ? { scale: this.scale } : {}),
      useBias: this.useBias,
    };
  }

  dispose(): void {
    for (const p of this.params()) {
      p.value.dispose();
      p.grad.dispose();
    }
  }
}

/** A dense layer of `units` outputs. */
export const dense = (units: number, opts?: DenseOptions): Dense => new Dense(units, opts);
