// npm run bench [-- --quick]: the wasm backend against the js backend, op by op, in float32
// and float64. Prints a table and writes bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createBackend, type Backend, type DType, type Tensor } from '../src/index.js';
import { compare, machine } from './harness.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 5;
const MIN_MS = quick ? 40 : 150;

interface Case {
  op: string;
  label: string;
  /** work per call: flops for matmul, elements for the rest */
  work: number;
  unit: 'GFLOPS' | 'Gelem/s';
  /** builds the inputs on a backend and returns the call to time */
  setup: (be: Backend) => { run: () => void; dispose: () => void };
}

function filled(be: Backend, rows: number, cols: number, lo = -1, hi = 1): Tensor {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * (0.5 + 0.5 * Math.sin(i * 12.9898));
  return be.tensor({ rows, cols, data });
}

const FORMS = [
  { name: 'A·B', transA: false, transB: false },
  { name: 'A·Bᵀ', transA: false, transB: true },
  { name: 'Aᵀ·B', transA: true, transB: false },
];

// One list of kernels: the table, the JSON and the ratios are all generated from it.
const SIZES = quick ? [64, 256, 512] : [64, 128, 256, 512, 1024];
const CASES: Case[] = [
  ...SIZES.flatMap((n) => FORMS.map((f): Case => ({
    op: 'matmul',
    label: `matmul ${f.name} ${n}`,
    work: 2 * n * n * n,
    unit: 'GFLOPS',
    setup(be) {
      const a = filled(be, n, n), b = filled(be, n, n), c = be.zeros(n, n);
      return { run: () => be.matmul(a, b, { transA: f.transA, transB: f.transB, out: c }), dispose: () => [a, b, c].forEach((t) => t.dispose()) };
    },
  }))),
  ...(['relu', 'sigmoid', 'tanh', 'softmax'] as const).map((op): Case => ({
    op,
    label: `${op} 1048576`,
    work: 1 << 20,
    unit: 'Gelem/s',
    setup(be) {
      // softmax row-wise over rows of 1024, the others over one long row
      const x = op === 'softmax' ? filled(be, 1024, 1024, -8, 8) : filled(be, 1, 1 << 20, -8, 8);
      const y = be.zeros(x.rows, x.cols);
      return { run: () => be[op](x, y), dispose: () => { x.dispose(); y.dispose(); } };
    },
  })),
];

const rows: Record<string, unknown>[] = [];
const line = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(24) : c.padStart(12))).join(''));
for (const dtype of ['float32', 'float64'] as DType[]) {
  const wasm = await createBackend('wasm', { dtype });
  const js = await createBackend('js', { dtype });
  console.log(`\n${dtype}: wasm (${wasm.variant}) against js, medians of ${ROUNDS} alternating rounds`);
  line(['op', 'wasm', 'js', 'unit', 'wasm/js']);
  for (const c of CASES) {
    const w = c.setup(wasm), j = c.setup(js);
    // the js backend at 1024 takes seconds a call: one call a round is enough
    const [rw, rj] = compare([{ name: 'wasm', run: w.run }, { name: 'js', run: j.run }], ROUNDS, MIN_MS, c.work > 1e9 ? 1 : MIN_MS);
    w.dispose();
    j.dispose();
    const rate = (s: number) => c.work / s / 1e9;
    line([c.label, rate(rw.seconds).toFixed(2), rate(rj.seconds).toFixed(3), c.unit, `${(1 / rj.speedup).toFixed(1)}×`]);
    rows.push({ dtype, op: c.op, label: c.label, unit: c.unit, wasm: rate(rw.seconds), js: rate(rj.seconds), ratioWasmOverJs: 1 / rj.speedup });
  }
}

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const file = new URL('./results/latest.json', import.meta.url);
writeFileSync(file, `${JSON.stringify({ machine: machine(), quick, rounds: ROUNDS, results: rows }, null, 2)}\n`);
console.log(`\nwrote bench/results/latest.json`);
