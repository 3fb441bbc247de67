// npm run bench [-- --quick] [-- --only TEXT]: this package's wasm backend (on 1 thread, and on
// 2 … the machine's cores) and js backend against
// TensorFlow.js (wasm and cpu backends), op by op and a training step, in one run. Prints a table
// of rates and ratios, writes bench/results/latest.json and bench/results/latest.svg (the
// record the README quotes). --quick writes quick.json and quick.svg instead (not committed), so
// a quick look never replaces the record; --only runs the cases whose label contains TEXT and
// writes nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createBackend, relaxedSimdSupported, type DType } from '../src/index.js';
import {
  ACTS,
  FORMS,
  activationCase,
  matmulCase,
  mlpCase,
  notebookCase,
  opCase,
  threadCases,
  type Case,
  type Setup,
} from './cases.js';
import { compare, machine, type Timed } from './harness.js';
import { initTfjs, onTf, tf } from './tfjs.js';
import { chart, threadsChart } from './chart.js';
import { finiteMedian, Twin } from './twin.js';

const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
if (onlyAt >= 0 && !only) throw new Error('--only needs the text of a case label, e.g. --only sigmoid');
const ROUNDS = quick ? 3 : 5;
const MIN_MS = quick ? 30 : 120;

type Who = 'wasm' | 'relaxed' | 'js' | 'tfjs-wasm' | 'tfjs-cpu' | `wasm-t${number}`;

// One list of cases: the table, the JSON and the chart are generated from it.
const SIZES = quick ? [64, 256] : [64, 128, 256, 512, 1024];
const CASES: Case[] = [
  ...SIZES.flatMap((n) => FORMS.map((f) => matmulCase(n, n, n, f, `${n}`))),
  ...FORMS.flatMap((f) => [
    matmulCase(64, 256, 784, f, '64×784·784×256'),
    matmulCase(64, 10, 256, f, '64×256·256×10'),
    matmulCase(256, 256, 784, f, '256×784·784×256'),
  ]),
  ...ACTS.map(activationCase),
  // the optimizers' updates, per element of a 1M-element weight (momentum is the yardstick)
  ...(['momentumUpdate', 'rmspropUpdate', 'adagradUpdate', 'adamUpdate'] as const).map(opCase),
  mlpCase(),
  mlpCase({ batchNorm: true }),
  notebookCase(),
];

const { simd } = await initTfjs();
const results: Record<string, unknown>[] = [];
// thread columns: 2 … the machine's cores (at most 8); 'wasm' itself is one thread
const THREADS = Array.from({ length: Math.min(availableParallelism(), 8) - 1 }, (_, i) => i + 2);
const tcol = (t: number): Who => `wasm-t${t}`;
// the thread targets' cases also run beside a twin (bench/twin.ts): "2 jobs" is what two
// independent one-thread copies got at once, over one alone, the most 2 threads could give then
const TWINNED = new Set(threadCases().map((k) => k.label));
const cols = [
  'case',
  'wasm',
  ...THREADS.map((t) => `wasm×${t}`),
  'relaxed',
  'js',
  'tfjs-wasm',
  'tfjs-cpu',
  'unit',
  ...THREADS.map((t) => `×${t}/×1`),
  '2 jobs',
  'wasm/js',
  'wasm/tfjs-wasm',
  'relaxed/tfjs',
];
const unitAt = cols.indexOf('unit');
const line = (cells: string[]) =>
  console.log(cells.map((c, i) => (i === 0 ? c.padEnd(40) : c.padStart(i === unitAt ? 8 : 10))).join(' '));
