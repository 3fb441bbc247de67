// The error contract of the training loop, one test per finding of the issue that asked for it:
// a refused or failed call leaves the weights (byte for byte), the optimizer's state, the step
// count and backend.memory() as they were; options and labels are checked; memory stays bounded.
import { describe, expect, it } from 'vitest';
import {
  adam,
  createBackend,
  datasets,
  dense,
  gradCheck,
  loadModel,
  momentum,
  relu,
  sequential,
  sgd,
  sigmoid,
  softmax,
  tanh,
  type Backend,
  type BuildContext,
  type Layer,
  type Sequential,
} from '../../src/index.js';
import { CONFIGS, randomData } from '../helpers.js';

const x = { rows: 6, cols: 2, data: Float64Array.from([1, 2, 3, -4, 5, 6, -1, 0.5, 2, 2, 0, -3]) };
const y = [0, 1, 1, 0, 1, 0];

/** Everything a refused call must leave alone. */
function state(model: Sequential) {
  return {
    weights: model.getWeights().map((w) => ({ ...w, bytes: Array.from(new Uint8Array(w.data.buffer.slice(0))) })),
    step: model.step,
    memory: { tensors: model.backend.memory().tensors, bytes: model.backend.memory().bytes },
  };
}

const net = (backend: Backend, seed = 1) =>
  sequential([dense(4), relu(), dense(3, { init: 'xavier' }), tanh(), dense(1), sigmoid()], {
    inputSize: 2,
    backend,
    seed,
  });

