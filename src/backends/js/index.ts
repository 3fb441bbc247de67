// The js backend: plain TypeScript loops over typed arrays. It defines what every op means.
import { type DType, type FloatArray, arrayFor } from '../../core/matrix.js';
import { Backend, type Kernels, type Tensor, type UnaryOp } from '../backend.js';
import { matmul } from './matmul.js';
import * as act from './activations.js';
import * as ew from './elementwise.js';
import * as opt from './optimizers.js';
import { dropoutMask } from './dropout.js';
import { sigmoidCrossEntropy } from './losses.js';

const arr = (t: Tensor): FloatArray => t.handle as FloatArray;

const forward = { relu: act.relu, sigmoid: act.sigmoid, tanh: act.tanh };
const backward = { relu: act.reluBackward, sigmoid: act.sigmoidBackward, tanh: act.tanhBackward };

export function createJsBackend(dtype: DType): Backend {
  let reserved = 0;
  const k: Kernels = {
    alloc(n) {
      reserved += n * (dtype === 'float64' ? 8 : 4);
      return arrayFor(dtype, n);
    },
    release(_h, n) {
      reserved -= n * (dtype === 'float64' ? 8 : 4);
    },
    write(t, data) {
      arr(t).set(data);
    },
    read(t) {
      return arr(t).slice();
    },
    matmul(transA, transB, M, N, K, a, b, c, acc) {
      matmul(transA, transB, M, N, K, arr(a), arr(b), arr(c), acc);
    },
    unary(op: UnaryOp, x, y) {
      forward[op](arr(x), arr(y));
    },
    unaryBackward(op: UnaryOp, dy, y, dx) {
      backward[op](arr(dy), arr(y), arr(dx));
    },
    softmax(x, y) {
      act.softmax(x.rows, x.cols, arr(x), arr(y));
    },
    softmaxBackward(dy, y, dx) {
      act.softmaxBackward(dy.rows, dy.cols, arr(dy), arr(y), arr(dx));
    },
    addBias(x, b, y, then) {
      ew.addBias(x.rows, x.cols, arr(x), arr(b), arr(y));
      if (then) forward[then](arr(y), arr(y));
    },
    sumCols(x, out) {
      ew.sumCols(x.rows, x.cols, arr(x), arr(out));
    },
    scale(alpha, x, y) {
      ew.scale(alpha, arr(x), arr(y));
    },
    axpy(alpha, x, y) {
      ew.axpy(alpha, arr(x), arr(y));
    },
    mul(a, b, y) {
      ew.mul(arr(a), arr(b), arr(y));
    },
    sub(a, b, y) {
      ew.sub(arr(a), arr(b), arr(y));
    },
    sumSquares(x) {
      return ew.sumSquares(arr(x));
    },
    sigmoidCrossEntropy(z, y) {
      return sigmoidCrossEntropy(arr(z), arr(y));
    },
    dropoutMask(key, keep, out) {
      const scale = dtype === 'float32' ? Math.fround(1 / keep) : 1 / keep;
      dropoutMask(key, keep, scale, arr(out));
    },
    momentumUpdate(lr, beta, w, g, v) {
      opt.momentumUpdate(lr, beta, arr(w), arr(g), arr(v));
    },
    adamUpdate(lr, b1, b2, eps, c1, c2, w, g, m, v) {
      opt.adamUpdate(lr, b1, b2, eps, c1, c2, arr(w), arr(g), arr(m), arr(v));
    },
    gatherRows(src, indices, start, out) {
      const s = arr(src),
        o = arr(out),
        c = src.cols;
      for (let r = 0; r < out.rows; r++) {
        for (let j = 0, from = indices[start + r] * c; j < c; j++) o[r * c + j] = s[from + j];
      }
    },
    readInto(t, dst) {
      dst.set(arr(t));
    },
    reservedBytes() {
      return reserved;
    },
    // no limit but the JS heap's, which a program cannot ask for
    maxBytes() {
      return Infinity;
    },
  };
  return new Backend('js', dtype, k, 'js');
}
