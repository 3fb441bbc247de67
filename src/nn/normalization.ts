// normalization(): standardizes each input feature, (x − mean)/std, with the mean and variance of
// the data it was adapted to (the training set's: the test set is scaled by the same numbers), so
// the cost's contours are round and gradient descent goes straight. The statistics are state
// (saved and loaded with the model, never changed by fit); adapt() sets them. A feature with zero
// variance is centred and not divided (there is no scale to divide by).
import type { Backend, Tensor } from '../backends/backend.js';
import { type FloatArray, type Matrix, type MatrixLike, arrayFor, describe, readMatrix } from '../core/matrix.js';
import { checkOptions } from '../core/options.js';
import { columnStats } from '../core/stats.js';
import type { Buffers, BuildContext, Layer, Param } from './layer.js';

/** Standardizes each feature by statistics adapt() computed. */
export class Normalization implements Layer {
  readonly type = 'normalization';
  name = 'normalization';
  /** its width, set when the model is built */
  size = 0;
  private mean!: Param;
  private variance!: Param;
  private be!: Backend;
  private bufs!: Buffers;
  // scratch made once: the statistics as read, 1/std, a row staged in the backend's dtype
  private mean0!: FloatArray;
  private variance0!: FloatArray;
  private row!: FloatArray;
  private invstd!: Float64Array;

  constructor(opts?: Record<string, never>) {
    checkOptions(opts, [], 'normalization');
  }

  build(inputSize: number, { backend, buffers, initial }: BuildContext): number {
    const n = (this.size = inputSize);
    this.be = backend;
    this.bufs = buffers;
    const state = (name: string, fill: number): Param => ({
      name,
      value: backend.tensor({ rows: 1, cols: n, data: initial?.(name) ?? new Array<number>(n).fill(fill) }),
      grad: backend.zeros(1, n),
      regularize: false,
      shape: [n],
      trainable: false,
    });
    // until adapted: mean 0, variance 1, the identity
    this.mean = state('mean', 0);
    this.variance = state('variance', 1);
    this.row = arrayFor(backend.dtype, n);
    this.mean0 = arrayFor(backend.dtype, n);
    this.variance0 = arrayFor(backend.dtype, n);
    this.invstd = new Float64Array(n);
    return n;
  }

  /** the mean and the variance: state, not trained */
  params(): Param[] {
    return [this.mean, this.variance];
  }

  /**
   * Sets the mean and variance from these rows (the training inputs), in float64. Use the model's
   * adapt() for a normalization layer after other layers.
   */
  adapt(x: MatrixLike): void {
    if (!this.be) throw new Error('normalization: adapt needs the layer in a model (sequential([...]) builds it)');
    const X = readMatrix(x, 'float64', 'adapt: x');
    if (X.cols !== this.size) throw new Error(`adapt: x has ${X.cols} columns, the layer normalizes ${this.size}`);
    const bad = X.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0)
      throw new Error(
        `adapt: x[${Math.floor(bad / X.cols)}][${bad % X.cols}] is ${describe(X.data[bad])}, not a finite number`,
      );
    const { mean, variance } = columnStats(X);
    this.be.assign(this.mean.value, { rows: 1, cols: this.size, data: mean });
    this.be.assign(this.variance.value, { rows: 1, cols: this.size, data: variance });
  }

  forward(x: Tensor): Tensor {
    const be = this.be,
      n = this.size;
    const mean = be.readInto(this.mean.value, this.mean0);
    const variance = be.readInto(this.variance.value, this.variance0);
    for (let c = 0; c < n; c++) {
      const sd = Math.sqrt(variance[c]);
      this.invstd[c] = sd > 0 ? 1 / sd : 1;
    }
    const xc = be.addBias(x, this.write('negMean', mean, -1), this.bufs.get('xc', x.rows, n));
    return be.scaleShift(
      xc,
      this.write('invstd', this.invstd, 1),
      this.write('zeros', null, 1),
      this.bufs.get('y', x.rows, n),
    );
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    if (!needInputGrad) return null;
    // dx = dy / std, per column
    return this.be.scaleShift(
      dy,
      this.bufs.get('invstd', 1, this.size),
      this.bufs.get('zeros', 1, this.size),
      this.bufs.get('dx', dy.rows, this.size),
    );
  }

  /** sign·values (or zeros) into the buffer row `name` */
  private write(name: string, values: ArrayLike<number> | null, sign: number): Tensor {
    const t = this.bufs.get(name, 1, this.size);
    for (let c = 0; c < this.size; c++) this.row[c] = values ? sign * values[c] : 0;
    this.be.assign(t, { rows: 1, cols: this.size, data: this.row });
    return t;
  }

  config(): Record<string, unknown> {
    return {};
  }

  dispose(): void {
    for (const p of this.params()) {
      p.value.dispose();
      p.grad.dispose();
    }
  }
}

/** A layer that standardizes each input feature: adapt it (or the model) to the training inputs first. */
export const normalization = (): Normalization => new Normalization();

/** Statistics to standardize by: the training set's, for a test set. */
export interface StandardizeStats {
  /** each column's mean */
  mean: ArrayLike<number>;
  /** each column's standard deviation (0: centred only) */
  std: ArrayLike<number>;
}

/** What standardize returns. */
export interface Standardized {
  /** the standardized values, float64 */
  x: Matrix;
  /** each column's mean used */
  mean: Float64Array;
  /** each column's standard deviation used */
  std: Float64Array;
}

/**
 * Standardizes the columns of x: (x − mean)/std with x's own statistics, or with given ones (the
 * training set's, for a test set). A column with zero variance is centred, not divided.
 */
export function standardize(x: MatrixLike, stats?: StandardizeStats): Standardized {
  const X = readMatrix(x, 'float64', 'standardize: x');
  const bad = X.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    throw new Error(
      `standardize: x[${Math.floor(bad / X.cols)}][${bad % X.cols}] is ${describe(X.data[bad])}, not a finite number`,
    );
  let mean: Float64Array, std: Float64Array;
  if (stats === undefined) {
    const s = columnStats(X);
    mean = s.mean;
    std = s.variance.map(Math.sqrt);
  } else {
    checkOptions(stats, ['mean', 'std'], 'standardize');
    const vec = (v: unknown, what: string) => {
      if (!v || typeof (v as ArrayLike<number>).length !== 'number' || (v as ArrayLike<number>).length !== X.cols)
        throw new Error(`standardize: ${what} must hold ${X.cols} numbers (one per column), got ${describe(v)}`);
      const a = Float64Array.from(v as ArrayLike<number>);
      const i = a.findIndex((u) => !Number.isFinite(u) || (what === 'std' && u < 0));
      if (i >= 0)
        throw new Error(
          `standardize: ${what}[${i}] is ${describe(a[i])}, not a finite number${what === 'std' ? ' ≥ 0' : ''}`,
        );
      return a;
    };
    mean = vec(stats.mean, 'mean');
    std = vec(stats.std, 'std');
  }
  const out = new Float64Array(X.data.length);
  for (let i = 0; i < out.length; i++) {
    const c = i % X.cols;
    out[i] = (X.data[i] - mean[c]) / (std[c] > 0 ? std[c] : 1);
  }
  return { x: { rows: X.rows, cols: X.cols, data: out }, mean, std };
}
