// exp, expm1, log, log1p, pow, sin, cos and tanh in IEEE double arithmetic only (+ − × ÷, exact
// conversions), so that every engine computes the same bits: the engines' own Math.exp, Math.cos
// and the rest have unspecified accuracy, and Node, Chromium, Firefox, Bun and Deno differ in the
// last bit for about one value in ten. JavaScript rounds each operation to double and never fuses
// a multiply-add, so the same code gives the same result everywhere.
//
// exp, log and pow carry about 68 bits (an error near 2^-68 relative), then round once: correctly
// rounded except for the rare values within 2^-68 of a rounding boundary (below one in ten
// thousand), which is what lets numpy's randn and scikit-learn's data sets come out bit for bit.
// sin and cos carry ~100 bits (double-double throughout; they run only where data sets are made).
// Subnormal results may be off by an ulp (two roundings); sin and cos lose accuracy (not
// determinism) beyond |x| ≈ 1.6e6, where the reduction by π/2 is no longer exact.
import { EXP2_32, INV_FACT, LN2, LN2_32, LOG_C, PIO2, THIRD } from './libm-tables.generated.js';

// ---- double-double arithmetic: a value as hi + lo, |lo| ≤ ulp(hi)/2 ----
// Each helper returns hi and leaves lo in `lo` (module scratch: no allocation on hot paths).
let lo = 0;
const SPLIT = 134217729; // 2^27 + 1: Veltkamp's split of a double into two 26-bit halves

/** a + b = s + lo exactly */
function twoSum(a: number, b: number): number {
  const s = a + b;
  const bb = s - a;
  lo = a - (s - bb) + (b - bb);
  return s;
}

/** a + b = s + lo exactly, given |a| ≥ |b| */
function fastTwoSum(a: number, b: number): number {
  const s = a + b;
  lo = b - (s - a);
  return s;
}

/** a · b = p + lo exactly (Dekker's product, no fused multiply-add needed) */
function twoProd(a: number, b: number): number {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a),
    al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b),
    bl = b - bh;
  lo = ah * bh - p + ah * bl + al * bh + al * bl;
  return p;
}

// 2^e for every e from −1074 to 1023, by exact doublings: a lookup, not a call, on the hot path
const P2 = new Float64Array(2098);
P2[0] = 5e-324;
for (let i = 1; i < P2.length; i++) P2[i] = P2[i - 1] * 2;
const pow2 = (e: number): number => P2[e + 1074];

// a double's two 32-bit halves, through one buffer (the high half's index by the platform's order)
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

// ---- exp ----
const INV_LN2_32 = 46.16624130844683; // 32/ln2, rounded: only picks k
const EXP_MAX = 709.782712893384; // the largest x whose exp is finite
const EXP_MIN = -745.1332191019412; // below it exp rounds to 0
const [L0, L1, L2] = LN2_32;
const C3 = INV_FACT[6],
  C4 = INV_FACT[8],
  C5 = INV_FACT[10],
  C6 = INV_FACT[12],
  C7 = INV_FACT[14],
  C8 = INV_FACT[16];

/**
 * exp(xh + xl) as hi + lo, to be scaled by 2^expScale: x = k·ln2/32 + r, |r| ≤ ln2/64,
 * exp(x) = 2^(k div 32) · 2^((k mod 32)/32) · e^r, with e^r − 1 a polynomial. Written out with
 * locals only (the helpers above, inlined by hand): it is the js backend's hot path, 3× faster so.
 */
let expScale = 0;
function expCore(xh: number, xl: number): number {
  const k = Math.floor(xh * INV_LN2_32 + 0.5);
  const j = k & 31;
  expScale = (k - j) / 32;
  // r = x − k·ln2/32 in double-double: k·L0 and k·L1 are exact; twoSum, then fastTwoSum
  const a = xh - k * L0,
    b = -k * L1;
  let rh = a + b;
  const bb = rh - a;
  let rl = a - (rh - bb) + (b - bb) + xl - k * L2;
  const r0 = rh + rl;
  rl -= r0 - rh;
  rh = r0;
  // e^r − 1 = r + r²/2 + r³/6 + …: r² exact (Dekker), r³/6 and beyond in double
  const sq = rh * rh;
  let t = SPLIT * rh;
  const hh = t - (t - rh),
    hl = rh - hh;
  const sql = hh * hh - sq + 2 * hh * hl + hl * hl;
  const tail = rh * sq * (C3 + rh * (C4 + rh * (C5 + rh * (C6 + rh * (C7 + rh * C8)))));
  let eh = rh + sq / 2;
  let el = sq / 2 - (eh - rh) + rl + sql / 2 + rh * rl + tail;
  const e0 = eh + el;
  el -= e0 - eh;
  eh = e0;
  // 2^(j/32) · (1 + e): th·eh exact (Dekker), the rest summed into the low part
  const th = EXP2_32[2 * j],
    tl = EXP2_32[2 * j + 1];
  const ph = th * eh;
  t = SPLIT * th;
  const ah = t - (t - th),
    al = th - ah;
  t = SPLIT * eh;
  const bh = t - (t - eh),
    bl = eh - bh;
  const pl = ah * bh - ph + ah * bl + al * bh + al * bl;
  const hi = th + ph;
  lo = ph - (hi - th) + pl + th * el + tl + tl * eh;
  return hi;
}

