// Learning-rate schedules: the rate for an epoch, counted from the optimizer's first epoch.
// Pass one where an optimizer takes a learningRate: sgd({ learningRate: inverseTimeDecay(…) }).
import { checkOptions, optBoolean, optNumber } from '../../core/options.js';
import { pow } from '../../core/libm.js';

/** A learning rate as a function of the epoch: exponentialDecay(), stepDecay() or inverseTimeDecay(). */
export interface Schedule {
  /** 'exponentialDecay', 'stepDecay' or 'inverseTimeDecay' */
  readonly name: string;
  /** its settings */
  readonly config: Record<string, number | boolean>;
  /** the learning rate during epoch `epoch` (0-based) */
  at(epoch: number): number;
}

const positive = { min: 0, minOpen: true };

/** initial · rate^(epoch / every); with staircase, the exponent is floored (a step every `every` epochs). */
export function exponentialDecay(opts: {
  initial: number;
  rate: number;
  every?: number;
  staircase?: boolean;
}): Schedule {
  const o = checkOptions(opts, ['initial', 'rate', 'every', 'staircase'], 'exponentialDecay');
  const initial = optNumber(o.initial, 'exponentialDecay: initial', NaN, positive);
  const rate = optNumber(o.rate, 'exponentialDecay: rate', NaN, { min: 0, max: 1, minOpen: true });
  const every = optNumber(o.every, 'exponentialDecay: every', 1, { min: 1, integer: true });
  const staircase = optBoolean(o.staircase, 'exponentialDecay: staircase', false);
  required(initial, 'exponentialDecay: initial');
  required(rate, 'exponentialDecay: rate');
  return {
    name: 'exponentialDecay',
    config: { initial, rate, every, staircase },
    at: (epoch) => initial * pow(rate, staircase ? Math.floor(epoch / every) : epoch / every),
  };
}

/** initial · factor^⌊epoch / every⌋: the rate multiplied by `factor` every `every` epochs. */
export function stepDecay(opts: { initial: number; every: number; factor?: number }): Schedule {
  const o = checkOptions(opts, ['initial', 'every', 'factor'], 'stepDecay');
  const initial = optNumber(o.initial, 'stepDecay: initial', NaN, positive);
  const every = optNumber(o.every, 'stepDecay: every', NaN, { min: 1, integer: true });
  const factor = optNumber(o.factor, 'stepDecay: factor', 0.5, { min: 0, max: 1, minOpen: true });
  required(initial, 'stepDecay: initial');
  required(every, 'stepDecay: every');
  return {
    name: 'stepDecay',
    config: { initial, every, factor },
    at: (epoch) => initial * pow(factor, Math.floor(epoch / every)),
  };
}

/**
 * The course's decay: initial / (1 + decay · ⌊epoch / every⌋). With every = 1 (the default) it
 * is update_lr, lr₀/(1 + decay·epoch); with every = 1000 it is schedule_lr_decay's fixed interval.
 */
export function inverseTimeDecay(opts: { initial: number; decay: number; every?: number }): Schedule {
  const o = checkOptions(opts, ['initial', 'decay', 'every'], 'inverseTimeDecay');
  const initial = optNumber(o.initial, 'inverseTimeDecay: initial', NaN, positive);
  const decay = optNumber(o.decay, 'inverseTimeDecay: decay', NaN, { min: 0 });
  const every = optNumber(o.every, 'inverseTimeDecay: every', 1, { min: 1, integer: true });
  required(initial, 'inverseTimeDecay: initial');
  required(decay, 'inverseTimeDecay: decay');
  return {
    name: 'inverseTimeDecay',
    config: { initial, decay, every },
    at: (epoch) => initial / (1 + decay * Math.floor(epoch / every)),
  };
}

function required(v: number, what: string): void {
  if (Number.isNaN(v)) throw new Error(`${what} is required`);
}

export function isSchedule(v: unknown): v is Schedule {
  return (
    !!v && typeof v === 'object' && typeof (v as Schedule).at === 'function' && typeof (v as Schedule).name === 'string'
  );
}
