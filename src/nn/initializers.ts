// Weight initializers, drawn as the course draws them: randn(out, in) row by row, times a scale.
import { describe } from '../core/matrix.js';
import type { MersenneTwister } from '../core/random.js';

/** How a dense layer's W is drawn: zeros, random (randn × scale), he (randn × √(2/inputs)) or xavier (randn × √(1/inputs)). */
export type InitName = 'zeros' | 'random' | 'he' | 'xavier';
export const INITIALIZERS: InitName[] = ['zeros', 'random', 'he', 'xavier'];

export function checkInit(init: unknown): InitName {
  if (!INITIALIZERS.includes(init as InitName)) {
    throw new Error(
      `unknown initializer ${describe(init)}; use one of ${INITIALIZERS.map((s) => `'${s}'`).join(', ')}`,
    );
  }
  return init as InitName;
}

/**
 * An [outputs × inputs] weight matrix: zeros; random: randn × scale (default 10);
 * he: randn × √(2/inputs); xavier: randn × √(1/inputs). Zeros draws nothing.
 */
export function initWeights(
  init: InitName,
  rows: number,
  cols: number,
  rng: MersenneTwister,
  scale = 10,
): Float64Array {
  const w = new Float64Array(rows * cols);
  if (init === 'zeros') return w;
  const s = init === 'random' ? scale : init === 'he' ? Math.sqrt(2 / cols) : Math.sqrt(1 / cols);
  for (let i = 0; i < w.length; i++) w[i] = rng.randn() * s;
  return w;
}
