// dl.inspect and fit's inspectEvery on every backend and dtype: each figure against an
// independent float64 forward and backward pass written here, and the lessons as measurements:
// zeros → symmetry, random ×10 → a saturated output, a deep sigmoid stack → vanishing gradients,
// ReLU with He → level, ReLU with ×10 weights → exploding.
import { describe, expect, it } from 'vitest';
import {
  datasets,
  dense,
  dropout,
  inspect,
  relu,
  sequential,
  sigmoid,
  softmax,
  tanh,
  type Inspection,
  type Layer,
  type Sequential,
} from '../../src/index.js';
import { CONFIGS } from '../helpers.js';

type Act = 'relu' | 'sigmoid' | 'tanh' | 'softmax' | null;

/** float64 forward and backward of [dense, act]* with these weights: the figures inspect reports */
function reference(
  model: Sequential,
  X: number[][],
  Y: number[][],
  lossName: 'binaryCrossEntropy' | 'categoricalCrossEntropy',
) {
  const w = model.getWeights();
  const dens: { W: number[][]; b: number[]; act: Act; name: string }[] = [];
  let k = 0;
  model.layers.forEach((l, i) => {
    if (l.type !== 'dense') return;
    const W = w[k++],
      b = w[k++];
    const units = W.shape[0],
      inputs = W.shape[1];
    const next = model.layers[i + 1]?.type === 'dropout' ? model.layers[i + 2] : model.layers[i + 1];
    dens.push({
      name: l.name,
      W: Array.from({ length: units }, (_, r) => Array.from(W.data.subarray(r * inputs, (r + 1) * inputs))),
      b: Array.from(b.data),
      act: (next?.type ?? null) as Act,
    });
  });
  const m = X.length;
  const f = (act: Act, z: number) =>
    act === 'relu' ? Math.max(0, z) : act === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : act === 'tanh' ? Math.tanh(z) : z;
  const As: number[][][] = [X],
    Zs: number[][][] = [];
  for (const d of dens) {
    const A = As[As.length - 1];
    const Z = A.map((row) => d.W.map((wr, u) => wr.reduce((s, v, j) => s + v * row[j], d.b[u])));
    Zs.push(Z);
    As.push(
      d.act === 'softmax'
        ? Z.map((z) => {
            const mx = Math.max(...z);
            const e = z.map((v) => Math.exp(v - mx));
            const s = e.reduce((a, b) => a + b);
            return e.map((v) => v / s);
          })
        : Z.map((z) => z.map((v) => f(d.act, v))),
    );
  }
  const out = As[As.length - 1],
    logits = Zs[Zs.length - 1];
  // from the logits, as a saturated output has log(0) otherwise
  let cost = 0;
  for (let r = 0; r < m; r++) {
    const z = logits[r];
    if (lossName === 'binaryCrossEntropy')
      cost += Math.max(z[0], 0) - z[0] * Y[r][0] + Math.log1p(Math.exp(-Math.abs(z[0])));
    else {
      const mx = Math.max(...z);
      const lse = mx + Math.log(z.reduce((s, v) => s + Math.exp(v - mx), 0));
      z.forEach((v, j) => {
        cost -= Y[r][j] * (v - lse);
      });
    }
  }
  cost /= m;
  // dZ of the last layer: (A − Y)/m for both losses with their activations
  let dZ = out.map((row, r) => row.map((a, j) => (a - Y[r][j]) / m));
  const grads: number[][][] = [];
  for (let l = dens.length - 1; l >= 0; l--) {
    const A = As[l];
    grads[l] = dens[l].W.map((_, u) => A[0].map((__, j) => dZ.reduce((s, row, r) => s + row[u] * A[r][j], 0)));
    if (l === 0) break;
    const prev = dens[l - 1];
    const dA = dZ.map((row) => A[0].map((_, j) => row.reduce((s, g, u) => s + g * dens[l].W[u][j], 0)));
    dZ = dA.map((row, r) =>
      row.map((g, j) => {
        const a = As[l][r][j];
        return (
          g *
          (prev.act === 'relu'
            ? Zs[l - 1][r][j] > 0
              ? 1
              : 0
            : prev.act === 'sigmoid'
              ? a * (1 - a)
              : prev.act === 'tanh'
                ? 1 - a * a
                : 1)
        );
      }),
    );
  }
  const norm = (M: number[][]) => Math.sqrt(M.flat().reduce((s, v) => s + v * v, 0));
  const layers = dens.map((d, l) => {
    const keys = new Set(d.W.map((row, u) => JSON.stringify([row, d.b[u]])));
    const a = As[l + 1],
      flat = a.flat();
    const mean = flat.reduce((s, v) => s + v, 0) / flat.length;
    const std = Math.sqrt(flat.reduce((s, v) => s + (v - mean) ** 2, 0) / flat.length);
    const saturated =
      d.act === 'sigmoid'
        ? flat.filter((v) => v < 0.01 || v > 0.99).length / flat.length
        : d.act === 'tanh'
          ? flat.filter((v) => Math.abs(v) > 0.99).length / flat.length
          : d.act === 'softmax'
            ? a.filter((row) => Math.max(...row) > 0.99).length / a.length
            : null;
    const dead = d.act === 'relu' ? d.W.filter((_, u) => a.every((row) => row[u] === 0)).length / d.W.length : null;
    return {
      name: d.name,
      units: d.W.length,
      weightNorm: norm(d.W),
      gradientNorm: norm(grads[l]),
      distinctUnits: keys.size,
      activation: d.act ? { name: d.act, mean, std, saturated, dead } : null,
    };
  });
  return { loss: cost, layers };
}

