// Casting a model's weights between dtypes: a float64 value that float32 cannot hold is refused,
// naming the tensor and index, never rounded to ±Infinity; the cast option is type-checked.
import { describe, expect, it } from 'vitest';
import * as dl from '../../src/index.js';

describe('cast', () => {
  it('loadModel({ cast: true }) refuses a float64 weight past float32, naming it, allocating nothing', async () => {
    const b64 = await dl.createBackend('js', { dtype: 'float64' });
    const model = dl.sequential([dl.dense(2), dl.relu(), dl.dense(1)], { inputSize: 3, backend: b64, seed: 1 });
    const json = model.toJSON();
    json.weights[0].data[4] = 1e39;
    const b32 = await dl.createBackend('js', { dtype: 'float32' });
    const before = b32.memory();
    expect(() => dl.loadModel(json, b32, { cast: true })).toThrow(
      /^loadModel: .*dense1\.W.*\[4\] is 1e\+39, past what float32 holds/,
    );
    expect(b32.memory()).toEqual(before);
    json.weights[0].data[4] = 3e38;
    expect(dl.loadModel(json, b32, { cast: true }).getWeights()[0].data[4]).toBe(Math.fround(3e38));
  });

  it('toTFJS({ cast: true }) refuses a float64 weight past float32; cast must be a boolean', async () => {
    const b64 = await dl.createBackend('js', { dtype: 'float64' });
    const model = dl.sequential([dl.dense(2), dl.relu(), dl.dense(1)], { inputSize: 3, backend: b64, seed: 1 });
    const w = model.getWeights();
    w[2].data[1] = -1e39;
    model.setWeights(w);
    expect(() => model.toTFJS({ cast: true })).toThrow(/^toTFJS: dense2\.W\[1\] is -1e\+39, past what float32 holds/);
    const b32 = await dl.createBackend('js', { dtype: 'float32' });
    const m32 = dl.sequential([dl.dense(2)], { inputSize: 3, backend: b32 });
    expect(() => m32.toTFJS({ cast: 'yes' as unknown as boolean })).toThrow(
      /^toTFJS: cast must be true or false, got "yes"/,
    );
  });
});
