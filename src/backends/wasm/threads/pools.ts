// Where backends get their pool: this JS thread's, or a new one when the last one broke or ended.
import { Pool, type PoolOptions } from './pool.js';

/**
 * A source of pools: the current one, or a new one when a worker of the last one died (its
 * backends keep failing) or it ended with its last backend.
 */
export function pools(options: Omit<PoolOptions, 'onEnd'> = {}): () => Pool {
  let current: Pool | undefined;
  return () => {
    if (!current || current.broken) {
      const p: Pool = new Pool({
        ...options,
        onEnd: () => {
          if (current === p) current = undefined;
        },
      });
      current = p;
    }
    return current;
  };
}

/** This JS thread's pool, shared by every backend made here. */
export const pool = pools();
