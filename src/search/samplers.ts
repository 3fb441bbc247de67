// The distributions random search draws hyperparameters from, as the course advises: uniform for
// what acts linearly, the log scale for a learning rate (as many draws in [1e-4, 1e-3] as in
// [1e-1, 1]), 1 − β on a log scale for an averaging β (0.9 → 0.99 matters as much as 0.99 →
// 0.999), and a choice among values. Each can narrow to the range its best draws span.
import { describe } from '../core/matrix.js';
import type { MersenneTwister } from '../core/random.js';
import { exp, expm1, log, log1p } from '../core/libm.js';

/** A value a sampler gives: a number, or one of choice()'s values. */
export type SampleValue = number | string | boolean;

/** A distribution to draw one hyperparameter from: made by uniform, logUniform, oneMinusLogUniform, choice. */
export interface Sampler {
  /** 'uniform', 'logUniform', 'oneMinusLogUniform' or 'choice' */
  readonly kind: string;
  /** [low, high] of the numeric ones; the values of a choice */
  readonly range: readonly SampleValue[];
  /** @internal one draw, from one random number of the search's stream */
  sample(rng: MersenneTwister): SampleValue;
  /** @internal the same kind of sampler, over what these draws span */
  narrow(values: SampleValue[]): Sampler;
}

function bounds(lo: unknown, hi: unknown, what: string, min: number, max: number): [number, number] {
  for (const [v, name] of [
    [lo, 'low'],
    [hi, 'high'],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new Error(`${what}: ${name} must be a finite number, got ${describe(v)}`);
    if (v < min || v > max) throw new Error(`${what}: ${name} must be in [${min}, ${max}], got ${v}`);
  }
  if (!((lo as number) < (hi as number)))
    throw new Error(`${what}: low must be below high, got low ${lo} and high ${hi}`);
  return [lo as number, hi as number];
}

/** A numeric sampler drawn uniformly in t = to(x) between to(lo) and to(hi). */
function numeric(
  kind: string,
  lo: number,
  hi: number,
  to: (x: number) => number,
  from: (t: number) => number,
  make: (lo: number, hi: number) => Sampler,
): Sampler {
  const a = to(lo),
    b = to(hi);
  return {
    kind,
    range: [lo, hi],
    sample: (rng) => {
      const v = from(a + (b - a) * rng.random());
      // the ends, exactly, whatever the rounding of to and from
      return Math.min(hi, Math.max(lo, v));
    },
    narrow: (values) => {
      const v = values as number[];
      const l = Math.min(...v),
        h = Math.max(...v);
      return l < h ? make(l, h) : constant(l);
    },
  };
}

/** One value only: what a numeric range narrows to when its best draws agree. */
function constant(v: SampleValue): Sampler {
  return { kind: 'choice', range: [v], sample: () => v, narrow: () => constant(v) };
}

/** Uniform in [low, high]. */
export function uniform(low: number, high: number): Sampler {
  const [lo, hi] = bounds(low, high, 'uniform', -Number.MAX_VALUE, Number.MAX_VALUE);
  return numeric(
    'uniform',
    lo,
    hi,
    (x) => x,
    (t) => t,
    uniform,
  );
}

/** Uniform in log(x) between low > 0 and high: for learning rates, λ, ε. */
export function logUniform(low: number, high: number): Sampler {
  const [lo, hi] = bounds(low, high, 'logUniform', Number.MIN_VALUE, Number.MAX_VALUE);
  return numeric('logUniform', lo, hi, log, exp, logUniform);
}

/** 1 − x uniform in log scale, for low ≤ x ≤ high < 1: for averaging rates β (momentum, Adam, RMSprop). */
export function oneMinusLogUniform(low: number, high: number): Sampler {
  const [lo, hi] = bounds(low, high, 'oneMinusLogUniform', 0, 1);
  if (hi >= 1) throw new Error(`oneMinusLogUniform: high must be below 1, got ${hi}`);
  return numeric(
    'oneMinusLogUniform',
    lo,
    hi,
    (x) => log1p(-x),
    (t) => -expm1(t),
    oneMinusLogUniform,
  );
}

/** One of these values, each as likely: layer sizes, activations, batch sizes. */
export function choice<T extends SampleValue>(values: readonly T[]): Sampler {
  if (!Array.isArray(values) || values.length === 0)
    throw new Error(`choice: values must be a non-empty array, got ${describe(values)}`);
  values.forEach((v, i) => {
    const ok = typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
    if (!ok) throw new Error(`choice: values[${i}] must be a finite number, a string or a boolean, got ${describe(v)}`);
  });
  const list = [...values];
  return {
    kind: 'choice',
    range: list,
    sample: (rng) => list[Math.min(list.length - 1, Math.floor(rng.random() * list.length))],
    narrow: (picked) => choice(list.filter((v) => picked.includes(v))),
  };
}

export function isSampler(v: unknown): v is Sampler {
  const s = v as Sampler;
  return !!s && typeof s === 'object' && typeof s.sample === 'function' && typeof s.narrow === 'function';
}
