// The L1 kernels where sign() is delicate: ±0 (sign 0), ±∞, NaN (propagated), at every position
// of a SIMD vector and of the scalar remainder, on every backend and dtype.
import { describe, expect, it } from 'vitest';
import { CONFIGS } from '../helpers.js';

const SPECIAL = [0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2.5, -1e-30, Number.NaN];

describe.each(CONFIGS)('sumAbs and signAxpy on $label', ({ make, dtype }) => {
  it('sign(±0) = 0, sign(±∞) = ±1, NaN in gives NaN out, wherever it sits', async () => {
    const be = await make();
    for (const n of [1, 5, 17]) {
      for (let at = 0; at < n; at++) {
        for (const v of SPECIAL) {
          const x = Array.from({ length: n }, (_, i) => (i === at ? v : i % 2 ? 1.5 : -0.25));
          const xt = be.tensor({ rows: 1, cols: n, data: x });
          const yt = be.tensor({ rows: 1, cols: n, data: new Array(n).fill(1) });
          be.signAxpy(0.5, xt, yt);
          const got = yt.toMatrix().data;
          const want = x.map((w) => (Number.isNaN(w) ? Number.NaN : 1 + 0.5 * (w > 0 ? 1 : w < 0 ? -1 : 0)));
          expect(Array.from(got), `signAxpy, ${v} at ${at} of ${n}`).toEqual(want);
          const s = be.sumAbs(xt);
          const sw = x.reduce((a, w) => a + Math.abs(dtype === 'float32' ? Math.fround(w) : w), 0);
          if (Number.isNaN(v)) expect(s).toBeNaN();
          else expect(s, `sumAbs, ${v} at ${at} of ${n}`).toBe(sw);
          xt.dispose();
          yt.dispose();
        }
      }
    }
    be.dispose();
  });
});