describe.each(CONFIGS)("the training loop's contract on $label", ({ make, dtype }) => {
  it('a diverging fit (learningRate 1e30) throws, says where, and restores the model', async () => {
    const reg = (b: Backend) =>
      sequential([dense(4), relu(), dense(3, { init: 'xavier' }), tanh(), dense(1)], {
        inputSize: 2,
        backend: b,
        seed: 1,
      });
    const target = y.map((v) => 100 * v + 50);
    const o = { loss: 'meanSquaredError' as const };
    const backend = await make();
    const model = reg(backend);
    model.fit(x, target, { ...o, epochs: 3 }); // some history first
    const opt = adam({ learningRate: 0.01 });
    model.fit(x, target, { ...o, optimizer: opt, epochs: 2 });
    const before = state(model);
    // 1e30 overflows float32 weights in two steps; float64 holds them, 1e300 does not
    const learningRate = dtype === 'float32' ? 1e30 : 1e300;
    expect(() => model.fit(x, target, { ...o, optimizer: sgd({ learningRate }), epochs: 50 })).toThrow(
      /^fit: .*training diverged.* at epoch \d+, batch 0; the model was restored to its state when fit was called$/,
    );
    expect(state(model)).toEqual(before);
    expect(model.step).toBe(5);
    // the adam state is still there and goes on: one more epoch equals a run that never failed
    const twin = reg(await make());
    twin.fit(x, target, { ...o, epochs: 3 });
    const opt2 = adam({ learningRate: 0.01 });
    twin.fit(x, target, { ...o, optimizer: opt2, epochs: 2 });
    model.fit(x, target, { ...o, optimizer: opt, epochs: 1 });
    twin.fit(x, target, { ...o, optimizer: opt2, epochs: 1 });
    expect(model.getWeights()).toEqual(twin.getWeights());
    // the model's own file still loads
    expect(loadModel(JSON.stringify(model), backend).getWeights()).toEqual(model.getWeights());
  });

  it('values the dtype cannot hold are refused with their index', async () => {
    const backend = await make();
    const model = sequential([dense(2), dense(1)], { inputSize: 2, backend, seed: 1 });
    const before = state(model);
    const big = [
      [1, 2],
      [3, 1e39],
    ];
    if (dtype === 'float32') {
      expect(() => model.fit(big, [0, 1], { loss: 'meanSquaredError' })).toThrow(
        /fit: x: entry \[1\]\[1\] = 1e\+39 is too large for float32/,
      );
      expect(() =>
        model.fit(
          [
            [1, 2],
            [3, 4],
          ],
          [0, 1e39],
          { loss: 'meanSquaredError' },
        ),
      ).toThrow(/fit: y.data\[1\] = 1e\+39 is too large for float32/);
      expect(() => model.predict({ rows: 1, cols: 2, data: new Float64Array([5, -1e39]) })).toThrow(
        /predict: x.data\[1\] = -1e\+39 is too large/,
      );
      expect(() => backend.tensor([[1e39]])).toThrow(/tensor: entry \[0\]\[0\] = 1e\+39 is too large for float32/);
    } else {
      expect(model.predict(big).data.length).toBe(2);
    }
    expect(Array.from(backend.tensor([[Infinity, -Infinity]]).toMatrix().data)).toEqual([Infinity, -Infinity]);
    expect(state(model).weights).toEqual(before.weights);
  });

  it('a callback that is not a function, or that throws, changes nothing', async () => {
    const backend = await make();
    const model = net(backend);
    const before = state(model);
    const fit = (o: object) => () => model.fit(x, y, { loss: 'binaryCrossEntropy', epochs: 3, ...o });
    expect(fit({ onEpochEnd: 5 })).toThrow(/^fit: onEpochEnd must be a function, got 5$/);
    expect(fit({ callbacks: [{ onEpochEnd: 'x' }] })).toThrow(/fit: callbacks\[0\]\.onEpochEnd must be a function/);
    expect(
      fit({
        onEpochEnd: (e: number) => {
          if (e === 1) throw new Error('boom');
        },
      }),
    ).toThrow(/^fit: onEpochEnd threw: boom at the end of epoch 1; the model was restored/);
    expect(
      fit({
        batchSize: 2,
        onBatchEnd: (b: number) => {
          if (b === 2) throw new Error('late');
        },
      }),
    ).toThrow(/onBatchEnd threw: late at epoch 0, batch 2/);
    expect(fit({ onEpochEnd: async () => undefined })).toThrow(
      /onEpochEnd returned a Promise; fit runs callbacks synchronously: use fitAsync/,
    );
    expect(state(model)).toEqual(before);
    await expect(
      model.fitAsync(x, y, {
        loss: 'binaryCrossEntropy',
        epochs: 3,
        onEpochEnd: async (e) => {
          if (e === 2) throw new Error('async boom');
        },
      }),
    ).rejects.toThrow(
      /^fitAsync: onEpochEnd threw: async boom at the end of epoch 2; the model was restored to its state when fitAsync was called$/,
    );
    expect(state(model)).toEqual(before);
  });

  it('misspelled and mistyped options are errors that name the nearest key', async () => {
    const backend = await make();
    const model = net(backend);
    const before = state(model);
    const fit = (o: object) => () => model.fit(x, y, { loss: 'binaryCrossEntropy', ...o });
    expect(fit({ epoch: 5 })).toThrow('fit: unknown option "epoch"; did you mean "epochs"?');
    expect(fit({ batchsize: 5 })).toThrow('did you mean "batchSize"?');
    expect(fit({ zzz: 1 })).toThrow(/fit: unknown option "zzz"; the options are "loss", "optimizer"/);
    expect(fit({ epochs: null })).toThrow('fit: epochs must be a positive integer, got null');
    expect(fit({ epochs: '5' })).toThrow('fit: epochs must be a positive integer, got "5"');
    expect(fit({ shuffle: 1 })).toThrow('fit: shuffle must be true, false or a shuffle such as numpyShuffle(), got 1');
    expect(fit({ verbose: 2 })).toThrow('fit: verbose must be 0 or 1, got 2');
    expect(fit({ validationSplit: 1 })).toThrow(/fit: validationSplit must be a finite number ≥ 0 and < 1, got 1/);
    expect(fit({ validationSplit: 0.9 })).toThrow(
      /validationSplit 0.9 of 6 examples leaves 0 to train on and 6 to validate/,
    );
    expect(fit({ validationSplit: 0.5, validationData: { x, y } })).toThrow(/not both/);
    expect(fit({ validationData: { x, y, w: 1 } })).toThrow(/fit: validationData: unknown option "w"/);
    expect(() => sgd({ learningrate: 0.1 } as object)).toThrow(
      'sgd: unknown option "learningrate"; did you mean "learningRate"?',
    );
    expect(() => adam({ beta: 0.9 } as object)).toThrow(/adam: unknown option "beta"; did you mean "beta1"\?/);
    expect(() => momentum({ learningRate: '0.1' } as object)).toThrow(
      'momentum: learningRate must be a finite number > 0, got "0.1"',
    );
    expect(() => dense(3, { initt: 'he' } as object)).toThrow('dense: unknown option "initt"; did you mean "init"?');
    expect(() => dense(3, { useBias: 0 } as object)).toThrow('dense: useBias must be true or false, got 0');
    expect(() => sequential([dense(1)], { inputSize: 2, backend, sed: 1 } as never)).toThrow(
      'sequential: unknown option "sed"; did you mean "seed"?',
    );
    expect(() => sequential([dense(1)], { inputSize: 2, backend, seed: -1 })).toThrow(
      'sequential: seed must be an integer ≥ 0 and ≤ 4294967295, got -1',
    );
    expect(() => model.evaluate(x, y, { los: 'binaryCrossEntropy' } as object)).toThrow(
      'evaluate: unknown option "los"; did you mean "loss"?',
    );
    expect(() => datasets.circles({ sample: 10 } as object)).toThrow(
      'circles: unknown option "sample"; did you mean "samples"?',
    );
    expect(() => datasets.moons({ noise: -1 })).toThrow('moons: noise must be a finite number ≥ 0, got -1');
    expect(() => gradCheck(model, x, y, { loss: 'binaryCrossEntropy', epsilom: 1e-7 } as never)).toThrow(
      'gradCheck: unknown option "epsilom"; did you mean "epsilon"?',
    );
    await expect(createBackend(backend.name, { dtipe: 'float64' } as object)).rejects.toThrow(
      /createBackend\('(js|wasm)'\): unknown option "dtipe"; did you mean "dtype"\?/,
    );
    await expect(createBackend('wasm', { simd: 'yes' } as object)).rejects.toThrow(
      'createBackend: simd must be true or false, got "yes"',
    );
    expect(state(model)).toEqual(before);
  });

  it('labels the loss cannot learn from, and over-long data, are refused', async () => {
    const backend = await make();
    const model = net(backend);
    const cce = sequential([dense(3), softmax()], { inputSize: 2, backend, seed: 1 });
    const before = state(model);
    const fit =
      (yy: unknown, loss = 'binaryCrossEntropy', m: Sequential = model) =>
      () =>
        m.fit(x, yy as number[], { loss: loss as 'binaryCrossEntropy' });
    expect(fit([0, 1, 2, 0, 1, 0])).toThrow('fit: y[2] is 2; binaryCrossEntropy needs labels in [0, 1]');
    expect(fit([0, 1, 1, -1, 1, 0])).toThrow('fit: y[3] is -1; binaryCrossEntropy needs labels in [0, 1]');
    expect(() => model.evaluate(x, [0, 1, 1, 0, 1, 7])).toThrow('evaluate: y[5] is 7');
    const rows = (r: number[]) => [r, [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]];
    expect(fit(rows([2, -1, 0]), 'categoricalCrossEntropy', cce)).toThrow(
      'fit: y[0][1] is -1; categoricalCrossEntropy needs non-negative labels',
    );
    expect(fit(rows([0.5, 0.2, 0.1]), 'categoricalCrossEntropy', cce)).toThrow(
      /fit: y row 0 sums to 0\.(8|7999)\d*; categoricalCrossEntropy needs each row to sum to 1/,
    );
    expect(fit([0, 3, 1, 2, 1, 0], 'categoricalCrossEntropy', cce)).toThrow('fit: y[1] = 3 is not a class id in 0..2');
    expect(() => model.predict({ rows: 1, cols: 2, data: [1, 2, 3] })).toThrow(
      'predict: x.data has 3 values, more than rows×cols = 1×2 = 2',
    );
    expect(() => backend.tensor({ rows: 1, cols: 2, data: new Float32Array(3) })).toThrow(/more than rows×cols/);
    expect(state(model)).toEqual(before);
  });

  it("soft labels that sum to 1: categorical cross-entropy's value and gradient agree", async () => {
    const backend = await make();
    const model = sequential([dense(4, { init: 'xavier' }), tanh(), dense(3, { init: 'xavier' }), softmax()], {
      inputSize: 2,
      backend,
      seed: 4,
    });
    const soft = [
      [0.2, 0.3, 0.5],
      [0.6, 0.4, 0],
      [1 / 3, 1 / 3, 1 / 3],
      [0, 0, 1],
      [0.1, 0.8, 0.1],
      [0.25, 0.25, 0.5],
    ];
    const r = gradCheck(model, x, soft, { loss: 'categoricalCrossEntropy' });
    expect(r.passed, `difference ${r.difference}`).toBe(true);
    // and the value is Σ y·(logsumexp(z) − z) / m, computed here in float64 from the weights
    const w = model.getWeights();
    let ref = 0;
    for (let i = 0; i < 6; i++) {
      const h = [0, 1, 2, 3].map((u) =>
        Math.tanh(w[0].data[u * 2] * x.data[i * 2] + w[0].data[u * 2 + 1] * x.data[i * 2 + 1] + w[1].data[u]),
      );
      const z = [0, 1, 2].map((c) => h.reduce((s, v, u) => s + v * w[2].data[c * 4 + u], w[3].data[c]));
      const mx = Math.max(...z),
        lse = mx + Math.log(z.reduce((s, v) => s + Math.exp(v - mx), 0));
      ref += soft[i].reduce((s, yc, c) => s + yc * (lse - z[c]), 0);
    }
    expect(model.evaluate(x, soft).loss).toBeCloseTo(ref / 6, dtype === 'float64' ? 12 : 5);
  });

  it('memory stays bounded: predict at 300 sizes, 200 fits with inline optimizers, and dispose frees it all', async () => {
    const backend = await make();
    const empty = backend.memory();
    const model = net(backend);
    const built = backend.memory().tensors;
    const data = randomData(300 * 2, 3, dtype);
    let most = 0;
    for (let n = 1; n <= 300; n++) {
      model.predict({ rows: n, cols: 2, data: data.subarray(0, n * 2) });
      most = Math.max(most, backend.memory().tensors);
    }
    // six row counts of at most (z, y) per layer kept
    expect(most - built).toBeLessThanOrEqual(6 * 6);
    for (let i = 0; i < 200; i++) {
      const opt = i % 2 ? adam({ learningRate: 0.01 }) : momentum({ learningRate: 0.01 });
      model.fit(x, y, { loss: 'binaryCrossEntropy', optimizer: opt, epochs: 1, batchSize: 1 + (i % 6) });
      most = Math.max(most, backend.memory().tensors);
    }
    // six row counts of 10 buffers (6 forward, 4 backward), fit's own (x, y, grad) for 2 batch
    // sizes, and one optimizer's state (2 tensors a parameter for adam)
    expect(most - built).toBeLessThanOrEqual(6 * 10 + 2 * 3 + 2 * 6);
    model.dispose();
    expect(backend.memory().tensors).toBe(empty.tensors);
    expect(backend.memory().bytes).toBe(empty.bytes);
  });

  it('a layer belongs to one model; a model that fails to build frees what it built', async () => {
    const backend = await make();
    const empty = backend.memory();
    const d = dense(3);
    const a = sequential([d, relu(), dense(1)], { inputSize: 2, backend, seed: 1 });
    const wa = a.getWeights();
    expect(() => sequential([d, dense(1)], { inputSize: 2, backend, seed: 2 })).toThrow(
      /sequential: layer 1 \(dense1\) already belongs to another model; .*create a new dense\(\)/,
    );
    const r = relu();
    expect(() => sequential([dense(2), r, r], { inputSize: 2, backend })).toThrow(
      /layer 3 \(relu\) already belongs to this list, at 2/,
    );
    expect(a.getWeights()).toEqual(wa);
    const mid = backend.memory();
    class Fails implements Layer {
      readonly type = 'fails';
      name = 'fails';
      build(_n: number, _ctx: BuildContext): number {
        throw new Error('cannot build');
      }
      params() {
        return [];
      }
      forward(t: never) {
        return t;
      }
      backward() {
        return null;
      }
      config() {
        return {};
      }
      dispose() {}
    }
    expect(() => sequential([dense(5), dense(4), new Fails()], { inputSize: 2, backend })).toThrow('cannot build');
    expect(backend.memory()).toEqual(mid);
    a.dispose();
    expect({ ...backend.memory(), reservedBytes: 0 }).toEqual({ ...empty, reservedBytes: 0 });
  });

  it('a fresh adam takes its bias correction from its own steps: its first step is the learning rate', async () => {
    const backend = await make();
    const model = net(backend);
    model.fit(x, y, { loss: 'binaryCrossEntropy', optimizer: sgd({ learningRate: 0.1 }), epochs: 10 });
    const w0 = model.getWeights();
    model.fit(x, y, { loss: 'binaryCrossEntropy', optimizer: adam({ learningRate: 0.1 }), epochs: 1 });
    const w1 = model.getWeights();
    // Adam's first step is lr·g/(|g| + ε·…): lr in size wherever the gradient is not tiny
    let largest = 0;
    w0.forEach((w, i) =>
      w.data.forEach((v, j) => {
        largest = Math.max(largest, Math.abs(w1[i].data[j] - v));
      }),
    );
    expect(largest).toBeCloseTo(0.1, dtype === 'float64' ? 6 : 4);
  });
});

