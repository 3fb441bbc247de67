// linear(): the identity activation, the first lesson's control (a stack of dense layers with no
// non-linearity computes one linear map, so it draws only a straight boundary). Exact forward and
// backward, gradient-checked, kept by every format, and the lesson measured on circles.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as dl from '../../src/index.js';
import { CONFIGS, maxRelError, randomData } from '../helpers.js';
import { runORT } from '../io/helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const m = 10;
const x = { rows: m, cols: 3, data: randomData(m * 3, 61, 'float64', -2, 2) };
const y = [1, 0, 0, 1, 1, 0, 1, 0, 1, 1];

describe.each(CONFIGS)('linear on $label', ({ make, dtype }) => {
  it('is the identity forward and backward, and gradCheck passes through it', async () => {
    const be = await make();
    const t = be.tensor(x);
    const act = dl.sequential([dl.linear()], { inputSize: 3, backend: be });
    expect(Array.from(act.predict(x).data)).toEqual(Array.from(t.toMatrix().data));
    const model = dl.sequential([dl.dense(4), dl.linear(), dl.dense(1), dl.sigmoid()], {
      inputSize: 3,
      backend: be,
      seed: 2,
    });
    const g = dl.gradCheck(model, x, y, { loss: 'binaryCrossEntropy' });
    expect(g.passed, `difference ${g.difference}`).toBe(true);
    // it is one linear map: W2·(W1·x + b1) + b2, computed here
    const w = Object.fromEntries(model.getWeights().map((p) => [p.name, p.data]));
    const want = Array.from({ length: m }, (_, i) => {
      let z = w['dense2.b'][0];
      for (let u = 0; u < 4; u++) {
        let h = w['dense1.b'][u];
        for (let j = 0; j < 3; j++) h += x.data[i * 3 + j] * w['dense1.W'][u * 3 + j];
        z += h * w['dense2.W'][u];
      }
      return 1 / (1 + Math.exp(-z));
    });
    expect(maxRelError(model.predict(x).data, want, 1)).toBeLessThan(dtype === 'float64' ? 1e-13 : 1e-5);
    t.dispose();
  });
});

describe('linear in files', () => {
  it('JSON, safetensors, ONNX (an Identity, run in ONNX Runtime) and TF.js keep it and its predictions', async () => {
    const be = await dl.createBackend('js', { dtype: 'float32' });
    const model = dl.sequential([dl.dense(4), dl.linear(), dl.dense(2), dl.relu(), dl.dense(1), dl.linear()], {
      inputSize: 3,
      backend: be,
      seed: 5,
    });
    const want = model.predict(x).data;
    const types = model.layers.map((l) => l.type);
    for (const file of [JSON.stringify(model.toJSON()), model.toSafetensors(), model.toONNX(), model.toTFJS()]) {
      const back = dl.loadModel(file as never, be);
      expect(back.layers.map((l) => l.type)).toEqual(types);
      expect(Array.from(back.predict(x).data)).toEqual(Array.from(want));
      back.dispose();
    }
    const ort = await runORT(model.toONNX(), Float32Array.from(x.data), m, 3);
    expect(maxRelError(ort.data, want, 1)).toBeLessThan(2e-6);
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(model.toTFJS() as unknown as tf.io.ModelArtifacts));
    const got = (theirs.predict(tf.tensor2d(Float32Array.from(x.data), [m, 3])) as tf.Tensor).dataSync();
    expect(maxRelError(got, want, 1)).toBeLessThan(2e-6);
  });
});

describe.each(['wasm', 'js'] as const)('the lesson on %s: why non-linear', (name) => {
  it('on circles, linear hidden layers draw a straight boundary (no better than ~chance); relu ones fit', async () => {
    const be = await dl.createBackend(name, { dtype: 'float64' });
    const d = dl.datasets.circles({ samples: 300, noise: 0.05, seed: 1 });
    const run = (act: () => dl.Layer) => {
      const model = dl.sequential([dl.dense(10), act(), dl.dense(5), act(), dl.dense(1), dl.sigmoid()], {
        inputSize: 2,
        backend: be,
        seed: 3,
      });
      model.fit(d.x, d.y, { loss: 'binaryCrossEntropy', optimizer: dl.adam({ learningRate: 0.01 }), epochs: 400 });
      const acc = model.evaluate(d.x, d.y).accuracy;
      model.dispose();
      return acc;
    };
    expect(run(dl.linear)).toBeLessThan(0.7);
    expect(run(dl.relu)).toBeGreaterThan(0.95);
  });
});
