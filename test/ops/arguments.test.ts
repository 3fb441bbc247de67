// The low-level ops check their arguments: aliasing where it matters, integer indices in range,
// finite numeric scalars, positive step counts, typed arrays of the right kind; a bad one is an
// error naming the op and the argument, and nothing is changed.
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.js';
import { CONFIGS } from '../helpers.js';

describe.each(CONFIGS)('arguments of the low-level ops on $label', ({ make, dtype }) => {
  const values = (t: Tensor) => Array.from(t.toMatrix().data);

  it('gatherRows: out may not be src; indices are integers within src', async () => {
    const be = await make();
    const t = be.tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(() => be.gatherRows(t, Int32Array.of(2, 1, 0), 0, t)).toThrow(/^gatherRows: out must not be src/);
    const out = be.zeros(1, 2);
    expect(() => be.gatherRows(t, [1.5] as unknown as Int32Array, 0, out)).toThrow(
      /^gatherRows: index 1\.5 is not a whole row of src's 3/,
    );
    expect(() => be.gatherRows(t, Int32Array.of(0), 0.5, out)).toThrow(/^gatherRows: start must be/);
    expect(values(out)).toEqual([0, 0]);
    expect(values(t)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('momentumUpdate, rmspropUpdate, adamUpdate: finite number scalars, a step count from 1', async () => {
    const be = await make();
    const w = be.tensor([[1, 2]]),
      g = be.tensor([[0.5, -0.5]]),
      v = be.zeros(1, 2),
      m = be.zeros(1, 2);
    expect(() => be.momentumUpdate(w, g, v, Number.NaN, 0.9)).toThrow(
      /^momentumUpdate: lr must be a finite number, got NaN/,
    );
    expect(() => be.momentumUpdate(w, g, v, '0.5' as unknown as number, 0.9)).toThrow(
      /^momentumUpdate: lr must be a finite number, got "0\.5"/,
    );
    expect(() => be.rmspropUpdate(w, g, v, 0.1, Number.POSITIVE_INFINITY, 1e-8)).toThrow(
      /^rmspropUpdate: beta must be a finite number/,
    );
    const adam = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, t: 1 };
    expect(() => be.adamUpdate(w, g, m, v, { ...adam, t: 0 })).toThrow(
      /^adamUpdate: t must be a whole number from 1, got 0/,
    );
    expect(() => be.adamUpdate(w, g, m, v, {} as typeof adam)).toThrow(
      /^adamUpdate: lr must be a finite number, got undefined/,
    );
    expect(values(w)).toEqual([1, 2]);
    expect(values(v)).toEqual([0, 0]);
    expect(values(m)).toEqual([0, 0]);
  });

  it('tensor and readInto: data of numbers, and an array of the backend dtype to read into', async () => {
    const be = await make();
    const before = be.memory().tensors;
    expect(() => be.tensor({ rows: 1, cols: 1, data: new BigInt64Array(1) as unknown as number[] })).toThrow(
      /^tensor\.data is a BigInt64Array: give numbers/,
    );
    expect(be.memory().tensors).toBe(before);
    const t = be.tensor([[1, 2]]);
    expect(() => be.readInto(t, [] as unknown as Float32Array)).toThrow(
      new RegExp(`^readInto: dst must be a ${dtype === 'float64' ? 'Float64Array' : 'Float32Array'}`),
    );
  });

  it('zeros too big for a typed array: an error naming the size, and the memory figures unchanged', async () => {
    const be = await make();
    const before = be.memory();
    expect(() => be.zeros(1e5, 1e5)).toThrow(/^zeros: a tensor of 10000000000 values/);
    expect(be.memory()).toEqual(before);
  });
});
