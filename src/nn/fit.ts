// The training loop behind fit and fitAsync. Everything that can be checked is checked before
// the first step; the loop itself is one generator, driven synchronously by fit and with awaits
// (and yields to the event loop) by fitAsync, so the two cannot drift apart. If training fails
// (a non-finite loss or weight, a callback that throws) the weights, the optimizer's state, the
// step count and the model's buffers are put back as they were when the call began.
import { Tensor } from '../backends/backend.js';
import { type FloatArray, type Matrix, type MatrixLike, arrayFor, checkSize, describe } from '../matrix.js';
import { checkOptions, optBoolean, optFunction, optNumber } from '../options.js';
import { MersenneTwister } from '../random.js';
import { type Callback, progressBar } from './callbacks.js';
import type { Mode, Param } from './layer.js';
import { inspectTensors, type Inspection } from '../inspect.js';
import { type Loss, type LossName, getLoss } from './losses.js';
import { countRight, type Labels, type Sequential } from './model.js';
import { type Optimizer, isOptimizer, sgd } from './optimizers.js';

export interface EpochLogs {
  epoch: number;
  /** the mean cost of the epoch's forward passes, before each one's update (L2 term included) */
  loss: number;
  /** of those same forward passes (classification losses only) */
  accuracy?: number;
  /** on the validation data, after the epoch's updates */
  valLoss?: number;
  valAccuracy?: number;
  /** the learning rate used in the epoch */
  learningRate: number;
  /** wall time of the epoch */
  ms: number;
}

export interface BatchLogs { loss: number; batch: number; epoch: number }

/** What a callback returns: false stops training (after that batch or epoch). */
type Verdict = boolean | void | undefined;

export interface FitOptions {
  loss: LossName;
  /** sgd({ learningRate: 0.01 }) by default */
  optimizer?: Optimizer;
  epochs?: number;
  /** examples per step; all of them (full batch) by default */
  batchSize?: number;
  /** shuffle the examples each epoch (from the seed) when batchSize is smaller than the set */
  shuffle?: boolean;
  /** λ of L2 regularization: cost + λ/(2m)·Σ‖W‖², gradient + (λ/m)·W, weights only */
  l2?: number;
  /** hold out this last fraction of the examples (before any shuffling, as Keras does) */
  validationSplit?: number;
  /** or validate on these */
  validationData?: { x: MatrixLike; y: Labels };
  /** earlyStopping(), or your own */
  callbacks?: Callback[];
  onEpochEnd?: (epoch: number, logs: EpochLogs) => Verdict | Promise<Verdict>;
  onBatchEnd?: (batch: number, logs: BatchLogs) => Verdict | Promise<Verdict>;
  /** 1: a progress bar on a terminal, a line per epoch elsewhere; 0 (default): quiet */
  verbose?: 0 | 1;
  /** every this many epochs (and before the first), dl.inspect's figures on the training data → history.inspect */
  inspectEvery?: number;
}

export interface History {
  /** one value per epoch: the mean cost of its forward passes (including the L2 term) */
  loss: number[];
  /** per epoch, for binaryCrossEntropy and categoricalCrossEntropy */
  accuracy?: number[];
  /** per epoch, with validationSplit or validationData */
  valLoss?: number[];
  valAccuracy?: number[];
  learningRate: number[];
  /** epochs run */
  epochs: number;
  /** whether a callback stopped training before `epochs` */
  stopped: boolean;
  /** with inspectEvery: dl.inspect's figures before training (epoch 0) and after every N-th epoch */
  inspect?: (Inspection & { epoch: number })[];
}

const FIT_OPTIONS = ['loss', 'optimizer', 'epochs', 'batchSize', 'shuffle', 'l2', 'validationSplit', 'validationData',
  'callbacks', 'onEpochEnd', 'onBatchEnd', 'verbose', 'inspectEvery'] as const;

interface Data { x: Tensor; y: Tensor; yData: FloatArray; m: number }

/** Everything fit needs, checked; `owned` are the tensors fit made and frees at the end. */
interface Plan {
  op: string;
  loss: Loss;
  optimizer: Optimizer;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  l2: number;
  train: Data;
  val: Data | null;
  callbacks: Callback[];
  owned: Tensor[];
  inspectEvery: number;
}

