// The shapes fit and fitAsync take and give: options, logs, history, callbacks.
import type { MatrixLike } from '../../core/matrix.js';
import type { Labels } from '../data.js';
import type { Inspection } from '../inspection.js';
import type { LossName } from '../losses.js';
import type { Model } from '../model.js';
import type { Optimizer } from './optimizers.js';
import type { Shuffle } from './shuffles.js';

/** What onEpochEnd gets about the epoch just trained. */
export interface EpochLogs {
  /** 0-based */
  epoch: number;
  /** the mean cost of the epoch's forward passes, before each one's update (L2 term included) */
  loss: number;
  /** of those same forward passes (classification losses only) */
  accuracy?: number;
  /** on the validation data, after the epoch's updates */
  valLoss?: number;
  /** on the validation data, after the epoch's updates */
  valAccuracy?: number;
  /** the learning rate used in the epoch */
  learningRate: number;
  /** wall time of the epoch */
  ms: number;
}

/** What onBatchEnd gets about the batch just trained. */
export interface BatchLogs {
  /** the batch's cost before its update (L2 term included) */
  loss: number;
  /** 0-based, within the epoch */
  batch: number;
  /** 0-based */
  epoch: number;
}

/** What a callback returns: false stops training (after that batch or epoch). */
export type Verdict = boolean | void | undefined;

/** The options of fit and fitAsync; unknown keys are errors. */
export interface FitOptions {
  /** the loss to minimize: 'binaryCrossEntropy' (after sigmoid), 'categoricalCrossEntropy' (after softmax) or 'meanSquaredError' */
  loss: LossName;
  /** sgd({ learningRate: 0.01 }) by default */
  optimizer?: Optimizer;
  /** passes over the training data (default 1) */
  epochs?: number;
  /** examples per step; all of them (full batch) by default */
  batchSize?: number;
  /**
   * shuffle the examples each epoch (from the model's seed) when batchSize is smaller than the set
   * (true, the default), keep their order (false), or take each epoch's order from a Shuffle
   * (numpyShuffle({ seed }): the course notebook's)
   */
  shuffle?: boolean | Shuffle;
  /** λ of L2 regularization: cost + λ/(2m)·Σ‖W‖², gradient + (λ/m)·W, weights only */
  l2?: number;
  /** λ₁ of L1 regularization: cost + λ₁/m·Σ|W|, gradient + (λ₁/m)·sign(W), weights only */
  l1?: number;
  /** hold out this last fraction of the examples (before any shuffling, as Keras does) */
  validationSplit?: number;
  /** or validate on these */
  validationData?: {
    /** inputs, [examples × features] */
    x: MatrixLike;
    /** their labels */
    y: Labels;
  };
  /** earlyStopping(), or your own */
  callbacks?: Callback[];
  /** after each epoch; return false to stop */
  onEpochEnd?: (epoch: number, logs: EpochLogs) => Verdict | Promise<Verdict>;
  /** after each batch; return false to stop */
  onBatchEnd?: (batch: number, logs: BatchLogs) => Verdict | Promise<Verdict>;
  /** 1: a progress bar on a terminal, a line per epoch elsewhere; 0 (default): quiet */
  verbose?: 0 | 1;
  /** every this many epochs (and before the first), dl.inspect's figures on the training data → history.inspect */
  inspectEvery?: number;
}

/** What fit and fitAsync return: per-epoch figures. */
export interface History {
  /** one value per epoch: the mean cost of its forward passes (including the L2 term) */
  loss: number[];
  /** per epoch, for binaryCrossEntropy and categoricalCrossEntropy */
  accuracy?: number[];
  /** per epoch, with validationSplit or validationData */
  valLoss?: number[];
  /** per epoch, with validationSplit or validationData */
  valAccuracy?: number[];
  /** the learning rate of each epoch */
  learningRate: number[];
  /** epochs run */
  epochs: number;
  /** whether a callback stopped training (returned false), on any batch or epoch, the last included */
  stopped: boolean;
  /** with inspectEvery: dl.inspect's figures before training (epoch 0) and after every N-th epoch */
  inspect?: (Inspection & {
    /** the epochs trained before these figures */
    epoch: number;
  })[];
}

/** Hooks into training: each may be async in fitAsync; onEpochEnd and onBatchEnd return false to stop. */
export interface Callback {
  /** names the callback in error messages */
  name?: string;
  /** @internal a figure that only validation data gives: fit refuses to start without it */
  needsValidation?: string;
  /** before the first epoch, with the model being trained */
  onTrainBegin?(model: Model): void | Promise<void>;
  /** before each epoch */
  onEpochBegin?(epoch: number): void | Promise<void>;
  /** after each epoch (validation included); false stops training */
  onEpochEnd?(epoch: number, logs: EpochLogs): Verdict | Promise<Verdict>;
  /** after each batch's update; false stops training after it */
  onBatchEnd?(batch: number, logs: BatchLogs): Verdict | Promise<Verdict>;
  /** after the last epoch, with the history */
  onTrainEnd?(history: History): void | Promise<void>;
}
