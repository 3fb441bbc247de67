// The worker pool behind the threaded wasm backend. One pool per JS thread, shared by every
// backend made there: each backend's kernel module is instantiated once in each worker it uses,
// on the backend's shared memory. Workers are started from source in this file (a Blob URL in
// browsers, Deno and Bun; `eval` in Node's worker_threads), so there is no file to serve.
//
// An op is handed out through a small shared control block, not messages: the caller writes the
// op (a kernel's index and each chunk's arguments: blocks of the output, more of them than
// threads), bumps a generation counter and wakes the workers; then it and every worker take
// chunks one at a time from a shared counter until none is left, and the caller spins until the
// last one taken is done. So a worker that is late (asleep, or descheduled by a busy host) holds
// nothing up: its chunks go to whoever is free, and the caller waits only for a chunk already
// started. Which thread runs a chunk does not change its bits. The caller never blocks in
// Atomics.wait, which browsers forbid on the main thread; workers spin for 2 ms after each op
// (ops come back to back in training), then sleep in Atomics.wait.

/** Most threads one backend uses (the caller and 15 workers). */
export const MAX_THREADS = 16;
const MAX_WORKERS = MAX_THREADS - 1;
/** Arguments a kernel takes at most. */
export const MAX_ARGS = 16;
/** Chunks one op is cut into at most. */
export const MAX_CHUNKS = 64;
const ERROR_BYTES = 240;
// Int32 words of the control block. TAKE is the op's generation (low 24 bits) above the index of
// the next chunk to take (8 bits): one compare-and-swap takes a chunk of exactly the op its
// taker read, and a worker that read an older op's description fails it and takes nothing.
// Per worker w: ERR + w, BUSY + w (the generation whose chunk it is running, else 0),
// SENT + w (messages sent to it).
const GEN = 0, TAKE = 1, DONE = 2, ERR = 3, BUSY = ERR + MAX_THREADS, SENT = BUSY + MAX_THREADS;
const CONTROL_WORDS = SENT + MAX_THREADS;
const INDEX_BITS = 8, GEN_MASK = 0xffffff, CLOSED = 255;
// Float64 words of the op's description: backend id, kernel index, chunks, the argument that is
// the thread's own scratch (-1: none), then each chunk's arguments.
const D_ID = 0, D_FN = 1, D_CHUNKS = 2, D_SCRATCH = 3, D_ARGS = 4;
const DESCRIPTION_WORDS = D_ARGS + MAX_CHUNKS * MAX_ARGS;
/**
 * A worker that has not finished a chunk it took chunkMs after the caller ran out of chunks is
 * taken for dead. A backend whose workers have not all instantiated its kernels startMs after
 * they were asked (a browser that queues workers past its per-site limit, say) runs on one
 * thread instead, and the pool takes no new backend. Tests shorten them.
 */
export const TIMEOUTS = { chunkMs: 10000, startMs: 20000 };

/** One op: a kernel (by index into the module's exports), each chunk's arguments (with this thread's scratch), and which argument a worker replaces with its own scratch (or -1). */
export interface Op { fn: number; chunks: number[][]; scratchAt: number }

interface Handle {
  post(message: unknown): void;
  ref(): void;
  unref(): void;
  terminate(): void;
  dead?: string;
}

// ---- the worker ----

interface WorkerInit { ctl: SharedArrayBuffer; args: SharedArrayBuffer; text: SharedArrayBuffer; index: number }

/**
 * The worker's whole program. It runs as source text in the worker, so it refers to nothing
 * outside itself: its constants come in `c`.
 */
