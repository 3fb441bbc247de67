// The model API on every backend and dtype: weights, fit, labels, optimizers, dropout, L2,
// biases [units] (save and load: test/io-*.test.ts).
import { describe, expect, it } from 'vitest';
import {
  adam,
  createBackend,
  datasets,
  dense,
  dropout,
  momentum,
  relu,
  sequential,
  sgd,
  sigmoid,
  softmax,
  tanh,
} from '../../src/index.js';
import { CONFIGS } from '../helpers.js';

const close = (dtype: string) => (dtype === 'float64' ? 1e-12 : 1e-5);

describe.each(CONFIGS)('model on $label', ({ make, dtype }) => {
  it('He init with seed 3 for [2, 4, 1] gives the course weights; biases are zeros', async () => {
    const backend = await make();
    const model = sequential([dense(4, { init: 'he' }), relu(), dense(1, { init: 'he' }), sigmoid()], {
      inputSize: 2,
      backend,
      seed: 3,
    });
    const w = model.getWeights();
    expect(w.map((v) => v.name)).toEqual(['dense1.W', 'dense1.b', 'dense2.W', 'dense2.b']);
    expect(w.map((v) => v.shape)).toEqual([[4, 2], [4], [1, 4], [1]]);
    const W1 = [1.78862847, 0.43650985, 0.09649747, -1.8634927, -0.2773882, -0.35475898, -0.08274148, -0.62700068];
    const W2 = [-0.03098412, -0.33744411, -0.92904268, 0.62552248];
    W1.forEach((v, i) => expect(Math.abs(w[0].data[i] - v)).toBeLessThan(1e-7));
    W2.forEach((v, i) => expect(Math.abs(w[2].data[i] - v)).toBeLessThan(1e-7));
    expect(Array.from(w[1].data)).toEqual([0, 0, 0, 0]);
    expect(model.summary()).toMatch(/dense1\s+\[batch, 4\]\s+12/);
    expect(model.summary()).toMatch(/total\s+17/);
  });

  it('xavier is He / √2 and random ×10 is He·10 / √(2/n) from the same draws', async () => {
    const backend = await make();
    const w = (init: 'he' | 'xavier' | 'random') =>
      sequential([dense(3, { init })], { inputSize: 8, backend, seed: 9 }).getWeights()[0].data;
    const he = w('he'),
      xa = w('xavier'),
      rnd = w('random');
    he.forEach((v, i) => {
      expect(Math.abs(xa[i] - v / Math.SQRT2)).toBeLessThanOrEqual(close(dtype) * Math.abs(v) + 1e-300);
      expect(Math.abs(rnd[i] - (v / Math.sqrt(2 / 8)) * 10)).toBeLessThanOrEqual(
        close(dtype) * Math.abs(rnd[i]) + 1e-300,
      );
    });
  });

  it('predict is the forward pass computed here in float64', async () => {
    const backend = await make();
    const model = sequential([dense(3), tanh(), dense(2), softmax()], { inputSize: 2, backend, seed: 4 });
    const [W1, b1, W2, b2] = model.getWeights().map((w) => w.data);
    const x = [
      [0.5, -1],
      [2, 0.25],
    ];
    const p = model.predict(x);
    for (let r = 0; r < 2; r++) {
      const h = [0, 1, 2].map((j) => Math.tanh(x[r][0] * W1[j * 2] + x[r][1] * W1[j * 2 + 1] + b1[j]));
      const z = [0, 1].map((k) => h.reduce((s, v, j) => s + v * W2[k * 3 + j], b2[k]));
      const e = z.map((v) => Math.exp(v - Math.max(...z)));
      e.forEach((v, k) => expect(Math.abs(p.data[r * 2 + k] - v / (e[0] + e[1]))).toBeLessThan(close(dtype)));
    }
  });

  it('fit learns moons with mini-batches, shuffling, callbacks and every optimizer; L2 adds its term', async () => {
    const backend = await make();
    const { x, y } = datasets.moons({ samples: 200, noise: 0.1, seed: 0 });
    for (const optimizer of [
      sgd({ learningRate: 0.5 }),
      momentum({ learningRate: 0.5 }),
      adam({ learningRate: 0.02 }),
    ]) {
      const model = sequential([dense(16), tanh(), dense(1, { init: 'xavier' }), sigmoid()], {
        inputSize: 2,
        backend,
        seed: 1,
      });
      const epochs: number[] = [];
      let batches = 0;
      const h = model.fit(x, y, {
        loss: 'binaryCrossEntropy',
        optimizer,
        epochs: 60,
        batchSize: 32,
        onEpochEnd: (e) => {
          epochs.push(e);
        },
        onBatchEnd: () => {
          batches++;
        },
      });
      expect(h.loss.length).toBe(60);
      expect(epochs).toEqual(Array.from({ length: 60 }, (_, i) => i));
      expect(batches).toBe(60 * 7);
      expect(h.loss[59]).toBeLessThan(h.loss[0]);
      expect(model.evaluate(x, y).accuracy, optimizer.name).toBeGreaterThan(0.85);
      optimizer.dispose();
      model.dispose();
    }
    // the L2 term: the first epoch's cost with l2 minus without is λ/(2m)·Σ‖W‖², computed here
    const mk = () => sequential([dense(4), relu(), dense(1), sigmoid()], { inputSize: 2, backend, seed: 2 });
    const a = mk(),
      b = mk();
    let ss = 0;
    for (const w of a.getWeights()) if (w.name.endsWith('.W')) for (const v of w.data) ss += v * v;
    const ha = a.fit(x, y, { loss: 'binaryCrossEntropy', epochs: 1 });
    const hb = b.fit(x, y, { loss: 'binaryCrossEntropy', epochs: 1, l2: 0.7 });
    expect(Math.abs(hb.loss[0] - ha.loss[0] - (0.7 / (2 * 200)) * ss)).toBeLessThan(close(dtype));
  });

  it('labels may be a 0/1 column, one-hot rows or class ids', async () => {
    const backend = await make();
    const { x, y } = datasets.blobs({ samples: 60, centers: 3, std: 0.5, seed: 3 });
    const ids = Array.from(y.data);
    const oneHot = ids.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
    const mk = () => sequential([dense(8), relu(), dense(3), softmax()], { inputSize: 2, backend, seed: 5 });
    const h1 = mk().fit(x, ids, { loss: 'categoricalCrossEntropy', epochs: 3 });
    const h2 = mk().fit(x, oneHot, { loss: 'categoricalCrossEntropy', epochs: 3 });
    const h3 = mk().fit(x, y, { loss: 'categoricalCrossEntropy', epochs: 3 });
    expect(h2.loss).toEqual(h1.loss);
    expect(h3.loss).toEqual(h1.loss);
  });

  it('dropout: a new mask each step, the same in forward and backward, off in predict and evaluate', async () => {
    const backend = await make();
    const x = backend.tensor({ rows: 50, cols: 40, data: new Float64Array(2000).fill(1) });
    const mask = backend.zeros(50, 40);
    backend.dropoutMask(mask, 0.25, 7, 3, 2);
    const m1 = mask.toMatrix().data;
    const kept = m1.filter((v) => v !== 0);
    expect(Math.abs(kept.length / 2000 - 0.75)).toBeLessThan(0.05);
    kept.forEach((v) => expect(v).toBeCloseTo(1 / 0.75, 6));
    backend.dropoutMask(mask, 0.25, 7, 4, 2);
    expect(Array.from(mask.toMatrix().data)).not.toEqual(Array.from(m1));
    // the same mask on the other backend
    const other = await createBackend(backend.name === 'js' ? 'wasm' : 'js', { dtype });
    const m2 = other.zeros(50, 40);
    other.dropoutMask(m2, 0.25, 7, 3, 2);
    expect(Array.from(m2.toMatrix().data)).toEqual(Array.from(m1));
    x.dispose();
    mask.dispose();
    const model = sequential([dense(5), dropout(0.5), dense(1), sigmoid()], { inputSize: 2, backend, seed: 3 });
    const inp = [
      [1, 2],
      [3, 4],
    ];
    expect(Array.from(model.predict(inp).data)).toEqual(Array.from(model.predict(inp).data));
    const noDrop = sequential([dense(5), dense(1), sigmoid()], { inputSize: 2, backend, seed: 3 });
    expect(Array.from(model.predict(inp).data)).toEqual(Array.from(noDrop.predict(inp).data));
  });

  it('10,000 training steps leave the memory where the first step left it', async () => {
    const backend = await make();
    const model = sequential([dense(8), relu(), dropout(0.1), dense(1), sigmoid()], { inputSize: 2, backend, seed: 1 });
    const { x, y } = datasets.circles({ samples: 64, noise: 0.1, seed: 3 });
    const seen: unknown[] = [];
    // memory after the first step, and after the last
    model.fit(x, y, {
      loss: 'binaryCrossEntropy',
      optimizer: adam(),
      epochs: 10000,
      batchSize: 64,
      onBatchEnd: (_b, logs) => {
        if (logs.epoch === 0 || logs.epoch === 9999) seen.push(backend.memory());
      },
    });
    expect(seen.length).toBe(2);
    expect(seen[1]).toEqual(seen[0]);
  });
});
