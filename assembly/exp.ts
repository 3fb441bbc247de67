// exp and expm1 for non-positive arguments, in f32 and f64, as SIMD lanes and as scalars.
// Every exp the kernels need has an argument <= 0: sigmoid uses exp(-|x|), tanh expm1(-2|x|),
// softmax exp(x - rowMax). Restricting the domain keeps the range reduction simple.
//
// Method: k = round(y / ln2), r = y - k*ln2 (Cody-Waite split, |r| <= ln2/2), then the Taylor
// polynomial expm1(r) = r + r^2/2! + ... (degree 12 in f64, 7 in f32: truncation < 1e-15 and
// < 2e-8 relative), and exp(y) = 2^k (1 + p), expm1(y) = 2^k p + (2^k - 1).
// NaN propagates: max() keeps NaN and the polynomial turns it into NaN.

const LOG2E: f64 = 1.4426950408889634;
// ln2 split so that k*LN2_HI is exact for the k that occur.
const LN2_HI_F64: f64 = 6.93147180369123816490e-01;
const LN2_LO_F64: f64 = 1.90821492927058770002e-10;
const LN2_HI_F32: f32 = 0.693145751953125;
const LN2_LO_F32: f32 = 1.428606765330187e-6;

// Below these, exp underflows to 0 after rounding (2^-1076 in f64, 2^-150 in f32).
// @ts-ignore: decorator
@inline function expFloor<T>(): T { return sizeof<T>() == 8 ? <T>-746.0 : <T>-104.0; }
// expm1 is -1 to the last bit below these.
// @ts-ignore: decorator
@inline function expm1Floor<T>(): T { return sizeof<T>() == 8 ? <T>-40.0 : <T>-18.0; }

// Taylor tail of expm1 on |r| <= ln2/2, Horner form: returns expm1(r).
// @ts-ignore: decorator
@inline function polyS<T>(r: T): T {
  let q: T;
  if (sizeof<T>() == 8) {
    q = <T>(1.0 / 479001600.0);
    q = <T>(1.0 / 39916800.0) + r * q;
    q = <T>(1.0 / 3628800.0) + r * q;
    q = <T>(1.0 / 362880.0) + r * q;
    q = <T>(1.0 / 40320.0) + r * q;
    q = <T>(1.0 / 5040.0) + r * q;
    q = <T>(1.0 / 720.0) + r * q;
    q = <T>(1.0 / 120.0) + r * q;
  } else {
    q = <T>(1.0 / 5040.0);
    q = <T>(1.0 / 720.0) + r * q;
    q = <T>(1.0 / 120.0) + r * q;
  }
  q = <T>(1.0 / 24.0) + r * q;
  q = <T>(1.0 / 6.0) + r * q;
  q = <T>0.5 + r * q;
  return r + r * r * q;
}

// @ts-ignore: decorator
@inline function polyV<T>(r: v128): v128 {
  let q: v128;
  if (sizeof<T>() == 8) {
    q = v128.splat<T>(<T>(1.0 / 479001600.0));
    q = v128.add<T>(v128.splat<T>(<T>(1.0 / 39916800.0)), v128.mul<T>(r, q));
    q = v128.add<T>(v128.splat<T>(<T>(1.0 / 3628800.0)), v128.mul<T>(r, q));
    q = v128.add<T>(v128.splat<T>(<T>(1.0 / 362880.0)), v128.mul<T>(r, q));
    q = v128.add<T>(v128.splat<T>(<T>(1.0 / 40320.0)), v128.mul<T>(r, q));
    q = v128.add<T>(v128.splat<T>(<T>(1.0 / 5040.0)), v128.mul<T>(r, q));
    q = v128.add<T>(v128.splat<T>(<T>(1.0 / 720.0)), v128.mul<T>(r, q));
    q = v128.add<T>(v128.splat<T>(<T>(1.0 / 120.0)), v128.mul<T>(r, q));
  } else {
    q = v128.splat<T>(<T>(1.0 / 5040.0));
    q = v128.add<T>(v128.splat<T>(<T>(1.0 / 720.0)), v128.mul<T>(r, q));
    q = v128.add<T>(v128.splat<T>(<T>(1.0 / 120.0)), v128.mul<T>(r, q));
  }
  q = v128.add<T>(v128.splat<T>(<T>(1.0 / 24.0)), v128.mul<T>(r, q));
  q = v128.add<T>(v128.splat<T>(<T>(1.0 / 6.0)), v128.mul<T>(r, q));
  q = v128.add<T>(v128.splat<T>(<T>0.5), v128.mul<T>(r, q));
  return v128.add<T>(r, v128.mul<T>(v128.mul<T>(r, r), q));
}

