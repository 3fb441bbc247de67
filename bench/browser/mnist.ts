// The real-data benchmark (in the browser bench's page): MNIST digits from the `mnist` package,
// a fixed 8,000 / 2,000 split, 784-256-128-10 (relu, relu, softmax), Adam 0.001, batch 128,
// the same batches in the same order for every library; the wall time until the test accuracy
// (measured after each epoch) reaches 94%.
import * as dl from 'dl-fundamentals';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { jit, nn, numpy as np, tree, valueAndGrad, type Array as JaxArray } from '@jax-js/jax';

const TRAIN = 8000,
  TEST = 2000,
  B = 128,
  LR = 0.001,
  TARGET = 0.94,
  MAX_EPOCHS = 30;

export interface MnistRun {
  name: string;
  epochs: number;
  seconds: number;
  accuracy: number[];
  reached: boolean;
}

/** mnist.bin, written by bench/browser.ts: 10,000 × 784 float32 pixels, then 10,000 uint8 labels, split order. */
async function load(): Promise<{ x: Float32Array; labels: Uint8Array }> {
  const buf = await (await fetch('./mnist.bin')).arrayBuffer();
  return { x: new Float32Array(buf, 0, 10000 * 784), labels: new Uint8Array(buf, 10000 * 784 * 4, 10000) };
}

