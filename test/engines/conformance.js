// The conformance suite every JavaScript engine runs (Node, Bun, Deno): plain JavaScript over
// the built package in dist/, with no test framework, so that nothing but the engine differs.
// Every op of the table through test/ops/'s own checks (bundled into ops.generated.js), matmul
// and the activations' extremes against float64 loops written here, the course's numbers, save
// and load, and bad input. `node test/engines/run.js` runs it.
import * as dl from '../../dist/index.js';
// the thresholds below which ops stay on one thread (lowered in the thread check)
import { MIN_SHARE } from '../../dist/backends/wasm/threads/split.js';
import { rng } from '../rng.js';
import { OP_LIST } from '../../dist/backends/ops.js';
import { runAgainstReference } from './ops.generated.js';

/** The awkward sizes every op is run on: SIMD tails and blocking edges. */
const SIZES = [1, 2, 3, 5, 7, 17, 33, 65, 127, 1000];

/** Every backend × dtype, and the wasm scalar build that engines without SIMD get. */
const CONFIGS = ['float32', 'float64'].flatMap((dtype) => [
  { label: `js ${dtype}`, dtype, make: () => dl.createBackend('js', { dtype }) },
  { label: `wasm ${dtype}`, dtype, make: () => dl.createBackend('wasm', { dtype }) },
  { label: `wasm-scalar ${dtype}`, dtype, make: () => dl.createBackend('wasm', { dtype, simd: false }) },
  // the relaxed-SIMD build where the engine has relaxed SIMD, else its fallback, the SIMD build
  { label: `wasm-relaxed ${dtype}`, dtype, make: () => dl.createBackend('wasm', { dtype, relaxedSimd: true }) },
]);

const tol = (dtype) => (dtype === 'float64' ? 1e-12 : 1e-5);

class CheckError extends Error {}
function ok(cond, message) {
  if (!cond) throw new CheckError(message);
}
function within(got, limit, what) {
  ok(got <= limit, `${what}: ${got} > ${limit}`);
}

/** n values in [lo, hi), rounded to the dtype so the references see what the backend holds. */
function data(n, seed, dtype, lo = -1, hi = 1) {
  const r = rng(seed);
  const out = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

/** max |a − b| / max(|b|, floor), NaN only where both are NaN. */
function relError(a, b, floor = 0) {
  ok(a.length === b.length, `length ${a.length}, want ${b.length}`);
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) {
      ok(Number.isNaN(a[i]) && Number.isNaN(b[i]), `entry ${i}: ${a[i]}, want ${b[i]}`);
      continue;
    }
    if (a[i] === b[i]) continue;
    const e = Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor);
    if (!(e <= worst)) worst = e;
  }
  return worst;
}

/** ‖a − b‖ / ‖b‖, for matmul, whose entries can cancel to near zero. */
function normError(a, b) {
  let d = 0,
    n = 0;
  for (let i = 0; i < b.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return n === 0 ? Math.sqrt(d) : Math.sqrt(d / n);
}

const M = (rows, cols, d) => ({ rows, cols, data: d });

// ---- float64 references ----

function refMatmul(a, b, transA, transB) {
  const m = transA ? a.cols : a.rows,
    k = transA ? a.rows : a.cols,
    n = transB ? b.rows : b.cols;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++)
        s +=
          (transA ? a.data[p * a.cols + i] : a.data[i * a.cols + p]) *
          (transB ? b.data[j * b.cols + p] : b.data[p * b.cols + j]);
      out[i * n + j] = s;
    }
  }
  return out;
}
const refSigmoid = (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const UNARY = { relu: (x) => (Number.isNaN(x) ? NaN : x > 0 ? x : 0), sigmoid: refSigmoid, tanh: Math.tanh };
const BACKWARD = {
  relu: (dy, y) => (y > 0 ? dy : 0),
  sigmoid: (dy, y) => dy * y * (1 - y),
  tanh: (dy, y) => dy * (1 - y * y),
};
function refSoftmax(x, rows, cols) {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity,
      sum = 0;
    for (let c = 0; c < cols; c++) max = Math.max(max, x[r * cols + c]);
    for (let c = 0; c < cols; c++) sum += Math.exp(x[r * cols + c] - max);
    for (let c = 0; c < cols; c++) out[r * cols + c] = Math.exp(x[r * cols + c] - max) / sum;
  }
  return out;
}
// ---- the checks ----

