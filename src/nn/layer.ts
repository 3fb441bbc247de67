// The Layer interface: what sequential() needs from a layer. Write your own against it.
import type { Backend, Tensor } from '../backends/backend.js';
import type { MersenneTwister } from '../core/random.js';
import type { FloatArray } from '../core/matrix.js';

/** A trainable parameter and its gradient (same shape), both in backend memory. */
export interface Param {
  /** 'W' or 'b', or a name of your own */
  name: string;
  /** its values */
  value: Tensor;
  /** dL/dvalue after a backward pass, the same shape */
  grad: Tensor;
  /** whether L2 applies (weights yes, biases no) */
  regularize: boolean;
  /** the shape getWeights() and saved files give it: [units] for a bias; [rows, cols] if unset */
  shape?: number[];
  /**
   * false for state a layer keeps rather than learns (batch norm's running statistics): no
   * optimizer or gradient check touches it; it is saved, loaded and restored with the weights
   */
  trainable?: boolean;
}

/** How a forward pass runs: training switches dropout on; step picks its mask. */
export interface Mode {
  /** whether this pass trains: dropout is on */
  training: boolean;
  /** the training step: picks the dropout mask */
  step: number;
  /** the model's seed, for masks */
  seed: number;
}

/** What build() gets: the backend, the initializer's generator, the layer's position, its buffers. */
export interface BuildContext {
  /** the backend to allocate on */
  backend: Backend;
  /** the initializers' generator, shared by the model's layers in order */
  rng: MersenneTwister;
  /** 1-based position in the model */
  index: number;
  /** the model's reusable buffers, under this layer's own names */
  buffers: Buffers;
  /**
   * Saved values for this layer's parameters, by param name ('W', 'b'), when a model is loaded:
   * use them instead of drawing (a loaded model draws nothing). Values are checked already.
   */
  initial?: (param: string) => FloatArray | undefined;
}

/** What sequential() needs from a layer: dense, the activations, dropout, or one of your own. */
export interface Layer {
  /** the layer's kind: 'dense', 'relu', … (a name of your own for your layers) */
  readonly type: string;
  /** set by sequential(): dense1, relu1, … */
  name: string;
  /** Creates parameters for this input width (drawing initial values) and returns the output width. */
  build(inputSize: number, ctx: BuildContext): number;
  /** its trainable parameters (none for activations and dropout) */
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

/** Reusable tensors by name and row count: what BufferCache.scope() hands a layer. */
export interface Buffers {
  /** a tensor of this shape kept under this name; the same one on the next call with the same shape */
  get(name: string, rows: number, cols: number): Tensor;
}

/**
 * Buffers reused across steps: one per name, sized for the most rows asked for yet, and handed out
 * for fewer rows as a view of its first rows (row-major: a prefix), so predicting at any number of
 * batch sizes keeps one set, the largest batch's, and a step after the first allocates nothing.
 * Between begin() and commit() nothing is freed (a buffer outgrown meanwhile is kept), and
 * rollback() frees exactly what was made since begin() and puts back what it replaced: a failed
 * call leaves memory as it was.
 */
export class BufferCache implements Buffers {
  /** name → the buffer, and its views by row count */
  private readonly entries = new Map<string, { base: Tensor; views: Map<number, Tensor> }>();
  /** what was made since the outermost begin() (and the entry it replaced), and where each nested begin() started */
  private made: { name: string; previous: { base: Tensor; views: Map<number, Tensor> } | null }[] = [];
  private marks: number[] = [];

  constructor(
    private readonly backend: Backend,
    /** views kept per buffer (they are small objects; the memory is the buffer's) */
    private readonly sizes = 8,
  ) {}

  /** The buffer of that name and shape (or a view of a bigger one's first rows), made on first use; an error if that name has other columns. */
  get(name: string, rows: number, cols: number): Tensor {
    let e = this.entries.get(name);
    if (e && e.base.cols !== cols) {
      throw new Error(
        `BufferCache.get: buffer '${name}' is [${e.base.rows}×${e.base.cols}]; asked for [${rows}×${cols}]`,
      );
    }
    if (!e || rows > e.base.rows) {
      const next = { base: this.backend.zeros(rows, cols), views: new Map<number, Tensor>() };
      if (this.marks.length > 0) this.made.push({ name, previous: e ?? null });
      else if (e) e.base.dispose();
      this.entries.set(name, next);
      e = next;
    }
    if (rows === e.base.rows) return e.base;
    let v = e.views.get(rows);
    if (!v) {
      v = this.backend.view(e.base, rows);
      e.views.set(rows, v);
      // the oldest view goes first (a Map keeps insertion order)
      if (e.views.size > this.sizes) e.views.delete(e.views.keys().next().value!);
    }
    return v;
  }

  /** The same cache, with names prefixed: one per layer. */
  scope(prefix: string): Buffers {
    const keys = new Map<string, string>(); // made once: no string built per call
    return {
      get: (name, rows, cols) => {
        let key = keys.get(name);
        if (key === undefined) keys.set(name, (key = `${prefix}.${name}`));
        return this.get(key, rows, cols);
      },
    };
  }

  /** @internal starts recording what is made, and holds off freeing (calls nest) */
  begin(): void {
    this.marks.push(this.made.length);
  }

  /** @internal keeps what was made; the outermost commit frees the buffers it outgrew */
  commit(): void {
    this.marks.pop();
    if (this.marks.length === 0) {
      for (const { previous } of this.made) previous?.base.dispose();
      this.made = [];
    }
  }

  /** @internal frees what was made since the matching begin(), putting back what it replaced */
  rollback(): void {
    const mark = this.marks.pop() ?? 0;
    for (const { name, previous } of this.made.splice(mark).reverse()) {
      this.entries.get(name)?.base.dispose();
      if (previous) this.entries.set(name, previous);
      else this.entries.delete(name);
    }
  }

  /** Frees every buffer. */
  dispose(): void {
    for (const e of this.entries.values()) e.base.dispose();
    for (const { previous } of this.made) previous?.base.dispose();
    this.entries.clear();
    this.made = [];
    this.marks = [];
  }
}
