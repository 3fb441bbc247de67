// What the page's panels share: the controls' configuration, data, models, the training driver,
// one backend per kind, the error line.
import * as dl from 'dl-fundamentals';
import type { Config } from './config.ts';

export type Data = { train: dl.datasets.Dataset; test: dl.datasets.Dataset; classes: number };
export type { Config } from './config.ts';

export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
export const val = (id: string) => $<HTMLInputElement>(id).value;
export const num = (id: string) => Number(val(id));
export const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
export { pct } from './format.ts';

export { verdictOf } from './verdict.ts';

export function makeData(c: Config): Data {
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

export function makeModel(c: Config, backend: dl.Backend, classes: number, seed = c.seed): dl.Sequential {
  const act = { relu: dl.relu, tanh: dl.tanh, sigmoid: dl.sigmoid, linear: dl.linear }[c.activation];
  const layers: dl.Layer[] = [];
  for (const units of c.hidden) {
    layers.push(dl.dense(units, { init: c.init, scale: c.scale }));
    if (c.norm === 'batch') layers.push(dl.batchNorm());
    layers.push(act());
    if (c.reg === 'dropout') layers.push(dl.dropout(c.rate));
  }
  layers.push(
    classes === 2 ? dl.dense(1, { init: c.init, scale: c.scale }) : dl.dense(classes, { init: c.init, scale: c.scale }),
  );
  layers.push(classes === 2 ? dl.sigmoid() : dl.softmax());
  return dl.sequential(layers, { inputSize: 2, backend, seed });
}

export function makeOptimizer(c: Config): dl.Optimizer {
  // lr / (1 + decay · epoch): the course's inverse-time decay
  const learningRate = c.decay > 0 ? dl.inverseTimeDecay({ initial: c.lr, decay: c.decay }) : c.lr;
  return { adam: dl.adam, momentum: dl.momentum, rmsprop: dl.rmsprop, sgd: dl.sgd }[c.optimizer]({ learningRate });
}

/** fit's options for a configuration (the loss, the optimizer, L2, the batch size) */
export function fitOptionsOf(c: Config, classes: number, optimizer: dl.Optimizer): Omit<dl.FitOptions, 'epochs'> {
  return {
    loss: lossOf(classes),
    optimizer,
    l2: c.reg === 'l2' ? c.lambda : 0,
    ...(c.batch > 0 ? { batchSize: c.batch } : {}),
  };
}

export const lossOf = (classes: number): dl.LossName =>
  classes === 2 ? 'binaryCrossEntropy' : 'categoricalCrossEntropy';

/**
 * Trains `epochs` epochs with fitAsync (which hands the page back every few milliseconds);
 * `stop()` is asked after every epoch, `onDraw` at most every `everyMs` and after the last.
 */
export async function train(
  model: dl.Sequential,
  d: dl.datasets.Dataset,
  fit: Omit<dl.FitOptions, 'epochs'>,
  epochs: number,
  stop: () => boolean,
  onDraw: (done: number, logs: dl.EpochLogs) => void,
  everyMs = 50,
  /** after every epoch, before stop(): a curve recorded by epoch, not by the clock */
  onEpoch?: (done: number, logs: dl.EpochLogs) => void,
): Promise<number> {
  let last = 0;
  const h = await model.fitAsync(d.x, d.y, {
    ...fit,
    epochs,
    onEpochEnd: (e, logs) => {
      onEpoch?.(e + 1, logs);
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

/** Shows an error in a panel's own error line (an element with role="alert"). */
export function showErrorIn(id: string, e: unknown): void {
  const el = $(id);
  el.textContent = e instanceof Error ? e.message : String(e);
  el.hidden = false;
}

// One backend per kind and precision for the page's whole life: a threaded wasm backend starts
// its workers once.
export const backends = new Map<string, Promise<dl.Backend>>();
export function backendFor(name: dl.BackendName, dtype: dl.DType): Promise<dl.Backend> {
  const key = `${name}/${dtype}`;
  if (!backends.has(key)) backends.set(key, dl.createBackend(name, { dtype }));
  return backends.get(key)!;
}