export const checks = [];
const check = (name, run) => checks.push({ name, run });

for (const cfg of CONFIGS) {
  const { label, dtype } = cfg;

  check(`${label}: matmul in all four forms on awkward sizes`, async () => {
    const be = await cfg.make();
    const shapes = [
      [1, 1, 1],
      [2, 3, 5],
      [7, 17, 33],
      [65, 127, 3],
      [33, 5, 65],
      [127, 65, 17],
      [1000, 7, 2],
      [3, 1000, 5],
    ];
    let seed = 1;
    for (const [m, k, n] of shapes) {
      for (const [transA, transB] of [
        [false, false],
        [false, true],
        [true, false],
        [true, true],
      ]) {
        const a = transA ? M(k, m, data(k * m, seed++, dtype)) : M(m, k, data(m * k, seed++, dtype));
        const b = transB ? M(n, k, data(n * k, seed++, dtype)) : M(k, n, data(k * n, seed++, dtype));
        const c = be.matmul(a, b, { transA, transB });
        ok(c.rows === m && c.cols === n, `${m}×${k}×${n}: shape ${c.rows}×${c.cols}`);
        within(
          normError(c.data, refMatmul(a, b, transA, transB)),
          tol(dtype),
          `matmul ${m}×${k}×${n} transA=${transA} transB=${transB}`,
        );
      }
    }
  });

  check(`${label}: relu, sigmoid, tanh and their backward ops, over the range and at the extremes`, async () => {
    const be = await cfg.make();
    const special = [0, -0, 1e30, -1e30, Infinity, -Infinity, NaN, 88.7, -88.7, 7.8, -7.8, 1e-30];
    for (const n of SIZES) {
      const x = data(n, 10 + n, dtype, -20, 20);
      special.slice(0, Math.min(n, special.length)).forEach((v, i) => {
        x[i] = v;
      });
      const dy = data(n, 20 + n, dtype);
      for (const op of ['relu', 'sigmoid', 'tanh']) {
        const y = be[op](M(1, n, x)).data;
        within(
          relError(y, Array.from(x, UNARY[op]), dtype === 'float64' ? 2.2e-308 : 1.2e-38),
          dtype === 'float64' ? 1e-14 : 1e-6,
          `${op} at ${n}`,
        );
        if (op !== 'relu')
          ok(
            Array.from(y).every((v) => Number.isNaN(v) || (v >= (op === 'tanh' ? -1 : 0) && v <= 1)),
            `${op} left its range`,
          );
        const yr = data(n, 30 + n, dtype, op === 'tanh' ? -1 : 0, 1);
        const dx = be[`${op}Backward`](M(1, n, dy), M(1, n, yr)).data;
        within(
          relError(
            dx,
            Array.from(dy, (d, i) => BACKWARD[op](d, yr[i])),
            1,
          ),
          tol(dtype),
          `${op}Backward at ${n}`,
        );
      }
    }
  });

  check(`${label}: softmax and its backward op, row by row`, async () => {
    const be = await cfg.make();
    for (const [rows, cols] of [
      [1, 1],
      [2, 3],
      [5, 7],
      [3, 17],
      [2, 33],
      [1, 65],
      [7, 127],
      [2, 1000],
    ]) {
      const x = data(rows * cols, rows * 100 + cols, dtype, -30, 30);
      const y = be.softmax(M(rows, cols, x)).data;
      within(
        relError(y, refSoftmax(x, rows, cols), 1e-30),
        dtype === 'float64' ? 1e-13 : 1e-5,
        `softmax ${rows}×${cols}`,
      );
      const dy = data(rows * cols, cols, dtype);
      const dx = be.softmaxBackward(M(rows, cols, dy), M(rows, cols, y)).data;
      // y·(dy − Σ dy·y) cancels where one y is near 1: the error is bounded by the size of the
      // terms that cancel, y·(|dy| + Σ |dy·y|), not by the result
      let worst = 0;
      for (let r = 0; r < rows; r++) {
        let s = 0,
          size = 0;
        for (let c = 0; c < cols; c++) {
          s += dy[r * cols + c] * y[r * cols + c];
          size += Math.abs(dy[r * cols + c] * y[r * cols + c]);
        }
        for (let c = 0; c < cols; c++) {
          const i = r * cols + c,
            want = y[i] * (dy[i] - s),
            bound = y[i] * (Math.abs(dy[i]) + size);
          if (bound > 0) worst = Math.max(worst, Math.abs(dx[i] - want) / bound);
        }
      }
      within(worst, tol(dtype), `softmaxBackward ${rows}×${cols}`);
    }
  });

  // every op of the table, as test/ops/ runs it in vitest (bundled from there: ops.generated.js)
  for (const op of OP_LIST) {
    check(`${label}: ${op.name} against float64 loops on every awkward size`, async () => {
      const be = await cfg.make();
      for (const cols of SIZES) {
        for (const rows of [1, 3]) {
          const { got, expected } = runAgainstReference(op.name, be, rows, cols, rows * 1000 + cols);
          got.forEach((g, i) =>
            within(relError(g, expected[i], 1), tol(dtype), `${op.name} ${rows}×${cols} output ${i}`),
          );
        }
      }
      be.dispose();
    });
  }

  check(`${label}: gatherRows and readInto copy exactly`, async () => {
    const be = await cfg.make();
    for (const cols of SIZES) {
      const src = data(9 * cols, cols, dtype);
      const s = be.tensor(M(9, cols, src));
      const idx = Int32Array.from([8, 0, 3, 3, 7, 1]);
      const out = be.zeros(4, cols);
      be.gatherRows(s, idx, 1, out);
      const got = be.readInto(out, dtype === 'float64' ? new Float64Array(4 * cols) : new Float32Array(4 * cols));
      for (let r = 0; r < 4; r++)
        for (let c = 0; c < cols; c++)
          ok(got[r * cols + c] === src[idx[1 + r] * cols + c], `gatherRows row ${r} at ${cols}`);
      s.dispose();
      out.dispose();
    }
  });

  check(`${label}: memory is back where it was after the ops`, async () => {
    const be = await cfg.make();
    const before = be.memory();
    const x = be.tensor(M(33, 17, data(33 * 17, 3, dtype)));
    be.matmul(x, x, { transB: true }).dispose();
    be.softmax(x).dispose();
    x.dispose();
    const after = be.memory();
    ok(after.tensors === before.tensors, `tensors ${after.tensors}, want ${before.tensors}`);
  });
}

