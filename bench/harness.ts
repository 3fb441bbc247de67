// The Node side of the benches: the timing (timing.ts) and what machine it ran on.
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Hog } from './hog.js';

export { type Timed, time, median, compare } from './timing.js';

/** A busy core for the "busy" columns: the hog in a worker thread of this process. */
export function nodeHog(): Hog {
  return Hog.create(
    (source, buffer, limit) =>
      new Worker(`${source}\nrun(new Int32Array(require('node:worker_threads').workerData.buffer), ${limit});`, {
        eval: true,
        workerData: { buffer },
      }),
  );
}

export function machine(): Record<string, string | number> {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
  };
}