function workerMain(post: (m: unknown) => void, listen: (f: (m: any) => void) => void, init: WorkerInit,
  c: { GEN: number; TAKE: number; DONE: number; SENT: number; BUSY: number; ERR: number; INDEX_BITS: number; GEN_MASK: number; MAX_ARGS: number;
    D_ID: number; D_FN: number; D_CHUNKS: number; D_SCRATCH: number; D_ARGS: number; ERROR_BYTES: number; SPIN_MS: number }): void {
  const ctl = new Int32Array(init.ctl), args = new Float64Array(init.args), text = new Uint8Array(init.text);
  const w = init.index;
  /** per backend id: its kernels and this thread's scratch */
  const backends = new Map<number, { fns: ((...a: number[]) => unknown)[]; scratch: number }>();
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
      if (!be) continue;
      const f = be.fns[args[c.D_FN]], chunks = args[c.D_CHUNKS], scratchAt = args[c.D_SCRATCH];
      const mine = g & c.GEN_MASK;
      for (;;) {
        const t = Atomics.load(ctl, c.TAKE);
        if (t >>> c.INDEX_BITS !== mine) break;
        const i = t & ((1 << c.INDEX_BITS) - 1);
        if (i >= chunks) break;
        if (Atomics.compareExchange(ctl, c.TAKE, t, t + 1) !== t) continue;
        Atomics.store(ctl, c.BUSY + w, g);
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
        const instance = new WebAssembly.Instance(m.module, { env: { memory: m.memory, abort: () => { throw new Error('wasm kernel aborted'); } } });
        backends.set(m.id, { fns: (m.names as string[]).map((n) => instance.exports[n] as (...a: number[]) => unknown), scratch: m.scratch[w] });
        post({ type: 'ready', id: m.id, index: w });
      } catch (e) {
        post({ type: 'failed', id: m.id, index: w, error: String(e) });
      }
    } else if (m.type === 'detach') {
      backends.delete(m.id);
    } else if (m.type === 'hold') {
      // tests: this worker stays away (as if descheduled) until the flag is set
      Atomics.wait(new Int32Array(m.flag), 0, 0);
    }
    if (handled === Atomics.load(ctl, c.SENT + w)) loop();
  });
}

const CONSTANTS = { GEN, TAKE, DONE, SENT, BUSY, ERR, INDEX_BITS, GEN_MASK, MAX_ARGS, D_ID, D_FN, D_CHUNKS, D_SCRATCH, D_ARGS, ERROR_BYTES, SPIN_MS: 2 };
// esbuild's keepNames (tsx, Vite's dev server) wraps functions in calls to a __name helper that
// the worker, holding only this text, does not have
const PRELUDE = 'var __name = (f) => f;';
const NODE_SOURCE = `${PRELUDE} const { parentPort, workerData } = require('node:worker_threads');
(${workerMain.toString()})((m) => parentPort.postMessage(m), (f) => parentPort.on('message', f), workerData, ${JSON.stringify(CONSTANTS)});`;
const WEB_SOURCE = `${PRELUDE} self.onmessage = (first) => {
  const queue = [];
  let handler = null;
  self.onmessage = (e) => (handler ? handler(e.data) : queue.push(e.data));
  (${workerMain.toString()})((m) => self.postMessage(m), (f) => { handler = f; queue.splice(0).forEach(f); }, first.data, ${JSON.stringify(CONSTANTS)});
};`;

// ---- starting workers ----

/**
 * How workers are made here: node:worker_threads where there is one (Node, and Deno and Bun,
 * whose Web Workers would keep a script from exiting), else Web Workers.
 */
async function startWorker(init: WorkerInit, onMessage: (m: any) => void, onDeath: (why: string) => void): Promise<Handle> {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!proc?.versions?.node && typeof Worker === 'function') {
    // Firefox 153: a Worker made inside a worker right after the kernels compiled sometimes never
    // returns from its constructor (5 of 210 page loads here); made from a task of its own, none
    // of 200 did. One timer turn, only inside a worker: a page in a background tab would have
    // its timers throttled, and the hang was never seen there
    if (typeof document === 'undefined') await new Promise((r) => setTimeout(r, 0));
    const url = URL.createObjectURL(new Blob([WEB_SOURCE], { type: 'text/javascript' }));
    let worker: Worker;
    try {
      worker = new Worker(url, { type: 'module', name: `dl-fundamentals ${init.index}` });
    } finally {
      // the worker has fetched it, or failed to
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    }
    worker.onmessage = (e) => onMessage(e.data);
    worker.onerror = (e) => { e.preventDefault?.(); onDeath(`worker ${init.index} failed: ${e.message || 'it could not start (a Content-Security-Policy without worker-src blob:?)'}`); };
    worker.postMessage(init);
    return { post: (m) => worker.postMessage(m), ref() {}, unref() {}, terminate: () => worker.terminate() };
  }
  // a specifier kept from bundlers, which would otherwise try to resolve it for the browser
  const specifier = 'node:worker_threads';
  const { Worker: NodeWorker } = await import(/* @vite-ignore */ specifier) as typeof import('node:worker_threads');
  const worker = new NodeWorker(NODE_SOURCE, { eval: true, workerData: init, name: `dl-fundamentals ${init.index}` });
  worker.on('message', onMessage);
  worker.on('error', (e) => onDeath(`worker ${init.index} failed: ${e.message}`));
  worker.on('exit', (code) => onDeath(`worker ${init.index} exited (code ${code})`));
  return { post: (m) => worker.postMessage(m), ref: () => worker.ref(), unref: () => worker.unref(), terminate: () => void worker.terminate() };
}

