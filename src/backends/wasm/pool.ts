// The worker pool behind the threaded wasm backend. One pool per JS thread, shared by every
// backend made there: each backend's kernel module is instantiated once in each worker it uses,
// on the backend's shared memory. Workers are started from source in this file (a Blob URL in
// browsers, Deno and Bun; `eval` in Node's worker_threads), so there is no file to serve.
//
// An op is handed out through a small shared control block, not messages: the caller writes
// each worker's share (a kernel's index and its arguments) into the worker's slot, bumps a
// generation counter and wakes the workers, runs share 0 itself, and spins until the pending
// count is back to 0. The caller never blocks in Atomics.wait, which browsers forbid on the
// main thread; workers spin for 2 ms after each share (ops come back to back in training), then
// sleep in Atomics.wait.

/** Most threads one backend uses (the caller and 15 workers). */
export const MAX_THREADS = 16;
const MAX_WORKERS = MAX_THREADS - 1;
/** f64 words per slot: backend id, kernel index, then up to 14 arguments. */
const SLOT = 16;
export const MAX_ARGS = SLOT - 2;
const ERROR_BYTES = 240;
// Int32 words of the control block
// (per worker w: ERR + w, CLAIM + w, SENT + w: messages sent to it, SEEN + w: the last
// generation whose slot it has read)
const GEN = 0, PENDING = 1, ERR = 2, CLAIM = ERR + MAX_THREADS, SENT = CLAIM + MAX_THREADS, SEEN = SENT + MAX_THREADS;
const CONTROL_WORDS = SEEN + MAX_THREADS;
/** Kernel index meaning "leave the loop and read your messages". */
const MESSAGES = -2;
const NOOP = -1;
/** A worker that has not started its share this long after it was handed out is taken for dead (tests shorten it). */
export const TIMEOUTS = { claimMs: 10000 };

/** One share of an op: a kernel (by index into the module's exports) and its arguments. */
export interface Share { fn: number; args: ArrayLike<number> }

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
  c: { GEN: number; PENDING: number; SENT: number; SEEN: number; ERR: number; CLAIM: number; SLOT: number; MESSAGES: number; ERROR_BYTES: number; SPIN_MS: number }): void {
  const ctl = new Int32Array(init.ctl), args = new Float64Array(init.args), text = new Uint8Array(init.text);
  const w = init.index, base = w * c.SLOT;
  const kernels = new Map<number, ((...a: number[]) => unknown)[]>();
  let seen = Atomics.load(ctl, c.GEN);
  Atomics.store(ctl, c.SEEN + w, seen);
  let handled = 0;
  const fail = (e: unknown) => {
    const bytes = new TextEncoder().encode(String(e instanceof Error ? e.message : e)).subarray(0, c.ERROR_BYTES - 1);
    text.fill(0, w * c.ERROR_BYTES, (w + 1) * c.ERROR_BYTES);
    text.set(bytes, w * c.ERROR_BYTES);
    Atomics.store(ctl, c.ERR + w, 1);
  };
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
      const fn = args[base + 1];
      if (fn < 0) Atomics.store(ctl, c.SEEN + w, g);
      if (fn === c.MESSAGES) {
        // back to the event loop, whose message handler calls loop() again
        if (handled < Atomics.load(ctl, c.SENT + w)) return;
        continue;
      }
      if (fn < 0) continue;
      Atomics.store(ctl, c.CLAIM + w, g);
      try {
        const f = kernels.get(args[base])![fn];
        const a = base + 2;
        const a0 = args[a], a1 = args[a + 1], a2 = args[a + 2], a3 = args[a + 3], a4 = args[a + 4], a5 = args[a + 5], a6 = args[a + 6],
          a7 = args[a + 7], a8 = args[a + 8], a9 = args[a + 9], a10 = args[a + 10], a11 = args[a + 11], a12 = args[a + 12], a13 = args[a + 13];
        // the slot is read: the caller may write the next op's
        Atomics.store(ctl, c.SEEN + w, g);
        f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13);
      } catch (e) {
        fail(e);
      }
      Atomics.sub(ctl, c.PENDING, 1);
    }
  };
  listen((m) => {
    handled++;
    if (m.type === 'attach') {
      try {
        const instance = new WebAssembly.Instance(m.module, { env: { memory: m.memory, abort: () => { throw new Error('wasm kernel aborted'); } } });
        kernels.set(m.id, (m.names as string[]).map((n) => instance.exports[n] as (...a: number[]) => unknown));
        post({ type: 'ready', id: m.id, index: w });
      } catch (e) {
        post({ type: 'failed', id: m.id, index: w, error: String(e) });
      }
    } else if (m.type === 'detach') {
      kernels.delete(m.id);
    }
    if (handled === Atomics.load(ctl, c.SENT + w)) loop();
  });
}

