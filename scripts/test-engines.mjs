// npm run test:engines: the conformance suite (test/engines/) on Node, Bun and Deno, from the
// built dist/, two engines at a time. Prints what each engine chose, writes
// test-results/engines.json, and exits 1 if any check failed or any engine did not run.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleOpChecks } from './build-conformance.mjs';
import { differences } from '../test/engines/fingerprints.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const suite = join('test', 'engines', 'run.js');
const filter = process.argv.slice(2);
// the per-op checks come from test/ops/, bundled for the engines
await bundleOpChecks();

// Relaxed SIMD: JavaScriptCore (Bun) and current V8 (Deno, Node 22+) have it on; Node 20 keeps it
// behind a flag, so there `relaxedSimd: true` gets the documented fallback, the SIMD build.
const nodeMajor = Number(process.versions.node.split('.')[0]);
const ENGINES = [
  { name: 'node', command: process.execPath, args: [suite, ...filter], relaxed: nodeMajor >= 22 ? 'relaxed' : 'simd' },
  { name: 'bun', command: bin('bun'), args: [suite, ...filter], relaxed: 'relaxed' },
  // no permissions at all: the package reads no files, network or environment
  { name: 'deno', command: bin('deno'), args: ['run', '--no-prompt', suite, ...filter], relaxed: 'relaxed' },
];

function run(engine) {
  return new Promise((resolve) => {
    if (!existsSync(engine.command)) {
      resolve({
        name: engine.name,
        error: `${engine.command} is missing: run npm ci (bun and deno are devDependencies)`,
      });
      return;
    }
    const t0 = Date.now();
    const child = spawn(engine.command, engine.args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('error', (e) => resolve({ name: engine.name, error: String(e) }));
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      const wall = Date.now() - t0;
      if (!line) {
        resolve({ name: engine.name, error: `exited with ${code} and no result:\n${out}`, wall });
        return;
      }
      const result = JSON.parse(line.slice(7));
      resolve({
        name: engine.name,
        ...result,
        log: out
          .split('\n')
          .filter((l) => !l.startsWith('RESULT '))
          .join('\n')
          .trim(),
        wall,
      });
    });
  });
}

if (!existsSync(join(root, 'dist', 'index.js'))) {
  console.error('test:engines runs the built package: npm run build first');
  process.exit(1);
}

const results = [];
const queue = [...ENGINES];
await Promise.all(
  [0, 1].map(async () => {
    for (let e = queue.shift(); e; e = queue.shift()) {
      const r = await run(e);
      // the documented fallback is part of the contract: a wrong choice counts as a failure
      if (!r.error && r.chose.relaxedSimd !== e.relaxed) {
        r.failed++;
        r.failures.push(`relaxedSimd: true chose '${r.chose.relaxedSimd}', want '${e.relaxed}'`);
      } else if (!r.error) r.passed++;
      // every engine here has worker_threads and SharedArrayBuffer: threads: 2 must give 2
      if (!r.error && r.chose.threadsOf2 !== 2) {
        r.failed++;
        r.failures.push(`threads: 2 gave ${r.chose.threadsOf2} (${r.chose.threadsReason})`);
      } else if (!r.error) r.passed++;
      results.push(r);
    }
  }),
);
results.sort((a, b) => ENGINES.findIndex((e) => e.name === a.name) - ENGINES.findIndex((e) => e.name === b.name));
// the same bits in every engine: each engine's fingerprints (test/engines/fingerprints.js) against Node's
const node = results.find((r) => r.name === 'node' && !r.error);
for (const r of results) {
  if (r.error || r === node || !node || filter.length) continue;
  const differ = differences(r.fingerprints, node.fingerprints);
  if (differ.length) {
    r.failed++;
    r.failures.push(`${differ.length} fingerprints differ from Node's: ${differ.join(', ')}`);
  } else r.passed++;
}

let passed = 0,
  failed = 0;
for (const r of results) {
  if (r.error) {
    failed++;
    console.log(`✗ ${r.name}: ${r.error}`);
    continue;
  }
  passed += r.passed;
  failed += r.failed;
  if (r.log) console.log(r.log);
  for (const f of r.failures) if (!r.log.includes(f)) console.log(`✗ ${r.name}: ${f}`);
  console.log(
    `${r.failed ? '✗' : '✓'} ${r.engine}: ${r.passed} passed, ${r.failed} failed in ${(r.wall / 1000).toFixed(1)} s; wasm build: ${r.chose.default} by default, ${r.chose.relaxedSimd} with relaxedSimd; ${r.chose.threads} threads by default`,
  );
}
mkdirSync(join(root, 'test-results'), { recursive: true });
writeFileSync(
  join(root, 'test-results', 'engines.json'),
  JSON.stringify({ passed, failed, engines: results }, null, 2),
);
console.log(`engines: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
