// exp and expm1 in the forms the activations need, in f32 and f64, as SIMD lanes and as scalars:
// softmax exp(x - rowMax)·2^OFF (argument <= 0), sigmoid exp(-x)·2^-OFF (x clamped to where
// the sigmoid is neither 0 nor 1), and in f64 tanh's 1 - exp(-2x) (tanh.ts; its f32 form needs
// no exp). Each is scaled so that every result that matters is a normal number, 2^k built from bits.
//
// Method: k = round(y / ln2), r = y - k*ln2 (Cody-Waite split, |r| <= ln2/2), then a polynomial
// expm1(r) = p = r + r²·q(r), and exp(y) = 2^k + 2^k p, 1 - exp(y) = (1 - 2^k) - 2^k p.
// Multiply-adds are fused in the relaxed-SIMD build (see simd.ts).
// f64: q is the Taylor series to r^12/12! (truncation below 1e-15 relative).
// f32: q is a degree-3 polynomial fitted here (Lawson's minimax iteration) for the relative
// error of exp (sigmoid, softmax: 1.1e-7 in exact arithmetic, 1.7e-7 evaluated in f32).
// q is evaluated by Estrin's scheme (pairs, then r², r⁴, r⁸): a short dependency chain.
// NaN propagates: the clamp keeps NaN and the polynomial turns it into NaN.
// The scalar and vector forms do the same operations in the same order, so the scalar
// remainder and the scalar build give exactly the SIMD build's lanes (not the relaxed build's).

import { madd, nmadd } from "./simd";

const LOG2E: f64 = 1.4426950408889634;
// ln2 split so that k*LN2_HI is exact for the k that occur.
const LN2_HI_F64: f64 = 6.93147180369123816490e-01;
const LN2_LO_F64: f64 = 1.90821492927058770002e-10;
const LN2_HI_F32: f32 = 0.693145751953125;
const LN2_LO_F32: f32 = 1.428606765330187e-6;
// Rounding y/ln2 to an integer with the "magic number" trick: adding 1.5·2^23 (f32) or 1.5·2^52
// (f64) leaves round(y/ln2) in the low bits of the sum, so k = bits(t) - bits(magic) needs no
// float-to-int conversion (V8 turns those into long instruction sequences).
const MAGIC_F32: f32 = 12582912.0;
const MAGIC_F64: f64 = 6755399441055744.0;
// softmax's exp is scaled by 2^OFF, sigmoid's by 2^-OFF (see pow2S)
const OFF_F32: i32 = 64;
const OFF_F64: i32 = 512;

// Below these, exp underflows to 0 after rounding (2^-1076 in f64, 2^-150 in f32).
// @ts-ignore: decorator
@inline function expFloor<T>(): T { return sizeof<T>() == 8 ? <T>-746.0 : <T>-104.0; }
// @ts-ignore: decorator
@inline function ln2hi<T>(): T { return sizeof<T>() == 8 ? <T>LN2_HI_F64 : <T>LN2_HI_F32; }
// @ts-ignore: decorator
@inline function ln2lo<T>(): T { return sizeof<T>() == 8 ? <T>LN2_LO_F64 : <T>LN2_LO_F32; }
// @ts-ignore: decorator
@inline function magic<T>(): T { return sizeof<T>() == 8 ? <T>MAGIC_F64 : <T>MAGIC_F32; }

// q's coefficients. f64: 1/n!, the Taylor series. f32: the fitted degree-3 q (coefficient of r^(n-2)).
// @ts-ignore: decorator
@inline function e32(n: i32): f32 {
  switch (n) {
    case 2: return 0.499992311000824;
    case 3: return 0.16667115688323975;
    case 4: return 0.041890330612659454;
    default: return 0.008312501013278961;
  }
}

// @ts-ignore: decorator
@inline function c<T>(n: i32): T {
  switch (n) {
    case 2: return <T>(1.0 / 2.0);
    case 3: return <T>(1.0 / 6.0);
    case 4: return <T>(1.0 / 24.0);
    case 5: return <T>(1.0 / 120.0);
    case 6: return <T>(1.0 / 720.0);
    case 7: return <T>(1.0 / 5040.0);
    case 8: return <T>(1.0 / 40320.0);
    case 9: return <T>(1.0 / 362880.0);
    case 10: return <T>(1.0 / 3628800.0);
    case 11: return <T>(1.0 / 39916800.0);
    default: return <T>(1.0 / 479001600.0);
  }
}