const CONSTANTS = { GEN, PENDING, SENT, SEEN, ERR, CLAIM, SLOT, MESSAGES, ERROR_BYTES, SPIN_MS: 2 };
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
  private readonly args = new Float64Array(new SharedArrayBuffer(MAX_THREADS * SLOT * 8));
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
        // not started: it reads no slot until it has read the generation itself
        Atomics.store(this.ctl, SEEN + index, -1);
        const handle = await startWorker({ ctl: this.ctl.buffer as SharedArrayBuffer, args: this.args.buffer as SharedArrayBuffer, text: this.text.buffer as SharedArrayBuffer, index },
          (m) => this.onMessage(m), (why) => this.onDeath(index, why));
        handle.unref();
        // ended from this thread: known at once, so no op hands it a share it might claim (a worker
        // still spinning when terminate() is called can claim one, then stop before finishing it)
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

  /**
   * Waits until every live worker has read its slot for the last generation, so that writing
   * the next op's slots cannot change one under a worker still reading it (it would then run a
   * share twice, or miss a message). Spins: the caller may be a browser's main thread.
   */
  private settle(): void {
    const gen = Atomics.load(this.ctl, GEN);
    const t0 = performance.now();
    for (let w = 1; w <= this.workers.length; w++) {
      if (this.workers[w - 1].dead) continue;
      for (let spins = 1, s = Atomics.load(this.ctl, SEEN + w); s !== gen && s !== -1; s = Atomics.load(this.ctl, SEEN + w), spins++) {
        if ((spins & 0xffff) === 0 && performance.now() - t0 > TIMEOUTS.claimMs) {
          const why = `worker ${w} did not take up its last share within ${TIMEOUTS.claimMs / 1000} s (it died or hangs)`;
          this.workers[w - 1].dead = why;
          this.broken ??= why;
          throw new Error(`wasm backend: ${why}; make a new backend with createBackend`);
        }
      }
    }
  }

  /** Sends each of the first n workers a message, and has them read it. */
  private tell(n: number, message: unknown): void {
    this.settle();
    for (let i = 0; i < n; i++) {
      Atomics.add(this.ctl, SENT + i + 1, 1);
      this.workers[i].post(message);
    }
    for (let w = 1; w <= this.workers.length; w++) this.args[w * SLOT + 1] = MESSAGES;
    Atomics.add(this.ctl, GEN, 1);
    Atomics.notify(this.ctl, GEN);
  }

  /** Instantiates a module on a shared memory in the first n workers; resolves to its id. */
  async attach(module: WebAssembly.Module, memory: WebAssembly.Memory, names: string[], n: number): Promise<number> {
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
    try {
      this.tell(n, { type: 'attach', id, module, memory, names });
      await Promise.all(ready);
    } catch (e) {
      this.detach(id, n);
      throw e;
    } finally {
      for (let i = 0; i < n; i++) this.workers[i].unref();
    }
    return id;
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
    // a worker that stopped answering: its instance goes with it (the pool is broken now)
    try { this.tell(n, { type: 'detach', id }); } catch { /* marked dead by settle() */ }
  }

  /**
   * Runs shares[0] on the calling thread through `here`, and shares[1..] on workers 1..,
   * returning when all are done. Throws, naming the worker, when one failed or did not start.
   */
  run(id: number, shares: Share[], here: () => void): void {
    const n = shares.length - 1;
    for (let w = 1; w <= n; w++) {
      const dead = this.workers[w - 1].dead;
      if (dead) throw new Error(`wasm backend: ${dead}, so this backend's threaded ops cannot run; make a new backend with createBackend`);
    }
    this.settle();
    const args = this.args;
    for (let w = 1; w <= this.workers.length; w++) {
      const o = w * SLOT;
      if (w > n) { args[o + 1] = NOOP; continue; }
      const s = shares[w];
      args[o] = id;
      args[o + 1] = s.fn;
      for (let i = 0; i < s.args.length; i++) args[o + 2 + i] = s.args[i];
    }
    const ctl = this.ctl;
    Atomics.store(ctl, PENDING, n);
    const gen = Atomics.add(ctl, GEN, 1) + 1;
    Atomics.notify(ctl, GEN);
    let failure: unknown;
    try { here(); } catch (e) { failure = e; }
    let spins = 0;
    const t0 = performance.now();
    while (Atomics.load(ctl, PENDING) !== 0) {
      if ((++spins & 0xffff) === 0 && performance.now() - t0 > TIMEOUTS.claimMs) {
        // a share counted twice would leave the count below 0 for ever: say so rather than spin
        if (Atomics.load(ctl, PENDING) < 0) {
          this.broken ??= 'the workers finished more shares than were handed out';
          throw new Error(`wasm backend: ${this.broken}; make a new backend with createBackend`);
        }
        for (let w = 1; w <= n; w++) {
          if (Atomics.load(ctl, CLAIM + w) !== gen) {
            const why = `worker ${w} did not start its share of an op within ${TIMEOUTS.claimMs / 1000} s (it died or hangs)`;
            this.workers[w - 1].dead = why;
            this.broken ??= why;
            throw new Error(`wasm backend: ${why}; make a new backend with createBackend`);
          }
        }
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
