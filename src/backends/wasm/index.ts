// The wasm backend: tensors in linear memory, kernels called with pointers. Nothing is copied
// through generated bindings; typed-array views are made only to copy data in or out, and
// always from the current memory.buffer, so they stay valid after the memory grows.
import type { DType, FloatArray } from '../../core/matrix.js';
import { Backend, type Kernels, type Tensor, type ThreadInfo } from '../backend.js';
import { Heap } from './heap.js';
import {
  type KernelVariant,
  type WasmSource,
  SHARED_MAX_PAGES,
  embeddedModule,
  embeddedSharedModule,
  moduleFrom,
  relaxedSimdSupported,
  simdSupported,
} from './loader.js';
import { MAX_THREADS, type Pool } from './threads/pool.js';
import { pool } from './threads/pools.js';
import { bindOps, type Fn } from './bind.js';
import { MIN_SHARE, Splitter, type MatmulKernels } from './threads/split.js';

/** The wasm backend's options: the kernel build, the kernel module, threads. */
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
  /**
   * threads to run the ops on (the calling one included): 'auto' (the default) takes the
   * machine's cores, at most 8; a number asks for that many (1 to 16). Threads need
   * SharedArrayBuffer: in a browser, a cross-origin-isolated page. Where they cannot be had,
   * the backend runs on one thread and `backend.threadsReason` says why.
   */
  threads?: 'auto' | number;
}

/** At most this many threads for 'auto': past it memory bandwidth, not cores, sets the pace. */
const AUTO_CAP = 8;

async function cores(): Promise<number> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (nav?.hardwareConcurrency) return nav.hardwareConcurrency;
  try {
    const specifier = 'node:os';
    const os = (await import(/* @vite-ignore */ specifier)) as typeof import('node:os');
    return os.availableParallelism?.() ?? os.cpus().length;
  } catch {
    return 1;
  }
}

/** How many threads to start with, or 1 and why not more. */
async function plannedThreads(threads: 'auto' | number | undefined, customModule: boolean): Promise<ThreadInfo> {
  if (
    threads !== undefined &&
    threads !== 'auto' &&
    !(Number.isInteger(threads) && threads >= 1 && threads <= MAX_THREADS)
  ) {
    throw new Error(
      `createBackend: threads must be 'auto' or an integer from 1 to ${MAX_THREADS}, got ${typeof threads === 'string' ? `'${threads}'` : String(threads)}`,
    );
  }
  const want = threads === undefined || threads === 'auto' ? Math.min(await cores(), AUTO_CAP) : threads;
  if (want === 1) return { count: 1, reason: threads === 1 ? undefined : 'one core is available' };
  if (customModule)
    return {
      count: 1,
      reason: 'threads need the embedded kernels, and a module of your own was given (the wasm option)',
    };
  if (
    typeof SharedArrayBuffer === 'undefined' ||
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false
  ) {
    return {
      count: 1,
      reason:
        'SharedArrayBuffer is not available: a page must be cross-origin isolated for threads ' +
        '(served with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)',
    };
  }
  return { count: want };
}

// Backends dropped without dispose() give their workers' instances back when collected.
const collected = new FinalizationRegistry<() => void>((release) => release());

interface Exports {
  memory: WebAssembly.Memory;
  [name: string]: Fn | WebAssembly.Memory;
}

