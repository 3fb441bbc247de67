// dropout(rate): inverted dropout. In training each unit is kept with probability 1 − rate and
// scaled by 1/(1 − rate); outside training the layer passes its input through.
// The mask is a hash of (seed, step, layer, element): a new mask each step, the same mask in
// forward and backward, and on every backend.
import type { Tensor } from '../backends/backend.js';
import type { Buffers, BuildContext, Layer, Mode, Param } from './layer.js';

/** Inverted dropout: in fit, each output is kept with probability 1 − rate and scaled by 1/(1 − rate); off in predict and evaluate. */
export class Dropout implements Layer {
  readonly type = 'dropout';
  name = 'dropout';
  private mask: Tensor | null = null;
  private bufs!: Buffers;
  private width = 0;
  private index = 0;

  constructor(
    /** the fraction dropped, in [0, 1) */
    readonly rate: number,
  ) {
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new Error(`dropout: rate must be in [0, 1), got ${String(rate)}`);
    }
  }

  build(inputSize: number, { index, buffers }: BuildContext): number {
    this.width = inputSize;
    this.index = index;
    this.bufs = buffers;
    return inputSize;
  }

  /** none */
  params(): Param[] {
    return [];
  }

  forward(x: Tensor, mode: Mode): Tensor {
    if (!mode.training || this.rate === 0) {
      this.mask = null;
      return x;
    }
    const be = x.backend;
    this.mask = this.bufs.get('mask', x.rows, this.width);
    be.dropoutMask(this.mask, this.rate, mode.seed, mode.step % 2 ** 32, this.index);
    return be.mul(x, this.mask, this.bufs.get('y', x.rows, this.width));
  }

  backward(dy: Tensor): Tensor {
    if (!this.mask) return dy;
    return dy.backend.mul(dy, this.mask, this.bufs.get('dx', dy.rows, this.width));
  }

  config(): Record<string, unknown> {
    return { rate: this.rate };
  }
  /** the buffers belong to the model */
  dispose(): void {}
}

/** A dropout layer dropping this fraction of its inputs in training. */
export const dropout = (rate: number): Dropout => new Dropout(rate);
