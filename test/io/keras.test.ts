// Files Keras 3 itself exported (scripts/fixtures_keras.py, on Keras' PyTorch backend; versions in
// test/fixtures/keras/versions.json): MLPs with every activation and dropout, float32 and float64.
// Keras writes a Cast (to the graph's own type) around every op: read as pass-through. Each
// float32 file loads and predicts what Keras predicted. A float64 Keras model exports as float32
// arithmetic (a double input cast to float, float weights): one model in two types, refused.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as dl from '../../src/index.js';
import { maxRelError } from '../helpers.js';

interface Fixture {
  file: string;
  layers: [string, number?][];
  inputSize: number;
  dtype: dl.DType;
  x: number[][];
  y: number[][];
}
const dir = new URL('../fixtures/keras/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as Fixture[];

describe.each(['js', 'wasm'] as const)('files Keras 3 exported, on %s', (name) => {
  const f32 = manifest.filter((f) => f.dtype === 'float32');
  const f64 = manifest.filter((f) => f.dtype === 'float64');
  it.each(f64.map((f) => [f.file, f] as const))(
    '%s (a float64 model, float32 inside) is refused, naming the Cast',
    async (_, f) => {
      const backend = await dl.createBackend(name, { dtype: 'float64' });
      expect(() => dl.loadModel(new Uint8Array(readFileSync(new URL(f.file, dir))), backend)).toThrow(
        /^loadModel: ONNX: node "[^"]+" \(Cast\) casts to element type 1, not the graph's 11 \(double\)/,
      );
      expect(backend.memory().tensors).toBe(0);
      backend.dispose();
    },
  );
  it.each(f32.map((f) => [f.file, f] as const))('%s loads and predicts as Keras does', async (_, f) => {
    const backend = await dl.createBackend(name, { dtype: f.dtype, ...(name === 'wasm' ? { threads: 1 } : {}) });
    const model = dl.loadModel(new Uint8Array(readFileSync(new URL(f.file, dir))), backend);
    // the layers Keras wrote, dropout aside (an ONNX export is for inference: Keras leaves it out)
    expect(model.layers.map((l) => l.type)).toEqual(f.layers.filter((l) => l[0] !== 'dropout').map((l) => l[0]));
    expect(maxRelError(model.predict(f.x).data, f.y.flat(), 1)).toBeLessThanOrEqual(
      f.dtype === 'float32' ? 2e-6 : 1e-12,
    );
    model.dispose();
    expect(backend.memory().tensors).toBe(0);
    backend.dispose();
  });
});
