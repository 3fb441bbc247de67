// The built package in headless Chromium: imported by a plain page, and bundled by Vite.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, serve } from './browser-helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
async function resultOf(context: BrowserContext, url: string): Promise<Record<string, unknown>> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, null, { timeout: 30000 });
  const r = await page.evaluate(() => (window as unknown as { __result: Record<string, unknown> }).__result);
  await page.close();
  expect(errors).toEqual([]);
  return r;
}

describe('in headless Chromium', () => {
  let browser: Awaited<ReturnType<typeof launch>>;
  beforeAll(async () => { browser = await launch(); }, 60000);
  afterAll(async () => { await browser?.close(); });

  it('a plain page imports the built package and its wasm matmul matches js', async () => {
    expect(existsSync(join(root, 'dist', 'index.js')), 'run npm run build first').toBe(true);
    const server = await serve(root);
    try {
      const r = await resultOf(browser.context, `${server.url}/test/browser/page.html`);
      expect(r.error).toBeUndefined();
      expect(r).toMatchObject({ variant: 'simd', simd: true, rows: 67, cols: 19 });
      expect(r.relError as number).toBeLessThanOrEqual(1e-5);
      // current Chromium has relaxed SIMD on: the opt-in build loads and agrees
      expect(r.relaxedVariant).toBe('relaxed');
      expect(r.relaxedRelError as number).toBeLessThanOrEqual(1e-5);
    } finally {
      await server.close();
    }
  }, 60000);

  it('an app bundled by Vite loads the kernels with no configuration', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dl-vite-'));
    try {
      await build({
        root: join(root, 'test', 'browser', 'vite-app'),
        base: './',
        logLevel: 'silent',
        configFile: false,
        // resolve the package by name to the built dist, as node_modules would
        resolve: { alias: { 'dl-fundamentals': join(root, 'dist', 'index.js') } },
        build: { outDir: out, emptyOutDir: true },
      });
      const server = await serve(out);
      try {
        const r = await resultOf(browser.context, `${server.url}/index.html`);
        expect(r.error).toBeUndefined();
        expect(r).toMatchObject({ variant: 'simd', rows: 67, cols: 19 });
        expect(r.relError as number).toBeLessThanOrEqual(1e-5);
      } finally {
        await server.close();
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120000);
});
