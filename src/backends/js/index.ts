// The js backend: plain TypeScript loops over typed arrays. It defines what every op means.
import { arrayFor, type DType, type FloatArray } from '../../core/matrix.js';
import { Backend, type Kernels, type Tensor } from '../backend.js';
import { KERNELS } from './kernels.js';
import { matmul } from './matmul.js';

const arr = (t: Tensor): FloatArray => t.handle as FloatArray;

export function createJsBackend(dtype: DType): Backend {
  const bytesPer = dtype === 'float64' ? 8 : 4;
  let reserved = 0;
  const k: Kernels = {
    alloc(n) {
      const a = arrayFor(dtype, n);
      // counted once it exists: a failed allocation reserves nothing
      reserved += n * bytesPer;
      return a;
    },
    release(_h, n) {
      reserved -= n * bytesPer;
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
    run(op, ts, scalars) {
      // the kernel's arguments as the table lays them out: sizes, scalars, arrays
      const first = ts[0],
        layout = op.layout;
      const sizes =
        layout === 'rows' ? [first.rows, first.cols] : layout === 'indexed' ? [first.size, 0] : [first.size];
      return KERNELS[op.name](...sizes, ...scalars, ...ts.map(arr)) ?? 0;
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