// ---- vector constants ----
// V8 rebuilds every v128.const inside a loop from general registers (several instructions
// each); a load is one. So the vector constants live in a table in memory, filled at start,
// and the kernels load them: ~4× fewer instructions in the exp-based loops.
export const K_ONE = 0, K_EXP_FLOOR = 1, K_LOG2E = 2, K_MAGIC = 3, K_LN2_HI = 4, K_LN2_LO = 5,
  K_POW2 = 6, K_POW2_OFF = 7, K_UNSCALE = 8, K_C0 = 9, // K_C0 + n: f64 q's coefficient of r^(n-2), n = 2..12
  K_E0 = K_C0 + 13, // K_E0 + n: exp's fitted q in f32, n = 2..5
  K_SIG_LO = K_E0 + 6, K_SIG_HI = K_SIG_LO + 1, K_NEG_LOG2E = K_SIG_LO + 2, K_NEG_LN2_HI = K_SIG_LO + 3,
  K_POW2_NEG_OFF = K_SIG_LO + 4,
  K_LOSSES = K_SIG_LO + 5, // K_LOSSES + i, i < 16: losses.ts's log1p constants (it fills them)
  K_TANH = K_LOSSES + 16; // K_TANH + i, i < 16: tanh.ts's constants (it fills them)
const SLOTS = K_TANH + 16;
const TABLE_F32: usize = memory.data(SLOTS * 16, 16);
const TABLE_F64: usize = memory.data(SLOTS * 16, 16);

/** The vector constant in `slot`, for lane type T. */
// @ts-ignore: decorator
@inline export function kv<T>(slot: i32): v128 {
  return v128.load((sizeof<T>() == 8 ? TABLE_F64 : TABLE_F32) + <usize>(slot * 16));
}

// @ts-ignore: decorator
@inline function put(t: usize, slot: i32, v: v128): void { v128.store(t + <usize>(slot * 16), v); }

/** Sets the vector constant in `slot` for lane type T (for kernels elsewhere, at start). */
// @ts-ignore: decorator
@inline export function setKv<T>(slot: i32, v: v128): void { put(sizeof<T>() == 8 ? TABLE_F64 : TABLE_F32, slot, v); }

// pow2Sub in every integer lane of T's width
// @ts-ignore: decorator
@inline function pow2SubV<T>(off: i32): v128 {
  return sizeof<T>() == 8 ? i64x2.splat(pow2Sub<T>(off)) : i32x4.splat(<i32>pow2Sub<T>(off));
}

function fillTable<T>(t: usize): void {
  put(t, K_ONE, v128.splat<T>(<T>1));
  put(t, K_EXP_FLOOR, v128.splat<T>(expFloor<T>()));
  put(t, K_LOG2E, v128.splat<T>(<T>LOG2E));
  put(t, K_MAGIC, v128.splat<T>(magic<T>()));
  put(t, K_LN2_HI, v128.splat<T>(ln2hi<T>()));
  put(t, K_LN2_LO, v128.splat<T>(ln2lo<T>()));
  put(t, K_UNSCALE, v128.splat<T>(unscale<T>()));
  const off = sizeof<T>() == 8 ? OFF_F64 : OFF_F32;
  put(t, K_POW2, pow2SubV<T>(0));
  put(t, K_POW2_OFF, pow2SubV<T>(off));
  put(t, K_POW2_NEG_OFF, pow2SubV<T>(-off));
  put(t, K_SIG_LO, v128.splat<T>(sigLo<T>()));
  put(t, K_SIG_HI, v128.splat<T>(sigHi<T>()));
  put(t, K_NEG_LOG2E, v128.splat<T>(<T>-LOG2E));
  put(t, K_NEG_LN2_HI, v128.splat<T>(-ln2hi<T>()));
  if (sizeof<T>() == 8) for (let n = 2; n <= 12; n++) put(t, K_C0 + n, v128.splat<T>(c<T>(n)));
  for (let n = 2; n <= 5; n++) put(t, K_E0 + n, v128.splat<T>(<T>e32(n)));
}


// ---- the polynomials: expm1(r) = r + r²·q(r) ----
// f64: q is the Taylor series to r^12/12!
// @ts-ignore: decorator
@inline function polyF64S<T>(r: T): T {
  const r2 = r * r;
  const r4 = r2 * r2;
  const r8 = r4 * r4;
  const lo = (c<T>(2) + c<T>(3) * r) + r2 * (c<T>(4) + c<T>(5) * r);
  const mid = (c<T>(6) + c<T>(7) * r) + r2 * (c<T>(8) + c<T>(9) * r);
  const hi = (c<T>(10) + c<T>(11) * r) + r2 * c<T>(12);
  return r + r2 * ((lo + r4 * mid) + r8 * hi);
}

