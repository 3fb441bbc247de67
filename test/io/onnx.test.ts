// ONNX on every backend and dtype: what toONNX writes runs in ONNX Runtime (onnxruntime-node)
// with model.predict's answers at any batch size; it loads back exactly; graphs as
// torch.onnx.export and tf2onnx write them (scripts/fixtures.py, built with the onnx package's
// helpers and checked by its checker) load and predict as float64 numpy does; anything else is
// refused by node and op, and no bytes crash the reader.
import { describe, expect, it } from 'vitest';
import {
  dense,
  dropout,
  loadModel,
  relu,
  sequential,
  sigmoid,
  softmax,
  tanh,
  type Backend,
  type Sequential,
} from '../../src/index.js';
import { decodeModel, encodeModel } from '../../src/io/onnx-schema.js';
import { CONFIGS, maxRelError, randomData } from '../helpers.js';
import { fixture, reference, refuses, runORT } from './helpers.js';

const onnxModels = (backend: Backend): Sequential[] => [
  sequential([dense(7), tanh(), dense(3), relu(), dense(2), softmax()], { inputSize: 5, backend, seed: 1 }),
  sequential([dense(17, { init: 'xavier' }), sigmoid(), dropout(0.3), dense(1, { useBias: false }), sigmoid()], {
    inputSize: 33,
    backend,
    seed: 2,
  }),
  sequential([dense(65, { init: 'random', scale: 0.5 }), relu(), dense(127)], { inputSize: 2, backend, seed: 3 }),
];

