// npm run bench:course [-- --rounds R]: the course's optimization notebook, its seven runs in
// float64 (5000 epochs each), here (the wasm and the js backend, one thread) and in numpy
// (bench/course_numpy.py, written from the same specification), alternating round by round so
// that a slow stretch of this shared machine hits both. Prints each one's median seconds and
// the ratios. Needs python3 with numpy.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createBackend } from 'dl-fundamentals';
import { optimizationLesson } from '../examples/optimization.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`--rounds must be a whole number ≥ 1, got ${values.rounds}`);
const script = join(dirname(fileURLToPath(import.meta.url)), 'course_numpy.py');

const wasm = await createBackend('wasm', { dtype: 'float64', threads: 1 });
const js = await createBackend('js', { dtype: 'float64' });
const times: Record<string, number[]> = { wasm: [], js: [], numpy: [] };
for (let r = 0; r < rounds; r++) {
  // the lesson's own clock covers its seven fits (the data set and models are made outside it)
  times.wasm.push(optimizationLesson(wasm).ms / 1000);
  times.js.push(optimizationLesson(js).ms / 1000);
  const out = JSON.parse(execFileSync('python3', [script], { encoding: 'utf8' })) as { seconds: number };
  times.numpy.push(out.seconds);
  console.log(
    `round ${r + 1}: wasm ${times.wasm[r].toFixed(2)} s, js ${times.js[r].toFixed(2)} s, numpy ${out.seconds.toFixed(2)} s`,
  );
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const m = { wasm: median(times.wasm), js: median(times.js), numpy: median(times.numpy) };
console.log(
  `\nseven runs, float64, medians of ${rounds} rounds: wasm ${m.wasm.toFixed(2)} s, js ${m.js.toFixed(2)} s, numpy ${m.numpy.toFixed(2)} s`,
);
console.log(
  `numpy / wasm: ${(m.numpy / m.wasm).toFixed(1)}× (wasm faster above 1); numpy / js: ${(m.numpy / m.js).toFixed(1)}×`,
);
wasm.dispose();
js.dispose();
