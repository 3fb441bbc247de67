// rmsprop() and adagrad() step as their formulas say, over several steps with changing gradients,
// against float64 loops written here; a fit with each lowers the loss and a failed one restores
// their state.
import { describe, expect, it } from 'vitest';
import * as dl from '../../src/index.js';
import type { Param } from '../../src/nn/layer.js';
import { maxRelError } from '../helpers.js';

const W0 = [0.5, -1.25, 2, 0.75];
const G = [
  [0.1, -0.4, 0.3, 0],
  [-0.2, 0.5, 0.1, 1],
  [0.3, 0.3, -0.6, -0.5],
];

function reference(kind: 'rmsprop' | 'adagrad', lr: number, beta: number, eps: number, s0 = 0): number[] {
  const w = [...W0],
    s = [s0, s0, s0, s0];
  for (const g of G) {
    for (let i = 0; i < 4; i++) {
      s[i] = kind === 'rmsprop' ? beta * s[i] + (1 - beta) * g[i] ** 2 : s[i] + g[i] ** 2;
      w[i] -= (lr * g[i]) / (Math.sqrt(s[i]) + eps);
    }
  }
  return w;
}

describe.each(['js', 'wasm'] as const)('rmsprop and adagrad on %s float64', (name) => {
  it.each([
    ['rmsprop', () => dl.rmsprop({ learningRate: 0.05, beta: 0.8, epsilon: 1e-8 }), 0.05, 0.8, 1e-8, 0],
    ['adagrad', () => dl.adagrad({ learningRate: 0.05, epsilon: 1e-10 }), 0.05, 0, 1e-10, 0],
    ['adagrad', () => dl.adagrad({ learningRate: 0.05, epsilon: 1e-10, initialAccumulator: 0.1 }), 0.05, 0, 1e-10, 0.1],
  ] as ['rmsprop' | 'adagrad', () => dl.Optimizer, number, number, number, number][])(
    '%s steps as its formula says (%#)',
    async (kind, make, lr, beta, eps, s0) => {
      const be = await (name === 'wasm'
        ? dl.createBackend('wasm', { dtype: 'float64', threads: 1 })
        : dl.createBackend('js', { dtype: 'float64' }));
      const param: Param = {
        name: 'W',
        value: be.tensor({ rows: 2, cols: 2, data: W0 }),
        grad: be.zeros(2, 2),
        regularize: true,
      };
      const opt = make();
      for (const g of G) {
        be.assign(param.grad, { rows: 2, cols: 2, data: g });
        opt.update(be, [param]);
      }
      expect(maxRelError(param.value.toMatrix().data, reference(kind, lr, beta, eps, s0), 1)).toBeLessThan(1e-14);
      opt.dispose();
    },
  );

  it('fit with each lowers the loss', async () => {
    const be = await dl.createBackend(name, { dtype: 'float64' } as dl.BackendOptions);
    const { x, y } = dl.datasets.moons({ samples: 100, noise: 0.1, seed: 3 });
    for (const optimizer of [dl.rmsprop({ learningRate: 0.01 }), dl.adagrad({ learningRate: 0.1 })]) {
      const model = dl.sequential([dl.dense(8), dl.relu(), dl.dense(1), dl.sigmoid()], {
        inputSize: 2,
        backend: be,
        seed: 1,
      });
      const h = model.fit(x, y, { loss: 'binaryCrossEntropy', optimizer, epochs: 100 });
      expect(h.loss[99]).toBeLessThan(0.7 * h.loss[0]);
      model.dispose();
    }
  });
});

it('adagrad refuses a negative or non-finite initialAccumulator, naming it', () => {
  for (const bad of [-0.1, Number.NaN, Number.POSITIVE_INFINITY, '1'])
    expect(() => dl.adagrad({ initialAccumulator: bad as number })).toThrow(/^adagrad: initialAccumulator must be/);
  expect(() => dl.adagrad({ initialAccumulater: 1 } as never)).toThrow(/did you mean "initialAccumulator"/);
});
