// TensorStore: the part of a backend that holds tensors: allocation and accounting, ownership
// checks (the table's operands included), copies in and out, and running an op on plain
// matrices through temporary tensors.
// Backend (backend.ts) adds the ops.
import {
  type DType,
  type FloatArray,
  type Matrix,
  type MatrixLike,
  arrayFor,
  checkSize,
  describe,
  readMatrix,
  shapeOf,
} from '../core/matrix.js';
import type { BackendName, BackendStats, Kernels, MemoryInfo, ThreadInfo } from './kernels.js';
import { OP_LIST, type OpSpec, ROLE } from './ops.js';
import { Tensor, type TensorBackend } from './tensor.js';

/** What each argument of an op may be. */
export type Input = Tensor | MatrixLike;

export abstract class TensorStore {
  private liveTensors = 0;
  private liveBytes = 0;
  /** @internal */
  protected ended = false;
  /** threads the ops run on (the calling one included): 1 on js */
  readonly threads: number;
  /** why `threads` is 1 although more were asked for ('auto' included); undefined otherwise */
  readonly threadsReason: string | undefined;

  /** @hidden made by createBackend() */
  constructor(
    /** 'wasm' or 'js' */
    readonly name: BackendName,
    /** 'float32' or 'float64': every tensor's element type */
    readonly dtype: DType,
    /** @internal */
    protected readonly k: Kernels,
    /** how the kernels were built: 'simd', 'scalar' or, for js, 'js' */
    readonly variant: string,
    threads: ThreadInfo = { count: 1 },
  ) {
    this.threads = threads.count;
    this.threadsReason = threads.reason;
  }

  /**
   * Ends the backend: its memory and, on the threaded wasm backend, its share of the worker
   * pool (the workers end with the last backend using them). Every later call is an error.
   */
  dispose(): void {
    if (this.ended) return;
    this.ended = true;
    this.k.dispose?.();
  }

  /** true once dispose() was called */
  get disposed(): boolean {
    return this.ended;
  }

  /** 'wasm/float32', … */
  toString(): string {
    return `${this.name}/${this.dtype}`;
  }

  // ---- tensors ----

  /** Copies a matrix into backend memory. */
  tensor(input: MatrixLike): Tensor {
    const m = readMatrix(input, this.dtype, 'tensor');
    const t = this.alloc(m.rows, m.cols);
    this.k.write(t, m.data);
    return t;
  }

  /** A new tensor of zeros. */
  zeros(rows: number, cols: number): Tensor {
    checkSize(rows, 'rows');
    checkSize(cols, 'cols');
    const t = this.alloc(rows, cols, 'zeros');
    this.k.write(t, arrayFor(this.dtype, rows * cols));
    return t;
  }

  /** Overwrites a tensor's values from a matrix of the same shape. */
  assign(t: Tensor, input: MatrixLike): Tensor {
    this.own(t, 'assign');
    const m = readMatrix(input, this.dtype, 'assign');
    if (m.rows !== t.rows || m.cols !== t.cols) {
      throw new Error(`assign: shape ${shapeOf(m)} does not match the tensor's ${shapeOf(t)}`);
    }
    this.k.write(t, m.data);
    return t;
  }

  /** @internal */
  read(t: Tensor): Matrix {
    this.own(t, 'toMatrix');
    return { rows: t.rows, cols: t.cols, data: this.k.read(t) };
  }

  /**
   * @internal A tensor of t's first `rows` rows, sharing its memory (row-major, so they are a
   * prefix): not counted in memory(), and its dispose() frees nothing. Valid while t is.
   */
  view(t: Tensor, rows: number): Tensor {
    this.own(t, 'view');
    if (!Number.isInteger(rows) || rows < 1 || rows > t.rows)
      throw new Error(`view: rows must be 1 to ${t.rows}, got ${rows}`);
    const handle = typeof t.handle === 'number' ? t.handle : t.handle.subarray(0, rows * t.cols);
    const v = new Tensor(this as unknown as TensorBackend, rows, t.cols, handle);
    v.view = true;
    return v;
  }

