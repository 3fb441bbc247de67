// npm run test:firefox: the browser suite (a plain page, Vite, a Worker, the demo and its lessons)
// in Firefox through WebDriver BiDi. FIREFOX_PATH, else a system Firefox; without one, the
// global setup says how to install it. Writes test-results/vitest-firefox.json.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
// one file at a time: Firefox has no long-task entries, so the demo's test measures how long a
// message waits, which the other file's threaded ops on the same two cores would lengthen
const r = spawnSync(
  process.execPath,
  [
    vitest,
    'run',
    'test/e2e/browser.test.ts',
    'test/e2e/demo.test.ts',
    'test/e2e/lessons.test.ts',
    '--no-file-parallelism',
    '--outputFile.json=test-results/vitest-firefox.json',
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, DL_BROWSER: 'firefox' } },
);
process.exit(r.status ?? 1);
