// The training loop: one generator, driven synchronously by fit and with awaits (and yields to
// the event loop) by fitAsync (drivers.ts), so the two cannot drift apart. If training fails (a
// non-finite loss or weight, a callback that throws) the weights, the optimizer's state, the
// step count and the model's buffers are put back as they were when the call began.
import type { Tensor } from '../../backends/backend.js';
import { type FloatArray, arrayFor } from '../../core/matrix.js';
import { MersenneTwister } from '../../core/random.js';
import { countRight } from '../data.js';
import type { Mode, Param } from '../layer.js';
import type { Model } from '../model.js';
import { addPenaltyGradient, penaltyCost } from '../penalty.js';
import type { Plan } from './plan.js';
import type { EpochLogs, History } from './types.js';

/** A failure inside the loop: the message says what went wrong; the loop adds where. */
export class TrainingFailure extends Error {}

/** What the loop hands its driver: a callback's Promise to settle, or a point to yield at. */
export type Pending = { name: string; promise: PromiseLike<unknown> } | typeof TICK;
export const TICK = Symbol('tick');

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  !!v && (typeof v === 'object' || typeof v === 'function') && typeof (v as PromiseLike<unknown>).then === 'function';

/** Calls a callback; a Promise goes to the driver. Returns true when it says stop. */
function* invoke(name: string, f: () => unknown): Generator<Pending, boolean, unknown> {
  let r: unknown;
  try {
    r = f();
  } catch (e) {
    throw new TrainingFailure(`${name} threw: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
  if (isThenable(r)) r = yield { name, promise: r };
  return r === false;
}

/** `pause()` says when the loop should hand the driver a point to yield at (fitAsync's slices). */
export function* loop(model: Model, p: Plan, pause: () => boolean): Generator<Pending, History, unknown> {
  const be = model.backend,
    k = model.outputSize,
    dtype = model.dtype;
  const named = model.namedParams();
  const params: Param[] = named.map((n) => n.param);
  const weights = params.filter((q) => q.regularize);
  const { loss, optimizer, train, val, penalty } = p;
  const penalized = penalty.l1 > 0 || penalty.l2 > 0;
  const m = train.m;
  const classify = loss.name !== 'meanSquaredError';
  // an order given (numpyShuffle) gathers its batches even when one batch holds them all
  const ordered = typeof p.shuffle === 'object' ? p.shuffle : null;
  const fullBatch = p.batchSize >= m && !ordered;

  // what a failure puts back (taken inside the try below: the backend may be gone already)
  let saved: FloatArray[] | null = null;
  let savedOptimizer: ReturnType<typeof optimizer.snapshot> | null = null;
  const savedStep = model.step;
  model.training = true;

  const rng = new MersenneTwister((model.seed ^ 0x5eed5eed) >>> 0);
  const order = Int32Array.from({ length: m }, (_, i) => i);
  interface Batch {
    x: Tensor;
    y: Tensor;
    yData: FloatArray;
    grad: Tensor;
    out: FloatArray;
  }
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
    loss: [],
    ...(classify ? { accuracy: [] } : {}),
    ...(val ? { valLoss: [], valAccuracy: [] } : {}),
    learningRate: [],
    epochs: 0,
    stopped: false,
    ...(p.inspectEvery ? { inspect: [] } : {}),
  };
  const look = (epoch: number) =>
    history.inspect!.push({ epoch, ...p.inspector!(model, train.x, train.y, train.yData, loss, penalty) });
  const mode: Mode = { training: true, step: model.step, seed: model.seed };
  type Hook = 'onTrainBegin' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchEnd' | 'onTrainEnd';
  const has = (hook: Hook) => p.callbacks.some((cb) => cb[hook]);
  const batchHooks = has('onBatchEnd'),
    epochBeginHooks = has('onEpochBegin');
  const each = function* (hook: Hook, ...args: unknown[]) {
    let stop = false;
    for (const cb of p.callbacks) {
      const f = cb[hook] as ((...a: unknown[]) => unknown) | undefined;
      if (
        f &&
        (yield* invoke(cb.name === 'options' ? hook : `${cb.name ?? 'a callback'}'s ${hook}`, () => f.apply(cb, args)))
      )
        stop = true;
    }
    return stop;
  };
  // -2 until the first epoch starts (a failure there is 'before the first epoch'), -1 after the last
  let epoch = -2,
    batch = 0;
  try {
    saved = params.map((q) => be.readInto(q.value, arrayFor(dtype, q.value.size)));
    savedOptimizer = optimizer.snapshot(params);
    model.buffers.begin();
    yield* each('onTrainBegin', model);
    if (p.inspectEvery) look(0);
    for (epoch = 0; epoch < p.epochs; epoch++) {
      const t0 = now();
      batch = 0;
      const learningRate = optimizer.learningRate();
      if (typeof learningRate !== 'number' || !(learningRate >= 0 && Number.isFinite(learningRate))) {
        const v = typeof learningRate === 'string' ? JSON.stringify(learningRate) : String(learningRate);
        throw new TrainingFailure(`the learning rate for epoch ${optimizer.epochs} is ${v}, not a finite number ≥ 0`);
      }
      if (epochBeginHooks) yield* each('onEpochBegin', epoch);
      if (ordered) ordered.order(epoch, order);
      else if (!fullBatch && p.shuffle) rng.shuffle(order);
      let epochLoss = 0,
        right = 0,
        seen = 0,
        stop = false;
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
        if (penalized) cost += penaltyCost(be, weights, penalty, rows);
        if (!Number.isFinite(cost)) {
          throw new TrainingFailure(
            `the loss became ${cost}: training diverged (try a smaller learningRate or another initializer)`,
          );
        }
        if (classify) {
          be.readInto(model.lastOutput!, b.out);
          right += countRight(b.out, b.yData, rows, k);
        }
        model.backward(b.grad, loss);
        if (penalized) addPenaltyGradient(be, weights, penalty, rows);
        model.step++;
        optimizer.update(be, params);
        checkWeights(model, named);
        epochLoss += cost * rows;
        seen += rows;
        if (batchHooks && (yield* each('onBatchEnd', batch, { loss: cost, batch, epoch }))) {
          stop = true;
          break;
        }
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
        history.stopped = true;
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
    // put back what was saved; a backend disposed meanwhile has nothing left to put it into
    let restored = saved !== null;
    if (saved !== null) {
      try {
        const values = saved;
        params.forEach((q, i) => be.assign(q.value, { rows: q.value.rows, cols: q.value.cols, data: values[i] }));
        if (savedOptimizer) optimizer.restore(savedOptimizer);
        model.buffers.rollback();
      } catch {
        restored = false;
      }
    }
    model.step = savedStep;
    const where =
      saved === null || epoch === -2
        ? 'before the first epoch'
        : epoch < 0
          ? 'at the end of training'
          : batch < 0
            ? `at the end of epoch ${epoch}`
            : `at epoch ${epoch}, batch ${batch}`;
    const after = restored
      ? `the model was restored to its state when ${p.op} was called`
      : be.disposed
        ? 'the backend was disposed, so its model is gone with it'
        : 'the model could not be restored';
    throw new Error(`${p.op}: ${(e as Error)?.message ?? String(e)} ${where}; ${after}`, { cause: e });
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
function checkWeights(model: Model, named: ReturnType<Model['namedParams']>): void {
  const be = model.backend;
  let s = 0;
  for (const n of named) s += be.sumSquares(n.param.value);
  if (Number.isFinite(s)) return;
  for (const n of named) {
    const d = n.param.value.toMatrix().data;
    const bad = d.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new TrainingFailure(
        `${n.name}[${bad}] became ${d[bad]} in the update: training diverged (try a smaller learningRate)`,
      );
    }
  }
}

export const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());