  /** @internal */
  free(t: Tensor): void {
    if (t.view) {
      t.disposed = true;
      return;
    }
    // after the backend's own dispose() its memory is gone already
    if (t.disposed || (this.ended && (t.backend as unknown) === this)) return;
    this.own(t, 'dispose');
    t.disposed = true;
    this.k.release(t.handle, t.size);
    this.liveTensors--;
    this.liveBytes -= this.bytesOf(t.size);
  }

  /** How the ops used the backend's threads lately: how many now, and why fewer than it may. */
  stats(): BackendStats {
    const t = this.k.threadStats?.();
    return t
      ? { threads: this.threads, ...t }
      : { threads: this.threads, threadsInUse: this.threads, splittableOps: 0, threadedOps: 0, probes: 0, changes: 0 };
  }

  /** What is in use: live tensors, their bytes, and what the backend has reserved. */
  memory(): MemoryInfo {
    return { tensors: this.liveTensors, bytes: this.liveBytes, reservedBytes: this.k.reservedBytes() };
  }

  /**
   * @internal Why tensors of these element counts could not all be allocated now (too big for a
   * typed array, or past what the backend's memory can hold), or null if they could: loaders
   * ask before they allocate anything.
   */
  cannotHold(sizes: readonly number[]): string | null {
    const per = this.dtype === 'float64' ? 8 : 4;
    const biggest = Math.max(0, ...sizes);
    if (biggest > 2 ** 32) return `a tensor of ${biggest} values is past the ${2 ** 32} a typed array can hold`;
    // 16-byte blocks, as the wasm heap gives them out
    const need = sizes.reduce((s, n) => s + Math.ceil((n * per) / 16) * 16, 0);
    const room = this.k.maxBytes() - this.liveBytes;
    if (need > room)
      return `${need} bytes of tensors are needed, and the ${this} backend can hold ${Math.max(0, room)} more`;
    return null;
  }

  // ---- helpers ----

  /** @internal a new tensor, counted */
  protected alloc(rows: number, cols: number, op = 'tensor'): Tensor {
    if (this.ended) throw new Error(`the ${this} backend was disposed: make a new one with createBackend`);
    const n = rows * cols;
    const why = this.cannotHold([n]);
    if (why) throw new Error(`${op}: ${why}`);
    let handle: number | FloatArray;
    try {
      handle = this.k.alloc(n);
    } catch (e) {
      throw new Error(
        `${op}: a tensor of ${n} values (${shapeOf({ rows, cols })}) cannot be allocated: ${(e as Error).message}`,
      );
    }
    // every TensorStore is a Backend (its one subclass), which is what a tensor's backend is
    const t = new Tensor(this as unknown as TensorBackend, rows, cols, handle);
    this.liveTensors++;
    this.liveBytes += this.bytesOf(n);
    return t;
  }

  protected bytesOf(n: number): number {
    return n * (this.dtype === 'float64' ? 8 : 4);
  }

  /** Checks that a tensor is live and belongs to this backend. */
  protected own(t: unknown, op: string): Tensor {
    if (this.ended) throw new Error(`${op}: the ${this} backend was disposed`);
    if (!(t instanceof Tensor)) throw new Error(`${op}: expected a Tensor, got ${String(t)}`);
    if ((t.backend as unknown) !== this) {
      throw new Error(
        `${op}: tensor ${shapeOf(t)} belongs to the ${t.backend} backend, not this ${this} one; ` +
          'copy it across with toMatrix()',
      );
    }
    if (t.disposed) throw new Error(`${op}: tensor ${shapeOf(t)} was disposed`);
    return t;
  }

  protected output(op: string, out: Tensor | undefined, rows: number, cols: number): Tensor {
    if (out === undefined) return this.alloc(rows, cols);
    this.own(out, op);
    if (out.rows !== rows || out.cols !== cols) {
      throw new Error(`${op}: out is ${shapeOf(out)}, the result is [${rows}×${cols}]`);
    }
    return out;
  }

  protected sameShape(op: string, a: Tensor, b: Tensor, an: string, bn: string): void {
    if (a.rows !== b.rows || a.cols !== b.cols) {
      throw new Error(`${op}: ${an} ${shapeOf(a)} and ${bn} ${shapeOf(b)} must have the same shape`);
    }
  }

