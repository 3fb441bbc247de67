// npm run bench:versus -- DIR [--threads N] [--rounds R] [--only TEXT] [--ops]: this tree against another build of the
// package (DIR holds its built dist/, e.g. a git worktree of the previous commit after npm run
// build), case by case, side by side in one process: rounds alternate the two, and each case
// reports the median of per-round ratios (> 1: this tree is faster). For checking that a change
// slows nothing down. --ops adds a case for every op of the table (bench/cases.ts: opCase).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type * as lib from '../src/index.js';
import { OP_LIST } from '../src/backends/ops.js';
import { ACTS, FORMS, type Lib, activationCase, matmulCase, mlpCase, notebookCase, opCase } from './cases.js';
import { compare } from './timing.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    threads: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '7' },
    only: { type: 'string' },
    ops: { type: 'boolean', default: false },
  },
});
if (positionals.length !== 1) throw new Error('usage: npm run bench:versus -- DIR [--threads N] [--rounds R]');
// both sides as built (dist/), so that both run the same compiler's output
const load = async (dir: string) => (await import(pathToFileURL(resolve(dir, 'dist/index.js')).href)) as Lib;
const mine = await load('.'),
  other = await load(positionals[0]);
const threads = Number(values.threads),
  rounds = Number(values.rounds);

const ALL = [
  ...[64, 256].flatMap((n) => FORMS.map((f) => matmulCase(n, n, n, f, `${n}`))),
  ...FORMS.map((f) => matmulCase(64, 256, 784, f, '64×784·784×256')),
  ...ACTS.map(activationCase),
  // every op of the table, each --only op (not run by default: it is the long list)
  ...(values.ops ? OP_LIST.map((o) => opCase(o.name)) : []),
  mlpCase(),
  notebookCase(),
];
const CASES = ALL.filter((c) => values.only === undefined || c.label.includes(values.only));

const ours = await mine.createBackend('wasm', { threads });
const theirs = await other.createBackend('wasm', { threads });
console.log(`this tree over ${positionals[0]}: wasm ${ours.variant}, ${threads} thread(s), ${rounds} rounds\n`);
console.log(`${'case'.padEnd(44)}  ratio  (each round)`);
let worst = Infinity;
for (const c of CASES) {
  const a = c.ours(ours, mine);
  let b: ReturnType<typeof c.ours>;
  try {
    b = c.ours(theirs as unknown as lib.Backend, other);
    b.run();
  } catch (e) {
    // an op the other build does not have
    console.log(`${c.label.padEnd(44)}  –      (the other build: ${(e as Error).message.slice(0, 60)})`);
    a.dispose();
    continue;
  }
  const [, r] = await compare(
    [
      { name: 'theirs', run: b.run },
      { name: 'ours', run: a.run },
    ],
    rounds,
    100,
  );
  a.dispose();
  b.dispose();
  worst = Math.min(worst, r.speedup);
  console.log(`${c.label.padEnd(44)}  ${r.speedup.toFixed(3)}  (${r.ratios.map((x) => x.toFixed(2)).join(' ')})`);
}
console.log(`\nslowest case: ${worst.toFixed(3)}×`);
ours.dispose();
theirs.dispose();
