// The live training panel: the network trained with fitAsync at the pace chosen, redrawn as it
// learns; its curves recorded by epoch from epoch 0; the verdict on it; the lesson's hook when it ends.
import type * as dl from 'dl-fundamentals';
import { type Curve, onResized } from '../draw.ts';
import {
  type Data,
  type Config,
  $,
  nextFrame,
  pct,
  verdictOf,
  makeData,
  makeModel,
  makeOptimizer,
  fitOptionsOf,
  train,
  backendFor,
} from '../common.ts';
import { FormError, lockForm, readConfig } from '../form.ts';
import { POINTS, type MeasuredRun, divergedAt, inspectOf, lossesOf, measuredNow } from '../measure.ts';
import type { Evidence } from '../verdict.ts';
import { drawRun, lookInside, probeAt, showThreads } from './figures.ts';
import { fmt } from '../format.ts';

export interface Run {
  model: dl.Sequential;
  data: Data;
  config: Config;
  opt: dl.Optimizer;
  epoch: number;
  train: Curve;
  test: Curve;
  grads: Curve[];
  /** dl.inspect's layers at epoch 0 */
  first: dl.LayerStats[];
  paused: boolean;
  active: boolean;
  looked: number;
  /** the curves get a point every this many epochs (and at 0 and the last) */
  every: number;
  diverged?: number;
  /** its model was disposed */
  gone?: boolean;
}

function dispose(r: Run): void {
  r.gone = true;
  r.model.dispose();
}

let run: Run | null = null;
/** what the lesson panel hears: a run that reached its last epoch, measured */
export const hooks: {
  done?: (m: MeasuredRun) => void;
  reset?: () => void;
  resize?: () => void;
} = {};
export const current = (): Run | null => run;

/** The panel's own error line (errors of other panels go to theirs). */
export function showError(e: unknown): void {
  const el = $('error');
  el.textContent = e instanceof Error ? e.message : String(e);
  el.hidden = false;
  $('status').textContent = e instanceof FormError ? 'invalid settings' : 'stopped';
}

/** A fresh network from the form's settings, drawn at epoch 0; invalid settings build nothing. */
export async function setup(): Promise<Run | null> {
  $('error').hidden = true;
  if (run && !run.active) dispose(run);
  run = null;
  let config: Config;
  try {
    config = readConfig();
  } catch (e) {
    showError(e);
    return null;
  }
  const backend = await backendFor(config.backend, config.dtype);
  const data = makeData(config);
  const model = makeModel(config, backend, data.classes);
  const r: Run = {
    model,
    data,
    config,
    opt: makeOptimizer(config),
    epoch: 0,
    train: [],
    test: [],
    grads: [],
    first: inspectOf(model, data, config).layers,
    paused: false,
    active: false,
    looked: -Infinity,
    every: Math.max(1, Math.floor(config.epochs / POINTS)),
  };
  run = r;
  sample(r);
  drawRun(r, true);
  $('status').textContent = 'ready';
  return r;
}

/** The curves' point at an epoch: the losses, and each layer's gradient norm (dl.inspect). */
function sample(r: Run, epoch = r.epoch): void {
  const l = lossesOf(r.model, r.data);
  r.train.push([epoch, l.train.loss]);
  r.test.push([epoch, l.test.loss]);
  inspectOf(r.model, r.data, r.config).layers.forEach((s, i) => {
    (r.grads[i] ??= []).push([epoch, s.gradientNorm]);
  });
}

/** epochs a second; 0 is as fast as it goes */
const pace = () => Number(($('pace') as HTMLSelectElement).value);
const TICK_MS = 40;

/** The figures and the verdict, now. */
function show(r: Run, e0: number, t0: number): void {
  const { train: tr, test: te } = lossesOf(r.model, r.data);
  $('epoch').textContent = String(r.epoch);
  $('train-loss').textContent = fmt(tr.loss);
  $('test-loss').textContent = fmt(te.loss);
  $('train-acc').textContent = pct(tr.accuracy);
  $('test-acc').textContent = pct(te.accuracy);
  $('boundary').setAttribute(
    'aria-label',
    `Decision boundary at epoch ${r.epoch} over the ${r.data.classes} classes' colours: train accuracy ${pct(tr.accuracy)}, test ${pct(te.accuracy)}`,
  );
  if (r.epoch > e0) $('speed').textContent = ((r.epoch - e0) / ((performance.now() - t0) / 1000)).toFixed(0);
  showThreads(r.model.backend);
  drawRun(r);
}

/** The verdict on a finished run, on the page. */
function showVerdict(m: Evidence): void {
  const v = verdictOf(m);
  const el = $('fit-verdict');
  el.innerHTML = v.html;
  el.dataset.kind = v.kind;
  el.dataset.cause = v.cause ?? '';
}

