// Every lesson of the page trained in Node as the page trains it (wasm, float32, the lesson's
// settings over the defaults, the contrasts beside it), and its words' claim checked on what the
// run measured: the property the lesson teaches, and the verdict the page prints on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, parseConfig, type Raw } from '../../demo/config.js';
import { LESSONS, lessonById } from '../../demo/lessons/index.js';
import { type MeasuredRun, measureRun } from '../../demo/measure.js';
import { verdictOf } from '../../demo/verdict.js';
import { type Backend, createBackend } from '../../src/index.js';

let backend: Backend;
beforeAll(async () => {
  backend = await createBackend('wasm', { dtype: 'float32', threads: 1 });
});
afterAll(() => backend.dispose());

const configOf = (settings: Partial<Raw>) => {
  const { config, errors } = parseConfig({ ...DEFAULTS, ...settings });
  expect(errors).toEqual({});
  return config!;
};
/** the lesson's run and its contrasts, measured */
async function runs(id: string): Promise<MeasuredRun[]> {
  const l = lessonById(id)!;
  const out = [await measureRun(configOf(l.settings), backend, l.title)];
  for (const c of l.contrasts ?? []) out.push(await measureRun(configOf(c.settings), backend, c.label));
  return out;
}
const verdict = (r: MeasuredRun) => verdictOf({ ...r });
const gap = (r: MeasuredRun) => r.train - r.test;
const wNorm = (r: MeasuredRun) => Math.hypot(...r.layers.map((l) => l.weightNorm));

