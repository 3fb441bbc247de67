// The worker's program: it takes chunks of ops from the shared control block (protocol.ts) and
// runs them with the backend's kernels, instantiated on the backend's shared memory.
import type { ToWorker, WORKER_CONSTANTS, WorkerInit } from './protocol.js';

/**
 * The worker's whole program. It runs as source text in the worker, so it refers to nothing
 * outside itself: its constants come in `c`.
 */
export function workerMain(
  post: (m: unknown) => void,
  listen: (f: (m: ToWorker) => void) => void,
  init: WorkerInit,
  c: typeof WORKER_CONSTANTS,
  /**
   * what a pool made with a workerHook runs on the messages pool.send() sends (tests); a
   * function it returns runs before each chunk this worker takes from then on (a late worker)
   */
  hook?: (payload: unknown) => unknown,
): void {
  const ctl = new Int32Array(init.ctl),
    args = new Float64Array(init.args),
    text = new Uint8Array(init.text);
  const w = init.index;
  /** per backend id: its kernels and this thread's scratch */
  const backends = new Map<number, { fns: ((...a: number[]) => unknown)[]; scratch: number }>();
  let beforeChunk: (() => void) | undefined;
  let seen = Atomics.load(ctl, c.GEN);
  let handled = 0;
  const fail = (e: unknown) => {
    const bytes = new TextEncoder().encode(String(e instanceof Error ? e.message : e)).subarray(0, c.ERROR_BYTES - 1);
    text.fill(0, w * c.ERROR_BYTES, (w + 1) * c.ERROR_BYTES);
    text.set(bytes, w * c.ERROR_BYTES);
    Atomics.store(ctl, c.ERR + w, 1);
  };
  const a = new Array<number>(c.MAX_ARGS).fill(0);
  const loop = (): void => {
    for (;;) {
      let g = Atomics.load(ctl, c.GEN);
      // spin a while first: in training the next op comes within a millisecond, and a worker
      // asleep in Atomics.wait can take hundreds of microseconds to wake (a virtual CPU most of all)
      if (g === seen) {
        const until = performance.now() + c.SPIN_MS;
        for (let k = 1; g === seen; k++) {
          g = Atomics.load(ctl, c.GEN);
          if ((k & 255) === 0 && performance.now() > until) break;
        }
      }
      while (g === seen) {
        Atomics.wait(ctl, c.GEN, seen);
        g = Atomics.load(ctl, c.GEN);
      }
      seen = g;
      // a message for this worker: back to the event loop, whose handler calls loop() again
      if (handled < Atomics.load(ctl, c.SENT + w)) return;
      // the description is read before taking; a chunk taken proves it was this op's
      const be = backends.get(args[c.D_ID]);
      if (!be || w > args[c.D_WORKERS]) continue;
      const f = be.fns[args[c.D_FN]],
        chunks = args[c.D_CHUNKS],
        scratchAt = args[c.D_SCRATCH];
      const mine = g & c.GEN_MASK;
      for (;;) {
        const t = Atomics.load(ctl, c.TAKE);
        if (t >>> c.INDEX_BITS !== mine) break;
        const i = t & c.INDEX_MASK;
        if (i >= chunks) break;
        if (Atomics.compareExchange(ctl, c.TAKE, t, t + 1) !== t) continue;
        Atomics.store(ctl, c.BUSY + w, g);
        beforeChunk?.();
        try {
          const o = c.D_ARGS + i * c.MAX_ARGS;
          for (let j = 0; j < c.MAX_ARGS; j++) a[j] = args[o + j];
          if (scratchAt >= 0) a[scratchAt] = be.scratch;
          f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15]);
        } catch (e) {
          fail(e);
        }
        Atomics.store(ctl, c.BUSY + w, 0);
        Atomics.add(ctl, c.DONE, 1);
      }
    }
  };
  listen((m) => {
    handled++;
    if (m.type === 'attach') {
      try {
        const instance = new WebAssembly.Instance(m.module, {
          env: {
            memory: m.memory,
            abort: () => {
              throw new Error('wasm kernel aborted');
            },
          },
        });
        backends.set(m.id, {
          fns: m.names.map((n) => instance.exports[n] as (...a: number[]) => unknown),
          scratch: m.scratch[w],
        });
        post({ type: 'ready', id: m.id, index: w });
      } catch (e) {
        post({ type: 'failed', id: m.id, index: w, error: String(e) });
      }
    } else if (m.type === 'detach') {
      backends.delete(m.id);
    } else if (m.type === 'other') {
      const r = hook?.(m.payload);
      beforeChunk = typeof r === 'function' ? (r as () => void) : undefined;
    }
    if (handled === Atomics.load(ctl, c.SENT + w)) loop();
  });
}
