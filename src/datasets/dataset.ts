// A data set: inputs x [examples × features] and labels y [examples × outputs].
import type { Matrix } from '../core/matrix.js';

export interface Dataset {
  x: Matrix;
  y: Matrix;
}
