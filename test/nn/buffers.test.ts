// BufferCache: a buffer is asked for by name and shape; the same name with other columns is an
// error that names both shapes, never the old buffer of the wrong shape.
import { expect, it } from 'vitest';
import { BufferCache, createBackend, dense, relu, sequential, softmax, tanh } from '../../src/index.js';

it('get returns the buffer of that name, a view of its first rows for fewer, and refuses other columns', async () => {
  const be = await createBackend('js');
  const cache = new BufferCache(be, 4);
  const a = cache.get('dz', 3, 5);
  expect(a.shape).toEqual([3, 5]);
  expect(cache.get('dz', 3, 5)).toBe(a);
  expect(() => cache.get('dz', 3, 4)).toThrow(/buffer 'dz' is \[3×5\]; asked for \[3×4\]/);
  expect(() => cache.get('dz', 2, 4)).toThrow(/buffer 'dz' is \[3×5\]; asked for \[2×4\]/);
  // fewer rows: the same memory, its first rows
  const v = cache.get('dz', 2, 5);
  expect(v.shape).toEqual([2, 5]);
  be.assign(a, { rows: 3, cols: 5, data: Float32Array.from({ length: 15 }, (_, i) => i) });
  expect(Array.from(v.toMatrix().data)).toEqual(Array.from({ length: 10 }, (_, i) => i));
  expect(be.memory().tensors).toBe(1);
  // more rows: a bigger buffer replaces it
  expect(cache.get('dz', 4, 5).shape).toEqual([4, 5]);
  expect(be.memory().tensors).toBe(1);
  cache.dispose();
  expect(be.memory().tensors).toBe(0);
});

it('rollback frees what was made since begin and puts back the buffer it replaced', async () => {
  const be = await createBackend('js');
  const cache = new BufferCache(be);
  const small = cache.get('y', 2, 3);
  cache.begin();
  cache.get('y', 5, 3);
  cache.get('z', 1, 1);
  expect(be.memory().tensors).toBe(3); // the outgrown one is kept until commit
  cache.rollback();
  expect(be.memory().tensors).toBe(1);
  expect(cache.get('y', 2, 3)).toBe(small);
  cache.begin();
  cache.get('y', 5, 3);
  cache.commit();
  expect(be.memory().tensors).toBe(1);
  cache.dispose();
});

it('predicting at 1…300 rows keeps one buffer set: the largest batch’s buffers plus the weights', async () => {
  for (const name of ['js', 'wasm'] as const) {
    const be = await (name === 'wasm' ? createBackend('wasm', { threads: 1 }) : createBackend('js'));
    const model = sequential([dense(16), relu(), dense(8), tanh(), dense(2), softmax()], { inputSize: 4, backend: be });
    const weights = model.getWeights().reduce((n, w) => n + 2 * w.data.length, 0); // values and gradients
    // the buffers of one forward pass at 300 rows: each layer's output
    const largest = 300 * (16 + 16 + 8 + 8 + 2 + 2);
    const x = (rows: number) => ({
      rows,
      cols: 4,
      data: Float32Array.from({ length: rows * 4 }, (_, i) => Math.sin(i)),
    });
    const first = model.predict(x(300)).data;
    for (let rows = 1; rows <= 300; rows++) model.predict(x(rows));
    expect(be.memory().bytes, name).toBeLessThanOrEqual(4 * (weights + largest));
    // and the answers are the same as at first
    expect(Array.from(model.predict(x(300)).data)).toEqual(Array.from(first));
    expect(Array.from(model.predict(x(7)).data)).toEqual(Array.from(first.subarray(0, 14)));
    model.dispose();
    expect(be.memory().tensors).toBe(0);
  }
});
