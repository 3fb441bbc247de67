// Fingerprints: a hash of the bits of everything the package computes from the same seeds and
// options (data sets, random draws, initial weights, schedules, samplers, every op on both
// backends and dtypes, seeded training runs), so that engines can be compared bit for bit: Node
// with Bun and Deno (scripts/test-engines.mjs), Node with Chromium and Firefox (test/e2e/browser).
// Plain JavaScript over the package given (`dl`, the built dist/), no imports: the pages load it.
// Inputs come from the package's MersenneTwister, never from the engine's Math.sin or Math.random.

/** FNV-1a over the IEEE bytes of each value, as two 32-bit lanes: a hex string. (A NaN's payload
 * bits are the engine's choice, so every NaN hashes as one.) */
function hash(values) {
  const view = new DataView(new ArrayBuffer(8));
  let a = 0x811c9dc5,
    b = 0x01000193 ^ values.length;
  for (const v of values) {
    view.setFloat64(0, Number.isNaN(v) ? Number.NaN : v, true);
    for (let i = 0; i < 8; i++) {
      const byte = view.getUint8(i);
      a = Math.imul(a ^ byte, 0x01000193);
      b = Math.imul(b ^ byte, 0x5bd1e995) ^ (b >>> 15);
    }
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

const flat = (m) => Array.from(m.data ?? m);

/** Values in [lo, hi] from a seeded generator: the same in every engine. */
function values(dl, n, seed, lo = -3, hi = 3) {
  const rng = new dl.MersenneTwister(seed);
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.random());
}

function opPrints(dl, be, tag) {
  const rows = 7,
    cols = 33;
  const t = (seed, lo, hi, r = rows, c = cols) =>
    be.tensor({ rows: r, cols: c, data: values(dl, r * c, seed, lo, hi) });
  const out = {};
  const put = (name, v) => {
    out[`${tag} ${name}`] = hash(typeof v === 'number' ? [v] : flat(v.toMatrix ? v.toMatrix() : v));
  };
  const x = t(1, -12, 12),
    dy = t(2, -1, 1),
    y01 = t(3, 0, 1),
    ym = t(4, -1, 1),
    bias = t(5, -1, 1, 1, cols);
  for (const f of ['relu', 'sigmoid', 'tanh', 'softmax']) put(f, be[f](x));
  put('reluBackward', be.reluBackward(dy, x));
  put('sigmoidBackward', be.sigmoidBackward(dy, y01));
  put('tanhBackward', be.tanhBackward(dy, ym));
  put('softmaxBackward', be.softmaxBackward(dy, be.softmax(x)));
  put('addBias', be.addBias(x, bias));
  for (const a of ['relu', 'sigmoid', 'tanh']) put(`addBias ${a}`, be.addBias(x, bias, undefined, a));
  put('sumCols', be.sumCols(x));
  put('scale', be.scale(x, -0.37));
  put('mul', be.mul(x, dy));
  put('sub', be.sub(x, dy));
  put('sumSquares', be.sumSquares(x));
  put('sumAbs', be.sumAbs(x));
  put('sigmoidCrossEntropy', be.sigmoidCrossEntropy(x, y01));
  const w = t(6, -1, 1);
  put('axpy', be.axpy(0.7, x, w));
  put('signAxpy', be.signAxpy(-0.3, x, w));
  const g = t(7, -1, 1);
  const [vel, sq, acc2, m1, m2] = [0, 1, 2, 3, 4].map(() => be.zeros(rows, cols));
  for (let step = 1; step <= 3; step++) {
    be.momentumUpdate(w, g, vel, 0.05, 0.9);
    be.rmspropUpdate(w, g, sq, 0.01, 0.9, 1e-8);
    be.adagradUpdate(w, g, acc2, 0.01, 1e-10);
    be.adamUpdate(w, g, m1, m2, { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, t: step });
  }
  put('optimizer updates', w);
  const a = t(8, -1, 1, 17, 65),
    b = t(9, -1, 1, 65, 33),
    bt = t(10, -1, 1, 33, 65),
    at = t(11, -1, 1, 65, 17);
  put('matmul A·B', be.matmul(a, b));
  put('matmul A·Bᵀ', be.matmul(a, bt, { transB: true }));
  put('matmul Aᵀ·B', be.matmul(at, b, { transA: true }));
  return out;
}

function trainingPrints(dl, be, tag) {
  const out = {};
  const spirals = dl.datasets.spirals({ samples: 150, classes: 3, seed: 2 });
  const model = dl.sequential(
    [dl.dense(8, { init: 'he' }), dl.tanh(), dl.dropout(0.2), dl.dense(4), dl.relu(), dl.dense(3), dl.softmax()],
    { inputSize: 2, backend: be, seed: 11 },
  );
  const h = model.fit(spirals.x, spirals.y, {
    loss: 'categoricalCrossEntropy',
    optimizer: dl.adam({ learningRate: dl.exponentialDecay({ initial: 0.02, rate: 0.9, every: 3 }) }),
    epochs: 6,
    batchSize: 32,
    l1: 0.001,
    l2: 0.01,
    shuffle: dl.numpyShuffle({ seed: 4 }),
  });
  out[`${tag} adam run: weights`] = hash(model.getWeights().flatMap((p) => flat(p)));
  out[`${tag} adam run: losses`] = hash(h.loss);
  model.dispose();
  const moons = dl.datasets.moons({ samples: 120, noise: 0.2, seed: 3 });
  const bin = dl.sequential([dl.dense(6, { init: 'xavier' }), dl.sigmoid(), dl.dense(1), dl.sigmoid()], {
    inputSize: 2,
    backend: be,
    seed: 5,
  });
  const h2 = bin.fit(moons.x, moons.y, {
    loss: 'binaryCrossEntropy',
    optimizer: dl.momentum({ learningRate: dl.inverseTimeDecay({ initial: 0.5, decay: 0.3 }) }),
    epochs: 8,
    batchSize: 40,
  });
  out[`${tag} momentum run: weights`] = hash(bin.getWeights().flatMap((p) => flat(p)));
  out[`${tag} momentum run: losses`] = hash(h2.loss);
  bin.dispose();
  return out;
}

/** Every fingerprint, by name. */
export async function fingerprints(dl) {
  const out = {};
  const d = dl.datasets;
  out.moons = hash([...flat(d.moons({ samples: 300, noise: 0.2, seed: 3 }).x)]);
  out.circles = hash([...flat(d.circles({ samples: 301, noise: 0.05, factor: 0.6, seed: 1 }).x)]);
  out.spirals = hash([...flat(d.spirals({ samples: 300, classes: 3, noise: 0.3, seed: 2 }).x)]);
  out.blobs = hash([...flat(d.blobs({ samples: 200, centers: 4, seed: 4 }).x)]);
  const split = d.trainTestSplit(d.moons({ samples: 50, seed: 1 }), { seed: 3 });
  out.trainTestSplit = hash([...flat(split.train.x), ...flat(split.test.x)]);
  out.football = hash([...flat(d.football().train.x)]);
  const rng = new dl.MersenneTwister(5);
  out.randn = hash(Array.from({ length: 2000 }, () => rng.randn()));
  const js64 = await dl.createBackend('js', { dtype: 'float64' });
  for (const init of ['he', 'xavier', 'random']) {
    const m = dl.sequential([dl.dense(30, { init }), dl.relu(), dl.dense(7, { init })], {
      inputSize: 13,
      backend: js64,
      seed: 7,
    });
    out[`init ${init}`] = hash(m.getWeights().flatMap((p) => flat(p)));
    m.dispose();
  }
  js64.dispose();
  const epochs = Array.from({ length: 120 }, (_, e) => e);
  const schedules = [
    dl.exponentialDecay({ initial: 0.1, rate: 0.96, every: 7 }),
    dl.exponentialDecay({ initial: 0.1, rate: 0.5, every: 10, staircase: true }),
    dl.stepDecay({ initial: 0.3, every: 9, factor: 0.7 }),
    dl.inverseTimeDecay({ initial: 0.5, decay: 0.3, every: 4 }),
  ];
  out.schedules = hash(schedules.flatMap((s) => epochs.map((e) => s.at(e))));
  const samplers = [dl.logUniform(1e-5, 1), dl.oneMinusLogUniform(0.8, 0.9999), dl.uniform(-2, 3)];
  const srng = new dl.MersenneTwister(9);
  out.samplers = hash(samplers.flatMap((s) => Array.from({ length: 200 }, () => s.sample(srng))));
  for (const dtype of ['float32', 'float64']) {
    for (const name of ['js', 'wasm']) {
      const be = await dl.createBackend(name, name === 'wasm' ? { dtype, threads: 1 } : { dtype });
      Object.assign(out, opPrints(dl, be, `${name} ${dtype}`), trainingPrints(dl, be, `${name} ${dtype}`));
      be.dispose();
    }
  }
  return out;
}

/** The names whose fingerprints differ between two sets (or are missing from one). */
export function differences(mine, reference) {
  const names = new Set([...Object.keys(mine), ...Object.keys(reference)]);
  return [...names].filter((k) => mine[k] !== reference[k]).sort();
}
