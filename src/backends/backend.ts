// The Backend: a small set of low-level ops on tensors that live in backend memory. Each op's
// operands are checked against its entry in the op table (ops.ts: who is read, written, a row,
// a reduction), its output allocated when not given, and the op handed to the kernels that the
// js or wasm backend supplies. Tensors passed go straight to the kernel; plain matrices are
// copied in and the result comes back as a plain matrix.
import { dropoutKey } from '../core/hash.js';
import { powInt } from '../core/math.js';
import { type FloatArray, type Matrix, describe, shapeOf } from '../core/matrix.js';
import { checkOptions, optBoolean } from '../core/options.js';
import type { MatmulOptions, UnaryOp } from './kernels.js';
import { OPS, type OpSpec } from './ops.js';
import { type Input, TensorStore } from './store.js';
import { Tensor } from './tensor.js';

export type {
  BackendName,
  BackendStats,
  Kernels,
  MatmulOptions,
  MemoryInfo,
  ThreadInfo,
  UnaryOp,
} from './kernels.js';
export type { Input } from './store.js';
export { Tensor } from './tensor.js';

declare module './tensor.js' {
  // a tensor's backend is the whole Backend: t.backend.matmul(…) type-checks
  interface TensorBackend extends Backend {}
}

const UNARY_OPS: readonly UnaryOp[] = ['relu', 'sigmoid', 'tanh'];
const ADD_BIAS_THEN = { relu: 'addBiasRelu', sigmoid: 'addBiasSigmoid', tanh: 'addBiasTanh' } as const;
const NO_SCALARS: readonly number[] = [];

/** A backend: tensors in its memory and the low-level ops on them, in one dtype. Make one with createBackend(). */
export class Backend extends TensorStore {
  /** C = op(A)·op(B), op transposing when transA / transB is set. */
  matmul(a: Tensor, b: Tensor, opts?: MatmulOptions): Tensor;
  matmul(a: Input, b: Input, opts?: MatmulOptions): Matrix;
  matmul(a: Input, b: Input, options?: MatmulOptions): Tensor | Matrix {
    const opts = checkOptions(options, ['transA', 'transB', 'out', 'accumulate'], 'matmul');
    for (const k of ['transA', 'transB', 'accumulate'] as const) optBoolean(opts[k], `matmul: ${k}`, false);
    if (a instanceof Tensor && b instanceof Tensor) return this.matmulT(a, b, opts);
    return this.plain('matmul', [a, b], opts.out, (t) => this.matmulT(t[0], t[1], opts));
  }

  /** y = max(x, 0) */
  relu(x: Tensor, out?: Tensor): Tensor;
  relu(x: Input): Matrix;
  relu(x: Input, out?: Tensor): Tensor | Matrix {
    return this.map1(OPS.relu, x, out);
  }

  /** y = 1 / (1 + e^−x) */
  sigmoid(x: Tensor, out?: Tensor): Tensor;
  sigmoid(x: Input): Matrix;
  sigmoid(x: Input, out?: Tensor): Tensor | Matrix {
    return this.map1(OPS.sigmoid, x, out);
  }

  /** y = tanh(x) */
  tanh(x: Tensor, out?: Tensor): Tensor;
  tanh(x: Input): Matrix;
  tanh(x: Input, out?: Tensor): Tensor | Matrix {
    return this.map1(OPS.tanh, x, out);
  }

  /** Row-wise softmax. */
  softmax(x: Tensor, out?: Tensor): Tensor;
  softmax(x: Input): Matrix;
  softmax(x: Input, out?: Tensor): Tensor | Matrix {
    return this.map1(OPS.softmax, x, out);
  }

  /** dx = dy·relu'(x), from the forward output y. */
  reluBackward(dy: Tensor, y: Tensor, out?: Tensor): Tensor;
  reluBackward(dy: Input, y: Input): Matrix;
  reluBackward(dy: Input, y: Input, out?: Tensor): Tensor | Matrix {
    return this.map2(OPS.reluBackward, dy, y, out);
  }

