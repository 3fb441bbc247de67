// Files with dims no layer can have or a weight named twice: refused with loadModel's prefix and
// the field, allocating nothing; a model of dropout alone round-trips through ONNX.
import { describe, expect, it } from 'vitest';
import * as dl from '../../src/index.js';
import { decodeModel, encodeModel } from '../../src/io/onnx-schema.js';

describe('refusals by field', () => {
  it.each([
    [[-1, 2], '-1'],
    [[0, 2], '0'],
  ])('an ONNX initializer with dims %j is refused by name, allocating nothing', async (dims, shown) => {
    const backend = await dl.createBackend('js');
    const model = dl.sequential([dl.dense(2), dl.relu(), dl.dense(1)], { inputSize: 2, backend });
    const m = decodeModel(model.toONNX()) as { graph: { initializer: { name: string; dims: number[] }[] } };
    model.dispose();
    m.graph.initializer[0].dims = dims;
    const before = backend.memory();
    expect(() => dl.loadModel(encodeModel(m as never), backend)).toThrow(
      new RegExp(`^loadModel: ONNX: .*initializer "${m.graph.initializer[0].name}" has dims \\[${shown},2\\]`),
    );
    expect(backend.memory()).toEqual(before);
  });

  it('TF.js artifacts naming a weight twice are refused, naming it', async () => {
    const backend = await dl.createBackend('js');
    const model = dl.sequential([dl.dense(2), dl.relu(), dl.dense(2)], { inputSize: 2, backend });
    const a = model.toTFJS();
    model.dispose();
    const specs = a.weightSpecs.map((s) => ({ ...s }));
    specs[2].name = specs[0].name;
    specs[2].shape = specs[0].shape;
    expect(() => dl.loadModel({ ...a, weightSpecs: specs }, backend)).toThrow(
      /^loadModel: TF\.js: weightSpecs\[2\] names weight "dense1\/kernel" a second time/,
    );
    expect(backend.memory().tensors).toBe(0);
  });

  it('a model of dropout alone round-trips through ONNX', async () => {
    const backend = await dl.createBackend('js');
    const model = dl.sequential([dl.dropout(0.3)], { inputSize: 3, backend });
    const back = dl.loadModel(model.toONNX(), backend);
    expect(back.layers.map((l) => l.type)).toEqual(['dropout']);
    expect(back.predict([[1, 2, 3]]).data).toEqual(model.predict([[1, 2, 3]]).data);
  });
});
