// The wasm backend: tensors in linear memory, kernels called with pointers. Nothing is copied
// through generated bindings; typed-array views are made only to copy data in or out, and
// always from the current memory.buffer, so they stay valid after the memory grows.
import { type DType, type FloatArray } from '../../matrix.js';
import { Backend, type Kernels, type Tensor } from '../backend.js';
import { Heap } from './heap.js';
import { type KernelVariant, type WasmSource, embeddedModule, moduleFrom, relaxedSimdSupported, simdSupported } from './loader.js';

export interface WasmOptions {
  /** the kernel module: bytes, a compiled module, or a URL; the embedded one by default */
  wasm?: WasmSource;
  /** force the SIMD (true) or scalar (false) build; by default SIMD where supported */
  simd?: boolean;
  /**
   * use the relaxed-SIMD build where the engine has it (fused multiply-add in matmul: faster,
   * and different from the other builds in the last bits); off by default
   */
  relaxedSimd?: boolean;
}

type Fn = (...args: number[]) => number;
interface Exports { memory: WebAssembly.Memory; [name: string]: Fn | WebAssembly.Memory }

export async function createWasmBackend(dtype: DType, opts: WasmOptions = {}): Promise<Backend> {
  let module: WebAssembly.Module;
  if (opts.wasm !== undefined) {
    module = await moduleFrom(opts.wasm);
  } else {
    if (opts.simd === true && !simdSupported()) {
      throw new Error('wasm backend: simd: true was asked for, but this engine does not support WebAssembly SIMD');
    }
    const variant = opts.simd === false || !simdSupported() ? 'scalar'
      : opts.relaxedSimd && relaxedSimdSupported() ? 'relaxed' : 'simd';
    module = await embeddedModule(variant);
  }
  const instance = await WebAssembly.instantiate(module, {
    env: { abort: (_m: number, _f: number, line: number, col: number) => { throw new Error(`wasm kernel aborted at ${line}:${col}`); } },
  });
  const ex = instance.exports as unknown as Exports;
  const fn = (name: string): Fn => {
    const f = ex[name];
    if (typeof f !== 'function') throw new Error(`wasm backend: the kernel module has no export ${name}`);
    return f;
  };
  const sfx = dtype === 'float64' ? 'f64' : 'f32';
  const bytesPer = dtype === 'float64' ? 8 : 4;
  const memory = ex.memory;
  const heap = new Heap(memory, fn('heap_base')());
  const scratch = heap.alloc(fn('matmul_scratch_bytes')(bytesPer));

  const ptr = (t: Tensor): number => t.handle as number;

  const matmul = fn(`matmul_${sfx}`);
  const forward = { relu: fn(`relu_${sfx}`), sigmoid: fn(`sigmoid_${sfx}`), tanh: fn(`tanh_${sfx}`) };
  const backward = {
    relu: fn(`relu_backward_${sfx}`), sigmoid: fn(`sigmoid_backward_${sfx}`), tanh: fn(`tanh_backward_${sfx}`),
  };
  const softmax = fn(`softmax_${sfx}`), softmaxBackward = fn(`softmax_backward_${sfx}`);
  const addBias = fn(`add_bias_${sfx}`), sumCols = fn(`sum_cols_${sfx}`);
  const addBiasThen = {
    relu: fn(`add_bias_relu_${sfx}`), sigmoid: fn(`add_bias_sigmoid_${sfx}`), tanh: fn(`add_bias_tanh_${sfx}`),
  };
  const scale = fn(`scale_${sfx}`), axpy = fn(`axpy_${sfx}`), mul = fn(`mul_${sfx}`);
  const sumSquares = fn(`sum_squares_${sfx}`), sub = fn(`sub_${sfx}`);
  const sigmoidCrossEntropy = fn(`sigmoid_cross_entropy_${sfx}`);
  const dropoutMask = fn(`dropout_mask_${sfx}`);
  const momentumUpdate = fn(`momentum_update_${sfx}`), adamUpdate = fn(`adam_update_${sfx}`);
  // A view of the whole memory for element copies; re-made only when the memory has grown.
  const wholeView = (): FloatArray => (dtype === 'float64' ? new Float64Array(memory.buffer) : new Float32Array(memory.buffer));
  let whole = wholeView();
  const heapView = (): FloatArray => {
    if (whole.buffer !== memory.buffer) whole = wholeView();
    return whole;
  };

  const k: Kernels = {
    alloc: (n) => heap.alloc(n * bytesPer),
    release: (h) => heap.release(h as number),
    write: (t, data) => heapView().set(data.subarray(0, t.size), ptr(t) / bytesPer),
    read: (t) => heapView().slice(ptr(t) / bytesPer, ptr(t) / bytesPer + t.size),
    matmul: (transA, transB, M, N, K, a, b, c, acc) =>
      void matmul(+transA, +transB, M, N, K, ptr(a), ptr(b), ptr(c), +acc, scratch),
    unary: (op, x, y) => void forward[op](x.size, ptr(x), ptr(y)),
    unaryBackward: (op, dy, y, dx) => void backward[op](dy.size, ptr(dy), ptr(y), ptr(dx)),
    softmax: (x, y) => void softmax(x.rows, x.cols, ptr(x), ptr(y)),
    softmaxBackward: (dy, y, dx) => void softmaxBackward(dy.rows, dy.cols, ptr(dy), ptr(y), ptr(dx)),
    addBias: (x, b, y, then) => void (then ? addBiasThen[then] : addBias)(x.rows, x.cols, ptr(x), ptr(b), ptr(y)),
    sumCols: (x, out) => void sumCols(x.rows, x.cols, ptr(x), ptr(out)),
    scale: (alpha, x, y) => void scale(x.size, alpha, ptr(x), ptr(y)),
    axpy: (alpha, x, y) => void axpy(x.size, alpha, ptr(x), ptr(y)),
    mul: (a, b, y) => void mul(a.size, ptr(a), ptr(b), ptr(y)),
    sumSquares: (x) => sumSquares(x.size, ptr(x)),
    sigmoidCrossEntropy: (z, y) => sigmoidCrossEntropy(z.size, ptr(z), ptr(y)),
    sub: (a, b, y) => void sub(a.size, ptr(a), ptr(b), ptr(y)),
    dropoutMask: (key, keep, out) => void dropoutMask(out.size, key, keep, ptr(out)),
    momentumUpdate: (lr, beta, w, g, v) => void momentumUpdate(w.size, lr, beta, ptr(w), ptr(g), ptr(v)),
    adamUpdate: (lr, b1, b2, eps, c1, c2, w, g, m, v) =>
      void adamUpdate(w.size, lr, b1, b2, eps, c1, c2, ptr(w), ptr(g), ptr(m), ptr(v)),
    gatherRows: (src, indices, start, out) => {
      const h = heapView(), c = src.cols, s = ptr(src) / bytesPer, o = ptr(out) / bytesPer;
      for (let r = 0; r < out.rows; r++) h.copyWithin(o + r * c, s + indices[start + r] * c, s + (indices[start + r] + 1) * c);
    },
    readInto: (t, dst) => {
      const p = ptr(t) / bytesPer;
      dst.set(heapView().subarray(p, p + t.size));
    },
    reservedBytes: () => memory.buffer.byteLength,
  };
  const variant: KernelVariant = fn('relaxed_simd_build')() ? 'relaxed' : fn('simd_build')() ? 'simd' : 'scalar';
  return new Backend('wasm', dtype, k, variant);
}