  /** dx = dy·y(1−y), from the forward output y. */
  sigmoidBackward(dy: Tensor, y: Tensor, out?: Tensor): Tensor;
  sigmoidBackward(dy: Input, y: Input): Matrix;
  sigmoidBackward(dy: Input, y: Input, out?: Tensor): Tensor | Matrix {
    return this.map2(OPS.sigmoidBackward, dy, y, out);
  }

  /** dx = dy·(1−y²), from the forward output y. */
  tanhBackward(dy: Tensor, y: Tensor, out?: Tensor): Tensor;
  tanhBackward(dy: Input, y: Input): Matrix;
  tanhBackward(dy: Input, y: Input, out?: Tensor): Tensor | Matrix {
    return this.map2(OPS.tanhBackward, dy, y, out);
  }

  /** Row-wise: dx = y ⊙ (dy − Σ dy⊙y), from the forward output y. */
  softmaxBackward(dy: Tensor, y: Tensor, out?: Tensor): Tensor;
  softmaxBackward(dy: Input, y: Input): Matrix;
  softmaxBackward(dy: Input, y: Input, out?: Tensor): Tensor | Matrix {
    return this.map2(OPS.softmaxBackward, dy, y, out);
  }

  /** y = x + b, with the row b [1×cols] added to every row; then relu, sigmoid or tanh if asked, in the same pass. */
  addBias(x: Tensor, b: Tensor, out?: Tensor, then?: UnaryOp): Tensor;
  addBias(x: Input, b: Input, out?: undefined, then?: UnaryOp): Matrix;
  addBias(x: Input, b: Input, out?: Tensor, then?: UnaryOp): Tensor | Matrix {
    if (then !== undefined && !UNARY_OPS.includes(then)) {
      const names = UNARY_OPS.map((o) => `'${o}'`).join(', ');
      throw new Error(`addBias: then must be ${names} or left out, got ${describe(then)}`);
    }
    return this.map2(then ? OPS[ADD_BIAS_THEN[then]] : OPS.addBias, x, b, out, 'addBias');
  }

  /** y[r, c] = x[r, c]·scale[c] + shift[c]: per-column affine map (batch normalization's forward). */
  scaleShift(x: Tensor, scale: Tensor, shift: Tensor, out?: Tensor): Tensor {
    return this.run(OPS.scaleShift, NO_SCALARS, out, 'scaleShift', x, scale, shift);
  }

  /** dx[r, c] = dy[r, c]·a[c] + xhat[r, c]·b[c] + k[c]: batch normalization's backward, three terms. */
  batchNormBackward(dy: Tensor, xhat: Tensor, a: Tensor, b: Tensor, k: Tensor, out?: Tensor): Tensor {
    return this.run(OPS.batchNormBackward, NO_SCALARS, out, 'batchNormBackward', dy, xhat, a, b, k);
  }

  /** Column sums: [rows×cols] → [1×cols]. */
  sumCols(x: Tensor, out?: Tensor): Tensor;
  sumCols(x: Input): Matrix;
  sumCols(x: Input, out?: Tensor): Tensor | Matrix {
    return this.map1(OPS.sumCols, x, out);
  }

  /** y = alpha·x */
  scale(x: Tensor, alpha: number, out?: Tensor): Tensor;
  scale(x: Input, alpha: number): Matrix;
  scale(x: Input, alpha: number, out?: Tensor): Tensor | Matrix {
    this.finite('scale', alpha, 'alpha');
    return this.map1(OPS.scale, x, out, [alpha]);
  }

  /** y += alpha·x, in place on y; returns y. */
  axpy(alpha: number, x: Tensor, y: Tensor): Tensor {
    this.finite('axpy', alpha, 'alpha');
    return this.run(OPS.axpy, [alpha], undefined, 'axpy', x, y);
  }

  /** y += alpha·sign(x), in place on y (sign(±0) = 0): the L1 term's gradient; returns y. */
  signAxpy(alpha: number, x: Tensor, y: Tensor): Tensor {
    this.finite('signAxpy', alpha, 'alpha');
    return this.run(OPS.signAxpy, [alpha], undefined, 'signAxpy', x, y);
  }