// The course's initialization lesson: 2→10→5→1, circles, seed 3, SGD 0.01, 15000 iterations,
// and the notebook's printed figures.
const circles = {
  train: dl.datasets.circles({ samples: 300, noise: 0.05, seed: 1 }),
  test: dl.datasets.circles({ samples: 100, noise: 0.05, seed: 2 }),
};
for (const name of ['wasm', 'js']) {
  check(
    `the initialization lesson (He) on ${name} float64: the notebook's costs to 1e-9, accuracies 298/300 and 0.96`,
    async () => {
      const backend = await dl.createBackend(name, { dtype: 'float64' });
      const model = dl.sequential(
        [
          dl.dense(10, { init: 'he' }),
          dl.relu(),
          dl.dense(5, { init: 'he' }),
          dl.relu(),
          dl.dense(1, { init: 'he' }),
          dl.sigmoid(),
        ],
        { inputSize: 2, backend, seed: 3 },
      );
      const h = model.fit(circles.train.x, circles.train.y, {
        loss: 'binaryCrossEntropy',
        optimizer: dl.sgd({ learningRate: 0.01 }),
        epochs: 15000,
      });
      for (const [i, want] of [
        [0, 0.8830537463419761],
        [1000, 0.6879825919728063],
        [14000, 0.07357895962677366],
      ])
        within(Math.abs(h.loss[i] - want), 1e-9, `cost at ${i}`);
      within(Math.abs(model.evaluate(circles.train.x, circles.train.y).accuracy - 298 / 300), 1e-12, 'train accuracy');
      ok(model.evaluate(circles.test.x, circles.test.y).accuracy === 0.96, 'test accuracy');
      model.dispose();
    },
  );
}

