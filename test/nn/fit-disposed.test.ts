// A backend disposed while fitAsync runs: the run ends with a fitAsync error that says where and
// why, and the model can be disposed afterwards (it is not left marked as training).
import { expect, it } from 'vitest';
import * as dl from '../../src/index.js';

it.each(['js', 'wasm'] as const)(
  'disposing the %s backend during fitAsync ends it with a fitAsync: error naming where; the model disposes',
  async (name) => {
    const backend = await (name === 'wasm' ? dl.createBackend('wasm', { threads: 1 }) : dl.createBackend('js'));
    const model = dl.sequential([dl.dense(8), dl.relu(), dl.dense(1), dl.sigmoid()], { inputSize: 2, backend });
    const { x, y } = dl.datasets.circles({ samples: 64, seed: 1 });
    const run = model.fitAsync(x, y, {
      loss: 'binaryCrossEntropy',
      epochs: 50,
      batchSize: 8,
      onEpochEnd: (e) => {
        if (e === 2) backend.dispose();
      },
    });
    await expect(run).rejects.toThrow(/^fitAsync: .*disposed.* at epoch 3, batch 0/);
    expect(() => model.dispose()).not.toThrow();
  },
);

it("disposing the backend before fitAsync's first step: a fitAsync: error, and the model disposes", async () => {
  const backend = await dl.createBackend('js');
  const model = dl.sequential([dl.dense(4), dl.relu(), dl.dense(1), dl.sigmoid()], { inputSize: 2, backend });
  const run = model.fitAsync([[0, 1]], [1], { loss: 'binaryCrossEntropy', epochs: 3 });
  backend.dispose();
  await expect(run).rejects.toThrow(/^fitAsync: .*disposed.* before the first epoch/);
  expect(() => model.dispose()).not.toThrow();
});

it('a callback failing in onTrainBegin is reported before the first epoch, not at epoch 0, batch 0', async () => {
  const backend = await dl.createBackend('js');
  const model = dl.sequential([dl.dense(2), dl.sigmoid()], { inputSize: 2, backend });
  const boom = {
    name: 'boom',
    onTrainBegin() {
      throw new Error('no');
    },
  };
  expect(() => model.fit([[0, 1]], [[1, 0]], { loss: 'binaryCrossEntropy', callbacks: [boom] })).toThrow(
    /^fit: boom's onTrainBegin threw: no before the first epoch; the model was restored/,
  );
});
