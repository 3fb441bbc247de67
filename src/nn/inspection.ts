// What dl.inspect reports of a model (the types only: diagnostics/inspect.ts computes them).
// Here so that fit's history can carry them without the training loop depending on diagnostics.
import type { ActivationName } from './activations.js';
import type { FloatArray } from '../core/matrix.js';
import type { Tensor } from '../backends/backend.js';
import type { Loss } from './losses.js';
import type { Model } from './model.js';
import type { Penalty } from './penalty.js';

/** Figures of the activation after a dense layer, over the examples. */
export interface ActivationStats {
  /** 'relu', 'sigmoid', 'tanh', 'softmax' or 'linear' */
  name: ActivationName;
  /** of every output of the activation over the examples */
  mean: number;
  /** the standard deviation of the same outputs */
  std: number;
  /**
   * the fraction in the flat tails, where the gradient all but vanishes: sigmoid outputs < 0.01
   * or > 0.99, tanh |a| > 0.99, softmax rows whose largest output is > 0.99; null for relu and linear
   */
  saturated: number | null;
  /** relu: the fraction of units that output 0 for every example (they learn nothing); else null */
  dead: number | null;
}

/** Figures of one dense layer. */
export interface LayerStats {
  /** 'dense1', … */
  name: string;
  /** its width */
  units: number;
  /** ‖W‖_F */
  weightNorm: number;
  /** ‖∂cost/∂W‖_F (penalties included when l1 or l2 is given) */
  gradientNorm: number;
  /** how many units differ in (row of W, bias): 1 means every unit computes the same thing */
  distinctUnits: number;
  /** the activation right after this layer (dropout in between skipped), or null */
  activation: ActivationStats | null;
}

/** Figures of one batch-norm layer. */
export interface BatchNormStats {
  /** 'batchNorm1', … */
  name: string;
  /** the mean of its inputs (every feature, every example): what it takes away */
  inputMean: number;
  /** the standard deviation of its inputs: what it divides by */
  inputStd: number;
  /** ‖γ‖ (null without γ and β) */
  gammaNorm: number | null;
  /** ‖β‖ (null without γ and β) */
  betaNorm: number | null;
}

/** What dl.inspect reports: the cost, and per dense and batch-norm layer its figures. */
export interface Inspection {
  /** the cost on these examples (dropout off; penalties included when l1 or l2 is given) */
  loss: number;
  /** one entry per dense layer, in order */
  layers: LayerStats[];
  /** one entry per batch-norm layer, in order */
  batchNorms: BatchNormStats[];
}

/** Computes an Inspection of a model on tensors already in its backend (fit's inspectEvery). */
export type Inspector = (
  model: Model,
  x: Tensor,
  y: Tensor,
  yData: FloatArray,
  loss: Loss,
  penalty: Penalty,
) => Inspection;
