// tanh(x), forward, as SIMD lanes and as scalars (activations.ts's TANH: tanh, addBias + tanh).
// The scalar and vector forms do the same operations in the same order, so the scalar remainder
// and the scalar build give exactly the SIMD build's lanes (not the relaxed build's).
//
// f32: x·P(s)/Q(s) with s = x², P of degree 4 and Q of degree 3 with leading coefficient 1: a
// rational fitted by scripts/fit-tanh-f32.mjs (Lawson's minimax iteration) on |x| <= 7.8,
// 1.7e-7 relative in exact arithmetic. scripts/check-tanh-f32.mjs runs the kernel on every f32 in
// [0, 16]: 5.1e-7 at worst in the SIMD and scalar builds (bit for bit the same), 4.4e-7 with the
// relaxed build's fused multiply-adds. No exp: 8 multiply-adds, 3 multiplies, a divide and 3
// clamps, against about 16 add-type operations for the exp-based form below (1.46× faster).
// Beyond |x| = 7.8, s is held at 7.8², so y = x·P/Q grows past ±1 and the final clamp to [-1, 1]
// makes it exactly ±1 (1 - tanh(7.8) = 3.4e-7, within the promise); the clamp also keeps rounding from
// giving |y| > 1 anywhere, which tanh's backward formula (1 - y)(1 + y) relies on.
// f64: n = 1 - exp(-2x) from expm1 (exact near 0), tanh x = n/(2 - n); for x < 0, n is large and
// negative and the ratio stays accurate. One formula for every x, x clamped to ±20 (where tanh
// is ±1 to the last bit).
// NaN propagates: pmin/pmax and the clamps keep it.

import { K_ONE, K_TANH, kv, negExpm1F64S, negExpm1F64V, setKv } from "./exp";
import { madd } from "./simd";

// P's coefficients, of s^n
// @ts-ignore: decorator
@inline function p32(n: i32): f32 {
  switch (n) {
    case 0: return 5024.70751953125;
    case 1: return 639.62060546875;
    case 2: return 13.637054443359375;
    case 3: return 0.036661259829998016;
    default: return -3.2091742468765005e-05;
  }
}

// Q's coefficients, of s^n (s³'s is 1)
// @ts-ignore: decorator
@inline function q32(n: i32): f32 {
  switch (n) {
    case 0: return 5024.70849609375;
    case 1: return 2314.516357421875;
    default: return 115.19107055664062;
  }
}

const S_LIM_F32: f32 = 7.8 * 7.8;
const LIM_F64: f64 = 20.0;

// vector constants, in the exp table's slots for tanh (see exp.ts's kv)
const K_S_LIM = K_TANH, K_MINUS_ONE = K_TANH + 1, K_P = K_TANH + 2, K_Q = K_TANH + 7, // + n
  K_LIM = K_TANH + 10, K_MINUS_LIM = K_TANH + 11, K_TWO = K_TANH + 12, K_MINUS_TWO = K_TANH + 13;
if (ASC_FEATURE_SIMD) {
  setKv<f32>(K_S_LIM, f32x4.splat(S_LIM_F32));
  setKv<f32>(K_MINUS_ONE, f32x4.splat(-1));
  for (let n = 0; n <= 4; n++) setKv<f32>(K_P + n, f32x4.splat(p32(n)));
  for (let n = 0; n <= 2; n++) setKv<f32>(K_Q + n, f32x4.splat(q32(n)));
  setKv<f64>(K_LIM, f64x2.splat(LIM_F64));
  setKv<f64>(K_MINUS_LIM, f64x2.splat(-LIM_F64));
  setKv<f64>(K_TWO, f64x2.splat(2));
  setKv<f64>(K_MINUS_TWO, f64x2.splat(-2));
}

// @ts-ignore: decorator
@inline export function tanhS<T>(x: T): T {
  if (sizeof<T>() == 4) return <T>tanhF32S(<f32>x);
  return <T>tanhF64S(<f64>x);
}

// @ts-ignore: decorator
@inline export function tanhV<T>(v: v128): v128 {
  if (sizeof<T>() == 4) return tanhF32V(v);
  return tanhF64V(v);
}

// (min and max written as pmin/pmax: `b < a ? b : a` and `a < b ? b : a`, which keep a NaN `a`)
// @ts-ignore: decorator
@inline function tanhF32S(x: f32): f32 {
  let s = x * x;
  s = S_LIM_F32 < s ? S_LIM_F32 : s;
  const p = ((((p32(4) * s + p32(3)) * s + p32(2)) * s + p32(1)) * s + p32(0)) * x;
  const q = ((s + q32(2)) * s + q32(1)) * s + q32(0);
  const y = p / q;
  const z = y < <f32>-1 ? <f32>-1 : y;
  return <f32>1 < z ? <f32>1 : z;
}

// @ts-ignore: decorator
@inline function tanhF32V(x: v128): v128 {
  const s = f32x4.pmin(f32x4.mul(x, x), kv<f32>(K_S_LIM));
  let p = madd<f32>(kv<f32>(K_P + 4), s, kv<f32>(K_P + 3));
  p = madd<f32>(madd<f32>(madd<f32>(p, s, kv<f32>(K_P + 2)), s, kv<f32>(K_P + 1)), s, kv<f32>(K_P));
  p = f32x4.mul(p, x);
  let q = f32x4.add(s, kv<f32>(K_Q + 2));
  q = madd<f32>(madd<f32>(q, s, kv<f32>(K_Q + 1)), s, kv<f32>(K_Q));
  const y = f32x4.pmax(f32x4.div(p, q), kv<f32>(K_MINUS_ONE));
  return f32x4.pmin(y, kv<f32>(K_ONE));
}

// @ts-ignore: decorator
@inline function tanhF64S(x: f64): f64 {
  x = x < -LIM_F64 ? -LIM_F64 : x;
  x = x > LIM_F64 ? LIM_F64 : x;
  const n = negExpm1F64S(-2 * x);
  return n / (2 - n);
}

// @ts-ignore: decorator
@inline function tanhF64V(v: v128): v128 {
  const x = f64x2.pmin(f64x2.pmax(v, kv<f64>(K_MINUS_LIM)), kv<f64>(K_LIM));
  const n = negExpm1F64V(f64x2.mul(kv<f64>(K_MINUS_TWO), x));
  return f64x2.div(n, f64x2.sub(kv<f64>(K_TWO), n));
}