// ---- the pool ----

export class Pool {
  readonly ctl = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  private readonly args = new Float64Array(new SharedArrayBuffer(DESCRIPTION_WORDS * 8));
  private readonly text = new Uint8Array(new SharedArrayBuffer(MAX_THREADS * ERROR_BYTES));
  /** workers[i] is thread i + 1 */
  readonly workers: Handle[] = [];
  private starting: Promise<void> = Promise.resolve();
  private nextId = 1;
  /** backends attached and not yet detached: at 0 the workers end */
  private attached = 0;
  private readonly waiting = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();

  /** Makes sure there are at least n workers. */
  grow(n: number): Promise<void> {
    this.starting = this.starting.then(async () => {
      while (this.workers.length < Math.min(n, MAX_WORKERS)) {
        const index = this.workers.length + 1;
        const handle = await startWorker({ ctl: this.ctl.buffer as SharedArrayBuffer, args: this.args.buffer as SharedArrayBuffer, text: this.text.buffer as SharedArrayBuffer, index },
          (m) => this.onMessage(m), (why) => this.onDeath(index, why));
        handle.unref();
        // ended from this thread: known at once, so no op is handed out for it to take a chunk of
        // (a worker still spinning when terminate() is called could take one, then stop)
        const end = handle.terminate;
        handle.terminate = () => { handle.dead ??= `worker ${index} was ended`; this.broken ??= handle.dead; end(); };
        this.workers.push(handle);
      }
    });
    return this.starting;
  }

  private onMessage(m: { type: string; id: number; index: number; error?: string }): void {
    const key = `${m.id}/${m.index}`;
    const w = this.waiting.get(key);
    if (!w) return;
    this.waiting.delete(key);
    if (m.type === 'ready') w.resolve();
    else w.reject(new Error(`worker ${m.index} could not instantiate the kernels: ${m.error}`));
  }

  /** why the pool can take no new backend: one of its workers died */
  broken: string | undefined;

  private onDeath(index: number, why: string): void {
    const h = this.workers[index - 1];
    if (h && !h.dead) h.dead = why;
    this.broken ??= why;
    for (const [key, w] of this.waiting) {
      if (key.endsWith(`/${index}`)) { this.waiting.delete(key); w.reject(new Error(why)); }
    }
  }

  /** Sends workers from … to a message, and wakes them to read it. */
  private tell(from: number, to: number, message: unknown): void {
    for (let w = from; w <= to; w++) {
      Atomics.add(this.ctl, SENT + w, 1);
      this.workers[w - 1].post(message);
    }
    Atomics.add(this.ctl, GEN, 1);
    Atomics.notify(this.ctl, GEN);
  }

