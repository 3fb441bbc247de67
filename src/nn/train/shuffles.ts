// The order of the examples each epoch, for fit's shuffle option beyond true and false.
// numpyShuffle gives the course notebook's order: numpy's legacy permutation, seeded per epoch.
import { checkOptions, optNumber } from '../../core/options.js';
import { MersenneTwister } from '../../core/random.js';

/** An order of the examples for each epoch of a fit. */
export interface Shuffle {
  /** 'numpyShuffle' */
  readonly name: string;
  /** its settings */
  readonly config: Record<string, number>;
  /** Fills `order` with a permutation of 0 … order.length − 1 for epoch `epoch` (0-based, counted within the fit). */
  order(epoch: number, order: Int32Array): void;
}

/**
 * The notebook's mini-batch order: epoch e uses `np.random.seed(seed + 1 + e);
 * np.random.permutation(m)` (numpy's legacy RandomState), as its random_mini_batches does.
 */
export function numpyShuffle(opts: { seed: number }): Shuffle {
  const o = checkOptions(opts, ['seed'], 'numpyShuffle');
  const seed = optNumber(o.seed, 'numpyShuffle: seed', 0, { min: 0, max: 0xfffffffe, integer: true });
  const rng = new MersenneTwister(0);
  return {
    name: 'numpyShuffle',
    config: { seed },
    order(epoch, order) {
      for (let i = 0; i < order.length; i++) order[i] = i;
      rng.seed((seed + 1 + epoch) >>> 0);
      rng.shuffle(order);
    },
  };
}

export function isShuffle(v: unknown): v is Shuffle {
  return !!v && typeof v === 'object' && typeof (v as Shuffle).order === 'function';
}
