// How a test calls each op of the table through the public Backend method, and the scalars its
// kernel then gets: one entry per op (a missing one is a compile error). The per-op tests
// (suite.ts) and the thread bit-identity test (test/threads/) run every op through these.
import type { Backend, DType, Tensor } from '../../src/index.js';
import type { OpName } from '../../src/backends/ops.js';
import { lowbias32 } from './reference.js';

export interface OpCall {
  /**
   * Runs the op on the operands it reads or updates (the table's 'in', 'inout' and 'row' ones, in
   * order; an op whose only operand is its output gets that, zeroed); returns what the method does.
   */
  call: (be: Backend, given: Tensor[]) => Tensor | number | undefined | void;
  /** the scalar arguments the kernel gets from that call, in the table's order, as float64 */
  scalars?: (dtype: DType) => number[];
  /** each given operand's value range (default [-3, 3]) */
  domain?: [number, number][];
}

const f = (dtype: DType, v: number) => (dtype === 'float32' ? Math.fround(v) : v);
const ADAM = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, t: 3 };
const DROPOUT = { rate: 0.3, seed: 5, step: 7, layer: 1 };
/** the dropout key for (seed, step, layer): the published construction, from the hash */
const key = (seed: number, step: number, layer: number) =>
  lowbias32(lowbias32(lowbias32((seed ^ 0x9e3779b9) >>> 0) ^ step) ^ layer);

export const CALLS: Record<OpName, OpCall> = {
  relu: { call: (be, [x]) => be.relu(x) },
  sigmoid: { call: (be, [x]) => be.sigmoid(x), domain: [[-12, 12]] },
  tanh: { call: (be, [x]) => be.tanh(x), domain: [[-6, 6]] },
  reluBackward: { call: (be, [dy, y]) => be.reluBackward(dy, y) },
  sigmoidBackward: {
    call: (be, [dy, y]) => be.sigmoidBackward(dy, y),
    domain: [
      [-1, 1],
      [0, 1],
    ],
  },
  tanhBackward: {
    call: (be, [dy, y]) => be.tanhBackward(dy, y),
    domain: [
      [-1, 1],
      [-1, 1],
    ],
  },
  softmax: { call: (be, [x]) => be.softmax(x), domain: [[-8, 8]] },
  softmaxBackward: {
    call: (be, [dy, y]) => be.softmaxBackward(dy, y),
    domain: [
      [-1, 1],
      [0, 1],
    ],
  },
  addBias: { call: (be, [x, b]) => be.addBias(x, b) },
  addBiasRelu: { call: (be, [x, b]) => be.addBias(x, b, undefined, 'relu') },
  addBiasSigmoid: { call: (be, [x, b]) => be.addBias(x, b, undefined, 'sigmoid') },
  addBiasTanh: { call: (be, [x, b]) => be.addBias(x, b, undefined, 'tanh') },
  sumCols: { call: (be, [x]) => be.sumCols(x) },
  scale: { call: (be, [x]) => be.scale(x, -0.37), scalars: (d) => [f(d, -0.37)] },
  axpy: { call: (be, [x, y]) => be.axpy(0.7, x, y), scalars: (d) => [f(d, 0.7)] },
  signAxpy: { call: (be, [x, y]) => be.signAxpy(-0.3, x, y), scalars: (d) => [f(d, -0.3)] },
  sumAbs: { call: (be, [x]) => be.sumAbs(x) },
  scaleShift: { call: (be, [x, s, b]) => be.scaleShift(x, s, b) },
  batchNormBackward: { call: (be, [dy, xh, a, b, k]) => be.batchNormBackward(dy, xh, a, b, k) },
  mul: { call: (be, [a, b]) => be.mul(a, b) },
  sub: { call: (be, [a, b]) => be.sub(a, b) },
  sumSquares: { call: (be, [x]) => be.sumSquares(x) },
  sigmoidCrossEntropy: {
    call: (be, [z, y]) => be.sigmoidCrossEntropy(z, y),
    domain: [
      [-8, 8],
      [0, 1],
    ],
  },
  dropoutMask: {
    call: (be, [out]) => be.dropoutMask(out, DROPOUT.rate, DROPOUT.seed, DROPOUT.step, DROPOUT.layer),
    scalars: (d) => [key(DROPOUT.seed, DROPOUT.step, DROPOUT.layer), f(d, 1 - DROPOUT.rate)],
  },
  momentumUpdate: {
    call: (be, [w, g, v]) => be.momentumUpdate(w, g, v, 0.05, 0.9),
    scalars: (d) => [f(d, 0.05), f(d, 0.9)],
    domain: [
      [-3, 3],
      [-1, 1],
      [0, 1],
    ],
  },
  adagradUpdate: {
    call: (be, [w, g, s]) => be.adagradUpdate(w, g, s, 0.05, 1e-10),
    scalars: (d) => [f(d, 0.05), f(d, 1e-10)],
    domain: [
      [-3, 3],
      [-1, 1],
      [0, 1],
    ],
  },
  rmspropUpdate: {
    call: (be, [w, g, s]) => be.rmspropUpdate(w, g, s, 0.01, 0.9, 1e-8),
    scalars: (d) => [f(d, 0.01), f(d, 0.9), f(d, 1e-8)],
    domain: [
      [-3, 3],
      [-1, 1],
      [0, 1],
    ],
  },
  adamUpdate: {
    call: (be, [w, g, m, v]) => be.adamUpdate(w, g, m, v, ADAM),
    scalars: (d) => [
      f(d, ADAM.lr),
      f(d, ADAM.beta1),
      f(d, ADAM.beta2),
      f(d, ADAM.epsilon),
      f(d, 1 - ADAM.beta1 ** ADAM.t),
      f(d, 1 - ADAM.beta2 ** ADAM.t),
    ],
    domain: [
      [-3, 3],
      [-1, 1],
      [-1, 1],
      [0, 1],
    ],
  },
};
