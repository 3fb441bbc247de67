// The twin's thread (bench/twin.ts): one case on a one-thread backend, run while ctl[0] is 1;
// ctl[1] counts finished calls, stamps[n % STAMPS] says when call n finished, ctl[2] is 1 in a call.
import { parentPort, workerData } from 'node:worker_threads';
import { createBackend, type DType } from '../src/index.js';
import { threadCases } from './cases.js';
import { STAMPS } from './twin.js';

const data = workerData as { label: string; dtype: DType; ctl: SharedArrayBuffer; stamps: SharedArrayBuffer };
const { label, dtype } = data;
const ctl = new Int32Array(data.ctl),
  stamps = new Float64Array(data.stamps);
const c = threadCases().find((k) => k.label === label);
if (!c) throw new Error(`twin: no case ${label}`);
const be = await createBackend('wasm', { dtype, threads: 1 });
const s = c.ours(be);
// warm up as the main thread's copy does (compile, tier up)
const t0 = performance.now();
while (performance.now() - t0 < 300) await s.run();
parentPort!.postMessage('ready');
for (;;) {
  Atomics.wait(ctl, 0, 0);
  while (Atomics.load(ctl, 0) === 1) {
    Atomics.store(ctl, 2, 1);
    await s.run();
    stamps[(Atomics.load(ctl, 1) + 1) % STAMPS] = performance.now();
    Atomics.add(ctl, 1, 1);
  }
  Atomics.store(ctl, 2, 0);
}
