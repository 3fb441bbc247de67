// Float32 near its largest value: the js backend rounds matmul's products and sums to float32 in
// the order the wasm kernel sums (over k, in order), so both overflow on the same inputs
// (3.4e38 + 3.4e38 is Infinity in float32) and agree on what fit refuses and what predict gives.
import { describe, expect, it } from 'vitest';
import * as dl from '../../src/index.js';

const BIG = 3.4e38;
const f32sum = (v: number[]) => v.reduce((s, x) => Math.fround(s + Math.fround(x)), 0);

describe.each(['js', 'wasm'] as const)('float32 overflow on %s', (name) => {
  it('matmul overflows where a float32 sum does, not where a float64 sum would', async () => {
    const be = await dl.createBackend(name, { dtype: 'float32' });
    const row = [BIG, BIG, -BIG];
    expect(f32sum(row)).toBe(Number.POSITIVE_INFINITY); // the reference: float32 arithmetic, in order
    const a = be.tensor({ rows: 1, cols: 3, data: row });
    const ones = be.tensor({ rows: 3, cols: 1, data: [1, 1, 1] });
    expect(Array.from(be.matmul(a, ones).toMatrix().data)).toEqual([Number.POSITIVE_INFINITY]);
    be.dispose();
  });

  it('a model fed ±3.4e38: predict gives NaN where the sums overflow, fit refuses, evaluate agrees', async () => {
    const be = await dl.createBackend(name, { dtype: 'float32' });
    const model = dl.sequential([dl.dense(3), dl.relu(), dl.dense(1), dl.sigmoid()], {
      inputSize: 2,
      backend: be,
      seed: 1,
    });
    const x = [
      [BIG, -BIG],
      [BIG, BIG],
      [-BIG, 1],
      [1, 2],
    ];
    const y = [1, 0, 1, 0];
    const p = Array.from(model.predict(x).data);
    expect(Number.isNaN(p[0])).toBe(true);
    expect(p.slice(1, 3)).toEqual([1, 0]);
    expect(() => model.fit(x, y, { loss: 'binaryCrossEntropy', epochs: 1 })).toThrow(/^fit: the loss became NaN/);
    expect(model.evaluate(x, y).accuracy).toBe(0);
    be.dispose();
  });
});
