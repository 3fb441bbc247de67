// The Backend: a small set of low-level ops on tensors that live in backend memory.
// This base class owns everything both backends share — argument checks, plain-matrix in/out,
// output allocation — and hands each op to a raw kernel that the js or wasm backend supplies.
import { dropoutKey } from '../core/hash.js';
import { powInt } from '../core/math.js';
import { checkOptions, optBoolean } from '../core/options.js';
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

import { Tensor } from './tensor.js';
import type { BackendName, Kernels, MatmulOptions, MemoryInfo, ThreadInfo, UnaryOp } from './kernels.js';

export { Tensor } from './tensor.js';
export type { BackendName, Kernels, MatmulOptions, MemoryInfo, ThreadInfo, UnaryOp } from './kernels.js';

declare module './tensor.js' {
  // a tensor's backend is the whole Backend: t.backend.matmul(…) type-checks
  interface TensorBackend extends Backend {}
}

const UNARY_OPS: UnaryOp[] = ['relu', 'sigmoid', 'tanh'];
const BACKWARD_NAMES = { relu: 'reluBackward', sigmoid: 'sigmoidBackward', tanh: 'tanhBackward' } as const;

/** What each argument of an op may be. */
export type Input = Tensor | MatrixLike;

export class Backend {
  private liveTensors = 0;
  private liveBytes = 0;
  private ended = false;
  /** threads the ops run on (the calling one included): 1 on js */
  readonly threads: number;
  /** why `threads` is 1 although more were asked for ('auto' included); undefined otherwise */
  readonly threadsReason: string | undefined;

