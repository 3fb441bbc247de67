// The live training panel: the network trained with fitAsync, redrawn as it learns.
import * as dl from 'dl-fundamentals';
import { boxOf, drawBoundary, drawCurves, drawLogLines, type Curve } from '../draw.ts';
import { drawHistograms, drawNetwork, fmt } from '../network.ts';
import {
  type Data,
  type Config,
  $,
  val,
  num,
  nextFrame,
  pct,
  DEFAULT_LR,
  verdictOf,
  readConfig,
  makeData,
  makeModel,
  makeOptimizer,
  lossOf,
  train,
  showError,
  backendFor,
  LAYER_COLORS,
} from '../common.ts';

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
  /** the curves get a point every this many epochs (and at 0 and the last) */
  every: number;
} | null = null;

/** Points a curve gets over a run, about: enough to watch it, few enough to cost nothing. */
const POINTS = 200;

export async function setup(): Promise<NonNullable<typeof run>> {
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
    every: Math.max(1, Math.floor(config.epochs / POINTS)),
  };
  sample(run);
  redraw(true);
  return run;
}

/**
 * The curves' point at the run's current epoch: train and test loss, and each layer's gradient
 * norm (dl.inspect on at most LOOK examples). Recorded by epoch, from epoch 0, so a curve's
 * points do not depend on how fast the machine is.
 */
function sample(r: NonNullable<typeof run>, epoch = r.epoch): void {
  const { model, data, config } = r;
  const loss = lossOf(data.classes);
  r.train.push([epoch, model.evaluate(data.train.x, data.train.y, { loss }).loss]);
  r.test.push([epoch, model.evaluate(data.test.x, data.test.y, { loss }).loss]);
  const n = Math.min(LOOK, data.train.x.rows),
    k = data.train.y.cols;
  const x = { rows: n, cols: 2, data: data.train.x.data.subarray(0, 2 * n) },
    y = { rows: n, cols: k, data: data.train.y.data.subarray(0, k * n) };
  const s = dl.inspect(model, x, y, { loss, l2: config.reg === 'l2' ? config.lambda : 0 });
  s.layers.forEach((l, i) => {
    (r.grads[i] ??= []).push([epoch, l.gradientNorm]);
  });
}

function redraw(force = false): void {
  if (!run) return;
  const { model, data } = run;
  drawBoundary($<HTMLCanvasElement>('boundary'), (g) => model.predict(g), data.train, data.test, data.classes);
  const curves = $<HTMLCanvasElement>('curves'),
    epochs = run.config.epochs;
  if ($<HTMLInputElement>('log-loss').checked)
    drawLogLines(curves, [run.train, run.test], ['#1f6fb2', '#d9822b'], 'loss', epochs);
  else drawCurves(curves, [run.train, run.test], ['#1f6fb2', '#d9822b'], 'loss', epochs);
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
  drawLogLines($<HTMLCanvasElement>('grad-norms'), r.grads, LAYER_COLORS, '‖∂cost/∂W‖', config.epochs);
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
    $('epoch').textContent = String(r.epoch);
    $('train-loss').textContent = fmt(tr.loss);
    $('test-loss').textContent = fmt(te.loss);
    $('fit-verdict').innerHTML = verdictOf(tr.accuracy, te.accuracy, { train: tr.loss, test: te.loss }).html;
    $('train-acc').textContent = pct(tr.accuracy);
    $('test-acc').textContent = pct(te.accuracy);
    $('speed').textContent = ((r.epoch - e0) / ((performance.now() - t0) / 1000)).toFixed(0);
    showThreads(r.model.backend);
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
      50,
      (done) => {
        const at = e0 + done;
        if (run === r && (at % r.every === 0 || at === r.config.epochs)) sample(r, at);
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

/** Wires the panel's controls. */
export function initTraining(): void {
  $('start').addEventListener('click', () => void start());
  $('pause').addEventListener('click', () => {
    if (run) run.paused = true;
  });
  $('reset').addEventListener('click', () => {
    // a model still training is disposed when its fitAsync returns (start() does it)
    if (run && !run.active) run.model.dispose();
    run = null;
    for (const id of ['train-loss', 'test-loss', 'train-acc', 'test-acc', 'speed', 'threads-in-use'])
      $(id).textContent = '–';
    $('epoch').textContent = '0';
    $('status').textContent = 'ready';
    $('fit-verdict').textContent = '';
    $('notice').textContent = '';
    $<HTMLButtonElement>('start').disabled = false;
    setup().catch(showError);
  });
  $('log-loss').addEventListener('change', () => redraw());
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
}

/** The threads the backend's ops run on now, of those it may use, and why fewer (backend.stats()). */
function showThreads(be: dl.Backend): void {
  const s = be.stats(),
    el = $('threads-in-use');
  el.textContent = `${s.threadsInUse} of ${s.threads}`;
  el.dataset.stats = JSON.stringify(s);
  el.title = s.why ?? (s.threads > 1 ? 'every thread is in use' : (be.threadsReason ?? 'one thread was asked for'));
}
