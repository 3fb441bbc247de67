// Batch norm in files: a state_dict PyTorch 2.13 saved (safetensors.torch.save_file, after the
// four training steps of test/fixtures/batchnorm/steps.json) loads and predicts as PyTorch's eval()
// did; this package's own safetensors has the same names, dtypes and shapes as PyTorch's (so
// load_state_dict takes it), num_batches_tracked an I64 scalar; JSON round-trips.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as dl from '../../src/index.js';
import { maxRelError } from '../helpers.js';
import { runORT } from './helpers.js';

type LayerSpec = [string, ...(number | boolean)[]];
interface Run {
  name: string;
  file: string;
  /** ONNX files PyTorch exported (both exporters) → ONNX Runtime's outputs on testX */
  onnx: Record<string, number[]>;
  dtype: dl.DType;
  inputSize: number;
  layers: LayerSpec[];
  testX: number[][];
  steps: { eval: number[] }[];
}
const dir = new URL('../fixtures/batchnorm/', import.meta.url);
const { nets } = JSON.parse(readFileSync(new URL('steps.json', dir), 'utf8')) as { nets: Run[] };
const layerOf = ([kind, a, b, c]: LayerSpec): dl.Layer => {
  if (kind === 'dense') return dl.dense(a as number);
  if (kind === 'batchNorm') return dl.batchNorm({ momentum: a as number, epsilon: b as number, affine: c as boolean });
  return { relu: dl.relu, tanh: dl.tanh, sigmoid: dl.sigmoid, softmax: dl.softmax }[kind as 'relu']();
};

/** a safetensors header: name → dtype and shape */
function header(bytes: Uint8Array): Record<string, { dtype: string; shape: number[] }> {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  const h = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  delete h.__metadata__;
  return Object.fromEntries(
    Object.entries(h).map(([k, v]) => [
      k,
      { dtype: (v as { dtype: string }).dtype, shape: (v as { shape: number[] }).shape },
    ]),
  );
}

