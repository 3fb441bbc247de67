// Engine-exact arithmetic: results from IEEE operations only, so every engine gets the same bits.

/**
 * b^n for a whole n ≥ 0 by squaring: IEEE products only, so every engine gets the same bits.
 * (`**` and Math.pow are the engine's own: Node 20's V8 and Chromium 153's differ in the last bit
 * for about one value in ten, and an Adam run then drifts apart.)
 */
export function powInt(b: number, n: number): number {
  let r = 1,
    x = b;
  for (let k = n; k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) r *= x;
    x *= x;
  }
  return r;
}
