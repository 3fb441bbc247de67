// The demo page: trains with fitAsync, which yields to the page between batches, so it never freezes.
import * as dl from 'dl-fundamentals';
import { boxOf, drawBoundary, drawCurves, drawLogLines, type Curve } from './draw.ts';
import { drawHistograms, drawNetwork, fmt } from './network.ts';

type Data = { train: dl.datasets.Dataset; test: dl.datasets.Dataset; classes: number };
interface Config {
  dataset: string;
  samples: number;
  noise: number;
  seed: number;
  hidden: number[];
  activation: 'relu' | 'tanh' | 'sigmoid';
  init: dl.InitName;
  scale: number;
  reg: 'none' | 'l2' | 'dropout';
  lambda: number;
  rate: number;
  optimizer: 'adam' | 'momentum' | 'sgd';
  lr: number;
  epochs: number;
  backend: 'wasm' | 'js';
  dtype: dl.DType;
  batch: number;
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const val = (id: string) => $<HTMLInputElement>(id).value;
const num = (id: string) => Number(val(id));
const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

function batchOf(): number {
  const b = num('batch');
  if (!Number.isInteger(b) || b < 0) throw new Error('Batch size: give a whole number, 0 for all the examples');
  return b;
}

/** learning rates at which each optimizer trains the page's default network in 1000 epochs */
const DEFAULT_LR: Record<Config['optimizer'], number> = { adam: 0.01, momentum: 0.3, sgd: 0.3 };

/** underfit, overfit or a good fit, from the accuracies */
function verdictOf(train: number, test: number): { kind: 'underfit' | 'overfit' | 'good'; html: string } {
  const gap = 100 * (train - test);
  const nums = `train <strong>${pct(train)}</strong>, test <strong>${pct(test)}</strong>, gap <strong>${gap.toFixed(1)} points</strong>`;
  if (train < 0.9)
    return {
      kind: 'underfit',
      html: `<span class="verdict-underfit">Underfit</span>: ${nums}. The model does not fit even the examples it trains on: more units or epochs, less regularization.`,
    };
  if (gap > 4)
    return {
      kind: 'overfit',
      html: `<span class="verdict-overfit">Overfit</span>: ${nums}. It learned the training points' noise: L2, dropout or a smaller network close the gap.`,
    };
  return { kind: 'good', html: `<span class="verdict-good">Good fit</span>: ${nums}.` };
}

function readConfig(): Config {
  const hidden = val('hidden')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (hidden.some((h) => !Number.isInteger(h) || h < 1 || h > 512))
    throw new Error('Hidden layers: give whole numbers from 1 to 512, separated by commas');
  return {
    dataset: val('dataset'),
    samples: num('samples'),
    noise: num('noise'),
    seed: num('seed'),
    hidden,
    activation: val('activation') as Config['activation'],
    init: val('init') as dl.InitName,
    scale: num('scale'),
    reg: val('reg') as Config['reg'],
    lambda: num('lambda'),
    rate: num('rate'),
    optimizer: val('optimizer') as Config['optimizer'],
    lr: num('lr'),
    epochs: num('epochs'),
    backend: val('backend') as Config['backend'],
    dtype: val('dtype') as dl.DType,
    batch: batchOf(),
  };
}

function makeData(c: Config): Data {
  const n = Math.round((c.samples * 4) / 3); // a quarter of them held out for testing
  const opts = { samples: n, noise: c.noise, seed: c.seed };
  const all =
    c.dataset === 'moons'
      ? dl.datasets.moons(opts)
      : c.dataset === 'spirals'
        ? dl.datasets.spirals({ ...opts, noise: c.noise * 4, classes: 3 })
        : c.dataset === 'blobs'
          ? dl.datasets.blobs({ samples: n, centers: 3, std: 1 + 10 * c.noise, seed: c.seed })
          : dl.datasets.circles(opts);
  const classes = c.dataset === 'spirals' || c.dataset === 'blobs' ? 3 : 2;
  return { ...dl.datasets.trainTestSplit(all, { testFraction: 0.25, seed: c.seed }), classes };
}

function makeModel(c: Config, backend: dl.Backend, classes: number, seed = c.seed): dl.Sequential {
  const act = { relu: dl.relu, tanh: dl.tanh, sigmoid: dl.sigmoid }[c.activation];
  const layers: dl.Layer[] = [];
  for (const units of c.hidden) {
    layers.push(dl.dense(units, { init: c.init, scale: c.scale }), act());
    if (c.reg === 'dropout') layers.push(dl.dropout(c.rate));
  }
  layers.push(
    classes === 2 ? dl.dense(1, { init: c.init, scale: c.scale }) : dl.dense(classes, { init: c.init, scale: c.scale }),
  );
  layers.push(classes === 2 ? dl.sigmoid() : dl.softmax());
  return dl.sequential(layers, { inputSize: 2, backend, seed });
}

function makeOptimizer(c: Config): dl.Optimizer {
  return c.optimizer === 'adam'
    ? dl.adam({ learningRate: c.lr })
    : c.optimizer === 'momentum'
      ? dl.momentum({ learningRate: c.lr })
      : dl.sgd({ learningRate: c.lr });
}

const lossOf = (classes: number): dl.LossName => (classes === 2 ? 'binaryCrossEntropy' : 'categoricalCrossEntropy');

/**
 * Trains `epochs` epochs with fitAsync (which hands the page back every few milliseconds);
 * `stop()` is asked after every epoch, `onDraw` at most every `everyMs` and after the last.
 */
async function train(
  model: dl.Sequential,
  d: dl.datasets.Dataset,
  fit: Omit<dl.FitOptions, 'epochs'>,
  epochs: number,
  stop: () => boolean,
  onDraw: (done: number, logs: dl.EpochLogs) => void,
  everyMs = 50,
): Promise<number> {
  let last = 0;
  const h = await model.fitAsync(d.x, d.y, {
    ...fit,
    epochs,
    onEpochEnd: (e, logs) => {
      const t = performance.now(),
        halt = stop();
      if (halt || e + 1 === epochs || t - last >= everyMs) {
        last = t;
        onDraw(e + 1, logs);
      }
      return halt ? false : undefined;
    },
  });
  return h.epochs;
}

// ---- the live training panel ----
let run: {
  model: dl.Sequential;
  data: Data;
  config: Config;
  opt: dl.Optimizer;
  epoch: number;
  train: Curve;
  test: Curve;
  paused: boolean;
  active: boolean;
  grads: Curve[];
  looked: number;
} | null = null;

function showError(e: unknown): void {
  const el = $('error');
  el.textContent = e instanceof Error ? e.message : String(e);
  el.hidden = false;
  $('status').textContent = 'stopped';
}

// One backend per kind and precision for the page's whole life: a threaded wasm backend starts
// its workers once.
const backends = new Map<string, Promise<dl.Backend>>();
function backendFor(name: dl.BackendName, dtype: dl.DType): Promise<dl.Backend> {
  const key = `${name}/${dtype}`;
  if (!backends.has(key)) backends.set(key, dl.createBackend(name, { dtype }));
  return backends.get(key)!;
}

async function setup(): Promise<NonNullable<typeof run>> {
  $('error').hidden = true;
  const config = readConfig();
  const backend = await backendFor(config.backend, config.dtype);
  const data = makeData(config);
  if (run && !run.active) run.model.dispose();
  run = {
    model: makeModel(config, backend, data.classes),
    data,
    config,
    opt: makeOptimizer(config),
    epoch: 0,
    train: [],
    test: [],
    paused: false,
    active: false,
    grads: [],
    looked: -Infinity,
  };
  redraw(true);
  return run;
}

const LAYER_COLORS = [
  '#1f6fb2',
  '#d9822b',
  '#3ca050',
  '#8e44ad',
  '#c0392b',
  '#16a085',
  '#7f8c8d',
  '#d35400',
  '#2c3e50',
  '#b7950b',
  '#e84393',
];

function redraw(force = false): void {
  if (!run) return;
  const { model, data } = run;
  drawBoundary($<HTMLCanvasElement>('boundary'), (g) => model.predict(g), data.train, data.test, data.classes);
  drawCurves($<HTMLCanvasElement>('curves'), [run.train, run.test], ['#1f6fb2', '#d9822b']);
  // the network and the layers' figures cost more: a few times a second
  const t = performance.now();
  if (force) {
    run.looked = t;
    look(run);
  } else if (t - run.looked >= 250) {
    run.looked = t;
    const r = run;
    setTimeout(() => {
      if (run === r) look(r);
    });
  }
}

const LOOK = 300;

/** the network drawn, and dl.inspect's figures: the table, the gradient norms by epoch, the histograms */
function look(r: NonNullable<typeof run>): void {
  const { model, data, config } = r;
  drawNetwork($<HTMLCanvasElement>('network'), model, boxOf(data.train, data.test));
  // at most LOOK examples: the figures settle long before, and the page must not stall on big sets
  const n = Math.min(LOOK, data.train.x.rows),
    k = data.train.y.cols;
  const x = { rows: n, cols: 2, data: data.train.x.data.subarray(0, 2 * n) },
    y = { rows: n, cols: k, data: data.train.y.data.subarray(0, k * n) };
  drawHistograms($<HTMLCanvasElement>('histograms'), model, x.data, n);
  const s = dl.inspect(model, x, y, { loss: lossOf(data.classes), l2: config.reg === 'l2' ? config.lambda : 0 });
  s.layers.forEach((l, i) => {
    (r.grads[i] ??= []).push([r.epoch, l.gradientNorm]);
  });
  drawLogLines($<HTMLCanvasElement>('grad-norms'), r.grads, LAYER_COLORS, '‖∂cost/∂W‖');
  $('grad-legend').innerHTML =
    `Gradient norm by layer: ${s.layers.map((l, i) => `<span style="color:${LAYER_COLORS[i % LAYER_COLORS.length]}">${l.name}</span>`).join(', ')}`;
  const cell = (v: number | null) => (v === null ? '–' : fmt(v));
  $('layer-stats').querySelector('tbody')!.innerHTML = s.layers
    .map(
      (l) => `<tr data-layer="${l.name}" data-gradient-norm="${l.gradientNorm}" data-distinct="${l.distinctUnits}">
    <td>${l.name}</td><td>${l.units}</td><td>${l.distinctUnits}</td><td>${fmt(l.weightNorm)}</td><td>${fmt(l.gradientNorm)}</td>
    <td>${l.activation?.name ?? '–'}</td><td>${cell(l.activation?.mean ?? null)}</td><td>${cell(l.activation?.std ?? null)}</td>
    <td>${l.activation?.saturated == null ? '–' : pct(l.activation.saturated)}</td><td>${l.activation?.dead == null ? '–' : pct(l.activation.dead)}</td></tr>`,
    )
    .join('');
}

async function start(): Promise<void> {
  try {
    // a fresh network was built (and drawn) when the settings were last changed or reset
    if (!run || run.epoch >= run.config.epochs) {
      await setup();
      await nextFrame(); // the new network is drawn before training takes the thread
    }
  } catch (e) {
    showError(e);
    return;
  }
  const r = run!;
  if (r.active) return;
  r.active = true;
  r.paused = false;
  $<HTMLButtonElement>('start').disabled = true;
  $<HTMLButtonElement>('pause').disabled = false;
  $('status').textContent = 'training';
  const loss = lossOf(r.data.classes);
  const t0 = performance.now(),
    e0 = r.epoch;
  let pending: ReturnType<typeof setTimeout> | 0 = 0,
    drawnAt = -1;
  const draw = () => {
    if (run !== r) return;
    drawnAt = r.epoch;
    const tr = r.model.evaluate(r.data.train.x, r.data.train.y, { loss });
    const te = r.model.evaluate(r.data.test.x, r.data.test.y, { loss });
    r.train.push([r.epoch, tr.loss]);
    r.test.push([r.epoch, te.loss]);
    $('epoch').textContent = String(r.epoch);
    $('train-loss').textContent = fmt(tr.loss);
    $('test-loss').textContent = fmt(te.loss);
    $('fit-verdict').innerHTML = verdictOf(tr.accuracy, te.accuracy).html;
    $('train-acc').textContent = pct(tr.accuracy);
    $('test-acc').textContent = pct(te.accuracy);
    $('speed').textContent = ((r.epoch - e0) / ((performance.now() - t0) / 1000)).toFixed(0);
    redraw();
  };
  try {
    await train(
      r.model,
      r.data.train,
      {
        loss,
        optimizer: r.opt,
        l2: r.config.reg === 'l2' ? r.config.lambda : 0,
        ...(r.config.batch > 0 ? { batchSize: r.config.batch } : {}),
      },
      r.config.epochs - r.epoch,
      () => {
        r.epoch++;
        return run !== r || r.paused;
      },
      () => {
        // drawn in a task of its own, not inside the training slice that asked for it: the two
        // together could pass 50 ms on a big network
        if (!pending)
          pending = setTimeout(() => {
            pending = 0;
            draw();
          });
      },
    );
  } catch (e) {
    showError(e);
  }
  if (pending) clearTimeout(pending);
  pending = 0;
  // the last figures, then (in a task of its own) the layers'
  if (run === r && r.epoch !== drawnAt) {
    draw();
    await nextFrame();
  }
  r.active = false;
  if (run !== r) r.model.dispose(); // reset while it trained: its model is freed now that fitAsync is done
  if (run === r) {
    look(r);
    $('status').textContent = r.epoch >= r.config.epochs ? 'done' : r.paused ? 'paused' : $('status').textContent!;
    $<HTMLButtonElement>('start').disabled = false;
    $<HTMLButtonElement>('pause').disabled = true;
  }
}

$('start').addEventListener('click', () => void start());
$('pause').addEventListener('click', () => {
  if (run) run.paused = true;
});
$('reset').addEventListener('click', () => {
  // a model still training is disposed when its fitAsync returns (start() does it)
  if (run && !run.active) run.model.dispose();
  run = null;
  for (const id of ['train-loss', 'test-loss', 'train-acc', 'test-acc', 'speed']) $(id).textContent = '–';
  $('epoch').textContent = '0';
  $('status').textContent = 'ready';
  $('fit-verdict').textContent = '';
  $('notice').textContent = '';
  $<HTMLButtonElement>('start').disabled = false;
  setup().catch(showError);
});
$('optimizer').addEventListener('change', () => {
  $<HTMLInputElement>('lr').value = String(DEFAULT_LR[val('optimizer') as Config['optimizer']]);
});
$('depth').addEventListener('change', () => {
  const d = num('depth');
  if (!Number.isInteger(d) || d < 1 || d > 10) return;
  const width = Number(val('hidden').split(',')[0]) || 10;
  $<HTMLInputElement>('hidden').value = Array(d).fill(width).join(', ');
});
$('controls').addEventListener('change', () => {
  // a paused network is not trained on under new settings: a new one is built, and the page says so
  if (run?.active) return;
  const paused = run !== null && run.epoch > 0;
  $('reset').click();
  $('notice').textContent = paused
    ? 'Settings changed: a new network was built; Start trains it from the beginning.'
    : '';
});

// ---- side-by-side comparisons ----
interface Entry {
  key: string;
  title: string;
  layers: () => dl.Layer[];
  l2?: number;
  course: string;
}

async function compare(
  out: HTMLElement,
  entries: Entry[],
  data: { train: dl.datasets.Dataset; test: dl.datasets.Dataset },
  epochs: number,
  lr: number,
): Promise<void> {
  const backend = await backendFor('wasm', 'float64');
  out.replaceChildren();
  for (const e of entries) {
    const card = document.createElement('figure');
    card.className = 'card';
    card.dataset.key = e.key;
    card.innerHTML = `<canvas width="200" height="200" aria-label="${e.title}: decision boundary"></canvas>
      <canvas width="200" height="120" aria-label="${e.title}: cost by iteration"></canvas>
      <canvas width="200" height="120" class="grads" aria-label="${e.title}: gradient norm of each layer by iteration, log scale"></canvas>
      <canvas width="200" height="120" class="hists" aria-label="${e.title}: histograms of each hidden layer's outputs"></canvas>
      <figcaption><strong>${e.title}</strong><br>train <span class="train-acc">…</span>, test <span class="test-acc">…</span>
      <br><span class="gap"></span><br><small>course: ${e.course}</small></figcaption>`;
    out.append(card);
    const [bCanvas, cCanvas, gCanvas, hCanvas] = card.querySelectorAll('canvas');
    const model = dl.sequential(e.layers(), { inputSize: 2, backend, seed: 3 });
    const curve: Curve = [];
    const grads: Curve[] = [];
    const lookAt = (done: number) =>
      dl
        .inspect(model, data.train.x, data.train.y, { loss: 'binaryCrossEntropy', l2: e.l2 ?? 0 })
        .layers.forEach((l, i) => (grads[i] ??= []).push([done, l.gradientNorm]));
    lookAt(0);
    let next = epochs / 20;
    await train(
      model,
      data.train,
      { loss: 'binaryCrossEntropy', optimizer: dl.sgd({ learningRate: lr }), l2: e.l2 ?? 0 },
      epochs,
      () => false,
      (done, logs) => {
        curve.push([done, logs.loss]);
        drawCurves(cCanvas, [curve], ['#1f6fb2'], 'cost');
        if (done >= next || done === epochs) {
          next = done + epochs / 20;
          lookAt(done);
          drawLogLines(gCanvas, grads, LAYER_COLORS, '‖∂W‖');
        }
      },
    );
    card.dataset.gradients = JSON.stringify(grads.map((g) => g[g.length - 1][1]));
    drawHistograms(hCanvas, model, data.train.x.data, data.train.x.rows);
    const tr = model.evaluate(data.train.x, data.train.y).accuracy,
      te = model.evaluate(data.test.x, data.test.y).accuracy;
    card.querySelector('.train-acc')!.textContent = pct(tr);
    card.querySelector('.test-acc')!.textContent = pct(te);
    card.querySelector('.gap')!.textContent = `gap ${(100 * (tr - te)).toFixed(1)} points`;
    drawBoundary(bCanvas, (g) => model.predict(g), data.train, data.test, 2);
    model.dispose();
  }
}

$('run-inits').addEventListener('click', async () => {
  const b = $<HTMLButtonElement>('run-inits');
  b.disabled = true;
  const train = dl.datasets.circles({ samples: 300, noise: 0.05, seed: 1 });
  const test = dl.datasets.circles({ samples: 100, noise: 0.05, seed: 2 });
  const net = (init: dl.InitName) => () => [
    dl.dense(10, { init }),
    dl.relu(),
    dl.dense(5, { init }),
    dl.relu(),
    dl.dense(1, { init }),
    dl.sigmoid(),
  ];
  try {
    await compare(
      $('inits-out'),
      [
        { key: 'zeros', title: 'zeros', layers: net('zeros'), course: '50% / 50%' },
        { key: 'random', title: 'random × 10', layers: net('random'), course: '83% / 86%' },
        { key: 'he', title: 'He', layers: net('he'), course: '99.3% / 96%' },
      ],
      { train, test },
      15000,
      0.01,
    );
  } catch (e) {
    showError(e);
  }
  b.disabled = false;
});

$('run-regs').addEventListener('click', async () => {
  const b = $<HTMLButtonElement>('run-regs');
  b.disabled = true;
  const net = (rate: number) => () =>
    rate > 0
      ? [
          dl.dense(20, { init: 'xavier' }),
          dl.relu(),
          dl.dropout(rate),
          dl.dense(3, { init: 'xavier' }),
          dl.relu(),
          dl.dropout(rate),
          dl.dense(1, { init: 'xavier' }),
          dl.sigmoid(),
        ]
      : [
          dl.dense(20, { init: 'xavier' }),
          dl.relu(),
          dl.dense(3, { init: 'xavier' }),
          dl.relu(),
          dl.dense(1, { init: 'xavier' }),
          dl.sigmoid(),
        ];
  try {
    await compare(
      $('regs-out'),
      [
        { key: 'none', title: 'no regularization', layers: net(0), course: '94.8% / 91.5%' },
        { key: 'l2', title: 'L2, λ = 0.7', layers: net(0), l2: 0.7, course: '93.8% / 93%' },
        { key: 'dropout', title: 'dropout, rate 0.14', layers: net(0.14), course: '92.9% / 95% (other masks)' },
      ],
      dl.datasets.football(),
      30000,
      0.3,
    );
  } catch (e) {
    showError(e);
  }
  b.disabled = false;
});

// ---- fit explorer (football) ----
$('run-fit').addEventListener('click', async () => {
  const b = $<HTMLButtonElement>('run-fit');
  const out = $('fx-verdict');
  b.disabled = true;
  try {
    const hidden = val('fx-hidden').split(',').map(Number),
      l2 = num('fx-l2'),
      rate = num('fx-rate');
    if (!(l2 >= 0)) throw new Error('λ: give a number ≥ 0');
    if (!(rate >= 0 && rate < 1)) throw new Error('Dropout: give a rate from 0 to below 1');
    const backend = await backendFor('wasm', 'float64');
    const football = dl.datasets.football();
    const layers: dl.Layer[] = [];
    for (const h of hidden) {
      layers.push(dl.dense(h, { init: 'xavier' }), dl.relu());
      if (rate > 0) layers.push(dl.dropout(rate));
    }
    layers.push(dl.dense(1, { init: 'xavier' }), dl.sigmoid());
    const model = dl.sequential(layers, { inputSize: 2, backend, seed: 3 });
    const tr: Curve = [],
      te: Curve = [];
    out.textContent = 'training…';
    delete out.dataset.kind;
    await train(
      model,
      football.train,
      { loss: 'binaryCrossEntropy', optimizer: dl.adam({ learningRate: 0.01 }), l2 },
      2000,
      () => false,
      (done) => {
        tr.push([done, model.evaluate(football.train.x, football.train.y).loss]);
        te.push([done, model.evaluate(football.test.x, football.test.y).loss]);
        drawCurves($<HTMLCanvasElement>('fx-curves'), [tr, te], ['#1f6fb2', '#d9822b']);
      },
      100,
    );
    const a = model.evaluate(football.train.x, football.train.y).accuracy,
      c = model.evaluate(football.test.x, football.test.y).accuracy;
    const v = verdictOf(a, c);
    out.innerHTML = `${hidden.join(', ')} hidden${l2 ? `, λ = ${l2}` : ''}${rate ? `, dropout ${rate}` : ''}: ${v.html}`;
    out.dataset.kind = v.kind;
    out.dataset.gap = String(100 * (a - c));
    model.dispose();
  } catch (e) {
    showError(e);
  }
  b.disabled = false;
});

// ---- gradient check ----
$('run-gc').addEventListener('click', async () => {
  const out = $('gc-out');
  try {
    const c = readConfig();
    const backend = await backendFor(c.backend, 'float64');
    const data = makeData(c);
    const model = makeModel(c, backend, data.classes);
    const few = dl.datasets.trainTestSplit(data.train, { testFraction: 0.1, seed: 1 }).test;
    const r = dl.gradCheck(model, few.x, few.y, {
      loss: lossOf(data.classes),
      l2: c.reg === 'l2' ? c.lambda : 0,
      maxChecks: 400,
    });
    model.dispose();
    out.innerHTML = `<p class="verdict ${r.passed ? 'ok' : 'bad'}">${r.passed ? 'passed' : 'FAILED'}: difference
      ${r.difference.toExponential(2)} against threshold ${r.threshold} (ε = ${r.epsilon}, ${r.checked} entries)</p>
      ${r.kinks.count ? `<p class="kinks">${r.kinks.count} more ${r.kinks.count === 1 ? 'entry was' : 'entries were'} left out: ${r.kinks.why}.</p>` : ''}
      <table><caption>Largest |analytic − numeric|</caption><thead><tr><th>parameter</th><th>index</th><th>analytic</th><th>numeric</th></tr></thead>
      <tbody>${r.worst.map((w) => `<tr><td>${w.layer}.${w.param}</td><td>${w.index}</td><td>${w.analytic.toExponential(6)}</td><td>${w.numeric.toExponential(6)}</td></tr>`).join('')}</tbody></table>`;
  } catch (e) {
    showError(e);
  }
});

// ---- benchmark ----
$('support').textContent =
  `This browser: WebAssembly SIMD ${dl.simdSupported() ? 'yes' : 'no'}, relaxed SIMD ${dl.relaxedSimdSupported() ? 'yes' : 'no'}.`;
backendFor('wasm', 'float32').then((be) => {
  $('threads').textContent =
    be.threads > 1
      ? `The wasm backend runs on ${be.threads} threads (this page is cross-origin isolated).`
      : `The wasm backend runs on 1 thread: ${be.threadsReason ?? 'one was asked for'}.`;
}, showError);
$('run-bench').addEventListener('click', async () => {
  const out = $('bench-out');
  const b = $<HTMLButtonElement>('run-bench');
  b.disabled = true;
  out.textContent = 'measuring…';
  const rows: [string, number, number, string][] = [];
  const time = async (f: () => void, ms = 150) => {
    f();
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      f();
      n++;
    }
    await nextFrame();
    return (performance.now() - t0) / n;
  };
  try {
    const wasm = await backendFor('wasm', 'float32'),
      js = await backendFor('js', 'float32');
    for (const [name, o] of [
      ['A·B', {}],
      ['A·Bᵀ', { transB: true }],
      ['Aᵀ·B', { transA: true }],
    ] as const) {
      const ms: number[] = [];
      for (const be of [wasm, js]) {
        const a = be.zeros(256, 256),
          c = be.zeros(256, 256);
        ms.push(await time(() => be.matmul(a, a, { ...o, out: c })));
        a.dispose();
        c.dispose();
      }
      rows.push([`matmul ${name} 256`, (2 * 256 ** 3) / ms[0] / 1e6, (2 * 256 ** 3) / ms[1] / 1e6, 'GFLOPS']);
    }
    const data = dl.datasets.circles({ samples: 300, noise: 0.05, seed: 1 });
    const ms: number[] = [];
    for (const be of [wasm, js]) {
      const m = dl.sequential([dl.dense(10), dl.relu(), dl.dense(5), dl.relu(), dl.dense(1), dl.sigmoid()], {
        inputSize: 2,
        backend: be,
        seed: 3,
      });
      const x = be.tensor(data.x),
        y = be.tensor(data.y);
      ms.push(await time(() => m.fit(x, y, { loss: 'binaryCrossEntropy', epochs: 1 })));
      m.dispose();
      x.dispose();
      y.dispose();
    }
    rows.push(['training step 2-10-5-1, 300 examples', ms[0], ms[1], 'ms']);
    const max = Math.max(...rows.map((r) => (r[3] === 'ms' ? r[2] / r[1] : r[1] / r[2])));
    out.innerHTML = `<table class="bars"><thead><tr><th>case</th><th>wasm</th><th>js</th><th>wasm / js</th></tr></thead><tbody>${rows
      .map((r) => {
        const ratio = r[3] === 'ms' ? r[2] / r[1] : r[1] / r[2];
        return `<tr><td>${r[0]}</td><td>${r[1].toFixed(r[3] === 'ms' ? 3 : 1)} ${r[3]}</td><td>${r[2].toFixed(r[3] === 'ms' ? 3 : 2)} ${r[3]}</td>
        <td><span class="bar" style="width:${((100 * ratio) / max).toFixed(1)}%"></span> ${ratio.toFixed(1)}×</td></tr>`;
      })
      .join('')}</tbody></table>`;
  } catch (e) {
    showError(e);
  }
  b.disabled = false;
});

setup().catch(showError);