function plan(model: Sequential, x: MatrixLike | Tensor, y: Labels | Tensor, opts: FitOptions, op: string): Plan {
  if (model.training) throw new Error(`${op}: this model is already training (fitAsync); wait for it to finish`);
  if (!opts || typeof opts !== 'object') throw new Error(`${op}: options are required, at least { loss }`);
  const o = checkOptions(opts, FIT_OPTIONS, op);
  const loss = getLoss(o.loss);
  model.checkLossFits(loss);
  const optimizer = o.optimizer === undefined ? sgd() : o.optimizer;
  if (!isOptimizer(optimizer)) throw new Error(`${op}: optimizer is ${describe(optimizer)}, not one of sgd(), momentum(), adam()`);
  const epochs = o.epochs === undefined ? 1 : checkSize(o.epochs, `${op}: epochs`);
  const inspectEvery = o.inspectEvery === undefined ? 0 : checkSize(o.inspectEvery, `${op}: inspectEvery`);
  const l2 = optNumber(o.l2, `${op}: l2`, 0, { min: 0 });
  const shuffle = optBoolean(o.shuffle, `${op}: shuffle`, true);
  const split = optNumber(o.validationSplit, `${op}: validationSplit`, 0, { min: 0, max: 1, maxOpen: true });
  if (split > 0 && o.validationData !== undefined) throw new Error(`${op}: give validationSplit or validationData, not both`);
  if (o.verbose !== undefined && o.verbose !== 0 && o.verbose !== 1) throw new Error(`${op}: verbose must be 0 or 1, got ${describe(o.verbose)}`);
  const onEpochEnd = optFunction<FitOptions['onEpochEnd']>(o.onEpochEnd, `${op}: onEpochEnd`);
  const onBatchEnd = optFunction<FitOptions['onBatchEnd']>(o.onBatchEnd, `${op}: onBatchEnd`);
  if (o.callbacks !== undefined && !Array.isArray(o.callbacks)) throw new Error(`${op}: callbacks must be an array, got ${describe(o.callbacks)}`);
  const callbacks: Callback[] = [...(o.callbacks ?? [])];
  callbacks.forEach((cb, i) => {
    if (!cb || typeof cb !== 'object') throw new Error(`${op}: callbacks[${i}] is ${describe(cb)}, not a callback object`);
    for (const k of ['onTrainBegin', 'onEpochBegin', 'onEpochEnd', 'onBatchEnd', 'onTrainEnd'] as const) {
      optFunction(cb[k], `${op}: callbacks[${i}].${k}`);
    }
  });

  // data: checked whole before anything is allocated
  const X = x instanceof Tensor ? model.tensorInput(x, 'x', model.inputSize, op) : model.inputs(x, op);
  const m = X.rows;
  const yData = y instanceof Tensor ? model.tensorLabels(y, m, op, loss) : model.labels(y as Labels, m, op, loss).data;
  const nVal = split > 0 ? m - Math.floor(m * (1 - split)) : 0;
  if (split > 0 && (nVal < 1 || nVal >= m)) {
    throw new Error(`${op}: validationSplit ${split} of ${m} examples leaves ${m - nVal} to train on and ${nVal} to validate`);
  }
  let valX: Matrix | null = null, valY: FloatArray | null = null;
  if (o.validationData !== undefined) {
    const vd = o.validationData;
    if (!vd || typeof vd !== 'object') throw new Error(`${op}: validationData must be { x, y }, got ${describe(vd)}`);
    checkOptions(vd, ['x', 'y'], `${op}: validationData`);
    valX = model.inputs(vd.x, `${op}: validationData`);
    valY = model.labels(vd.y, valX.rows, `${op}: validationData`, loss).data;
  }
  for (const cb of callbacks) {
    if (cb.needsValidation && nVal === 0 && !valX) {
      throw new Error(`${op}: ${cb.name ?? 'a callback'} monitors ${cb.needsValidation}, which needs validationSplit or validationData`);
    }
  }
  const mTrain = m - nVal;
  const batchSize = o.batchSize === undefined ? mTrain : checkSize(o.batchSize, `${op}: batchSize`);
  if (o.verbose === 1) callbacks.push(progressBar(epochs));
  if (onEpochEnd || onBatchEnd) callbacks.unshift({ name: 'options', onEpochEnd, onBatchEnd });

  // all checked: copy in
  const be = model.backend, k = model.outputSize;
  const owned: Tensor[] = [];
  const own = (t: Tensor) => { owned.push(t); return t; };
  try {
    const xt = X instanceof Tensor ? X : own(be.tensor(X));
    const yt = y instanceof Tensor ? y : own(be.tensor({ rows: m, cols: k, data: yData }));
    let train: Data = { x: xt, y: yt, yData, m };
    let val: Data | null = null;
    if (nVal > 0) {
      // the last nVal rows, as Keras takes them
      const idx = Int32Array.from({ length: m }, (_, i) => i);
      const part = (start: number, rows: number): Data => {
        const px = own(be.zeros(rows, model.inputSize)), py = own(be.zeros(rows, k));
        be.gatherRows(xt, idx, start, px);
        be.gatherRows(yt, idx, start, py);
        return { x: px, y: py, yData: yData.slice(start * k, (start + rows) * k) as FloatArray, m: rows };
      };
      train = part(0, mTrain);
      val = part(mTrain, nVal);
    } else if (valX && valY) {
      val = { x: own(be.tensor(valX)), y: own(be.tensor({ rows: valX.rows, cols: k, data: valY })), yData: valY, m: valX.rows };
    }
    return { op, loss, optimizer, epochs, batchSize: Math.min(batchSize, mTrain), shuffle, l2, train, val, callbacks, owned, inspectEvery };
  } catch (e) {
    for (const t of owned) t.dispose();
    throw e;
  }
}

