// Options objects of the public API: unknown keys are errors (with the nearest valid key), and
// values are checked for type, never coerced.
import { describe } from './matrix.js';

/** Edit distance (insert, delete, substitute, case-insensitive): how near a typo is to a key. */
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The valid key nearest to `key`, if one is near enough to be what was meant. */
export function nearest(key: string, valid: readonly string[]): string | undefined {
  let best: string | undefined,
    bestD = Infinity;
  for (const v of valid) {
    const d = distance(key, v);
    if (d < bestD) {
      best = v;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/**
 * Checks that `opts` is undefined or a plain object whose keys are all in `valid`; returns it
 * (or {}). `where` starts each message: 'fit', 'sgd', 'createBackend', …
 */
export function checkOptions<T extends object>(opts: T | undefined, valid: readonly string[], where: string): T {
  if (opts === undefined) return {} as T;
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
    throw new Error(`${where}: options must be an object, got ${describe(opts)}`);
  }
  // for…in allocates nothing: this runs on every matmul call
  for (const key in opts) {
    if (!valid.includes(key)) {
      const near = nearest(key, valid);
      throw new Error(
        `${where}: unknown option ${JSON.stringify(key)}` +
          (near
            ? `; did you mean ${JSON.stringify(near)}?`
            : `; the options are ${valid.map((v) => JSON.stringify(v)).join(', ')}`),
      );
    }
  }
  return opts;
}

/** An optional boolean option: true or false, nothing else. */
export function optBoolean(v: unknown, what: string, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new Error(`${what} must be true or false, got ${describe(v)}`);
  return v;
}

/** An optional function option. */
export function optFunction<F>(v: unknown, what: string): F | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'function') throw new Error(`${what} must be a function, got ${describe(v)}`);
  return v as F;
}

/** An optional finite number in [min, max] (bounds inclusive unless `open` says otherwise). */
export function optNumber(
  v: unknown,
  what: string,
  dflt: number,
  range: { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean; integer?: boolean } = {},
): number {
  if (v === undefined) return dflt;
  const { min = -Infinity, max = Infinity, minOpen = false, maxOpen = false, integer = false } = range;
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (integer ? Number.isInteger(v) : true) &&
    (minOpen ? v > min : v >= min) &&
    (maxOpen ? v < max : v <= max);
  if (!ok) {
    const lo = min === -Infinity ? '' : `${minOpen ? '>' : '≥'} ${min}`;
    const hi = max === Infinity ? '' : `${maxOpen ? '<' : '≤'} ${max}`;
    const bounds = [lo, hi].filter(Boolean).join(' and ');
    throw new Error(
      `${what} must be ${integer ? 'an integer' : 'a finite number'}${bounds ? ` ${bounds}` : ''}, got ${describe(v)}`,
    );
  }
  return v as number;
}
