// A stretch of measured ops (stretch.ts): time against another stretch's rates, kind by kind,
// less the one op furthest over its mean once there are enough ops to leave one out.
import { describe, expect, it } from 'vitest';
import { Stretch } from '../../src/backends/wasm/threads/stretch.js';

describe('threads: a stretch of measured ops', () => {
  it("holds its ops to the other's rates on the kinds both ran", () => {
    const a = new Stretch(),
      b = new Stretch();
    a.add(1, 2, 100, 2); // kind 1: 2 ms for 100 units
    a.add(2, 5, 10, 5); // kind 2: the other never ran it
    b.add(1, 3, 50, 3); // kind 1 there: 0.06 ms a unit
    expect(a.all).toBe(7);
    expect(a.ops).toBe(2);
    const { here, there } = a.against(b);
    expect(here).toBe(2);
    expect(there).toBeCloseTo(6, 12);
  });

  it('leaves out the op furthest over its mean, from five ops on', () => {
    const a = new Stretch(),
      b = new Stretch();
    for (let i = 0; i < 5; i++) b.add(1, 1, 10, 1);
    for (let i = 0; i < 4; i++) a.add(1, 1, 10, 1);
    a.add(1, 5, 10, 1); // a scheduler tick: 4 ms over its mean
    expect(a.against(b)).toEqual({ here: 4, there: 4 });
    // with four ops, all count
    const c = new Stretch();
    for (let i = 0; i < 3; i++) c.add(1, 1, 10, 1);
    c.add(1, 5, 10, 1);
    expect(c.against(b)).toEqual({ here: 8, there: 4 });
  });

  it('an op with no mean is never the one left out; clear() starts again', () => {
    const a = new Stretch(),
      b = new Stretch();
    for (let i = 0; i < 5; i++) b.add(1, 1, 10, undefined);
    for (let i = 0; i < 5; i++) a.add(1, i === 0 ? 9 : 1, 10, undefined);
    expect(a.against(b).here).toBe(13);
    a.clear();
    expect([a.all, a.ops, a.against(b).here]).toEqual([0, 0, 0]);
  });
});
