// Activations, forward and backward, on pointers into linear memory.
// Each kernel: SIMD main loop over whole vectors, then a scalar remainder that computes the
// same formula. Backward kernels take the forward output y (for relu, y > 0 iff x > 0).
import { K_ONE, K_UNSCALE, expNegScaledS, expNegScaledV, expScaledUpS, expScaledUpV, kv, unscale } from "./exp";
import { scale } from "./elementwise";
import { tanhS, tanhV } from "./tanh";

// @ts-ignore: decorator
@inline const VBYTES: usize = 16;

// ---- forward: y = f(x) for relu, sigmoid and tanh, one loop for all three ----
// @ts-ignore: decorator
@inline const RELU = 0;
// @ts-ignore: decorator
@inline const SIGMOID = 1;
// @ts-ignore: decorator
@inline const TANH = 2;
// no activation: addBias alone
// @ts-ignore: decorator
@inline const NONE = -1;

// `op` is a constant at every call, so each kernel keeps only its own branch.
// @ts-ignore: decorator
@inline function opV<T>(op: i32, v: v128): v128 {
  if (op == NONE) return v;
  // relu: pmax(x, 0) is `x < 0 ? 0 : x`, one instruction (max() with its NaN rules is
  // several), and NaN stays NaN
  if (op == RELU) return v128.pmax<T>(v, v128.splat<T>(<T>0));
  if (op == SIGMOID) return sigmoidV<T>(v);
  return tanhV<T>(v);
}

// @ts-ignore: decorator
@inline function opS<T>(op: i32, x: T): T {
  if (op == NONE) return x;
  if (op == RELU) return x < <T>0 ? <T>0 : x;
  if (op == SIGMOID) return sigmoidS<T>(x);
  return tanhS<T>(x);
}

// Four independent vectors a step (the exp is a long dependency chain), then single vectors,
// then the scalar remainder.
// @ts-ignore: decorator
@inline function mapUnary<T>(op: i32, n: i32, x: usize, y: usize): void {
  const S = <usize>sizeof<T>();
  let i: usize = 0;
  const end = <usize>n * S;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 * VBYTES <= end; i += 4 * VBYTES) {
      const a = opV<T>(op, v128.load(x + i));
      const b = opV<T>(op, v128.load(x + i, VBYTES));
      const c = opV<T>(op, v128.load(x + i, 2 * VBYTES));
      const d = opV<T>(op, v128.load(x + i, 3 * VBYTES));
      v128.store(y + i, a);
      v128.store(y + i, b, VBYTES);
      v128.store(y + i, c, 2 * VBYTES);
      v128.store(y + i, d, 3 * VBYTES);
    }
    for (; i + VBYTES <= end; i += VBYTES) v128.store(y + i, opV<T>(op, v128.load(x + i)));
  }
  for (; i < end; i += S) store<T>(y + i, opS<T>(op, load<T>(x + i)));
}

// ---- y = f(x + b), b a row added to every row: addBias alone (f = NONE), or a dense layer's
// bias and the activation after it in one pass ----
// @ts-ignore: decorator
@inline function mapRowsBias<T>(op: i32, rows: i32, cols: i32, x: usize, b: usize, y: usize): void {
  const S = <usize>sizeof<T>();
  const end = <usize>cols * S;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * end;
    let i: usize = 0;
    if (ASC_FEATURE_SIMD) {
      for (; i + 4 * VBYTES <= end; i += 4 * VBYTES) {
        const p = x + o + i, q = b + i;
        const e = opV<T>(op, v128.add<T>(v128.load(p), v128.load(q)));
        const f = opV<T>(op, v128.add<T>(v128.load(p, VBYTES), v128.load(q, VBYTES)));
        const g = opV<T>(op, v128.add<T>(v128.load(p, 2 * VBYTES), v128.load(q, 2 * VBYTES)));
        const h = opV<T>(op, v128.add<T>(v128.load(p, 3 * VBYTES), v128.load(q, 3 * VBYTES)));
        v128.store(y + o + i, e);
        v128.store(y + o + i, f, VBYTES);
        v128.store(y + o + i, g, 2 * VBYTES);
        v128.store(y + o + i, h, 3 * VBYTES);
      }
      for (; i + VBYTES <= end; i += VBYTES) {
        v128.store(y + o + i, opV<T>(op, v128.add<T>(v128.load(x + o + i), v128.load(b + i))));
      }
    }
    for (; i < end; i += S) store<T>(y + o + i, opS<T>(op, load<T>(x + o + i) + load<T>(b + i)));
  }
}

