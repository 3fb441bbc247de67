// Activation layers: relu, sigmoid, tanh, softmax (row-wise), and linear (the identity: what a
// network without non-linearity computes). Backward uses the forward output.
import type { Tensor } from '../backends/backend.js';
import type { Buffers, BuildContext, Layer, Param } from './layer.js';

/** The activation layers. */
export type ActivationName = 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'linear';

/** An activation layer: relu, sigmoid, tanh, softmax (row-wise) or linear, with no parameters. */
export class Activation implements Layer {
  name: string;
  private y: Tensor | null = null;
  private bufs!: Buffers;
  private width = 0;

  constructor(readonly type: ActivationName) {
    this.name = type;
  }

  build(inputSize: number, { buffers }: BuildContext): number {
    this.width = inputSize;
    this.bufs = buffers;
    return inputSize;
  }

  /** none */
  params(): Param[] {
    return [];
  }

  forward(x: Tensor): Tensor {
    const y = this.bufs.get('y', x.rows, this.width);
    // linear copies (×1 is exact): the layer's output is its own buffer, as every layer's is
    this.y = this.type === 'linear' ? x.backend.scale(x, 1, y) : x.backend[this.type](x, y);
    return y;
  }

  /** @internal y = f(z + b) in one pass: the dense layer before it leaves its bias to this */
  forwardWithBias(z: Tensor, b: Tensor): Tensor {
    if (this.type === 'softmax' || this.type === 'linear') throw new Error(`${this.type}: no fused bias`);
    const y = this.bufs.get('y', z.rows, this.width);
    this.y = z.backend.addBias(z, b, y, this.type);
    return y;
  }

  backward(dy: Tensor): Tensor {
    const dx = this.bufs.get('dx', dy.rows, this.width);
    const be = dy.backend;
    const y = this.y!;
    switch (this.type) {
      case 'relu':
        return be.reluBackward(dy, y, dx);
      case 'sigmoid':
        return be.sigmoidBackward(dy, y, dx);
      case 'tanh':
        return be.tanhBackward(dy, y, dx);
      case 'softmax':
        return be.softmaxBackward(dy, y, dx);
      case 'linear':
        return be.scale(dy, 1, dx);
    }
  }

  /** @internal the output of the last forward pass (gradCheck reads ReLU's to find kinks) */
  output(): Tensor | null {
    return this.y;
  }

  config(): Record<string, unknown> {
    return {};
  }
  /** the buffers belong to the model */
  dispose(): void {}
}

/** max(x, 0) */
export const relu = (): Activation => new Activation('relu');
/** 1 / (1 + e^−x); with binaryCrossEntropy the loss is computed from the logits */
export const sigmoid = (): Activation => new Activation('sigmoid');
/** tanh(x) */
export const tanh = (): Activation => new Activation('tanh');
/** row-wise e^x / Σ e^x; with categoricalCrossEntropy the loss is computed from the logits */
export const softmax = (): Activation => new Activation('softmax');
/** x itself: a stack of dense layers with linear activations computes one linear map */
export const linear = (): Activation => new Activation('linear');
