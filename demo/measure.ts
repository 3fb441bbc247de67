// A run measured for a lesson: trained to the end with fitAsync (the page stays responsive), its
// losses recorded by epoch from epoch 0, dl.inspect's layers at epoch 0 and at the end. The page's
// contrast runs use it, and the unit tests train every lesson with it in Node.
import * as dl from 'dl-fundamentals';
import type { Config } from './config.ts';
import { type Data, fitOptionsOf, lossOf, makeData, makeModel, makeOptimizer, train } from './common.ts';
import type { Curve } from './draw.ts';
import type { Measured } from './lessons/index.ts';

/** Points a curve gets over a run, about: enough to watch it, few enough to cost nothing. */
export const POINTS = 200;
/** dl.inspect looks at this many training examples at most: its figures settle long before */
export const LOOK = 300;

/** dl.inspect on at most LOOK training examples */
export function inspectOf(model: dl.Sequential, data: Data, c: Config): dl.Inspection {
  const n = Math.min(LOOK, data.train.x.rows),
    k = data.train.y.cols;
  const x = { rows: n, cols: 2, data: data.train.x.data.subarray(0, 2 * n) },
    y = { rows: n, cols: k, data: data.train.y.data.subarray(0, k * n) };
  return dl.inspect(model, x, y, { loss: lossOf(data.classes), l2: c.reg === 'l2' ? c.lambda : 0 });
}

/** the train and test losses now */
export function lossesOf(model: dl.Sequential, data: Data): { train: dl.Evaluation; test: dl.Evaluation } {
  const loss = lossOf(data.classes);
  return {
    train: model.evaluate(data.train.x, data.train.y, { loss }),
    test: model.evaluate(data.test.x, data.test.y, { loss }),
  };
}

/** the fraction of the training set in its largest class */
function baseRate(data: Data): number {
  const { y } = data.train;
  const counts = new Array(Math.max(2, y.cols)).fill(0);
  for (let i = 0; i < y.rows; i++) {
    if (y.cols === 1) counts[y.data[i] > 0.5 ? 1 : 0]++;
    else {
      let c = 0;
      for (let k = 1; k < y.cols; k++) if (y.data[i * y.cols + k] > y.data[i * y.cols + c]) c = k;
      counts[c]++;
    }
  }
  return Math.max(...counts) / y.rows;
}

/** A finished run's figures, as the lessons and the verdict read them. */
export type MeasuredRun = Measured & { base: number; diverged?: number };

/** What a run measured, from its model now and what it recorded while training. */
export function measuredNow(
  model: dl.Sequential,
  data: Data,
  c: Config,
  rec: { label: string; curves: Measured['curves']; first: dl.LayerStats[]; diverged?: number },
): MeasuredRun {
  const l = lossesOf(model, data);
  return {
    label: rec.label,
    train: l.train.accuracy,
    test: l.test.accuracy,
    losses: { train: l.train.loss, test: l.test.loss },
    curves: rec.curves,
    first: rec.first,
    layers: inspectOf(model, data, c).layers,
    base: baseRate(data),
    ...(rec.diverged !== undefined ? { diverged: rec.diverged } : {}),
  };
}

/**
 * The epoch at which fit gave up because the loss stopped being a number (fit then restores the
 * model as it was): undefined for any other error.
 */
export function divergedAt(e: unknown): number | undefined {
  const m = /training diverged.* at epoch (\d+)/.exec(e instanceof Error ? e.message : '');
  return m ? Number(m[1]) : undefined;
}

/** Trains a configuration from its seed to its last epoch and measures it. */
export async function measureRun(
  c: Config,
  backend: dl.Backend,
  label: string,
  opts: { stop?: () => boolean; onProgress?: (model: dl.Sequential, data: Data, done: number) => void } = {},
): Promise<MeasuredRun> {
  const data = makeData(c);
  const model = makeModel(c, backend, data.classes);
  try {
    const every = Math.max(1, Math.floor(c.epochs / POINTS));
    const curves: { train: Curve; test: Curve } = { train: [], test: [] };
    const record = (at: number) => {
      const l = lossesOf(model, data);
      curves.train.push([at, l.train.loss]);
      curves.test.push([at, l.test.loss]);
    };
    record(0);
    const first = inspectOf(model, data, c).layers;
    let diverged: number | undefined;
    await train(
      model,
      data.train,
      fitOptionsOf(c, data.classes, makeOptimizer(c)),
      c.epochs,
      () => opts.stop?.() ?? false,
      (done) => opts.onProgress?.(model, data, done),
      100,
      (done) => {
        if (done % every === 0 || done === c.epochs) record(done);
      },
    ).catch((e: unknown) => {
      diverged = divergedAt(e);
      if (diverged === undefined) throw e;
    });
    return measuredNow(model, data, c, { label, curves, first, diverged });
  } finally {
    model.dispose();
  }
}
