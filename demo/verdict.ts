// The fit verdict the page prints. In this order: a run that does not fit its training set for a
// cause the figures show (a diverging loss, dead units, symmetry, exploding or vanishing
// gradients, saturation) is named for that cause, with its advice, even when it shows a gap (the
// gap is the cause's symptom: nothing was memorized); then overfit (the train–test gap, the test
// loss far above the training loss or rising while it falls); then underfit (the training set not
// fitted: a linear model, or too little capacity); else a good fit. No DOM here: the unit tests
// run it in Node.
import type { LayerStats } from 'dl-fundamentals';
import { pct } from './format.ts';

export type Cause = 'divergence' | 'dead' | 'symmetry' | 'exploding' | 'vanishing' | 'saturation' | 'linear';
export type Verdict = { kind: 'underfit' | 'overfit' | 'good'; cause: Cause | null; html: string };
type Curve = [number, number][];

export interface Evidence {
  /** accuracies, 0…1 */
  train: number;
  test: number;
  /** the losses now, on the same sets */
  losses?: { train: number; test: number };
  /** the losses by epoch (the test loss's trend) */
  curves?: { train: Curve; test: Curve };
  /** dl.inspect's dense layers now, and at epoch 0 */
  layers?: LayerStats[];
  first?: LayerStats[];
  /** the fraction of the training set in its largest class: what a constant answer scores */
  base?: number;
  /** the epoch at which fit stopped because the loss stopped being a number */
  diverged?: number;
}

const sci = (v: number) =>
  v === 0 ? '0' : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-2 ? v.toExponential(1) : v.toPrecision(3);

/** Where the test loss turned: its lowest point and how far it has risen since, while train fell. */
function rising(c: { train: Curve; test: Curve }): { at: number; by: number } | null {
  const { train, test } = c;
  if (test.length < 5) return null;
  let k = 0;
  for (let i = 1; i < test.length; i++) if (test[i][1] < test[k][1]) k = i;
  const last = test.length - 1;
  const by = test[last][1] / test[k][1];
  const trainFell = train[last] && train[k] && train[last][1] < train[k][1];
  const rise = test[last][1] - test[k][1];
  return k < last && by > 1.25 && rise > 0.02 && trainFell ? { at: test[k][0], by } : null;
}

/** The cause an underfit shows, with its words and its advice; null when none shows. */
function causeOf(e: Evidence): { cause: Cause; why: string } | null {
  const loss = e.losses?.train;
  const trainCurve = e.curves?.train ?? [];
  const first = trainCurve[0]?.[1];
  if (e.diverged !== undefined || (loss !== undefined && !Number.isFinite(loss)))
    return {
      cause: 'divergence',
      why: `Diverged${e.diverged !== undefined ? ` at epoch ${e.diverged}` : ''}: the loss stopped being a number, each step overshooting more than the last. Lower the learning rate, or fix the initialization (He).`,
    };
  if (loss !== undefined && first !== undefined && loss > 2 * first)
    return {
      cause: 'divergence',
      why: `Diverging: the training loss rose from ${sci(first)} to ${sci(loss)}. Lower the learning rate.`,
    };
  const layers = e.layers ?? [];
  const hidden = layers.slice(0, -1);
  const dead = hidden.find((l) => (l.activation?.dead ?? 0) >= 0.5);
  if (dead)
    return {
      cause: 'dead',
      why: `Dead units: ${pct(dead.activation!.dead!)} of ${dead.name}'s ReLUs output 0 on every example, so no gradient reaches their weights (‖∂W‖ = ${sci(dead.gradientNorm)}). Fix the initialization (He), or lower the learning rate.`,
    };
  const same = hidden.find((l) => l.units > 1 && l.distinctUnits === 1);
  if (same)
    return {
      cause: 'symmetry',
      why: `Symmetry: all ${same.units} units of ${same.name} compute the same thing, so they get the same update and stay the same: the layer is as good as one unit. Fix the initialization (random, He or Xavier).`,
    };
  const grads = (e.first ?? layers).map((l) => l.gradientNorm);
  const top = Math.max(...grads);
  if (grads.length > 1 && top > 100)
    return {
      cause: 'exploding',
      why: `Exploding gradients: at the start ‖∂W‖ reached ${sci(top)}, each layer multiplying the signal up. Fix the initialization (He), or lower the learning rate.`,
    };
  // at the start or now: the first layer's gradient a small fraction of the largest
  const fraction = (ls: LayerStats[]) => {
    const g = ls.map((l) => l.gradientNorm);
    return g.length > 2 && g[0] > 0 ? g[0] / Math.max(...g) : 1;
  };
  const small = Math.min(fraction(e.first ?? []), fraction(layers));
  if (small < 1e-3)
    return {
      cause: 'vanishing',
      why: `Vanishing gradients: the first layer's ‖∂W‖ is ${sci(small)} of the largest layer's, so the first layers barely learn. Use ReLU, fewer layers, He init, or batch norm.`,
    };
  const sat = hidden.find((l) => (l.activation?.saturated ?? 0) > 0.5);
  if (sat)
    return {
      cause: 'saturation',
      why: `Saturation: ${pct(sat.activation!.saturated!)} of ${sat.name}'s ${sat.activation!.name} outputs sit in the flat tails, where the gradient is all but 0, so it learns slowly. Fix the initialization (smaller weights: Xavier or He).`,
    };
  // the course's random ×10: the output starts saturated, sure of itself and often wrong
  const start = (e.first ?? []).find((l) => (l.activation?.saturated ?? 0) > 0.5);
  if (start)
    return {
      cause: 'saturation',
      why: `Saturation from the start: at epoch 0, ${pct(start.activation!.saturated!)} of ${start.name}'s ${start.activation!.name} outputs were in the flat tails (certain, and often wrong, at a huge cost): weights that large slow learning down. Fix the initialization (He or Xavier).`,
    };
  if (layers.length > 0 && hidden.every((l) => l.activation?.name === 'linear'))
    return {
      cause: 'linear',
      why: 'Linear: without a non-linear activation the whole network is one linear map, and its boundary a straight line. Use a non-linear activation (ReLU, tanh).',
    };
  return null;
}