// c(n) + c(n+1)·r
// @ts-ignore: decorator
@inline function pairV<T>(n: i32, r: v128): v128 {
  return madd<T>(kv<T>(K_C0 + n + 1), r, kv<T>(K_C0 + n));
}

// @ts-ignore: decorator
@inline function polyF64V<T>(r: v128): v128 {
  const r2 = v128.mul<T>(r, r);
  const r4 = v128.mul<T>(r2, r2);
  const r8 = v128.mul<T>(r4, r4);
  const lo = madd<T>(r2, pairV<T>(4, r), pairV<T>(2, r));
  const mid = madd<T>(r2, pairV<T>(8, r), pairV<T>(6, r));
  const hi = madd<T>(r2, kv<T>(K_C0 + 12), pairV<T>(10, r));
  const q = madd<T>(r8, hi, madd<T>(r4, mid, lo));
  return madd<T>(r2, q, r);
}

// f32: the fitted degree-3 q
// @ts-ignore: decorator
@inline function polyF32S<T>(r: T): T {
  const r2 = r * r;
  const q = (<T>e32(2) + <T>e32(3) * r) + r2 * (<T>e32(4) + <T>e32(5) * r);
  return r + r2 * q;
}

// @ts-ignore: decorator
@inline function polyF32V<T>(r: v128): v128 {
  const r2 = v128.mul<T>(r, r);
  const lo = madd<T>(kv<T>(K_E0 + 3), r, kv<T>(K_E0 + 2));
  const hi = madd<T>(kv<T>(K_E0 + 5), r, kv<T>(K_E0 + 4));
  return madd<T>(r2, madd<T>(r2, hi, lo), r);
}

// exp(r) - 1 (f32: to exp's relative error; f64: to expm1's too)
// @ts-ignore: decorator
@inline function polyExpS<T>(r: T): T { return sizeof<T>() == 8 ? polyF64S<T>(r) : polyF32S<T>(r); }
// @ts-ignore: decorator
@inline function polyExpV<T>(r: v128): v128 { return sizeof<T>() == 8 ? polyF64V<T>(r) : polyF32V<T>(r); }

// ---- range reduction and 2^k ----
// @ts-ignore: decorator
@inline function reduceS<T>(y: T, k: T): T {
  return (y - k * ln2hi<T>()) - k * ln2lo<T>();
}

// @ts-ignore: decorator
@inline function reduceV<T>(y: v128, k: v128): v128 {
  return nmadd<T>(k, kv<T>(K_LN2_LO), nmadd<T>(k, kv<T>(K_LN2_HI), y));
}

// 2^k from t = y/ln2 + magic: the exponent field is k + bias = bits(t) - (bits(magic) - bias).
// exp(y) reaches below the normal range and exp(-x) above it, so the kernels build 2^(k ± OFF),
// normal for every k that occurs, and fold the 2^∓OFF into the formula around them.
// @ts-ignore: decorator
@inline export function unscale<T>(): T {
  return sizeof<T>() == 8 ? <T>reinterpret<f64>(<i64>(1023 - OFF_F64) << 52) : <T>reinterpret<f32>((127 - OFF_F32) << 23);
}
// bits(magic) - bias - off
// @ts-ignore: decorator
@inline function pow2Sub<T>(off: i32): i64 {
  return sizeof<T>() == 8 ? reinterpret<i64>(MAGIC_F64) - 1023 - <i64>off : <i64>(reinterpret<i32>(MAGIC_F32) - 127 - off);
}

// 2^(k + off)
// @ts-ignore: decorator
@inline function pow2S<T>(t: T, off: i32): T {
  if (sizeof<T>() == 8) return <T>reinterpret<f64>((reinterpret<i64>(<f64>t) - pow2Sub<T>(off)) << 52);
  return <T>reinterpret<f32>((reinterpret<i32>(<f32>t) - <i32>pow2Sub<T>(off)) << 23);
}

// 2^(k + off), off given by its table slot (K_POW2: 0, K_POW2_OFF: OFF)
// @ts-ignore: decorator
@inline function pow2V<T>(t: v128, slot: i32): v128 {
  if (sizeof<T>() == 8) return i64x2.shl(i64x2.sub(t, kv<T>(slot)), 52);
  return i32x4.shl(i32x4.sub(t, kv<T>(slot)), 23);
}

// ---- exp and expm1 ----
/** exp(y)·2^OFF for y <= 0 (NaN gives NaN), for the softmax. Scaled up by 2^OFF, every
 * exp(y) that does not round to 0 is a normal number, so no extra rounding or multiply; the
 * softmax divides by the sum of the same scaled values. */
