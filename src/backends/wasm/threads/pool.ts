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

import {
  BUSY,
  CLOSED,
  CONTROL_WORDS,
  D_ARGS,
  D_CHUNKS,
  D_FN,
  D_ID,
  D_SCRATCH,
  D_WORKERS,
  DESCRIPTION_WORDS,
  DONE,
  ERR,
  ERROR_BYTES,
  errorText,
  type FromWorker,
  GEN,
  GEN_MASK,
  type Handle,
  INDEX_BITS,
  INDEX_MASK,
  MAX_ARGS,
  MAX_CHUNKS,
  MAX_THREADS,
  MAX_WORKERS,
  type Op,
  SENT,
  TAKE,
  TIMEOUTS,
  type Timeouts,
  type ToWorker,
} from './protocol.js';
import { startWorker } from './spawn.js';

export { MAX_ARGS, MAX_CHUNKS, MAX_THREADS, TIMEOUTS, type Timeouts } from './protocol.js';

/** What a pool is made with; tests give their own timeouts and worker hook. */
export interface PoolOptions {
  /** how long a chunk and a worker's start may take (TIMEOUTS by default) */
  timeouts?: Readonly<Timeouts>;
  /** called when the last backend detaches and the workers end */
  onEnd?: () => void;
  /**
   * run in each worker on what send() sends: a self-contained function (it travels as source
   * text); tests use one to keep a worker away, as a descheduled one is, or (returning a
   * function, run before each chunk it takes) to make it late in the middle of its chunks
   */
  workerHook?: (payload: unknown) => unknown;
}

export class Pool {
  /** how long a chunk and a worker's start may take */
  readonly timeouts: Readonly<Timeouts>;

