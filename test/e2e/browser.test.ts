// The built package in a headless browser (Chromium by default, Firefox with DL_BROWSER=firefox):
// imported by a plain page, bundled by Vite, and run in a module Worker.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseBrowser, launch, serve, type BrowserName, type Launched } from './browser-helpers.js';
// @ts-expect-error plain JS, shared with the pages
import { adamRun } from './browser/check.js';
// @ts-expect-error plain JS, shared with the pages and the engines
import { differences, fingerprints } from '../engines/fingerprints.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const choice = chooseBrowser();
/** what the browsers report as hardwareConcurrency here */
const cores = availableParallelism();

/**
 * What `createBackend('wasm', { relaxedSimd: true })` gives in each engine: the relaxed build
 * where the engine has relaxed SIMD, else the documented fallback, the SIMD build.
 */
const RELAXED_VARIANT: Record<BrowserName, string> = { chromium: 'relaxed', firefox: 'relaxed' };

async function resultOf(browser: Launched, url: string): Promise<Record<string, unknown>> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, {
    timeout: 30000,
  });
  const r = await page.evaluate(() => (window as unknown as { __result: Record<string, unknown> }).__result);
  await page.close();
  expect(errors).toEqual([]);
  return r;
}

function expectCheck(r: Record<string, unknown>, isolated = false): void {
  expect(r.error).toBeUndefined();
  expect(r.isolated).toBe(isolated);
  if (isolated) {
    // threads on, the same bits as one thread; 'auto' takes the cores the browser reports
    expect(r).toMatchObject({ threads: 2, threadsSame: true });
    expect(r.threadsReason).toBeUndefined();
    expect(r.autoThreads).toBe(Math.min(cores, 8));
  } else {
    // the documented fallback, with its reason
    expect(r).toMatchObject({ threads: 1, autoThreads: 1 });
    expect(r.threadsReason).toMatch(/a page must be cross-origin isolated for threads/);
  }
  expect(r).toMatchObject({ variant: 'simd', simd: true, rows: 67, cols: 19 });
  expect(r.relError as number).toBeLessThanOrEqual(1e-5);
  expect(r.relaxedVariant).toBe(RELAXED_VARIANT[choice.name]);
  expect(r.relaxedRelError as number).toBeLessThanOrEqual(1e-5);
  // a float64 Adam run and every fingerprint (Node's are set in beforeAll): the same bits, on both
  // backends (the js backend's exp and tanh come from core/libm, not the engine's Math)
  const mine = r.adam as Record<'js' | 'wasm', number[][]>;
  expect(mine).toEqual(nodeAdam);
  expect(differences(r.fingerprints, nodePrints)).toEqual([]);
}

let nodeAdam: unknown;
let nodePrints: Record<string, string>;

describe(`in headless ${choice.name} (${choice.source})`, () => {
  let browser: Launched;
  beforeAll(async () => {
    browser = await launch(choice);
    const dist = await import('../../dist/index.js');
    nodeAdam = await adamRun(dist);
    nodePrints = await fingerprints(dist);
  }, 60000);
  afterAll(async () => {
    await browser?.close();
  });

  it('a plain page imports the built package and its wasm matmul matches js', async () => {
    expect(existsSync(join(root, 'dist', 'index.js')), 'run npm run build first').toBe(true);
    const server = await serve(root);
    try {
      expectCheck(await resultOf(browser, `${server.url}/test/e2e/browser/page.html`));
    } finally {
      await server.close();
    }
  }, 60000);

  it("toONNX runs in onnxruntime-web in the page with model.predict's answers (float32 and float64)", async () => {
    const server = await serve(root);
    try {
      const r = await resultOf(browser, `${server.url}/test/e2e/browser/onnx.html`);
      expect(r.error).toBeUndefined();
      const f32 = r.float32 as { dims: number[]; relError: number; reloaded: string };
      const f64 = r.float64 as typeof f32;
      for (const x of [f32, f64]) {
        expect(x.dims).toEqual([65, 5]);
        expect(x.reloaded).toBe('dense,tanh,dropout,dense,relu,dense,softmax');
      }
      expect(f32.relError).toBeLessThan(2e-6);
      expect(f64.relError).toBeLessThan(1e-12);
    } finally {
      await server.close();
    }
  }, 60000);

  it('a module Worker imports the built package and gets the same results', async () => {
    const server = await serve(root);
    try {
      const r = await resultOf(browser, `${server.url}/test/e2e/browser/worker.html`);
      expect(r.inWorker).toBe(true);
      expectCheck(r);
    } finally {
      await server.close();
    }
  }, 60000);

  it('a cross-origin-isolated page runs the ops on 2 threads, with the same bits', async () => {
    const server = await serve(root, { isolated: true });
    try {
      expectCheck(await resultOf(browser, `${server.url}/test/e2e/browser/page.html`), true);
    } finally {
      await server.close();
    }
  }, 60000);

  it('a module Worker in a cross-origin-isolated page runs threads of its own', async () => {
    const server = await serve(root, { isolated: true });
    try {
      const r = await resultOf(browser, `${server.url}/test/e2e/browser/worker.html`);
      expect(r.inWorker).toBe(true);
      expectCheck(r, true);
    } finally {
      await server.close();
    }
  }, 60000);

  it('an app bundled by Vite loads the kernels with no configuration', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dl-vite-'));
    try {
      await build({
        root: join(root, 'test', 'e2e', 'browser', 'vite-app'),
        base: './',
        logLevel: 'silent',
        configFile: false,
        // resolve the package by name to the built dist, as node_modules would
        resolve: { alias: { 'dl-fundamentals': join(root, 'dist', 'index.js') } },
        build: { outDir: out, emptyOutDir: true },
      });
      const server = await serve(out);
      try {
        expectCheck(await resultOf(browser, `${server.url}/index.html`));
      } finally {
        await server.close();
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120000);
});
