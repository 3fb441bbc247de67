// Datasets against scikit-learn's published output and their defining properties.
import { describe, expect, it } from 'vitest';
import { datasets } from '../../src/index.js';

describe('datasets', () => {
  it("circles(seed 1) begins with scikit-learn's make_circles rows and labels", () => {
    const { x, y } = datasets.circles({ samples: 300, noise: 0.05, seed: 1 });
    expect([x.rows, x.cols, y.rows, y.cols]).toEqual([300, 2, 300, 1]);
    const want = [
      -0.07741354010048114, 0.8526022642742742, 0.4318695958480364, -0.8721450395952105, 0.07916502322979652,
      0.8406610985900007,
    ];
    // to the last bits: V8's sin/cos may differ from glibc's by an ulp
    want.forEach((v, i) => expect(Math.abs(x.data[i] - v)).toBeLessThan(1e-15));
    expect(Array.from(y.data.slice(0, 10))).toEqual([1, 0, 1, 1, 0, 0, 1, 0, 1, 1]);
  });

  it('circles without noise lie on the two circles, half and half', () => {
    const { x, y } = datasets.circles({ samples: 101, factor: 0.5, seed: 7 });
    let inner = 0;
    for (let i = 0; i < 101; i++) {
      const r = Math.hypot(x.data[2 * i], x.data[2 * i + 1]);
      expect(r).toBeCloseTo(y.data[i] === 1 ? 0.5 : 1, 12);
      inner += y.data[i];
    }
    expect(inner).toBe(51);
  });

  it('moons without noise lie on the two half circles', () => {
    const { x, y } = datasets.moons({ samples: 50, seed: 3 });
    for (let i = 0; i < 50; i++) {
      const [a, b] = [x.data[2 * i], x.data[2 * i + 1]];
      const r = y.data[i] === 0 ? Math.hypot(a, b) : Math.hypot(a - 1, b - 0.5);
      expect(r).toBeCloseTo(1, 12);
    }
  });

  it('spirals and blobs have every class, same seed same data', () => {
    const s = datasets.spirals({ samples: 300, classes: 3, seed: 1 });
    expect(new Set(s.y.data).size).toBe(3);
    expect(Array.from(datasets.spirals({ samples: 300, classes: 3, seed: 1 }).x.data)).toEqual(Array.from(s.x.data));
    const b = datasets.blobs({ samples: 90, centers: 3, std: 0.1, seed: 2 });
    expect(new Set(b.y.data).size).toBe(3);
  });

  it('trainTestSplit partitions the rows', () => {
    const d = datasets.circles({ samples: 100, seed: 1 });
    const { train, test } = datasets.trainTestSplit(d, { testFraction: 0.2, seed: 5 });
    expect([train.x.rows, test.x.rows]).toEqual([80, 20]);
    const key = (x: Float64Array | Float32Array, i: number) => `${x[2 * i]},${x[2 * i + 1]}`;
    const all = new Set([
      ...Array.from({ length: 80 }, (_, i) => key(train.x.data, i)),
      ...Array.from({ length: 20 }, (_, i) => key(test.x.data, i)),
    ]);
    expect(all.size).toBe(100);
    expect(() => datasets.trainTestSplit(d, { testFraction: 1 })).toThrow(
      /trainTestSplit: testFraction must be a finite number > 0 and < 1, got 1/,
    );
  });

  it("football: the regularization lesson's 211 + 200 points", () => {
    const { train, test } = datasets.football();
    expect([train.x.rows, test.x.rows]).toEqual([211, 200]);
    expect(new Set(train.y.data)).toEqual(new Set([0, 1]));
  });

  it('bad options are refused', () => {
    expect(() => datasets.circles({ samples: 0 })).toThrow(/samples must be a positive integer, got 0/);
    expect(() => datasets.circles({ noise: -1 })).toThrow(/noise must be a finite number ≥ 0, got -1/);
  });
});