/** A failure inside the loop: the message says what went wrong; the loop adds where. */
class TrainingFailure extends Error {}

/** What the loop hands its driver: a callback's Promise to settle, or a point to yield at. */
type Pending = { name: string; promise: PromiseLike<unknown> } | typeof TICK;
const TICK = Symbol('tick');

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  !!v && (typeof v === 'object' || typeof v === 'function') && typeof (v as PromiseLike<unknown>).then === 'function';

/** Calls a callback; a Promise goes to the driver. Returns true when it says stop. */
function* invoke(name: string, f: () => unknown): Generator<Pending, boolean, unknown> {
  let r: unknown;
  try { r = f(); } catch (e) { throw new TrainingFailure(`${name} threw: ${(e as Error)?.message ?? String(e)}`, { cause: e }); }
  if (isThenable(r)) r = yield { name, promise: r };
  return r === false;
}

/** `pause()` says when the loop should hand the driver a point to yield at (fitAsync's slices). */
function* loop(model: Sequential, p: Plan, pause: () => boolean): Generator<Pending, History, unknown> {
  const be = model.backend, k = model.outputSize, dtype = model.dtype;
  const named = model.namedParams();
  const params: Param[] = named.map((n) => n.param);
  const weights = params.filter((q) => q.regularize);
  const { loss, optimizer, train, val, l2 } = p;
  const m = train.m;
  const classify = loss.name !== 'meanSquaredError';
  const fullBatch = p.batchSize >= m;

  // what a failure puts back
  const saved = params.map((q) => be.readInto(q.value, arrayFor(dtype, q.value.size)));
  const savedOptimizer = optimizer.snapshot(params);
  const savedStep = model.step;
  model.buffers.begin();
  model.training = true;

  const rng = new MersenneTwister((model.seed ^ 0x5eed5eed) >>> 0);
  const order = Int32Array.from({ length: m }, (_, i) => i);
  interface Batch { x: Tensor; y: Tensor; yData: FloatArray; grad: Tensor; out: FloatArray }
  const batches = new Map<number, Batch>();
  const batchBuffers = (rows: number): Batch => {
    let b = batches.get(rows);
    if (!b) {
      b = {
        x: fullBatch ? train.x : be.zeros(rows, model.inputSize),
        y: fullBatch ? train.y : be.zeros(rows, k),
        yData: fullBatch ? train.yData : arrayFor(dtype, rows * k),
        grad: be.zeros(rows, k),
        out: arrayFor(dtype, rows * k),
      };
      batches.set(rows, b);
    }
    return b;
  };
  const valScratch = val ? arrayFor(dtype, val.m * k) : null;
  const history: History = {
    loss: [], ...(classify ? { accuracy: [] } : {}), ...(val ? { valLoss: [], valAccuracy: [] } : {}),
    learningRate: [], epochs: 0, stopped: false, ...(p.inspectEvery ? { inspect: [] } : {}),
  };
  const look = (epoch: number) => history.inspect!.push({ epoch, ...inspectTensors(model, train.x, train.y, train.yData, loss, l2) });
  const mode: Mode = { training: true, step: model.step, seed: model.seed };
  type Hook = 'onTrainBegin' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchEnd' | 'onTrainEnd';
  const has = (hook: Hook) => p.callbacks.some((cb) => cb[hook]);
  const batchHooks = has('onBatchEnd'), epochBeginHooks = has('onEpochBegin');
  const each = function* (hook: Hook, ...args: unknown[]) {
    let stop = false;
    for (const cb of p.callbacks) {
      const f = cb[hook] as ((...a: unknown[]) => unknown) | undefined;
      if (f && (yield* invoke(cb.name === 'options' ? hook : `${cb.name ?? 'a callback'}'s ${hook}`, () => f.apply(cb, args)))) stop = true;
    }
    return stop;
  };
  let epoch = 0, batch = 0;
  try {
    yield* each('onTrainBegin', model);
    if (p.inspectEvery) look(0);
    for (epoch = 0; epoch < p.epochs; epoch++) {
      const t0 = now();
      const learningRate = optimizer.learningRate();
      if (!(learningRate > 0 && Number.isFinite(learningRate))) throw new TrainingFailure(`the schedule gave a learning rate of ${learningRate}`);
      if (epochBeginHooks) yield* each('onEpochBegin', epoch);
      if (!fullBatch && p.shuffle) rng.shuffle(order);
      let epochLoss = 0, right = 0, seen = 0, stop = false;
      batch = 0;
      for (let start = 0; start < m; start += p.batchSize, batch++) {
        const rows = Math.min(p.batchSize, m - start);
        const b = batchBuffers(rows);
        if (!fullBatch) {
          be.gatherRows(train.x, order, start, b.x);
          be.gatherRows(train.y, order, start, b.y);
          for (let r = 0; r < rows; r++) {
            for (let c = 0, src = order[start + r] * k; c < k; c++) b.yData[r * k + c] = train.yData[src + c];
          }
        }
        mode.step = model.step;
        let cost = model.lossAndGradient(loss, b.x, b.y, b.yData, b.grad, b.out, mode);
        if (l2 > 0) cost += model.l2Term(weights, l2, rows);
        if (!Number.isFinite(cost)) {
          throw new TrainingFailure(`the loss became ${cost}: training diverged (try a smaller learningRate or another initializer)`);
        }
        if (classify) {
          be.readInto(model.lastOutput!, b.out);
          right += countRight(b.out, b.yData, rows, k);
        }
        model.backward(b.grad, loss);
        if (l2 > 0) for (const w of weights) be.axpy(l2 / rows, w.value, w.grad);
        model.step++;
        optimizer.update(be, params);
        checkWeights(model, named);
        epochLoss += cost * rows;
        seen += rows;
        if (batchHooks && (yield* each('onBatchEnd', batch, { loss: cost, batch, epoch }))) { stop = true; break; }
        if (pause()) yield TICK;
      }
      batch = -1; // what fails from here on fails at the end of the epoch
      const logs: EpochLogs = { epoch, loss: epochLoss / seen, learningRate, ms: 0 };
      if (classify) logs.accuracy = right / seen;
      if (val) {
        const v = model.measure(loss, val.x, val.y, val.yData, valScratch!);
        logs.valLoss = v.loss;
        logs.valAccuracy = v.accuracy;
      }
      logs.ms = now() - t0;
      history.loss.push(logs.loss);
      history.accuracy?.push(logs.accuracy!);
      history.valLoss?.push(logs.valLoss!);
      history.valAccuracy?.push(logs.valAccuracy!);
      history.learningRate.push(learningRate);
      history.epochs = epoch + 1;
      optimizer.epochs++;
      if (p.inspectEvery && (epoch + 1) % p.inspectEvery === 0) look(epoch + 1);
      if ((yield* each('onEpochEnd', epoch, logs)) || stop) {
        history.stopped = epoch + 1 < p.epochs || stop;
        break;
      }
    }
    epoch = -1;
    yield* each('onTrainEnd', history);
    // the model now holds this optimizer's state; the previous one's is freed
    if (model.optimizer && model.optimizer !== optimizer) model.optimizer.release(params);
    model.optimizer = optimizer;
    model.buffers.commit();
    return history;
  } catch (e) {
    params.forEach((q, i) => be.assign(q.value, { rows: q.value.rows, cols: q.value.cols, data: saved[i] }));
    optimizer.restore(savedOptimizer);
    model.step = savedStep;
    model.buffers.rollback();
    const where = epoch < 0 ? 'at the end of training' : batch < 0 ? `at the end of epoch ${epoch}` : `at epoch ${epoch}, batch ${batch}`;
    throw new Error(`${p.op}: ${(e as Error)?.message ?? String(e)} ${where}; the model was restored to its state when ${p.op} was called`, { cause: e });
  } finally {
    model.training = false;
    for (const b of batches.values()) {
      if (b.x !== train.x) b.x.dispose();
      if (b.y !== train.y) b.y.dispose();
      b.grad.dispose();
    }
    for (const t of p.owned) t.dispose();
  }
}

