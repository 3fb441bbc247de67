// batchNorm() held to PyTorch's BatchNorm1d (test/fixtures/batchnorm/steps.json, written by
// scripts/fixtures_batchnorm.py with PyTorch 2.13): the same nets from the same state, four SGD
// steps (lr 0.1) on the same batches; after each step the loss, every gradient, the running
// statistics and the eval-mode outputs, on both backends, both dtypes, and 1 and 3 threads.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as dl from '../../src/index.js';
import { MIN_SHARE } from '../../src/backends/wasm/threads/split.js';
import { maxRelError } from '../helpers.js';

type LayerSpec = [string, ...(number | boolean)[]];
interface Step {
  x: number[][];
  y: number[];
  loss: number;
  grads: Record<string, number[]>;
  running: Record<string, number[]>;
  eval: number[];
}
interface Run {
  name: string;
  dtype: dl.DType;
  inputSize: number;
  layers: LayerSpec[];
  loss: dl.LossName;
  state: Record<string, number[]>;
  testX: number[][];
  steps: Step[];
}
const { nets } = JSON.parse(readFileSync(new URL('../fixtures/batchnorm/steps.json', import.meta.url), 'utf8')) as {
  nets: Run[];
};

const layerOf = ([kind, a, b, c]: LayerSpec): dl.Layer => {
  if (kind === 'dense') return dl.dense(a as number);
  if (kind === 'batchNorm') return dl.batchNorm({ momentum: a as number, epsilon: b as number, affine: c as boolean });
  return { relu: dl.relu, tanh: dl.tanh, sigmoid: dl.sigmoid, softmax: dl.softmax }[kind as 'relu']();
};

/** PyTorch's state_dict names, layer by layer: <i>.weight, .bias, .running_mean, .running_var */
function torchName(run: Run, ours: string): string {
  const [layer, param] = ours.split('.');
  const index = run.layers.findIndex((_, i) => {
    const kinds = run.layers.slice(0, i + 1).filter((l) => l[0] === run.layers[i][0]).length;
    return `${run.layers[i][0]}${kinds}` === layer;
  });
  const torchIndex = run.layers.slice(0, index).filter((l) => l[0] !== 'softmax').length;
  const map: Record<string, string> = {
    W: 'weight',
    b: 'bias',
    gamma: 'weight',
    beta: 'bias',
    runningMean: 'running_mean',
    runningVar: 'running_var',
  };
  return `${torchIndex}.${map[param]}`;
}

const configs = [
  { label: 'js', make: (dtype: dl.DType) => dl.createBackend('js', { dtype }) },
  { label: 'wasm, 1 thread', make: (dtype: dl.DType) => dl.createBackend('wasm', { dtype, threads: 1 }) },
  { label: 'wasm, 3 threads', make: (dtype: dl.DType) => dl.createBackend('wasm', { dtype, threads: 3 }) },
];

describe.each(configs)('batchNorm against PyTorch on $label', ({ make }) => {
  it.each(nets.map((r) => [`${r.name} ${r.dtype}`, r] as const))('%s: four steps', async (_, run) => {
    const saved = { ...MIN_SHARE };
    Object.assign(MIN_SHARE, { matmul: 1, cheap: 1, costly: 1 }); // every op splits, down to a few elements
    try {
      const backend = await make(run.dtype);
      const model = dl.sequential(run.layers.map(layerOf), { inputSize: run.inputSize, backend, seed: 1 });
      model.setWeights(model.getWeights().map((w) => ({ name: w.name, data: run.state[torchName(run, w.name)] })));
      const tol = run.dtype === 'float64' ? 1e-12 : 2e-5;
      // PyTorch's weights step by step: its SGD is w + (−lr)·g, so they follow from its gradients
      const torchW = new Map(Object.entries(run.state).map(([k, v]) => [k, Float64Array.from(v)]));
      for (const [i, step] of run.steps.entries()) {
        const at = `step ${i + 1}`;
        // the gradients, before the step changes the weights: gradCheck's backprop values (entries
        // by a ReLU kink are reported apart), and gradCheck passes (training-mode statistics)
        const g = dl.gradCheck(model, step.x, step.y, { loss: run.loss, worst: 100000 });
        if (run.dtype === 'float64') expect(g.passed, `${at} gradCheck ${g.difference}`).toBe(true);
        for (const e of g.worst) {
          const want = step.grads[torchName(run, `${e.layer}.${e.param}`)][e.index];
          expect(Math.abs(e.analytic - want), `${at} d${e.layer}.${e.param}[${e.index}]`).toBeLessThanOrEqual(
            tol * Math.max(1, Math.abs(want)),
          );
        }
        const h = model.fit(step.x, step.y, {
          loss: run.loss,
          optimizer: dl.sgd({ learningRate: 0.1 }),
          epochs: 1,
          shuffle: false,
        });
        expect(Math.abs(h.loss[0] - step.loss) / step.loss, `${at} loss`).toBeLessThanOrEqual(tol);
        for (const [k, gr] of Object.entries(step.grads)) {
          const w = torchW.get(k)!;
          gr.forEach((v, j) => {
            w[j] += -0.1 * v;
          });
        }
        for (const w of model.getWeights()) {
          const name = torchName(run, w.name);
          const want = name.includes('running') ? step.running[name] : torchW.get(name)!;
          expect(maxRelError(w.data, want, 1), `${at} ${w.name}`).toBeLessThanOrEqual(tol);
        }
        expect(maxRelError(model.predict(run.testX).data, step.eval, 1), `${at} eval outputs`).toBeLessThanOrEqual(tol);
      }
      model.dispose();
      expect(backend.memory().tensors).toBe(0);
      backend.dispose();
    } finally {
      Object.assign(MIN_SHARE, saved);
    }
  });
});