// ---- backward: dx = dy·f'(x), from the forward output y ----
//   relu: dy where y > 0, else 0;  sigmoid: dy·y(1 − y);
//   tanh: dy·(1 − y)(1 + y), which does not cancel where |y| is near 1 as 1 − y² does.
// @ts-ignore: decorator
@inline function gradV<T>(op: i32, dy: v128, y: v128): v128 {
  if (op == RELU) return v128.and(dy, v128.gt<T>(y, v128.splat<T>(<T>0)));
  const one = kv<T>(K_ONE);
  if (op == SIGMOID) return v128.mul<T>(dy, v128.mul<T>(y, v128.sub<T>(one, y)));
  return v128.mul<T>(dy, v128.mul<T>(v128.sub<T>(one, y), v128.add<T>(one, y)));
}

// @ts-ignore: decorator
@inline function gradS<T>(op: i32, dy: T, y: T): T {
  if (op == RELU) return y > <T>0 ? dy : <T>0;
  if (op == SIGMOID) return dy * (y * (<T>1 - y));
  return dy * ((<T>1 - y) * (<T>1 + y));
}

// @ts-ignore: decorator
@inline function mapBackward<T>(op: i32, n: i32, dy: usize, y: usize, dx: usize): void {
  const S = <usize>sizeof<T>();
  let i: usize = 0;
  const end = <usize>n * S;
  if (ASC_FEATURE_SIMD) {
    for (; i + VBYTES <= end; i += VBYTES) v128.store(dx + i, gradV<T>(op, v128.load(dy + i), v128.load(y + i)));
  }
  for (; i < end; i += S) store<T>(dx + i, gradS<T>(op, load<T>(dy + i), load<T>(y + i)));
}

// ---- sigmoid: u/(u + u·exp(-x)), see expNegScaledV: one formula for every x ----
// @ts-ignore: decorator
@inline function sigmoidS<T>(x: T): T {
  return unscale<T>() / (unscale<T>() + expNegScaledS<T>(x));
}

// @ts-ignore: decorator
@inline function sigmoidV<T>(v: v128): v128 {
  const u = kv<T>(K_UNSCALE);
  return v128.div<T>(u, v128.add<T>(u, expNegScaledV<T>(v)));
}

// ---- softmax, row-wise over a [rows x cols] matrix: shifted by the row max so every exp
// argument is <= 0 ----
// The row's maximum. pmax (`a < b ? b : a`) is one instruction where max() is several; it
// may pass over a NaN, but a NaN in the row still makes its exp, the sum and so every output NaN.
// @ts-ignore: decorator
@inline function rowMax<T>(cols: i32, x: usize): T {
  const S = <usize>sizeof<T>();
  const end = <usize>cols * S;
  let i: usize = 0;
  let m: T = <T>-Infinity;
  if (ASC_FEATURE_SIMD) {
    let m0 = v128.splat<T>(<T>-Infinity), m1 = m0, m2 = m0, m3 = m0;
    for (; i + 4 * VBYTES <= end; i += 4 * VBYTES) {
      m0 = v128.pmax<T>(m0, v128.load(x + i));
      m1 = v128.pmax<T>(m1, v128.load(x + i, VBYTES));
      m2 = v128.pmax<T>(m2, v128.load(x + i, 2 * VBYTES));
      m3 = v128.pmax<T>(m3, v128.load(x + i, 3 * VBYTES));
    }
    for (; i + VBYTES <= end; i += VBYTES) m0 = v128.pmax<T>(m0, v128.load(x + i));
    m = hmax<T>(v128.pmax<T>(v128.pmax<T>(m0, m1), v128.pmax<T>(m2, m3)));
  }
  for (; i < end; i += S) m = max<T>(m, load<T>(x + i));
  return m;
}

// @ts-ignore: decorator
@inline function hmax<T>(v: v128): T {
  if (sizeof<T>() == 8) return <T>max<f64>(f64x2.extract_lane(v, 0), f64x2.extract_lane(v, 1));
  return <T>max<f32>(max<f32>(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)),
    max<f32>(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

// @ts-ignore: decorator
@inline function hsum<T>(v: v128): T {
  if (sizeof<T>() == 8) return <T>(f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1));
  return <T>((f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) +
    (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3)));
}

