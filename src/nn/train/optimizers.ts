// Optimizers: each update runs on the backend (a kernel on wasm), in place. An optimizer owns
// its state (velocities, moments, and a step count per parameter, as PyTorch keeps them): a new
// optimizer starts fresh, reusing one continues it. fit() snapshots and restores that state so a
// failed fit changes nothing, and a model frees it when it is disposed or trains with another.
import type { Backend, Tensor } from '../../backends/backend.js';
import type { FloatArray } from '../../core/matrix.js';
import { checkOptions, optNumber } from '../../core/options.js';
import type { Param } from '../layer.js';
import { type Schedule, isSchedule } from './schedules.js';

/** An optimizer's state for some parameters, copied out: what restore() puts back. */
export interface OptimizerSnapshot {
  epochs: number;
  entries: { param: Tensor; state: { t: number; slots: FloatArray[] } | null }[];
}

/** A parameter-update rule with its state: made by sgd(), momentum() or adam(), given to fit. */
export interface Optimizer {
  /** 'sgd', 'momentum' or 'adam' */
  readonly name: string;
  /** its settings, as saved with a model */
  readonly config: Record<string, number | string>;
  /** epochs trained with this optimizer: the schedule's clock */
  epochs: number;
  /** the learning rate of the optimizer's current epoch */
  learningRate(): number;
  /** @internal one step over all parameters */
  update(be: Backend, params: Param[]): void;
  /** @internal a copy of the state held for these parameters */
  snapshot(params: Param[]): OptimizerSnapshot;
  /** @internal puts a snapshot back, freeing state created since */
  restore(snap: OptimizerSnapshot): void;
  /** @internal frees the state held for these parameters (the next step on them starts fresh) */
  release(params: Param[]): void;
  /** frees all of the optimizer's state */
  dispose(): void;
}

/**
 * A learning rate: a number, a built-in schedule, or any function of the epoch (counted from the
 * optimizer's first, 0-based) whose results fit checks each epoch: a finite number ≥ 0.
 */
export type Rate = number | Schedule | ((epoch: number) => number);

function rateOf(v: unknown, what: string, dflt: number): number | Schedule {
  if (isSchedule(v)) return v;
  if (typeof v === 'function') return { name: 'function', config: {}, at: (epoch) => v(epoch) };
  return optNumber(v, what, dflt, { min: 0, minOpen: true });
}

/**
 * The shared part: per-parameter state (a step count and `n` tensors, each starting at `initial`),
 * the schedule's clock.
 */
function makeOptimizer(
  name: string,
  rate: number | Schedule,
  config: Record<string, number>,
  n: number,
  step: (be: Backend, p: Param, slots: Tensor[], t: number, lr: number) => void,
  initial = 0,
): Optimizer {
  const slot = (be: Backend, rows: number, cols: number): Tensor =>
    initial === 0
      ? be.zeros(rows, cols)
      : be.tensor({ rows, cols, data: new Array<number>(rows * cols).fill(initial) });
  const state = new Map<Tensor, { t: number; slots: Tensor[] }>();
  const free = (s: { slots: Tensor[] }) => {
    for (const t of s.slots) t.dispose();
  };
  const opt: Optimizer = {
    name,
    config: { ...config, learningRate: typeof rate === 'number' ? rate : rate.name },
    epochs: 0,
    learningRate: () => (typeof rate === 'number' ? rate : rate.at(opt.epochs)),
    update(be, params) {
      const lr = opt.learningRate();
      for (const p of params) {
        if (p.trainable === false) continue;
        let s = state.get(p.value);
        if (!s) {
          s = { t: 0, slots: Array.from({ length: n }, () => slot(be, p.value.rows, p.value.cols)) };
          state.set(p.value, s);
        }
        s.t++;
        step(be, p, s.slots, s.t, lr);
      }
    },
    snapshot(params) {
      return {
        epochs: opt.epochs,
        entries: params.map((p) => {
          const s = state.get(p.value);
          return { param: p.value, state: s ? { t: s.t, slots: s.slots.map((t) => t.toMatrix().data) } : null };
        }),
      };
    },
    restore(snap) {
      opt.epochs = snap.epochs;
      for (const { param, state: saved } of snap.entries) {
        const s = state.get(param);
        if (!saved) {
          if (s) {
            free(s);
            state.delete(param);
          }
        } else if (s) {
          s.t = saved.t;
          s.slots.forEach((t, i) => t.backend.assign(t, { rows: t.rows, cols: t.cols, data: saved.slots[i] }));
        }
      }
    },
    release(params) {
      for (const p of params) {
        const s = state.get(p.value);
        if (s) {
          free(s);
          state.delete(p.value);
        }
      }
    },
    dispose() {
      for (const s of state.values()) free(s);
      state.clear();
    },
  };
  return opt;
}