// r = y - k*ln2, given k as a float with an integral value.
// @ts-ignore: decorator
@inline function reduceS<T>(y: T, k: T): T {
  if (sizeof<T>() == 8) return (y - k * <T>LN2_HI_F64) - k * <T>LN2_LO_F64;
  return (y - k * <T>LN2_HI_F32) - k * <T>LN2_LO_F32;
}

// @ts-ignore: decorator
@inline function reduceV<T>(y: v128, k: v128): v128 {
  const hi = sizeof<T>() == 8 ? <T>LN2_HI_F64 : <T>LN2_HI_F32;
  const lo = sizeof<T>() == 8 ? <T>LN2_LO_F64 : <T>LN2_LO_F32;
  const r = v128.sub<T>(y, v128.mul<T>(k, v128.splat<T>(hi)));
  return v128.sub<T>(r, v128.mul<T>(k, v128.splat<T>(lo)));
}

// 2^k for an integral float k in the normal exponent range.
// @ts-ignore: decorator
@inline function pow2S<T>(k: T): T {
  if (sizeof<T>() == 8) return <T>reinterpret<f64>((<i64>(<i32>k) + 1023) << 52);
  return <T>reinterpret<f32>((<i32>k + 127) << 23);
}

// @ts-ignore: decorator
@inline function pow2V<T>(k: v128): v128 {
  if (sizeof<T>() == 8) {
    const ki = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
    return i64x2.shl(i64x2.add(ki, i64x2.splat(1023)), 52);
  }
  return i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(k), i32x4.splat(127)), 23);
}

/** exp(y) for y <= 0 (NaN gives NaN). */
// @ts-ignore: decorator
@inline export function expNegS<T>(y: T): T {
  y = max<T>(y, expFloor<T>());
  const k = nearest<T>(y * <T>LOG2E);
  const p = polyS<T>(reduceS<T>(y, k));
  // 2^k as two factors so that results down to the subnormals are reached.
  const k1 = floor<T>(k * <T>0.5);
  return (<T>1.0 + p) * pow2S<T>(k1) * pow2S<T>(k - k1);
}

// @ts-ignore: decorator
@inline export function expNegV<T>(y: v128): v128 {
  y = v128.max<T>(y, v128.splat<T>(expFloor<T>()));
  const k = v128.nearest<T>(v128.mul<T>(y, v128.splat<T>(<T>LOG2E)));
  const p = polyV<T>(reduceV<T>(y, k));
  const k1 = v128.floor<T>(v128.mul<T>(k, v128.splat<T>(<T>0.5)));
  const s = v128.mul<T>(v128.add<T>(v128.splat<T>(<T>1.0), p), pow2V<T>(k1));
  return v128.mul<T>(s, pow2V<T>(v128.sub<T>(k, k1)));
}

/** expm1(y) for y <= 0 (NaN gives NaN): full relative accuracy near 0. */
// @ts-ignore: decorator
@inline export function expm1NegS<T>(y: T): T {
  y = max<T>(y, expm1Floor<T>());
  const k = nearest<T>(y * <T>LOG2E);
  const p = polyS<T>(reduceS<T>(y, k));
  const s = pow2S<T>(k);
  return s * p + (s - <T>1.0);
}

// @ts-ignore: decorator
@inline export function expm1NegV<T>(y: v128): v128 {
  y = v128.max<T>(y, v128.splat<T>(expm1Floor<T>()));
  const k = v128.nearest<T>(v128.mul<T>(y, v128.splat<T>(<T>LOG2E)));
  const p = polyV<T>(reduceV<T>(y, k));
  const s = pow2V<T>(k);
  return v128.add<T>(v128.mul<T>(s, p), v128.sub<T>(s, v128.splat<T>(<T>1.0)));
}
