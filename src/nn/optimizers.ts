// Optimizers: each update runs on the backend (a kernel on wasm), in place.
import type { Backend, Tensor } from '../backends/backend.js';
import type { Param } from './layer.js';

export interface Optimizer {
  readonly name: string;
  readonly config: Record<string, number>;
  /** one step over all parameters; `t` counts steps from 1 */
  update(be: Backend, params: Param[], t: number): void;
  /** frees the optimizer's state (velocities, moments) */
  dispose(): void;
}

function positive(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`${what} must be a positive finite number, got ${String(v)}`);
  return v;
}

function fraction(v: unknown, what: string): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new Error(`${what} must be in [0, 1), got ${String(v)}`);
  return v;
}

/** State tensors per parameter, created on first use. */
class Slots {
  private readonly map = new Map<Tensor, Tensor[]>();
  get(p: Param, n: number): Tensor[] {
    let s = this.map.get(p.value);
    if (!s) {
      s = Array.from({ length: n }, () => p.value.backend.zeros(p.value.rows, p.value.cols));
      this.map.set(p.value, s);
    }
    return s;
  }
  dispose(): void {
    for (const s of this.map.values()) for (const t of s) t.dispose();
    this.map.clear();
  }
}

/** Plain gradient descent: w −= lr·g. */
export function sgd(opts: { learningRate?: number } = {}): Optimizer {
  const lr = positive(opts.learningRate ?? 0.01, 'sgd: learningRate');
  return {
    name: 'sgd',
    config: { learningRate: lr },
    update(be, params) { for (const p of params) be.axpy(-lr, p.grad, p.value); },
    dispose() {},
  };
}

/** Momentum, as in the course: v = β·v + (1−β)·g; w −= lr·v. */
export function momentum(opts: { learningRate?: number; beta?: number } = {}): Optimizer {
  const lr = positive(opts.learningRate ?? 0.01, 'momentum: learningRate');
  const beta = fraction(opts.beta ?? 0.9, 'momentum: beta');
  const slots = new Slots();
  return {
    name: 'momentum',
    config: { learningRate: lr, beta },
    update(be, params) {
      for (const p of params) be.momentumUpdate(p.value, p.grad, slots.get(p, 1)[0], lr, beta);
    },
    dispose() { slots.dispose(); },
  };
}

/** Adam (Kingma & Ba, 2015), with their defaults. */
export function adam(opts: { learningRate?: number; beta1?: number; beta2?: number; epsilon?: number } = {}): Optimizer {
  const lr = positive(opts.learningRate ?? 0.001, 'adam: learningRate');
  const beta1 = fraction(opts.beta1 ?? 0.9, 'adam: beta1');
  const beta2 = fraction(opts.beta2 ?? 0.999, 'adam: beta2');
  const epsilon = positive(opts.epsilon ?? 1e-8, 'adam: epsilon');
  const slots = new Slots();
  return {
    name: 'adam',
    config: { learningRate: lr, beta1, beta2, epsilon },
    update(be, params, t) {
      for (const p of params) {
        const [m, v] = slots.get(p, 2);
        be.adamUpdate(p.value, p.grad, m, v, { lr, beta1, beta2, epsilon, t });
      }
    },
    dispose() { slots.dispose(); },
  };
}
