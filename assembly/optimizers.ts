// Parameter updates, in place. (Plain SGD is axpy: w += -lr·g.)

// @ts-ignore: decorator
@inline const VBYTES: usize = 16;

// v = beta·v + (1 - beta)·g;  w -= lr·v
// @ts-ignore: decorator
@inline function momentumUpdate<T>(n: i32, lr: T, beta: T, w: usize, g: usize, v: usize): void {
  const S = <usize>sizeof<T>();
  const end = <usize>n * S;
  const omb = <T>1 - beta;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const lrv = v128.splat<T>(lr), bv = v128.splat<T>(beta), ombv = v128.splat<T>(omb);
    for (; i + VBYTES <= end; i += VBYTES) {
      const vv = v128.add<T>(v128.mul<T>(bv, v128.load(v + i)), v128.mul<T>(ombv, v128.load(g + i)));
      v128.store(v + i, vv);
      v128.store(w + i, v128.sub<T>(v128.load(w + i), v128.mul<T>(lrv, vv)));
    }
  }
  for (; i < end; i += S) {
    const vv = beta * load<T>(v + i) + omb * load<T>(g + i);
    store<T>(v + i, vv);
    store<T>(w + i, load<T>(w + i) - lr * vv);
  }
}

// RMSprop (Hinton): s = beta·s + (1 - beta)·g²;  w -= lr·g / (sqrt(s) + eps)
// @ts-ignore: decorator
@inline function rmspropUpdate<T>(n: i32, lr: T, beta: T, eps: T, w: usize, g: usize, s: usize): void {
  const S = <usize>sizeof<T>();
  const end = <usize>n * S;
  const omb = <T>1 - beta;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const lrv = v128.splat<T>(lr), bv = v128.splat<T>(beta), ombv = v128.splat<T>(omb), ev = v128.splat<T>(eps);
    for (; i + VBYTES <= end; i += VBYTES) {
      const gv = v128.load(g + i);
      const sv = v128.add<T>(v128.mul<T>(bv, v128.load(s + i)), v128.mul<T>(ombv, v128.mul<T>(gv, gv)));
      v128.store(s + i, sv);
      const step = v128.div<T>(v128.mul<T>(lrv, gv), v128.add<T>(v128.sqrt<T>(sv), ev));
      v128.store(w + i, v128.sub<T>(v128.load(w + i), step));
    }
  }
  for (; i < end; i += S) {
    const gv = load<T>(g + i);
    const sv = beta * load<T>(s + i) + omb * (gv * gv);
    store<T>(s + i, sv);
    store<T>(w + i, load<T>(w + i) - (lr * gv) / (sqrt<T>(sv) + eps));
  }
}

// Adagrad (Duchi et al.): s += g²;  w -= lr·g / (sqrt(s) + eps)
// @ts-ignore: decorator
@inline function adagradUpdate<T>(n: i32, lr: T, eps: T, w: usize, g: usize, s: usize): void {
  const S = <usize>sizeof<T>();
  const end = <usize>n * S;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const lrv = v128.splat<T>(lr), ev = v128.splat<T>(eps);
    for (; i + VBYTES <= end; i += VBYTES) {
      const gv = v128.load(g + i);
      const sv = v128.add<T>(v128.load(s + i), v128.mul<T>(gv, gv));
      v128.store(s + i, sv);
      const step = v128.div<T>(v128.mul<T>(lrv, gv), v128.add<T>(v128.sqrt<T>(sv), ev));
      v128.store(w + i, v128.sub<T>(v128.load(w + i), step));
    }
  }
  for (; i < end; i += S) {
    const gv = load<T>(g + i);
    const sv = load<T>(s + i) + gv * gv;
    store<T>(s + i, sv);
    store<T>(w + i, load<T>(w + i) - (lr * gv) / (sqrt<T>(sv) + eps));
  }
}

