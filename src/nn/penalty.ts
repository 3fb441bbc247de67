// Weight penalties, in the course's convention (per example, weights only, biases exempt):
//   L2: cost + λ/(2m)·Σ‖W‖², gradient + (λ/m)·W
//   L1: cost + λ₁/m·Σ|W|,   gradient + (λ₁/m)·sign(W)   (sign(0) = 0: the subgradient at the kink)
// fit, gradCheck and inspect all add them through here, so the three cannot disagree.
import type { Backend } from '../backends/backend.js';
import { optNumber } from '../core/options.js';
import type { Param } from './layer.js';

/** λ₁ and λ₂: 0 turns a term off. */
export interface Penalty {
  l1: number;
  l2: number;
}

/** @internal Reads `l1` and `l2` from an options object already checked for unknown keys. */
export function penaltyOf(o: { l1?: unknown; l2?: unknown }, op: string): Penalty {
  return {
    l1: optNumber(o.l1, `${op}: l1`, 0, { min: 0 }),
    l2: optNumber(o.l2, `${op}: l2`, 0, { min: 0 }),
  };
}

/** @internal The penalties' cost for a batch of m examples. */
export function penaltyCost(be: Backend, weights: Param[], p: Penalty, m: number): number {
  let cost = 0;
  if (p.l2 > 0) {
    let s = 0;
    for (const w of weights) s += be.sumSquares(w.value);
    cost += (p.l2 / (2 * m)) * s;
  }
  if (p.l1 > 0) {
    let s = 0;
    for (const w of weights) s += be.sumAbs(w.value);
    cost += (p.l1 / m) * s;
  }
  return cost;
}

/** @internal Adds the penalties' gradient to each weight's gradient, in place. */
export function addPenaltyGradient(be: Backend, weights: Param[], p: Penalty, m: number): void {
  for (const w of weights) {
    if (p.l2 > 0) be.axpy(p.l2 / m, w.value, w.grad);
    if (p.l1 > 0) be.signAxpy(p.l1 / m, w.value, w.grad);
  }
}
