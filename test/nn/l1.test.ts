// L1 regularization (and L1 with L2), in the course's convention: cost + λ₁/m·Σ|W|, gradient +
// (λ₁/m)·sign(W), weights only. Checked by central differences (gradCheck), against float64 loops
// over the weights, and through fit, inspect and gradCheck alike, on every backend and dtype.
import { describe, expect, it } from 'vitest';
import * as dl from '../../src/index.js';
import { CONFIGS, randomData } from '../helpers.js';

const m = 9;
const x = { rows: m, cols: 3, data: randomData(m * 3, 21, 'float64', -2, 2) };
const y = [1, 0, 0, 1, 1, 0, 1, 0, 1];
const loss = 'binaryCrossEntropy' as const;
const layers = () => [dl.dense(5), dl.tanh(), dl.dense(4, { init: 'xavier' }), dl.sigmoid(), dl.dense(1), dl.sigmoid()];

/** Σ|W| over the weight matrices (not the biases), in float64 from the model's own values. */
const sumAbsWeights = (model: dl.Model) =>
  model
    .getWeights()
    .filter((w) => w.name.endsWith('.W'))
    .reduce((s, w) => s + Array.from(w.data).reduce((a, v) => a + Math.abs(v), 0), 0);

/** Every entry's backprop gradient, by layer.param[index]. */
function gradients(model: dl.Model, penalty: { l1?: number; l2?: number }) {
  const r = dl.gradCheck(model, x, y, { loss, ...penalty, worst: 1000 });
  const all = [...r.worst];
  return { r, at: new Map(all.map((e) => [`${e.layer}.${e.param}[${e.index}]`, e.analytic])) };
}

describe.each(CONFIGS)('L1 on $label', ({ make, dtype }) => {
  const close = dtype === 'float64' ? 1e-12 : 1e-5;

  it.each([{ l1: 0.3 }, { l1: 0.3, l2: 0.7 }])('gradCheck passes with %o', async (penalty) => {
    const model = dl.sequential(layers(), { inputSize: 3, backend: await make(), seed: 4 });
    const r = dl.gradCheck(model, x, y, { loss, ...penalty });
    expect(r.passed, `difference ${r.difference}`).toBe(true);
    if (dtype === 'float64') expect(r.difference).toBeLessThan(1e-8);
    model.dispose();
  });

  it('the cost term is λ₁/m·Σ|W| and the gradient term (λ₁/m)·sign(W), weights only', async () => {
    const model = dl.sequential(layers(), { inputSize: 3, backend: await make(), seed: 4 });
    const l1 = 0.45;
    const plain = dl.inspect(model, x, y, { loss }).loss;
    const both = dl.inspect(model, x, y, { loss, l1, l2: 0.2 }).loss;
    const l2only = dl.inspect(model, x, y, { loss, l2: 0.2 }).loss;
    expect(Math.abs(both - l2only - (l1 / m) * sumAbsWeights(model)) / plain).toBeLessThan(close);
    const base = gradients(model, {}).at;
    const withL1 = gradients(model, { l1 }).at;
    const weights = new Map(model.getWeights().map((w) => [w.name, w.data]));
    for (const [key, g] of withL1) {
      const [, layer, param, index] = key.match(/^(.+)\.(W|b)\[(\d+)\]$/)!;
      const w = weights.get(`${layer}.${param}`)![Number(index)];
      const want = base.get(key)! + (param === 'W' ? (l1 / m) * Math.sign(w) : 0);
      expect(Math.abs(g - want), key).toBeLessThan(close * Math.max(1, Math.abs(want)));
    }
    model.dispose();
  });

  it('fit adds it: the first loss is inspect’s cost, one step moves W by lr·(g + λ₁/m·sign W)', async () => {
    const backend = await make();
    const model = dl.sequential(layers(), { inputSize: 3, backend, seed: 4 });
    const l1 = 0.45,
      lr = 0.1;
    const cost = dl.inspect(model, x, y, { loss, l1 }).loss;
    const { at } = gradients(model, { l1 });
    const before = model.getWeights();
    const h = model.fit(x, y, { loss, l1, optimizer: dl.sgd({ learningRate: lr }), epochs: 1 });
    expect(Math.abs(h.loss[0] - cost) / cost).toBeLessThan(close);
    const after = model.getWeights();
    before.forEach((w, k) => {
      const [layer, param] = w.name.split('.');
      w.data.forEach((v, i) => {
        const want = v - lr * at.get(`${layer}.${param}[${i}]`)!;
        expect(Math.abs(after[k].data[i] - want), `${w.name}[${i}]`).toBeLessThan(close * Math.max(1, Math.abs(want)));
      });
    });
    model.dispose();
  });

  it('a bad l1 is refused, naming it, and changes nothing', async () => {
    const model = dl.sequential(layers(), { inputSize: 3, backend: await make(), seed: 4 });
    const before = model.getWeights();
    for (const bad of [-0.1, Number.NaN, Number.POSITIVE_INFINITY, '0.1']) {
      expect(() => model.fit(x, y, { loss, l1: bad as number })).toThrow(/^fit: l1/);
      expect(() => dl.inspect(model, x, y, { loss, l1: bad as number })).toThrow(/^inspect: l1/);
      expect(() => dl.gradCheck(model, x, y, { loss, l1: bad as number })).toThrow(/^gradCheck: l1/);
    }
    expect(model.getWeights()).toEqual(before);
    model.dispose();
  });
});
