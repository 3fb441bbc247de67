// A busy core for the benches' "busy" column: a thread that spins while the bench tells it to,
// as another program on a user's machine would keep a core. It runs in a worker (Node's
// worker_threads or a page's Web Worker, from source: no file to serve) and is told through a
// shared word, so switching it on and off costs nothing measurable. Bounded: it stops by
// itself HOG_LIMIT_MS after it was last switched on, so a bench that dies leaves nothing spinning.
// No Node imports here: the browser bench runs it in a page (its Worker maker is passed in).

/** How long the hog spins at most after being switched on, unless switched on again. */
export const HOG_LIMIT_MS = 120_000;

/** The worker's program, as source: ctl[0] = 1 means spin; ctl[1] counts spins it has done. */
function hogMain(ctl: Int32Array, limitMs: number): void {
  for (;;) {
    Atomics.wait(ctl, 0, 0);
    const until = performance.now() + limitMs;
    let x = 0;
    while (Atomics.load(ctl, 0) === 1 && performance.now() < until) {
      for (let i = 0; i < 10000; i++) x = (x * 1.0000001 + 1e-9) % 1e6;
      Atomics.add(ctl, 1, 1);
    }
    if (x === -1) console.log(x);
    Atomics.store(ctl, 0, 0);
  }
}

/** The source a worker runs, given its shared block (as `data`, from its first message or workerData). */
export const HOG_SOURCE = `const run = ${hogMain.toString()};`;

export interface HogWorker {
  terminate(): unknown;
}

export class Hog {
  private constructor(
    private readonly ctl: Int32Array,
    private readonly worker: HogWorker,
  ) {}

  /** Starts the worker with `spawn(source, buffer)`, which must run `source` and then `run(new Int32Array(buffer), limit)`. */
  static create(spawn: (source: string, buffer: SharedArrayBuffer, limitMs: number) => HogWorker): Hog {
    const buffer = new SharedArrayBuffer(8);
    return new Hog(new Int32Array(buffer), spawn(HOG_SOURCE, buffer, HOG_LIMIT_MS));
  }

  /** Starts spinning; returns once the spin has begun (so the core is busy before timing). */
  on(): void {
    const before = Atomics.load(this.ctl, 1);
    Atomics.store(this.ctl, 0, 1);
    Atomics.notify(this.ctl, 0);
    const t0 = performance.now();
    while (Atomics.load(this.ctl, 1) === before) {
      if (performance.now() - t0 > 5000) throw new Error('hog: the busy thread did not start within 5 s');
    }
  }

  off(): void {
    Atomics.store(this.ctl, 0, 0);
  }

  dispose(): void {
    this.off();
    this.worker.terminate();
  }
}
