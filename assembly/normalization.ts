// Batch normalization's two per-column kernels (its column statistics come from sumCols and mul):
// scale_shift: y[r, c] = x[r, c]·scale[c] + shift[c] (normalize, then γ·x̂ + β);
// batch_norm_backward: dx[r, c] = dy[r, c]·a[c] + xhat[r, c]·b[c] + k[c] (the three-term form).
// SIMD main loop over each row's columns, then a scalar remainder; multiply, then add (no fused
// multiply-add, so the relaxed build gives the same bits).

// @ts-ignore: decorator
@inline const VBYTES: usize = 16;

// @ts-ignore: decorator
@inline function scaleShift<T>(rows: i32, cols: i32, x: usize, s: usize, b: usize, y: usize): void {
  const S = <usize>sizeof<T>();
  const rowBytes = <usize>cols * S;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes;
    let c: usize = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + VBYTES <= rowBytes; c += VBYTES) {
        v128.store(y + o + c, v128.add<T>(v128.mul<T>(v128.load(x + o + c), v128.load(s + c)), v128.load(b + c)));
      }
    }
    for (; c < rowBytes; c += S) store<T>(y + o + c, load<T>(x + o + c) * load<T>(s + c) + load<T>(b + c));
  }
}

// @ts-ignore: decorator
@inline function batchNormBackward<T>(rows: i32, cols: i32, dy: usize, xh: usize, a: usize, b: usize, k: usize, dx: usize): void {
  const S = <usize>sizeof<T>();
  const rowBytes = <usize>cols * S;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes;
    let c: usize = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + VBYTES <= rowBytes; c += VBYTES) {
        const t = v128.add<T>(v128.mul<T>(v128.load(dy + o + c), v128.load(a + c)), v128.mul<T>(v128.load(xh + o + c), v128.load(b + c)));
        v128.store(dx + o + c, v128.add<T>(t, v128.load(k + c)));
      }
    }
    for (; c < rowBytes; c += S) {
      store<T>(dx + o + c, load<T>(dy + o + c) * load<T>(a + c) + load<T>(xh + o + c) * load<T>(b + c) + load<T>(k + c));
    }
  }
}

export function scale_shift_f32(rows: i32, cols: i32, x: usize, s: usize, b: usize, y: usize): void { scaleShift<f32>(rows, cols, x, s, b, y); }
export function scale_shift_f64(rows: i32, cols: i32, x: usize, s: usize, b: usize, y: usize): void { scaleShift<f64>(rows, cols, x, s, b, y); }
export function batch_norm_backward_f32(rows: i32, cols: i32, dy: usize, xh: usize, a: usize, b: usize, k: usize, dx: usize): void {
  batchNormBackward<f32>(rows, cols, dy, xh, a, b, k, dx);
}
export function batch_norm_backward_f64(rows: i32, cols: i32, dy: usize, xh: usize, a: usize, b: usize, k: usize, dx: usize): void {
  batchNormBackward<f64>(rows, cols, dy, xh, a, b, k, dx);
}
