// batchNorm(): batch normalization over the features (columns) of a dense stack, with PyTorch's
// BatchNorm1d semantics. In training: x̂ = (x − μ_B)/√(σ²_B + ε) with the batch's mean and biased
// variance, y = γ·x̂ + β, and running statistics updated by `momentum` (the running variance
// from the unbiased batch variance). In inference: the running statistics instead of the batch's.
// The per-column statistics are a few numbers a step, computed here in float64 from column sums
// the backend makes (sumCols: the same bits on any thread count); the per-element work is the
// backend's scaleShift and batchNormBackward kernels.
import type { Backend, Tensor } from '../backends/backend.js';
import { type FloatArray, arrayFor } from '../core/matrix.js';
import { checkOptions, optBoolean, optNumber } from '../core/options.js';
import type { Buffers, BuildContext, Layer, Mode, Param } from './layer.js';

/** The options of batchNorm(). */
export interface BatchNormOptions {
  /** weight of the new batch in the running statistics (default 0.1, PyTorch's; Keras' momentum 0.99 is 0.01 here) */
  momentum?: number;
  /** added to the variance before the square root (default 1e-5) */
  epsilon?: number;
  /** learn a scale γ and a shift β per feature (default true) */
  affine?: boolean;
}

/** Batch normalization of each feature (column), as PyTorch's BatchNorm1d. */
export class BatchNorm implements Layer {
  readonly type = 'batchNorm';
  name = 'batchNorm';
  /** weight of the new batch in the running statistics */
  readonly momentum: number;
  /** added to the variance before the square root */
  readonly epsilon: number;
  /** whether it learns γ and β */
  readonly affine: boolean;
  /** its width, set when the model is built */
  size = 0;
  private gamma: Param | null = null;
  private beta: Param | null = null;
  private mean!: Param;
  private variance!: Param;
  private bufs!: Buffers;
  private be!: Backend;
  // float64 scratch for the per-column numbers, made once (invstd also carries the last pass's
  // to backward); `row` stages a row in the backend's dtype
  private host!: {
    a: Float64Array;
    b: Float64Array;
    k: Float64Array;
    invstd: Float64Array;
    scale: Float64Array;
    gamma: Float64Array;
    zeros: Float64Array;
    row: FloatArray;
  };
  private xhat: Tensor | null = null;
  private lastInput: Tensor | null = null;
  private evalXc: Tensor | null = null;

  constructor(opts?: BatchNormOptions) {
    const o = checkOptions(opts, ['momentum', 'epsilon', 'affine'], 'batchNorm');
    this.momentum = optNumber(o.momentum, 'batchNorm: momentum', 0.1, { min: 0, max: 1 });
    this.epsilon = optNumber(o.epsilon, 'batchNorm: epsilon', 1e-5, { min: 0, minOpen: true });
    this.affine = optBoolean(o.affine, 'batchNorm: affine', true);
  }

  build(inputSize: number, { backend, buffers, initial }: BuildContext): number {
    this.size = inputSize;
    this.be = backend;
    this.bufs = buffers;
    const n = inputSize;
    // a saved value when the model is loaded, else the fill (γ 1, β 0, mean 0, variance 1)
    const row = (name: string, fill: number): Tensor =>
      backend.tensor({ rows: 1, cols: n, data: initial?.(name) ?? new Array<number>(n).fill(fill) });
    const param = (name: string, fill: number, trainable: boolean): Param => ({
      name,
      value: row(name, fill),
      grad: backend.zeros(1, n),
      regularize: false,
      shape: [n],
      ...(trainable ? {} : { trainable: false }),
    });
    if (this.affine) {
      this.gamma = param('gamma', 1, true);
      this.beta = param('beta', 0, true);
    }
    this.mean = param('runningMean', 0, false);
    this.variance = param('runningVar', 1, false);
    const f64 = () => new Float64Array(n);
    this.host = {
      a: f64(),
      b: f64(),
      k: f64(),
      invstd: f64(),
      scale: f64(),
      gamma: f64(),
      zeros: f64(),
      row: arrayFor(backend.dtype, n),
    };
    return n;
  }

  /** γ and β (trainable, unless affine is false), then the running mean and variance (state) */
  params(): Param[] {
    const state = [this.mean, this.variance];
    return this.gamma && this.beta ? [this.gamma, this.beta, ...state] : state;
  }

  forward(x: Tensor, mode: Mode): Tensor {
    const be = this.be,
      m = x.rows,
      n = this.size,
      h = this.host;
    const y = this.bufs.get('y', m, n);
    this.lastInput = x;
    if (!mode.training) {
      // inference: (x − running mean)·γ/√(running var + ε) + β
      const rm = this.read(this.mean.value, h.a),
        rv = this.read(this.variance.value, h.b);
      const xc = be.addBias(x, this.write('negMean', rm, -1), this.bufs.get('xc', m, n));
      for (let c = 0; c < n; c++) h.invstd[c] = 1 / Math.sqrt(rv[c] + this.epsilon);
      const shift = this.beta ? this.beta.value : this.write('zeros', h.zeros, 1);
      // a backward after it (inspect's) differentiates this affine map: x̂ from the running statistics
      this.xhat = null;
      this.evalXc = xc;
      return be.scaleShift(xc, this.write('scale', this.gammaTimesInvstd(), 1), shift, y);
    }
    this.evalXc = null;
    if (m < 2)
      throw new Error(
        `${this.name}: a training batch of ${m} row has no variance to normalize by; use batches of 2 rows or more`,
      );
    // the batch's mean, then its biased variance from the centred values
    const mean = this.read(be.sumCols(x, this.bufs.get('sum', 1, n)), h.a);
    for (let c = 0; c < n; c++) mean[c] /= m;
    const xc = be.addBias(x, this.write('negMean', mean, -1), this.bufs.get('xc', m, n));
    const sq = be.mul(xc, xc, this.bufs.get('sq', m, n));
    const variance = this.read(be.sumCols(sq, this.bufs.get('sum', 1, n)), h.b);
    for (let c = 0; c < n; c++) {
      variance[c] /= m;
      h.invstd[c] = 1 / Math.sqrt(variance[c] + this.epsilon);
    }
    const xhat = be.scaleShift(
      xc,
      this.write('invstd', h.invstd, 1),
      this.write('zeros', h.zeros, 1),
      this.bufs.get('xhat', m, n),
    );
    this.xhat = xhat;
    this.updateRunning(mean, variance, m);
    return this.gamma && this.beta ? be.scaleShift(xhat, this.gamma.value, this.beta.value, y) : xhat;
  }