/** Scales hi + lo (rounded once) by 2^m, without overflowing the power of two itself. */
function scaled(hi: number, low: number, m: number): number {
  const y = hi + low;
  if (m >= -1022 && m <= 1023) return y * P2[m + 1074];
  return m > 1023 ? y * pow2(m - 1) * 2 : y * pow2(m + 600) * pow2(-600);
}

/** e^x */
export function exp(x: number): number {
  if (!(x <= EXP_MAX)) return Number.isNaN(x) ? x : Number.POSITIVE_INFINITY;
  if (x < EXP_MIN) return 0;
  const h = expCore(x, 0);
  return scaled(h, lo, expScale);
}

/** e^x − 1 as hi + lo, for EXP_MIN ≤ x ≤ EXP_MAX */
function expm1Core(x: number): number {
  const h = expCore(x, 0);
  if (expScale > 1023) {
    // past 2^1023 the − 1 is far below an ulp: e^x itself (2^m is not a double there)
    const y = scaled(h, lo, expScale);
    lo = 0;
    return y;
  }
  const l = lo,
    p = pow2(expScale);
  // h·2^m − 1 is exact in two parts; for small x, h = 1 + (e^x − 1) with the rest in l
  const s = twoSum(h * p, -1);
  return fastTwoSum(s, lo + l * p);
}

/** e^x − 1, accurate for small x */
export function expm1(x: number): number {
  if (!(x <= EXP_MAX)) return Number.isNaN(x) ? x : Number.POSITIVE_INFINITY;
  if (x < -40) return -1;
  if (x === 0) return x; // keeps −0
  return expm1Core(x) + lo;
}

// ---- log ----
const TWO54 = 18014398509481984;

/** log(x) as hi + lo, for finite x > 0 */
function logCore(x: number): number {
  let e = 0;
  if (x < 2.2250738585072014e-308) {
    x *= TWO54;
    e = -54;
  }
  f64[0] = x;
  const hw = u32[HI];
  e += ((hw >>> 20) & 0x7ff) - 1023;
  u32[HI] = (hw & 0x000fffff) | 0x3ff00000;
  const m = f64[0]; // x / 2^e, in [1, 2)
  const j = (hw >>> 13) & 0x7f;
  // c: m's bucket's end nearest 1 (1 + j/128 below 1.5, 1 + (j+1)/128 from there, halved into e)
  const c = j < 64 ? 1 + j / 128 : 1 + (j + 1) / 128;
  if (j >= 64) e += 1;
  // r = (m − c)/c exactly as rh + rl: m − c is exact (Sterbenz), the division's remainder too
  const d = m - c;
  const rh = d / c;
  const ph = twoProd(rh, c);
  const rl = (d - ph - lo) / c;
  // e·ln2 + log(c) + log(1 + r), each sum with its error kept
  const ph1 = log1pSmall(rh, rl);
  const pl1 = lo;
  let s = twoSum(e * LN2[0], LOG_C[2 * j]);
  let low = lo;
  s = twoSum(s, ph1);
  low += lo + e * LN2[1] + LOG_C[2 * j + 1] + pl1;
  return fastTwoSum(s, low);
}

/** log(1 + r) as hi + lo for r = rh + rl, |r| < 2^-7: r − r²/2 + r³/3 − …, r²/2 in double-double */
function log1pSmall(rh: number, rl: number): number {
  const sq = twoProd(rh, rh),
    sql = lo;
  const r3 =
    rh *
    sq *
    (THIRD[0] -
      rh * (0.25 - rh * (0.2 - rh * (1 / 6 - rh * (1 / 7 - rh * (0.125 - rh * (1 / 9 - rh * (0.1 - rh / 11))))))));
  // (rh + rl)² / 2 = rh²/2 + rh·rl + …, (rh + rl)³ / 3 = rh³/3 + rh²·rl + …
  const s = fastTwoSum(rh, -sq / 2);
  return fastTwoSum(s, lo + rl - sql / 2 - rh * rl + sq * rl + r3 + rh * sq * THIRD[1]);
}