// The course's regularization lesson: 2→20→3→1 on the football set, SGD 0.3, 30000 iterations.
const COURSE_L2 = {
  0: { cost: [0.6557412523481002, 0.16329987525724216, 0.13851642423255986], train: 0.9478672985781991, test: 0.915 },
  0.7: { cost: [0.6974484493131264, 0.2684918873282239, 0.2680916337127301], train: 0.9383886255924171, test: 0.93 },
};
// (on wasm: the js backend's 30000 iterations take ten seconds, and vitest runs them on Node)
for (const [name, l2] of [
  ['wasm', 0],
  ['wasm', 0.7],
]) {
  check(
    `the regularization lesson (L2 ${l2}) on ${name} float64: the notebook's costs to 1e-9 and accuracies`,
    async () => {
      const backend = await dl.createBackend(name, { dtype: 'float64' });
      const foot = dl.datasets.football();
      const model = dl.sequential(
        [
          dl.dense(20, { init: 'xavier' }),
          dl.relu(),
          dl.dense(3, { init: 'xavier' }),
          dl.relu(),
          dl.dense(1, { init: 'xavier' }),
          dl.sigmoid(),
        ],
        { inputSize: 2, backend, seed: 3 },
      );
      const h = model.fit(foot.train.x, foot.train.y, {
        loss: 'binaryCrossEntropy',
        optimizer: dl.sgd({ learningRate: 0.3 }),
        epochs: 30000,
        l2,
      });
      const want = COURSE_L2[l2];
      [0, 10000, 20000].forEach((it, i) => within(Math.abs(h.loss[it] - want.cost[i]), 1e-9, `cost at ${it}`));
      within(Math.abs(model.evaluate(foot.train.x, foot.train.y).accuracy - want.train), 1e-12, 'train accuracy');
      within(Math.abs(model.evaluate(foot.test.x, foot.test.y).accuracy - want.test), 1e-12, 'test accuracy');
      model.dispose();
    },
  );
}

