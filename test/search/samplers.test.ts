// The samplers' distributions, checked by counting draws against the scale each one promises:
// logUniform puts as many draws in each decade, oneMinusLogUniform as many in each decade of 1 − β.
import { describe, expect, it } from 'vitest';
import * as dl from '../../src/index.js';

const N = 4000;
const draws = (s: dl.Sampler, seed = 1) => {
  const rng = new dl.MersenneTwister(seed);
  return Array.from({ length: N }, () => (s as unknown as { sample: (r: dl.MersenneTwister) => number }).sample(rng));
};
/** a count's distance from its binomial mean, in standard deviations */
const z = (count: number, p: number) => Math.abs(count - N * p) / Math.sqrt(N * p * (1 - p));

describe('samplers', () => {
  it('logUniform(1e-4, 1): a quarter of the draws in each decade, all inside', () => {
    const v = draws(dl.logUniform(1e-4, 1));
    expect(v.every((x) => x >= 1e-4 && x <= 1)).toBe(true);
    for (const [lo, hi] of [
      [1e-4, 1e-3],
      [1e-3, 1e-2],
      [1e-2, 1e-1],
      [1e-1, 1],
    ])
      expect(z(v.filter((x) => x >= lo && x < hi).length, 0.25)).toBeLessThan(4);
  });

  it('oneMinusLogUniform(0.9, 0.999): half the draws in [0.9, 0.99], half in [0.99, 0.999]', () => {
    const v = draws(dl.oneMinusLogUniform(0.9, 0.999));
    expect(v.every((x) => x >= 0.9 && x <= 0.999)).toBe(true);
    expect(z(v.filter((x) => x < 0.99).length, 0.5)).toBeLessThan(4);
  });

  it('uniform(-2, 6): a quarter in each quarter; choice: each value as often', () => {
    const v = draws(dl.uniform(-2, 6));
    for (let q = 0; q < 4; q++) expect(z(v.filter((x) => x >= -2 + 2 * q && x < 2 * q).length, 0.25)).toBeLessThan(4);
    const c = draws(dl.choice([8, 16, 32]));
    for (const k of [8, 16, 32]) expect(z(c.filter((x) => x === k).length, 1 / 3)).toBeLessThan(4);
  });

  it('a draw is the definition, from one uniform number of the stream', () => {
    const u = new dl.MersenneTwister(7).random();
    const [lr] = draws(dl.logUniform(1e-4, 1e-1), 7);
    expect(Math.abs(lr - 1e-4 * 1000 ** u) / lr).toBeLessThan(1e-14);
    const [beta] = draws(dl.oneMinusLogUniform(0.9, 0.999), 7);
    expect(Math.abs(1 - beta - 0.1 * 0.01 ** u) / (1 - beta)).toBeLessThan(1e-13);
  });

  it('bad bounds are refused, naming the sampler and the value', () => {
    expect(() => dl.logUniform(0, 1)).toThrow(/^logUniform: low must be in/);
    expect(() => dl.logUniform(1e-3, 1e-4)).toThrow(/^logUniform: low must be below high/);
    expect(() => dl.uniform(0, Number.NaN)).toThrow(/^uniform: high must be a finite number, got NaN/);
    expect(() => dl.oneMinusLogUniform(0.9, 1)).toThrow(/^oneMinusLogUniform: high must be below 1/);
    expect(() => dl.choice([])).toThrow(/^choice: values must be a non-empty array/);
    expect(() => dl.choice([1, Number.POSITIVE_INFINITY])).toThrow(/^choice: values\[1\]/);
  });
});
