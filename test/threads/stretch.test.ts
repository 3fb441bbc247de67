// A stretch of measured ops (stretch.ts): its time against another stretch's rates, kind by
// kind, on the kinds both ran.
import { describe, expect, it } from 'vitest';
import { Stretch } from '../../src/backends/wasm/threads/stretch.js';

describe('threads: a stretch of measured ops', () => {
  it("holds its ops to the other's rates on the kinds both ran", () => {
    const a = new Stretch(),
      b = new Stretch();
    a.add(1, 2, 100); // kind 1: 2 ms for 100 units
    a.add(1, 1, 100); // and 1 ms for 100 more
    a.add(2, 5, 10); // kind 2: the other never ran it
    b.add(1, 3, 50); // kind 1 there: 0.06 ms a unit
    expect([a.all, a.ops]).toEqual([8, 3]);
    const { here, there } = a.against(b);
    expect(here).toBe(3);
    expect(there).toBeCloseTo(12, 12);
  });

  it('clear() starts again', () => {
    const a = new Stretch(),
      b = new Stretch();
    a.add(1, 1, 10);
    b.add(1, 1, 10);
    a.clear();
    expect([a.all, a.ops, a.against(b).here, a.against(b).there]).toEqual([0, 0, 0, 0]);
  });
});
