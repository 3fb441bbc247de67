// npm run bench:page [-- --rounds N] [-- --idle]: the demo page's own training speed in headless
// Chromium while a thread of this process keeps one core busy (bench/hog.ts; --idle: none),
// served cross-origin isolated (threads: 'auto') and without isolation (one thread): both pages
// open, run after run alternating between them. Runs the default network (10, 5 on 300 samples, 1000
// epochs) and the 64, 64 one on 2000 samples (150 epochs). A default run lasts about a tenth of
// a second, too short for one to give a stable ratio, so a round runs it 10 times on each page
// (the 64, 64 run, about a second, once). Prints epochs per second (the page's own figure, timed
// in the page; a round's is its runs' epochs over their time), isolated over plain (median of per-round ratios), the
// threads the backend had in use at the end (backend.stats(), shown on the page) and the long
// tasks (over 50 ms) each run had.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from 'puppeteer-core';
import { build } from 'vite';
import { chooseBrowser, launch, serve } from '../test/e2e/browser-helpers.js';
import { median, nodeHog } from './harness.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    idle: { type: 'boolean', default: false },
    // another checkout's page (its dist built): how a change was measured against the one before
    root: { type: 'string' },
  },
});
const ROUNDS = Number(values.rounds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1)
  throw new Error(`--rounds must be a whole number ≥ 1, not ${values.rounds}`);

const root = values.root ?? fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'dl-bench-page-'));
const RUNS = [
  { name: 'default (10, 5; 300 samples; 1000 epochs)', fields: {} as Record<string, string>, repeat: 10 },
  {
    name: '64, 64 on 2000 samples, 150 epochs',
    fields: { hidden: '64, 64', samples: '2000', epochs: '150' },
    repeat: 1,
  },
];

/** Types a value as a user leaves a field: input, then change. */
const fill = (page: Page, id: string, value: string) =>
  page.$eval(
    `#${id}`,
    (e, v) => {
      (e as HTMLInputElement).value = v;
      e.dispatchEvent(new Event('input', { bubbles: true }));
      e.dispatchEvent(new Event('change', { bubbles: true }));
    },
    value,
  );

/** Opens a page and sets the run's fields. */
async function open(browser: Awaited<ReturnType<typeof launch>>, url: string, fields: Record<string, string>) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', { timeout: 60000 });
  for (const [id, v] of Object.entries(fields)) await fill(page, id, v);
  // the page trains at a watchable pace by default: the bench measures it as fast as it goes
  // (a page from before the pace control has no #pace)
  if (await page.$('#pace')) await page.select('#pace', '0');
  await page.evaluate(() => {
    const w = window as unknown as { long: number[] };
    w.long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.long.push(e.duration);
    }).observe({ type: 'longtask' });
  });
  return page;
}

/** One run (Start to "done") on a page already open: epochs per second, the page's threads figure, long tasks. */
async function once(page: Page) {
  await page.bringToFront();
  await page.evaluate(() => {
    (window as unknown as { long: number[] }).long = [];
  });
  await page.click('#start');
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'done', {
    timeout: 10 * 60000,
    polling: 5,
  });
  // the page's own figure: epochs over the run's time, measured in the page
  const { long, threads, speed, stats } = await page.evaluate(() => ({
    long: (window as unknown as { long: number[] }).long,
    threads: document.getElementById('threads-in-use')?.textContent ?? '',
    speed: Number(document.getElementById('speed')?.textContent),
    stats: (document.getElementById('threads-in-use') as HTMLElement | null)?.dataset.stats,
  }));
  if (process.env.DEBUG_PAGE) console.log(speed, stats);
  return { rate: speed, long, threads };
}

try {
  await build({
    configFile: join(root, 'demo', 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir: dir, emptyOutDir: true },
  });
  const isolated = await serve(dir, { isolated: true });
  const plain = await serve(dir);
  const browser = await launch(chooseBrowser({ ...process.env, DL_BROWSER: 'chromium' }));
  const hog = values.idle ? undefined : nodeHog();
  try {
    console.log(
      `${browser.label}; ${values.idle ? 'idle' : 'one core kept busy'}; ${ROUNDS} rounds, isolated and plain alternating`,
    );
    for (const run of RUNS) {
      // each page opened once and run again and again, as a learner does (its backend, and how
      // that adapted, carry from run to run); a run of each first, as a warm-up
      const pages = {
        isolated: await open(browser, `${isolated.url}/index.html`, run.fields),
        plain: await open(browser, `${plain.url}/index.html`, run.fields),
      };
      const rates: Record<string, number[]> = { isolated: [], plain: [] };
      const long: Record<string, number[]> = { isolated: [], plain: [] };
      let threads = '';
      hog?.on();
      for (const p of Object.values(pages)) await once(p);
      for (let r = 0; r < ROUNDS; r++) {
        for (const name of ['isolated', 'plain'] as const) {
          // the runs have the same epochs: their rate is the harmonic mean of theirs
          let secondsPerEpoch = 0;
          for (let k = 0; k < run.repeat; k++) {
            const o = await once(pages[name]);
            secondsPerEpoch += 1 / o.rate;
            long[name].push(...o.long);
            if (name === 'isolated') threads = o.threads;
          }
          rates[name].push(run.repeat / secondsPerEpoch);
        }
      }
      hog?.off();
      for (const p of Object.values(pages)) await p.close();
      const ratios = rates.isolated.map((x, i) => x / rates.plain[i]);
      const worst = (xs: number[]) => (xs.length ? `${xs.length}, longest ${Math.max(...xs).toFixed(0)} ms` : 'none');
      console.log(
        `${run.name}: epochs/s isolated ${median(rates.isolated).toFixed(0)}, plain ${median(rates.plain).toFixed(0)}; ` +
          `isolated/plain ${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}); ` +
          `threads at the end (isolated): ${threads || '?'}; long tasks: isolated ${worst(long.isolated)}, plain ${worst(long.plain)}`,
      );
    }
  } finally {
    hog?.dispose();
    await browser.close();
    await isolated.close();
    await plain.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
