// Adam's bias correction 1 − βᵗ: βᵗ by squaring (IEEE products only, the same bits in every
// engine; test/browser.test.ts compares a run's bits with Chromium's and Firefox's): each squaring
// doubles the relative error, so it is within about t ulps of the exact value (BigInt arithmetic
// is the reference), far below what matters in 1 − βᵗ.
import { describe, expect, it } from 'vitest';
import { powInt } from '../../src/core/math.js';

/** b^n exactly as a BigInt fraction of b's own binary value, then rounded to a double */
function exactPow(b: number, n: number): number {
  // b = m / 2^52 exactly for b in [0.5, 1)
  const m = BigInt(Math.round(b * 2 ** 52));
  if (Number(m) / 2 ** 52 !== b) throw new Error('b must be a multiple of 2^-52');
  let num = 1n;
  for (let i = 0; i < n; i++) num *= m;
  // num / 2^(52 n): keep 60 significant bits, then convert
  const shift = BigInt(52 * n);
  const bits = num.toString(2).length;
  const keep = BigInt(Math.max(0, bits - 60));
  return Number(num >> keep) * 2 ** (Number(keep) - Number(shift));
}

describe('powInt', () => {
  it("is βᵗ within t ulps for Adam's betas and t up to 3000", () => {
    for (const b of [0.9, 0.999, 0.99, 0.95]) {
      const exactB = Math.round(b * 2 ** 52) / 2 ** 52;
      for (const t of [0, 1, 2, 3, 7, 17, 100, 999, 3000]) {
        const want = t === 0 ? 1 : exactPow(exactB, t);
        expect(Math.abs(powInt(exactB, t) - want) / want, `${b}^${t}`).toBeLessThanOrEqual(Math.max(t, 4) * 2 ** -52);
      }
    }
  });
});
