// The lessons' own figures (demo/extras), each against an independent reference: the averages'
// defining recurrences, gradient descent on logistic regression written as float64 loops here, and
// the draws' spread over decades.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeContours } from '../../demo/extras/contours.js';
import { computeEwa } from '../../demo/extras/ewa.js';
import { computeSearch, LOW, TRIALS } from '../../demo/extras/search.js';
import { type Backend, createBackend } from '../../src/index.js';

let backend: Backend;
beforeAll(async () => {
  backend = await createBackend('wasm', { dtype: 'float64', threads: 1 });
});
afterAll(() => backend.dispose());

describe("the lessons' own figures", () => {
  it('EWA: the plain average starts at (1 − β)·θ₁, the corrected one at θ₁, and they meet as β^t fades', () => {
    const e = computeEwa([0.9, 0.98]);
    for (const r of e.runs) {
      expect(r.plain[0]).toBeCloseTo((1 - r.beta) * e.days[0], 12);
      expect(r.corrected[0]).toBeCloseTo(e.days[0], 12);
      // by t = 10/(1 − β) the correction is under 1e-4 of the average
      const t = Math.ceil(10 / (1 - r.beta));
      if (t < e.days.length) expect(Math.abs(r.corrected[t] / r.plain[t] - 1)).toBeLessThan(1e-4);
    }
    expect(e.text).toMatch(/starts at <strong>0\.\d°<\/strong>/);
  });

  it('input normalization: the library descends as float64 gradient-descent loops do, and standardized goes further', async () => {
    const c = await computeContours(backend);
    for (const side of [c.raw, c.standardized]) {
      // the same descent written out: w ← w − rate · Xᵀ(σ(Xw) − y)/m
      let w = [0, 0];
      const { x, y } = side;
      for (let k = 1; k < side.path.length; k++) {
        const g = [0, 0];
        for (let i = 0; i < x.rows; i++) {
          const z = w[0] * x.data[2 * i] + w[1] * x.data[2 * i + 1];
          const r = 1 / (1 + Math.exp(-z)) - y.data[i];
          g[0] += (r * x.data[2 * i]) / x.rows;
          g[1] += (r * x.data[2 * i + 1]) / x.rows;
        }
        w = [w[0] - side.rate * g[0], w[1] - side.rate * g[1]];
        expect(side.path[k][0]).toBeCloseTo(w[0], 9);
        expect(side.path[k][1]).toBeCloseTo(w[1], 9);
      }
    }
    expect(c.raw.condition).toBeGreaterThan(100);
    expect(c.standardized.condition).toBeLessThan(3);
    expect(c.standardized.costs.at(-1)!).toBeLessThan(c.raw.costs.at(-1)!);
  });

  it('random search: every draw in range, the decades shared out, the best a rate SGD trains with', async () => {
    const s = await computeSearch(backend);
    expect(s.trials).toHaveLength(TRIALS);
    for (const t of s.trials) {
      expect(t.lr).toBeGreaterThanOrEqual(LOW);
      expect(t.lr).toBeLessThanOrEqual(10);
    }
    expect(s.perDecade.reduce((a, b) => a + b, 0)).toBe(TRIALS);
    // uniform would put 90% in the top decade; the log scale leaves most draws below it
    expect(s.perDecade[3]).toBeLessThan(TRIALS / 2);
    expect(s.best!.lr).toBeGreaterThan(0.03);
    expect(s.best!.score).toBeGreaterThan(0.9);
  }, 60000);
});
