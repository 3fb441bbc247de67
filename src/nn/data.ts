// Inputs and labels: what a model accepts, checked before anything is allocated, and how its
// outputs are scored against labels.
import type { Backend, Tensor } from '../backends/backend.js';
import {
  type DType,
  type FloatArray,
  type Matrix,
  type MatrixLike,
  arrayFor,
  readMatrix,
  shapeOf,
} from '../core/matrix.js';
import type { Loss } from './losses.js';

/** What evaluate() gives. */
export interface Evaluation {
  /** the loss, without the L2 term */
  loss: number;
  /** the fraction classified right: a > 0.5 for one output, argmax for several */
  accuracy: number;
}

/** Labels: a 0/1 (or value) column, one-hot rows, or integer class ids. */
export type Labels = MatrixLike | number[] | Int32Array | Uint8Array;

/** x as a matrix in the model's dtype: `inputSize` columns, every value finite. */
export function checkInputs(x: MatrixLike, dtype: DType, inputSize: number, op: string): Matrix {
  const X = readMatrix(x, dtype, `${op}: x`);
  if (X.cols !== inputSize) {
    throw new Error(`${op}: x has ${X.cols} columns ${shapeOf(X)}, the model takes ${inputSize} inputs`);
  }
  const bad = X.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    throw new Error(`${op}: x[${Math.floor(bad / X.cols)}][${bad % X.cols}] is ${X.data[bad]}, not a finite number`);
  return X;
}

/** A tensor given as input: on this backend, live, `cols` wide, finite values. */
export function checkTensorInput(t: Tensor, backend: Backend, what: string, cols: number, op: string): Tensor {
  if (t.backend !== backend)
    throw new Error(`${op}: ${what} is a tensor on the ${t.backend} backend; the model is on ${backend}`);
  if (t.disposed) throw new Error(`${op}: ${what} ${shapeOf(t)} was disposed`);
  if (t.cols !== cols) throw new Error(`${op}: ${what} ${shapeOf(t)} has ${t.cols} columns, expected ${cols}`);
  // Σ v² is finite exactly when every value is (barring overflow of huge values)
  if (!Number.isFinite(backend.sumSquares(t))) {
    const d = t.toMatrix().data;
    const bad = d.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0)
      throw new Error(`${op}: ${what}[${Math.floor(bad / cols)}][${bad % cols}] is ${d[bad]}, not a finite number`);
  }
  return t;
}

/** Labels given as a tensor: checked as labels are; returns their values. */
export function checkTensorLabels(
  t: Tensor,
  backend: Backend,
  outputs: number,
  m: number,
  op: string,
  loss: Loss,
): FloatArray {
  checkTensorInput(t, backend, 'y', outputs, op);
  if (t.rows !== m) throw new Error(`${op}: x has ${m} examples but y has ${t.rows}`);
  const Y = t.toMatrix();
  checkLabels(Y, loss, op);
  return Y.data;
}

/** Labels as an [m × outputs] matrix in the model's dtype (class ids become one-hot rows), checked against the loss. */
export function labelMatrix(y: Labels, m: number, outputs: number, dtype: DType, op: string, loss: Loss): Matrix {
  const k = outputs;
  let Y: Matrix;
  const flat = ArrayBuffer.isView(y) || (Array.isArray(y) && (y.length === 0 || typeof y[0] === 'number'));
  if (flat) {
    const v = y as ArrayLike<number>;
    if (v.length === 0) throw new Error(`${op}: y is empty`);
    Y = readMatrix({ rows: v.length, cols: 1, data: v }, dtype, `${op}: y`);
  } else {
    Y = readMatrix(y as MatrixLike, dtype, `${op}: y`);
  }
  if (Y.rows !== m) throw new Error(`${op}: x has ${m} examples but y has ${Y.rows}`);
  const bad = Y.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`${op}: y[${Math.floor(bad / Y.cols)}] is ${Y.data[bad]}, not a finite number`);
  if (Y.cols === 1 && k > 1) {
    // integer class ids → one-hot rows
    const oh = arrayFor(dtype, m * k);
    for (let i = 0; i < m; i++) {
      const c = Y.data[i];
      if (!Number.isInteger(c) || c < 0 || c >= k)
        throw new Error(`${op}: y[${i}] = ${c} is not a class id in 0..${k - 1}`);
      oh[i * k + c] = 1;
    }
    Y = { rows: m, cols: k, data: oh };
  } else if (Y.cols !== k) {
    throw new Error(`${op}: y has ${Y.cols} columns ${shapeOf(Y)}, the model has ${k} outputs`);
  }
  checkLabels(Y, loss, op);
  return Y;
}

/** Fraction of examples classified right: a > 0.5 for one output, argmax for several. */
export function accuracy(out: Matrix, y: Matrix): number {
  return countRight(out.data, y.data, out.rows, out.cols) / out.rows;
}

/** @internal examples classified right, from flat outputs and labels [rows × k] */
export function countRight(out: FloatArray, y: FloatArray, rows: number, k: number): number {
  let right = 0;
  if (k === 1) {
    for (let i = 0; i < rows; i++) if (out[i] > 0.5 === y[i] > 0.5) right++;
    return right;
  }
  for (let i = 0, o = 0; i < rows; i++, o += k) {
    let a = 0,
      b = 0;
    for (let c = 1; c < k; c++) {
      if (out[o + c] > out[o + a]) a = c;
      if (y[o + c] > y[o + b]) b = c;
    }
    if (a === b) right++;
  }
  return right;
}

/**
 * Labels the loss can learn from: binary cross-entropy needs values in [0, 1]; categorical
 * cross-entropy rows that are non-negative and sum to 1 (one-hot or probabilities: then its value
 * and its gradient (a − y)/m agree); mean squared error any finite values.
 */
export function checkLabels(Y: Matrix, loss: Loss, op: string): void {
  const { rows, cols, data } = Y;
  if (loss.name === 'binaryCrossEntropy') {
    const bad = data.findIndex((v) => !(v >= 0 && v <= 1));
    if (bad >= 0) {
      throw new Error(
        `${op}: y[${Math.floor(bad / cols)}]${cols > 1 ? `[${bad % cols}]` : ''} is ${data[bad]}; binaryCrossEntropy needs labels in [0, 1]`,
      );
    }
  } else if (loss.name === 'categoricalCrossEntropy') {
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let c = 0; c < cols; c++) {
        const v = data[r * cols + c];
        if (!(v >= 0))
          throw new Error(`${op}: y[${r}][${c}] is ${v}; categoricalCrossEntropy needs non-negative labels`);
        sum += v;
      }
      if (Math.abs(sum - 1) > 1e-6) {
        throw new Error(
          `${op}: y row ${r} sums to ${sum}; categoricalCrossEntropy needs each row to sum to 1 (one-hot, or probabilities)`,
        );
      }
    }
  }
}
