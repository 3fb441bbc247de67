// The kernel contract: the raw ops a backend supplies (js: loops over typed arrays; wasm:
// calls into linear memory). Backend checks every argument before it calls one of these.
import type { FloatArray } from '../core/matrix.js';
import type { OpSpec } from './ops.js';
import type { Tensor } from './tensor.js';

/** The backends createBackend makes. */
export type BackendName = 'js' | 'wasm';
/** The activations addBias can apply in the same pass ('then'). */
export type UnaryOp = 'relu' | 'sigmoid' | 'tanh';

/** Options of Backend.matmul. */
export interface MatmulOptions {
  /** use Aᵀ (A as stored is K×M) */
  transA?: boolean;
  /** use Bᵀ (B as stored is N×K) */
  transB?: boolean;
  /** write into this tensor instead of allocating one */
  out?: Tensor;
  /** C += op(A)·op(B) into `out` (which must be given) */
  accumulate?: boolean;
}

/** What backend.memory() reports. */
export interface MemoryInfo {
  /** live tensors */
  tensors: number;
  /** bytes held by live tensors */
  bytes: number;
  /** bytes the backend has reserved in all (wasm: the linear memory) */
  reservedBytes: number;
}

/**
 * How a backend's ops used its threads lately (Backend.stats()). A threaded wasm backend
 * measures its ops and uses fewer threads while more run slower (another program keeps a core
 * busy, say), trying more again now and then (docs/guide/performance.md).
 */
export interface BackendStats {
  /** threads the backend may use (Backend.threads) */
  threads: number;
  /** threads its ops run on now: threads, or fewer while more were found slower */
  threadsInUse: number;
  /** why threadsInUse is less than threads; undefined when it is not */
  why?: string;
  /** ops big enough to run on several threads, since the backend was made */
  splittableOps: number;
  /** of those, the ones that ran on more than one thread */
  threadedOps: number;
  /** times the backend tried another number of threads for a few milliseconds of ops */
  probes: number;
  /** times it then changed threadsInUse */
  changes: number;
  /** the last of those */
  lastProbe?: {
    /** the threads it tried */
    threads: number;
    /** the ops' speed on them over their speed on the threads in use then (> 1: faster) */
    speedup: number;
  };
}

/** The raw kernels a backend supplies. Shapes are checked before these are called. */
export interface Kernels {
  alloc(n: number): number | FloatArray;
  release(handle: number | FloatArray, n: number): void;
  write(t: Tensor, data: FloatArray): void;
  read(t: Tensor): FloatArray;
  matmul(
    transA: boolean,
    transB: boolean,
    M: number,
    N: number,
    K: number,
    a: Tensor,
    b: Tensor,
    c: Tensor,
    accumulate: boolean,
  ): void;
  /**
   * Runs an op of the table (ops.ts) on checked operands, in the table's order, with its scalars
   * in the table's order; returns a reduction's value (0 for the others).
   */
  run(op: OpSpec, operands: readonly Tensor[], scalars: readonly number[]): number;
  gatherRows(src: Tensor, indices: Int32Array, start: number, out: Tensor): void;
  readInto(t: Tensor, dst: FloatArray): void;
  reservedBytes(): number;
  /** the most bytes all tensors together can take (wasm: the 4 GiB of 32-bit linear memory) */
  maxBytes(): number;
  /** ends what the backend holds (workers, memory) */
  dispose?(): void;
  /** how the threads were used lately (a threaded backend only) */
  threadStats?(): ThreadStats;
}

/** What a threaded backend's governor reports (BackendStats without threads). */
export type ThreadStats = Omit<BackendStats, 'threads'>;

/** How many threads a backend runs its ops on, and why only one when more were asked for. */
export interface ThreadInfo {
  count: number;
  reason?: string;
}
