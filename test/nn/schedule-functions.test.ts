// A learning rate may be any function of the epoch (as Keras' LearningRateScheduler and PyTorch's
// LambdaLR): fit uses its value each epoch; a result that is not a finite number ≥ 0 fails the
// fit naming the epoch, with the model restored.
import { expect, it } from 'vitest';
import * as dl from '../../src/index.js';

const setup = async () => {
  const backend = await dl.createBackend('js', { dtype: 'float64' });
  const model = dl.sequential([dl.dense(4), dl.tanh(), dl.dense(1), dl.sigmoid()], { inputSize: 2, backend, seed: 1 });
  const { x, y } = dl.datasets.moons({ samples: 30, seed: 2 });
  return { model, x, y };
};

it('fit uses the function’s value each epoch, and a rate of 0 is allowed', async () => {
  const { model, x, y } = await setup();
  const rate = (epoch: number) => (epoch === 3 ? 0 : 0.5 / (1 + 2 * epoch));
  const h = model.fit(x, y, { loss: 'binaryCrossEntropy', epochs: 5, optimizer: dl.sgd({ learningRate: rate }) });
  expect(h.learningRate).toEqual([0, 1, 2, 3, 4].map(rate));
  // with a rate of 0 an epoch changes nothing: epoch 4 starts where epoch 3 started
  expect(h.loss[4]).toBe(h.loss[3]);
});

it.each([Number.NaN, -0.1, Number.POSITIVE_INFINITY, '0.1'])(
  'a function giving %s fails the fit at that epoch, naming it; the model is restored',
  async (bad) => {
    const { model, x, y } = await setup();
    const before = model.getWeights();
    const rate = (epoch: number) => (epoch === 2 ? (bad as number) : 0.1);
    expect(() =>
      model.fit(x, y, { loss: 'binaryCrossEntropy', epochs: 4, optimizer: dl.momentum({ learningRate: rate }) }),
    ).toThrow(
      /^fit: the learning rate for epoch 2 is .*, not a finite number ≥ 0 at epoch 2, batch 0; the model was restored/,
    );
    expect(model.getWeights()).toEqual(before);
  },
);

it('a learning rate that is neither a number, a schedule nor a function is refused when the optimizer is made', () => {
  expect(() => dl.adam({ learningRate: 'fast' as unknown as number })).toThrow(/^adam: learningRate/);
});
