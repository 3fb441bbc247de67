// A twin job for the Node benches (run.ts, threads.ts): the same case on a one-thread backend of
// its own, in a worker thread, run over and over while the main thread times its own one-thread copy. Two independent
// jobs share nothing, so their summed rate is what this machine gives two threads at most: on a
// host whose cores are not equal (or not all ours), 2 threads over 1 is bounded by it, not by
// the split.
import { Worker } from 'node:worker_threads';
import { median, type Timed } from './timing.js';

/** Finish times kept (a ring): more than a stretch of the shortest case has calls. */
export const STAMPS = 1 << 14;

/** The median of the rounds that have a figure. */
export const finiteMedian = (xs: number[]): number => median(xs.filter(Number.isFinite));

export class Twin {
  private count0 = 0;
  private stamp0 = 0;
  /** the twin's calls per second in each stretch it ran (NaN: it finished no call in it) */
  readonly rates: number[] = [];

  /**
   * ctl[0]: 1 while the twin should run; ctl[1]: calls it has finished; ctl[2]: 1 while it is
   * in a call. stamps[n % STAMPS]: when it finished call n (ms), written before ctl[1] reaches n,
   * so a count and its stamp are always read as a pair.
   */
  private constructor(
    private readonly ctl: Int32Array,
    private readonly stamps: Float64Array,
    private readonly worker: Worker,
  ) {}

  static async start(label: string, dtype: string): Promise<Twin> {
    const ctl = new Int32Array(new SharedArrayBuffer(12)),
      stamps = new Float64Array(new SharedArrayBuffer(8 * STAMPS));
    // a worker on Node 20 does not get this process's tsx loader: its entry registers it, then
    // imports the TypeScript
    const tsx = import.meta.resolve('tsx/esm/api'),
      main = new URL('./twin-worker.ts', import.meta.url).href;
    const entry = `import(${JSON.stringify(tsx)}).then((m) => m.register()).then(() => import(${JSON.stringify(main)}));`;
    const worker = new Worker(entry, {
      eval: true,
      workerData: { label, dtype, ctl: ctl.buffer, stamps: stamps.buffer },
    });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return new Twin(ctl, stamps, worker);
  }

  /** Sets the twin running; returns once it has finished a call (so it is awake and going). */
  on(): void {
    const c = this.ctl;
    const before = Atomics.load(c, 1);
    Atomics.store(c, 0, 1);
    Atomics.notify(c, 0);
    while (Atomics.load(c, 1) === before) {
      /* spin */
    }
    this.count0 = Atomics.load(c, 1);
    this.stamp0 = this.stamps[this.count0 % STAMPS];
  }

  /** Stops the twin; returns once its last call is over, so it overlaps nothing timed next. */
  off(): void {
    const c = this.ctl;
    // its rate between two finishes, both inside the stretch
    const count = Atomics.load(c, 1);
    const runs = count - this.count0,
      ms = this.stamps[count % STAMPS] - this.stamp0;
    Atomics.store(c, 0, 0);
    while (Atomics.load(c, 2) === 1) {
      /* spin */
    }
    this.rates.push(runs > 0 ? (runs * 1000) / ms : NaN);
  }

  /** A contender for compare(): `run` (a one-thread copy of the case) timed with the twin running. */
  beside(run: () => unknown): Timed {
    return { name: 'beside its twin', run, start: () => this.on(), stop: () => this.off() };
  }

  /**
   * Per round, the two jobs' summed rate over one job alone: the contender's ratio to the
   * one-thread baseline (`beside`, from compare()) plus the twin's rate in that round times the
   * baseline's seconds per call (`alone`); NaN in a round where the twin finished no call.
   */
  jobs(alone: number[], beside: number[]): number[] {
    return beside.map((x, k) => x + this.rates[k] * alone[k]);
  }

  dispose(): Promise<number> {
    return this.worker.terminate();
  }
}