/** The verdict on a run: from its accuracies and, when given, its losses, curves and layers. */
export function verdictOf(e: Evidence): Verdict {
  const { train, test, losses } = e;
  const gap = 100 * (train - test);
  const nums = `train <strong>${pct(train)}</strong>, test <strong>${pct(test)}</strong>, gap <strong>${gap.toFixed(1)} points</strong>`;
  // a gap counts once the model has learned something: a constant answer scores the class
  // proportions, which differ between the sets
  const learned = train > (e.base ?? 0.5) + 0.1;
  // the losses count when they differ by more than noise: 1e-4 against 2.4e-4 is no signal
  const ratio = losses && losses.train > 0 && losses.test - losses.train > 0.05 ? losses.test / losses.train : 1;
  // a run stuck for a reason the figures show is named for it, even with a gap: a model that
  // cannot fit its training set is not memorizing it
  const stuck = train < 0.9 ? causeOf(e) : null;
  if (stuck && stuck.cause !== 'linear')
    return {
      kind: 'underfit',
      cause: stuck.cause,
      html: `<span class="verdict-underfit">Underfit</span>: ${nums}. ${stuck.why}`,
    };
  const turn = e.curves ? rising(e.curves) : null;
  if ((learned && gap > 4) || ratio > 2 || turn) {
    const name = learned && gap > 4 ? 'Overfit' : 'Starting to overfit';
    const why =
      learned && gap > 4
        ? "It learned the training points' noise"
        : turn
          ? `The test loss has risen ${turn.by.toFixed(1)}× since epoch ${turn.at} while the training loss fell: it is learning the training points' noise`
          : `The test loss is ${ratio.toFixed(1)}× the training loss: it is learning the training points' noise`;
    return {
      kind: 'overfit',
      cause: null,
      html: `<span class="verdict-overfit">${name}</span>: ${nums}. ${why}. Regularize (L2, dropout), stop earlier, or use a smaller network or more data.`,
    };
  }
  if (train < 0.9) {
    const c = stuck;
    const why =
      c?.why ??
      'The model does not fit even the examples it trains on: more capacity (units, layers), more epochs, less regularization.';
    return {
      kind: 'underfit',
      cause: c?.cause ?? null,
      html: `<span class="verdict-underfit">Underfit</span>: ${nums}. ${why}`,
    };
  }
  return { kind: 'good', cause: null, html: `<span class="verdict-good">Good fit</span>: ${nums}.` };
}
