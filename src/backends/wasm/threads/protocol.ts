// The threads' protocol: the shared control block's layout, the op description's layout, and
// the messages between the pool and its workers. The worker program (worker.ts) runs as source
// text, so it gets these constants as an object (WORKER_CONSTANTS), not by import.
/** Most threads one backend uses (the caller and 15 workers). */
export const MAX_THREADS = 16;
export const MAX_WORKERS = MAX_THREADS - 1;
/** Arguments a kernel takes at most. */
export const MAX_ARGS = 16;
/** Chunks one op is cut into at most. */
export const MAX_CHUNKS = 64;
/** Bytes of each worker's error message in the shared text block. */
export const ERROR_BYTES = 240;

/** Worker w's error message, as it wrote it into the shared text block (NUL-terminated when shorter). */
export function errorText(text: Uint8Array, w: number): string {
  const bytes = text.slice(w * ERROR_BYTES, (w + 1) * ERROR_BYTES);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end));
}
// Int32 words of the control block. TAKE is the op's generation (low 24 bits) above the index of
// the next chunk to take (8 bits): one compare-and-swap takes a chunk of exactly the op its
// taker read, and a worker that read an older op's description fails it and takes nothing.
// Per worker w: ERR + w, BUSY + w (the generation whose chunk it is running, else 0),
// SENT + w (messages sent to it).
export const GEN = 0,
  TAKE = 1,
  DONE = 2,
  ERR = 3,
  BUSY = ERR + MAX_THREADS,
  SENT = BUSY + MAX_THREADS;
export const CONTROL_WORDS = SENT + MAX_THREADS;
/** TAKE's low INDEX_BITS bits are the next chunk's index (INDEX_MASK), the rest the op's generation (GEN_MASK). */
export const INDEX_BITS = 8,
  INDEX_MASK = (1 << INDEX_BITS) - 1,
  GEN_MASK = 0xffffff;
/** A TAKE index past every chunk: the op is closed, nothing can be taken. */
export const CLOSED = INDEX_MASK;
// Float64 words of the op's description: backend id, kernel index, chunks, the argument that is
// the thread's own scratch (-1: none), the workers that may take part (1 … D_WORKERS: the
// governor may use fewer than the backend has), then each chunk's arguments.
export const D_ID = 0,
  D_FN = 1,
  D_CHUNKS = 2,
  D_SCRATCH = 3,
  D_WORKERS = 4,
  D_ARGS = 5;
export const DESCRIPTION_WORDS = D_ARGS + MAX_CHUNKS * MAX_ARGS;
/**
 * A worker that has not finished a chunk it took chunkMs after the caller ran out of chunks is
 * taken for dead. A backend whose workers have not all instantiated its kernels startMs after
 * they were asked (a browser that queues workers past its per-site limit, say) runs on one
 * thread instead, and the pool takes no new backend. A pool can be made with others (tests
 * shorten them).
 */
export interface Timeouts {
  chunkMs: number;
  startMs: number;
}
/** The timeouts of the pools the backends use. */
export const TIMEOUTS: Readonly<Timeouts> = Object.freeze({ chunkMs: 10000, startMs: 20000 });

/** One op: a kernel (by index into the module's exports), each chunk's arguments (with this thread's scratch), and which argument a worker replaces with its own scratch (or -1). */
export interface Op {
  fn: number;
  chunks: number[][];
  scratchAt: number;
}

export interface Handle {
  post(message: unknown): void;
  ref(): void;
  unref(): void;
  terminate(): void;
  dead?: string;
}

/** What a worker starts with: the shared blocks, and its index (1 … MAX_WORKERS). */
export interface WorkerInit {
  ctl: SharedArrayBuffer;
  args: SharedArrayBuffer;
  text: SharedArrayBuffer;
  index: number;
}

/** Messages to a worker. 'other' goes to the worker hook of the pool, if it has one (tests). */
export type ToWorker =
  | {
      type: 'attach';
      id: number;
      module: WebAssembly.Module;
      memory: WebAssembly.Memory;
      names: string[];
      scratch: readonly number[];
    }
  | { type: 'detach'; id: number }
  | { type: 'other'; payload: unknown };

/** Messages from a worker: a backend's kernels instantiated, or not. */
export type FromWorker = { type: 'ready' | 'failed'; id: number; index: number; error?: string };

/** The constants the worker program needs, passed in as it refers to nothing outside itself. */
export const WORKER_CONSTANTS = {
  GEN,
  TAKE,
  DONE,
  SENT,
  BUSY,
  ERR,
  INDEX_BITS,
  INDEX_MASK,
  GEN_MASK,
  MAX_ARGS,
  D_ID,
  D_FN,
  D_CHUNKS,
  D_SCRATCH,
  D_WORKERS,
  D_ARGS,
  ERROR_BYTES,
  SPIN_MS: 2,
};
