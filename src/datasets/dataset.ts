// A data set: inputs x [examples × features] and labels y [examples × outputs].
import type { Matrix } from '../core/matrix.js';

/** Inputs and labels, one row per example. */
export interface Dataset {
  /** inputs, [examples × features] */
  x: Matrix;
  /** labels, [examples × outputs]: 0/1 for two classes, class ids for more */
  y: Matrix;
}

/** A data set in two parts. */
export interface DatasetSplit {
  /** to train on */
  train: Dataset;
  /** to measure on */
  test: Dataset;
}
