// dl.randomSearch end to end on a small problem, on both backends: seeded draws, ranking,
// coarse-to-fine narrowing, stopping (onTrial, AbortSignal), failed trials, memory, bad options.
import { describe, expect, it } from 'vitest';
import * as dl from '../../src/index.js';

const data = dl.datasets.moons({ samples: 120, noise: 0.2, seed: 2 });
const val = dl.datasets.moons({ samples: 60, noise: 0.2, seed: 5 });

function search(backend: dl.Backend, extra: Partial<dl.SearchOptions> = {}) {
  return dl.randomSearch({
    space: {
      learningRate: dl.logUniform(1e-3, 1),
      beta: dl.oneMinusLogUniform(0.8, 0.99),
      hidden: dl.choice([3, 6, 12]),
    },
    trials: 5,
    seed: 4,
    x: data.x,
    y: data.y,
    build: (s) =>
      dl.sequential([dl.dense(s.hidden as number), dl.relu(), dl.dense(1), dl.sigmoid()], {
        inputSize: 2,
        backend,
        seed: 1,
      }),
    fit: (s) => ({
      loss: 'binaryCrossEntropy',
      optimizer: dl.momentum({ learningRate: s.learningRate as number, beta: s.beta as number }),
      epochs: 8,
      batchSize: 32,
      validationData: val,
    }),
    ...extra,
  });
}

describe.each(['js', 'wasm'] as const)('randomSearch on %s', (name) => {
  it('the same seed draws the same trials and scores; the ranking is by valLoss, lowest first', async () => {
    const backend = await dl.createBackend(name, { dtype: 'float64' });
    const before = backend.memory();
    const a = await search(backend);
    const b = await search(backend);
    expect(backend.memory()).toEqual(before); // every trial's model disposed
    expect(a.trials.map((t) => t.settings)).toEqual(b.trials.map((t) => t.settings));
    expect(a.trials.map((t) => t.score)).toEqual(b.trials.map((t) => t.score));
    const c = await search(backend, { seed: 5 });
    expect(c.trials.map((t) => t.settings)).not.toEqual(a.trials.map((t) => t.settings));
    for (const t of a.trials) {
      expect(t.history!.epochs).toBe(8);
      expect(t.score).toBe(t.history!.valLoss!.at(-1));
      expect(t.settings.learningRate).toBeGreaterThanOrEqual(1e-3);
      expect(t.settings.learningRate).toBeLessThanOrEqual(1);
    }
    const scores = a.ranked.map((t) => t.score);
    expect(scores).toEqual([...scores].sort((p, q) => p - q));
    expect(a.best).toBe(a.ranked[0]);
    expect(a.stopped).toBe(false);
    // valAccuracy ranks highest first
    const acc = await search(backend, { metric: 'valAccuracy' });
    const accs = acc.ranked.map((t) => t.score);
    expect(accs).toEqual([...accs].sort((p, q) => q - p));
  });

  it('coarse to fine: round 2 draws only within what the best 3 of round 1 span', async () => {
    const backend = await dl.createBackend(name, { dtype: 'float64' });
    const r = await search(backend, { rounds: 2, keep: 3, trials: 6 });
    expect(r.trials).toHaveLength(12);
    const best3 = [...r.trials.slice(0, 6)].sort((p, q) => p.score - q.score).slice(0, 3);
    const span = (k: string) => best3.map((t) => t.settings[k] as number);
    expect(r.spaces[1].learningRate.range).toEqual([
      Math.min(...span('learningRate')),
      Math.max(...span('learningRate')),
    ]);
    for (const t of r.trials.slice(6)) {
      expect(t.round).toBe(1);
      for (const k of ['learningRate', 'beta']) {
        expect(t.settings[k]).toBeGreaterThanOrEqual(Math.min(...span(k)));
        expect(t.settings[k]).toBeLessThanOrEqual(Math.max(...span(k)));
      }
      expect(span('hidden')).toContain(t.settings.hidden);
    }
  });

  it('stops when onTrial says false, or within a trial when the signal is aborted', async () => {
    const backend = await dl.createBackend(name, { dtype: 'float64' });
    const seen: number[] = [];
    const r = await search(backend, {
      onTrial: async (t, p) => {
        seen.push(p.done);
        return t.index < 1;
      },
    });
    expect(seen).toEqual([1, 2]);
    expect(r.trials).toHaveLength(2);
    expect(r.stopped).toBe(true);

    const controller = new AbortController();
    let epochs = 0;
    const before = backend.memory();
    const s = await search(backend, {
      signal: controller.signal,
      fit: () => ({
        loss: 'binaryCrossEntropy',
        epochs: 50,
        batchSize: 30,
        validationData: val,
        onEpochEnd: (epoch) => {
          epochs++;
          if (epoch === 2) controller.abort();
        },
      }),
    });
    expect(s.trials).toHaveLength(1);
    expect(s.trials[0].history!.stopped).toBe(true);
    expect(epochs).toBe(3);
    expect(s.stopped).toBe(true);
    expect(backend.memory()).toEqual(before);
  });

  it('a trial that diverges is recorded (its error, score NaN) and ranked last; the search goes on', async () => {
    const backend = await dl.createBackend(name, { dtype: 'float64' });
    const r = await search(backend, {
      space: { learningRate: dl.choice([0.1, 1e300]) },
      trials: 6,
      build: () => dl.sequential([dl.dense(4), dl.relu(), dl.dense(1), dl.sigmoid()], { inputSize: 2, backend }),
      fit: (s) => ({
        loss: 'binaryCrossEntropy',
        optimizer: dl.sgd({ learningRate: s.learningRate as number }),
        epochs: 3,
        validationData: val,
      }),
    });
    const failed = r.trials.filter((t) => t.error);
    expect(failed.length).toBeGreaterThan(0);
    for (const t of failed) {
      expect(t.settings.learningRate).toBe(1e300);
      expect(t.score).toBeNaN();
      expect(t.error).toMatch(/diverged/);
    }
    expect(r.ranked.slice(-failed.length).every((t) => t.error)).toBe(true);
    expect(r.best!.settings.learningRate).toBe(0.1);
  });
});