/** inspect's figures equal the reference's: relative tol for norms and moments, exact for counts */
function expectMatches(got: Inspection, want: ReturnType<typeof reference>, tol: number): void {
  const close = (a: number, b: number, what: string) =>
    expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(tol * Math.max(Math.abs(b), 1e-300) + 1e-300);
  close(got.loss, want.loss, 'loss');
  expect(got.layers.map((l) => l.name)).toEqual(want.layers.map((l) => l.name));
  got.layers.forEach((g, i) => {
    const w = want.layers[i];
    expect(g.units).toBe(w.units);
    expect(g.distinctUnits, `${g.name} distinctUnits`).toBe(w.distinctUnits);
    close(g.weightNorm, w.weightNorm, `${g.name} weightNorm`);
    if (w.gradientNorm === 0) expect(g.gradientNorm).toBe(0);
    else close(g.gradientNorm, w.gradientNorm, `${g.name} gradientNorm`);
    if (!w.activation) {
      expect(g.activation).toBeNull();
      return;
    }
    expect(g.activation!.name).toBe(w.activation.name);
    close(g.activation!.mean, w.activation.mean, `${g.name} mean`);
    // a spread far below the mean's rounding is rounding in float32
    expect(Math.abs(g.activation!.std - w.activation.std), `${g.name} std`).toBeLessThanOrEqual(
      tol * Math.max(w.activation.std, Math.abs(w.activation.mean) * (tol > 1e-6 ? 1e-3 : 0)) + 1e-300,
    );
    // fractions: a value on a threshold may round either way in float32
    for (const k of ['saturated', 'dead'] as const) {
      if (w.activation[k] === null) expect(g.activation![k]).toBeNull();
      else
        expect(Math.abs(g.activation![k]! - w.activation[k]!), `${g.name} ${k}`).toBeLessThanOrEqual(
          tol > 1e-6 ? 0.02 : 0,
        );
    }
  });
}

const circles = datasets.circles({ samples: 120, noise: 0.08, seed: 2 });
const rowsOf = (m: { rows: number; cols: number; data: ArrayLike<number> }) =>
  Array.from({ length: m.rows }, (_, r) => Array.from({ length: m.cols }, (_, j) => m.data[r * m.cols + j]));
const X = rowsOf(circles.x as never),
  Y = rowsOf(circles.y as never);
const deep = (n: number, act: () => Layer, init: 'he' | 'xavier' | 'random', scale?: number): Layer[] => [
  ...Array.from({ length: n }, () => [dense(16, { init, ...(scale ? { scale } : {}) }), act()]).flat(),
  dense(1, { init, ...(scale ? { scale } : {}) }),
  sigmoid(),
];

