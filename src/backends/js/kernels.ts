// Every op of the table (../ops.ts) as a plain loop: the reference semantics. Each takes the
// wasm kernel's arguments, with typed arrays in place of pointers; the type below makes a
// missing one a compile error.
import type { OpName } from '../ops.js';
import * as act from './activations.js';
import { dropoutMask } from './dropout.js';
import * as ew from './elementwise.js';
import { sigmoidCrossEntropy } from './losses.js';
import * as opt from './optimizers.js';
import * as norm from './normalization.js';
import * as reg from './regularizers.js';

// biome-ignore lint/suspicious/noExplicitAny: each kernel has its own list of sizes, scalars and arrays
export type JsKernel = (...args: any[]) => number | void;

export const KERNELS: Record<OpName, JsKernel> = {
  relu: act.relu,
  sigmoid: act.sigmoid,
  tanh: act.tanh,
  reluBackward: act.reluBackward,
  sigmoidBackward: act.sigmoidBackward,
  tanhBackward: act.tanhBackward,
  softmax: act.softmax,
  softmaxBackward: act.softmaxBackward,
  addBias: act.addBias,
  addBiasRelu: act.addBiasRelu,
  addBiasSigmoid: act.addBiasSigmoid,
  addBiasTanh: act.addBiasTanh,
  sumCols: ew.sumCols,
  scale: ew.scale,
  axpy: ew.axpy,
  mul: ew.mul,
  sub: ew.sub,
  sumSquares: ew.sumSquares,
  sigmoidCrossEntropy,
  sumAbs: reg.sumAbs,
  signAxpy: reg.signAxpy,
  scaleShift: norm.scaleShift,
  batchNormBackward: norm.batchNormBackward,
  dropoutMask,
  momentumUpdate: opt.momentumUpdate,
  rmspropUpdate: opt.rmspropUpdate,
  adagradUpdate: opt.adagradUpdate,
  adamUpdate: opt.adamUpdate,
};
