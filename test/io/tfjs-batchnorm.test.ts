// Batch norm in the TF.js layers format, against TF.js itself (tfjs-layers, cpu backend):
// tf.layers.batchNormalization saved by TF.js loads here and predicts as TF.js does, and
// toTFJS of a batch-norm model loads in tf.loadLayersModel and predicts as model.predict does.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as dl from '../../src/index.js';
import { maxRelError, randomData } from '../helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function saved(model: tfl.LayersModel): Promise<dl.TFJSArtifacts> {
  let out: dl.TFJSArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      out = a as unknown as dl.TFJSArtifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return out!;
}

const rows = 9;
const x = randomData(rows * 4, 51, 'float32', -2, 2) as Float32Array;
const scaled = (a: ArrayLike<number>, b: ArrayLike<number>) => maxRelError(a, b, Math.max(...Array.from(b, Math.abs)));

describe.each(['js', 'wasm'] as const)('TF.js batch norm on %s', (name) => {
  it('a model TF.js built and saved, with batchNormalization, predicts here as in TF.js', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [4], units: 6 }),
        tfl.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3 }),
        tfl.layers.activation({ activation: 'relu' }),
        tfl.layers.dense({ units: 5 }),
        tfl.layers.batchNormalization({ center: false, scale: false }),
        tfl.layers.activation({ activation: 'tanh' }),
        tfl.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    // moving statistics away from 0 and 1, γ and β away from 1 and 0
    model.setWeights(
      model
        .getWeights()
        .map((w, i) => tf.add(w, tf.mul(tf.randomUniform(w.shape, 0.1, 0.9, 'float32', i), i % 2 ? 1 : -0.5))),
    );
    const want = (model.predict(tf.tensor2d(x, [rows, 4])) as tf.Tensor).dataSync();
    const backend = await dl.createBackend(name, { dtype: 'float32' });
    const ours = dl.loadModel(await saved(model), backend);
    expect(ours.layers.filter((l) => l.type === 'batchNorm').map((l) => l.config())).toEqual([
      { momentum: 0.1, epsilon: 1e-3, affine: true },
      { momentum: 0.01, epsilon: 1e-3, affine: false },
    ]);
    expect(scaled(ours.predict({ rows, cols: 4, data: x }).data, want)).toBeLessThan(1e-5);
    ours.dispose();
    backend.dispose();
  });

  it('toTFJS of a batch-norm model loads in tf.loadLayersModel and predicts as model.predict', async () => {
    const backend = await dl.createBackend(name, { dtype: 'float32' });
    const model = dl.sequential(
      [
        dl.dense(6),
        dl.batchNorm({ momentum: 0.2 }),
        dl.relu(),
        dl.dense(3),
        dl.batchNorm({ affine: false }),
        dl.sigmoid(),
      ],
      { inputSize: 4, backend, seed: 7 },
    );
    model.fit(
      { rows, cols: 4, data: x },
      Array.from({ length: rows }, (_, i) => [i % 2, 1 - (i % 2), i % 3 ? 1 : 0]),
      {
        loss: 'binaryCrossEntropy',
        epochs: 4,
        batchSize: 3,
      },
    );
    const artifacts = model.toTFJS();
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts));
    const got = (theirs.predict(tf.tensor2d(x, [rows, 4])) as tf.Tensor).dataSync();
    expect(scaled(got, model.predict({ rows, cols: 4, data: x }).data)).toBeLessThan(1e-5);
    const back = dl.loadModel(artifacts, backend);
    expect(back.getWeights()).toEqual(model.getWeights());
    expect(back.layers.map((l) => l.config())).toEqual(model.layers.map((l) => l.config()));
    model.dispose();
    back.dispose();
    backend.dispose();
  });

  it('a normalization layer travels as a BatchNormalization without γ, β and ε, both ways', async () => {
    const backend = await dl.createBackend(name, { dtype: 'float32' });
    const model = dl.sequential([dl.normalization(), dl.dense(3), dl.tanh(), dl.dense(1)], {
      inputSize: 4,
      backend,
      seed: 3,
    });
    const xs = Array.from({ length: rows }, (_, r) => [x[4 * r], 500 * x[4 * r + 1] + 9, x[4 * r + 2], 2]);
    model.adapt(xs);
    const artifacts = model.toTFJS();
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts));
    const got = (theirs.predict(tf.tensor2d(xs)) as tf.Tensor).dataSync();
    const want = model.predict(xs).data;
    expect(scaled(got, want)).toBeLessThan(1e-5);
    const back = dl.loadModel(artifacts, backend);
    expect(back.layers.map((l) => l.type)).toEqual(model.layers.map((l) => l.type));
    expect(scaled(back.predict(xs).data, want)).toBeLessThan(1e-6);
    model.dispose();
    back.dispose();
    backend.dispose();
  });
});
