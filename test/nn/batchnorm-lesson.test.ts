// The lesson of batch norm, measured with inspect: ten sigmoid layers deep, plain gradient descent
// does not learn circles (the first layer's gradient under a millionth of the last's: it vanishes),
// and the same stack with batch norm before each sigmoid does (over 90%, the gradient norms within
// 100× of each other across the depth).
import { describe, expect, it } from 'vitest';
import * as dl from '../../src/index.js';

const data = dl.datasets.circles({ samples: 300, noise: 0.05, seed: 1 });

function deep(backend: dl.Backend, bn: boolean) {
  const layers: dl.Layer[] = [];
  for (let i = 0; i < 10; i++)
    layers.push(dl.dense(8, { init: 'xavier' }), ...(bn ? [dl.batchNorm()] : []), dl.sigmoid());
  layers.push(dl.dense(1, { init: 'xavier' }), dl.sigmoid());
  const model = dl.sequential(layers, { inputSize: 2, backend, seed: 3 });
  model.fit(data.x, data.y, {
    loss: 'binaryCrossEntropy',
    optimizer: dl.sgd({ learningRate: 0.5 }),
    epochs: 300,
    batchSize: 50,
  });
  const inspection = dl.inspect(model, data.x, data.y, { loss: 'binaryCrossEntropy' });
  const result = { accuracy: model.evaluate(data.x, data.y).accuracy, inspection };
  model.dispose();
  return result;
}

describe.each(['wasm', 'js'] as const)('ten sigmoid layers on %s', (name) => {
  it('without batch norm the gradient vanishes and nothing is learned; with it, over 90%', async () => {
    const backend = await dl.createBackend(name, { dtype: 'float64' });
    const plain = deep(backend, false);
    const g = plain.inspection.layers.map((l) => l.gradientNorm);
    expect(g[0] / g[g.length - 1]).toBeLessThan(1e-6);
    expect(plain.accuracy).toBeLessThan(0.6);
    const normed = deep(backend, true);
    const h = normed.inspection.layers.map((l) => l.gradientNorm);
    expect(Math.max(...h) / Math.min(...h)).toBeLessThan(100);
    expect(normed.accuracy).toBeGreaterThanOrEqual(0.9);
    // inspect reports each batch-norm layer: what it takes away and divides by, γ and β
    expect(normed.inspection.batchNorms.map((b) => b.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `batchNorm${i + 1}`),
    );
    for (const b of normed.inspection.batchNorms) {
      expect(b.inputStd).toBeGreaterThan(0);
      expect(b.gammaNorm).toBeGreaterThan(0);
      expect(Number.isFinite(b.inputMean) && Number.isFinite(b.betaNorm!)).toBe(true);
    }
    // and the activation after each dense layer is found past the batch norm
    expect(normed.inspection.layers[0].activation?.name).toBe('sigmoid');
    backend.dispose();
  });
});
