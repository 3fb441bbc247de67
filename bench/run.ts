// npm run bench [-- --quick] [-- --only TEXT]: this package's wasm backend (on 1 thread, and on
// 2 … the machine's cores) and js backend against
// TensorFlow.js (wasm and cpu backends), op by op and a training step, in one run. Prints a table
// of rates and ratios, writes bench/results/latest.json and bench/results/latest.svg (the
// record the README quotes). --quick writes quick.json and quick.svg instead (not committed), so
// a quick look never replaces the record; --only runs the cases whose label contains TEXT and
// writes nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import {
  createBackend, relaxedSimdSupported, dense, dropout, relu, sequential, sgd, sigmoid, softmax, type Backend, type DType, type Tensor,
} from '../src/index.js';
import { compare, machine, type Timed } from './harness.js';
import { initTfjs, onTf, tf, tfl } from './tfjs.js';
import { chart, threadsChart } from './chart.js';

const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
if (onlyAt >= 0 && !only) throw new Error('--only needs the text of a case label, e.g. --only sigmoid');
const ROUNDS = quick ? 3 : 5;
const MIN_MS = quick ? 30 : 120;

type Who = 'wasm' | 'relaxed' | 'js' | 'tfjs-wasm' | 'tfjs-cpu' | `wasm-t${number}`;
interface Setup { run: () => unknown; dispose: () => void }
interface Case {
  group: 'matmul' | 'activation' | 'train';
  label: string;
  /** work per call: flops (matmul), elements (activations), or training steps per call */
  work: number;
  unit: 'GFLOPS' | 'Gelem/s' | 'ms/step';
  /** too slow for the reference backends beyond this: they get one call a round */
  heavy?: boolean;
  /** TF.js's cpu backend takes 100 ms or more a call: --quick leaves it out */
  cpuSlow?: boolean;
  ours: (be: Backend) => Setup;
  tfjs?: () => Setup;
  /** the slow backends (js, tfjs-cpu) skip this case */
  fastOnly?: boolean;
}

const fill = (n: number, lo = -1, hi = 1) => {
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = lo + (hi - lo) * (0.5 + 0.5 * Math.sin(i * 12.9898));
  return d;
};
const filled = (be: Backend, rows: number, cols: number, lo = -1, hi = 1): Tensor => be.tensor({ rows, cols, data: fill(rows * cols, lo, hi) });

const FORMS = [
  { name: 'A·B', transA: false, transB: false },
  { name: 'A·Bᵀ', transA: false, transB: true },
  { name: 'Aᵀ·B', transA: true, transB: false },
];

function matmulCase(M: number, N: number, K: number, f: typeof FORMS[number], label: string): Case {
  return {
    group: 'matmul', label: `matmul ${f.name} ${label}`, work: 2 * M * N * K, unit: 'GFLOPS', heavy: 2 * M * N * K > 5e8, cpuSlow: 2 * M * N * K > 1e8,
    ours(be) {
      const a = f.transA ? filled(be, K, M) : filled(be, M, K);
      const b = f.transB ? filled(be, N, K) : filled(be, K, N);
      const c = be.zeros(M, N);
      return { run: () => be.matmul(a, b, { transA: f.transA, transB: f.transB, out: c }), dispose: () => [a, b, c].forEach((t) => t.dispose()) };
    },
    tfjs() {
      const a = tf.tensor2d(fill(M * K), f.transA ? [K, M] : [M, K]);
      const b = tf.tensor2d(fill(K * N), f.transB ? [N, K] : [K, N]);
      return { run: () => tf.matMul(a, b, f.transA, f.transB).dispose(), dispose: () => { a.dispose(); b.dispose(); } };
    },
  };
}

