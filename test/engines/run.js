// Runs the conformance suite in whatever engine starts this file (node, bun or deno) and prints
// each failure, then one JSON line that scripts/test-engines.mjs reads.
import * as dl from '../../dist/index.js';
import { checks, choices } from './conformance.js';
import { fingerprints } from './fingerprints.js';

const engine =
  typeof Deno !== 'undefined'
    ? `deno ${Deno.version.deno}`
    : typeof Bun !== 'undefined'
      ? `bun ${Bun.version}`
      : `node ${process.versions.node}`;
// an optional argument runs only the checks whose names contain it
const only = (typeof Deno !== 'undefined' ? Deno.args : process.argv.slice(2))[0] ?? '';
const failures = [];
let passed = 0;
const t0 = performance.now();
for (const c of checks) {
  if (only && !c.name.includes(only)) continue;
  try {
    await c.run();
    passed++;
  } catch (e) {
    failures.push({ name: c.name, error: String(e?.stack || e) });
    console.log(`✗ ${c.name}\n  ${String(e?.message || e)}`);
  }
}
const summary = {
  engine,
  passed,
  failed: failures.length,
  ms: Math.round(performance.now() - t0),
  chose: await choices(),
  // compared with Node's by scripts/test-engines.mjs: the same bits in every engine
  fingerprints: only ? {} : await fingerprints(dl),
  failures: failures.map((f) => f.name),
};
console.log(`RESULT ${JSON.stringify(summary)}`);