/** One epoch's order of the training rows: a seeded Fisher–Yates shuffle (the same for every library). */
function order(epoch: number): Int32Array {
  const idx = Int32Array.from({ length: TRAIN }, (_, i) => i);
  let s = ((epoch + 1) * 2654435761) >>> 0;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  for (let i = TRAIN - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx;
}

interface Trainer {
  epoch(x: Float32Array, y: Float32Array): Promise<void>;
  accuracy(): Promise<number>;
  dispose(): void;
}

async function timeToTarget(
  name: string,
  make: () => Trainer,
  data: { x: Float32Array; y: Float32Array },
): Promise<MnistRun> {
  const t = make();
  const acc: number[] = [];
  let seconds = 0;
  for (let e = 0; e < MAX_EPOCHS; e++) {
    // the epoch's batches, gathered before the clock starts (the same work for everyone)
    const idx = order(e);
    const n = Math.floor(TRAIN / B) * B;
    const x = new Float32Array(n * 784),
      y = new Float32Array(n * 10);
    for (let i = 0; i < n; i++) {
      x.set(data.x.subarray(idx[i] * 784, idx[i] * 784 + 784), i * 784);
      y.set(data.y.subarray(idx[i] * 10, idx[i] * 10 + 10), i * 10);
    }
    const t0 = performance.now();
    await t.epoch(x, y);
    acc.push(await t.accuracy());
    seconds += (performance.now() - t0) / 1000;
    if (acc[acc.length - 1] >= TARGET) break;
  }
  t.dispose();
  return { name, epochs: acc.length, seconds, accuracy: acc, reached: acc[acc.length - 1] >= TARGET };
}

export async function mnistRuns(ours1: dl.Backend, oursN: dl.Backend, N: number): Promise<MnistRun[]> {
  const { x, labels } = await load();
  const y = new Float32Array(10000 * 10);
  labels.forEach((l, i) => {
    y[i * 10 + l] = 1;
  });
  const train = { x: x.subarray(0, TRAIN * 784), y: y.subarray(0, TRAIN * 10) };
  const testX = x.subarray(TRAIN * 784),
    testL = labels.subarray(TRAIN);

  const ours = (be: dl.Backend) => (): Trainer => {
    const model = dl.sequential(
      [
        dl.dense(256, { init: 'he' }),
        dl.relu(),
        dl.dense(128, { init: 'he' }),
        dl.relu(),
        dl.dense(10, { init: 'xavier' }),
        dl.softmax(),
      ],
      { inputSize: 784, backend: be, seed: 1 },
    );
    const opt = dl.adam({ learningRate: LR });
    const test = {
      x: { rows: TEST, cols: 784, data: testX },
      y: Array.from(testL, (l) => Array.from({ length: 10 }, (_, k) => (k === l ? 1 : 0))),
    };
    return {
      epoch: async (bx, by) => {
        model.fit(
          { rows: bx.length / 784, cols: 784, data: bx },
          { rows: by.length / 10, cols: 10, data: by },
          { loss: 'categoricalCrossEntropy', optimizer: opt, epochs: 1, batchSize: B, shuffle: false },
        );
      },
      accuracy: async () => model.evaluate(test.x, test.y).accuracy,
      dispose: () => model.dispose(),
    };
  };

  const tfjs = (): Trainer => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [784], units: 256, activation: 'relu', kernelInitializer: 'heNormal' }),
        tfl.layers.dense({ units: 128, activation: 'relu', kernelInitializer: 'heNormal' }),
        tfl.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(LR), loss: 'categoricalCrossentropy' });
    const tx = tf.tensor2d(testX, [TEST, 784]);
    return {
      epoch: async (bx, by) => {
        for (let i = 0; i < bx.length / 784; i += B) {
          const xb = tf.tensor2d(bx.subarray(i * 784, (i + B) * 784), [B, 784]),
            yb = tf.tensor2d(by.subarray(i * 10, (i + B) * 10), [B, 10]);
          await model.trainOnBatch(xb, yb);
          xb.dispose();
          yb.dispose();
        }
      },
      accuracy: async () => {
        const p = tf.tidy(() => tf.argMax(model.predict(tx) as tf.Tensor, 1));
        const got = await p.data();
        p.dispose();
        let right = 0;
        for (let i = 0; i < TEST; i++) if (got[i] === testL[i]) right++;
        return right / TEST;
      },
      dispose: () => {
        model.dispose();
        tx.dispose();
      },
    };
  };

  const jax = (): Trainer => {
    type Params = { w1: JaxArray; b1: JaxArray; w2: JaxArray; b2: JaxArray; w3: JaxArray; b3: JaxArray };
    // He-scaled uniform weights, U(±√(6/fan-in)), from a seeded generator (mulberry32)
    const w = (i: number, o: number, seed: number) => {
      let a = seed >>> 0;
      const u = () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = Math.imul(a ^ (a >>> 15), a | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      return np.array(
        Float32Array.from({ length: i * o }, () => Math.sqrt(6 / i) * (2 * u() - 1)),
        { shape: [i, o] },
      );
    };
    let p: Params = {
      w1: w(784, 256, 1),
      b1: np.zeros([256]),
      w2: w(256, 128, 2),
      b2: np.zeros([128]),
      w3: w(128, 10, 3),
      b3: np.zeros([10]),
    };
    const zeros = (q: Params) => tree.map((a: JaxArray) => np.zeros(a.shape), q) as Params;
    let m = zeros(p),
      v = zeros(p);
    const forward = (q: Params, x: JaxArray) => {
      const h1 = nn.relu(np.matmul(x, q.w1).add(q.b1));
      const h2 = nn.relu(np.matmul(h1, q.w2).add(q.b2));
      return np.matmul(h2, q.w3).add(q.b3);
    };
    const loss = (q: Params, x: JaxArray, y: JaxArray) =>
      nn
        .logSoftmax(forward(q, x), -1)
        .mul(y)
        .sum()
        .mul(-1 / B);
    // Adam, written out over the parameter tree; c1, c2 are the bias corrections of this step
    const step = jit((q: Params, m0: Params, v0: Params, x: JaxArray, y: JaxArray, c1: JaxArray, c2: JaxArray) => {
      const [, g] = valueAndGrad(loss)(tree.ref(q), x, y);
      const m1 = tree.map((a: JaxArray, d: JaxArray) => a.mul(0.9).add(d.mul(0.1)), m0, tree.ref(g)) as Params;
      const v1 = tree.map((a: JaxArray, d: JaxArray) => a.mul(0.999).add(d.ref.mul(d).mul(0.001)), v0, g) as Params;
      const q1 = tree.map(
        (a: JaxArray, mm: JaxArray, vv: JaxArray) =>
          a.sub(
            mm
              .div(c1.ref)
              .mul(LR)
              .div(np.sqrt(vv.div(c2.ref)).add(1e-7)),
          ),
        q,
        tree.ref(m1),
        tree.ref(v1),
      ) as Params;
      c1.dispose();
      c2.dispose();
      return [q1, m1, v1] as [Params, Params, Params];
    });
    const predict = jit((q: Params, x: JaxArray) => np.argmax(forward(q, x), -1));
    const tx = np.array(testX, { shape: [TEST, 784] });
    let t = 0;
    return {
      epoch: async (bx, by) => {
        for (let i = 0; i < bx.length / 784; i += B) {
          t++;
          const xb = np.array(bx.slice(i * 784, (i + B) * 784), { shape: [B, 784] }),
            yb = np.array(by.slice(i * 10, (i + B) * 10), { shape: [B, 10] });
          [p, m, v] = step(
            p,
            m,
            v,
            xb,
            yb,
            np.array([1 - 0.9 ** t]).reshape([]),
            np.array([1 - 0.999 ** t]).reshape([]),
          );
        }
        await p.w1.ref.blockUntilReady().then((a) => a.dispose());
      },
      accuracy: async () => {
        const got = await predict(tree.ref(p), tx.ref).data();
        let right = 0;
        for (let i = 0; i < TEST; i++) if (got[i] === testL[i]) right++;
        return right / TEST;
      },
      dispose: () => {
        tree.dispose(p);
        tree.dispose(m);
        tree.dispose(v);
        tx.dispose();
        step.dispose();
        predict.dispose();
      },
    };
  };

  const runs: MnistRun[] = [];
  for (const [name, make] of [
    ['ours×1', ours(ours1)],
    [`ours×${oursN.threads}`, ours(oursN)],
    [`tfjs×${N}`, tfjs],
    [`jax×${N}`, jax],
  ] as const) {
    console.log(`MNIST: ${name}…`);
    runs.push(await timeToTarget(name, make, train));
  }
  return runs;
}