  constructor(
    readonly name: BackendName,
    readonly dtype: DType,
    private readonly k: Kernels,
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
    const t = this.alloc(rows, cols);
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

  /** @internal */
  free(t: Tensor): void {
    // after the backend's own dispose() its memory is gone already
    if (t.disposed || (this.ended && t.backend === this)) return;
    this.own(t, 'dispose');
    t.disposed = true;
    this.k.release(t.handle, t.size);
    this.liveTensors--;
    this.liveBytes -= this.bytesOf(t.size);
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

  // ---- ops ----

  // Each op: tensors go straight to the kernel (nothing allocated on this path); plain matrices
  // go through plain(), which copies them in and the result out.

  /** C = op(A)·op(B), op transposing when transA / transB is set. */
  matmul(a: Tensor, b: Tensor, opts?: MatmulOptions): Tensor;
  matmul(a: Input, b: Input, opts?: MatmulOptions): Matrix;
  matmul(a: Input, b: Input, options?: MatmulOptions): Tensor | Matrix {
    const opts = checkOptions(options, ['transA', 'transB', 'out', 'accumulate'], 'matmul');
    for (const k of ['transA', 'transB', 'accumulate'] as const) optBoolean(opts[k], `matmul: ${k}`, false);
    if (a instanceof Tensor && b instanceof Tensor) return this.matmulT(a, b, opts);
    return this.plain('matmul', [a, b], opts.out, (t) => this.matmulT(t[0], t[1], opts));
  }

  relu(x: Tensor, out?: Tensor): Tensor;
  relu(x: Input): Matrix;
  relu(x: Input, out?: Tensor): Tensor | Matrix {
    return this.unary('relu', x, out);
  }

  sigmoid(x: Tensor, out?: Tensor): Tensor;
  sigmoid(x: Input): Matrix;
  sigmoid(x: Input, out?: Tensor): Tensor | Matrix {
    return this.unary('sigmoid', x, out);
  }

  tanh(x: Tensor, out?: Tensor): Tensor;
  tanh(x: Input): Matrix;
  tanh(x: Input, out?: Tensor): Tensor | Matrix {
    return this.unary('tanh', x, out);
  }

  /** Row-wise softmax. */
  softmax(x: Tensor, out?: Tensor): Tensor;
  softmax(x: Input): Matrix;
  softmax(x: Input, out?: Tensor): Tensor | Matrix {
    if (x instanceof Tensor) return this.softmaxT(x, out);
    return this.plain('softmax', [x], out, (t) => this.softmaxT(t[0]));
  }

  /** dx = dy·relu'(x), from the forward output y. */
  reluBackward(dy: Tensor, y: Tensor, out?: Tensor): Tensor;
  reluBackward(dy: Input, y: Input): Matrix;
  reluBackward(dy: Input, y: Input, out?: Tensor): Tensor | Matrix {
    return this.unaryBackward('relu', dy, y, out);
  }

  /** dx = dy·y(1−y), from the forward output y. */
  sigmoidBackward(dy: Tensor, y: Tensor, out?: Tensor): Tensor;
  sigmoidBackward(dy: Input, y: Input): Matrix;
  sigmoidBackward(dy: Input, y: Input, out?: Tensor): Tensor | Matrix {
    return this.unaryBackward('sigmoid', dy, y, out);
  }

  /** dx = dy·(1−y²), from the forward output y. */
  tanhBackward(dy: Tensor, y: Tensor, out?: Tensor): Tensor;
  tanhBackward(dy: Input, y: Input): Matrix;
  tanhBackward(dy: Input, y: Input, out?: Tensor): Tensor | Matrix {
    return this.unaryBackward('tanh', dy, y, out);
  }

  /** Row-wise: dx = y ⊙ (dy − Σ dy⊙y), from the forward output y. */
  softmaxBackward(dy: Tensor, y: Tensor, out?: Tensor): Tensor;
  softmaxBackward(dy: Input, y: Input): Matrix;
  softmaxBackward(dy: Input, y: Input, out?: Tensor): Tensor | Matrix {
    if (dy instanceof Tensor && y instanceof Tensor) return this.softmaxBackwardT(dy, y, out);
    return this.plain('softmaxBackward', [dy, y], out, (t) => this.softmaxBackwardT(t[0], t[1]));
  }

  /** y = x + b, with the row b [1×cols] added to every row. */
  addBias(x: Tensor, b: Tensor, out?: Tensor, then?: UnaryOp): Tensor;
  addBias(x: Input, b: Input, out?: undefined, then?: UnaryOp): Matrix;
  addBias(x: Input, b: Input, out?: Tensor, then?: UnaryOp): Tensor | Matrix {
    if (then !== undefined && !UNARY_OPS.includes(then)) {
      throw new Error(
        `addBias: then must be ${UNARY_OPS.map((o) => `'${o}'`).join(', ')} or left out, got ${describe(then)}`,
      );
    }
    if (x instanceof Tensor && b instanceof Tensor) return this.addBiasT(x, b, out, then);
    return this.plain('addBias', [x, b], out, (t) => this.addBiasT(t[0], t[1], undefined, then));
  }

  /** Column sums: [rows×cols] → [1×cols]. */
  sumCols(x: Tensor, out?: Tensor): Tensor;
  sumCols(x: Input): Matrix;
  sumCols(x: Input, out?: Tensor): Tensor | Matrix {
    if (x instanceof Tensor) return this.sumColsT(x, out);
    return this.plain('sumCols', [x], out, (t) => this.sumColsT(t[0]));
  }

  /** y = alpha·x */
  scale(x: Tensor, alpha: number, out?: Tensor): Tensor;
  scale(x: Input, alpha: number): Matrix;
  scale(x: Input, alpha: number, out?: Tensor): Tensor | Matrix {
    this.finite('scale', alpha, 'alpha');
    if (x instanceof Tensor) return this.scaleT(x, alpha, out);
    return this.plain('scale', [x], out, (t) => this.scaleT(t[0], alpha));
  }

  /** y += alpha·x, in place on y; returns y. */
  axpy(alpha: number, x: Tensor, y: Tensor): Tensor {
    this.finite('axpy', alpha, 'alpha');
    this.own(x, 'axpy');
    this.own(y, 'axpy');
    this.sameShape('axpy', x, y, 'x', 'y');
    this.k.axpy(alpha, x, y);
    return y;
  }

  /** y = a ⊙ b, elementwise. */
  mul(a: Tensor, b: Tensor, out?: Tensor): Tensor;
  mul(a: Input, b: Input): Matrix;
  mul(a: Input, b: Input, out?: Tensor): Tensor | Matrix {
    if (a instanceof Tensor && b instanceof Tensor) return this.binaryT('mul', a, b, out);
    return this.plain('mul', [a, b], out, (t) => this.binaryT('mul', t[0], t[1]));
  }

  /** y = a − b, elementwise. */
  sub(a: Tensor, b: Tensor, out?: Tensor): Tensor;
  sub(a: Input, b: Input): Matrix;
  sub(a: Input, b: Input, out?: Tensor): Tensor | Matrix {
    if (a instanceof Tensor && b instanceof Tensor) return this.binaryT('sub', a, b, out);
    return this.plain('sub', [a, b], out, (t) => this.binaryT('sub', t[0], t[1]));
  }

  /**
   * Fills `out` with an inverted-dropout mask: 1/(1−rate) where kept, 0 where dropped. Element i
   * is drawn from a hash of (seed, step, layer, i): the same mask on every backend.
   */
  dropoutMask(out: Tensor, rate: number, seed: number, step: number, layer: number): Tensor {
    this.own(out, 'dropoutMask');
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new Error(`dropoutMask: rate must be in [0, 1), got ${String(rate)}`);
    }
    for (const [v, what] of [
      [seed, 'seed'],
      [step, 'step'],
      [layer, 'layer'],
    ] as const) {
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
        throw new Error(`dropoutMask: ${what} must be an integer in [0, 2^32), got ${v}`);
    }
    const keep = this.dtype === 'float32' ? Math.fround(1 - rate) : 1 - rate;
    this.k.dropoutMask(dropoutKey(seed, step, layer), keep, out);
    return out;
  }

  /** Momentum step in place: v = β·v + (1−β)·g; w −= lr·v. */
  momentumUpdate(w: Tensor, g: Tensor, v: Tensor, lr: number, beta: number): void {
    this.params('momentumUpdate', [w, g, v]);
    this.k.momentumUpdate(lr, beta, w, g, v);
  }

  /** Adam step t (from 1) in place, with bias correction. */
  adamUpdate(
    w: Tensor,
    g: Tensor,
    m: Tensor,
    v: Tensor,
    o: { lr: number; beta1: number; beta2: number; epsilon: number; t: number },
  ): void {
    this.params('adamUpdate', [w, g, m, v]);
    const c1 = 1 - powInt(o.beta1, o.t),
      c2 = 1 - powInt(o.beta2, o.t);
    this.k.adamUpdate(o.lr, o.beta1, o.beta2, o.epsilon, c1, c2, w, g, m, v);
  }

  /** out's rows are src's rows indices[start], indices[start+1], … */
  gatherRows(src: Tensor, indices: Int32Array, start: number, out: Tensor): Tensor {
    this.own(src, 'gatherRows');
    this.own(out, 'gatherRows');
    if (out.cols !== src.cols)
      throw new Error(`gatherRows: out ${shapeOf(out)} and src ${shapeOf(src)} differ in columns`);
    if (start < 0 || start + out.rows > indices.length) {
      throw new Error(`gatherRows: rows ${start}..${start + out.rows - 1} are past the ${indices.length} indices`);
    }
    for (let i = start; i < start + out.rows; i++) {
      if (!(indices[i] >= 0 && indices[i] < src.rows))
        throw new Error(`gatherRows: index ${indices[i]} is outside src's ${src.rows} rows`);
    }
    this.k.gatherRows(src, indices, start, out);
    return out;
  }

  /** Copies a tensor's values into an existing array (no allocation). */
  readInto(t: Tensor, dst: FloatArray): FloatArray {
    this.own(t, 'readInto');
    if (dst.length < t.size) throw new Error(`readInto: array of ${dst.length} values is shorter than ${shapeOf(t)}`);
    this.k.readInto(t, dst);
    return dst;
  }

  /** Σ x², summed in float64. */
  sumSquares(x: Input): number {
    if (x instanceof Tensor) {
      this.own(x, 'sumSquares');
      return this.k.sumSquares(x);
    }
    const t = this.tensor(x);
    try {
      return this.k.sumSquares(t);
    } finally {
      t.dispose();
    }
  }

  /**
   * Σ max(z, 0) − z·y + log1p(exp(−|z|)) over all elements, in float64: the binary
   * cross-entropy of sigmoid(z) against labels y, summed. From the logits z, so a saturated
   * sigmoid never gives log(0).
   */
  sigmoidCrossEntropy(z: Input, y: Input): number {
    if (z instanceof Tensor && y instanceof Tensor) {
      this.own(z, 'sigmoidCrossEntropy');
      this.own(y, 'sigmoidCrossEntropy');
      this.sameShape('sigmoidCrossEntropy', z, y, 'z', 'y');
      return this.k.sigmoidCrossEntropy(z, y);
    }
    const zt = z instanceof Tensor ? z : this.tensor(z);
    try {
      const yt = y instanceof Tensor ? y : this.tensor(y);
      try {
        return this.sigmoidCrossEntropy(zt, yt);
      } finally {
        if (yt !== y) yt.dispose();
      }
    } finally {
      if (zt !== z) zt.dispose();
    }
  }

  // ---- helpers ----

  private params(op: string, ts: Tensor[]): void {
    for (const t of ts) this.own(t, op);
    for (const t of ts.slice(1)) this.sameShape(op, ts[0], t, 'w', 'state');
  }

  // ---- the ops on tensors ----

  private matmulT(A: Tensor, B: Tensor, opts: MatmulOptions): Tensor {
    this.own(A, 'matmul');
    this.own(B, 'matmul');
    const transA = !!opts.transA,
      transB = !!opts.transB;
    const M = transA ? A.cols : A.rows,
      K = transA ? A.rows : A.cols;
    const Kb = transB ? B.cols : B.rows,
      N = transB ? B.rows : B.cols;
    if (K !== Kb) {
      throw new Error(
        `matmul: inner dimensions differ: A ${shapeOf(A)}${transA ? 'ᵀ' : ''} · ` +
          `B ${shapeOf(B)}${transB ? 'ᵀ' : ''} needs ${transA ? 'A.rows' : 'A.cols'} (${K}) = ` +
          `${transB ? 'B.cols' : 'B.rows'} (${Kb})`,
      );
    }
    if (opts.accumulate && !opts.out) throw new Error('matmul: accumulate needs an out tensor to add into');
    if (opts.out && (opts.out.handle === A.handle || opts.out.handle === B.handle)) {
      throw new Error('matmul: out must not be one of the inputs');
    }
    const C = this.output('matmul', opts.out, M, N);
    this.k.matmul(transA, transB, M, N, K, A, B, C, !!opts.accumulate);
    return C;
  }

  private unary(op: UnaryOp, x: Input, out?: Tensor): Tensor | Matrix {
    if (x instanceof Tensor) return this.unaryT(op, x, out);
    return this.plain(op, [x], out, (t) => this.unaryT(op, t[0]));
  }

  private unaryT(op: UnaryOp, X: Tensor, out?: Tensor): Tensor {
    this.own(X, op);
    const Y = this.output(op, out, X.rows, X.cols);
    this.k.unary(op, X, Y);
    return Y;
  }

  private unaryBackward(op: UnaryOp, dy: Input, y: Input, out?: Tensor): Tensor | Matrix {
    if (dy instanceof Tensor && y instanceof Tensor) return this.unaryBackwardT(op, dy, y, out);
    return this.plain(`${op}Backward`, [dy, y], out, (t) => this.unaryBackwardT(op, t[0], t[1]));
  }

  private unaryBackwardT(op: UnaryOp, DY: Tensor, Y: Tensor, out?: Tensor): Tensor {
    const name = BACKWARD_NAMES[op];
    this.own(DY, name);
    this.own(Y, name);
    this.sameShape(name, DY, Y, 'dy', 'y');
    const DX = this.output(name, out, DY.rows, DY.cols);
    this.k.unaryBackward(op, DY, Y, DX);
    return DX;
  }

  private softmaxT(X: Tensor, out?: Tensor): Tensor {
    this.own(X, 'softmax');
    const Y = this.output('softmax', out, X.rows, X.cols);
    this.k.softmax(X, Y);
    return Y;
  }

  private softmaxBackwardT(DY: Tensor, Y: Tensor, out?: Tensor): Tensor {
    this.own(DY, 'softmaxBackward');
    this.own(Y, 'softmaxBackward');
    this.sameShape('softmaxBackward', DY, Y, 'dy', 'y');
    const DX = this.output('softmaxBackward', out, DY.rows, DY.cols);
    this.k.softmaxBackward(DY, Y, DX);
    return DX;
  }

  private addBiasT(X: Tensor, B: Tensor, out?: Tensor, then?: UnaryOp): Tensor {
    this.own(X, 'addBias');
    this.own(B, 'addBias');
    if (B.rows !== 1 || B.cols !== X.cols) {
      throw new Error(`addBias: bias ${shapeOf(B)} must be [1×${X.cols}] for x ${shapeOf(X)}`);
    }
    const Y = this.output('addBias', out, X.rows, X.cols);
    this.k.addBias(X, B, Y, then ?? null);
    return Y;
  }

  private sumColsT(X: Tensor, out?: Tensor): Tensor {
    this.own(X, 'sumCols');
    if (out && out.handle === X.handle) throw new Error('sumCols: out must not be the input');
    const Y = this.output('sumCols', out, 1, X.cols);
    this.k.sumCols(X, Y);
    return Y;
  }

  private scaleT(X: Tensor, alpha: number, out?: Tensor): Tensor {
    this.own(X, 'scale');
    const Y = this.output('scale', out, X.rows, X.cols);
    this.k.scale(alpha, X, Y);
    return Y;
  }

  private binaryT(op: 'mul' | 'sub', A: Tensor, B: Tensor, out?: Tensor): Tensor {
    this.own(A, op);
    this.own(B, op);
    this.sameShape(op, A, B, 'a', 'b');
    const Y = this.output(op, out, A.rows, A.cols);
    this.k[op](A, B, Y);
    return Y;
  }

  // ---- helpers ----

  private alloc(rows: number, cols: number): Tensor {
    if (this.ended) throw new Error(`the ${this} backend was disposed: make a new one with createBackend`);
    const n = rows * cols;
    const t = new Tensor(this, rows, cols, this.k.alloc(n));
    this.liveTensors++;
    this.liveBytes += this.bytesOf(n);
    return t;
  }

  private bytesOf(n: number): number {
    return n * (this.dtype === 'float64' ? 8 : 4);
  }

  /** Checks that a tensor is live and belongs to this backend. */
  private own(t: unknown, op: string): Tensor {
    if (this.ended) throw new Error(`${op}: the ${this} backend was disposed`);
    if (!(t instanceof Tensor)) throw new Error(`${op}: expected a Tensor, got ${String(t)}`);
    if (t.backend !== this) {
      throw new Error(
        `${op}: tensor ${shapeOf(t)} belongs to the ${t.backend} backend, not this ${this} one; ` +
          'copy it across with toMatrix()',
      );
    }
    if (t.disposed) throw new Error(`${op}: tensor ${shapeOf(t)} was disposed`);
    return t;
  }

  private output(op: string, out: Tensor | undefined, rows: number, cols: number): Tensor {
    if (out === undefined) return this.alloc(rows, cols);
    this.own(out, op);
    if (out.rows !== rows || out.cols !== cols) {
      throw new Error(`${op}: out is ${shapeOf(out)}, the result is [${rows}×${cols}]`);
    }
    return out;
  }

  private sameShape(op: string, a: Tensor, b: Tensor, an: string, bn: string): void {
    if (a.rows !== b.rows || a.cols !== b.cols) {
      throw new Error(`${op}: ${an} ${shapeOf(a)} and ${bn} ${shapeOf(b)} must have the same shape`);
    }
  }

  private finite(op: string, v: unknown, what: string): void {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new Error(`${op}: ${what} must be a finite number, got ${String(v)}`);
  }

  /**
   * Runs an op on plain matrices: each is copied into a temporary tensor (tensors given are
   * used as they are), the result comes back as a plain Matrix, and every temporary is freed.
   */
  private plain(op: string, args: Input[], out: Tensor | undefined, f: (ts: Tensor[]) => Tensor): Matrix {
    if (out !== undefined) throw new Error(`${op}: out is for tensor arguments; plain matrices get a plain result`);
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
      const result = f(ts);
      temps.push(result);
      return result.toMatrix();
    } finally {
      for (const t of temps) t.dispose();
    }
  }
}
