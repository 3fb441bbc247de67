// The layer list sequential() takes: holes are an error naming the index, with nothing allocated
// and no layer kept as owned; the checks read each entry a bounded number of times (linear in the
// number of layers, not quadratic).
import { describe, expect, it } from 'vitest';
import * as dl from '../../src/index.js';

describe('layer lists', () => {
  it('a hole in the list is an error naming its index; nothing leaks; the other layers stay free', async () => {
    const backend = await dl.createBackend('js');
    const first = dl.dense(3);
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    const layers = [first, , dl.relu()] as dl.Layer[];
    expect(() => dl.sequential(layers, { inputSize: 2, backend })).toThrow(
      /^sequential: layer 2 is missing \(a hole in the list\)/,
    );
    expect(backend.memory().tensors).toBe(0);
    // the layer before the hole belongs to no model: a later one takes it
    const model = dl.sequential([first, dl.relu()], { inputSize: 2, backend });
    expect(model.layers[0]).toBe(first);
  });

  it('checking and building read each entry of the list a bounded number of times', async () => {
    const backend = await dl.createBackend('js');
    const n = 3000;
    const list = [dl.dense(2), ...Array.from({ length: n }, () => dl.relu())];
    let reads = 0;
    const counted = new Proxy(list, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    dl.sequential(counted, { inputSize: 2, backend }).dispose();
    expect(reads).toBeLessThan(10 * (n + 1));
  });

  it('loadModel of a JSON whose layers have a hole names it, allocating nothing', async () => {
    const backend = await dl.createBackend('js', { dtype: 'float64' });
    const model = dl.sequential([dl.dense(3), dl.relu(), dl.dense(1)], { inputSize: 2, backend });
    const json = model.toJSON();
    model.dispose();
    const layers = [...json.layers];
    delete (layers as unknown[])[1];
    expect(() => dl.loadModel({ ...json, layers }, backend)).toThrow(
      /^loadModel: .*layers\[1\] is missing \(a hole in the list\)/,
    );
    expect(backend.memory().tensors).toBe(0);
  });

  it('a file declaring more layers than MAX_LAYERS is refused before any is made', async () => {
    const backend = await dl.createBackend('js', { dtype: 'float64' });
    const model = dl.sequential([dl.dense(2)], { inputSize: 2, backend });
    const json = model.toJSON();
    model.dispose();
    const layers = [json.layers[0], ...Array.from({ length: 1_000_000 }, () => ({ type: 'relu' }))];
    expect(() => dl.loadModel({ ...json, layers }, backend)).toThrow(
      /^loadModel: .*1000001 layers, more than the 100000 a file may declare/,
    );
    expect(backend.memory().tensors).toBe(0);
  });
});
