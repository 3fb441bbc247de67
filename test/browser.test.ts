// The built package in headless Chromium: imported by a plain page, and bundled by Vite.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

/** A static file server over a folder, on loopback. */
export async function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!path.startsWith(dir) || !existsSync(path) || !statSync(path).isFile()) {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<!doctype html><h1>404</h1>');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
    res.end(readFileSync(path));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    // the browser keeps connections alive: end them, or close() waits for their timeout
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

/** Debian's Chromium, headless, with a fresh profile. */
export async function launch(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  const profile = mkdtempSync(join(tmpdir(), 'dl-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  return { context, close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}

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
