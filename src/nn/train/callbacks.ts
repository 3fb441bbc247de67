// Callbacks for fit and fitAsync: earlyStopping, and the progress printer behind verbose: 1.
// A callback is an object with any of these hooks; a hook that returns false (or a Promise of
// false, in fitAsync) stops training after that batch or epoch.
import { checkOptions, optBoolean, optNumber } from '../../core/options.js';
import type { Model, Weight } from '../model.js';
import type { Callback, EpochLogs } from './types.js';

/** The options of earlyStopping(). */
export interface EarlyStoppingOptions {
  /** the figure watched, lower is better: 'valLoss' (default) or 'loss' */
  monitor?: 'valLoss' | 'loss';
  /** epochs without improvement to wait before stopping (default 0: stop at the first) */
  patience?: number;
  /** an improvement smaller than this does not count (default 0) */
  minDelta?: number;
  /** at the end, put back the weights that gave the best figure (default false) */
  restoreBest?: boolean;
}

/** The callback earlyStopping() makes, with what it found. */
export interface EarlyStopping extends Callback {
  /** the epoch with the best figure so far */
  readonly bestEpoch: number;
  /** that figure */
  readonly best: number;
  /** the epoch after which it stopped training, or -1 */
  readonly stoppedEpoch: number;
}

/**
 * Stops training when the monitored figure has not improved by minDelta for `patience` epochs.
 * With restoreBest, the weights are those of the best epoch when fit returns: for 'valLoss' the
 * weights after that epoch (valLoss is measured after its updates), for 'loss' the weights at its
 * start (the loss of an epoch is measured before its updates).
 */
export function earlyStopping(opts?: EarlyStoppingOptions): EarlyStopping {
  const o = checkOptions(opts, ['monitor', 'patience', 'minDelta', 'restoreBest'], 'earlyStopping');
  const monitor = o.monitor ?? 'valLoss';
  if (monitor !== 'valLoss' && monitor !== 'loss')
    throw new Error(`earlyStopping: monitor must be 'valLoss' or 'loss', got ${JSON.stringify(monitor)}`);
  const patience = optNumber(o.patience, 'earlyStopping: patience', 0, { min: 0, integer: true });
  const minDelta = optNumber(o.minDelta, 'earlyStopping: minDelta', 0, { min: 0 });
  const restoreBest = optBoolean(o.restoreBest, 'earlyStopping: restoreBest', false);
  let model: Model | null = null;
  let wait = 0;
  let atStart: Weight[] | null = null;
  let bestWeights: Weight[] | null = null;
  const cb = {
    name: 'earlyStopping',
    needsValidation: monitor === 'valLoss' ? 'valLoss' : undefined,
    bestEpoch: -1,
    best: Infinity,
    stoppedEpoch: -1,
    onTrainBegin(m: Model) {
      model = m;
      wait = 0;
      cb.best = Infinity;
      cb.bestEpoch = -1;
      cb.stoppedEpoch = -1;
      atStart = bestWeights = null;
    },
    onEpochBegin() {
      if (restoreBest && monitor === 'loss') atStart = model!.getWeights();
    },
    onEpochEnd(epoch: number, logs: EpochLogs) {
      const v = logs[monitor]!;
      if (v < cb.best - minDelta) {
        cb.best = v;
        cb.bestEpoch = epoch;
        wait = 0;
        if (restoreBest) bestWeights = monitor === 'loss' ? atStart : model!.getWeights();
        return undefined;
      }
      wait++;
      if (wait >= Math.max(patience, 1)) {
        cb.stoppedEpoch = epoch;
        return false;
      }
      return undefined;
    },
    onTrainEnd() {
      if (restoreBest && bestWeights) model!.setWeights(bestWeights);
    },
  };
  return cb;
}

/** verbose: 1 — a bar redrawn in place on a terminal; one line per epoch in a log or a browser. */
export function progressBar(epochs: number): Callback {
  const proc = (globalThis as { process?: { stdout?: { isTTY?: boolean; columns?: number; write(s: string): void } } })
    .process;
  const tty = !!proc?.stdout?.isTTY;
  const line = (e: number, l: EpochLogs) => {
    const parts = [`epoch ${e + 1}/${epochs}`, `loss ${fmt(l.loss)}`];
    if (l.accuracy !== undefined) parts.push(`accuracy ${l.accuracy.toFixed(4)}`);
    if (l.valLoss !== undefined) parts.push(`valLoss ${fmt(l.valLoss)}`);
    if (l.valAccuracy !== undefined) parts.push(`valAccuracy ${l.valAccuracy.toFixed(4)}`);
    parts.push(`${l.ms.toFixed(1)} ms/epoch`);
    return parts.join(' · ');
  };
  let lastDraw = 0;
  return {
    name: 'verbose',
    onEpochEnd(e, l) {
      if (!tty) {
        console.log(line(e, l));
        return;
      }
      const t = Date.now();
      if (e + 1 < epochs && t - lastDraw < 100) return; // at most ten redraws a second
      lastDraw = t;
      const width = 24,
        done = Math.round(((e + 1) / epochs) * width);
      proc!.stdout!.write(`\r[${'='.repeat(done)}${' '.repeat(width - done)}] ${line(e, l)}\x1b[K`);
    },
    onTrainEnd() {
      if (tty) proc!.stdout!.write('\n');
    },
  };
}

const fmt = (v: number): string => (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? v.toFixed(4) : v.toExponential(3));