  /** y = a ⊙ b, elementwise. */
  mul(a: Tensor, b: Tensor, out?: Tensor): Tensor;
  mul(a: Input, b: Input): Matrix;
  mul(a: Input, b: Input, out?: Tensor): Tensor | Matrix {
    return this.map2(OPS.mul, a, b, out);
  }

  /** y = a − b, elementwise. */
  sub(a: Tensor, b: Tensor, out?: Tensor): Tensor;
  sub(a: Input, b: Input): Matrix;
  sub(a: Input, b: Input, out?: Tensor): Tensor | Matrix {
    return this.map2(OPS.sub, a, b, out);
  }

  /**
   * Fills `out` with an inverted-dropout mask: 1/(1−rate) where kept, 0 where dropped. Element i
   * is drawn from a hash of (seed, step, layer, i): the same mask on every backend.
   */
  dropoutMask(out: Tensor, rate: number, seed: number, step: number, layer: number): Tensor {
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
    return this.run(OPS.dropoutMask, [dropoutKey(seed, step, layer), keep], out, 'dropoutMask');
  }

  /** Momentum step in place: v = β·v + (1−β)·g; w −= lr·v. */
  momentumUpdate(w: Tensor, g: Tensor, v: Tensor, lr: number, beta: number): void {
    this.finite('momentumUpdate', lr, 'lr');
    this.finite('momentumUpdate', beta, 'beta');
    this.run(OPS.momentumUpdate, [lr, beta], undefined, 'momentumUpdate', w, g, v);
  }

  /** RMSprop step in place: s = β·s + (1−β)·g²; w −= lr·g / (√s + ε). */
  rmspropUpdate(w: Tensor, g: Tensor, s: Tensor, lr: number, beta: number, epsilon: number): void {
    for (const [v, what] of [
      [lr, 'lr'],
      [beta, 'beta'],
      [epsilon, 'epsilon'],
    ] as const)
      this.finite('rmspropUpdate', v, what);
    this.run(OPS.rmspropUpdate, [lr, beta, epsilon], undefined, 'rmspropUpdate', w, g, s);
  }

  /** Adagrad step in place: s += g²; w −= lr·g / (√s + ε). */
  adagradUpdate(w: Tensor, g: Tensor, s: Tensor, lr: number, epsilon: number): void {
    this.finite('adagradUpdate', lr, 'lr');
    this.finite('adagradUpdate', epsilon, 'epsilon');
    this.run(OPS.adagradUpdate, [lr, epsilon], undefined, 'adagradUpdate', w, g, s);
  }

  /** Adam step t (from 1) in place, with bias correction. */
  adamUpdate(
    w: Tensor,
    g: Tensor,
    m: Tensor,
    v: Tensor,
    o: { lr: number; beta1: number; beta2: number; epsilon: number; t: number },
  ): void {
    if (!o || typeof o !== 'object')
      throw new Error(`adamUpdate: options must be { lr, beta1, beta2, epsilon, t }, got ${describe(o)}`);
    for (const k of ['lr', 'beta1', 'beta2', 'epsilon'] as const) this.finite('adamUpdate', o[k], k);
    if (!Number.isInteger(o.t) || o.t < 1)
      throw new Error(`adamUpdate: t must be a whole number from 1, got ${describe(o.t)}`);
    const c1 = 1 - powInt(o.beta1, o.t),
      c2 = 1 - powInt(o.beta2, o.t);
    this.run(OPS.adamUpdate, [o.lr, o.beta1, o.beta2, o.epsilon, c1, c2], undefined, 'adamUpdate', w, g, m, v);
  }

  /** Σ x², summed in float64. */
  sumSquares(x: Input): number {
    return this.reduce(OPS.sumSquares, x);
  }

  /** Σ |x|, summed in float64: the L1 term. */
  sumAbs(x: Input): number {
    return this.reduce(OPS.sumAbs, x);
  }

