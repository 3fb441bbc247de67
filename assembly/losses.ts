// sigmoid_cross_entropy: the binary cross-entropy of sigmoid(z) against labels y, from the
// logits z, summed over all elements in f64 whatever the dtype (the model divides by the batch):
//   Σ max(z, 0) − z·y + log1p(exp(−|z|))
// From the logits, a saturated sigmoid never gives log(0). NaN in z or y gives NaN.
import { K_LOSSES, K_ONE, K_UNSCALE, expScaledUpS, expScaledUpV, kv, setKv, unscale } from "./exp";

// log1p(e) for e in [0, 1]. u = 1 + e rounds; c = e − (u − 1) is that rounding's error,
// exactly. u = 2^k·m with m in [√½, √2] (k = 0 or 1), log m = 2·atanh(s) with s = (m − 1)/(m + 1),
// |s| ≤ 0.172: the series 2s·Σ s²ⁿ/(2n + 1) to n = 11 leaves less than 1e-19. Then
// log1p(e) = k·ln2 + log m + c/u (c/u: log(u + c) − log u to first order).
const SQRT2: f64 = 1.4142135623730951;
const LN2: f64 = 0.6931471805599453;

// the series' coefficient 1/(2n + 1)
// @ts-ignore: decorator
@inline function ser(n: i32): f64 { return 1.0 / <f64>(2 * n + 1); }

// log1p's vector constants, in the exp table's free slots (a load each in the loop; see exp.ts)
const K_HALF = K_LOSSES, K_SQRT2 = K_LOSSES + 1, K_LN2 = K_LOSSES + 2, K_SER = K_LOSSES + 3; // + n: ser(n)
if (ASC_FEATURE_SIMD) {
  setKv<f64>(K_HALF, f64x2.splat(0.5));
  setKv<f64>(K_SQRT2, f64x2.splat(SQRT2));
  setKv<f64>(K_LN2, f64x2.splat(LN2));
  for (let n = 0; n < 12; n++) setKv<f64>(K_SER + n, f64x2.splat(ser(n)));
}

// Σ_{n<12} zⁿ/(2n + 1), by Estrin's scheme (pairs, then z², z⁴, z⁸)
// @ts-ignore: decorator
@inline function seriesS(z: f64): f64 {
  const z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
  const q0 = (ser(0) + ser(1) * z) + z2 * (ser(2) + ser(3) * z);
  const q1 = (ser(4) + ser(5) * z) + z2 * (ser(6) + ser(7) * z);
  const q2 = (ser(8) + ser(9) * z) + z2 * (ser(10) + ser(11) * z);
  return (q0 + z4 * q1) + z8 * q2;
}

// ser(n) + ser(n + 1)·z
// @ts-ignore: decorator
@inline function pairV(n: i32, z: v128): v128 {
  return f64x2.add(kv<f64>(K_SER + n), f64x2.mul(kv<f64>(K_SER + n + 1), z));
}

// @ts-ignore: decorator
@inline function seriesV(z: v128): v128 {
  const z2 = f64x2.mul(z, z), z4 = f64x2.mul(z2, z2), z8 = f64x2.mul(z4, z4);
  const q0 = f64x2.add(pairV(0, z), f64x2.mul(z2, pairV(2, z)));
  const q1 = f64x2.add(pairV(4, z), f64x2.mul(z2, pairV(6, z)));
  const q2 = f64x2.add(pairV(8, z), f64x2.mul(z2, pairV(10, z)));
  return f64x2.add(f64x2.add(q0, f64x2.mul(z4, q1)), f64x2.mul(z8, q2));
}

// @ts-ignore: decorator
@inline function log1pUnitS(e: f64): f64 {
  const u = e + 1.0;
  const c = e - (u - 1.0);
  const big = u > SQRT2;
  const m = big ? u * 0.5 : u;
  const s = (m - 1.0) / (m + 1.0);
  return (big ? LN2 : 0.0) + ((s + s) * seriesS(s * s) + c / u);
}

// @ts-ignore: decorator
@inline function log1pUnitV(e: v128): v128 {
  const one = kv<f64>(K_ONE);
  const u = f64x2.add(e, one);
  const c = f64x2.sub(e, f64x2.sub(u, one));
  const big = f64x2.gt(u, kv<f64>(K_SQRT2));
  const m = v128.bitselect(f64x2.mul(u, kv<f64>(K_HALF)), u, big);
  const s = f64x2.div(f64x2.sub(m, one), f64x2.add(m, one));
  const k = v128.and(big, kv<f64>(K_LN2));
  return f64x2.add(k, f64x2.add(f64x2.mul(f64x2.add(s, s), seriesV(f64x2.mul(s, s))), f64x2.div(c, u)));
}

// one element's term
// @ts-ignore: decorator
@inline function termS(z: f64, y: f64): f64 {
  // exp(−|z|) from the softmax's scaled exp: exp(y)·2^512, then unscaled
  const e = expScaledUpS<f64>(-abs<f64>(z)) * unscale<f64>();
  return (max<f64>(z, 0) - z * y) + log1pUnitS(e);
}

// @ts-ignore: decorator
@inline function termV(z: v128, y: v128): v128 {
  const e = f64x2.mul(expScaledUpV<f64>(f64x2.neg(f64x2.abs(z))), kv<f64>(K_UNSCALE));
  // pmax(0, z) is `0 < z ? z : 0`; a NaN z still makes the term NaN through z·y
  return f64x2.add(f64x2.sub(v128.pmax<f64>(v128.splat<f64>(0), z), f64x2.mul(z, y)), log1pUnitV(e));
}

// two elements of T as f64 lanes
// @ts-ignore: decorator
@inline function load2<T>(p: usize): v128 {
  return sizeof<T>() == 8 ? v128.load(p) : f64x2.promote_low_f32x4(v128.load64_zero(p));
}

// @ts-ignore: decorator
@inline function sigmoidCrossEntropy<T>(n: i32, z: usize, y: usize): f64 {
  const S = <usize>sizeof<T>();
  const end = <usize>n * S;
  let i: usize = 0;
  let s: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let acc = f64x2.splat(0);
    for (; i + 2 * S <= end; i += 2 * S) acc = f64x2.add(acc, termV(load2<T>(z + i), load2<T>(y + i)));
    s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  }
  for (; i < end; i += S) s += termS(<f64>load<T>(z + i), <f64>load<T>(y + i));
  return s;
}

export function sigmoid_cross_entropy_f32(n: i32, z: usize, y: usize): f64 { return sigmoidCrossEntropy<f32>(n, z, y); }
export function sigmoid_cross_entropy_f64(n: i32, z: usize, y: usize): f64 { return sigmoidCrossEntropy<f64>(n, z, y); }