for (const cfg of CONFIGS.filter((c) => !c.label.startsWith('wasm-'))) {
  check(`${cfg.label}: a model saved as JSON text loads with the same weights and predictions`, async () => {
    const backend = await cfg.make();
    const model = dl.sequential([dl.dense(7, { init: 'he' }), dl.tanh(), dl.dropout(0.2), dl.dense(3), dl.softmax()], {
      inputSize: 5,
      backend,
      seed: 9,
    });
    const x = M(17, 5, data(85, 4, cfg.dtype));
    const y = M(
      17,
      3,
      Float64Array.from({ length: 51 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)),
    );
    model.fit(x, y, {
      loss: 'categoricalCrossEntropy',
      optimizer: dl.adam({ learningRate: 0.01 }),
      epochs: 3,
      batchSize: 5,
    });
    const text = JSON.stringify(model);
    const loaded = dl.loadModel(text, backend);
    const a = model.getWeights(),
      b = loaded.getWeights();
    ok(a.length === b.length, 'number of weight tensors');
    a.forEach((w, i) =>
      ok(
        w.data.every((v, j) => v === b[i].data[j]),
        `weight tensor ${i} differs`,
      ),
    );
    const pa = model.predict(x).data,
      pb = loaded.predict(x).data;
    ok(
      pa.every((v, i) => v === pb[i]),
      'predictions differ',
    );
    // the binary formats: the same weights back, the step too
    for (const [name, bytes] of [
      ['safetensors', model.toSafetensors()],
      ['ONNX', model.toONNX()],
    ]) {
      const again = dl.loadModel(bytes, backend);
      const c = again.getWeights();
      a.forEach((w, i) =>
        ok(
          w.data.every((v, j) => v === c[i].data[j]),
          `${name}: weight tensor ${i} differs`,
        ),
      );
      ok(
        again.step === model.step && again.layers.length === 5,
        `${name}: step ${again.step} or layers ${again.layers.length}`,
      );
      again.dispose();
    }
    // PyTorch's names in the safetensors header
    const st = model.toSafetensors();
    const n = new DataView(st.buffer, st.byteOffset).getUint32(0, true);
    const names = Object.keys(JSON.parse(new TextDecoder().decode(st.subarray(8, 8 + n))))
      .filter((k) => k !== '__metadata__')
      .sort();
    ok(names.join() === '0.bias,0.weight,3.bias,3.weight', `safetensors names ${names}`);
    model.dispose();
    loaded.dispose();
  });
}

/** Runs fn, which must throw an error whose message contains each of the parts. */
function refuses(fn, parts, what) {
  let message;
  try {
    fn();
  } catch (e) {
    message = String(e?.message);
  }
  ok(message !== undefined, `${what}: no error`);
  for (const p of parts) ok(message.includes(p), `${what}: "${message}" does not mention ${p}`);
}

for (const cfg of CONFIGS) {
  check(`${cfg.label}: bad input gets a clear error and changes nothing`, async () => {
    const be = await cfg.make();
    refuses(
      () => be.matmul(M(2, 3, new Float64Array(6)), M(4, 5, new Float64Array(20))),
      ['matmul', '2×3', '4×5'],
      'matmul shapes',
    );
    refuses(
      () => be.matmul(M(1, 1, [1]), M(1, 1, [1]), { transb: true }),
      ['unknown option "transb"', 'transB'],
      'matmul option',
    );
    refuses(() => be.tensor({ rows: 2, cols: 2, data: [1, 2, 3] }), ['2', '3'], 'short data');
    const model = dl.sequential([dl.dense(3), dl.relu(), dl.dense(1), dl.sigmoid()], {
      inputSize: 2,
      backend: be,
      seed: 1,
    });
    const before = JSON.stringify(model.getWeights().map((w) => Array.from(w.data)));
    const mem = be.memory();
    const x = M(4, 2, [0, 0, 0, 1, 1, 0, 1, 1]);
    refuses(
      () => model.fit(x, M(4, 1, [0, 1, 1, 0]), { loss: 'binaryCrossEntropy', optimizer: dl.sgd(), epoch: 3 }),
      ['unknown option "epoch"', 'epochs'],
      'fit option',
    );
    refuses(
      () => model.fit(x, M(4, 1, [0, 1, 2, 0]), { loss: 'binaryCrossEntropy', optimizer: dl.sgd(), epochs: 2 }),
      ['2'],
      'a label of 2',
    );
    refuses(
      () =>
        model.fit(x, M(4, 1, [0, 1, 1, 0]), {
          loss: 'binaryCrossEntropy',
          optimizer: dl.sgd({ learningRate: cfg.dtype === 'float32' ? 1e30 : 1e300 }),
          epochs: 2,
        }),
      ['diverged', 'restored'],
      'divergence',
    );
    ok(JSON.stringify(model.getWeights().map((w) => Array.from(w.data))) === before, 'weights changed by failed calls');
    ok(be.memory().tensors === mem.tensors, 'tensors changed by failed calls');
    refuses(() => dl.loadModel('{"format":"nope"}', be), ['loadModel'], 'a malformed file');
    const mem2 = be.memory();
    refuses(
      () => dl.loadModel(new Uint8Array([8, 1, 0x3a, 0xff, 0xff, 0x7f]), be),
      ['loadModel: ONNX'],
      'truncated ONNX',
    );
    refuses(() => dl.loadModel(model.toSafetensors().subarray(0, 40), be), ['loadModel'], 'truncated safetensors');
    ok(JSON.stringify(be.memory()) === JSON.stringify(mem2), 'memory changed by refused loads');
    model.dispose();
  });
}