// One pass a row: its exps and their sum, and in the same loop the previous row's scaling by
// 1/sum and the next row's maximum (light work beside the exp's, and one pass over memory
// instead of three). Row 0 "scales" itself by 1, after its values are stored; the last row
// reads itself for the unused next maximum, and is scaled after the loop. Rows never
// overlap, so in place is safe.
// @ts-ignore: decorator
@inline function softmax<T>(rows: i32, cols: i32, x: usize, y: usize): void {
  const S = <usize>sizeof<T>();
  const end = <usize>cols * S;
  if (rows <= 0) return;
  let m = rowMax<T>(cols, x);
  let inv: T = <T>1;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * end;
    const yr = y + <usize>r * end;
    const yp = r > 0 ? yr - end : yr;
    const xn = r + 1 < rows ? xr + end : xr;
    let i: usize = 0;
    let sum: T = <T>0;
    let mNext: T = <T>-Infinity;
    if (ASC_FEATURE_SIMD) {
      const mv = v128.splat<T>(m), iv = v128.splat<T>(inv);
      let sv = v128.splat<T>(<T>0);
      let mx = v128.splat<T>(<T>-Infinity);
      for (; i + 4 * VBYTES <= end; i += 4 * VBYTES) {
        const e = expScaledUpV<T>(v128.sub<T>(v128.load(xr + i), mv));
        const f = expScaledUpV<T>(v128.sub<T>(v128.load(xr + i, VBYTES), mv));
        const g = expScaledUpV<T>(v128.sub<T>(v128.load(xr + i, 2 * VBYTES), mv));
        const h = expScaledUpV<T>(v128.sub<T>(v128.load(xr + i, 3 * VBYTES), mv));
        v128.store(yr + i, e);
        v128.store(yr + i, f, VBYTES);
        v128.store(yr + i, g, 2 * VBYTES);
        v128.store(yr + i, h, 3 * VBYTES);
        // one accumulator, fed a sum of four: a second one costs V8 a register it spills for
        sv = v128.add<T>(sv, v128.add<T>(v128.add<T>(e, g), v128.add<T>(f, h)));
        v128.store(yp + i, v128.mul<T>(v128.load(yp + i), iv));
        v128.store(yp + i, v128.mul<T>(v128.load(yp + i, VBYTES), iv), VBYTES);
        v128.store(yp + i, v128.mul<T>(v128.load(yp + i, 2 * VBYTES), iv), 2 * VBYTES);
        v128.store(yp + i, v128.mul<T>(v128.load(yp + i, 3 * VBYTES), iv), 3 * VBYTES);
        mx = v128.pmax<T>(mx, v128.pmax<T>(v128.pmax<T>(v128.load(xn + i), v128.load(xn + i, VBYTES)),
          v128.pmax<T>(v128.load(xn + i, 2 * VBYTES), v128.load(xn + i, 3 * VBYTES))));
      }
      for (; i + VBYTES <= end; i += VBYTES) {
        const e = expScaledUpV<T>(v128.sub<T>(v128.load(xr + i), mv));
        v128.store(yr + i, e);
        sv = v128.add<T>(sv, e);
        v128.store(yp + i, v128.mul<T>(v128.load(yp + i), iv));
        mx = v128.pmax<T>(mx, v128.load(xn + i));
      }
      sum = hsum<T>(sv);
      mNext = hmax<T>(mx);
    }
    for (; i < end; i += S) {
      const e = expScaledUpS<T>(load<T>(xr + i) - m);
      store<T>(yr + i, e);
      sum += e;
      store<T>(yp + i, load<T>(yp + i) * inv);
      mNext = max<T>(mNext, load<T>(xn + i));
    }
    m = mNext;
    inv = <T>1 / sum;
  }
  const last = y + <usize>(rows - 1) * end;
  scale<T>(cols, inv, last, last);
}

// Row-wise: dx = y * (dy - sum(dy * y)).
// @ts-ignore: decorator
@inline function softmaxBackward<T>(rows: i32, cols: i32, dy: usize, y: usize, dx: usize): void {
  const S = <usize>sizeof<T>();
  const end = <usize>cols * S;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * end;
    let i: usize = 0;
    let dot: T = <T>0;
    if (ASC_FEATURE_SIMD) {
      let dv = v128.splat<T>(<T>0);
      for (; i + VBYTES <= end; i += VBYTES) {
        dv = v128.add<T>(dv, v128.mul<T>(v128.load(dy + o + i), v128.load(y + o + i)));
      }
      dot = hsum<T>(dv);
    }
    for (; i < end; i += S) dot += load<T>(dy + o + i) * load<T>(y + o + i);
    i = 0;
    if (ASC_FEATURE_SIMD) {
      const dotv = v128.splat<T>(dot);
      for (; i + VBYTES <= end; i += VBYTES) {
        const g = v128.sub<T>(v128.load(dy + o + i), dotv);
        v128.store(dx + o + i, v128.mul<T>(v128.load(y + o + i), g));
      }
    }
    for (; i < end; i += S) store<T>(dx + o + i, load<T>(y + o + i) * (load<T>(dy + o + i) - dot));
  }
}

