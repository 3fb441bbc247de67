// Writes the performance page's tables and the README's summary from the recorded benchmark runs
// (bench/results/latest.json: npm run bench; browser.json: npm run bench:browser; threads.json:
// npm run bench:threads), between the
// markers in docs/guide/performance.md and README.md, so that no figure there is typed by hand.
// node scripts/perf-tables.mjs [--check]: --check fails when the page is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (f) => JSON.parse(readFileSync(join(root, 'bench', 'results', f), 'utf8'));
const page = join(root, 'docs', 'guide', 'performance.md');

const rate = (v, unit) =>
  unit === 'ms/step' ? `${v < 1 ? v.toFixed(3) : v.toFixed(2)} ms` : `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ${unit}`;
const x = (v) => (v === undefined ? '–' : `${v < 10 ? v.toFixed(2) : v.toFixed(1)}×`);

function nodeTable() {
  const r = read('latest.json');
  const m = r.machine;
  const lines = [
    `Node ${m.node} on ${m.cores} cores of an ${m.cpu}, ${m.date.slice(0, 10)}; float32; medians of ${r.rounds} alternating rounds. ` +
      'Rates for this package on 1 thread (SIMD build), on 2 threads, and the relaxed-SIMD build; TF.js 4.22 (wasm backend, one thread in Node).',
    '',
    '| case | 1 thread | 2 threads (over 1) | relaxed SIMD | TF.js wasm | over TF.js | over the js backend |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const c of r.results.filter((c) => c.dtype === 'float32')) {
    const t2 = c['wasm-t2'];
    lines.push(
      `| ${c.case} | ${rate(c.wasm, c.unit)} | ${t2 === undefined ? '–' : `${rate(t2, c.unit)} (${x(c.threadSpeedup?.['2'])})`} | ` +
        `${c.relaxed === undefined ? '–' : rate(c.relaxed, c.unit)} | ${c['tfjs-wasm'] === undefined ? '–' : rate(c['tfjs-wasm'], c.unit)} | ` +
        `${x(c.wasmOverTfjsWasm)} | ${x(c.wasmOverJs)} |`,
    );
  }
  return lines.join('\n');
}

function browserTable() {
  const b = read('browser.json');
  const lines = [
    `${b.info.browser}, ${b.info.threads} threads (cross-origin isolated: ${b.info.crossOriginIsolated}), ${b.info.date.slice(0, 10)}; ` +
      `every library threaded; medians of ${b.info.rounds} alternating rounds` +
      (b.info.busyRounds ? ` (the busy columns: ${b.info.busyRounds}).` : '.'),
    '',
    '| case | 1 thread | N threads (over 1) | over TF.js wasm | over jax-js | relaxed over jax-js | busy: 1 thread | auto (over 1) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const c of b.results) {
    const busy =
      c.busyOne === undefined
        ? '– | –'
        : `${rate(c.busyOne, c.unit)} | ${rate(c.busyAuto, c.unit)} (${x(c.busyAutoOverOne)})`;
    lines.push(
      `| ${c.case} | ${rate(c.ours1, c.unit)} | ${rate(c.oursN, c.unit)} (${x(c.threadsOverOne)}) | ${x(c.oursNOverTfjs)} | ` +
        `${x(c.oursNOverJax)} | ${x(c.relaxedOverJax)} | ${busy} |`,
    );
  }
  if (b.mnist) {
    lines.push(
      '',
      'MNIST (784-256-128-10, Adam 0.001, batch 128, the same batches for every library), time to 94% test accuracy:',
      '',
    );
    lines.push('| who | seconds | epochs | test accuracy by epoch |', '|---|---|---|---|');
    for (const m of b.mnist) {
      lines.push(
        `| ${m.name} | ${m.reached ? m.seconds.toFixed(2) : `not reached (${m.seconds.toFixed(2)})`} | ${m.epochs} | ` +
          `${m.accuracy.map((a) => (a * 100).toFixed(1)).join(', ')} |`,
      );
    }
  }
  return lines.join('\n');
}