const ACTS = ['relu', 'sigmoid', 'tanh', 'softmax'] as const;
function activationCase(op: typeof ACTS[number]): Case {
  const n = 1 << 20;
  // softmax row-wise over rows of 1024; the others over one long row
  const [rows, cols] = op === 'softmax' ? [1024, 1024] : [1, n];
  return {
    group: 'activation', label: `${op} 1M`, work: n, unit: 'Gelem/s',
    ours(be) {
      const x = filled(be, rows, cols, -8, 8), y = be.zeros(rows, cols);
      return { run: () => be[op](x, y), dispose: () => { x.dispose(); y.dispose(); } };
    },
    tfjs() {
      const x = tf.tensor2d(fill(n, -8, 8), [rows, cols]);
      return { run: () => tf[op](x).dispose(), dispose: () => x.dispose() };
    },
  };
}

/** The MLP 784→256→128→10 (relu, relu, softmax; dropout 0.2 after the first layer; L2 1e-4; SGD), batch 128. */
function mlpCase(): Case {
  const B = 128;
  const labels = (k: number) => {
    const y = new Float32Array(B * k);
    for (let i = 0; i < B; i++) y[i * k + (i % k)] = 1;
    return y;
  };
  return {
    group: 'train', label: 'MLP 784-256-128-10 step, batch 128', work: 4, unit: 'ms/step', cpuSlow: true,
    ours(be) {
      const model = sequential([dense(256), relu(), dropout(0.2), dense(128), relu(), dense(10, { init: 'xavier' }), softmax()], { inputSize: 784, backend: be, seed: 1 });
      const x = filled(be, B, 784, 0, 1), y = be.tensor({ rows: B, cols: 10, data: labels(10) });
      const opt = sgd({ learningRate: 0.01 });
      return {
        // 4 steps a call, as in a training loop; batch = the 128 examples
        run: () => model.fit(x, y, { loss: 'categoricalCrossEntropy', optimizer: opt, epochs: 4, l2: 1e-4 }),
        dispose: () => { model.dispose(); x.dispose(); y.dispose(); },
      };
    },
    tfjs() {
      const reg = () => tfl.regularizers.l2({ l2: 1e-4 });
      const model = tfl.sequential({ layers: [
        tfl.layers.dense({ inputShape: [784], units: 256, activation: 'relu', kernelRegularizer: reg() }),
        tfl.layers.dropout({ rate: 0.2 }),
        tfl.layers.dense({ units: 128, activation: 'relu', kernelRegularizer: reg() }),
        tfl.layers.dense({ units: 10, activation: 'softmax', kernelRegularizer: reg() }),
      ] });
      model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
      const x = tf.tensor2d(fill(B * 784, 0, 1), [B, 784]), y = tf.tensor2d(labels(10), [B, 10]);
      return {
        run: async () => { for (let i = 0; i < 4; i++) await model.trainOnBatch(x, y); },
        dispose: () => { model.dispose(); x.dispose(); y.dispose(); },
      };
    },
  };
}

/** The course's 2→10→5→1 net (relu, relu, sigmoid) on 300 examples, full batch. */
function notebookCase(): Case {
  const m = 300;
  const y = new Float32Array(m).map((_, i) => i % 2);
  return {
    group: 'train', label: 'notebook 2-10-5-1 step, 300 examples', work: 20, unit: 'ms/step',
    ours(be) {
      const model = sequential([dense(10), relu(), dense(5), relu(), dense(1), sigmoid()], { inputSize: 2, backend: be, seed: 3 });
      const x = filled(be, m, 2), yt = be.tensor({ rows: m, cols: 1, data: y });
      const opt = sgd({ learningRate: 0.01 });
      // 20 full-batch steps a call, as in a training loop
      return { run: () => model.fit(x, yt, { loss: 'binaryCrossEntropy', optimizer: opt, epochs: 20 }), dispose: () => { model.dispose(); x.dispose(); yt.dispose(); } };
    },
    tfjs() {
      const model = tfl.sequential({ layers: [
        tfl.layers.dense({ inputShape: [2], units: 10, activation: 'relu' }),
        tfl.layers.dense({ units: 5, activation: 'relu' }),
        tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
      ] });
      model.compile({ optimizer: tf.train.sgd(0.01), loss: 'binaryCrossentropy' });
      const x = tf.tensor2d(fill(m * 2), [m, 2]), yt = tf.tensor2d(y, [m, 1]);
      return {
        run: async () => { for (let i = 0; i < 20; i++) await model.trainOnBatch(x, yt); },
        dispose: () => { model.dispose(); x.dispose(); yt.dispose(); },
      };
    },
  };
}

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
  mlpCase(),
  notebookCase(),
];