export function relu_f32(n: i32, x: usize, y: usize): void { mapUnary<f32>(RELU, n, x, y); }
export function relu_f64(n: i32, x: usize, y: usize): void { mapUnary<f64>(RELU, n, x, y); }
export function add_bias_f32(rows: i32, cols: i32, x: usize, b: usize, y: usize): void { mapRowsBias<f32>(NONE, rows, cols, x, b, y); }
export function add_bias_f64(rows: i32, cols: i32, x: usize, b: usize, y: usize): void { mapRowsBias<f64>(NONE, rows, cols, x, b, y); }
export function add_bias_relu_f32(rows: i32, cols: i32, x: usize, b: usize, y: usize): void { mapRowsBias<f32>(RELU, rows, cols, x, b, y); }
export function add_bias_relu_f64(rows: i32, cols: i32, x: usize, b: usize, y: usize): void { mapRowsBias<f64>(RELU, rows, cols, x, b, y); }
export function add_bias_sigmoid_f32(rows: i32, cols: i32, x: usize, b: usize, y: usize): void { mapRowsBias<f32>(SIGMOID, rows, cols, x, b, y); }
export function add_bias_sigmoid_f64(rows: i32, cols: i32, x: usize, b: usize, y: usize): void { mapRowsBias<f64>(SIGMOID, rows, cols, x, b, y); }
export function add_bias_tanh_f32(rows: i32, cols: i32, x: usize, b: usize, y: usize): void { mapRowsBias<f32>(TANH, rows, cols, x, b, y); }
export function add_bias_tanh_f64(rows: i32, cols: i32, x: usize, b: usize, y: usize): void { mapRowsBias<f64>(TANH, rows, cols, x, b, y); }
export function relu_backward_f32(n: i32, dy: usize, y: usize, dx: usize): void { mapBackward<f32>(RELU, n, dy, y, dx); }
export function relu_backward_f64(n: i32, dy: usize, y: usize, dx: usize): void { mapBackward<f64>(RELU, n, dy, y, dx); }
export function sigmoid_f32(n: i32, x: usize, y: usize): void { mapUnary<f32>(SIGMOID, n, x, y); }
export function sigmoid_f64(n: i32, x: usize, y: usize): void { mapUnary<f64>(SIGMOID, n, x, y); }
export function sigmoid_backward_f32(n: i32, dy: usize, y: usize, dx: usize): void { mapBackward<f32>(SIGMOID, n, dy, y, dx); }
export function sigmoid_backward_f64(n: i32, dy: usize, y: usize, dx: usize): void { mapBackward<f64>(SIGMOID, n, dy, y, dx); }
export function tanh_f32(n: i32, x: usize, y: usize): void { mapUnary<f32>(TANH, n, x, y); }
export function tanh_f64(n: i32, x: usize, y: usize): void { mapUnary<f64>(TANH, n, x, y); }
export function tanh_backward_f32(n: i32, dy: usize, y: usize, dx: usize): void { mapBackward<f32>(TANH, n, dy, y, dx); }
export function tanh_backward_f64(n: i32, dy: usize, y: usize, dx: usize): void { mapBackward<f64>(TANH, n, dy, y, dx); }
export function softmax_f32(rows: i32, cols: i32, x: usize, y: usize): void { softmax<f32>(rows, cols, x, y); }
export function softmax_f64(rows: i32, cols: i32, x: usize, y: usize): void { softmax<f64>(rows, cols, x, y); }
export function softmax_backward_f32(rows: i32, cols: i32, dy: usize, y: usize, dx: usize): void { softmaxBackward<f32>(rows, cols, dy, y, dx); }
export function softmax_backward_f64(rows: i32, cols: i32, dy: usize, y: usize, dx: usize): void { softmaxBackward<f64>(rows, cols, dy, y, dx); }
