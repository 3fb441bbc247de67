// This package's JSON format and the loader's contract, on every backend and dtype: an exact
// round trip (weights, step, so training continues as if uninterrupted), version 1 files, and
// bad files refused with the field named before anything is allocated.
import { describe, expect, it } from 'vitest';
import {
  createBackend,
  dense,
  dropout,
  loadModel,
  relu,
  sequential,
  sigmoid,
  softmax,
  type Backend,
  type ModelJSON,
} from '../../src/index.js';
import { CONFIGS, randomData } from '../helpers.js';
import { refuses } from './helpers.js';

const xy = (dtype: 'float32' | 'float64') => ({
  x: { rows: 12, cols: 3, data: randomData(36, 1, dtype) },
  y: Array.from({ length: 12 }, (_, i) => i % 2),
});

describe.each(CONFIGS)('JSON format on $label', ({ make, dtype }) => {
  const build = (backend: Backend) =>
    sequential(
      [dense(4, { init: 'random', scale: 3 }), relu(), dropout(0.3), dense(2, { useBias: false }), softmax()],
      { inputSize: 3, backend, seed: 8 },
    );
  const fitOpts = { loss: 'categoricalCrossEntropy' as const, epochs: 3, batchSize: 4 };

  it('round-trips exactly, step included: training after a reload equals an uninterrupted run', async () => {
    const backend = await make();
    const { x, y } = xy(dtype);
    const model = build(backend);
    model.fit(x, y, fitOpts);
    const text = JSON.stringify(model);
    const copy = loadModel(text, backend);
    expect(copy.getWeights()).toEqual(model.getWeights());
    // the file read as bytes loads the same
    expect(loadModel(new TextEncoder().encode(`\n ${text}`), backend).getWeights()).toEqual(model.getWeights());
    expect(copy.step).toBe(model.step);
    expect(model.step).toBe(9);
    expect(copy.toJSON()).toEqual(model.toJSON());
    expect(JSON.parse(text).weights.map((w: { shape: number[] }) => w.shape)).toEqual([[4, 3], [4], [2, 4]]);
    // the same masks and the same updates from here on (same optimizer settings, fresh state in both)
    const twin = build(backend);
    twin.fit(x, y, fitOpts);
    twin.fit(x, y, fitOpts);
    const resumed = loadModel(text, backend);
    resumed.fit(x, y, fitOpts);
    const again = loadModel(JSON.stringify(model), backend);
    again.fit(x, y, fitOpts);
    expect(resumed.getWeights()).toEqual(again.getWeights());
    const probe = [[0.1, 0.2, 0.3]];
    expect(Array.from(copy.predict(probe).data)).toEqual(Array.from(model.predict(probe).data));
    // dropout masks depend on step: a reload that forgot it (step 0) would train differently
    const forgot = loadModel({ ...JSON.parse(text), step: 0 }, backend);
    forgot.fit(x, y, fitOpts);
    expect(forgot.getWeights()).not.toEqual(resumed.getWeights());
  });

  it('loads version 1 files (bias [1, units], no step)', async () => {
    const backend = await make();
    const model = build(backend);
    const v2 = model.toJSON();
    const v1 = {
      format: 'dl-fundamentals-model',
      version: 1,
      dtype,
      inputSize: 3,
      seed: 8,
      layers: v2.layers,
      weights: v2.weights.map((w) => (w.shape.length === 1 ? { ...w, shape: [1, w.shape[0]] } : w)),
    };
    const copy = loadModel(JSON.stringify(v1), backend);
    expect(copy.getWeights()).toEqual(model.getWeights());
    expect(copy.step).toBe(0);
  });

  it('refuses bad files with the field named, allocating nothing', async () => {
    const backend = await make();
    const model = build(backend);
    const obj = model.toJSON();
    const text = JSON.stringify(obj);
    const edit = (f: (o: ModelJSON & Record<string, unknown>) => void) => {
      const o = structuredClone(obj) as ModelJSON & Record<string, unknown>;
      f(o);
      return o;
    };
    refuses(backend, () => loadModel(text.slice(0, text.length / 2), backend), /loadModel: not valid JSON .*truncated/);
    refuses(
      backend,
      () =>
        loadModel(
          edit((o) => {
            o.format = 'other';
          }),
          backend,
        ),
      /format is "other"/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((o) => {
            o.version = 99;
          }),
          backend,
        ),
      /version 99 is not supported/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((o) => {
            o.dtype = 'banana';
          }),
          backend,
        ),
      /dtype is "banana", expected "float32" or "float64"/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((o) => {
            o.extra = 1;
          }),
          backend,
        ),
      /unknown field "extra"/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((o) => {
            o.step = -1;
          }),
          backend,
        ),
      /step is -1, not a non-negative integer/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((o) => {
            o.inputSize = 0;
          }),
          backend,
        ),
      /inputSize is 0/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((o) => {
            o.layers = [{ type: 'conv' }];
          }),
          backend,
        ),
      /layers\[0\] has unknown type "conv"/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((o) => {
            o.layers[0].units = -4;
          }),
          backend,
        ),
      /layers\[0\]: dense: units must be a positive integer, got -4/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((o) => {
            o.layers[0].activation = 'relu';
          }),
          backend,
        ),
      /layers\[0\]: dense: unknown option "activation"/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((o) => {
            o.layers[1].alpha = 0.1;
          }),
          backend,
        ),
      /layers\[1\] \(relu\) has unknown field "alpha"/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((o) => {
            o.layers[2].rate = 1.5;
          }),
          backend,
        ),
      /layers\[2\]: dropout: rate must be in \[0, 1\), got 1.5/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((o) => {
            o.weights[0].shape = [3, 4];
          }),
          backend,
        ),
      /weights\[0\] \(dense1.W\) has shape \[3×4\]; layer 1 \(dense\) needs \[4×3\]/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((o) => {
            o.weights[1].shape = [1, 4];
          }),
          backend,
        ),
      /weights\[1\] \(dense1.b\) has shape \[1×4\]; layer 1 \(dense\) needs \[4\]/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((o) => {
            o.weights[2].data.pop();
          }),
          backend,
        ),
      /weights\[2\] \(dense2.W\) has 7 values, its shape \[2×4\] needs 8/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((o) => {
            o.weights[2].data[5] = null as never;
          }),
          backend,
        ),
      /weights\[2\] \(dense2.W\)\[5\] is null, not a finite number/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((o) => {
            o.weights.pop();
          }),
          backend,
        ),
      /no weights for dense2.W \[2×4\] \(layer 4, dense\)/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((o) => {
            o.weights[1].name = 'dense9.b';
          }),
          backend,
        ),
      /weights\[1\] \(dense9.b\) has no place in the layers/,
    );
    refuses(backend, () => loadModel(42 as never, backend), /expected a saved model .* got 42/);
    refuses(
      backend,
      () => loadModel(text, backend, { cats: true } as never),
      /loadModel: unknown option "cats"; did you mean "cast"\?/,
    );
    refuses(backend, () => loadModel(text, backend, { inputSize: 3 }), /JSON: the file carries its architecture/);
    // a 400-byte file that declares an 8000-unit layer, and one that declares 1e5 × 1e5
    const big = {
      format: 'dl-fundamentals-model',
      version: 2,
      dtype,
      inputSize: 8000,
      seed: 0,
      step: 0,
      layers: [{ type: 'dense', units: 8000 }],
      weights: [{ name: 'dense1.W', shape: [8000, 8000], data: [1, 2, 3] }],
    };
    refuses(
      backend,
      () => loadModel(JSON.stringify(big), backend),
      /dense1.W\) has 3 values, its shape \[8000×8000\] needs 64000000/,
    );
    refuses(
      backend,
      () => loadModel({ ...big, inputSize: 1e5, layers: [{ type: 'dense', units: 1e5 }] } as never, backend),
      /dense1.W\) has shape \[8000×8000\]; layer 1 \(dense\) needs \[100000×100000\]/,
    );
  });

  it('a file of the other dtype needs { cast: true }, which converts each value', async () => {
    const backend = await make();
    const other = dtype === 'float32' ? 'float64' : 'float32';
    const src = sequential([dense(3), sigmoid()], {
      inputSize: 5,
      backend: await createBackend('js', { dtype: other }),
      seed: 2,
    });
    const obj = src.toJSON();
    obj.weights[0].data = obj.weights[0].data.map((v) => v + 1e-9); // not representable in float32
    refuses(
      backend,
      () => loadModel(obj, backend),
      new RegExp(`the file holds ${other} weights and the backend is ${dtype}: pass \\{ cast: true \\}`),
    );
    const cast = loadModel(obj, backend, { cast: true });
    const want = dtype === 'float32' ? obj.weights[0].data.map(Math.fround) : obj.weights[0].data;
    expect(Array.from(cast.getWeights()[0].data)).toEqual(want);
  });
});

describe('capacity', () => {
  it('a backend says what it cannot hold before anything is allocated', async () => {
    const wasm = await createBackend('wasm', { dtype: 'float32' });
    expect(wasm.cannotHold([1000, 1000])).toBeNull();
    expect(wasm.cannotHold([2 ** 29, 2 ** 29])).toMatch(
      /4294967296 bytes of tensors are needed, and the wasm\/float32 backend can hold \d+ more/,
    );
    const js = await createBackend('js', { dtype: 'float64' });
    expect(js.cannotHold([2 ** 32 + 1])).toMatch(
      /a tensor of 4294967297 values is past the 4294967296 a typed array can hold/,
    );
    expect(js.cannotHold([2 ** 30])).toBeNull();
  });
});
