// Elementwise ops and reductions (addBias is in activations.ts, with its fused forms). SIMD
// main loop, then a scalar remainder.

// @ts-ignore: decorator
@inline const VBYTES: usize = 16;

// out[c] = sum over r of x[r, c] (the bias gradient of a batch), each column's rows added in
// order by every path: a unit's sum must not depend on its column's position (units that start
// identical, under zeros init, would get gradients an ulp apart and drift apart). Column blocks of
// four vectors are summed down the rows in registers, then stored once.
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
    // what is left, two columns a pass where it can: two sums in flight hide the adds' latency
    // without changing any column's order
    for (; c + 2 * VBYTES <= end; c += 2 * VBYTES) {
      let a0 = v128.splat<T>(<T>0), a1 = a0;
      let p = x + c;
      for (let r = 0; r < rows; r++, p += end) {
        a0 = v128.add<T>(a0, v128.load(p));
        a1 = v128.add<T>(a1, v128.load(p, VBYTES));
      }
      v128.store(out + c, a0);
      v128.store(out + c, a1, VBYTES);
    }
    if (c + VBYTES <= end) {
      let a0 = v128.splat<T>(<T>0);
      let p = x + c;
      for (let r = 0; r < rows; r++, p += end) a0 = v128.add<T>(a0, v128.load(p));
      v128.store(out + c, a0);
      c += VBYTES;
    }
  }
  for (; c + 2 * S <= end; c += 2 * S) {
    let a0: T = <T>0, a1: T = <T>0;
    let p = x + c;
    for (let r = 0; r < rows; r++, p += end) {
      a0 += load<T>(p);
      a1 += load<T>(p + S);
    }
    store<T>(out + c, a0);
    store<T>(out + c + S, a1);
  }
  if (c < end) {
    let a0: T = <T>0;
    let p = x + c;
    for (let r = 0; r < rows; r++, p += end) a0 += load<T>(p);
    store<T>(out + c, a0);
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

// Sums of squares go block by block: each block of SUM_BLOCK elements is summed on its own, and
// the blocks' sums are added left to right in f64. Threads then take whole blocks (the caller
// adds the partial sums in the same order), so the result has the same bits on any thread count.
// @ts-ignore: decorator
@inline const SUM_BLOCK: i32 = 8192;

// x^2 summed over one block: four chains of f64x2 (the adds' latency, not their count, bounds a
// single chain), combined in a fixed order, then the scalar tail.
// @ts-ignore: decorator
@inline function sumSquaresBlock<T>(n: i32, x: usize): f64 {
  const S = <usize>sizeof<T>();
  const end = <usize>n * S;
  let i: usize = 0;
  let s: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let s0 = f64x2.splat(0), s1 = s0, s2 = s0, s3 = s0;
    if (sizeof<T>() == 8) {
      for (; i + 4 * VBYTES <= end; i += 4 * VBYTES) {
        const a = v128.load(x + i), b = v128.load(x + i, VBYTES), c = v128.load(x + i, 2 * VBYTES), d = v128.load(x + i, 3 * VBYTES);
        s0 = f64x2.add(s0, f64x2.mul(a, a)); s1 = f64x2.add(s1, f64x2.mul(b, b));
        s2 = f64x2.add(s2, f64x2.mul(c, c)); s3 = f64x2.add(s3, f64x2.mul(d, d));
      }
      for (; i + VBYTES <= end; i += VBYTES) {
        const a = v128.load(x + i);
        s0 = f64x2.add(s0, f64x2.mul(a, a));
      }
    } else {
      // f32 squares summed in f64 lanes: the sum of many squares keeps its digits
      for (; i + 2 * VBYTES <= end; i += 2 * VBYTES) {
        const u = v128.load(x + i), v = v128.load(x + i, VBYTES);
        const a = f64x2.promote_low_f32x4(u), b = f64x2.promote_low_f32x4(i32x4.shuffle(u, u, 2, 3, 0, 1));
        const c = f64x2.promote_low_f32x4(v), d = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
        s0 = f64x2.add(s0, f64x2.mul(a, a)); s1 = f64x2.add(s1, f64x2.mul(b, b));
        s2 = f64x2.add(s2, f64x2.mul(c, c)); s3 = f64x2.add(s3, f64x2.mul(d, d));
      }
      for (; i + VBYTES <= end; i += VBYTES) {
        const u = v128.load(x + i);
        const a = f64x2.promote_low_f32x4(u), b = f64x2.promote_low_f32x4(i32x4.shuffle(u, u, 2, 3, 0, 1));
        s0 = f64x2.add(s0, f64x2.mul(a, a)); s1 = f64x2.add(s1, f64x2.mul(b, b));
      }
    }
    const t = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
    s = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  }
  for (; i < end; i += S) {
    const v = <f64>load<T>(x + i);
    s += v * v;
  }
  return s;
}

// Block k of x's n elements.
// @ts-ignore: decorator
@inline function blockSum<T>(k: i32, n: i32, x: usize): f64 {
  const b = k * SUM_BLOCK;
  return sumSquaresBlock<T>(min(SUM_BLOCK, n - b), x + <usize>b * sizeof<T>());
}

// @ts-ignore: decorator
@inline function sumSquares<T>(n: i32, x: usize): f64 {
  let s: f64 = 0;
  for (let k = 0; k * SUM_BLOCK < n; k++) s += blockSum<T>(k, n, x);
  return s;
}

// `count` blocks from block `first` of x's n elements, each block's sum of squares to out[block] (f64).
// @ts-ignore: decorator
@inline function sumSquaresBlocks<T>(count: i32, first: i32, n: i32, x: usize, out: usize): void {
  for (let k = first; k < first + count; k++) store<f64>(out + <usize>k * 8, blockSum<T>(k, n, x));
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
export function sum_squares_blocks_f32(count: i32, first: i32, n: i32, x: usize, out: usize): void { sumSquaresBlocks<f32>(count, first, n, x, out); }
export function sum_squares_blocks_f64(count: i32, first: i32, n: i32, x: usize, out: usize): void { sumSquaresBlocks<f64>(count, first, n, x, out); }
export function sum_block(): i32 { return SUM_BLOCK; }
