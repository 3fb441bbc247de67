// npm run bench:pools [-- --against REV] [-- --rounds N] [-- --ms M] [-- --only TEXT] [-- --busy]: this
// tree's threaded backend against the one at REV (HEAD by default: the last commit), side by
// side in one process, alternating round by round, on bench:threads' cases, both on
// threads: 'auto' (many short rounds: 31 of 60 ms by default). How a change to the worker pool or the governor is measured: records of
// different runs are not compared (this host moves a 2-thread ratio by ±20% between runs).
// REV's src/ is taken with `git archive` into a scratch folder (its kernels are this tree's
// build, copied in: this compares the JavaScript around them). --busy keeps a core busy.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as lib from '../src/index.js';
import { threadCases } from './cases.js';
import { compare, nodeHog } from './harness.js';

const { values } = parseArgs({
  options: {
    against: { type: 'string', default: 'HEAD' },
    rounds: { type: 'string', default: '31' },
    ms: { type: 'string', default: '60' },
    only: { type: 'string' },
    busy: { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(values.rounds),
  MS = Number(values.ms);
if (!(MS > 0)) throw new Error(`--ms must be a number of milliseconds > 0, not ${values.ms}`);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1)
  throw new Error(`--rounds must be a whole number ≥ 1, not ${values.rounds}`);

const root = fileURLToPath(new URL('..', import.meta.url));
const rev = execFileSync('git', ['rev-parse', '--short', values.against], { cwd: root, encoding: 'utf8' }).trim();
// inside the repository (ignored), so that the old sources resolve this tree's node_modules
const dir = join(root, 'bench', '.pools', rev);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
execFileSync('sh', ['-c', `git archive ${rev} src | tar -x -C "${dir}"`], { cwd: root });
const generated = join('src', 'backends', 'wasm', 'kernels.generated.ts');
if (!existsSync(join(dir, generated))) copyFileSync(join(root, generated), join(dir, generated));
const old = (await import(pathToFileURL(join(dir, 'src', 'index.ts')).href)) as typeof lib;

const mine = await lib.createBackend('wasm');
const theirs = await old.createBackend('wasm');
for (const be of [mine, theirs]) if (be.threadsReason) throw new Error(`bench: no threads: ${be.threadsReason}`);
const hog = values.busy ? nodeHog() : undefined;

console.log(
  `this tree against ${rev}, threads: 'auto' (${mine.threads}), float32, ${values.busy ? 'one core kept busy' : 'idle'}; medians of ${ROUNDS} alternating rounds`,
);
const line = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(36) : c.padStart(11))).join(''));
line(['case', rev, 'this tree', 'unit', 'this/old', 'range']);
for (const c of threadCases().filter((k) => !values.only || k.label.includes(values.only))) {
  const setups = [c.ours(theirs as unknown as lib.Backend, old as unknown as typeof lib), c.ours(mine)];
  hog?.on();
  const r = await compare(
    setups.map((s, i) => ({ name: String(i), run: s.run })),
    ROUNDS,
    MS,
  );
  hog?.off();
  setups.forEach((s) => s.dispose());
  if (process.env.DEBUG_POOLS) console.log(JSON.stringify(mine.stats()));
  const rate = (s: number) =>
    c.unit === 'ms/step' ? ((s * 1000) / c.work).toPrecision(3) : (c.work / s / 1e9).toFixed(2);
  line([
    c.label,
    rate(r[0].seconds),
    rate(r[1].seconds),
    c.unit,
    `${r[1].speedup.toFixed(2)}×`,
    `${Math.min(...r[1].ratios).toFixed(2)}–${Math.max(...r[1].ratios).toFixed(2)}`,
  ]);
}
hog?.dispose();
mine.dispose();
theirs.dispose();
rmSync(dir, { recursive: true, force: true });