describe.each(['js', 'wasm'] as const)('batch norm in files, on %s', (name) => {
  it.each(nets.map((r) => [r.file, r] as const))(
    '%s (PyTorch) loads and predicts as its eval() did',
    async (_, run) => {
      const backend = await dl.createBackend(name, { dtype: run.dtype });
      const torchFile = new Uint8Array(readFileSync(new URL(run.file, dir)));
      // PyTorch's Sequential has no softmax (its loss took the logits): the layers are given with it
      const model = dl.loadModel(torchFile, backend, { inputSize: run.inputSize, layers: run.layers.map(layerOf) });
      const last = run.steps[run.steps.length - 1].eval;
      expect(maxRelError(model.predict(run.testX).data, last, 1)).toBeLessThanOrEqual(
        run.dtype === 'float64' ? 1e-12 : 2e-6,
      );
      // written back: what PyTorch wrote, name for name, with the same values
      const ours = model.toSafetensors();
      const theirs = header(torchFile);
      const mine = header(ours);
      // softmax has no place in PyTorch's list: compare the tensors that do
      expect(Object.keys(mine).sort()).toEqual(Object.keys(theirs).sort());
      for (const k of Object.keys(theirs)) expect(mine[k], k).toEqual(theirs[k]);
      const again = dl.loadModel(ours, backend);
      expect(again.getWeights()).toEqual(model.getWeights());
      const json = dl.loadModel(JSON.stringify(model.toJSON()), backend);
      expect(json.getWeights()).toEqual(model.getWeights());
      expect(json.predict(run.testX).data).toEqual(model.predict(run.testX).data);
      for (const m of [model, again, json]) m.dispose();
      expect(backend.memory().tensors).toBe(0);
      backend.dispose();
    },
  );

  const onnxFiles = nets.flatMap((r) => Object.entries(r.onnx).map(([file, want]) => [file, r, want] as const));
  it.each(onnxFiles)('%s (torch.onnx.export) loads and predicts as ONNX Runtime does', async (file, run, want) => {
    const backend = await dl.createBackend(name, { dtype: run.dtype });
    const model = dl.loadModel(new Uint8Array(readFileSync(new URL(file, dir))), backend);
    // the legacy exporter writes BatchNormalization; the default one folds it into the Gemm
    const bn = model.layers.filter((l) => l.type === 'batchNorm').length;
    expect(bn).toBe(file.includes('legacy') ? run.layers.filter((l) => l[0] === 'batchNorm').length : 0);
    expect(maxRelError(model.predict(run.testX).data, want, 1)).toBeLessThanOrEqual(
      run.dtype === 'float64' ? 1e-12 : 2e-6,
    );
    model.dispose();
    backend.dispose();
  });

  it.each(['float32', 'float64'] as const)(
    'toONNX of a %s batch-norm net runs in ONNX Runtime and reads back',
    async (dtype) => {
      const backend = await dl.createBackend(name, { dtype });
      const layers = () => [
        dl.dense(6),
        dl.batchNorm({ momentum: 0.123456789, epsilon: 1.234567891e-3 }),
        dl.relu(),
        dl.dense(4),
        dl.batchNorm({ affine: false }),
        dl.tanh(),
        dl.dense(2),
        dl.softmax(),
      ];
      const model = dl.sequential(layers(), { inputSize: 3, backend, seed: 4 });
      const x = Array.from({ length: 20 }, (_, i) => [Math.sin(i), Math.cos(3 * i), (i % 5) - 2]);
      model.fit(
        x,
        x.map((_, i) => i % 2),
        { loss: 'categoricalCrossEntropy', epochs: 3, batchSize: 5 },
      );
      const bytes = model.toONNX();
      // ONNX keeps ε as a float32 attribute: ONNX Runtime divides by √(var + float32(ε)), this
      // model by √(var + ε), a difference near 1e-11 relative in float64
      const ort = await runORT(bytes, (dtype === 'float64' ? Float64Array : Float32Array).from(x.flat()), x.length, 3);
      expect(maxRelError(ort.data, model.predict(x).data, 1)).toBeLessThanOrEqual(dtype === 'float64' ? 1e-10 : 2e-6);
      const back = dl.loadModel(bytes, backend);
      expect(back.getWeights()).toEqual(model.getWeights());
      expect(back.layers.map((l) => l.config())).toEqual(model.layers.map((l) => l.config()));
      model.dispose();
      back.dispose();
      backend.dispose();
    },
  );

  it.each(['float32', 'float64'] as const)(
    'toONNX of a %s normalization model: Sub then Div, in ONNX Runtime and back',
    async (dtype) => {
      const backend = await dl.createBackend(name, { dtype });
      const model = dl.sequential([dl.normalization(), dl.dense(3), dl.relu(), dl.dense(1), dl.sigmoid()], {
        inputSize: 3,
        backend,
        seed: 2,
      });
      // a feature a thousand times the others, and a constant one (centred, not divided)
      const x = Array.from({ length: 12 }, (_, i) => [Math.sin(i), 1000 * Math.cos(i) + 20, 4]);
      model.adapt(x);
      const bytes = model.toONNX();
      const ort = await runORT(bytes, (dtype === 'float64' ? Float64Array : Float32Array).from(x.flat()), x.length, 3);
      const want = model.predict(x).data;
      expect(maxRelError(ort.data, want, 1)).toBeLessThanOrEqual(dtype === 'float64' ? 1e-12 : 2e-6);
      const back = dl.loadModel(bytes, backend);
      expect(back.layers.map((l) => l.type)).toEqual(model.layers.map((l) => l.type));
      // the file holds σ; the layer keeps σ² (1 for the constant feature, which divides alike)
      expect(maxRelError(back.predict(x).data, want, 1)).toBeLessThanOrEqual(dtype === 'float64' ? 1e-15 : 1e-7);
      model.dispose();
      back.dispose();
      backend.dispose();
    },
  );

  it('a num_batches_tracked that is not an I64 scalar, or not at a batch norm layer, is refused', async () => {
    const backend = await dl.createBackend(name, { dtype: 'float64' });
    const model = dl.sequential([dl.dense(3), dl.batchNorm(), dl.relu(), dl.dense(1)], { inputSize: 2, backend });
    const bytes = model.toSafetensors();
    const n = new DataView(bytes.buffer).getUint32(0, true);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    const swap = (from: string, to: string) => {
      const t = text.replace(from, to).padEnd(n, ' ');
      const out = bytes.slice();
      out.set(new TextEncoder().encode(t), 8);
      return out;
    };
    expect(() =>
      dl.loadModel(
        swap('"1.num_batches_tracked":{"dtype":"I64","shape":[]', '"1.num_batches_tracked":{"dtype":"I64","shape":[1]'),
        backend,
      ),
    ).toThrow(/not an I64 scalar/);
    expect(() => dl.loadModel(swap('"1.num_batches_tracked"', '"2.num_batches_tracked"'), backend)).toThrow(
      /there is none at that index/,
    );
    model.dispose();
    backend.dispose();
  });
});