describe('randomSearch refuses bad options, naming them, before training anything', () => {
  it('each one', async () => {
    const backend = await dl.createBackend('js');
    const before = backend.memory();
    const bad: [Partial<dl.SearchOptions> & Record<string, unknown>, RegExp][] = [
      [{ trails: 3 }, /^randomSearch: unknown option "trails"; did you mean "trials"\?/],
      [{ space: { lr: 0.1 as unknown as dl.Sampler } }, /^randomSearch: space\.lr is 0\.1, not a sampler/],
      [{ space: {} }, /^randomSearch: space is empty/],
      [{ trials: 0 }, /^randomSearch: trials must be an integer ≥ 1, got 0/],
      [{ metric: 'auc' as dl.SearchMetric }, /^randomSearch: metric must be one of valLoss/],
      [{ rounds: 2, keep: 9 }, /^randomSearch: keep \(9\) must be at most trials \(5\)/],
      [{ keep: 1 }, /^randomSearch: keep must be an integer ≥ 2/],
      [{ signal: {} as AbortSignal }, /^randomSearch: signal must be an AbortSignal/],
      [{ build: (() => 3) as unknown as dl.SearchOptions['build'] }, /^randomSearch: build returned 3, not a model/],
      [
        { fit: () => ({ loss: 'binaryCrossEntropy', epochs: 1 }) },
        /^randomSearch: metric 'valLoss' needs validationData or validationSplit/,
      ],
      [
        { fit: () => ({ loss: 'binaryCrossEntropy', epochs: 1, validationData: val, epoch: 3 }) as dl.FitOptions },
        /^fitAsync: unknown option "epoch"/,
      ],
    ];
    for (const [extra, message] of bad) await expect(search(backend, extra)).rejects.toThrow(message);
    await expect(dl.randomSearch(undefined as unknown as dl.SearchOptions)).rejects.toThrow(
      /^randomSearch: options are required/,
    );
    expect(backend.memory()).toEqual(before);
  });
});
