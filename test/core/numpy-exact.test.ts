// Bit for bit with numpy and scikit-learn (test/fixtures/numpy/draws.json, written by
// scripts/fixtures_numpy.py with numpy 2.4 and scikit-learn 1.9.1): numpy's legacy randn for four
// seeds, make_moons and make_circles with and without noise. randn needs log, the data sets cos
// and sin: core/libm.ts rounds them correctly. The C library numpy calls does too but for about
// one value in two thousand, so each draw is checked against what numpy gives with a correctly
// rounded log, sin and cos (every one equal), and against numpy as it is (nearly every one).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as dl from '../../src/index.js';

interface Set {
  samples: number;
  noise: number;
  seed: number;
  factor?: number;
  x: number[];
  xCR: number[];
  y: number[];
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/numpy/draws.json', import.meta.url), 'utf8')) as {
  randn: Record<string, number[]>;
  randnCR: Record<string, number[]>;
  moons: Set[];
  circles: Set[];
};

/** how many of got's values have want's bits */
const exact = (got: ArrayLike<number>, want: number[]) => want.filter((v, i) => Object.is(got[i], v)).length;
const total = { same: 0, of: 0 };

describe('numpy and scikit-learn, bit for bit', () => {
  it.each(Object.keys(fx.randn))('randn, seed %s: all 2500 draws; numpy’s own but where its log misrounds', (seed) => {
    const rng = new dl.MersenneTwister(Number(seed));
    const got = fx.randn[seed].map(() => rng.randn());
    expect(exact(got, fx.randnCR[seed])).toBe(2500);
    const same = exact(got, fx.randn[seed]);
    expect(same).toBeGreaterThanOrEqual(2496);
    total.same += same;
    total.of += 2500;
  });

  const sets = [
    ...fx.moons.map((s) => ({
      ...s,
      kind: 'make_moons',
      make: () => dl.datasets.moons({ samples: s.samples, noise: s.noise, seed: s.seed }),
    })),
    ...fx.circles.map((s) => ({
      ...s,
      kind: 'make_circles',
      make: () => dl.datasets.circles({ samples: s.samples, noise: s.noise, factor: s.factor, seed: s.seed }),
    })),
  ];
  it.each(sets)('$kind($samples, noise $noise, random_state $seed): every coordinate', (s) => {
    const d = s.make();
    expect(exact(d.x.data, s.xCR)).toBe(s.xCR.length);
    expect(Array.from(d.y.data)).toEqual(s.y);
    const same = exact(d.x.data, s.x);
    expect(same / s.x.length).toBeGreaterThanOrEqual(0.99);
    total.same += same;
    total.of += s.x.length;
  });

  it('in all, nearly every value of numpy’s and scikit-learn’s own', () => {
    expect(total.same / total.of).toBeGreaterThan(0.998);
  });
});