  /**
   * Σ max(z, 0) − z·y + log1p(exp(−|z|)) over all elements, in float64: the binary
   * cross-entropy of sigmoid(z) against labels y, summed. From the logits z, so a saturated
   * sigmoid never gives log(0).
   */
  sigmoidCrossEntropy(z: Input, y: Input): number {
    return this.reduce(OPS.sigmoidCrossEntropy, z, y);
  }

  /** out's rows are src's rows indices[start], indices[start+1], … */
  gatherRows(src: Tensor, indices: Int32Array, start: number, out: Tensor): Tensor {
    this.own(src, 'gatherRows');
    this.own(out, 'gatherRows');
    if (out.handle === src.handle)
      throw new Error('gatherRows: out must not be src (rows are read from src as out is written)');
    if (!Number.isInteger(start) || start < 0)
      throw new Error(`gatherRows: start must be a whole number from 0, got ${describe(start)}`);
    if (out.cols !== src.cols)
      throw new Error(`gatherRows: out ${shapeOf(out)} and src ${shapeOf(src)} differ in columns`);
    if (start + out.rows > indices.length) {
      throw new Error(`gatherRows: rows ${start}..${start + out.rows - 1} are past the ${indices.length} indices`);
    }
    for (let i = start; i < start + out.rows; i++) {
      const r = indices[i];
      if (!(Number.isInteger(r) && r >= 0 && r < src.rows))
        throw new Error(`gatherRows: index ${r} is not a whole row of src's ${src.rows} (0 to ${src.rows - 1})`);
    }
    this.k.gatherRows(src, indices, start, out);
    return out;
  }

  /** Copies a tensor's values into an existing array (no allocation). */
  readInto(t: Tensor, dst: FloatArray): FloatArray {
    this.own(t, 'readInto');
    const want = this.dtype === 'float64' ? Float64Array : Float32Array;
    if (!(dst instanceof want))
      throw new Error(`readInto: dst must be a ${want.name} (the backend's dtype), got ${describe(dst)}`);
    if (dst.length < t.size) throw new Error(`readInto: array of ${dst.length} values is shorter than ${shapeOf(t)}`);
    this.k.readInto(t, dst);
    return dst;
  }

  // ---- the table's ops ----

  /** A one-operand op on a tensor, or on a plain matrix (copied in; a plain result). */
  private map1(spec: OpSpec, x: Input, out: Tensor | undefined, scalars = NO_SCALARS): Tensor | Matrix {
    if (x instanceof Tensor) return this.run(spec, scalars, out, spec.name, x);
    return this.plain(spec.name, [x], out, (t) => this.run(spec, scalars, undefined, spec.name, t[0]));
  }

  /** A two-operand op; `name` is the public op's, for messages. */
  private map2(spec: OpSpec, a: Input, b: Input, out: Tensor | undefined, name: string = spec.name): Tensor | Matrix {
    if (a instanceof Tensor && b instanceof Tensor) return this.run(spec, NO_SCALARS, out, name, a, b);
    return this.plain(name, [a, b], out, (t) => this.run(spec, NO_SCALARS, undefined, name, t[0], t[1]));
  }

  /** A reduction over tensors or plain matrices (copied in). */
  private reduce(spec: OpSpec, a: Input, b?: Input): number {
    if (a instanceof Tensor && (b === undefined || b instanceof Tensor)) {
      return this.k.run(spec, this.operands(spec, undefined, spec.name, a, b), NO_SCALARS);
    }
    const args = b === undefined ? [a] : [a, b];
    return this.withTensors(spec.name, args, (t) =>
      this.k.run(spec, this.operands(spec, undefined, spec.name, t[0], t[1]), NO_SCALARS),
    );
  }

  /** Runs a table op on checked operands (given in the table's order, the output left out); returns the one it writes. */
  private run(
    spec: OpSpec,
    scalars: readonly number[],
    out: Tensor | undefined,
    name: string,
    a?: Tensor,
    b?: Tensor,
    c?: Tensor,
    d?: Tensor,
    e?: Tensor,
  ): Tensor {
    const ts = this.operands(spec, out, name, a, b, c, d, e);
    this.k.run(spec, ts, scalars);
    return ts[spec.written];
  }

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
}