/** Threads on an idle machine and with one core kept busy (bench/results/threads.json: npm run bench:threads). */
function threadsTable() {
  const t = read('threads.json');
  const i = t.info;
  const share = (v) => (Number.isFinite(v) ? `${Math.round(v * 100)}%` : '–');
  const lines = [
    `Node ${i.node} on ${i.cores} cores of an ${i.cpu}, ${i.date.slice(0, 10)}; ${i.dtype}; medians of ${i.rounds} alternating rounds. ` +
      `Idle: 1 thread and ${i.threads}. Busy: a thread of the bench spinning on one core meanwhile, 1 thread and threads: 'auto' (${i.auto}); ` +
      `"threaded": the share of auto's ops that ran on more than one thread.`,
    '',
    `| case | idle: 1 thread | ${i.threads} threads (over 1) | busy: 1 thread | auto (over 1) | threaded |`,
    '|---|---|---|---|---|---|',
  ];
  for (const c of t.results) {
    lines.push(
      `| ${c.case} | ${rate(c.one, c.unit)} | ${rate(c.many, c.unit)} (${x(c.manyOverOne)}) | ${rate(c.busyOne, c.unit)} | ` +
        `${rate(c.busyAuto, c.unit)} (${x(c.busyAutoOverOne)}) | ${share(c.busyThreaded)} |`,
    );
  }
  return lines.join('\n');
}

/** The README's one small table: training steps against TF.js and jax-js, and MNIST. */
function summaryTable() {
  const r = read('latest.json'),
    b = read('browser.json');
  const step = (c) => c.case.replace(' step', ' training step');
  const lines = ['| | over TF.js (wasm) | over jax-js |', '|---|---|---|'];
  for (const c of r.results.filter((c) => c.dtype === 'float32' && c.group === 'train')) {
    lines.push(`| ${step(c)}, Node, 1 thread | ${x(c.wasmOverTfjsWasm)} | – |`);
  }
  for (const c of b.results.filter((c) => /step/.test(c.case))) {
    lines.push(`| ${step(c)}, Chromium, ${b.info.threads} threads | ${x(c.oursNOverTfjs)} | ${x(c.oursNOverJax)} |`);
  }
  const mnist = (name) => b.mnist?.find((m) => m.name === name);
  const ours = mnist(`ours×${b.info.threads}`),
    tf = mnist(`tfjs×${b.info.threads}`),
    jax = mnist(`jax×${b.info.threads}`);
  if (ours?.reached && tf?.reached && jax?.reached) {
    lines.push(
      `| MNIST to 94% test accuracy, Chromium, ${b.info.threads} threads (time) | ${x(tf.seconds / ours.seconds)} | ${x(jax.seconds / ours.seconds)} |`,
    );
  }
  return lines.join('\n');
}

const text = readFileSync(page, 'utf8');
const fill = (s, name, body) => {
  const re = new RegExp(`(<!-- ${name}:begin -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!re.test(s)) throw new Error(`${page}: no <!-- ${name}:begin --> … <!-- ${name}:end --> markers`);
  return s.replace(re, `$1${body}\n$2`);
};
const next = fill(fill(fill(text, 'node', nodeTable()), 'browser', browserTable()), 'threads', threadsTable());
const readme = join(root, 'README.md');
const readmeText = readFileSync(readme, 'utf8');
const readmeNext = fill(readmeText, 'summary', summaryTable());
const stale = [
  [page, text, next],
  [readme, readmeText, readmeNext],
].filter(([, a, b]) => a !== b);
if (process.argv.includes('--check')) {
  for (const [f] of stale)
    console.error(`${f}: its tables differ from bench/results/: run node scripts/perf-tables.mjs`);
  if (stale.length) process.exit(1);
} else {
  for (const [f, , b] of stale) {
    writeFileSync(f, b);
    console.log(`wrote ${f}`);
  }
}