console.log(`TF.js ${tf.version_core}: wasm backend ${simd ? 'with SIMD' : 'without SIMD'}, and cpu backend`);
console.log(
  `relaxed SIMD ${relaxedSimdSupported() ? 'available: every case also runs on the relaxed build' : 'not available (Node 20 needs --experimental-wasm-relaxed-simd)'}`,
);
for (const dtype of ['float32', 'float64'] as DType[]) {
  const wasm = await createBackend('wasm', { dtype, threads: 1 });
  const threaded = await Promise.all(THREADS.map((threads) => createBackend('wasm', { dtype, threads })));
  for (const be of threaded) if (be.threadsReason) throw new Error(`bench: no threads: ${be.threadsReason}`);
  const relaxed = relaxedSimdSupported() ? await createBackend('wasm', { dtype, relaxedSimd: true, threads: 1 }) : null;
  const js = await createBackend('js', { dtype });
  console.log(`\n${dtype}: medians of ${ROUNDS} alternating rounds; ratios are speed-ups (>1: the first is faster)`);
  line(cols);
  for (const c of CASES.filter((k) => !only || k.label.includes(only))) {
    const withTf = dtype === 'float32' && c.tfjs;
    const setups: [Who, Setup][] = [
      ['wasm', c.ours(wasm)],
      ...threaded.map((be, i): [Who, Setup] => [tcol(THREADS[i]), c.ours(be)]),
      ['js', c.ours(js)],
    ];
    if (relaxed) setups.splice(1 + THREADS.length, 0, ['relaxed', c.ours(relaxed)]);
    if (withTf) {
      setups.push(['tfjs-wasm', onTf('wasm', c.tfjs!)]);
      // TF.js's cpu backend runs near 1 GFLOPS: the big products would take minutes
      if (!c.heavy && !(quick && c.cpuSlow)) setups.push(['tfjs-cpu', onTf('cpu', c.tfjs!)]);
    }
    const contenders: Timed[] = setups.map(([who, s]) => ({
      name: who,
      run: who.startsWith('tfjs') ? () => onTf(who === 'tfjs-wasm' ? 'wasm' : 'cpu', s.run) : s.run,
    }));
    const twin = TWINNED.has(c.label) && !quick ? await Twin.start(c.label, dtype) : undefined;
    // as long a round as the baseline's, so the twin finishes calls in it
    if (twin) contenders.push({ ...twin.beside(setups[0][1].run), minMs: MIN_MS });
    const slow = c.heavy ? 1 : MIN_MS;
    const r = await compare(contenders, ROUNDS, MIN_MS, slow);
    await twin?.dispose();
    const twoJobs = twin ? finiteMedian(twin.jobs(r[0].perRound, r[r.length - 1].ratios)) : undefined;
    setups.forEach(([who, s]) =>
      who.startsWith('tfjs') ? onTf(who === 'tfjs-wasm' ? 'wasm' : 'cpu', s.dispose) : s.dispose(),
    );
    const rate = (s: number) => (c.unit === 'ms/step' ? (s * 1000) / c.work : c.work / s / 1e9);
    const get = (who: Who) => r.find((x) => x.name === who);
    const fmt = (who: Who) => {
      const x = get(who);
      return x
        ? c.unit === 'ms/step'
          ? rate(x.seconds).toPrecision(3)
          : rate(x.seconds).toFixed(c.unit === 'Gelem/s' ? 3 : 2)
        : '-';
    };
    const ratio = (who: Who) => {
      const x = get(who);
      return x ? 1 / x.speedup : undefined;
    };
    const vsJs = ratio('js'),
      vsTf = ratio('tfjs-wasm');
    // relaxed over tfjs-wasm, from the per-round ratios of each to the wasm baseline
    const rx = get('relaxed'),
      tw = get('tfjs-wasm');
    const relaxedVsTf = rx && tw ? rx.speedup / tw.speedup : undefined;
    // N threads over one: the median of the per-round ratios, measured side by side
    const threadSpeedup = Object.fromEntries(THREADS.map((t) => [t, get(tcol(t))!.speedup]));
    line([
      c.label,
      fmt('wasm'),
      ...THREADS.map((t) => fmt(tcol(t))),
      fmt('relaxed'),
      fmt('js'),
      fmt('tfjs-wasm'),
      fmt('tfjs-cpu'),
      c.unit,
      ...THREADS.map((t) => `${threadSpeedup[t].toFixed(2)}×`),
      twoJobs ? `${twoJobs.toFixed(2)}×` : '-',
      vsJs ? `${vsJs.toFixed(1)}×` : '-',
      vsTf ? `${vsTf.toFixed(2)}×` : '-',
      relaxedVsTf ? `${relaxedVsTf.toFixed(2)}×` : '-',
    ]);
    results.push({
      dtype,
      group: c.group,
      case: c.label,
      unit: c.unit,
      ...Object.fromEntries(setups.map(([who]) => [who, rate(get(who)!.seconds)])),
      wasmOverJs: vsJs,
      wasmOverTfjsWasm: vsTf,
      relaxedOverTfjsWasm: relaxedVsTf,
      threadSpeedup,
      twoJobs,
    });
  }
}

if (only) process.exit(0);
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
const info = { machine: machine(), tfjs: tf.version_core, tfjsWasmSimd: simd, quick, rounds: ROUNDS };
const name = quick ? 'quick' : 'latest';
writeFileSync(new URL(`${name}.json`, dir), `${JSON.stringify({ ...info, results }, null, 2)}\n`);
writeFileSync(new URL(`${name}.svg`, dir), chart(results as never, info));
writeFileSync(new URL(`${name}-threads.svg`, dir), threadsChart(results as never, info));
console.log(`\nwrote bench/results/${name}.json, ${name}.svg and ${name}-threads.svg`);
