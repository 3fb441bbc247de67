// batchNorm()'s contract beyond PyTorch's numbers (batchnorm-torch.test.ts): options checked, a
// training batch of one row refused with why, a failed fit puts the running statistics back,
// gradCheck fails a broken backward, inference uses the running statistics, γ and β are not
// L2-penalized, and the summary counts only what trains.
import { describe, expect, it } from 'vitest';
import * as dl from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { CONFIGS, randomData } from '../helpers.js';

const m = 12;
const x = { rows: m, cols: 3, data: randomData(m * 3, 31, 'float64', -2, 2) };
const y = [1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0];
const net = (be: dl.Backend, bn: dl.Layer = dl.batchNorm()) =>
  dl.sequential([dl.dense(5), bn, dl.tanh(), dl.dense(1), dl.sigmoid()], { inputSize: 3, backend: be, seed: 2 });

/** batch norm whose backward forgets the x̂·Σ(dy·x̂) term: gradCheck must catch it */
class BrokenBatchNorm extends dl.BatchNorm {
  override backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    const dx = super.backward(dy, needInputGrad);
    if (dx) dy.backend.scale(dx, 1.05, dx);
    return dx;
  }
}

describe.each(CONFIGS)('batchNorm on $label', ({ make, dtype }) => {
  it('gradCheck passes on a batch-norm net (training statistics) and fails a broken backward', async () => {
    const be = await make();
    const good = dl.gradCheck(net(be), x, y, { loss: 'binaryCrossEntropy' });
    expect(good.passed, `difference ${good.difference}`).toBe(true);
    const bad = dl.gradCheck(net(be, new BrokenBatchNorm()), x, y, { loss: 'binaryCrossEntropy' });
    if (dtype === 'float64') {
      expect(bad.passed).toBe(false);
      expect(bad.worst[0].layer).toBe('dense1');
    }
  });

  it('a failed fit puts the running statistics back; a batch of one row is refused with why', async () => {
    const be = await make();
    const model = net(be);
    model.fit(x, y, { loss: 'binaryCrossEntropy', epochs: 2, batchSize: 4 });
    const before = model.getWeights();
    expect(() =>
      model.fit(x, y, {
        loss: 'binaryCrossEntropy',
        epochs: 3,
        batchSize: 4,
        onBatchEnd: (b) => {
          if (b === 1) throw new Error('stop here');
        },
      }),
    ).toThrow(/^fit: onBatchEnd threw: stop here at epoch 0, batch 1; the model was restored/);
    expect(model.getWeights()).toEqual(before);
    expect(() => model.fit(x, y, { loss: 'binaryCrossEntropy', batchSize: 11 })).toThrow(
      /^fit: batchNorm1: a training batch of 1 row has no variance to normalize by; use batches of 2 rows or more at epoch 0, batch 1/,
    );
    expect(model.getWeights()).toEqual(before);
  });

  it('inference uses the running statistics: the same output for a row alone or in a batch', async () => {
    const be = await make();
    const model = net(be);
    model.fit(x, y, { loss: 'binaryCrossEntropy', epochs: 3, batchSize: 6 });
    const all = model.predict(x).data;
    const one = model.predict([[x.data[3], x.data[4], x.data[5]]]).data;
    expect(Math.abs(one[0] - all[1])).toBeLessThanOrEqual(dtype === 'float64' ? 1e-15 : 1e-6);
  });

  it('L2 leaves γ and β alone; the summary counts γ and β, not the running statistics', async () => {
    const be = await make();
    const model = net(be);
    const params = model.namedParams();
    const bn = params.filter((p) => p.layer.type === 'batchNorm');
    expect(bn.map((p) => [p.param.name, p.param.regularize, p.param.trainable !== false])).toEqual([
      ['gamma', false, true],
      ['beta', false, true],
      ['runningMean', false, false],
      ['runningVar', false, false],
    ]);
    expect(model.summary()).toMatch(/batchNorm1\s+\[batch, 5\]\s+10\n/);
  });
});

describe('batchNorm options', () => {
  it('are checked, unknown keys included', () => {
    expect(() => dl.batchNorm({ momentum: 1.5 })).toThrow(/^batchNorm: momentum must be a finite number ≥ 0 and ≤ 1/);
    expect(() => dl.batchNorm({ epsilon: 0 })).toThrow(/^batchNorm: epsilon must be a finite number > 0/);
    expect(() => dl.batchNorm({ affine: 'yes' as never })).toThrow(/^batchNorm: affine/);
    expect(() => dl.batchNorm({ momentom: 0.1 } as never)).toThrow(/did you mean "momentum"\?/);
  });
});

describe('inspect on a batch-norm net', () => {
  it("reports the mean and std of the layer's inputs and ‖γ‖, ‖β‖, from float64 loops here", async () => {
    const be = await dl.createBackend('js', { dtype: 'float64' });
    const model = net(be);
    model.fit(x, y, { loss: 'binaryCrossEntropy', epochs: 2, batchSize: 4 });
    const r = dl.inspect(model, x, y, { loss: 'binaryCrossEntropy' });
    // the batch norm's input is dense1's output: X·Wᵀ + b, computed here
    const w = Object.fromEntries(model.getWeights().map((p) => [p.name, p.data]));
    const z: number[] = [];
    for (let i = 0; i < m; i++)
      for (let u = 0; u < 5; u++) {
        let s = w['dense1.b'][u];
        for (let j = 0; j < 3; j++) s += x.data[i * 3 + j] * w['dense1.W'][u * 3 + j];
        z.push(s);
      }
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const std = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length);
    const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((a, b) => a + b * b, 0));
    const [b] = r.batchNorms;
    expect(b.name).toBe('batchNorm1');
    expect(Math.abs(b.inputMean - mean)).toBeLessThan(1e-12);
    expect(Math.abs(b.inputStd - std) / std).toBeLessThan(1e-12);
    expect(Math.abs(b.gammaNorm! - norm(w['batchNorm1.gamma']))).toBeLessThan(1e-12);
    expect(Math.abs(b.betaNorm! - norm(w['batchNorm1.beta']))).toBeLessThan(1e-12);
    expect(r.layers[0].activation?.name).toBe('tanh');
  });
});

describe('batch norm beside dropout', () => {
  it.each(['before', 'after'] as const)(
    'dropout %s it: trains, and gradCheck passes with the mask held',
    async (where) => {
      const be = await dl.createBackend('wasm', { dtype: 'float64' });
      const mid = where === 'before' ? [dl.dropout(0.3), dl.batchNorm()] : [dl.batchNorm(), dl.dropout(0.3)];
      const model = dl.sequential([dl.dense(6), ...mid, dl.tanh(), dl.dense(1), dl.sigmoid()], {
        inputSize: 3,
        backend: be,
        seed: 8,
      });
      model.step = 3; // a step whose mask drops units
      const g = dl.gradCheck(model, x, y, { loss: 'binaryCrossEntropy' });
      expect(g.passed, `difference ${g.difference}`).toBe(true);
      const h = model.fit(x, y, {
        loss: 'binaryCrossEntropy',
        epochs: 40,
        batchSize: 6,
        optimizer: dl.adam({ learningRate: 0.05 }),
      });
      expect(h.loss[h.loss.length - 1]).toBeLessThan(h.loss[0]);
      be.dispose();
    },
  );
});
