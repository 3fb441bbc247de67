// Shared by the browser tests: a static file server on loopback, and the browser to drive.
// One driver (puppeteer-core) for both engines: Chromium through CDP, Firefox through
// WebDriver BiDi; neither ever downloads a browser.
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** The headers that make a page cross-origin isolated, which threads need. */
export const ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/** A static file server over a folder, on loopback; `isolated` adds the COOP/COEP headers. */
export async function serve(
  dir: string,
  opts: { isolated?: boolean } = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!path.startsWith(dir) || !existsSync(path) || !statSync(path).isFile()) {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<!doctype html><h1>404</h1>');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      ...(opts.isolated ? ISOLATION : {}),
    });
    res.end(readFileSync(path));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    // the browser keeps connections alive: end them, or close() waits for their timeout
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export type BrowserName = 'chromium' | 'firefox';

/** Which browser the tests drive and where it came from (path undefined: the bundled one, unpacked on launch). */
export interface BrowserChoice {
  name: BrowserName;
  path: string | undefined;
  source: string;
}

const SYSTEM: Record<BrowserName, string[]> = {
  chromium: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ],
  firefox: ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/Applications/Firefox.app/Contents/MacOS/firefox'],
};
const ENV_PATH: Record<BrowserName, string> = { chromium: 'CHROMIUM_PATH', firefox: 'FIREFOX_PATH' };

export const FIREFOX_HINT =
  'install Firefox (Debian/Ubuntu: apt-get install -y firefox-esr; macOS: brew install --cask firefox) or set FIREFOX_PATH';

function executable(path: string, exists: (p: string) => boolean): boolean {
  if (!exists(path)) return false;
  if (exists !== existsSync) return true;
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * DL_BROWSER picks the engine (chromium by default). Chromium: CHROMIUM_PATH if set (an error
 * if it is wrong), else a system Chromium, else the one inside the @sparticuz/chromium
 * devDependency. Firefox: FIREFOX_PATH if set, else a system Firefox, else an error saying how
 * to install one.
 */
export function chooseBrowser(
  env: Record<string, string | undefined> = process.env,
  exists: (p: string) => boolean = existsSync,
): BrowserChoice {
  const name = env.DL_BROWSER ?? 'chromium';
  if (name !== 'chromium' && name !== 'firefox')
    throw new Error(`DL_BROWSER is "${name}"; use "chromium" or "firefox"`);
  const variable = ENV_PATH[name];
  const given = env[variable];
  if (given !== undefined && given !== '') {
    if (!executable(given, exists))
      throw new Error(`${variable} is set to "${given}", which is not an executable file; fix it or unset it`);
    return { name, path: given, source: variable };
  }
  const system = SYSTEM[name].find((p) => executable(p, exists));
  if (system) return { name, path: system, source: 'system' };
  if (name === 'firefox') throw new Error(`no Firefox found at ${SYSTEM.firefox.join(', ')}: ${FIREFOX_HINT}`);
  return { name, path: undefined, source: 'bundled @sparticuz/chromium' };
}

/**
 * Unpacks the bundled Chromium and the shared libraries it links (NSS, expat), so that it runs
 * on a machine with none of them. Idempotent; the global setup calls it once, before the test
 * files run in parallel, because two processes unpacking at once would race.
 */
export async function unpackBundledChromium(): Promise<{ path: string; libraries: string }> {
  const { default: chromium, inflate } = await import('@sparticuz/chromium');
  const path = await chromium.executablePath();
  const libraries = join(tmpdir(), 'al2023', 'lib');
  if (!existsSync(join(libraries, 'libnss3.so'))) {
    const bin = join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', 'bin');
    await inflate(join(bin, 'al2023.tar.br'));
  }
  return { path, libraries };
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface Launched {
  choice: BrowserChoice;
  browser: Browser;
  /** e.g. "Chromium 156.0.8078.114 (system /usr/bin/chromium)" */
  label: string;
  newPage: () => Promise<Page>;
  close: () => Promise<void>;
}

/** The chosen browser, headless, with a fresh profile; prints which one it is. */
export async function launch(choice: BrowserChoice = chooseBrowser()): Promise<Launched> {
  let browser: Browser;
  let path = choice.path;
  if (choice.name === 'firefox') {
    browser = await puppeteer.launch({ browser: 'firefox', executablePath: path, headless: true });
  } else {
    let env: Record<string, string | undefined> = process.env;
    if (path === undefined) {
      const bundled = await unpackBundledChromium();
      path = bundled.path;
      env = {
        ...process.env,
        LD_LIBRARY_PATH: [bundled.libraries, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      };
    }
    browser = await puppeteer.launch({
      browser: 'chrome',
      executablePath: path,
      headless: true,
      args: CHROMIUM_ARGS,
      env,
    });
  }
  const version = (await browser.version())
    .replace(/^HeadlessChrome\/|^Chrome\//, 'Chromium ')
    .replace(/^firefox\//, 'Firefox ');
  const label = `${version} (${choice.source}${choice.source === 'system' || choice.source.endsWith('_PATH') ? ` ${path}` : ''})`;
  console.log(`browser tests: ${label}`);
  return {
    choice,
    browser,
    label,
    newPage: () => browser.newPage(),
    close: () => browser.close(),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
