// Shared test fixtures: every backend configuration, seeded data, float64 references.
import { createBackend, type Backend, type DType, type FloatArray } from '../src/index.js';

/** The awkward sizes every op is run on: SIMD tails and blocking edges. */
export const SIZES = [1, 2, 3, 5, 7, 17, 33, 65, 127, 1000];

export interface Config {
  label: string;
  make: () => Promise<Backend>;
  dtype: DType;
}

/** Every backend × dtype, and the wasm scalar build that engines without SIMD get; wasm on one thread (test/ops and test/threads run 3). */
export const CONFIGS: Config[] = (['float32', 'float64'] as DType[]).flatMap((dtype) => [
  { label: `js ${dtype}`, dtype, make: () => createBackend('js', { dtype }) },
  { label: `wasm ${dtype}`, dtype, make: () => createBackend('wasm', { dtype, threads: 1 }) },
  { label: `wasm-scalar ${dtype}`, dtype, make: () => createBackend('wasm', { dtype, simd: false, threads: 1 }) },
]);

/** Relative tolerance an op must meet against the float64 reference. */
export const tol = (dtype: DType): number => (dtype === 'float64' ? 1e-12 : 1e-5);

import { rng } from './rng.js';

export { rng };

/** rows×cols values uniform in [lo, hi), rounded to the dtype so references see what the backend sees. */
export function randomData(n: number, seed: number, dtype: DType, lo = -1, hi = 1): FloatArray {
  const r = rng(seed);
  const out = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

/** max |a - b| / max(|b|, floor): elementwise relative error, with a floor for tiny values. */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 0): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    if (Number.isNaN(b[i]) || Number.isNaN(a[i])) {
      if (!(Number.isNaN(b[i]) && Number.isNaN(a[i]))) return Infinity;
      continue;
    }
    if (a[i] === b[i]) continue;
    const e = Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor);
    if (!(e <= worst)) worst = e;
  }
  return worst;
}

/** ‖a − b‖ / ‖b‖ (Frobenius): the norm-wise relative error used for matmul. */
export function normRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0,
    n = 0;
  for (let i = 0; i < b.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return n === 0 ? Math.sqrt(d) : Math.sqrt(d / n);
}