for (const [dtype, build] of [
  ['float32', {}],
  ['float64', {}],
  ['float32', { relaxedSimd: true }],
  ['float64', { relaxedSimd: true }],
]) {
  check(
    `wasm ${dtype}${build.relaxedSimd ? ' relaxedSimd' : ''}: the same bits on 1 and 3 threads, every op split`,
    async () => {
      const saved = { ...MIN_SHARE };
      Object.assign(MIN_SHARE, { matmul: 1, cheap: 1, costly: 1 });
      try {
        const outs = [];
        for (const threads of [1, 3]) {
          const be = await dl.createBackend('wasm', { dtype, threads, ...build });
          ok(be.threads === threads, `threads ${be.threads}, want ${threads} (${be.threadsReason})`);
          const o = [];
          let seed = 50;
          const X = (r, c) => M(r, c, data(r * c, seed++, dtype, -3, 3));
          for (const [m, k, n] of [
            [65, 33, 127],
            [7, 1000, 17],
            [130, 5, 3],
          ]) {
            for (const [transA, transB] of [
              [false, false],
              [false, true],
              [true, false],
            ]) {
              o.push(be.matmul(transA ? X(k, m) : X(m, k), transB ? X(n, k) : X(k, n), { transA, transB }).data);
            }
          }
          for (const [rows, cols] of [
            [3, 1000],
            [127, 5],
            [1, 65],
          ]) {
            const x = X(rows, cols),
              dy = X(rows, cols),
              b = X(1, cols);
            for (const op of ['relu', 'sigmoid', 'tanh', 'softmax']) {
              const y = be[op](x);
              o.push(y.data, be[`${op}Backward`](dy, y).data);
            }
            for (const then of [undefined, 'relu', 'sigmoid', 'tanh']) o.push(be.addBias(x, b, undefined, then).data);
            o.push(be.scale(x, 0.3).data, be.mul(x, dy).data, be.sub(x, dy).data);
            const w = be.tensor(x),
              g = be.tensor(dy),
              m1 = be.tensor(X(rows, cols)),
              v = be.tensor(M(rows, cols, data(rows * cols, seed++, dtype, 0, 1)));
            be.adamUpdate(w, g, m1, v, { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, t: 2 });
            be.momentumUpdate(w, g, v, 0.1, 0.9);
            be.axpy(0.5, g, w);
            o.push(w.toMatrix().data, m1.toMatrix().data, v.toMatrix().data);
          }
          be.dispose();
          outs.push(o);
        }
        outs[1].forEach((d, i) =>
          ok(
            d.every((v, j) => Object.is(v, outs[0][i][j])),
            `output ${i} differs on 3 threads`,
          ),
        );
      } finally {
        Object.assign(MIN_SHARE, saved);
      }
    },
  );
}

/** What this engine chose: the wasm build by default and with relaxedSimd, and what it supports. */
export async function choices() {
  const simd = await dl.createBackend('wasm');
  const relaxed = await dl.createBackend('wasm', { relaxedSimd: true });
  const two = await dl.createBackend('wasm', { threads: 2 });
  const info = {
    default: simd.variant,
    relaxedSimd: relaxed.variant,
    simdSupported: dl.simdSupported(),
    relaxedSimdSupported: dl.relaxedSimdSupported(),
    threads: simd.threads,
    threadsOf2: two.threads,
    threadsReason: two.threadsReason,
  };
  for (const b of [simd, relaxed, two]) b.dispose();
  return info;
}
