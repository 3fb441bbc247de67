// The browser bench's page (npm run bench:browser builds it with Vite and drives it in headless
// Chromium on a cross-origin-isolated server): this package's wasm backend on 1 and N threads,
// TF.js's wasm backend with setThreadsCount(N) (its threaded SIMD build), and jax-js (its wasm
// device and its own worker pool), alternating round by round. Each library is used as its
// documentation shows: jax-js with jit, valueAndGrad and weights [in, out].
import * as dl from 'dl-fundamentals';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  defaultDevice,
  init as jaxInit,
  jit,
  nn,
  numpy as np,
  tree,
  valueAndGrad,
  type Array as JaxArray,
} from '@jax-js/jax';
import { Hog } from '../hog.js';
import { compare, type Timed } from '../timing.js';
import { mnistRuns } from './mnist.js';

const params = new URLSearchParams(location.search);
// the busy column's rounds swing ±10% each (the scheduler shares two cores among three
// threads), so it takes more of them than the idle columns, as many as bench:threads does
const ROUNDS = Number(params.get('rounds') ?? 5),
  BUSY_ROUNDS = Number(params.get('busyRounds') ?? 15),
  MIN_MS = Number(params.get('ms') ?? 150);
const only = params.get('only') ?? '';
const mnist = params.get('mnist') !== '0';
const N = Math.min(navigator.hardwareConcurrency, 8);
const out = document.getElementById('out')!;
const say = (s: string) => {
  out.textContent += `${s}\n`;
  console.log(s);
};

const fill = (n: number, lo = -1, hi = 1) =>
  Float32Array.from({ length: n }, (_, i) => lo + (hi - lo) * (0.5 + 0.5 * Math.sin(i * 12.9898)));

interface Setup {
  run: () => unknown;
  dispose: () => void;
}
interface Case {
  label: string;
  work: number;
  unit: 'GFLOPS' | 'ms/step';
  make: Record<string, () => Setup>;
}

const FORMS = [
  { name: 'A·B', tA: false, tB: false },
  { name: 'A·Bᵀ', tA: false, tB: true },
  { name: 'Aᵀ·B', tA: true, tB: false },
];

function gemm(
  M: number,
  N_: number,
  K: number,
  f: (typeof FORMS)[number],
  ours1: dl.Backend,
  oursN: dl.Backend,
  oursR: dl.Backend,
  oursAuto: dl.Backend,
): Case {
  const ours = (be: dl.Backend) => () => {
    const a = be.tensor({ rows: f.tA ? K : M, cols: f.tA ? M : K, data: fill(M * K) });
    const b = be.tensor({ rows: f.tB ? N_ : K, cols: f.tB ? K : N_, data: fill(K * N_) });
    const c = be.zeros(M, N_);
    return {
      run: () => be.matmul(a, b, { transA: f.tA, transB: f.tB, out: c }),
      dispose: () => [a, b, c].forEach((t) => t.dispose()),
    };
  };
  return {
    label: `matmul ${f.name} ${M}×${K}·${K}×${N_}`,
    work: 2 * M * N_ * K,
    unit: 'GFLOPS',
    make: {
      ours1: ours(ours1),
      oursN: ours(oursN),
      oursR: ours(oursR),
      oursAuto: ours(oursAuto),
      tfjs: () => {
        const a = tf.tensor2d(fill(M * K), f.tA ? [K, M] : [M, K]),
          b = tf.tensor2d(fill(K * N_), f.tB ? [N_, K] : [K, N_]);
        // dataSync: TF.js wasm runs synchronously, so this only keeps the result honest
        return {
          run: () => {
            const c = tf.matMul(a, b, f.tA, f.tB);
            c.dataSync();
            c.dispose();
          },
          dispose: () => {
            a.dispose();
            b.dispose();
          },
        };
      },
      jax: () => {
        const a = np.array(fill(M * K), { shape: f.tA ? [K, M] : [M, K] }),
          b = np.array(fill(K * N_), { shape: f.tB ? [N_, K] : [K, N_] });
        const mm = jit((x: JaxArray, y: JaxArray) => np.matmul(f.tA ? x.transpose() : x, f.tB ? y.transpose() : y));
        return {
          run: async () => {
            const c = mm(a.ref, b.ref);
            await c.blockUntilReady();
            c.dispose();
          },
          dispose: () => {
            a.dispose();
            b.dispose();
            mm.dispose();
          },
        };
      },
    },
  };
}