/**
 * Finite weights after an update, checked with one reduction per parameter (Σ w² is finite
 * exactly when every w is, unless huge values overflow the sum: then the values are read).
 */
function checkWeights(model: Sequential, named: ReturnType<Sequential['namedParams']>): void {
  const be = model.backend;
  let s = 0;
  for (const n of named) s += be.sumSquares(n.param.value);
  if (Number.isFinite(s)) return;
  for (const n of named) {
    const d = n.param.value.toMatrix().data;
    const bad = d.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new TrainingFailure(`${n.name}[${bad}] became ${d[bad]} in the update: training diverged (try a smaller learningRate)`);
    }
  }
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export function fitSync(model: Sequential, x: MatrixLike | Tensor, y: Labels | Tensor, opts: FitOptions): History {
  // never asked to pause, so all the loop hands back is a callback's Promise: refused here
  const gen = loop(model, plan(model, x, y, opts, 'fit'), () => false);
  let r = gen.next();
  while (!r.done) {
    const name = r.value === TICK ? 'a callback' : r.value.name;
    r = gen.throw(new TrainingFailure(`${name} returned a Promise; fit runs callbacks synchronously: use fitAsync for async callbacks`));
  }
  return r.value;
}

/** Hands the thread back to the event loop: rendering and input run, then training goes on. */
const yieldToEventLoop: () => Promise<void> = (() => {
  // (not scheduler.yield(): its continuation runs ahead of waiting tasks, and input can starve)
  const g = globalThis as { setImmediate?: (f: () => void) => void };
  if (typeof g.setImmediate === 'function') return () => new Promise<void>((r) => g.setImmediate!(r));
  if (typeof MessageChannel !== 'undefined') {
    return () => new Promise<void>((r) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => { ch.port1.close(); r(); };
      ch.port2.postMessage(0);
    });
  }
  return () => new Promise<void>((r) => setTimeout(r, 0));
})();

/** How long fitAsync works before it yields: well under a 50 ms long task, and a frame's worth. */
const SLICE_MS = 10;

export async function fitAsync(model: Sequential, x: MatrixLike | Tensor, y: Labels | Tensor, opts: FitOptions): Promise<History> {
  const checked = plan(model, x, y, opts, 'fitAsync');
  // start on a fresh task: the caller's own synchronous work does not add to the first slice
  // (the model counts as training from here: no second fit can start in between)
  model.training = true;
  await yieldToEventLoop();
  let last = now();
  const gen = loop(model, checked, () => now() - last >= SLICE_MS);
  let r = gen.next();
  while (!r.done) {
    const v = r.value;
    if (v === TICK) {
      await yieldToEventLoop();
      last = now();
      r = gen.next();
      continue;
    }
    let settled: unknown, failed: unknown = null;
    try { settled = await v.promise; } catch (e) { failed = e; }
    last = now();
    r = failed !== null
      ? gen.throw(new TrainingFailure(`${v.name} threw: ${(failed as Error)?.message ?? String(failed)}`, { cause: failed }))
      : gen.next(settled);
  }
  return r.value;
}
