// sigmoidCrossEntropy (binary cross-entropy from the logits, summed) on every backend and dtype,
// against a float64 loop written here.
import { describe, expect, it } from 'vitest';
import { CONFIGS, SIZES, randomData } from '../helpers.js';

/** Σ max(z,0) − z·y + log1p(exp(−|z|)), term by term in float64 */
function reference(z: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < z.length; i++) {
    const v = z[i];
    s += (v > 0 ? v : 0) - v * y[i] + Math.log1p(Math.exp(-Math.abs(v)));
  }
  return s;
}

describe.each(CONFIGS)('sigmoidCrossEntropy on $label', ({ make, dtype }) => {
  it('matches a float64 loop on every size, labels 0, 1 and in between', async () => {
    const be = await make();
    for (const cols of SIZES) {
      for (const rows of [1, 3]) {
        const n = rows * cols;
        const zd = randomData(n, 7 * cols + rows, dtype, -40, 40);
        const yd = randomData(n, 7 * cols + rows + 1, dtype, 0, 1).map((v, i) => (i % 3 === 2 ? v : Math.round(v)));
        const z = be.tensor({ rows, cols, data: zd });
        const y = be.tensor({ rows, cols, data: yd });
        const ref = reference(zd, yd);
        // computed in float64 from the stored values whatever the dtype: only the summation
        // order and exp/log1p's last bits differ
        expect(Math.abs(be.sigmoidCrossEntropy(z, y) - ref) / ref, `${rows}×${cols}`).toBeLessThanOrEqual(1e-14);
        z.dispose();
        y.dispose();
      }
    }
    expect(be.memory().tensors).toBe(0);
  });

  it('each term is accurate from tiny to huge logits, and NaN stays NaN', async () => {
    const be = await make();
    const zs: number[] = [0, -0, 1e-300, -1e-300, 36.7, -36.7, 700, -700, 745, -745, 1e30, -1e30];
    for (let v = -50; v <= 50; v += 0.0137) zs.push(v);
    for (let p = -20; p <= 2.5; p += 0.05) zs.push(10 ** p, -(10 ** p));
    const data = dtype === 'float64' ? Float64Array.from(zs) : Float32Array.from(zs);
    const zt = be.tensor({ rows: data.length, cols: 1, data });
    for (const label of [0, 1]) {
      // each value three times (two SIMD lanes and the scalar remainder), and all at once
      let worst = 0;
      for (const v of data) {
        const ref = 3 * reference([v], [label]);
        const got = be.sigmoidCrossEntropy([[v, v, v]], [[label, label, label]]);
        // where the term is 0 (a huge logit on the right side), it must be exactly 0
        worst = Math.max(worst, ref === 0 ? Math.abs(got) : Math.abs(got - ref) / ref);
      }
      expect(worst, `label ${label}`).toBeLessThanOrEqual(2e-15);
      const labels = be.tensor({ rows: data.length, cols: 1, data: new Float64Array(data.length).fill(label) });
      const ref = reference(data, new Float64Array(data.length).fill(label));
      expect(Math.abs(be.sigmoidCrossEntropy(zt, labels) - ref) / ref).toBeLessThanOrEqual(1e-14);
      labels.dispose();
    }
    const withNaN = be.tensor([[1, NaN, 3]]);
    expect(be.sigmoidCrossEntropy(withNaN, [[1, 0, 1]])).toBeNaN();
    expect(be.sigmoidCrossEntropy([[1, 2, 3]], [[1, NaN, 1]])).toBeNaN();
    withNaN.dispose();
    zt.dispose();
    expect(be.memory().tensors).toBe(0);
  });

  it('names the shapes when they differ', async () => {
    const be = await make();
    expect(() => be.sigmoidCrossEntropy([[1, 2, 3]], [[1, 0]])).toThrow(
      /sigmoidCrossEntropy: z \[1×3\] and y \[1×2\] must have the same shape/,
    );
    expect(be.memory().tensors).toBe(0);
  });
});