/** A wasm backend; its threads come from `pools` (this thread's shared pool; tests give their own). */
export async function createWasmBackend(
  dtype: DType,
  opts: WasmOptions = {},
  pools: () => Pool = pool,
): Promise<Backend> {
  let variant: KernelVariant | undefined;
  if (opts.wasm === undefined) {
    if (opts.simd === true && !simdSupported()) {
      throw new Error('wasm backend: simd: true was asked for, but this engine does not support WebAssembly SIMD');
    }
    variant =
      opts.simd === false || !simdSupported()
        ? 'scalar'
        : opts.relaxedSimd && relaxedSimdSupported()
          ? 'relaxed'
          : 'simd';
  }
  const abort = (_m: number, _f: number, line: number, col: number) => {
    throw new Error(`wasm kernel aborted at ${line}:${col}`);
  };
  let threads = await plannedThreads(opts.threads, opts.wasm !== undefined);
  let module: WebAssembly.Module | undefined;
  let instance: WebAssembly.Instance | undefined;
  if (threads.count > 1) {
    try {
      const shared = await embeddedSharedModule(variant!);
      const memory = new WebAssembly.Memory({ initial: shared.initialPages, maximum: SHARED_MAX_PAGES, shared: true });
      instance = await WebAssembly.instantiate(shared.module, { env: { memory, abort } });
      module = shared.module;
    } catch (e) {
      threads = { count: 1, reason: `a shared memory could not be made: ${(e as Error).message}` };
    }
  }
  if (!instance) {
    module = opts.wasm !== undefined ? await moduleFrom(opts.wasm) : await embeddedModule(variant!);
    instance = await WebAssembly.instantiate(module, { env: { abort } });
  }
  const ex = instance.exports as unknown as Exports;
  const fn = (name: string): Fn => {
    const f = ex[name];
    if (typeof f !== 'function') throw new Error(`wasm backend: the kernel module has no export ${name}`);
    return f;
  };
  const sfx = dtype === 'float64' ? 'f64' : 'f32';
  const bytesPer = dtype === 'float64' ? 8 : 4;
  const memory = ex.memory;
  const heapBase = fn('heap_base')();
  const heap = new Heap(memory, heapBase);
  const scratchBytes = fn('matmul_scratch_bytes')(bytesPer);
  const scratch = heap.alloc(scratchBytes);

  // threads: the module in every worker, on this memory, each with a scratch of its own
  let split: Splitter | undefined;
  let release: (() => void) | undefined;
  if (threads.count > 1) {
    const names = WebAssembly.Module.exports(module!)
      .filter((e) => e.kind === 'function')
      .map((e) => e.name);
    const workers = threads.count - 1;
    const scratches = [scratch];
    try {
      const p = pools();
      for (let w = 0; w < workers; w++) scratches.push(heap.alloc(scratchBytes));
      const id = await p.attach(module!, memory, names, workers, scratches);
      split = new Splitter(p, id, threads.count, names, bytesPer, scratches, fn('matmul_mr')());
      let released = false;
      release = () => {
        if (!released) {
          released = true;
          p.detach(id, workers);
        }
      };
    } catch (e) {
      for (const s of scratches.slice(1)) heap.release(s);
      threads = { count: 1, reason: `the workers could not start: ${(e as Error).message}` };
    }
  }

  const ptr = (t: Tensor): number => t.handle as number;

  const matmul = fn(`matmul_${sfx}`);
  // a threaded matmul's operand packed once for all threads: kept, grown when a product needs more
  let packed = 0,
    packedBytes = 0;
  const threadedMatmul = (bytesOf: Fn): MatmulKernels => ({
    matmul: { name: `matmul_${sfx}`, fn: matmul },
    packA: { name: `matmul_pack_a_${sfx}`, fn: fn(`matmul_pack_a_${sfx}`) },
    packB: { name: `matmul_pack_b_${sfx}`, fn: fn(`matmul_pack_b_${sfx}`) },
    packedBytes: (which, count, K) => bytesOf(which, count, K, bytesPer),
    buffer: (bytes) => {
      if (bytes > packedBytes) {
        // the new one first: when it cannot be had, the old one is still there
        const p = heap.alloc(bytes);
        if (packed) heap.release(packed);
        packed = p;
        packedBytes = bytes;
      }
      return packed;
    },
  });
  // looked up only with threads: a module given as `wasm` (one thread) need not have these
  const mm = split && threadedMatmul(fn('matmul_packed_bytes'));
  const sumSquaresBlocks = fn(`sum_squares_blocks_${sfx}`),
    sumBlock = fn('sum_block')();
  // A view of the whole memory for element copies; re-made only when the memory has grown.
  const wholeView = (): FloatArray =>
    dtype === 'float64' ? new Float64Array(memory.buffer) : new Float32Array(memory.buffer);
  let whole = wholeView();
  let f64s = new Float64Array(memory.buffer);
  const heapView = (): FloatArray => {
    if (whole.buffer !== memory.buffer) whole = wholeView();
    return whole;
  };

  const S = split;
  // threaded sum of squares: each block's sum into the caller's matmul scratch (free between
  // ops), added in order; null when it is not worth it after all
  const blockSum = (x: Tensor): number | null => {
    const blocks = Math.ceil(x.size / sumBlock);
    if (!S || blocks * 8 > scratchBytes) return null;
    const args = [blocks, 0, x.size, ptr(x), scratch];
    if (
      !S.items(
        `sum_squares_blocks_${sfx}`,
        sumSquaresBlocks,
        args,
        0,
        [],
        0,
        Math.ceil(MIN_SHARE.cheap / sumBlock),
        1,
        1,
      )
    )
      return null;
    if (f64s.buffer !== memory.buffer) f64s = new Float64Array(memory.buffer);
    let s = 0;
    for (let k = 0, at = scratch / 8; k < blocks; k++) s += f64s[at + k];
    return s;
  };

  const k: Kernels = {
    alloc: (n) => heap.alloc(n * bytesPer),
    release: (h) => heap.release(h as number),
    write: (t, data) => heapView().set(data.subarray(0, t.size), ptr(t) / bytesPer),
    read: (t) => heapView().slice(ptr(t) / bytesPer, ptr(t) / bytesPer + t.size),
    matmul: (transA, transB, M, N, K, a, b, c, acc) => {
      if (
        S &&
        M * N * K >= 2 * MIN_SHARE.matmul &&
        S.matmul(mm!, [+transA, +transB, M, N, K, ptr(a), ptr(b), ptr(c), +acc, scratch, 0, M, 0, N, 0])
      )
        return;
      matmul(+transA, +transB, M, N, K, ptr(a), ptr(b), ptr(c), +acc, scratch, 0, M, 0, N, 0);
    },
    run: bindOps(fn, sfx, bytesPer, S, blockSum),
    gatherRows: (src, indices, start, out) => {
      const h = heapView(),
        c = src.cols,
        s = ptr(src) / bytesPer,
        o = ptr(out) / bytesPer;
      for (let r = 0; r < out.rows; r++)
        h.copyWithin(o + r * c, s + indices[start + r] * c, s + (indices[start + r] + 1) * c);
    },
    readInto: (t, dst) => {
      const p = ptr(t) / bytesPer;
      dst.set(heapView().subarray(p, p + t.size));
    },
    reservedBytes: () => memory.buffer.byteLength,
    threadStats: split && (() => split!.governor.stats()),
    maxBytes: () => 2 ** 32 - heapBase,
    dispose: () => {
      release?.();
      // forget the heap too: nothing more runs on this memory
      whole = new Float32Array(0) as FloatArray;
    },
  };
  const built: KernelVariant = fn('relaxed_simd_build')() ? 'relaxed' : fn('simd_build')() ? 'simd' : 'scalar';
  const backend = new Backend('wasm', dtype, k, built, threads);
  if (release) collected.register(backend, release, k);
  return backend;
}
