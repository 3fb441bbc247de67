// fit's plan: every option and all the data checked, then the data copied in, before the first
// step. A refused call allocates nothing.
import { Tensor } from '../../backends/backend.js';
import { type FloatArray, type Matrix, type MatrixLike, checkSize, describe } from '../../core/matrix.js';
import { checkOptions, optFunction, optNumber } from '../../core/options.js';
import { type Labels, checkTensorInput, checkTensorLabels } from '../data.js';
import type { Inspector } from '../inspection.js';
import { type Loss, getLoss } from '../losses.js';
import type { Model } from '../model.js';
import { type Penalty, penaltyOf } from '../penalty.js';
import { progressBar } from './callbacks.js';
import { isShuffle, type Shuffle } from './shuffles.js';
import { type Optimizer, isOptimizer, sgd } from './optimizers.js';
import type { Callback, FitOptions } from './types.js';

const FIT_OPTIONS = [
  'loss',
  'optimizer',
  'epochs',
  'batchSize',
  'shuffle',
  'l1',
  'l2',
  'validationSplit',
  'validationData',
  'callbacks',
  'onEpochEnd',
  'onBatchEnd',
  'verbose',
  'inspectEvery',
] as const;

export interface Data {
  x: Tensor;
  y: Tensor;
  yData: FloatArray;
  m: number;
}

/** Everything fit needs, checked; `owned` are the tensors fit made and frees at the end. */
export interface Plan {
  op: string;
  loss: Loss;
  optimizer: Optimizer;
  epochs: number;
  batchSize: number;
  shuffle: boolean | Shuffle;
  penalty: Penalty;
  train: Data;
  val: Data | null;
  callbacks: Callback[];
  owned: Tensor[];
  inspectEvery: number;
  /** computes history.inspect (given with inspectEvery) */
  inspector: Inspector | null;
}