  /** running = (1 − momentum)·running + momentum·batch, the variance unbiased (× m/(m − 1)) */
  private updateRunning(mean: Float64Array, variance: Float64Array, m: number): void {
    const n = this.size,
      k = this.momentum;
    // mean and variance sit in host.a and host.b: the running ones go to scale and k
    const rm = this.read(this.mean.value, this.host.scale);
    const rv = this.read(this.variance.value, this.host.k);
    for (let c = 0; c < n; c++) {
      rm[c] = (1 - k) * rm[c] + k * mean[c];
      rv[c] = (1 - k) * rv[c] + k * ((variance[c] * m) / (m - 1));
    }
    this.be.assign(this.mean.value, { rows: 1, cols: n, data: rm });
    this.be.assign(this.variance.value, { rows: 1, cols: n, data: rv });
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    const be = this.be,
      m = dy.rows,
      n = this.size,
      h = this.host;
    const xc = this.evalXc;
    if (xc) {
      // after an inference pass: y = x̂·γ + β with x̂ = (x − running mean)/√(running var + ε) fixed,
      // so dx = dy·γ/√(running var + ε)
      this.xhat = be.scaleShift(
        xc,
        this.write('invstd', h.invstd, 1),
        this.write('zeros', h.zeros, 1),
        this.bufs.get('xhat', m, n),
      );
    }
    const xhat = this.xhat;
    if (!xhat) throw new Error(`${this.name}: backward needs a forward pass first`);
    // Σ dy and Σ dy·x̂ per column: dβ and dγ
    const sumDy = this.read(be.sumCols(dy, this.bufs.get('sum', 1, n)), h.a);
    const prod = be.mul(dy, xhat, this.bufs.get('sq', m, n));
    const sumDyX = this.read(be.sumCols(prod, this.bufs.get('sum', 1, n)), h.b);
    if (this.gamma && this.beta) {
      be.assign(this.beta.grad, { rows: 1, cols: n, data: sumDy });
      be.assign(this.gamma.grad, { rows: 1, cols: n, data: sumDyX });
    }
    if (!needInputGrad) return null;
    const a = this.gammaTimesInvstd();
    if (xc) return be.scaleShift(dy, this.write('a', a, 1), this.write('k', h.zeros, 1), this.bufs.get('dx', m, n));
    // dx = (γ/(m·σ))·(m·dy − Σdy − x̂·Σ dy·x̂) = dy·a + x̂·b + k
    const b = h.gamma, // γ was read into it and used: free now
      k = h.k;
    for (let c = 0; c < n; c++) {
      b[c] = (-a[c] * sumDyX[c]) / m;
      k[c] = (-a[c] * sumDy[c]) / m;
    }
    return be.batchNormBackward(
      dy,
      xhat,
      this.write('a', a, 1),
      this.write('b', b, 1),
      this.write('k', k, 1),
      this.bufs.get('dx', m, n),
    );
  }

  /** γ·invstd per column (invstd alone without γ), into host.scale */
  private gammaTimesInvstd(): Float64Array {
    const h = this.host;
    const g = this.gamma ? this.read(this.gamma.value, h.gamma) : null;
    for (let c = 0; c < this.size; c++) h.scale[c] = (g ? g[c] : 1) * h.invstd[c];
    return h.scale;
  }

  /** @internal the input of the last forward pass (inspect reads it) */
  input(): Tensor | null {
    return this.lastInput;
  }

  /** a [1×n] tensor's values into a float64 array */
  private read(t: Tensor, into: Float64Array): Float64Array {
    const r = this.be.readInto(t, this.host.row);
    for (let c = 0; c < this.size; c++) into[c] = r[c];
    return into;
  }

  /** sign·values into the buffer row `name` */
  private write(name: string, values: Float64Array, sign: number): Tensor {
    const t = this.bufs.get(name, 1, this.size);
    const r = this.host.row;
    for (let c = 0; c < this.size; c++) r[c] = sign * values[c];
    this.be.assign(t, { rows: 1, cols: this.size, data: r });
    return t;
  }

  config(): Record<string, unknown> {
    return { momentum: this.momentum, epsilon: this.epsilon, affine: this.affine };
  }

  dispose(): void {
    for (const p of this.params()) {
      p.value.dispose();
      p.grad.dispose();
    }
  }
}

/** Batch normalization over the features, PyTorch's BatchNorm1d semantics. */
export const batchNorm = (opts?: BatchNormOptions): BatchNorm => new BatchNorm(opts);
