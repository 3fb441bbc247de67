// What a training loop is expected to report and let you steer: fitAsync, stopping from a
// callback, validation figures, per-epoch accuracy, early stopping, schedules, verbose.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  datasets,
  dense,
  earlyStopping,
  exponentialDecay,
  inverseTimeDecay,
  momentum,
  relu,
  sequential,
  sgd,
  sigmoid,
  stepDecay,
  tanh,
  type Backend,
} from '../../src/index.js';
import { CONFIGS } from '../helpers.js';

const { x, y } = datasets.moons({ samples: 60, noise: 0.1, seed: 2 });
const net = (backend: Backend, seed = 7) =>
  sequential([dense(8), relu(), dense(4, { init: 'xavier' }), tanh(), dense(1), sigmoid()], {
    inputSize: 2,
    backend,
    seed,
  });
const opts = { loss: 'binaryCrossEntropy' as const, epochs: 12, batchSize: 16 };

/** rows [from, to) of a dataset, for an independent evaluate */
const rows = (from: number, to: number) => ({
  x: { rows: to - from, cols: 2, data: x.data.slice(from * 2, to * 2) },
  y: { rows: to - from, cols: 1, data: y.data.slice(from, to) },
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(CONFIGS)('fit and fitAsync on $label', ({ make }) => {
  it('fitAsync gives exactly what fit gives, and lets the event loop run between batches', async () => {
    const a = net(await make()),
      b = net(await make());
    const ha = a.fit(x, y, { ...opts, optimizer: momentum({ learningRate: 0.1 }) });
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
    }, 0);
    const hb = await b.fitAsync(x, y, {
      ...opts,
      epochs: 300,
      optimizer: momentum({ learningRate: 0.1 }),
      onEpochEnd: async (e) => {
        if (e === 11) return false;
      },
    });
    clearInterval(timer);
    expect(hb.epochs).toBe(12);
    expect(hb.stopped).toBe(true);
    expect({ ...hb, stopped: false }).toEqual({ ...ha, stopped: false });
    expect(b.getWeights()).toEqual(a.getWeights());
    expect(ha.accuracy!.length).toBe(12);
    void ticks; // how often the timer ran depends on the machine's speed; a browser test measures long tasks
  });

  it('false from onBatchEnd stops after that batch; from onEpochEnd after that epoch (in fit too)', async () => {
    const m = net(await make());
    const seen: number[] = [];
    const h = m.fit(x, y, {
      ...opts,
      onBatchEnd: (b, l) => {
        seen.push(l.epoch * 10 + b);
        return !(l.epoch === 2 && b === 1) && undefined;
      },
    });
    expect(h.stopped).toBe(true);
    expect(h.epochs).toBe(3);
    expect(seen.at(-1)).toBe(21);
    expect(m.step).toBe(2 * 4 + 2);
    const h2 = m.fit(x, y, { ...opts, onEpochEnd: (e) => (e === 4 ? false : undefined) });
    expect(h2.epochs).toBe(5);
    expect(h2.loss.length).toBe(5);
  });

  it('validationSplit holds out the last rows; its figures equal evaluate on them', async () => {
    const m = net(await make());
    const trained: number[][] = [];
    const h = m.fit(x, y, {
      ...opts,
      validationSplit: 0.25,
      onEpochEnd: (_e, logs) => {
        trained.push([logs.valLoss!, logs.valAccuracy!]);
      },
    });
    const held = rows(45, 60);
    const ev = m.evaluate(held.x, held.y);
    expect(h.valLoss!.at(-1)).toBe(ev.loss);
    expect(h.valAccuracy!.at(-1)).toBe(ev.accuracy);
    expect(trained.at(-1)).toEqual([ev.loss, ev.accuracy]);
    // the training part is the first 45 rows: the same run on them alone
    const twin = net(await make());
    const ht = twin.fit(rows(0, 45).x, rows(0, 45).y, opts);
    expect(ht.loss).toEqual(h.loss);
    // validationData works the same way
    const v = net(await make());
    const hv = v.fit(rows(0, 45).x, rows(0, 45).y, { ...opts, validationData: held });
    expect(hv.valLoss).toEqual(h.valLoss);
  });

  it("history.accuracy is the accuracy of each epoch's forward passes (full batch: the weights at its start)", async () => {
    const m = net(await make());
    const expected: number[] = [];
    const h = m.fit(x, y, {
      loss: 'binaryCrossEntropy',
      epochs: 5,
      optimizer: sgd({ learningRate: 0.5 }),
      callbacks: [
        {
          onEpochBegin: () => {
            expected.push(m.evaluate(x, y).accuracy);
          },
        },
      ],
    });
    expect(h.accuracy).toEqual(expected);
  });

  it("earlyStopping stops when valLoss stops improving and restoreBest puts back the best epoch's weights exactly", async () => {
    const m = net(await make());
    const weights: ReturnType<typeof m.getWeights>[] = [];
    const es = earlyStopping({ monitor: 'valLoss', patience: 3, restoreBest: true });
    // a learning rate that overshoots after a few epochs
    const h = m.fit(x, y, {
      loss: 'binaryCrossEntropy',
      epochs: 400,
      optimizer: sgd({ learningRate: 2 }),
      validationSplit: 0.3,
      callbacks: [
        es,
        {
          onEpochEnd: () => {
            weights.push(m.getWeights());
          },
        },
      ],
    });
    const best = h.valLoss!.indexOf(Math.min(...h.valLoss!));
    expect(es.bestEpoch).toBe(best);
    expect(h.stopped).toBe(true);
    expect(h.epochs).toBe(best + 1 + 3);
    expect(m.getWeights()).toEqual(weights[best]);
    // monitor 'loss': the loss of an epoch is measured at the weights of its start
    const m2 = net(await make());
    const starts: ReturnType<typeof m.getWeights>[] = [];
    const es2 = earlyStopping({ monitor: 'loss', patience: 2, restoreBest: true, minDelta: 1e-3 });
    const h2 = m2.fit(x, y, {
      loss: 'binaryCrossEntropy',
      epochs: 400,
      optimizer: sgd({ learningRate: 2 }),
      callbacks: [
        {
          onEpochBegin: () => {
            starts.push(m2.getWeights());
          },
        },
        es2,
      ],
    });
    expect(h2.stopped).toBe(true);
    expect(m2.getWeights()).toEqual(starts[es2.bestEpoch]);
    expect(() => m2.fit(x, y, { loss: 'binaryCrossEntropy', callbacks: [earlyStopping()] })).toThrow(
      'fit: earlyStopping monitors valLoss, which needs validationSplit or validationData',
    );
    expect(() => earlyStopping({ patience: -1 })).toThrow('earlyStopping: patience must be an integer ≥ 0, got -1');
    expect(() => earlyStopping({ monitor: 'val_loss' as 'loss' })).toThrow(/monitor must be 'valLoss' or 'loss'/);
  });

  it("schedules: the rate of each epoch is the formula's, and training with one equals epochs at those rates", async () => {
    const course = inverseTimeDecay({ initial: 0.5, decay: 1 }); // the course's update_lr
    const stepped = inverseTimeDecay({ initial: 0.5, decay: 0.3, every: 2 }); // schedule_lr_decay
    const exp = exponentialDecay({ initial: 0.4, rate: 0.5, every: 2 });
    const stair = exponentialDecay({ initial: 0.4, rate: 0.5, every: 2, staircase: true });
    const step = stepDecay({ initial: 0.8, every: 3, factor: 0.1 });
    const refs: [typeof course, (e: number) => number][] = [
      [course, (e) => 0.5 / (1 + e)],
      [stepped, (e) => 0.5 / (1 + 0.3 * Math.floor(e / 2))],
      [exp, (e) => 0.4 * 0.5 ** (e / 2)],
      [stair, (e) => 0.4 * 0.5 ** Math.floor(e / 2)],
      [step, (e) => 0.8 * 0.1 ** Math.floor(e / 3)],
    ];
    for (const [schedule, ref] of refs) {
      const m = net(await make());
      // full batch: one fit per epoch then sees the same examples in the same order
      const h = m.fit(x, y, { loss: 'binaryCrossEntropy', epochs: 7, optimizer: sgd({ learningRate: schedule }) });
      h.learningRate.forEach((lr, e) => expect(lr).toBeCloseTo(ref(e), 15));
      const twin = net(await make());
      // the same optimizer state (sgd has none) at each epoch's own rate
      h.learningRate.forEach((lr) =>
        twin.fit(x, y, { loss: 'binaryCrossEntropy', optimizer: sgd({ learningRate: lr }) }),
      );
      expect(twin.getWeights()).toEqual(m.getWeights());
    }
    // reusing the optimizer continues its schedule
    const o = sgd({ learningRate: course });
    const m = net(await make());
    m.fit(x, y, { ...opts, epochs: 3, optimizer: o });
    expect(m.fit(x, y, { ...opts, epochs: 1, optimizer: o }).learningRate[0]).toBe(0.5 / 4);
    expect(() => stepDecay({ initial: 0.1 } as never)).toThrow('stepDecay: every is required');
    expect(() => exponentialDecay({ initial: 0.1, rate: 2 })).toThrow(
      'exponentialDecay: rate must be a finite number > 0 and ≤ 1, got 2',
    );
  });

  it('verbose: 1 prints one line per epoch where stdout is not a terminal', async () => {
    const m = net(await make());
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((s: string) => {
      lines.push(s);
    });
    m.fit(x, y, { ...opts, epochs: 3, verbose: 1, validationSplit: 0.2 });
    expect(lines.length).toBe(3);
    expect(lines[2]).toMatch(
      /^epoch 3\/3 · loss \d\.\d{4} · accuracy \d\.\d{4} · valLoss \d\.\d{4} · valAccuracy \d\.\d{4} · \d+\.\d ms\/epoch$/,
    );
  });
});