/** Plain gradient descent: w −= lr·g. */
export function sgd(opts?: { learningRate?: Rate }): Optimizer {
  const o = checkOptions(opts, ['learningRate'], 'sgd');
  const rate = rateOf(o.learningRate, 'sgd: learningRate', 0.01);
  return makeOptimizer('sgd', rate, {}, 0, (be, p, _s, _t, lr) => be.axpy(-lr, p.grad, p.value));
}

/** Momentum, as in the course: v = β·v + (1−β)·g; w −= lr·v. */
export function momentum(opts?: { learningRate?: Rate; beta?: number }): Optimizer {
  const o = checkOptions(opts, ['learningRate', 'beta'], 'momentum');
  const rate = rateOf(o.learningRate, 'momentum: learningRate', 0.01);
  const beta = optNumber(o.beta, 'momentum: beta', 0.9, { min: 0, max: 1, maxOpen: true });
  return makeOptimizer('momentum', rate, { beta }, 1, (be, p, [v], _t, lr) =>
    be.momentumUpdate(p.value, p.grad, v, lr, beta),
  );
}

/** Adam (Kingma & Ba, 2015), with their defaults; bias correction from its own step count. */
export function adam(opts?: { learningRate?: Rate; beta1?: number; beta2?: number; epsilon?: number }): Optimizer {
  const o = checkOptions(opts, ['learningRate', 'beta1', 'beta2', 'epsilon'], 'adam');
  const rate = rateOf(o.learningRate, 'adam: learningRate', 0.001);
  const beta1 = optNumber(o.beta1, 'adam: beta1', 0.9, { min: 0, max: 1, maxOpen: true });
  const beta2 = optNumber(o.beta2, 'adam: beta2', 0.999, { min: 0, max: 1, maxOpen: true });
  const epsilon = optNumber(o.epsilon, 'adam: epsilon', 1e-8, { min: 0, minOpen: true });
  return makeOptimizer('adam', rate, { beta1, beta2, epsilon }, 2, (be, p, [m, v], t, lr) =>
    be.adamUpdate(p.value, p.grad, m, v, { lr, beta1, beta2, epsilon, t }),
  );
}

/**
 * RMSprop (Hinton's lecture; the course's form): s = β·s + (1−β)·g²; w −= lr·g / (√s + ε).
 * Defaults: learningRate 0.001, beta 0.9, epsilon 1e-8.
 */
export function rmsprop(opts?: { learningRate?: Rate; beta?: number; epsilon?: number }): Optimizer {
  const o = checkOptions(opts, ['learningRate', 'beta', 'epsilon'], 'rmsprop');
  const rate = rateOf(o.learningRate, 'rmsprop: learningRate', 0.001);
  const beta = optNumber(o.beta, 'rmsprop: beta', 0.9, { min: 0, max: 1, maxOpen: true });
  const epsilon = optNumber(o.epsilon, 'rmsprop: epsilon', 1e-8, { min: 0, minOpen: true });
  return makeOptimizer('rmsprop', rate, { beta, epsilon }, 1, (be, p, [sq], _t, lr) =>
    be.rmspropUpdate(p.value, p.grad, sq, lr, beta, epsilon),
  );
}

/**
 * Adagrad (Duchi, Hazan & Singer, 2011): s += g², s starting at initialAccumulator; w −= lr·g /
 * (√s + ε). Defaults as PyTorch's: learningRate 0.01, epsilon 1e-10, initialAccumulator 0.
 */
export function adagrad(opts?: { learningRate?: Rate; epsilon?: number; initialAccumulator?: number }): Optimizer {
  const o = checkOptions(opts, ['learningRate', 'epsilon', 'initialAccumulator'], 'adagrad');
  const rate = rateOf(o.learningRate, 'adagrad: learningRate', 0.01);
  const epsilon = optNumber(o.epsilon, 'adagrad: epsilon', 1e-10, { min: 0, minOpen: true });
  const initialAccumulator = optNumber(o.initialAccumulator, 'adagrad: initialAccumulator', 0, { min: 0 });
  return makeOptimizer(
    'adagrad',
    rate,
    { epsilon, initialAccumulator },
    1,
    (be, p, [sq], _t, lr) => be.adagradUpdate(p.value, p.grad, sq, lr, epsilon),
    initialAccumulator,
  );
}

export function isOptimizer(v: unknown): v is Optimizer {
  const o = v as Optimizer;
  return !!o && typeof o === 'object' && typeof o.update === 'function' && typeof o.snapshot === 'function';
}