describe.each(CONFIGS)('inspect on $label', ({ make, dtype }) => {
  const tol = dtype === 'float64' ? 1e-9 : 2e-4;

  it('every figure matches an independent float64 pass; weights, step and memory untouched', async () => {
    const backend = await make();
    const model = sequential(
      [dense(7), tanh(), dropout(0.3), dense(5, { init: 'random', scale: 3 }), relu(), dense(3), softmax()],
      { inputSize: 2, backend, seed: 4 },
    );
    const labels = Y.map((r) => [r[0], 1 - r[0], 0]);
    const weights = model.getWeights(),
      mem = backend.memory();
    const got = inspect(model, X, labels, { loss: 'categoricalCrossEntropy' });
    expectMatches(got, reference(model, X, labels, 'categoricalCrossEntropy'), tol);
    expect(model.getWeights()).toEqual(weights);
    expect(model.step).toBe(0);
    // the model's buffers for this row count are kept (bounded); a second call adds nothing
    const after = backend.memory();
    inspect(model, X, labels, { loss: 'categoricalCrossEntropy' });
    expect(backend.memory()).toEqual(after);
    expect(after.tensors).toBeGreaterThanOrEqual(mem.tensors);
    expect(() => inspect(model, X, labels, { loss: 'categoricalCrossEntropy', L2: 1 } as never)).toThrow(
      /inspect: unknown option "L2"; did you mean "l2"\?/,
    );
    expect(() => inspect(model, X, labels, { loss: 'binaryCrossEntropy' })).toThrow(/binaryCrossEntropy/);
  });

  it('zeros: every unit of a layer is the same (distinctUnits 1) and the first layer gets no gradient, before and after training', async () => {
    const backend = await make();
    // the course's Initialization net: [2, 10, 5, 1], ReLU, ReLU, sigmoid
    const model = sequential(
      [
        dense(10, { init: 'zeros' }),
        relu(),
        dense(5, { init: 'zeros' }),
        relu(),
        dense(1, { init: 'zeros' }),
        sigmoid(),
      ],
      { inputSize: 2, backend, seed: 3 },
    );
    const h = model.fit(X, Y, { loss: 'binaryCrossEntropy', epochs: 50, inspectEvery: 25 });
    expect(h.inspect!.map((s) => s.epoch)).toEqual([0, 25, 50]);
    for (const s of h.inspect!) {
      expect(s.layers.slice(0, 2).map((l) => l.distinctUnits)).toEqual([1, 1]);
      expect(s.layers[0].gradientNorm).toBe(0);
      expect(s.loss).toBeCloseTo(Math.LN2, 6);
    }
    expectMatches(h.inspect![2], reference(model, X, Y, 'binaryCrossEntropy'), tol);
  });

  it('random ×10: the output sigmoid is mostly saturated; He: it is not', async () => {
    const backend = await make();
    const big = sequential(
      [
        dense(10, { init: 'random', scale: 10 }),
        relu(),
        dense(5, { init: 'random', scale: 10 }),
        relu(),
        dense(1, { init: 'random', scale: 10 }),
        sigmoid(),
      ],
      { inputSize: 2, backend, seed: 3 },
    );
    const he = sequential([dense(10), relu(), dense(5), relu(), dense(1), sigmoid()], {
      inputSize: 2,
      backend,
      seed: 3,
    });
    const a = inspect(big, X, Y, { loss: 'binaryCrossEntropy' }),
      b = inspect(he, X, Y, { loss: 'binaryCrossEntropy' });
    expectMatches(a, reference(big, X, Y, 'binaryCrossEntropy'), tol);
    expectMatches(b, reference(he, X, Y, 'binaryCrossEntropy'), tol);
    expect(a.layers[2].activation!.saturated!).toBeGreaterThan(0.5);
    expect(b.layers[2].activation!.saturated!).toBeLessThan(0.1);
  });

  it('depth: sigmoid ×10 layers vanishes toward the input; ReLU with He stays level; ReLU with ×10 weights explodes', async () => {
    const backend = await make();
    const sig = sequential(deep(10, sigmoid, 'xavier'), { inputSize: 2, backend, seed: 1 });
    const heNet = sequential(deep(10, relu, 'he'), { inputSize: 2, backend, seed: 1 });
    const boom = sequential(deep(10, relu, 'random', 10), { inputSize: 2, backend, seed: 1 });
    const [s, h, e] = [sig, heNet, boom].map((m) => {
      const got = inspect(m, X, Y, { loss: 'binaryCrossEntropy' });
      expectMatches(got, reference(m, X, Y, 'binaryCrossEntropy'), tol);
      return got.layers.map((l) => l.gradientNorm);
    });
    expect(s[0] / s[9]).toBeLessThan(1e-2); // first hidden layer's gradient orders of magnitude below the last's
    expect(h[0] / h[9]).toBeGreaterThan(0.1);
    expect(h[0] / h[9]).toBeLessThan(10);
    for (let l = 0; l < 11; l++) expect(e[l] / h[l]).toBeGreaterThan(1e6); // every layer's gradient blown up
  });
});
