// BufferCache: a buffer is asked for by name and shape; the same name with other columns is an
// error that names both shapes, never the old buffer of the wrong shape.
import { expect, it } from 'vitest';
import { BufferCache, createBackend } from '../../src/index.js';

it('get returns the buffer of that name and shape, and refuses the same name with other columns', async () => {
  const be = await createBackend('js');
  const cache = new BufferCache(be, 4);
  const a = cache.get('dz', 3, 5);
  expect(a.shape).toEqual([3, 5]);
  expect(cache.get('dz', 3, 5)).toBe(a);
  expect(() => cache.get('dz', 3, 4)).toThrow(/buffer 'dz' is \[3×5\]; asked for \[3×4\]/);
  expect(cache.get('dz', 2, 4).shape).toEqual([2, 4]);
  cache.dispose();
  expect(be.memory().tensors).toBe(0);
});
