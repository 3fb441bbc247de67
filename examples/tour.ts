// npm start: the lessons, on the wasm backend in float64, in one table.
//  (a) initialization: zeros, random ×10 and He on circles (the course's experiment);
//  (b) regularization: none, L2 and dropout on the course's football set;
//  (c) gradient checking: a sound model, and one with a deliberately broken backward;
//  (d) optimization: the course's seven runs of gd, momentum and Adam, with and without decay.
import {
  Dense,
  createBackend,
  datasets,
  dense,
  dropout,
  gradCheck,
  relu,
  sequential,
  sgd,
  sigmoid,
  tanh,
  type InitName,
  type Layer,
  type Tensor,
} from 'dl-fundamentals';
import { optimizationLesson } from './optimization.js';

const backend = await createBackend('wasm', { dtype: 'float64' });
const rows: string[][] = [];
const row = (...cells: (string | number)[]) => rows.push(cells.map((c) => (typeof c === 'number' ? fmt(c) : c)));
const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 1000 ? v.toFixed(2) : v.toPrecision(10));
const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
const timed = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
};

// ---- (a) initialization ----
const train = datasets.circles({ samples: 300, noise: 0.05, seed: 1 });
const test = datasets.circles({ samples: 100, noise: 0.05, seed: 2 });
const COURSE_INIT: Record<string, string> = {
  zeros: 'cost 0.6931471805599453 throughout; 50% / 50%',
  random: 'cost inf, …; 83% / 86%',
  he: 'cost 0.8830537463419761, 0.6879825919728063, 0.07357895962677366; 99.33% / 96%',
};
console.log(`dl-fundamentals: the lessons on the wasm backend (${backend.variant} build), float64\n`);
row('lesson', 'run', 'cost at 0', 'at 1000 | 10000', 'at 14000 | 20000', 'train acc', 'test acc', 'ms');
let total = 0;
for (const init of ['zeros', 'random', 'he'] as InitName[]) {
  const model = sequential([dense(10, { init }), relu(), dense(5, { init }), relu(), dense(1, { init }), sigmoid()], {
    inputSize: 2,
    backend,
    seed: 3,
  });
  const [h, ms] = timed(() =>
    model.fit(train.x, train.y, { loss: 'binaryCrossEntropy', optimizer: sgd({ learningRate: 0.01 }), epochs: 15000 }),
  );
  total += ms;
  row(
    '(a) initialization',
    init === 'random' ? 'random ×10' : init,
    h.loss[0],
    h.loss[1000],
    h.loss[14000],
    pct(model.evaluate(train.x, train.y).accuracy),
    pct(model.evaluate(test.x, test.y).accuracy),
    ms.toFixed(0),
  );
  model.dispose();
}

// ---- (b) regularization: the course's 2→20→3→1 on the football set, 30000 iterations at 0.3 ----
const foot = datasets.football();
const COURSE_REG: Record<string, string> = {
  none: '94.79% / 91.5%',
  'L2 λ=0.7': '93.84% / 93%',
  'dropout 0.14': '92.89% / 95% (numpy masks)',
};
for (const [name, l2, rate] of [
  ['none', 0, 0],
  ['L2 λ=0.7', 0.7, 0],
  ['dropout 0.14', 0, 0.14],
] as const) {
  const layers: Layer[] =
    rate > 0
      ? [
          dense(20, { init: 'xavier' }),
          relu(),
          dropout(rate),
          dense(3, { init: 'xavier' }),
          relu(),
          dropout(rate),
          dense(1, { init: 'xavier' }),
          sigmoid(),
        ]
      : [
          dense(20, { init: 'xavier' }),
          relu(),
          dense(3, { init: 'xavier' }),
          relu(),
          dense(1, { init: 'xavier' }),
          sigmoid(),
        ];
  const model = sequential(layers, { inputSize: 2, backend, seed: 3 });
  const [h, ms] = timed(() =>
    model.fit(foot.train.x, foot.train.y, {
      loss: 'binaryCrossEntropy',
      optimizer: sgd({ learningRate: 0.3 }),
      epochs: 30000,
      l2,
    }),
  );
  total += ms;
  row(
    '(b) regularization',
    name,
    h.loss[0],
    h.loss[10000],
    h.loss[20000],
    pct(model.evaluate(foot.train.x, foot.train.y).accuracy),
    pct(model.evaluate(foot.test.x, foot.test.y).accuracy),
    ms.toFixed(0),
  );
  model.dispose();
}

// ---- (c) gradient checking ----
/** A dense layer whose backward forgets to average dW over the batch: the kind of bug gradCheck is for. */
class BrokenDense extends Dense {
  override backward(dz: Tensor, needInputGrad: boolean): Tensor | null {
    const dx = super.backward(dz, needInputGrad);
    dz.backend.scale(this.W.grad, dz.rows, this.W.grad);
    return dx;
  }
}
const small = datasets.moons({ samples: 12, noise: 0.1, seed: 4 });
const checks: [string, () => Layer[]][] = [
  ['sound model, L2 0.7', () => [dense(5), relu(), dense(3, { init: 'xavier' }), tanh(), dense(1), sigmoid()]],
  [
    'broken dense2 backward',
    () => [dense(5), relu(), new BrokenDense(3, { init: 'xavier' }), tanh(), dense(1), sigmoid()],
  ],
];
const gcRows: string[] = [];
for (const [name, layers] of checks) {
  const model = sequential(layers(), { inputSize: 2, backend, seed: 5 });
  const [r, ms] = timed(() =>
    gradCheck(model, small.x, small.y, { loss: 'binaryCrossEntropy', l2: name.startsWith('sound') ? 0.7 : 0 }),
  );
  total += ms;
  const w = r.worst[0];
  gcRows.push(
    `  ${name}: difference ${r.difference.toExponential(2)} against ${r.threshold}: ${r.passed ? 'passed' : 'FAILED'} ` +
      `(${r.checked} entries, ${ms.toFixed(0)} ms)\n    worst: ${w.layer}.${w.param}[${w.index}], analytic ${w.analytic.toPrecision(6)}, numeric ${w.numeric.toPrecision(6)}`,
  );
  model.dispose();
}

const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
rows.forEach((r, i) => {
  console.log(r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
});
console.log(
  '\n(a) runs 15000 iterations and reports the cost at 1000 and 14000; (b) runs 30000 and reports 10000 and 20000.',
);
console.log('\nThe course printed, for comparison (train / test accuracy):');
for (const [k, v] of Object.entries(COURSE_INIT)) console.log(`  (a) ${k}: ${v}`);
for (const [k, v] of Object.entries(COURSE_REG)) console.log(`  (b) ${k}: ${v}`);
console.log('  random ×10 starts at cost inf in the course: log(0) of a saturated sigmoid. Here the cost is');
console.log('  computed from the logits, max(z,0) − z·y + log1p(exp(−|z|)), so it is large but finite.');
console.log('\n(c) gradient checking, float64, ε = 1e-7:');
gcRows.forEach((r) => console.log(r));

// ---- (d) optimization ----
const opt = optimizationLesson(backend);
total += opt.ms;
console.log(
  "\n(d) optimization, the course's notebook: moons (300, noise 0.2), 2→5→2→1 He, batches of 64, 5000 epochs:",
);
opt.lines.forEach((l) => console.log(l ? `  ${l}` : ''));
console.log(`\ntotal ${(total / 1000).toFixed(2)} s`);
