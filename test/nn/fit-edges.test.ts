// Edges of fit: history.stopped means a callback stopped training, whichever hook and whenever;
// one callback object cannot serve two fits at once; data sets refuse sizes past their limit.
import { describe, expect, it } from 'vitest';
import * as dl from '../../src/index.js';

const setup = async () => {
  const backend = await dl.createBackend('js');
  const model = dl.sequential([dl.dense(4), dl.tanh(), dl.dense(1), dl.sigmoid()], { inputSize: 2, backend, seed: 1 });
  const { x, y } = dl.datasets.moons({ samples: 40, seed: 1 });
  return { model, x, y };
};

describe('fit edges', () => {
  it('history.stopped is true when a callback stops on the last batch or the last epoch, false when none does', async () => {
    const { model, x, y } = await setup();
    const base = { loss: 'binaryCrossEntropy' as const, epochs: 3, batchSize: 10 };
    expect(model.fit(x, y, base).stopped).toBe(false);
    const lastBatch = model.fit(x, y, {
      ...base,
      onBatchEnd: (b, l) => (l.epoch === 2 && b === 3 ? false : undefined),
    });
    expect([lastBatch.epochs, lastBatch.stopped]).toEqual([3, true]);
    const lastEpoch = model.fit(x, y, { ...base, onEpochEnd: (e) => (e === 2 ? false : undefined) });
    expect([lastEpoch.epochs, lastEpoch.stopped]).toEqual([3, true]);
  });

  it('one callback object given to two fits running at once is refused by the second, naming it', async () => {
    const a = await setup(),
      b = await setup();
    const stop = dl.earlyStopping({ monitor: 'loss', restoreBest: true });
    const opts = { loss: 'binaryCrossEntropy' as const, epochs: 30, batchSize: 5, callbacks: [stop] };
    const first = a.model.fitAsync(a.x, a.y, opts);
    await expect(b.model.fitAsync(b.x, b.y, opts)).rejects.toThrow(
      /^fitAsync: callbacks\[0\] \(earlyStopping\) is in use by another fit that is running/,
    );
    await first;
    // free again once that fit is over
    await expect(b.model.fitAsync(b.x, b.y, opts)).resolves.toBeTruthy();
  });

  it('data sets refuse sample counts past their limit before allocating', () => {
    expect(() => dl.datasets.moons({ samples: 1e9 })).toThrow(
      /^moons: samples must be at most 10000000, got 1000000000/,
    );
    expect(() => dl.datasets.circles({ samples: 2e7 })).toThrow(/^circles: samples must be at most 10000000/);
  });
});