  /** Instantiates a module on a shared memory in the first n workers, worker w with scratch[w]; resolves to its id. */
  async attach(module: WebAssembly.Module, memory: WebAssembly.Memory, names: string[], n: number, scratch: readonly number[]): Promise<number> {
    await this.grow(n);
    const dead = this.workers.slice(0, n).find((h) => h.dead);
    if (dead) throw new Error(dead.dead);
    if (this.broken) throw new Error(this.broken);
    const id = this.nextId++;
    const ready = Array.from({ length: n }, (_, i) => new Promise<void>((resolve, reject) => this.waiting.set(`${id}/${i + 1}`, { resolve, reject })));
    // keep Node alive until they answer (the workers are unref'd otherwise)
    for (let i = 0; i < n; i++) this.workers[i].ref();
    // counted from now, so that a backend collected meanwhile does not end the workers
    this.attached++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      this.tell(1, n, { type: 'attach', id, module, memory, names, scratch });
      await Promise.race([Promise.all(ready), new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(this.late(id, n))), TIMEOUTS.startMs);
      })]);
    } catch (e) {
      this.detach(id, n);
      throw e;
    } finally {
      clearTimeout(timer);
      for (let i = 0; i < n; i++) this.workers[i].unref();
    }
    return id;
  }

  /**
   * Why attach `id` gave up: the first of workers 1 … n that has not answered. Its answer, if it
   * comes, is ignored; the pool takes no new backend (each would wait behind that worker), but
   * backends already on it go on, as they do past any late worker.
   */
  private late(id: number, n: number): string {
    let w = 1;
    while (w < n && !this.waiting.has(`${id}/${w}`)) w++;
    const why = `worker ${w} did not start within ${TIMEOUTS.startMs / 1000} s`;
    for (let i = 1; i <= n; i++) this.waiting.delete(`${id}/${i}`);
    this.broken ??= why;
    return why;
  }

  /** Drops a backend's instances from the first n workers. */
  detach(id: number, n: number): void {
    if (--this.attached === 0) {
      // no backend uses the workers any more: end them (a new backend starts new ones)
      this.terminate();
      if (shared === this) shared = undefined;
      return;
    }
    if (this.workers.slice(0, n).some((h) => h.dead)) return;
    this.tell(1, n, { type: 'detach', id });
  }

  /** Tests: worker w stays in its message handler, taking no chunk, until flag[0] is set and notified. */
  hold(w: number, flag: Int32Array): void {
    this.tell(w, w, { type: 'hold', flag: flag.buffer });
  }

  /**
   * Runs an op of backend `id` (whose kernels are in the first n workers): its chunks are taken
   * one at a time by this thread, through `here(...args)`, and by those workers, and it returns when
   * all are done. Throws, naming the worker, when one died or failed.
   */
  run(id: number, n: number, op: Op, here: (...args: number[]) => unknown): void {
    for (let w = 1; w <= n; w++) {
      const dead = this.workers[w - 1].dead;
      if (dead) throw new Error(`wasm backend: ${dead}, so this backend's threaded ops cannot run; make a new backend with createBackend`);
    }
    const chunks = op.chunks.length;
    if (chunks > MAX_CHUNKS) throw new Error(`pool: ${chunks} chunks, more than ${MAX_CHUNKS}`);
    const ctl = this.ctl, args = this.args;
    const gen = (Atomics.load(ctl, GEN) + 1) | 0;
    const mine = gen & GEN_MASK;
    // closed first: a worker still holding the last op's description can take nothing from now on
    Atomics.store(ctl, TAKE, (mine << INDEX_BITS) | CLOSED);
    args[D_ID] = id;
    args[D_FN] = op.fn;
    args[D_CHUNKS] = chunks;
    args[D_SCRATCH] = op.scratchAt;
    for (let i = 0; i < chunks; i++) {
      const c = op.chunks[i], o = D_ARGS + i * MAX_ARGS;
      for (let j = 0; j < c.length; j++) args[o + j] = c[j];
    }
    Atomics.store(ctl, DONE, 0);
    Atomics.store(ctl, TAKE, mine << INDEX_BITS);
    Atomics.store(ctl, GEN, gen);
    Atomics.notify(ctl, GEN);
    let failure: unknown;
    let took = 0;
    for (;;) {
      const t = Atomics.load(ctl, TAKE);
      const i = t & CLOSED;
      if (i >= chunks) break;
      if (Atomics.compareExchange(ctl, TAKE, t, t + 1) !== t) continue;
      took++;
      if (failure === undefined) {
        try { here(...op.chunks[i]); } catch (e) { failure = e; }
      }
    }
    // what is left are chunks that workers took: wait for them
    const others = chunks - took;
    let spins = 0;
    const t0 = performance.now();
    while (Atomics.load(ctl, DONE) !== others) {
      if ((++spins & 0xffff) === 0 && performance.now() - t0 > TIMEOUTS.chunkMs) {
        let w = 1;
        while (w <= n && Atomics.load(ctl, BUSY + w) !== gen) w++;
        const why = w <= n
          ? `worker ${w} did not finish its part of an op within ${TIMEOUTS.chunkMs / 1000} s (it died or hangs)`
          : `the workers finished ${Atomics.load(ctl, DONE)} parts of an op of which they took ${others}`;
        if (w <= n) this.workers[w - 1].dead = why;
        this.broken ??= why;
        throw new Error(`wasm backend: ${why}; make a new backend with createBackend`);
      }
    }
    if (failure !== undefined) throw failure;
    for (let w = 1; w <= n; w++) {
      if (Atomics.load(ctl, ERR + w)) {
        Atomics.store(ctl, ERR + w, 0);
        const bytes = this.text.slice(w * ERROR_BYTES, (w + 1) * ERROR_BYTES);
        throw new Error(`worker ${w} failed: ${new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0) < 0 ? bytes.length : bytes.indexOf(0)))}`);
      }
    }
  }

  /** Ends every worker (tests; a process needs no call: the workers do not keep it alive). */
  terminate(): void {
    for (const h of this.workers) { h.dead ??= 'the pool was ended'; h.terminate(); }
    for (const [key, w] of this.waiting) { this.waiting.delete(key); w.reject(new Error('the worker pool was ended')); }
  }
}

let shared: Pool | undefined;
/** This JS thread's pool: a new one when a worker of the last one died (its backends keep failing). */
export function pool(): Pool {
  if (!shared || shared.broken) shared = new Pool();
  return shared;
}
