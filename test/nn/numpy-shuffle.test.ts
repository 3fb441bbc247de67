// dl.numpyShuffle: the course notebook's mini-batch order, numpy's legacy permutation seeded
// seed + 1 + epoch; the spec's published check: seed 11 (epoch 0 of seed 10) on 300 examples begins
// 174 113 86 239 12 252 261 39 200 61.
import { expect, it } from 'vitest';
import * as dl from '../../src/index.js';

it('epoch 0 of numpyShuffle({ seed: 10 }) over 300 examples is numpy.random.seed(11); permutation(300)', () => {
  const order = new Int32Array(300);
  dl.numpyShuffle({ seed: 10 }).order(0, order);
  expect(Array.from(order.subarray(0, 10))).toEqual([174, 113, 86, 239, 12, 252, 261, 39, 200, 61]);
  expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i));
});

it('fit takes it as its shuffle: the same run twice gives the same losses, another seed others', async () => {
  const run = async (seed: number) => {
    const backend = await dl.createBackend('js', { dtype: 'float64' });
    const model = dl.sequential([dl.dense(5), dl.relu(), dl.dense(1), dl.sigmoid()], {
      inputSize: 2,
      backend,
      seed: 3,
    });
    const { x, y } = dl.datasets.moons({ samples: 300, noise: 0.2, seed: 3 });
    return model.fit(x, y, {
      loss: 'binaryCrossEntropy',
      optimizer: dl.sgd({ learningRate: 0.1 }),
      batchSize: 64,
      epochs: 3,
      shuffle: dl.numpyShuffle({ seed }),
    }).loss;
  };
  const a = await run(10);
  expect(await run(10)).toEqual(a);
  expect(await run(11)).not.toEqual(a);
});

it('a bad seed or shuffle option is refused, naming it', async () => {
  expect(() => dl.numpyShuffle({ seed: -1 })).toThrow(/^numpyShuffle: seed/);
  const backend = await dl.createBackend('js');
  const model = dl.sequential([dl.dense(1), dl.sigmoid()], { inputSize: 2, backend });
  expect(() =>
    model.fit([[0, 1]], [1], { loss: 'binaryCrossEntropy', shuffle: 'numpy' as unknown as boolean }),
  ).toThrow(/^fit: shuffle must be true, false or a shuffle such as numpyShuffle\(\)/);
});