// @ts-ignore: decorator
@inline export function expScaledUpS<T>(y: T): T {
  y = y < expFloor<T>() ? expFloor<T>() : y; // keeps NaN
  const t = y * <T>LOG2E + magic<T>();
  const p = polyExpS<T>(reduceS<T>(y, t - magic<T>()));
  const s = pow2S<T>(t, sizeof<T>() == 8 ? OFF_F64 : OFF_F32);
  return s + s * p;
}

// @ts-ignore: decorator
@inline export function expScaledUpV<T>(y: v128): v128 {
  y = v128.pmax<T>(y, kv<T>(K_EXP_FLOOR)); // y < floor ? floor : y, keeps NaN
  const t = madd<T>(y, kv<T>(K_LOG2E), kv<T>(K_MAGIC));
  const p = polyExpV<T>(reduceV<T>(y, v128.sub<T>(t, kv<T>(K_MAGIC))));
  const s = pow2V<T>(t, K_POW2_OFF);
  return madd<T>(s, p, s);
}

/** 1 - exp(y) = -expm1(y) in f64 (NaN gives NaN), for |y| up to tanh's limit: full relative
 * accuracy near 0, where 1 - exp(y) would cancel. For the f64 tanh. */
// @ts-ignore: decorator
@inline export function negExpm1F64S(y: f64): f64 {
  const t = y * LOG2E + MAGIC_F64;
  const p = polyF64S<f64>(reduceS<f64>(y, t - MAGIC_F64));
  const s = pow2S<f64>(t, 0);
  return (1.0 - s) - s * p;
}

// @ts-ignore: decorator
@inline export function negExpm1F64V(y: v128): v128 {
  const t = madd<f64>(y, kv<f64>(K_LOG2E), kv<f64>(K_MAGIC));
  const p = polyF64V<f64>(reduceV<f64>(y, f64x2.sub(t, kv<f64>(K_MAGIC))));
  const s = pow2V<f64>(t, K_POW2);
  return nmadd<f64>(s, p, f64x2.sub(kv<f64>(K_ONE), s));
}

// ---- u·exp(-x) with u = 2^-OFF, for the sigmoid ----
// sigmoid(x) = 1/(1 + exp(-x)) = u/(u + u·exp(-x)). Scaled by u, exp(-x) stays finite as far as
// the sigmoid has non-zero values (x > -104 in f32, -745 in f64), and u/(u + …) rounds straight
// to the right subnormal or to 0: one formula for every x, no select, no second exp. Above
// x = 30 (f32) or 40 (f64), exp(-x) is below half an ulp of 1 and the sigmoid is 1.
// @ts-ignore: decorator
@inline function sigLo<T>(): T { return sizeof<T>() == 8 ? <T>-746.0 : <T>-105.0; }
// @ts-ignore: decorator
@inline function sigHi<T>(): T { return sizeof<T>() == 8 ? <T>40.0 : <T>30.0; }


// x clamped to [sigLo, sigHi] (NaN kept), then k = round(-x/ln2), r = -x - k·ln2.
// @ts-ignore: decorator
@inline export function expNegScaledS<T>(x: T): T {
  x = x < sigLo<T>() ? sigLo<T>() : x;
  x = x > sigHi<T>() ? sigHi<T>() : x;
  const t = x * <T>-LOG2E + magic<T>();
  const k = t - magic<T>();
  const r = (k * -ln2hi<T>() - x) - k * ln2lo<T>();
  const s = pow2S<T>(t, sizeof<T>() == 8 ? -OFF_F64 : -OFF_F32);
  return s + s * polyExpS<T>(r);
}

// @ts-ignore: decorator
@inline export function expNegScaledV<T>(x: v128): v128 {
  x = v128.pmin<T>(v128.pmax<T>(x, kv<T>(K_SIG_LO)), kv<T>(K_SIG_HI));
  const t = madd<T>(x, kv<T>(K_NEG_LOG2E), kv<T>(K_MAGIC));
  const k = v128.sub<T>(t, kv<T>(K_MAGIC));
  const r = nmadd<T>(k, kv<T>(K_LN2_LO), v128.sub<T>(v128.mul<T>(k, kv<T>(K_NEG_LN2_HI)), x));
  const s = pow2V<T>(t, K_POW2_NEG_OFF);
  return madd<T>(s, polyExpV<T>(r), s);
}

// Runs when the module is instantiated.
if (ASC_FEATURE_SIMD) {
  fillTable<f32>(TABLE_F32);
  fillTable<f64>(TABLE_F64);
}