/** 784→256→128→10 (relu, relu, softmax), SGD 0.01, batch 128, 4 steps a call. */
function mlp(ours1: dl.Backend, oursN: dl.Backend, oursR: dl.Backend, oursAuto: dl.Backend): Case {
  const B = 128;
  const labels = Float32Array.from({ length: B * 10 }, (_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0));
  const ours = (be: dl.Backend) => () => {
    const model = dl.sequential(
      [dl.dense(256), dl.relu(), dl.dense(128), dl.relu(), dl.dense(10, { init: 'xavier' }), dl.softmax()],
      { inputSize: 784, backend: be, seed: 1 },
    );
    const x = be.tensor({ rows: B, cols: 784, data: fill(B * 784, 0, 1) }),
      y = be.tensor({ rows: B, cols: 10, data: labels });
    const opt = dl.sgd({ learningRate: 0.01 });
    return {
      run: () => model.fit(x, y, { loss: 'categoricalCrossEntropy', optimizer: opt, epochs: 4 }),
      dispose: () => {
        model.dispose();
        x.dispose();
        y.dispose();
      },
    };
  };
  return {
    label: 'MLP 784-256-128-10 step, batch 128',
    work: 4,
    unit: 'ms/step',
    make: {
      ours1: ours(ours1),
      oursN: ours(oursN),
      oursR: ours(oursR),
      oursAuto: ours(oursAuto),
      tfjs: () => {
        const model = tfl.sequential({
          layers: [
            tfl.layers.dense({ inputShape: [784], units: 256, activation: 'relu' }),
            tfl.layers.dense({ units: 128, activation: 'relu' }),
            tfl.layers.dense({ units: 10, activation: 'softmax' }),
          ],
        });
        model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
        const x = tf.tensor2d(fill(B * 784, 0, 1), [B, 784]),
          y = tf.tensor2d(labels, [B, 10]);
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
      jax: () => {
        type Params = { w1: JaxArray; b1: JaxArray; w2: JaxArray; b2: JaxArray; w3: JaxArray; b3: JaxArray };
        const w = (i: number, o: number) =>
          np.array(fill(i * o, -Math.sqrt(6 / i), Math.sqrt(6 / i)), { shape: [i, o] });
        let p: Params = {
          w1: w(784, 256),
          b1: np.zeros([256]),
          w2: w(256, 128),
          b2: np.zeros([128]),
          w3: w(128, 10),
          b3: np.zeros([10]),
        };
        const loss = (q: Params, x: JaxArray, y: JaxArray) => {
          const h1 = nn.relu(np.matmul(x, q.w1).add(q.b1));
          const h2 = nn.relu(np.matmul(h1, q.w2).add(q.b2));
          const logits = np.matmul(h2, q.w3).add(q.b3);
          return nn
            .logSoftmax(logits, -1)
            .mul(y)
            .sum()
            .mul(-1 / B);
        };
        const step = jit((q: Params, x: JaxArray, y: JaxArray) => {
          // tree.ref: the parameters are used twice (for the gradient and the update), as jax-js's move rules need
          const [l, g] = valueAndGrad(loss)(tree.ref(q), x, y);
          return [l, tree.map((a: JaxArray, d: JaxArray) => a.sub(d.mul(0.01)), q, g)] as [JaxArray, Params];
        });
        const x = np.array(fill(B * 784, 0, 1), { shape: [B, 784] }),
          y = np.array(labels, { shape: [B, 10] });
        return {
          run: async () => {
            for (let i = 0; i < 4; i++) {
              const [l, q] = step(p, x.ref, y.ref);
              p = q;
              await l.blockUntilReady();
              l.dispose();
            }
          },
          dispose: () => {
            tree.dispose(p);
            x.dispose();
            y.dispose();
            step.dispose();
          },
        };
      },
    },
  };
}

async function main(): Promise<unknown> {
  setWasmPaths('./tfjs/');
  setThreadsCount(N);
  await tf.setBackend('wasm');
  await tf.ready();
  const tfThreads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') as boolean;
  await jaxInit('wasm');
  defaultDevice('wasm');
  const ours1 = await dl.createBackend('wasm', { threads: 1 }),
    oursN = await dl.createBackend('wasm', { threads: N });
  // the opt-in relaxed-SIMD build (fused multiply-add), as jax-js uses relaxed_madd where it can
  const oursR = await dl.createBackend('wasm', { threads: N, relaxedSimd: true });
  // the busy columns: threads: 'auto' against one thread while a Web Worker keeps a core busy
  // (a backend of its own: how it adapts to the busy core does not carry into the idle columns)
  const oursAuto = await dl.createBackend('wasm');
  if (oursN.threads !== N) throw new Error(`no threads: ${oursN.threadsReason}`);
  const hog = Hog.create((source, buffer, limit) => {
    const url = URL.createObjectURL(
      new Blob([`${source}\nonmessage = (e) => run(new Int32Array(e.data), ${limit});`], { type: 'text/javascript' }),
    );
    const w = new Worker(url);
    w.postMessage(buffer);
    return w;
  });
  const info = {
    relaxed: oursR.variant,
    userAgent: navigator.userAgent,
    cores: navigator.hardwareConcurrency,
    threads: N,
    crossOriginIsolated,
    tfjs: tf.version_core,
    tfjsThreads: tfThreads,
    rounds: ROUNDS,
    busyRounds: BUSY_ROUNDS,
  };
  say(JSON.stringify(info));
  const cases: Case[] = [
    ...[256, 512, 1024].flatMap((n) => FORMS.map((f) => gemm(n, n, n, f, ours1, oursN, oursR, oursAuto))),
    ...FORMS.flatMap((f) => [
      gemm(128, 256, 784, f, ours1, oursN, oursR, oursAuto),
      gemm(256, 256, 784, f, ours1, oursN, oursR, oursAuto),
    ]),
    mlp(ours1, oursN, oursR, oursAuto),
  ].filter((c) => c.label.includes(only));
  // MNIST first, on a page that has run nothing else (run after the cases, jax-js's run stalled
  // the page past the driver's timeout twice)
  let digits: Awaited<ReturnType<typeof mnistRuns>> | undefined;
  if (mnist) {
    digits = await mnistRuns(ours1, oursN, N);
    for (const r of digits) say(JSON.stringify(r));
    say(`threads on the MNIST run: ${JSON.stringify(oursN.stats())}`);
  }
  const results = [];
  for (const c of cases) {
    const names = ['ours1', 'oursN', 'oursR', 'tfjs', 'jax'];
    const setups = names.map((n) => c.make[n]());
    const contenders: Timed[] = setups.map((s, i) => ({ name: names[i], run: s.run }));
    const r = await compare(contenders, ROUNDS, MIN_MS);
    setups.forEach((s) => s.dispose());
    const busySetups = [c.make.ours1(), c.make.oursAuto()];
    hog.on();
    const before = oursAuto.stats();
    const b = await compare(
      busySetups.map((s, i) => ({ name: String(i), run: s.run })),
      BUSY_ROUNDS,
      MIN_MS,
    );
    const after = oursAuto.stats();
    hog.off();
    busySetups.forEach((s) => s.dispose());
    const ops = after.splittableOps - before.splittableOps;
    const rate = (s: number) => (c.unit === 'ms/step' ? (s * 1000) / c.work : c.work / s / 1e9);
    const by = Object.fromEntries(r.map((x) => [x.name, x]));
    // ratios from the per-round ratios to ours1: oursN over each other contender
    const row = {
      case: c.label,
      unit: c.unit,
      ...Object.fromEntries(r.map((x) => [x.name, rate(x.seconds)])),
      threadsOverOne: by.oursN.speedup,
      oursNOverTfjs: by.oursN.speedup / by.tfjs.speedup,
      oursNOverJax: by.oursN.speedup / by.jax.speedup,
      relaxedOverTfjs: by.oursR.speedup / by.tfjs.speedup,
      relaxedOverJax: by.oursR.speedup / by.jax.speedup,
      busyOne: rate(b[0].seconds),
      busyAuto: rate(b[1].seconds),
      busyAutoOverOne: b[1].speedup,
      // the share of the busy stretch's splittable ops that ran on more than one thread
      busyThreaded: ops > 0 ? (after.threadedOps - before.threadedOps) / ops : Number.NaN,
      // the rounds' spread, and how often the governor probed and moved in the busy stretch
      busyRange: [Math.min(...b[1].ratios), Math.max(...b[1].ratios)],
      busyProbes: after.probes - before.probes,
      busyChanges: after.changes - before.changes,
    };
    say(JSON.stringify(row));
    results.push(row);
  }
  hog.dispose();
  return { info, results, mnist: digits };
}

main().then(
  (r) => {
    (window as unknown as { __result: unknown }).__result = r;
  },
  (e) => {
    (window as unknown as { __result: unknown }).__result = { error: String(e?.stack ?? e) };
  },
);