/** Trains on from where the run is: to the end, or `only` epochs (Step). */
async function start(only?: number): Promise<void> {
  if (!run || run.epoch >= run.config.epochs || run.diverged !== undefined) {
    if (!(await setup())) return;
    await nextFrame(); // the new network is drawn before training takes the thread
  }
  const r = run!;
  if (r.active) return;
  r.active = true;
  r.paused = false;
  $('notice').textContent = ''; // a "settings changed" notice is obsolete once the new network trains
  $('fit-verdict').textContent = '';
  lockForm(true);
  $<HTMLButtonElement>('start').disabled = true;
  $<HTMLButtonElement>('step').disabled = true;
  $<HTMLButtonElement>('pause').disabled = false;
  $('status').textContent = 'training';
  const t0 = performance.now(),
    e0 = r.epoch,
    end = only ? Math.min(r.config.epochs, r.epoch + only) : r.config.epochs;
  let pending: ReturnType<typeof setTimeout> | 0 = 0;
  const fit = fitOptionsOf(r.config, r.data.classes, r.opt);
  try {
    while (run === r && !r.paused && r.epoch < end) {
      const p = pace();
      const chunk = p > 0 ? Math.max(1, Math.round((p * TICK_MS) / 1000)) : end - r.epoch;
      const tick = performance.now(),
        from = r.epoch;
      await train(
        r.model,
        r.data.train,
        fit,
        Math.min(chunk, end - r.epoch),
        () => {
          r.epoch++;
          return run !== r || r.paused;
        },
        () => {
          // drawn in a task of its own, not inside the training slice that asked for it
          pending ||= setTimeout(() => {
            pending = 0;
            if (run === r) show(r, e0, t0);
          });
        },
        50,
        // before stop() counts the epoch: `done` says which one just ended
        (done) => {
          const at = from + done;
          if (run === r && (at % r.every === 0 || at === r.config.epochs)) sample(r, at);
        },
      );
      const wait = tick + TICK_MS - performance.now();
      if (p > 0 && wait > 0 && r.epoch < end) await new Promise((res) => setTimeout(res, wait));
    }
  } catch (e) {
    const at = divergedAt(e);
    if (at === undefined) showError(e);
    else r.diverged = r.epoch; // fit restored the weights of the chunk's start: the curves keep the climb
  }
  if (pending) clearTimeout(pending);
  r.active = false;
  lockForm(false);
  if (run !== r) {
    dispose(r); // reset while it trained: freed now that fitAsync is done
    return;
  }
  show(r, e0, t0);
  await nextFrame();
  lookInside(r);
  const done = r.epoch >= r.config.epochs || r.diverged !== undefined;
  $('status').textContent =
    r.diverged !== undefined ? 'diverged' : done ? 'done' : r.paused || only ? 'paused' : 'stopped';
  if (done) {
    const m = measuredNow(r.model, r.data, r.config, {
      label: 'this run',
      curves: { train: r.train, test: r.test },
      first: r.first,
      diverged: r.diverged,
    });
    showVerdict(m);
    hooks.done?.(m);
  }
  $<HTMLButtonElement>('start').disabled = false;
  $<HTMLButtonElement>('step').disabled = false;
  $<HTMLButtonElement>('pause').disabled = true;
}

/** Back to a fresh network from the form; a model still training is disposed when its fitAsync returns. */
export function reset(): Promise<Run | null> {
  if (run && !run.active) dispose(run);
  run = null;
  for (const id of ['train-loss', 'test-loss', 'train-acc', 'test-acc', 'speed', 'threads-in-use'])
    $(id).textContent = '–';
  $('epoch').textContent = '0';
  $('fit-verdict').textContent = '';
  delete $('fit-verdict').dataset.kind;
  $<HTMLButtonElement>('start').disabled = false;
  $<HTMLButtonElement>('step').disabled = false;
  hooks.reset?.();
  return setup();
}

/** Wires the panel's controls. */
export function initTraining(): void {
  $('start').addEventListener('click', () => void start());
  $('step').addEventListener('click', () => void start(1));
  $('pause').addEventListener('click', () => {
    if (run) run.paused = true;
  });
  $('reset').addEventListener('click', () => {
    $('notice').textContent = '';
    void reset();
  });
  $('log-loss').addEventListener('change', () => run && drawRun(run, false, true));
  // drawn at the size shown: a new width redraws (at the old one a phone would show 5 px text)
  onResized(() => {
    if (run && !run.gone) drawRun(run, true);
    hooks.resize?.();
  });
  // the probabilities under the pointer: what the output layer (sigmoid or softmax) says there
  $('boundary').addEventListener('mousemove', (ev) => {
    if (run && !run.gone) $('probe').textContent = probeAt(run, ev);
  });
}

/** After a change of settings: a new network, and, if one had trained, the page says so. */
export async function settingsChanged(): Promise<void> {
  const trained = run !== null && run.epoch > 0;
  await reset();
  $('notice').textContent =
    trained && run ? 'Settings changed: a new network was built; Start trains it from the beginning.' : '';
}
