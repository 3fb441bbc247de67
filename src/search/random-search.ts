// dl.randomSearch: the course's advice on tuning, as a function. Draw each trial's settings at
// random (not on a grid: every trial tries a new value of every hyperparameter), train it, rank
// the trials by a validation figure, and optionally zoom in: later rounds draw only from the range
// the best trials span (coarse to fine). One seeded stream draws every setting, so a seed
// gives the same trials; each trial's model is disposed once its figures are read.
import { describe } from '../core/matrix.js';
import { checkOptions, optFunction, optNumber } from '../core/options.js';
import { MersenneTwister } from '../core/random.js';
import type { MatrixLike } from '../core/matrix.js';
import type { Labels } from '../nn/data.js';
import { TrainingFailure } from '../nn/train/loop.js';
import type { Callback, FitOptions, History, Verdict } from '../nn/train/types.js';
import { type SampleValue, type Sampler, isSampler } from './samplers.js';

/** The figure trials are ranked by: the last epoch's value in the history. */
export type SearchMetric = 'valLoss' | 'valAccuracy' | 'loss' | 'accuracy';

/** What build gets and fit reads: one value per hyperparameter of the space. */
export type Settings = Record<string, SampleValue>;

/** A model randomSearch can train: a Sequential (sequential()) or anything with fitAsync and dispose. */
export interface Trainable {
  /** trains, as Sequential's does */
  fitAsync(x: MatrixLike, y: Labels, opts: FitOptions): Promise<History>;
  /** frees the model's tensors */
  dispose(): void;
}

/** One trial: its settings and what training them gave. */
export interface Trial {
  /** 0-based, in the order run */
  index: number;
  /** 0-based coarse-to-fine round */
  round: number;
  /** the values drawn */
  settings: Settings;
  /** fitAsync's history (null when training failed) */
  history: History | null;
  /** the metric's value after the last epoch (NaN when training failed) */
  score: number;
  /** why training failed, if it did */
  error?: string;
  /** wall time of the trial */
  ms: number;
}

/** The options of randomSearch; unknown keys are errors. */
export interface SearchOptions {
  /** name → sampler: uniform(), logUniform(), oneMinusLogUniform(), choice() */
  space: Record<string, Sampler>;
  /** trials per round */
  trials: number;
  /** a model for these settings (on any backend); randomSearch disposes it after its trial */
  build: (settings: Settings) => Trainable;
  /** fitAsync's options for these settings (loss, optimizer, epochs, validation…) */
  fit: (settings: Settings) => FitOptions;
  /** the training inputs */
  x: MatrixLike;
  /** the training labels */
  y: Labels;
  /** what ranks the trials (default 'valLoss': lower is better; accuracies: higher is better) */
  metric?: SearchMetric;
  /** seeds the draws (default 0) */
  seed?: number;
  /** coarse-to-fine rounds (default 1): each after the first draws within the range the best `keep` trials span */
  rounds?: number;
  /** how many of the best trials set the next round's range (default 3, at least 2) */
  keep?: number;
  /** after each trial, with the figures so far; false (or a Promise of it) stops the search */
  onTrial?: (trial: Trial, progress: { done: number; total: number }) => Verdict | Promise<Verdict>;
  /** aborting it stops the search, within the trial running (its fit stops after the batch) */
  signal?: AbortSignal;
}

/** What randomSearch returns. */
export interface SearchResult {
  /** every trial, in the order run */
  trials: Trial[];
  /** the trials best first (failed ones last) */
  ranked: Trial[];
  /** the best trial, or null if every one failed */
  best: Trial | null;
  /** the space each round drew from, the first given, the later narrowed */
  spaces: Record<string, Sampler>[];
  /** whether onTrial or the signal stopped the search early */
  stopped: boolean;
}

const OPTIONS = ['space', 'trials', 'build', 'fit', 'x', 'y', 'metric', 'seed', 'rounds', 'keep', 'onTrial', 'signal'];
const METRICS: SearchMetric[] = ['valLoss', 'valAccuracy', 'loss', 'accuracy'];