  constructor(private readonly options: PoolOptions = {}) {
    this.timeouts = options.timeouts ?? TIMEOUTS;
  }

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
        const handle = await startWorker(
          {
            ctl: this.ctl.buffer as SharedArrayBuffer,
            args: this.args.buffer as SharedArrayBuffer,
            text: this.text.buffer as SharedArrayBuffer,
            index,
          },
          (m) => this.onMessage(m),
          (why) => this.onDeath(index, why),
          this.options.workerHook,
        );
        handle.unref();
        // ended from this thread: known at once, so no op is handed out for it to take a chunk of
        // (a worker still spinning when terminate() is called could take one, then stop)
        const end = handle.terminate;
        handle.terminate = () => {
          handle.dead ??= `worker ${index} was ended`;
          this.broken ??= handle.dead;
          end();
        };
        this.workers.push(handle);
      }
    });
    return this.starting;
  }

  private onMessage(m: FromWorker): void {
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
      if (key.endsWith(`/${index}`)) {
        this.waiting.delete(key);
        w.reject(new Error(why));
      }
    }
  }

  /** Sends workers from … to a message, and wakes them to read it. */
  private tell(from: number, to: number, message: ToWorker): void {
    for (let w = from; w <= to; w++) {
      Atomics.add(this.ctl, SENT + w, 1);
      this.workers[w - 1].post(message);
    }
    Atomics.add(this.ctl, GEN, 1);
    Atomics.notify(this.ctl, GEN);
  }

  /** Instantiates a module on a shared memory in the first n workers, worker w with scratch[w]; resolves to its id. */
  async attach(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    names: string[],
    n: number,
    scratch: readonly number[],
  ): Promise<number> {
    await this.grow(n);
    const dead = this.workers.slice(0, n).find((h) => h.dead);
    if (dead) throw new Error(dead.dead);
    if (this.broken) throw new Error(this.broken);
    const id = this.nextId++;
    const ready = Array.from(
      { length: n },
      (_, i) => new Promise<void>((resolve, reject) => this.waiting.set(`${id}/${i + 1}`, { resolve, reject })),
    );
    // keep Node alive until they answer (the workers are unref'd otherwise)
    for (let i = 0; i < n; i++) this.workers[i].ref();
    // counted from now, so that a backend collected meanwhile does not end the workers
    this.attached++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      this.tell(1, n, { type: 'attach', id, module, memory, names, scratch });
      await Promise.race([
        Promise.all(ready),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(this.late(id, n))), this.timeouts.startMs);
        }),
      ]);
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
    const why = `worker ${w} did not start within ${this.timeouts.startMs / 1000} s`;
    for (let i = 1; i <= n; i++) this.waiting.delete(`${id}/${i}`);
    this.broken ??= why;
    return why;
  }

  /** Drops a backend's instances from the first n workers. */
  detach(id: number, n: number): void {
    if (--this.attached === 0) {
      // no backend uses the workers any more: end them (a new backend starts new ones)
      this.terminate();
      this.options.onEnd?.();
      return;
    }
    if (this.workers.slice(0, n).some((h) => h.dead)) return;
    this.tell(1, n, { type: 'detach', id });
  }

  /** Sends worker w a message for the pool's workerHook (tests). */
  send(w: number, payload: unknown): void {
    this.tell(w, w, { type: 'other', payload });
  }

  /** Throws when one of the first n workers died: the backends on them fail, whether an op uses them or not. */
  check(n: number): void {
    for (let w = 1; w <= n; w++) {
      const dead = this.workers[w - 1].dead;
      if (dead)
        throw new Error(
          `wasm backend: ${dead}, so this backend's threaded ops cannot run; make a new backend with createBackend`,
        );
    }
  }

  /**
   * Runs an op of backend `id` on the first n workers (its kernels are in them, and maybe in
   * more): its chunks are taken one at a time by this thread, through `here(...args)`, and by
   * those workers, and it returns when all are done. Throws, naming the worker, when one died or failed.
   */
  run(id: number, n: number, op: Op, here: (...args: number[]) => unknown): void {
    this.check(n);
    const chunks = op.chunks.length;
    if (chunks > MAX_CHUNKS) throw new Error(`pool: ${chunks} chunks, more than ${MAX_CHUNKS}`);
    const ctl = this.ctl,
      args = this.args;
    const gen = (Atomics.load(ctl, GEN) + 1) | 0;
    const mine = gen & GEN_MASK;
    // closed first: a worker still holding the last op's description can take nothing from now on
    Atomics.store(ctl, TAKE, (mine << INDEX_BITS) | CLOSED);
    args[D_ID] = id;
    args[D_FN] = op.fn;
    args[D_CHUNKS] = chunks;
    args[D_SCRATCH] = op.scratchAt;
    args[D_WORKERS] = n;
    for (let i = 0; i < chunks; i++) {
      const c = op.chunks[i],
        o = D_ARGS + i * MAX_ARGS;
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
      const i = t & INDEX_MASK;
      if (i >= chunks) break;
      if (Atomics.compareExchange(ctl, TAKE, t, t + 1) !== t) continue;
      took++;
      if (failure === undefined) {
        try {
          here(...op.chunks[i]);
        } catch (e) {
          failure = e;
        }
      }
    }
    // what is left are chunks that workers took: wait for them
    const others = chunks - took;
    let spins = 0;
    const t0 = performance.now();
    while (Atomics.load(ctl, DONE) !== others) {
      if ((++spins & 0xffff) === 0 && performance.now() - t0 > this.timeouts.chunkMs) {
        let w = 1;
        while (w <= n && Atomics.load(ctl, BUSY + w) !== gen) w++;
        const why =
          w <= n
            ? `worker ${w} did not finish its part of an op within ${this.timeouts.chunkMs / 1000} s (it died or hangs)`
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
        throw new Error(`worker ${w} failed: ${errorText(this.text, w)}`);
      }
    }
  }

  /** Ends every worker (tests; a process needs no call: the workers do not keep it alive). */
  terminate(): void {
    for (const h of this.workers) {
      h.dead ??= 'the pool was ended';
      h.terminate();
    }
    for (const [key, w] of this.waiting) {
      this.waiting.delete(key);
      w.reject(new Error('the worker pool was ended'));
    }
  }
}
