// Every layer, loss and the L2 term pass gradCheck on every backend and dtype; a planted
// wrong backward fails it and is named.
import { describe, expect, it } from 'vitest';
import {
  BufferCache,
  Dense,
  dense,
  dropout,
  gradCheck,
  gradCheckFunction,
  relu,
  sequential,
  sigmoid,
  softmax,
  tanh,
  type BuildContext,
  type Layer,
  type LossName,
  type Tensor,
} from '../../src/index.js';
import { CONFIGS, randomData } from '../helpers.js';

const m = 7;
const x = { rows: m, cols: 3, data: randomData(m * 3, 11, 'float64', -2, 2) };
const y01 = [1, 0, 0, 1, 1, 0, 1];
const ids = [0, 2, 1, 2, 0, 1, 1];
const yReal = { rows: m, cols: 2, data: randomData(m * 2, 12, 'float64') };

const CASES: { name: string; layers: () => Layer[]; loss: LossName; y: unknown; l2?: number }[] = [
  {
    name: 'dense, relu, tanh, dropout, sigmoid + binaryCrossEntropy + L2',
    loss: 'binaryCrossEntropy',
    y: y01,
    l2: 0.7,
    layers: () => [dense(5), relu(), dense(4, { init: 'xavier' }), tanh(), dropout(0.3), dense(1), sigmoid()],
  },
  {
    name: 'sigmoid hidden, softmax + categoricalCrossEntropy',
    loss: 'categoricalCrossEntropy',
    y: ids,
    layers: () => [dense(6, { init: 'xavier' }), sigmoid(), dense(3, { init: 'xavier' }), softmax()],
  },
  {
    name: 'softmax hidden, no bias, meanSquaredError + L2',
    loss: 'meanSquaredError',
    y: yReal,
    l2: 0.1,
    layers: () => [
      dense(4, { useBias: false, init: 'xavier' }),
      softmax(),
      dense(5, { init: 'xavier' }),
      tanh(),
      dense(2, { init: 'xavier' }),
    ],
  },
];

/** dense whose backward gets dW wrong by 10%: gradCheck must catch it. */
class BrokenDense extends Dense {
  override backward(dz: Tensor, needInputGrad: boolean): Tensor | null {
    const dx = super.backward(dz, needInputGrad);
    dz.backend.scale(this.W.grad, 1.1, this.W.grad);
    return dx;
  }
}

/** A layer of the user's own, written against the Layer interface: y = x², dx = 2x·dy. */
class Square implements Layer {
  readonly type = 'square';
  name = 'square';
  private x: Tensor | null = null;
  private bufs!: BufferCache;
  private width = 0;
  build(inputSize: number, { backend }: BuildContext): number {
    this.width = inputSize;
    this.bufs = new BufferCache(backend);
    return inputSize;
  }
  params() {
    return [];
  }
  forward(x: Tensor): Tensor {
    this.x = x;
    return x.backend.mul(x, x, this.bufs.get('y', x.rows, this.width));
  }
  backward(dy: Tensor): Tensor {
    const dx = this.bufs.get('dx', dy.rows, this.width);
    dy.backend.mul(dy, this.x!, dx);
    return dy.backend.scale(dx, 2, dx);
  }
  config() {
    return {};
  }
  dispose() {
    this.bufs?.dispose();
  }
}

describe.each(CONFIGS)('gradCheck on $label', ({ make, dtype }) => {
  it("a layer of the user's own passes", async () => {
    const backend = await make();
    const model = sequential([dense(4, { init: 'xavier' }), new Square(), dense(1, { init: 'xavier' }), sigmoid()], {
      inputSize: 3,
      backend,
      seed: 6,
    });
    expect(model.layers[1].name).toBe('square1');
    const r = gradCheck(model, x, y01, { loss: 'binaryCrossEntropy' });
    expect(r.passed, `difference ${r.difference}`).toBe(true);
  });

  it.each(CASES)('$name passes', async ({ layers, loss, y, l2 }) => {
    const backend = await make();
    const model = sequential(layers(), { inputSize: 3, backend, seed: 3 });
    model.step = 5; // some step whose dropout mask drops units
    const before = model.getWeights();
    const r = gradCheck(model, x, y as number[], { loss, l2 });
    expect(r.passed, `difference ${r.difference} (threshold ${r.threshold})`).toBe(true);
    expect(r.threshold).toBe(dtype === 'float64' ? 2e-7 : 2e-2);
    expect(r.checked + r.kinks.count).toBe(model.namedParams().reduce((s, p) => s + p.param.value.size, 0));
    // the model is left exactly as it was
    expect(model.getWeights()).toEqual(before);
    expect(model.step).toBe(5);
  });

  it('a planted wrong backward fails and is named', async () => {
    const backend = await make();
    const model = sequential([dense(4), relu(), new BrokenDense(3, { init: 'xavier' }), tanh(), dense(1), sigmoid()], {
      inputSize: 3,
      backend,
      seed: 1,
    });
    const r = gradCheck(model, x, y01, { loss: 'binaryCrossEntropy' });
    expect(r.passed).toBe(false);
    expect(r.difference).toBeGreaterThan(r.threshold);
    expect(r.worst[0].layer).toBe('dense2');
    expect(r.worst[0].param).toBe('W');
  });

  it('maxChecks samples a seeded subset', async () => {
    const backend = await make();
    const model = sequential([dense(8), relu(), dense(1), sigmoid()], { inputSize: 3, backend, seed: 2 });
    const r = gradCheck(model, x, y01, { loss: 'binaryCrossEntropy', maxChecks: 10, seed: 4 });
    expect(r.checked).toBe(10);
    expect(r.passed).toBe(true);
  });
});

describe('gradCheckFunction', () => {
  it('passes a right gradient and fails a wrong one', () => {
    // f(θ) = Σ sin(θ_i)·θ_{i+1} + θ_0³
    const f = (wrong: boolean) => (t: Float64Array) => {
      let cost = t[0] ** 3;
      const grad = new Float64Array(t.length);
      grad[0] = 3 * t[0] ** 2;
      for (let i = 0; i + 1 < t.length; i++) {
        cost += Math.sin(t[i]) * t[i + 1];
        grad[i] += Math.cos(t[i]) * t[i + 1];
        grad[i + 1] += Math.sin(t[i]) * (wrong && i === 2 ? 2 : 1);
      }
      return { cost, grad };
    };
    const theta = [0.3, -1.2, 0.7, 2.0, -0.4];
    expect(gradCheckFunction(f(false), theta).passed).toBe(true);
    const bad = gradCheckFunction(f(true), theta);
    expect(bad.passed).toBe(false);
    expect(bad.worst[0].index).toBe(3);
  });
});