  protected finite(op: string, v: unknown, what: string): void {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new Error(`${op}: ${what} must be a finite number, got ${describe(v)}`);
  }

  /**
   * Runs f on tensors: plain matrices among args are copied into temporary tensors (tensors
   * given are used as they are), and every temporary is freed afterwards.
   */
  protected withTensors<T>(op: string, args: readonly Input[], f: (ts: Tensor[]) => T): T {
    const temps: Tensor[] = [];
    try {
      const ts = args.map((a, i) => {
        if (a instanceof Tensor) return this.own(a, op);
        const m = readMatrix(a, this.dtype, `${op}: argument ${i + 1}`);
        const t = this.alloc(m.rows, m.cols);
        temps.push(t);
        this.k.write(t, m.data);
        return t;
      });
      return f(ts);
    } finally {
      for (const t of temps) t.dispose();
    }
  }

  /** Runs an op on plain matrices (see withTensors): the result comes back as a plain Matrix, and is freed. */
  protected plain(op: string, args: readonly Input[], out: Tensor | undefined, f: (ts: Tensor[]) => Tensor): Matrix {
    if (out !== undefined) throw new Error(`${op}: out is for tensor arguments; plain matrices get a plain result`);
    return this.withTensors(op, args, (ts) => {
      const result = f(ts);
      try {
        return result.toMatrix();
      } finally {
        if (!ts.includes(result)) result.dispose();
      }
    });
  }

  // ---- operands of the table's ops (ops.ts) ----

  /**
   * The op's operands in the table's order, in an array kept per op (the kernels read it before
   * the next op can come): each given one live and of this backend, of the first operand's shape
   * ('in', 'inout') or one row of its width ('row'); the output ('out', 'outRow') checked if
   * given, else allocated.
   */
  protected operands(
    spec: OpSpec,
    out: Tensor | undefined,
    name: string,
    a?: Tensor,
    b?: Tensor,
    c?: Tensor,
    d?: Tensor,
    e?: Tensor,
  ): Tensor[] {
    const ts = this.slots[spec.id],
      n = spec.given;
    if (n > 0) {
      const first = this.own(a, name);
      ts[0] = first;
      if (n > 1) ts[1] = this.operand(spec, 1, first, b, name);
      if (n > 2) ts[2] = this.operand(spec, 2, first, c, name);
      if (n > 3) ts[3] = this.operand(spec, 3, first, d, name);
      if (n > 4) ts[4] = this.operand(spec, 4, first, e, name);
    }
    if (n < ts.length) ts[n] = this.result(spec, n > 0 ? ts[0] : out, out, name);
    return ts;
  }

  /** The output operand: `out` checked (not the input, for a reduction over rows), or a new tensor. */
  private result(spec: OpSpec, first: Tensor | undefined, out: Tensor | undefined, name: string): Tensor {
    if (first === undefined) throw new Error(`${name}: ${spec.operands[spec.given][0]} is required`);
    const row = spec.roles[spec.given] === ROLE.outRow;
    const t = this.output(name, out, row ? 1 : first.rows, first.cols);
    // a reduction over rows reads its input while it writes: they must not be one tensor
    if (row && t.handle === first.handle) throw new Error(`${name}: out must not be the input`);
    return t;
  }

  /** Operand i after the first: live, of this backend, and the first's shape (or one row of its width). */
  private operand(spec: OpSpec, i: number, first: Tensor, given: Tensor | undefined, name: string): Tensor {
    const t = this.own(given, name);
    const row = spec.roles[i] === ROLE.row;
    if (row ? t.rows !== 1 || t.cols !== first.cols : t.rows !== first.rows || t.cols !== first.cols) {
      const x = spec.operands[0][0],
        what = spec.operands[i][0];
      if (row) throw new Error(`${name}: ${what} ${shapeOf(t)} must be [1×${first.cols}] for ${x} ${shapeOf(first)}`);
      this.sameShape(name, first, t, x, what);
    }
    return t;
  }

  /** per op, the array its operands are passed in */
  private readonly slots: Tensor[][] = OP_LIST.map((spec) => new Array<Tensor>(spec.operands.length));
}
