// Elementwise ops and reductions (addBias is in activations.ts, with its fused forms). SIMD
// main loop, then a scalar remainder.

// @ts-ignore: decorator
@inline const VBYTES: usize = 16;

// out[c] = sum over r of x[r, c] (the bias gradient of a batch). Column blocks of four vectors
// are summed down the rows in registers, then stored once.
// @ts-ignore: decorator
@inline function sumCols<T>(rows: i32, cols: i32, x: usize, out: usize): void {
  const S = <usize>sizeof<T>();
  const end = <usize>cols * S;
  let c: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; c + 4 * VBYTES <= end; c += 4 * VBYTES) {
      let a0 = v128.splat<T>(<T>0), a1 = a0, a2 = a0, a3 = a0;
      let p = x + c;
      for (let r = 0; r < rows; r++, p += end) {
        a0 = v128.add<T>(a0, v128.load(p));
        a1 = v128.add<T>(a1, v128.load(p, VBYTES));
        a2 = v128.add<T>(a2, v128.load(p, 2 * VBYTES));
        a3 = v128.add<T>(a3, v128.load(p, 3 * VBYTES));
      }
      v128.store(out + c, a0);
      v128.store(out + c, a1, VBYTES);
      v128.store(out + c, a2, 2 * VBYTES);
      v128.store(out + c, a3, 3 * VBYTES);
    }
    // a single column vector: two rows a step into two sums, so the adds' latency overlaps
    for (; c + VBYTES <= end; c += VBYTES) {
      let a0 = v128.splat<T>(<T>0), a1 = a0;
      let p = x + c;
      let r = 0;
      for (; r + 2 <= rows; r += 2, p += 2 * end) {
        a0 = v128.add<T>(a0, v128.load(p));
        a1 = v128.add<T>(a1, v128.load(p + end));
      }
      if (r < rows) a0 = v128.add<T>(a0, v128.load(p));
      v128.store(out + c, v128.add<T>(a0, a1));
    }
  }
  for (; c < end; c += S) {
    let a0: T = <T>0, a1: T = <T>0;
    let p = x + c;
    let r = 0;
    for (; r + 2 <= rows; r += 2, p += 2 * end) {
      a0 += load<T>(p);
      a1 += load<T>(p + end);
    }
    if (r < rows) a0 += load<T>(p);
    store<T>(out + c, a0 + a1);
  }
}

// y = alpha * x
// @ts-ignore: decorator
@inline export function scale<T>(n: i32, alpha: T, x: usize, y: usize): void {
  const S = <usize>sizeof<T>();
  const end = <usize>n * S;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const av = v128.splat<T>(alpha);
    // four vectors a step: a short loop body is mostly loop overhead
    for (; i + 4 * VBYTES <= end; i += 4 * VBYTES) {
      v128.store(y + i, v128.mul<T>(v128.load(x + i), av));
      v128.store(y + i, v128.mul<T>(v128.load(x + i, VBYTES), av), VBYTES);
      v128.store(y + i, v128.mul<T>(v128.load(x + i, 2 * VBYTES), av), 2 * VBYTES);
      v128.store(y + i, v128.mul<T>(v128.load(x + i, 3 * VBYTES), av), 3 * VBYTES);
    }
    for (; i + VBYTES <= end; i += VBYTES) v128.store(y + i, v128.mul<T>(v128.load(x + i), av));
  }
  for (; i < end; i += S) store<T>(y + i, load<T>(x + i) * alpha);
}

// y += alpha * x
// @ts-ignore: decorator
@inline function axpy<T>(n: i32, alpha: T, x: usize, y: usize): void {
  const S = <usize>sizeof<T>();
  const end = <usize>n * S;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const av = v128.splat<T>(alpha);
    for (; i + VBYTES <= end; i += VBYTES) {
      v128.store(y + i, v128.add<T>(v128.load(y + i), v128.mul<T>(v128.load(x + i), av)));
    }
  }
  for (; i < end; i += S) store<T>(y + i, load<T>(y + i) + load<T>(x + i) * alpha);
}

// y = a * b or a - b, elementwise: one loop, `op` constant at each call
// @ts-ignore: decorator
@inline const MUL = 0;
// @ts-ignore: decorator
@inline const SUB = 1;

// @ts-ignore: decorator
@inline function binary<T>(op: i32, n: i32, a: usize, b: usize, y: usize): void {
  const S = <usize>sizeof<T>();
  const end = <usize>n * S;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + VBYTES <= end; i += VBYTES) {
      const u = v128.load(a + i), v = v128.load(b + i);
      v128.store(y + i, op == MUL ? v128.mul<T>(u, v) : v128.sub<T>(u, v));
    }
  }
  for (; i < end; i += S) {
    const u = load<T>(a + i), v = load<T>(b + i);
    store<T>(y + i, op == MUL ? u * v : u - v);
  }
}

// sum of x^2, accumulated in T with four (f32) or two (f64) lanes, then in f64.
// @ts-ignore: decorator
@inline function sumSquares<T>(n: i32, x: usize): f64 {
  const S = <usize>sizeof<T>();
  const end = <usize>n * S;
  let i: usize = 0;
  let s: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    if (sizeof<T>() == 8) {
      let acc = f64x2.splat(0);
      for (; i + VBYTES <= end; i += VBYTES) {
        const v = v128.load(x + i);
        acc = f64x2.add(acc, f64x2.mul(v, v));
      }
      s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    } else {
      // f32 squares summed in f64 lanes: the sum of many squares keeps its digits.
      let lo = f64x2.splat(0), hi = f64x2.splat(0);
      for (; i + VBYTES <= end; i += VBYTES) {
        const v = v128.load(x + i);
        const a = f64x2.promote_low_f32x4(v);
        const b = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
        lo = f64x2.add(lo, f64x2.mul(a, a));
        hi = f64x2.add(hi, f64x2.mul(b, b));
      }
      const t = f64x2.add(lo, hi);
      s = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
    }
  }
  for (; i < end; i += S) {
    const v = <f64>load<T>(x + i);
    s += v * v;
  }
  return s;
}

export function sum_cols_f32(rows: i32, cols: i32, x: usize, out: usize): void { sumCols<f32>(rows, cols, x, out); }
export function sum_cols_f64(rows: i32, cols: i32, x: usize, out: usize): void { sumCols<f64>(rows, cols, x, out); }
export function scale_f32(n: i32, alpha: f32, x: usize, y: usize): void { scale<f32>(n, alpha, x, y); }
export function scale_f64(n: i32, alpha: f64, x: usize, y: usize): void { scale<f64>(n, alpha, x, y); }
export function axpy_f32(n: i32, alpha: f32, x: usize, y: usize): void { axpy<f32>(n, alpha, x, y); }
export function axpy_f64(n: i32, alpha: f64, x: usize, y: usize): void { axpy<f64>(n, alpha, x, y); }
export function mul_f32(n: i32, a: usize, b: usize, y: usize): void { binary<f32>(MUL, n, a, b, y); }
export function mul_f64(n: i32, a: usize, b: usize, y: usize): void { binary<f64>(MUL, n, a, b, y); }
export function sub_f32(n: i32, a: usize, b: usize, y: usize): void { binary<f32>(SUB, n, a, b, y); }
export function sub_f64(n: i32, a: usize, b: usize, y: usize): void { binary<f64>(SUB, n, a, b, y); }
export function sum_squares_f32(n: i32, x: usize): f64 { return sumSquares<f32>(n, x); }
export function sum_squares_f64(n: i32, x: usize): f64 { return sumSquares<f64>(n, x); }