export function plan(
  model: Model,
  x: MatrixLike | Tensor,
  y: Labels | Tensor,
  opts: FitOptions,
  op: string,
  inspector: Inspector | null,
): Plan {
  if (model.training) throw new Error(`${op}: this model is already training (fitAsync); wait for it to finish`);
  if (!opts || typeof opts !== 'object') throw new Error(`${op}: options are required, at least { loss }`);
  const o = checkOptions(opts, FIT_OPTIONS, op);
  const loss = getLoss(o.loss);
  model.checkLossFits(loss);
  const optimizer = o.optimizer === undefined ? sgd() : o.optimizer;
  if (!isOptimizer(optimizer))
    throw new Error(
      `${op}: optimizer is ${describe(optimizer)}, not one of sgd(), momentum(), rmsprop(), adagrad(), adam()`,
    );
  const epochs = o.epochs === undefined ? 1 : checkSize(o.epochs, `${op}: epochs`);
  const inspectEvery = o.inspectEvery === undefined ? 0 : checkSize(o.inspectEvery, `${op}: inspectEvery`);
  if (inspectEvery && !inspector)
    throw new Error(`${op}: inspectEvery needs an inspector (Sequential's fit passes dl.inspect's)`);
  const penalty = penaltyOf(o, op);
  const shuffle = isShuffle(o.shuffle) ? o.shuffle : shuffleFlag(o.shuffle, op);
  const split = optNumber(o.validationSplit, `${op}: validationSplit`, 0, { min: 0, max: 1, maxOpen: true });
  if (split > 0 && o.validationData !== undefined)
    throw new Error(`${op}: give validationSplit or validationData, not both`);
  if (o.verbose !== undefined && o.verbose !== 0 && o.verbose !== 1)
    throw new Error(`${op}: verbose must be 0 or 1, got ${describe(o.verbose)}`);
  const onEpochEnd = optFunction<FitOptions['onEpochEnd']>(o.onEpochEnd, `${op}: onEpochEnd`);
  const onBatchEnd = optFunction<FitOptions['onBatchEnd']>(o.onBatchEnd, `${op}: onBatchEnd`);
  if (o.callbacks !== undefined && !Array.isArray(o.callbacks))
    throw new Error(`${op}: callbacks must be an array, got ${describe(o.callbacks)}`);
  const callbacks: Callback[] = [...(o.callbacks ?? [])];
  callbacks.forEach((cb, i) => {
    if (!cb || typeof cb !== 'object')
      throw new Error(`${op}: callbacks[${i}] is ${describe(cb)}, not a callback object`);
    for (const k of ['onTrainBegin', 'onEpochBegin', 'onEpochEnd', 'onBatchEnd', 'onTrainEnd'] as const) {
      optFunction(cb[k], `${op}: callbacks[${i}].${k}`);
    }
  });

  // data: checked whole before anything is allocated
  const X = x instanceof Tensor ? checkTensorInput(x, model.backend, 'x', model.inputSize, op) : model.inputs(x, op);
  const m = X.rows;
  const yData =
    y instanceof Tensor
      ? checkTensorLabels(y, model.backend, model.outputSize, m, op, loss)
      : model.labels(y as Labels, m, op, loss).data;
  const nVal = split > 0 ? m - Math.floor(m * (1 - split)) : 0;
  if (split > 0 && (nVal < 1 || nVal >= m)) {
    throw new Error(
      `${op}: validationSplit ${split} of ${m} examples leaves ${m - nVal} to train on and ${nVal} to validate`,
    );
  }
  let valX: Matrix | null = null,
    valY: FloatArray | null = null;
  if (o.validationData !== undefined) {
    const vd = o.validationData;
    if (!vd || typeof vd !== 'object') throw new Error(`${op}: validationData must be { x, y }, got ${describe(vd)}`);
    checkOptions(vd, ['x', 'y'], `${op}: validationData`);
    valX = model.inputs(vd.x, `${op}: validationData`);
    valY = model.labels(vd.y, valX.rows, `${op}: validationData`, loss).data;
  }
  for (const cb of callbacks) {
    if (cb.needsValidation && nVal === 0 && !valX) {
      throw new Error(
        `${op}: ${cb.name ?? 'a callback'} monitors ${cb.needsValidation}, which needs validationSplit or validationData`,
      );
    }
  }
  const mTrain = m - nVal;
  const batchSize = o.batchSize === undefined ? mTrain : checkSize(o.batchSize, `${op}: batchSize`);
  if (o.verbose === 1) callbacks.push(progressBar(epochs));
  if (onEpochEnd || onBatchEnd) callbacks.unshift({ name: 'options', onEpochEnd, onBatchEnd });

  // all checked: copy in
  const be = model.backend,
    k = model.outputSize;
  const owned: Tensor[] = [];
  const own = (t: Tensor) => {
    owned.push(t);
    return t;
  };
  try {
    const xt = X instanceof Tensor ? X : own(be.tensor(X));
    const yt = y instanceof Tensor ? y : own(be.tensor({ rows: m, cols: k, data: yData }));
    let train: Data = { x: xt, y: yt, yData, m };
    let val: Data | null = null;
    if (nVal > 0) {
      // the last nVal rows, as Keras takes them
      const idx = Int32Array.from({ length: m }, (_, i) => i);
      const part = (start: number, rows: number): Data => {
        const px = own(be.zeros(rows, model.inputSize)),
          py = own(be.zeros(rows, k));
        be.gatherRows(xt, idx, start, px);
        be.gatherRows(yt, idx, start, py);
        return { x: px, y: py, yData: yData.slice(start * k, (start + rows) * k) as FloatArray, m: rows };
      };
      train = part(0, mTrain);
      val = part(mTrain, nVal);
    } else if (valX && valY) {
      val = {
        x: own(be.tensor(valX)),
        y: own(be.tensor({ rows: valX.rows, cols: k, data: valY })),
        yData: valY,
        m: valX.rows,
      };
    }
    return {
      op,
      loss,
      optimizer,
      epochs,
      batchSize: Math.min(batchSize, mTrain),
      shuffle,
      penalty,
      train,
      val,
      callbacks,
      owned,
      inspectEvery,
      inspector,
    };
  } catch (e) {
    for (const t of owned) t.dispose();
    throw e;
  }
}

function shuffleFlag(v: unknown, op: string): boolean {
  if (v === undefined || typeof v === 'boolean') return v ?? true;
  throw new Error(`${op}: shuffle must be true, false or a shuffle such as numpyShuffle(), got ${describe(v)}`);
}
