// The closing line of .ci/run: `N passed, N failed` summed over every runner's report in
// test-results/ (vitest's JSON, and engines.json). Each runner named must have reported.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
let passed = 0,
  failed = 0,
  skipped = 0,
  missing = [];
for (const name of process.argv.slice(2)) {
  const file = join(dir, `${name}.json`);
  if (!existsSync(file)) {
    missing.push(name);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  if ('numPassedTests' in r) {
    // vitest: a file that failed to load counts as a failure even with no test in it
    passed += r.numPassedTests;
    failed += r.numFailedTests + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0);
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    if (r.numTotalTests === 0) missing.push(`${name} (no tests ran)`);
  } else {
    passed += r.passed;
    failed += r.failed;
  }
}
for (const m of missing) {
  console.log(`no report from ${m}`);
  failed++;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