describe.each(CONFIGS)("gradCheck's options and kinks on $label", ({ make, dtype }) => {
  it('refuses options that check nothing or cannot work', async () => {
    const backend = await make();
    const model = net(backend);
    const before = state(model);
    const g = (o: object) => () => gradCheck(model, x, y, { loss: 'binaryCrossEntropy', ...o });
    expect(g({ maxChecks: 0 })).toThrow('gradCheck: maxChecks must be an integer ≥ 1, got 0');
    expect(g({ epsilon: 0 })).toThrow('gradCheck: epsilon must be a finite number > 0, got 0');
    expect(g({ epsilon: NaN })).toThrow('gradCheck: epsilon must be a finite number > 0, got NaN');
    expect(g({ threshold: -1 })).toThrow('gradCheck: threshold must be a finite number > 0, got -1');
    expect(g({ l2: -1 })).toThrow('gradCheck: l2 must be a finite number ≥ 0, got -1');
    expect(state(model)).toEqual(before);
  });

  it('a ReLU net at zero biases: entries whose step crosses the kink are reported apart, the rest pass', async () => {
    const backend = await make();
    const model = sequential([dense(6), relu(), dense(4), relu(), dense(1), sigmoid()], {
      inputSize: 2,
      backend,
      seed: 3,
    });
    // rows of zeros put every first-layer ReLU input exactly at 0 (the biases start at 0)
    const xk = { rows: 6, cols: 2, data: Float64Array.from([0, 0, 1, 2, 0, 0, -1, 0.5, 0, 0, 2, -1]) };
    const r = gradCheck(model, xk, y, { loss: 'binaryCrossEntropy' });
    expect(r.kinks.count).toBeGreaterThan(0);
    expect(r.kinks.why).toMatch(/ReLU/);
    expect(r.passed, `difference ${r.difference} on ${r.checked}`).toBe(true);
    expect(r.checked + r.kinks.count).toBe(model.namedParams().reduce((s, p) => s + p.param.value.size, 0));
    // the first layer's biases are the entries that cross (a bias step moves the zero rows' inputs)
    expect(r.kinks.worst?.layer).toMatch(/dense/);
    void dtype;
  });
});
