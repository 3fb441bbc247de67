// fitAsync takes any rejection of a callback's Promise as a failure, whatever it rejects with
// (null and undefined included): the model is restored and the error says which callback.
import { expect, it } from 'vitest';
import * as dl from '../../src/index.js';

it.each([null, undefined, 0, ''])(
  'a callback rejecting with %s fails the fit and restores the model',
  async (value) => {
    const backend = await dl.createBackend('js', { dtype: 'float64' });
    const model = dl.sequential([dl.dense(3), dl.tanh(), dl.dense(1), dl.sigmoid()], {
      inputSize: 2,
      backend,
      seed: 1,
    });
    const before = model.getWeights();
    const x = [
      [0, 1],
      [1, 0],
      [1, 1],
      [0, 0],
    ];
    const y = [1, 1, 0, 0];
    await expect(
      model.fitAsync(x, y, {
        loss: 'binaryCrossEntropy',
        epochs: 5,
        onEpochEnd: (e) => (e === 2 ? Promise.reject(value) : undefined),
      }),
    ).rejects.toThrow(/^fitAsync: onEpochEnd threw: .* at the end of epoch 2; the model was restored/);
    expect(model.getWeights()).toEqual(before);
  },
);
