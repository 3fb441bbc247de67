// L1 regularization's two kernels: Σ|x| (the cost term) and y += α·sign(x) (its gradient).
// SIMD main loop, then a scalar remainder.

// @ts-ignore: decorator
@inline const VBYTES: usize = 16;

// Σ|x| in f64 (f32 values are widened first), in one pass: the L1 cost of a weight matrix. Two
// chains of f64x2 (the adds' latency bounds one chain), combined in a fixed order, then the tail.
// @ts-ignore: decorator
@inline function sumAbs<T>(n: i32, x: usize): f64 {
  const S = <usize>sizeof<T>();
  const end = <usize>n * S;
  let i: usize = 0;
  let s: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let s0 = f64x2.splat(0), s1 = s0;
    if (sizeof<T>() == 8) {
      for (; i + 2 * VBYTES <= end; i += 2 * VBYTES) {
        s0 = f64x2.add(s0, f64x2.abs(v128.load(x + i)));
        s1 = f64x2.add(s1, f64x2.abs(v128.load(x + i, VBYTES)));
      }
    } else {
      for (; i + VBYTES <= end; i += VBYTES) {
        const u = f32x4.abs(v128.load(x + i));
        s0 = f64x2.add(s0, f64x2.promote_low_f32x4(u));
        s1 = f64x2.add(s1, f64x2.promote_low_f32x4(i32x4.shuffle(u, u, 2, 3, 0, 1)));
      }
    }
    const t = f64x2.add(s0, s1);
    s = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  }
  for (; i < end; i += S) s += abs<f64>(<f64>load<T>(x + i));
  return s;
}

// y += α·sign(x), sign(±0) = 0 and sign(NaN) = NaN: the L1 term's (sub)gradient added to a weight's.
// @ts-ignore: decorator
@inline function signAxpy<T>(n: i32, alpha: T, x: usize, y: usize): void {
  const S = <usize>sizeof<T>();
  const end = <usize>n * S;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = v128.splat<T>(<T>0), plus = v128.splat<T>(alpha), minus = v128.splat<T>(-alpha);
    for (; i + VBYTES <= end; i += VBYTES) {
      const xv = v128.load(x + i);
      // α where x > 0, −α where x < 0, 0 at ±0; a NaN x gives α·NaN
      let step = v128.or(v128.and(plus, v128.gt<T>(xv, zero)), v128.and(minus, v128.lt<T>(xv, zero)));
      step = v128.bitselect(v128.mul<T>(xv, plus), step, v128.ne<T>(xv, xv));
      v128.store(y + i, v128.add<T>(v128.load(y + i), step));
    }
  }
  for (; i < end; i += S) {
    const xv = load<T>(x + i);
    const step: T = xv > 0 ? alpha : xv < 0 ? -alpha : xv == xv ? <T>0 : xv * alpha;
    store<T>(y + i, load<T>(y + i) + step);
  }
}

export function sum_abs_f32(n: i32, x: usize): f64 { return sumAbs<f32>(n, x); }
export function sum_abs_f64(n: i32, x: usize): f64 { return sumAbs<f64>(n, x); }
export function sign_axpy_f32(n: i32, alpha: f32, x: usize, y: usize): void { signAxpy<f32>(n, alpha, x, y); }
export function sign_axpy_f64(n: i32, alpha: f64, x: usize, y: usize): void { signAxpy<f64>(n, alpha, x, y); }
