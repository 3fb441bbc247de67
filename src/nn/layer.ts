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
 * Buffers reused across steps, one per (name, rows): a step after the first allocates nothing.
 * At most `sizes` row counts are kept (the least recently used are freed), so predicting at any
 * number of batch sizes keeps memory bounded. Between begin() and commit() nothing is freed, and
 * rollback() frees exactly what was made since begin(): a failed call leaves memory as it was.
 */
export class BufferCache implements Buffers {
  /** rows → name → tensor; a Map keeps insertion order, re-inserting marks a row count recent */
  private readonly byRows = new Map<number, Map<string, Tensor>>();
  /** what was made since the outermost begin(), and where each nested begin() started */
  private made: { rows: number; name: string }[] = [];
  private marks: number[] = [];

  constructor(
    private readonly backend: Backend,
    private readonly sizes = 4,
  ) {}

  /** the row count asked for last, and its buffers: a step asks for one row count many times */
  private recentRows = -1;
  private recent: Map<string, Tensor> | null = null;

  /** The buffer of that name and shape, made on first use; an error if that name has other columns. */
  get(name: string, rows: number, cols: number): Tensor {
    let named = rows === this.recentRows ? this.recent : null;
    if (!named) {
      named = this.byRows.get(rows) ?? new Map<string, Tensor>();
      this.byRows.delete(rows);
      this.byRows.set(rows, named); // now the most recent
      this.recentRows = rows;
      this.recent = named;
    }
    let t = named.get(name);
    if (t && t.cols !== cols) {
      throw new Error(`BufferCache.get: buffer '${name}' is [${rows}×${t.cols}]; asked for [${rows}×${cols}]`);
    }
    if (!t) {
      t = this.backend.zeros(rows, cols);
      named.set(name, t);
      if (this.marks.length > 0) this.made.push({ rows, name });
      else this.trim();
    }
    return t;
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

  /** @internal keeps what was made; the outermost commit frees row counts past the limit */
  commit(): void {
    this.marks.pop();
    if (this.marks.length === 0) {
      this.made = [];
      this.trim();
    }
  }

  /** @internal frees what was made since the matching begin() */
  rollback(): void {
    const mark = this.marks.pop() ?? 0;
    for (const { rows, name } of this.made.splice(mark)) {
      const named = this.byRows.get(rows);
      const t = named?.get(name);
      if (!named || !t) continue;
      t.dispose();
      named.delete(name);
      if (named.size === 0) this.byRows.delete(rows);
    }
    this.recentRows = -1;
    this.recent = null;
  }

  private trim(): void {
    for (const [rows, named] of this.byRows) {
      if (this.byRows.size <= this.sizes) break;
      for (const t of named.values()) t.dispose();
      this.byRows.delete(rows);
      if (rows === this.recentRows) {
        this.recentRows = -1;
        this.recent = null;
      }
    }
  }

  /** Frees every buffer. */
  dispose(): void {
    for (const named of this.byRows.values()) for (const t of named.values()) t.dispose();
    this.byRows.clear();
    this.recentRows = -1;
    this.recent = null;
    this.made = [];
    this.marks = [];
  }
}
