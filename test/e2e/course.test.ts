// The course's initialization experiment, reproduced: network 2→10→5→1, circles, seed 3,
// SGD 0.01, 15000 full-batch iterations. Expected numbers are the notebook's printed ones.
import { describe, expect, it } from 'vitest';
import {
  createBackend,
  datasets,
  dense,
  relu,
  sequential,
  sgd,
  sigmoid,
  type Backend,
  type InitName,
} from '../../src/index.js';

const train = datasets.circles({ samples: 300, noise: 0.05, seed: 1 });
const test = datasets.circles({ samples: 100, noise: 0.05, seed: 2 });

function run(backend: Backend, init: InitName) {
  const model = sequential([dense(10, { init }), relu(), dense(5, { init }), relu(), dense(1, { init }), sigmoid()], {
    inputSize: 2,
    backend,
    seed: 3,
  });
  const history = model.fit(train.x, train.y, {
    loss: 'binaryCrossEntropy',
    optimizer: sgd({ learningRate: 0.01 }),
    epochs: 15000,
  });
  const result = {
    cost: history.loss,
    train: model.evaluate(train.x, train.y).accuracy,
    test: model.evaluate(test.x, test.y).accuracy,
  };
  model.dispose();
  return result;
}

describe.each(['wasm', 'js'] as const)('the initialization lesson on %s float64', (name) => {
  it('He: the notebook costs to 1e-9 and accuracies 0.99333 / 0.96', async () => {
    const r = run(await createBackend(name, { dtype: 'float64' }), 'he');
    expect(Math.abs(r.cost[0] - 0.8830537463419761)).toBeLessThan(1e-9);
    expect(Math.abs(r.cost[1000] - 0.6879825919728063)).toBeLessThan(1e-9);
    expect(Math.abs(r.cost[14000] - 0.07357895962677366)).toBeLessThan(1e-9);
    expect(r.train).toBeCloseTo(298 / 300, 12);
    expect(r.test).toBe(0.96);
  });

  it('zeros: cost ln 2 throughout, accuracy 0.5 and 0.5', async () => {
    const r = run(await createBackend(name, { dtype: 'float64' }), 'zeros');
    for (const i of [0, 1000, 14000]) expect(Math.abs(r.cost[i] - 0.6931471805599453)).toBeLessThan(1e-9);
    expect(r.train).toBe(0.5);
    expect(r.test).toBe(0.5);
  });

  it('random ×10: accuracies 0.83 and 0.86, with a finite first cost', async () => {
    const r = run(await createBackend(name, { dtype: 'float64' }), 'random');
    // the notebook printed inf here, from log(0); the cost from the logits stays finite
    expect(Number.isFinite(r.cost[0])).toBe(true);
    expect(r.train).toBe(0.83);
    expect(r.test).toBe(0.86);
  });
});

describe('the initialization lesson in float32', () => {
  it('wasm and js train He to the same accuracies', async () => {
    const w = run(await createBackend('wasm', { dtype: 'float32' }), 'he');
    const j = run(await createBackend('js', { dtype: 'float32' }), 'he');
    expect(w.train).toBe(j.train);
    expect(w.test).toBe(j.test);
    expect(w.train).toBeGreaterThan(0.98);
    expect(Math.abs(w.cost[14000] - 0.07357895962677366)).toBeLessThan(1e-4);
  });
});

// The regularization lesson: 2→20→3→1 (relu, relu, sigmoid), randn/√n init, seed 3, SGD 0.3,
// 30000 iterations on the football set; the notebook's printed costs and accuracies.
describe.each([
  ['wasm', [0, 0.7]],
  ['js', [0.7]],
] as const)('the regularization lesson on %s float64', (name, l2s) => {
  const foot = datasets.football();
  const COURSE = {
    0: { cost: [0.6557412523481002, 0.16329987525724216, 0.13851642423255986], train: 0.9478672985781991, test: 0.915 },
    0.7: { cost: [0.6974484493131264, 0.2684918873282239, 0.2680916337127301], train: 0.9383886255924171, test: 0.93 },
  } as const;
  it.each(l2s)('l2 = %s', async (l2) => {
    const backend = await createBackend(name, { dtype: 'float64' });
    const model = sequential(
      [
        dense(20, { init: 'xavier' }),
        relu(),
        dense(3, { init: 'xavier' }),
        relu(),
        dense(1, { init: 'xavier' }),
        sigmoid(),
      ],
      { inputSize: 2, backend, seed: 3 },
    );
    const h = model.fit(foot.train.x, foot.train.y, {
      loss: 'binaryCrossEntropy',
      optimizer: sgd({ learningRate: 0.3 }),
      epochs: 30000,
      l2,
    });
    const want = COURSE[l2 as 0 | 0.7];
    [0, 10000, 20000].forEach((it, i) =>
      expect(Math.abs(h.loss[it] - want.cost[i]), `iteration ${it}`).toBeLessThan(1e-9),
    );
    expect(model.evaluate(foot.train.x, foot.train.y).accuracy).toBeCloseTo(want.train, 12);
    expect(model.evaluate(foot.test.x, foot.test.y).accuracy).toBeCloseTo(want.test, 12);
  });
});