describe('the lessons', () => {
  it('every lesson has settings the form accepts, words, and a figure from its runs', async () => {
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
    for (const l of LESSONS) {
      configOf(l.settings);
      for (const c of l.contrasts ?? []) configOf(c.settings);
      const sentences = l.words.split(/[.:]\s/).length;
      expect(sentences, l.id).toBeGreaterThanOrEqual(2);
    }
  });

  it('1, why non-linear: a linear stack stays at chance on circles, ReLU fits them', async () => {
    const [lin, relu] = await runs('nonlinear');
    expect(lin.test).toBeLessThanOrEqual(0.6);
    expect(relu.test).toBeGreaterThanOrEqual(0.95);
    expect(verdict(lin)).toMatchObject({ kind: 'underfit', cause: 'linear' });
    expect(lessonById('nonlinear')!.figure!([lin, relu])).toMatch(/ReLU: train .*test <strong>\d+\.\d%/);
  }, 60000);

  it('2, the output layer: softmax fits three spirals, a sigmoid unit two moons', async () => {
    const [spirals, moons] = await runs('output');
    expect(spirals.layers.at(-1)!.activation!.name).toBe('softmax');
    expect(spirals.layers.at(-1)!.units).toBe(3);
    expect(moons.layers.at(-1)!.activation!.name).toBe('sigmoid');
    expect(spirals.test).toBeGreaterThanOrEqual(0.9);
    expect(moons.test).toBeGreaterThanOrEqual(0.95);
  }, 60000);

  it('3, zeros with sigmoid: every unit of a layer stays identical (symmetry); Xavier breaks it', async () => {
    const [zeros, xavier] = await runs('zeros-symmetry');
    for (const l of zeros.layers.slice(0, -1)) expect(l.distinctUnits, l.name).toBe(1);
    for (const l of xavier.layers.slice(0, -1)) expect(l.distinctUnits, l.name).toBe(l.units);
    expect(verdict(zeros)).toMatchObject({ kind: 'underfit', cause: 'symmetry' });
    expect(xavier.test).toBeGreaterThan(zeros.test);
  }, 60000);

  it('3, zeros with ReLU: no gradient anywhere, every unit dead', async () => {
    const [z] = await runs('zeros-dead');
    for (const l of z.layers) expect(l.gradientNorm, l.name).toBe(0);
    for (const l of z.layers.slice(0, -1)) expect(l.activation!.dead, l.name).toBe(1);
    expect(verdict(z)).toMatchObject({ kind: 'underfit', cause: 'dead' });
  }, 60000);

  it('4, large random weights: tanh saturated from the start, and SGD crawls against Xavier', async () => {
    const [big, xav] = await runs('large-random');
    expect(big.first[0].activation!.saturated!).toBeGreaterThan(0.5);
    expect(xav.first[0].activation!.saturated!).toBeLessThan(0.1);
    expect(big.losses.train).toBeGreaterThan(xav.losses.train);
    expect(verdict(big)).toMatchObject({ kind: 'underfit', cause: 'saturation' });
  }, 60000);

  it("5, He keeps the signal's scale through ten layers; random ×1 multiplies it", async () => {
    const [he, big] = await runs('he');
    const growth = (r: MeasuredRun) => r.first.at(-2)!.activation!.std / r.first[0].activation!.std;
    expect(growth(he)).toBeGreaterThan(0.1);
    expect(growth(he)).toBeLessThan(10);
    expect(growth(big)).toBeGreaterThan(100);
  }, 60000);

  it("6, vanishing: a ten-deep sigmoid stack's first layer gets a gradient 1000× below the largest", async () => {
    const [v] = await runs('vanishing');
    const g = v.first.map((l) => l.gradientNorm);
    expect(g[0] / Math.max(...g)).toBeLessThan(1e-3);
    expect(verdict(v)).toMatchObject({ kind: 'underfit', cause: 'vanishing' });
  }, 60000);

  it('6, exploding: random ×1 at depth ten starts with gradients above 100', async () => {
    const [x] = await runs('exploding');
    expect(Math.max(...x.first.map((l) => l.gradientNorm))).toBeGreaterThan(100);
    const v = verdict(x);
    expect(v.kind).toBe('underfit');
    expect(['exploding', 'divergence']).toContain(v.cause);
  }, 60000);

  it('8, underfit: one hidden unit cannot fit circles, not even its training set; 10, 5 can', async () => {
    const [one, more] = await runs('underfit');
    expect(one.train).toBeLessThan(0.8);
    expect(verdict(one)).toMatchObject({ kind: 'underfit', cause: null });
    expect(more.test).toBeGreaterThanOrEqual(0.95);
  }, 60000);

  it('8, overfit: a big network on 200 noisy moons fits its training set and not the test set', async () => {
    const [o] = await runs('overfit');
    expect(o.train).toBeGreaterThanOrEqual(0.98);
    expect(gap(o)).toBeGreaterThan(0.08);
    expect(verdict(o).kind).toBe('overfit');
  }, 60000);

  it('9, L2 shrinks the weights and closes the gap; dropout narrows it', async () => {
    const [l2, none] = await runs('l2');
    expect(wNorm(l2)).toBeLessThan(wNorm(none) / 2);
    expect(gap(l2)).toBeLessThan(gap(none));
    expect(verdict(l2).kind).toBe('good');
    const [drop, none2] = await runs('dropout');
    expect(gap(drop)).toBeLessThan(gap(none2));
  }, 120000);

  it('10, mini-batches: more steps per epoch reach a lower training loss in as many epochs', async () => {
    const [mb, full] = await runs('mini-batch');
    expect(mb.losses.train).toBeLessThan(full.losses.train);
  }, 60000);

  it('12, momentum, RMSprop and Adam all end below plain SGD from the same weights', async () => {
    const [sgd, ...rest] = await runs('optimizers');
    const w0 = (r: MeasuredRun) => r.first.map((l) => l.weightNorm);
    for (const r of rest) {
      expect(w0(r), r.label).toEqual(w0(sgd));
      expect(r.losses.train, r.label).toBeLessThan(sgd.losses.train);
    }
  }, 60000);

  it('13, learning-rate decay: with mini-batch SGD the loss settles instead of jumping about', async () => {
    const [d, c] = await runs('lr-decay');
    const jitter = (r: MeasuredRun) => {
      const tail = r.curves.train.filter(([e]) => e >= 200).map(([, v]) => v);
      return tail.slice(1).reduce((s, v, i) => s + Math.abs(v - tail[i]), 0) / (tail.length - 1);
    };
    expect(jitter(d)).toBeLessThan(jitter(c) / 2);
  }, 60000);

  it('14, batch norm: the ten-deep sigmoid stack that stays at chance learns with it', async () => {
    const [bn, none] = await runs('batch-norm');
    expect(bn.train).toBeGreaterThanOrEqual(0.9);
    expect(none.train).toBeLessThanOrEqual(0.6);
    expect(bn.losses.train).toBeLessThan(none.losses.train / 2);
  }, 60000);

  it("the verdict names the course's random ×10 for its saturated start, with Adam and with SGD", async () => {
    for (const settings of [
      { init: 'random', scale: '10' },
      { init: 'random', scale: '10', optimizer: 'sgd', lr: '0.3' },
    ] as const) {
      const r = await measureRun(configOf(settings), backend, 'random ×10');
      expect(r.first.at(-1)!.activation!.saturated!, JSON.stringify(settings)).toBeGreaterThan(0.9);
      expect(verdict(r), JSON.stringify(settings)).toMatchObject({ kind: 'underfit', cause: 'saturation' });
    }
  }, 60000);

  it('the verdict calls 64, 64 units at noise 0.2 overfit, as the gap says, not underfit', async () => {
    const r = await measureRun(configOf({ hidden: '64, 64', noise: '0.2' }), backend, '64, 64');
    expect(r.train - r.test).toBeGreaterThan(0.2);
    expect(verdict(r).kind).toBe('overfit');
  }, 60000);
});
