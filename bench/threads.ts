// npm run bench:threads [-- --dtype float64] [-- --rounds N] [-- --only TEXT]: the wasm backend
// on 1 thread against 2 … the machine's cores (at most 8), side by side in one process, on the
// cases issue #14 sets targets for: matmul 512 and 1024 in the three forms, 256×784·784×256 and
// 128×784·784×256, the MLP step and the notebook's step. Prints rates and medians of per-round
// ratios. Also how the split thresholds in
// src/backends/wasm/split.ts were checked: a case at a threshold runs no faster threaded.
// Beside them, "2 jobs": two independent one-thread copies of the case at once (bench/twin.ts),
// their summed rate over one alone: the most two threads could give on this host at that
// moment; "×2/jobs" is 2 threads against it, the split's own efficiency. Then the "busy"
// columns: the same case while this bench keeps one core busy (bench/hog.ts), 1 thread against
// threads: 'auto', alternating round by round, and the share of auto's ops that ran on more than
// one thread (stats()). Without --only it writes bench/results/threads.json (the performance
// page's threads table: node scripts/perf-tables.mjs).
import { availableParallelism } from 'node:os';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BackendStats, createBackend, type DType } from '../src/index.js';
import { threadCases } from './cases.js';
import { compare, machine, nodeHog } from './harness.js';
import { finiteMedian, Twin } from './twin.js';

// node:util's parseArgs: strict, so an unknown option or a missing value is an error
const { values } = parseArgs({
  options: {
    dtype: { type: 'string', default: 'float32' },
    rounds: { type: 'string', default: '7' },
    only: { type: 'string' },
  },
});
const dtype = values.dtype as DType;
if (dtype !== 'float32' && dtype !== 'float64') throw new Error(`--dtype must be float32 or float64, not ${dtype}`);
const ROUNDS = Number(values.rounds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1)
  throw new Error(`--rounds must be a whole number ≥ 1, not ${values.rounds}`);
const only = values.only;

const THREADS = Array.from({ length: Math.min(availableParallelism(), 8) - 1 }, (_, i) => i + 2);
const one = await createBackend('wasm', { dtype, threads: 1 });
const many = await Promise.all(THREADS.map((threads) => createBackend('wasm', { dtype, threads })));
/** The share of the busy stretch's splittable ops that ran on more than one thread. */
function threadedShare(a: BackendStats, z: BackendStats): number {
  const ops = z.splittableOps - a.splittableOps;
  return ops > 0 ? (z.threadedOps - a.threadedOps) / ops : Number.NaN;
}

const auto = await createBackend('wasm', { dtype });
for (const be of [...many, auto]) if (be.threadsReason) throw new Error(`bench: no threads: ${be.threadsReason}`);
const hog = nodeHog();
const record: Record<string, number | string>[] = [];

console.log(`${dtype}, medians of ${ROUNDS} alternating rounds (ratios: N threads over 1, > 1 is faster)`);
const head = [
  'case',
  '×1',
  ...THREADS.map((t) => `×${t}`),
  'unit',
  ...THREADS.map((t) => `×${t}/×1`),
  'range',
  '2 jobs',
  '×2/jobs',
  '×1 busy',
  'auto busy',
  'auto/×1',
  'range',
  'in use',
];
const line = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(36) : c.padStart(11))).join(''));
line(head);
for (const c of threadCases().filter((k) => !only || k.label.includes(only))) {
  const setups = [one, ...many].map((be) => c.ours(be));
  const twin = await Twin.start(c.label, dtype);
  const r = await compare(
    [...setups.map((s, i) => ({ name: String(i), run: s.run })), twin.beside(setups[0].run)],
    ROUNDS,
    150,
  );
  await twin.dispose();
  setups.forEach((s) => s.dispose());
  const jobs = twin.jobs(r[0].perRound, r[r.length - 1].ratios);
  // busy: one core kept busy while 1 thread and 'auto' alternate
  const busy = [c.ours(one), c.ours(auto)];
  hog.on();
  const before = auto.stats();
  const b = await compare(
    busy.map((s, i) => ({ name: String(i), run: s.run })),
    ROUNDS,
    150,
  );
  const after = auto.stats();
  const share = threadedShare(before, after);
  hog.off();
  busy.forEach((s) => s.dispose());
  const rate = (s: number) =>
    c.unit === 'ms/step' ? ((s * 1000) / c.work).toPrecision(3) : (c.work / s / 1e9).toFixed(2);
  line([
    c.label,
    ...r.slice(0, -1).map((x) => rate(x.seconds)),
    c.unit,
    ...r.slice(1, -1).map((x) => `${x.speedup.toFixed(2)}×`),
    `${Math.min(...r[1].ratios).toFixed(2)}–${Math.max(...r[1].ratios).toFixed(2)}`,
    // and 2 threads against the two jobs, round by round
    `${finiteMedian(jobs).toFixed(2)}×`,
    finiteMedian(jobs.map((j, k) => r[1].ratios[k] / j)).toFixed(2),
    ...b.map((x) => rate(x.seconds)),
    `${b[1].speedup.toFixed(2)}×`,
    `${Math.min(...b[1].ratios).toFixed(2)}–${Math.max(...b[1].ratios).toFixed(2)}`,
    Number.isFinite(share) ? `${(share * 100).toFixed(0)}%` : '–',
  ]);
  const per = (x: { seconds: number }) =>
    c.unit === 'ms/step' ? (x.seconds * 1000) / c.work : c.work / x.seconds / 1e9;
  record.push({
    case: c.label,
    unit: c.unit,
    one: per(r[0]),
    many: per(r[1]),
    manyOverOne: r[1].speedup,
    busyOne: per(b[0]),
    busyAuto: per(b[1]),
    busyAutoOverOne: b[1].speedup,
    busyThreaded: share,
  });
}
if (!only) {
  const out = fileURLToPath(new URL('./results/threads.json', import.meta.url));
  const info = { ...machine(), dtype, rounds: ROUNDS, threads: THREADS[0], auto: auto.threads };
  writeFileSync(out, `${JSON.stringify({ info, results: record }, null, 2)}\n`);
  console.log('wrote bench/results/threads.json');
}
hog.dispose();
for (const be of [one, ...many, auto]) be.dispose();