/** The natural logarithm. */
export function log(x: number): number {
  if (!(x > 0) || x === Number.POSITIVE_INFINITY) return x === 0 ? Number.NEGATIVE_INFINITY : x < 0 ? Number.NaN : x;
  return logCore(x) + lo;
}

/** log(1 + x), accurate for small x */
export function log1p(x: number): number {
  if (!(x > -1) || x === Number.POSITIVE_INFINITY) return x === -1 ? Number.NEGATIVE_INFINITY : x < -1 ? Number.NaN : x;
  if (x === 0) return x; // keeps −0
  if (x > -0.0078125 && x < 0.0078125) return log1pSmall(x, 0) + lo;
  const h = twoSum(1, x),
    l = lo;
  const y = logCore(h);
  return y + (lo + l / h);
}

/** x^y (special cases as C's pow: pow(1, y) = 1 for any y) */
export function pow(x: number, y: number): number {
  if (y === 0) return 1;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x === 1) return 1;
  // zeros and infinities: exact results, the same in every engine
  if (!Number.isFinite(x) || !Number.isFinite(y) || x === 0) return x ** y;
  const odd = Number.isInteger(y) && Math.abs(y % 2) === 1;
  if (x < 0 && !Number.isInteger(y)) return Number.NaN;
  const lh = logCore(Math.abs(x)),
    ll = lo;
  const zh = twoProd(y, lh);
  const zl = lo + y * ll;
  let r: number;
  if (zh > EXP_MAX + 1) r = Number.POSITIVE_INFINITY;
  else if (zh < EXP_MIN - 1) r = 0;
  else {
    const h = expCore(zh, zl);
    r = scaled(h, lo, expScale);
  }
  return x < 0 && odd ? -r : r;
}

// ---- sin, cos ----
const TWO_OVER_PI = 0.6366197723675814;

/** Σ c_n r^n over the even (cos) or odd (sin) n ≤ 27, Horner in double-double on r². */
function series(rh: number, rl: number, odd: boolean): number {
  const r2h = twoProd(rh, rh);
  const r2l = lo + 2 * rh * rl;
  let ah = 0,
    al = 0;
  for (let n = odd ? 27 : 26; n >= 0; n -= 2) {
    // a = a·r² ± 1/n!  (signs alternate: + for n ≡ 0, 1 (mod 4))
    const sign = n % 4 < 2 ? 1 : -1;
    let ph = twoProd(ah, r2h);
    const pl = lo + ah * r2l + al * r2h;
    ph = twoSum(ph, sign * INV_FACT[2 * n]);
    al = lo + pl + sign * INV_FACT[2 * n + 1];
    ah = fastTwoSum(ph, al);
    al = lo;
  }
  if (!odd) return ah + al;
  // times r
  const ph = twoProd(ah, rh);
  return ph + (lo + ah * rl + al * rh);
}

/** x − k·π/2 as hi + lo, and k mod 4 in `quadrant` */
let quadrant = 0;
function reduce(x: number): number {
  const k = Math.floor(x * TWO_OVER_PI + 0.5);
  quadrant = ((k % 4) + 4) % 4;
  const h = twoSum(x - k * PIO2[0], -k * PIO2[1]);
  const l = lo - k * PIO2[2] - k * PIO2[3];
  return twoSum(h, l);
}

/** sin(x) */
export function sin(x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  if (x === 0) return x; // keeps −0
  const rh = reduce(x),
    rl = lo;
  switch (quadrant) {
    case 0:
      return series(rh, rl, true);
    case 1:
      return series(rh, rl, false);
    case 2:
      return -series(rh, rl, true);
    default:
      return -series(rh, rl, false);
  }
}

/** cos(x) */
export function cos(x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  const rh = reduce(x),
    rl = lo;
  switch (quadrant) {
    case 0:
      return series(rh, rl, false);
    case 1:
      return -series(rh, rl, true);
    case 2:
      return -series(rh, rl, false);
    default:
      return series(rh, rl, true);
  }
}

/** tanh(x) = t / (t + 2) with t = e^(2x) − 1, the division carried in double-double */
export function tanh(x: number): number {
  if (Number.isNaN(x)) return x;
  const a = Math.abs(x);
  if (a > 22) return x > 0 ? 1 : -1;
  if (a < 3.725290298461914e-9) return x; // 2^-28: tanh(x) rounds to x
  const th = expm1Core(2 * a),
    tl = lo;
  const dh = twoSum(th, 2),
    dl = lo + tl;
  // q = t/d: the first quotient, then the remainder's share
  const q = th / dh;
  const ph = twoProd(q, dh);
  const y = q + (th - ph - lo + tl - q * dl) / dh;
  return x < 0 ? -y : y;
}
