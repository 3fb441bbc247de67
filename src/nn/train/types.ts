// The shapes fit and fitAsync take and give: options, logs, history, callbacks.
import type { MatrixLike } from '../../core/matrix.js';
import type { Labels } from '../data.js';
import type { Inspection } from '../inspection.js';
import type { LossName } from '../losses.js';
import type { Model } from '../model.js';
import type { Optimizer } from './optimizers.js';

export interface EpochLogs {
  epoch: number;
  /** the mean cost of the epoch's forward passes, before each one's update (L2 term included) */
  loss: number;
  /** of those same forward passes (classification losses only) */
  accuracy?: number;
  /** on the validation data, after the epoch's updates */
  valLoss?: number;
  valAccuracy?: number;
  /** the learning rate used in the epoch */
  learningRate: number;
  /** wall time of the epoch */
  ms: number;
}

export interface BatchLogs {
  loss: number;
  batch: number;
  epoch: number;
}

/** What a callback returns: false stops training (after that batch or epoch). */
export type Verdict = boolean | void | undefined;

export interface FitOptions {
  loss: LossName;
  /** sgd({ learningRate: 0.01 }) by default */
  optimizer?: Optimizer;
  epochs?: number;
  /** examples per step; all of them (full batch) by default */
  batchSize?: number;
  /** shuffle the examples each epoch (from the seed) when batchSize is smaller than the set */
  shuffle?: boolean;
  /** λ of L2 regularization: cost + λ/(2m)·Σ‖W‖², gradient + (λ/m)·W, weights only */
  l2?: number;
  /** hold out this last fraction of the examples (before any shuffling, as Keras does) */
  validationSplit?: number;
  /** or validate on these */
  validationData?: { x: MatrixLike; y: Labels };
  /** earlyStopping(), or your own */
  callbacks?: Callback[];
  onEpochEnd?: (epoch: number, logs: EpochLogs) => Verdict | Promise<Verdict>;
  onBatchEnd?: (batch: number, logs: BatchLogs) => Verdict | Promise<Verdict>;
  /** 1: a progress bar on a terminal, a line per epoch elsewhere; 0 (default): quiet */
  verbose?: 0 | 1;
  /** every this many epochs (and before the first), dl.inspect's figures on the training data → history.inspect */
  inspectEvery?: number;
}

export interface History {
  /** one value per epoch: the mean cost of its forward passes (including the L2 term) */
  loss: number[];
  /** per epoch, for binaryCrossEntropy and categoricalCrossEntropy */
  accuracy?: number[];
  /** per epoch, with validationSplit or validationData */
  valLoss?: number[];
  valAccuracy?: number[];
  learningRate: number[];
  /** epochs run */
  epochs: number;
  /** whether a callback stopped training before `epochs` */
  stopped: boolean;
  /** with inspectEvery: dl.inspect's figures before training (epoch 0) and after every N-th epoch */
  inspect?: (Inspection & { epoch: number })[];
}

export interface Callback {
  /** names the callback in error messages */
  name?: string;
  /** @internal a figure that only validation data gives: fit refuses to start without it */
  needsValidation?: string;
  onTrainBegin?(model: Model): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: EpochLogs): Verdict | Promise<Verdict>;
  onBatchEnd?(batch: number, logs: BatchLogs): Verdict | Promise<Verdict>;
  onTrainEnd?(history: History): void | Promise<void>;
}