const { simd } = await initTfjs();
const results: Record<string, unknown>[] = [];
// thread columns: 2 … the machine's cores (at most 8); 'wasm' itself is one thread
const THREADS = Array.from({ length: Math.min(availableParallelism(), 8) - 1 }, (_, i) => i + 2);
const tcol = (t: number): Who => `wasm-t${t}`;
const cols = ['case', 'wasm', ...THREADS.map((t) => `wasm×${t}`), 'relaxed', 'js', 'tfjs-wasm', 'tfjs-cpu', 'unit', ...THREADS.map((t) => `×${t}/×1`), 'wasm/js', 'wasm/tfjs-wasm', 'relaxed/tfjs'];
const unitAt = cols.indexOf('unit');
const line = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(40) : c.padStart(i === unitAt ? 8 : 10))).join(' '));
console.log(`TF.js ${tf.version_core}: wasm backend ${simd ? 'with SIMD' : 'without SIMD'}, and cpu backend`);
console.log(`relaxed SIMD ${relaxedSimdSupported() ? 'available: every case also runs on the relaxed build' : 'not available (Node 20 needs --experimental-wasm-relaxed-simd)'}`);
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
    const setups: [Who, Setup][] = [['wasm', c.ours(wasm)], ...threaded.map((be, i): [Who, Setup] => [tcol(THREADS[i]), c.ours(be)]), ['js', c.ours(js)]];
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
    const slow = c.heavy ? 1 : MIN_MS;
    const r = await compare(contenders, ROUNDS, MIN_MS, slow);
    setups.forEach(([who, s]) => (who.startsWith('tfjs') ? onTf(who === 'tfjs-wasm' ? 'wasm' : 'cpu', s.dispose) : s.dispose()));
    const rate = (s: number) => (c.unit === 'ms/step' ? (s * 1000) / c.work : c.work / s / 1e9);
    const get = (who: Who) => r.find((x) => x.name === who);
    const fmt = (who: Who) => {
      const x = get(who);
      return x ? (c.unit === 'ms/step' ? rate(x.seconds).toPrecision(3) : rate(x.seconds).toFixed(c.unit === 'Gelem/s' ? 3 : 2)) : '-';
    };
    const ratio = (who: Who) => { const x = get(who); return x ? 1 / x.speedup : undefined; };
    const vsJs = ratio('js'), vsTf = ratio('tfjs-wasm');
    // relaxed over tfjs-wasm, from the per-round ratios of each to the wasm baseline
    const rx = get('relaxed'), tw = get('tfjs-wasm');
    const relaxedVsTf = rx && tw ? rx.speedup / tw.speedup : undefined;
    // N threads over one: the median of the per-round ratios, measured side by side
    const threadSpeedup = Object.fromEntries(THREADS.map((t) => [t, get(tcol(t))!.speedup]));
    line([c.label, fmt('wasm'), ...THREADS.map((t) => fmt(tcol(t))), fmt('relaxed'), fmt('js'), fmt('tfjs-wasm'), fmt('tfjs-cpu'), c.unit,
      ...THREADS.map((t) => `${threadSpeedup[t].toFixed(2)}×`),
      vsJs ? `${vsJs.toFixed(1)}×` : '-', vsTf ? `${vsTf.toFixed(2)}×` : '-', relaxedVsTf ? `${relaxedVsTf.toFixed(2)}×` : '-']);
    results.push({
      dtype, group: c.group, case: c.label, unit: c.unit,
      ...Object.fromEntries(setups.map(([who]) => [who, rate(get(who)!.seconds)])),
      wasmOverJs: vsJs, wasmOverTfjsWasm: vsTf, relaxedOverTfjsWasm: relaxedVsTf, threadSpeedup,
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