describe.each(CONFIGS)('ONNX on $label', ({ make, dtype }) => {
  const tol = dtype === 'float64' ? 1e-12 : 2e-6;

  it("runs in ONNX Runtime with model.predict's answers, at batch sizes 1, 7 and 33", async () => {
    const backend = await make();
    for (const model of onnxModels(backend)) {
      const bytes = model.toONNX();
      for (const rows of [1, 7, 33]) {
        const x = randomData(rows * model.inputSize, rows, dtype, -2, 2);
        const ours = model.predict({ rows, cols: model.inputSize, data: x });
        const theirs = await runORT(bytes, x, rows, model.inputSize);
        expect(theirs.dims).toEqual([rows, model.outputSize]);
        // relative to the output's scale: a linear output near 0 has no relative digits of its own
        const scale = Math.max(...Array.from(theirs.data, Math.abs));
        expect(maxRelError(ours.data, theirs.data, scale)).toBeLessThan(tol);
      }
    }
  });

  it('writes opset 17, IR version 8, a dynamic batch, Gemm with transB = 1; loads back exactly', async () => {
    const backend = await make();
    const model = onnxModels(backend)[1];
    model.step = 12;
    const bytes = model.toONNX();
    const m = decodeModel(bytes) as unknown as {
      ir_version: number;
      opset_import: { version: number }[];
      graph: {
        node: { op_type: string; attribute?: { name: string; i?: number }[] }[];
        input: { type: { tensor_type: { elem_type: number; shape: { dim: object[] } } } }[];
      };
    };
    expect(m.ir_version).toBe(8);
    expect(m.opset_import[0].version).toBe(17);
    expect(m.graph.node.map((n) => n.op_type)).toEqual(['Gemm', 'Sigmoid', 'Gemm', 'Sigmoid']);
    expect(m.graph.node[0].attribute?.find((a) => a.name === 'transB')?.i).toBe(1);
    expect(m.graph.input[0].type.tensor_type.elem_type).toBe(dtype === 'float64' ? 11 : 1);
    expect(m.graph.input[0].type.tensor_type.shape.dim).toEqual([{ dim_param: 'batch' }, { dim_value: 33 }]);
    const copy = loadModel(bytes, backend);
    expect(copy.layers.map((l) => l.type)).toEqual(['dense', 'sigmoid', 'dropout', 'dense', 'sigmoid']);
    expect(copy.getWeights()).toEqual(model.getWeights());
    expect(copy.step).toBe(12);
    expect(copy.seed).toBe(2);
  });

  it('loads what torch.onnx.export and tf2onnx write (Gemm ± transB, MatMul + Add, Flatten) and predicts as float64 numpy', async () => {
    const backend = await make();
    const files =
      dtype === 'float64'
        ? ['torch-mlp-f64.onnx']
        : ['torch-mlp-f32.onnx', 'tf2onnx-mlp-f32.onnx', 'flatten-gemm-f32.onnx'];
    const ref = reference(dtype === 'float64' ? 'f64' : 'f32');
    for (const f of files) {
      const model = loadModel(fixture(f), backend);
      expect(model.layers.map((l) => l.type)).toEqual(['dense', 'tanh', 'dense', 'relu', 'dense', 'softmax']);
      expect(model.getWeights().map((w) => w.shape)).toEqual([[7, 5], [7], [3, 7], [3], [2, 3], [2]]);
      expect(maxRelError(model.predict(ref.x).data, ref.y.flat(), 1e-3)).toBeLessThan(tol);
    }
    const other = dtype === 'float64' ? 'torch-mlp-f32.onnx' : 'torch-mlp-f64.onnx';
    refuses(
      backend,
      () => loadModel(fixture(other), backend),
      /ONNX: the file holds float(32|64) weights and the backend is float(32|64): pass \{ cast: true \}/,
    );
    expect(loadModel(fixture(other), backend, { cast: true }).layers).toHaveLength(6);
  });

  it('refuses other graphs by node and op, and bad bytes cleanly, allocating nothing', async () => {
    const backend = await make();
    refuses(
      backend,
      () => loadModel(fixture('unsupported-leakyrelu.onnx'), backend),
      /ONNX: node "\/1\/LeakyRelu" \(LeakyRelu\) is not an op this library reads/,
    );
    const good = onnxModels(backend)[0].toONNX();
    refuses(
      backend,
      () => loadModel(good.subarray(0, good.length - 9), backend),
      /ONNX: the bytes are not a valid ONNX protobuf .*truncated/,
    );
    refuses(
      backend,
      () => loadModel(new Uint8Array([8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), backend),
      /ONNX: /,
    );
    const edit = (f: (m: Record<string, any>) => void) => {
      const m = decodeModel(good) as Record<string, any>;
      f(m);
      return encodeModel(m);
    };
    refuses(
      backend,
      () =>
        loadModel(
          edit((m) => {
            m.graph.node[0].attribute[0].f = 2;
          }),
          backend,
        ),
      /node "\/0\/Gemm" \(Gemm\) has alpha, beta or transA other than 1, 1, 0/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((m) => {
            m.graph.node[2].input[0] = 'elsewhere';
          }),
          backend,
        ),
      /node "\/2\/Gemm" \(Gemm\) does not take the output of the layer before/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((m) => {
            m.graph.node[5].attribute[0].i = 0;
          }),
          backend,
        ),
      /node "\/5\/Softmax" \(Softmax\) has axis 0/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((m) => {
            m.graph.initializer[0].data_location = 1;
          }),
          backend,
        ),
      /initializer "0.weight" is stored outside the file/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((m) => {
            m.graph.initializer[1].raw_data = m.graph.initializer[1].raw_data.subarray(4);
          }),
          backend,
        ),
      /initializer "0.bias" has dims \[7\] \((28|56) bytes\) but (24|52) bytes of raw_data/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((m) => {
            m.graph.initializer[0].data_type = 10;
          }),
          backend,
        ),
      /initializer "0.weight" has data type 10; this library reads float \(1\) and double \(11\)/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((m) => {
            m.graph.input[0].type.tensor_type.shape.dim = [{ dim_param: 'N' }, { dim_value: 1 }, { dim_value: 5 }];
          }),
          backend,
        ),
      /input "input" has rank 3/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((m) => {
            m.graph.initializer.splice(2, 1);
          }),
          backend,
        ),
      /node "\/2\/Gemm" \(Gemm\) takes B "2.weight", which is not an initializer/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((m) => {
            m.metadata_props[0].value = m.metadata_props[0].value.replace('"units":7', '"units":8');
          }),
          backend,
        ),
      /the graph does not match the architecture in its metadata/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((m) => {
            m.graph.node[1].domain = 'com.microsoft';
          }),
          backend,
        ),
      /node "\/1\/Tanh" \(Tanh\) is in domain "com.microsoft"/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((m) => {
            m.graph.output[0].name = 'other';
          }),
          backend,
        ),
      /the chain of layers ends in "output", not the graph output "other"/,
    );
  });
});
