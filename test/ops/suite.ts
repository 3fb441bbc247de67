// The per-op test every op of the table gets (test/ops/<op>.test.ts calls opSuite): on every
// backend, dtype and build, on 1 and 3 threads (with the size thresholds lowered so that even the
// awkward sizes split), on every awkward size, against the float64 loops of reference.ts. One `it`
// per backend configuration and size; failures name the op, backend, dtype, build and threads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpName } from '../../src/backends/ops.js';
import { MIN_SHARE } from '../../src/backends/wasm/threads/split.js';
import { type Backend, createBackend, type DType } from '../../src/index.js';
import { SIZES, maxRelError } from '../helpers.js';
import { runAgainstReference } from './run.js';

export interface OpConfig {
  label: string;
  dtype: DType;
  make: () => Promise<Backend>;
}

/** js and wasm (the SIMD and the scalar build, on 1 and on 3 threads), each in both dtypes. */
export const OP_CONFIGS: OpConfig[] = (['float32', 'float64'] as DType[]).flatMap((dtype) => [
  { label: `js ${dtype}`, dtype, make: () => createBackend('js', { dtype }) },
  ...[true, false].flatMap((simd) =>
    [1, 3].map((threads) => ({
      label: `wasm ${simd ? 'simd' : 'scalar'} ${dtype} ${threads} thread${threads > 1 ? 's' : ''}`,
      dtype,
      make: () => createBackend('wasm', { dtype, simd, threads }),
    })),
  ),
]);

/** Relative error allowed against the float64 reference (with a floor of 1 for small values). */
const TOLERANCE = { float32: 1e-5, float64: 1e-12 };

/** The shapes an op runs on: each awkward size as columns, in 1 and in 3 rows. */
const shapes = (cols: number) => [
  [1, cols],
  [3, cols],
];

/** The table-driven test of one op. */
export function opSuite(op: OpName, tolerance: Partial<Record<DType, number>> = {}): void {
  let saved: typeof MIN_SHARE;
  beforeAll(() => {
    // every op splits, down to a few elements a thread
    saved = { ...MIN_SHARE };
    Object.assign(MIN_SHARE, { matmul: 1, cheap: 1, costly: 1 });
  });
  afterAll(() => {
    Object.assign(MIN_SHARE, saved);
  });
  describe.each(OP_CONFIGS)(`${op} on $label`, ({ label, dtype, make }) => {
    let be: Backend;
    beforeAll(async () => {
      be = await make();
    });
    afterAll(() => be.dispose());
    const tol = tolerance[dtype] ?? TOLERANCE[dtype];
    it.each(SIZES)('matches float64 loops, %i columns', (cols) => {
      for (const [rows, c] of shapes(cols)) {
        const before = be.memory().tensors;
        const { got, expected } = runAgainstReference(op, be, rows, c, rows * 1000 + c);
        got.forEach((g, i) => {
          expect(maxRelError(g, expected[i], 1), `${op} on ${label}, ${rows}×${c}, output ${i}`).toBeLessThanOrEqual(
            tol,
          );
        });
        expect(be.memory().tensors, `${op} on ${label} leaves no tensor behind`).toBe(before);
      }
    });
  });
}
