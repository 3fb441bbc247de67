// Backend memory: dispose returns it, growth keeps earlier tensors right.
import { describe, expect, it } from 'vitest';
import { CONFIGS, randomData } from '../helpers.js';

describe.each(CONFIGS)('memory on $label', ({ make, dtype }) => {
  it('10,000 alloc/dispose cycles leave memory() where it began', async () => {
    const be = await make();
    const keep = be.tensor([[1, 2, 3]]);
    const before = be.memory();
    for (let i = 0; i < 10000; i++) {
      const a = be.zeros(1 + (i % 17), 1 + (i % 5));
      const b = be.relu(a);
      if (i % 3 === 0) b.dispose();
      a.dispose();
      if (i % 3 !== 0) b.dispose();
    }
    expect(be.memory()).toEqual(before);
    expect(Array.from(keep.toMatrix().data)).toEqual([1, 2, 3]);
  });

  it('growing the memory mid-use leaves earlier tensors readable and right', async () => {
    const be = await make();
    const xd = randomData(33 * 17, 5, dtype);
    const x = be.tensor({ rows: 33, cols: 17, data: xd });
    const y = be.sigmoid(x);
    const before = be.memory().reservedBytes;
    // 32 MiB more than there is: forces the wasm memory to grow (buffers are re-created)
    const big = be.zeros(2048, dtype === 'float64' ? 2048 : 4096);
    expect(be.memory().reservedBytes).toBeGreaterThan(before);
    expect(Array.from(x.toMatrix().data)).toEqual(Array.from(xd));
    const y2 = be.sigmoid(x);
    expect(Array.from(y2.toMatrix().data)).toEqual(Array.from(y.toMatrix().data));
    const c = be.matmul(x, x, { transB: true });
    expect(c.toMatrix().data.length).toBe(33 * 33);
    big.dispose();
    for (const t of [x, y, y2, c]) t.dispose();
    expect(be.memory().tensors).toBe(0);
    expect(be.memory().bytes).toBe(0);
  });

  it('dispose twice is harmless', async () => {
    const be = await make();
    const t = be.zeros(2, 2);
    t.dispose();
    t.dispose();
    expect(be.memory().tensors).toBe(0);
  });
});
