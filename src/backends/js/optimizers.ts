// Parameter updates, reference semantics (see assembly/optimizers.ts).
import type { FloatArray } from '../../core/matrix.js';

/** v = beta·v + (1 - beta)·g;  w -= lr·v */
export function momentumUpdate(n: number, lr: number, beta: number, w: FloatArray, g: FloatArray, v: FloatArray): void {
  for (let i = 0; i < n; i++) {
    v[i] = beta * v[i] + (1 - beta) * g[i];
    w[i] -= lr * v[i];
  }
}

/** Adagrad: s += g²;  w -= lr·g / (sqrt(s) + eps) */
export function adagradUpdate(n: number, lr: number, eps: number, w: FloatArray, g: FloatArray, s: FloatArray): void {
  for (let i = 0; i < n; i++) {
    s[i] += g[i] * g[i];
    w[i] -= (lr * g[i]) / (Math.sqrt(s[i]) + eps);
  }
}

/** RMSprop: s = beta·s + (1 - beta)·g²;  w -= lr·g / (sqrt(s) + eps) */
export function rmspropUpdate(
  n: number,
  lr: number,
  beta: number,
  eps: number,
  w: FloatArray,
  g: FloatArray,
  s: FloatArray,
): void {
  for (let i = 0; i < n; i++) {
    s[i] = beta * s[i] + (1 - beta) * g[i] * g[i];
    w[i] -= (lr * g[i]) / (Math.sqrt(s[i]) + eps);
  }
}

/** Adam: m, v moving averages of g and g²; w -= lr·(m/c1) / (sqrt(v/c2) + eps). */
export function adamUpdate(
  n: number,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
  c1: number,
  c2: number,
  w: FloatArray,
  g: FloatArray,
  m: FloatArray,
  v: FloatArray,
): void {
  for (let i = 0; i < n; i++) {
    const gv = g[i];
    m[i] = b1 * m[i] + (1 - b1) * gv;
    v[i] = b2 * v[i] + (1 - b2) * gv * gv;
    w[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
  }
}
