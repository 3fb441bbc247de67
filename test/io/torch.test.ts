// Files PyTorch 2.13 itself wrote (scripts/fixtures_torch.py; versions in
// test/fixtures/torch/versions.json): ONNX from both exporters (the default dynamo one and the
// legacy TorchScript one), the legacy file after onnx.shape_inference, and state_dict
// safetensors, in float32 and float64. Each loads and predicts what PyTorch predicted.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as dl from '../../src/index.js';
import { maxRelError } from '../helpers.js';

interface Fixture {
  file: string;
  format: 'onnx' | 'safetensors';
  layers: [string, number?][];
  inputSize: number;
  dtype: dl.DType;
  x: number[][];
  y: number[][];
}
const dir = new URL('../fixtures/torch/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as Fixture[];

const ACTIVATIONS = { relu: dl.relu, sigmoid: dl.sigmoid, tanh: dl.tanh, softmax: dl.softmax };
const layerOf = ([kind, arg]: [string, number?]): dl.Layer =>
  kind === 'dense'
    ? dl.dense(arg!)
    : kind === 'dropout'
      ? dl.dropout(arg!)
      : ACTIVATIONS[kind as keyof typeof ACTIVATIONS]();

describe.each(['js', 'wasm'] as const)('files PyTorch 2.13 wrote, on %s', (name) => {
  it.each(manifest.map((f) => [f.file, f] as const))('%s loads and predicts as PyTorch does', async (_, f) => {
    const backend = await dl.createBackend(name, { dtype: f.dtype, ...(name === 'wasm' ? { threads: 1 } : {}) });
    const bytes = new Uint8Array(readFileSync(new URL(f.file, dir)));
    const model =
      f.format === 'safetensors'
        ? dl.loadModel(bytes, backend, { inputSize: f.inputSize, layers: f.layers.map(layerOf) })
        : dl.loadModel(bytes, backend);
    const got = model.predict(f.x).data;
    expect(maxRelError(got, f.y.flat(), 1)).toBeLessThanOrEqual(f.dtype === 'float32' ? 2e-6 : 1e-12);
    model.dispose();
    expect(backend.memory().tensors).toBe(0);
    backend.dispose();
  });
});