// Adam (Kingma & Ba): m = b1·m + (1-b1)·g; v = b2·v + (1-b2)·g²;
// w -= lr · (m / c1) / (sqrt(v / c2) + eps), with c1 = 1 - b1^t, c2 = 1 - b2^t.
// @ts-ignore: decorator
@inline function adamUpdate<T>(n: i32, lr: T, b1: T, b2: T, eps: T, c1: T, c2: T,
  w: usize, g: usize, m: usize, v: usize): void {
  const S = <usize>sizeof<T>();
  const end = <usize>n * S;
  const omb1 = <T>1 - b1, omb2 = <T>1 - b2;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const lrv = v128.splat<T>(lr), b1v = v128.splat<T>(b1), b2v = v128.splat<T>(b2);
    const o1 = v128.splat<T>(omb1), o2 = v128.splat<T>(omb2), ev = v128.splat<T>(eps);
    const c1v = v128.splat<T>(c1), c2v = v128.splat<T>(c2);
    for (; i + VBYTES <= end; i += VBYTES) {
      const gv = v128.load(g + i);
      const mv = v128.add<T>(v128.mul<T>(b1v, v128.load(m + i)), v128.mul<T>(o1, gv));
      const vv = v128.add<T>(v128.mul<T>(b2v, v128.load(v + i)), v128.mul<T>(o2, v128.mul<T>(gv, gv)));
      v128.store(m + i, mv);
      v128.store(v + i, vv);
      const den = v128.add<T>(v128.sqrt<T>(v128.div<T>(vv, c2v)), ev);
      const step = v128.div<T>(v128.mul<T>(lrv, v128.div<T>(mv, c1v)), den);
      v128.store(w + i, v128.sub<T>(v128.load(w + i), step));
    }
  }
  for (; i < end; i += S) {
    const gv = load<T>(g + i);
    const mv = b1 * load<T>(m + i) + omb1 * gv;
    const vv = b2 * load<T>(v + i) + omb2 * (gv * gv);
    store<T>(m + i, mv);
    store<T>(v + i, vv);
    store<T>(w + i, load<T>(w + i) - (lr * (mv / c1)) / (sqrt<T>(vv / c2) + eps));
  }
}

export function momentum_update_f32(n: i32, lr: f32, beta: f32, w: usize, g: usize, v: usize): void { momentumUpdate<f32>(n, lr, beta, w, g, v); }
export function momentum_update_f64(n: i32, lr: f64, beta: f64, w: usize, g: usize, v: usize): void { momentumUpdate<f64>(n, lr, beta, w, g, v); }
export function adam_update_f32(n: i32, lr: f32, b1: f32, b2: f32, eps: f32, c1: f32, c2: f32, w: usize, g: usize, m: usize, v: usize): void {
  adamUpdate<f32>(n, lr, b1, b2, eps, c1, c2, w, g, m, v);
}
export function adam_update_f64(n: i32, lr: f64, b1: f64, b2: f64, eps: f64, c1: f64, c2: f64, w: usize, g: usize, m: usize, v: usize): void {
  adamUpdate<f64>(n, lr, b1, b2, eps, c1, c2, w, g, m, v);
}
export function rmsprop_update_f32(n: i32, lr: f32, beta: f32, eps: f32, w: usize, g: usize, s: usize): void { rmspropUpdate<f32>(n, lr, beta, eps, w, g, s); }
export function rmsprop_update_f64(n: i32, lr: f64, beta: f64, eps: f64, w: usize, g: usize, s: usize): void { rmspropUpdate<f64>(n, lr, beta, eps, w, g, s); }
export function adagrad_update_f32(n: i32, lr: f32, eps: f32, w: usize, g: usize, s: usize): void { adagradUpdate<f32>(n, lr, eps, w, g, s); }
export function adagrad_update_f64(n: i32, lr: f64, eps: f64, w: usize, g: usize, s: usize): void { adagradUpdate<f64>(n, lr, eps, w, g, s); }
