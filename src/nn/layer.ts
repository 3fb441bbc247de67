// The Layer interface: what sequential() needs from a layer. Write your own against it.
import type { Backend, Tensor } from '../backends/backend.js';
import type { MersenneTwister } from '../random.js';

/** A trainable parameter and its gradient (same shape), both in backend memory. */
export interface Param {
  /** 'W' or 'b', or a name of your own */
  name: string;
  value: Tensor;
  grad: Tensor;
  /** whether L2 applies (weights yes, biases no) */
  regularize: boolean;
}

/** How a forward pass runs: training switches dropout on; step picks its mask. */
export interface Mode {
  training: boolean;
  step: number;
  /** the model's seed, for masks */
  seed: number;
}

/** What build() gets: the backend, the initializer's generator, the layer's position. */
export interface BuildContext {
  backend: Backend;
  rng: MersenneTwister;
  /** 1-based position in the model */
  index: number;
}

export interface Layer {
  /** the layer's kind: 'dense', 'relu', … (a name of your own for your layers) */
  readonly type: string;
  /** set by sequential(): dense1, relu1, … */
  name: string;
  /** Creates parameters for this input width (drawing initial values) and returns the output width. */
  build(inputSize: number, ctx: BuildContext): number;
  params(): Param[];
  /** y = f(x). The result may be a buffer the layer reuses on the next call. */
  forward(x: Tensor, mode: Mode): Tensor;
  /**
   * Given dL/dy for the last forward, writes dL/dparam into each param's grad and returns dL/dx
   * (skipped, returning null, when needInputGrad is false).
   */
  backward(dy: Tensor, needInputGrad: boolean): Tensor | null;
  /** what toJSON() records to rebuild the layer */
  config(): Record<string, unknown>;
  /** frees the layer's tensors */
  dispose(): void;
}

/** Buffers reused across steps, one per (name, rows): a step after the first allocates nothing. */
export class BufferCache {
  private readonly map = new Map<string, Map<number, Tensor>>();
  constructor(private readonly backend: Backend) {}

  get(name: string, rows: number, cols: number): Tensor {
    let byRows = this.map.get(name);
    if (!byRows) {
      byRows = new Map();
      this.map.set(name, byRows);
    }
    let t = byRows.get(rows);
    if (!t) {
      t = this.backend.zeros(rows, cols);
      byRows.set(rows, t);
    }
    return t;
  }

  dispose(): void {
    for (const byRows of this.map.values()) for (const t of byRows.values()) t.dispose();
    this.map.clear();
  }
}
