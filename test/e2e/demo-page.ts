// What the page's browser tests share: the page built by Vite into a sub-path of a temporary
// folder, served cross-origin isolated (as the README tells static hosts to, so threads turn on),
// one browser page on it, and the helpers that drive the form as a user would.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { build } from 'vite';
import { type BrowserChoice, type Launched, launch, serve } from './browser-helpers.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const shots = join(root, 'test-results');

/** test-results/<name>.png (or .webp), with the browser's name when it is not Chromium */
export const shotPath = <E extends 'png' | 'webp' = 'png'>(choice: BrowserChoice, name: string, ext?: E) =>
  join(shots, `${name}${choice.name === 'chromium' ? '' : `-${choice.name}`}.${ext ?? 'png'}`) as `${string}.${E}`;

export interface DemoPage {
  page: Page;
  /** the page's address, without a query */
  url: string;
  /** uncaught errors of the page */
  errors: string[];
  /** responses of 400 or more (a missing favicon, say) */
  missing: string[];
  close: () => Promise<void>;
}

/** Builds the page, serves it under /<subPath>/ and opens it in a page 1280 px wide. */
export async function openDemo(choice: BrowserChoice, subPath: string): Promise<DemoPage> {
  const dir = mkdtempSync(join(tmpdir(), 'dl-demo-'));
  await build({
    configFile: join(root, 'demo', 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir: join(dir, subPath), emptyOutDir: true },
  });
  const server = await serve(dir, { isolated: true });
  const browser: Launched = await launch(choice);
  const page = await browser.newPage();
  const errors: string[] = [],
    missing: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => {
    if (r.status() >= 400) missing.push(`${r.status()} ${r.url()}`);
  });
  await page.setViewport({ width: 1280, height: 800 });
  mkdirSync(shots, { recursive: true });
  return {
    page,
    url: `${server.url}/${subPath}/index.html`,
    errors,
    missing,
    close: async () => {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The page's form driven as a user leaves a field: input, then change. */
export function formHelpers(page: () => Page) {
  return {
    text: (sel: string) => page().$eval(sel, (e) => e.textContent ?? ''),
    value: (sel: string) => page().$eval(sel, (e) => (e as HTMLInputElement).value),
    fill: (sel: string, v: string) =>
      page().$eval(
        sel,
        (e, v) => {
          (e as HTMLInputElement).value = v;
          e.dispatchEvent(new Event('input', { bubbles: true }));
          e.dispatchEvent(new Event('change', { bubbles: true }));
        },
        v,
      ),
    statusIs: (s: string, timeout = 60000) =>
      page().waitForFunction((want) => document.getElementById('status')?.textContent === want, { timeout }, s),
  };
}