/** Trains `trials` models with settings drawn from `space` (per round) and ranks them by `metric`. */
export async function randomSearch(options: SearchOptions): Promise<SearchResult> {
  if (!options) throw new Error('randomSearch: options are required: { space, trials, build, fit, x, y }');
  const o = checkOptions(options, OPTIONS, 'randomSearch');
  const space = checkSpace(o.space);
  const trials = optNumber(o.trials, 'randomSearch: trials', Number.NaN, { min: 1, integer: true });
  if (Number.isNaN(trials)) throw new Error('randomSearch: trials is required (trials per round)');
  const build = required(o.build, 'build');
  const fit = required(o.fit, 'fit');
  if (o.x === undefined || o.y === undefined) throw new Error('randomSearch: x and y (the training data) are required');
  const metric = o.metric ?? 'valLoss';
  if (!METRICS.includes(metric))
    throw new Error(`randomSearch: metric must be one of ${METRICS.join(', ')}, got ${describe(metric)}`);
  const seed = optNumber(o.seed, 'randomSearch: seed', 0, { min: 0, max: 0xffffffff, integer: true });
  const rounds = optNumber(o.rounds, 'randomSearch: rounds', 1, { min: 1, integer: true });
  const keep = optNumber(o.keep, 'randomSearch: keep', 3, { min: 2, integer: true });
  if (rounds > 1 && keep > trials)
    throw new Error(`randomSearch: keep (${keep}) must be at most trials (${trials}) to narrow between rounds`);
  const onTrial = optFunction<SearchOptions['onTrial']>(o.onTrial, 'randomSearch: onTrial');
  const signal = o.signal;
  if (signal !== undefined && !(typeof signal === 'object' && signal !== null && 'aborted' in signal))
    throw new Error(`randomSearch: signal must be an AbortSignal, got ${describe(signal)}`);

  const higherIsBetter = metric === 'valAccuracy' || metric === 'accuracy';
  const rank = (list: Trial[]) =>
    [...list].sort((a, b) => {
      if (Number.isNaN(a.score) || Number.isNaN(b.score)) return Number.isNaN(a.score) ? 1 : -1;
      return higherIsBetter ? b.score - a.score : a.score - b.score;
    });
  const rng = new MersenneTwister(seed);
  const done: Trial[] = [];
  const spaces: Record<string, Sampler>[] = [];
  let current = space,
    stopped = false;
  // stops a running fit after the batch or epoch during which the signal was aborted
  const abortCallback = {
    name: 'randomSearch',
    onBatchEnd: () => !signal?.aborted,
    onEpochEnd: () => !signal?.aborted,
  };
  for (let round = 0; round < rounds && !stopped; round++) {
    if (round > 0)
      current = narrowed(
        current,
        rank(done)
          .filter((t) => !Number.isNaN(t.score))
          .slice(0, keep),
      );
    spaces.push(current);
    for (let i = 0; i < trials; i++) {
      if (signal?.aborted) {
        stopped = true;
        break;
      }
      const settings: Settings = {};
      for (const name of Object.keys(current)) settings[name] = current[name].sample(rng);
      const trial = await runTrial(settings, done.length, round, build, fit, o.x, o.y, metric, signal && abortCallback);
      done.push(trial);
      if (onTrial && (await onTrial(trial, { done: done.length, total: rounds * trials })) === false) stopped = true;
      if (stopped || signal?.aborted) {
        stopped = true;
        break;
      }
    }
  }
  const ranked = rank(done);
  return { trials: done, ranked, best: ranked.find((t) => !Number.isNaN(t.score)) ?? null, spaces, stopped };
}

async function runTrial(
  settings: Settings,
  index: number,
  round: number,
  build: SearchOptions['build'],
  fit: SearchOptions['fit'],
  x: MatrixLike,
  y: Labels,
  metric: SearchMetric,
  stopper: Callback | undefined,
): Promise<Trial> {
  const t0 = performance.now();
  const model = build({ ...settings });
  if (!model || typeof model.fitAsync !== 'function' || typeof model.dispose !== 'function')
    throw new Error(`randomSearch: build returned ${describe(model)}, not a model (sequential(...))`);
  try {
    const opts = fit({ ...settings });
    if (!opts || typeof opts !== 'object')
      throw new Error(`randomSearch: fit returned ${describe(opts)}, not fit options`);
    if (metric.startsWith('val') && opts.validationData === undefined && !opts.validationSplit)
      throw new Error(`randomSearch: metric '${metric}' needs validationData or validationSplit in fit's options`);
    const withStop = stopper ? { ...opts, callbacks: [...(opts.callbacks ?? []), stopper] } : opts;
    let history: History;
    try {
      history = await model.fitAsync(x, y, withStop);
    } catch (e) {
      // a trial that fails in training (diverges) is a result, ranked last; bad options are not
      if (!((e as Error)?.cause instanceof TrainingFailure)) throw e;
      return {
        index,
        round,
        settings,
        history: null,
        score: Number.NaN,
        error: (e as Error).message,
        ms: performance.now() - t0,
      };
    }
    const series = history[metric];
    if (!series) throw new Error(`randomSearch: the history has no ${metric} (a regression loss has no accuracy)`);
    const score = series.length ? series[series.length - 1] : Number.NaN;
    return { index, round, settings, history, score, ms: performance.now() - t0 };
  } finally {
    model.dispose();
  }
}

function checkSpace(space: unknown): Record<string, Sampler> {
  if (!space || typeof space !== 'object' || Array.isArray(space))
    throw new Error(`randomSearch: space must be an object of samplers, got ${describe(space)}`);
  const entries = Object.entries(space);
  if (entries.length === 0) throw new Error('randomSearch: space is empty: give at least one hyperparameter');
  for (const [name, s] of entries) {
    if (!isSampler(s))
      throw new Error(
        `randomSearch: space.${name} is ${describe(s)}, not a sampler (uniform, logUniform, oneMinusLogUniform, choice)`,
      );
  }
  return { ...(space as Record<string, Sampler>) };
}

function required<T>(v: T | undefined, name: string): NonNullable<T> {
  if (typeof v !== 'function') throw new Error(`randomSearch: ${name} must be a function, got ${describe(v)}`);
  return v as NonNullable<T>;
}

/** Each sampler narrowed to what the best trials drew (all of them if none succeeded). */
function narrowed(space: Record<string, Sampler>, best: Trial[]): Record<string, Sampler> {
  if (best.length === 0) return space;
  return Object.fromEntries(Object.entries(space).map(([k, s]) => [k, s.narrow(best.map((t) => t.settings[k]))]));
}
