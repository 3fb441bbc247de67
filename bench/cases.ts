// The cases the Node benches time (bench/run.ts: every backend and TF.js; bench/threads.ts: 1
// thread against N), one definition each.
import * as lib from '../src/index.js';
import type { Backend, Tensor } from '../src/index.js';
import { OPS, type OpName } from '../src/backends/ops.js';
import { CALLS } from '../test/ops/calls.js';
import { tf, tfl } from './tfjs.js';
export interface Setup {
  run: () => unknown;
  dispose: () => void;
}
/** The package's API: this tree's by default, or another build's (bench/versus.ts). */
export type Lib = typeof lib;

export interface Case {
  group: 'matmul' | 'activation' | 'op' | 'train';
  label: string;
  /** work per call: flops (matmul), elements (activations), or training steps per call */
  work: number;
  unit: 'GFLOPS' | 'Gelem/s' | 'ms/step';
  /** too slow for the reference backends beyond this: they get one call a round */
  heavy?: boolean;
  /** TF.js's cpu backend takes 100 ms or more a call: --quick leaves it out */
  cpuSlow?: boolean;
  ours: (be: Backend, dl?: Lib) => Setup;
  tfjs?: () => Setup;
  /** the slow backends (js, tfjs-cpu) skip this case */
  fastOnly?: boolean;
}

const fill = (n: number, lo = -1, hi = 1) => {
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = lo + (hi - lo) * (0.5 + 0.5 * Math.sin(i * 12.9898));
  return d;
};
const filled = (be: Backend, rows: number, cols: number, lo = -1, hi = 1): Tensor =>
  be.tensor({ rows, cols, data: fill(rows * cols, lo, hi) });

export const FORMS = [
  { name: 'A·B', transA: false, transB: false },
  { name: 'A·Bᵀ', transA: false, transB: true },
  { name: 'Aᵀ·B', transA: true, transB: false },
];

export function matmulCase(M: number, N: number, K: number, f: (typeof FORMS)[number], label: string): Case {
  return {
    group: 'matmul',
    label: `matmul ${f.name} ${label}`,
    work: 2 * M * N * K,
    unit: 'GFLOPS',
    heavy: 2 * M * N * K > 5e8,
    cpuSlow: 2 * M * N * K > 1e8,
    ours(be) {
      const a = f.transA ? filled(be, K, M) : filled(be, M, K);
      const b = f.transB ? filled(be, N, K) : filled(be, K, N);
      const c = be.zeros(M, N);
      return {
        run: () => be.matmul(a, b, { transA: f.transA, transB: f.transB, out: c }),
        dispose: () => [a, b, c].forEach((t) => t.dispose()),
      };
    },
    tfjs() {
      const a = tf.tensor2d(fill(M * K), f.transA ? [K, M] : [M, K]);
      const b = tf.tensor2d(fill(K * N), f.transB ? [N, K] : [K, N]);
      return {
        run: () => tf.matMul(a, b, f.transA, f.transB).dispose(),
        dispose: () => {
          a.dispose();
          b.dispose();
        },
      };
    },
  };
}

/**
 * Any op of the table (src/backends/ops.ts) on 1024×1024 elements, its operands made from the
 * table's roles and called as test/ops/calls.ts calls it: a case for every op, with no list to
 * keep. (Each call allocates its output and frees it: for comparing builds, not for the record.)
 */
export function opCase(op: OpName): Case {
  const rows = 1024,
    cols = 1024;
  return {
    group: 'op',
    label: `${op} 1M`,
    work: rows * cols,
    unit: 'Gelem/s',
    ours(be) {
      const given = OPS[op].operands.flatMap(([, role], i) => {
        if ((role === 'out' || role === 'outRow') && i > 0) return [];
        const [lo, hi] = CALLS[op].domain?.[i] ?? [-3, 3];
        return [filled(be, role === 'row' ? 1 : rows, cols, lo, hi)];
      });
      return {
        run: () => {
          const r = CALLS[op].call(be, given);
          if (r && typeof r === 'object' && !given.includes(r)) r.dispose();
        },
        dispose: () => {
          for (const t of given) t.dispose();
        },
      };
    },
  };
}

export const ACTS = ['relu', 'sigmoid', 'tanh', 'softmax'] as const;
export function activationCase(op: (typeof ACTS)[number]): Case {
  const n = 1 << 20;
  // softmax row-wise over rows of 1024; the others over one long row
  const [rows, cols] = op === 'softmax' ? [1024, 1024] : [1, n];
  return {
    group: 'activation',
    label: `${op} 1M`,
    work: n,
    unit: 'Gelem/s',
    ours(be) {
      const x = filled(be, rows, cols, -8, 8),
        y = be.zeros(rows, cols);
      return {
        run: () => be[op](x, y),
        dispose: () => {
          x.dispose();
          y.dispose();
        },
      };
    },
    tfjs() {
      const x = tf.tensor2d(fill(n, -8, 8), [rows, cols]);
      return { run: () => tf[op](x).dispose(), dispose: () => x.dispose() };
    },
  };
}

/** The MLP 784→256→128→10 (relu, relu, softmax; dropout 0.2 after the first layer; L2 1e-4; SGD), batch 128. */
/** The MLP training step; with batchNorm, a batch norm after each hidden dense layer (before relu). */
export function mlpCase(opts: { batchNorm?: boolean } = {}): Case {
  const B = 128,
    bn = !!opts.batchNorm;
  const labels = (k: number) => {
    const y = new Float32Array(B * k);
    for (let i = 0; i < B; i++) y[i * k + (i % k)] = 1;
    return y;
  };
  return {
    group: 'train',
    label: bn ? 'MLP 784-256-128-10 step with batch norm, batch 128' : 'MLP 784-256-128-10 step, batch 128',
    work: 4,
    unit: 'ms/step',
    cpuSlow: true,
    ours(be, dl = lib) {
      const { dense, dropout, relu, sequential, sgd, softmax } = dl;
      const norm = () => (bn ? [dl.batchNorm()] : []);
      const model = sequential(
        [
          dense(256),
          ...norm(),
          relu(),
          dropout(0.2),
          dense(128),
          ...norm(),
          relu(),
          dense(10, { init: 'xavier' }),
          softmax(),
        ],
        { inputSize: 784, backend: be, seed: 1 },
      );
      const x = filled(be, B, 784, 0, 1),
        y = be.tensor({ rows: B, cols: 10, data: labels(10) });
      const opt = sgd({ learningRate: 0.01 });
      return {
        // 4 steps a call, as in a training loop; batch = the 128 examples
        run: () => model.fit(x, y, { loss: 'categoricalCrossEntropy', optimizer: opt, epochs: 4, l2: 1e-4 }),
        dispose: () => {
          model.dispose();
          x.dispose();
          y.dispose();
        },
      };
    },
    tfjs() {
      const reg = () => tfl.regularizers.l2({ l2: 1e-4 });
      const hidden = (units: number, first: boolean) =>
        bn
          ? [
              tfl.layers.dense({ ...(first ? { inputShape: [784] } : {}), units, kernelRegularizer: reg() }),
              tfl.layers.batchNormalization(),
              tfl.layers.activation({ activation: 'relu' }),
            ]
          : [
              tfl.layers.dense({
                ...(first ? { inputShape: [784] } : {}),
                units,
                activation: 'relu',
                kernelRegularizer: reg(),
              }),
            ];
      const model = tfl.sequential({
        layers: [
          ...hidden(256, true),
          tfl.layers.dropout({ rate: 0.2 }),
          ...hidden(128, false),
          tfl.layers.dense({ units: 10, activation: 'softmax', kernelRegularizer: reg() }),
        ],
      });
      model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
      const x = tf.tensor2d(fill(B * 784, 0, 1), [B, 784]),
        y = tf.tensor2d(labels(10), [B, 10]);
      return {
        run: async () => {
          for (let i = 0; i < 4; i++) await model.trainOnBatch(x, y);
        },
        dispose: () => {
          model.dispose();
          x.dispose();
          y.dispose();
        },
      };
    },
  };
}

/** The course's 2→10→5→1 net (relu, relu, sigmoid) on 300 examples, full batch. */
export function notebookCase(): Case {
  const m = 300;
  const y = new Float32Array(m).map((_, i) => i % 2);
  return {
    group: 'train',
    label: 'notebook 2-10-5-1 step, 300 examples',
    work: 20,
    unit: 'ms/step',
    ours(be, dl = lib) {
      const { dense, relu, sequential, sgd, sigmoid } = dl;
      const model = sequential([dense(10), relu(), dense(5), relu(), dense(1), sigmoid()], {
        inputSize: 2,
        backend: be,
        seed: 3,
      });
      const x = filled(be, m, 2),
        yt = be.tensor({ rows: m, cols: 1, data: y });
      const opt = sgd({ learningRate: 0.01 });
      // 20 full-batch steps a call, as in a training loop
      return {
        run: () => model.fit(x, yt, { loss: 'binaryCrossEntropy', optimizer: opt, epochs: 20 }),
        dispose: () => {
          model.dispose();
          x.dispose();
          yt.dispose();
        },
      };
    },
    tfjs() {
      const model = tfl.sequential({
        layers: [
          tfl.layers.dense({ inputShape: [2], units: 10, activation: 'relu' }),
          tfl.layers.dense({ units: 5, activation: 'relu' }),
          tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
        ],
      });
      model.compile({ optimizer: tf.train.sgd(0.01), loss: 'binaryCrossentropy' });
      const x = tf.tensor2d(fill(m * 2), [m, 2]),
        yt = tf.tensor2d(y, [m, 1]);
      return {
        run: async () => {
          for (let i = 0; i < 20; i++) await model.trainOnBatch(x, yt);
        },
        dispose: () => {
          model.dispose();
          x.dispose();
          yt.dispose();
        },
      };
    },
  };
}

/** The cases issue #14 sets thread targets for (bench/threads.ts, and its twin worker). */
export function threadCases(): Case[] {
  return [
    ...[512, 1024].flatMap((n) => FORMS.map((f) => matmulCase(n, n, n, f, `${n}`))),
    ...FORMS.map((f) => matmulCase(256, 256, 784, f, '256×784·784×256')),
    ...FORMS.map((f) => matmulCase(128, 256, 784, f, '128×784·784×256')),
    mlpCase(),
    notebookCase(),
  ];
}
