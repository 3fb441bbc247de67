// Runs in the page: a matmul on the wasm backend compared with the js backend, threads, and the
// fingerprints of everything computed (compared with Node's bit for bit).
import { fingerprints } from '../../engines/fingerprints.js';
export async function check(dl) {
  const wasm = await dl.createBackend('wasm');
  const js = await dl.createBackend('js');
  const M = 67,
    K = 35,
    N = 19;
  const a = { rows: M, cols: K, data: Float32Array.from({ length: M * K }, (_, i) => Math.sin(i)) };
  const b = { rows: N, cols: K, data: Float32Array.from({ length: N * K }, (_, i) => Math.cos(i)) };
  const cw = wasm.matmul(a, b, { transB: true });
  const cj = js.matmul(a, b, { transB: true });
  let d = 0,
    n = 0;
  for (let i = 0; i < cj.data.length; i++) {
    d += (cw.data[i] - cj.data[i]) ** 2;
    n += cj.data[i] ** 2;
  }
  const relaxed = await dl.createBackend('wasm', { relaxedSimd: true });
  const cr = relaxed.matmul(a, b, { transB: true });
  let dr = 0;
  for (let i = 0; i < cj.data.length; i++) dr += (cr.data[i] - cj.data[i]) ** 2;
  // threads: on 2 where the page is cross-origin isolated, with the same bits as on 1
  const one = await dl.createBackend('wasm', { threads: 1 });
  const two = await dl.createBackend('wasm', { threads: 2 });
  const size = 130;
  const x = { rows: size, cols: size, data: Float32Array.from({ length: size * size }, (_, i) => Math.sin(i * 0.37)) };
  const c1 = one.matmul(x, x, { transB: true }).data,
    c2 = two.matmul(x, x, { transA: true }).data,
    c3 = one.matmul(x, x, { transA: true }).data;
  const s1 = one.sigmoid({
    rows: 300,
    cols: 100,
    data: Float32Array.from({ length: 30000 }, (_, i) => Math.cos(i)),
  }).data;
  const s2 = two.sigmoid({
    rows: 300,
    cols: 100,
    data: Float32Array.from({ length: 30000 }, (_, i) => Math.cos(i)),
  }).data;
  const same = (a, b) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  const t2 = two.matmul(x, x, { transB: true }).data;
  const auto = await dl.createBackend('wasm');
  const threads = {
    threads: two.threads,
    threadsReason: two.threadsReason,
    autoThreads: auto.threads,
    threadsSame: same(c1, t2) && same(c2, c3) && same(s1, s2),
    isolated: globalThis.crossOriginIsolated,
  };
  for (const b of [one, two, auto]) b.dispose();
  return {
    ...threads,
    variant: wasm.variant,
    rows: cw.rows,
    cols: cw.cols,
    relError: Math.sqrt(d / n),
    simd: dl.simdSupported(),
    relaxedVariant: relaxed.variant,
    relaxedRelError: Math.sqrt(dr / n),
    adam: await adamRun(dl),
    fingerprints: await fingerprints(dl),
  };
}

/**
 * 60 Adam steps from given weights (no initializer draw) on js and wasm in float64: the final
 * weights, to be compared bit for bit with the same run in Node. Adam's bias correction 1 − βᵗ
 * must not come from the engine's own pow, which differs by an ulp between engines.
 */
export async function adamRun(dl) {
  const out = {};
  for (const name of ['js', 'wasm']) {
    const backend = await dl.createBackend(
      name,
      name === 'wasm' ? { dtype: 'float64', threads: 1 } : { dtype: 'float64' },
    );
    const model = dl.sequential([dl.dense(5), dl.tanh(), dl.dense(1), dl.sigmoid()], { inputSize: 3, backend });
    model.setWeights(
      model.getWeights().map((w) => ({
        ...w,
        data: Float64Array.from(w.data, (_, i) => ((((i + w.data.length) * 37) % 19) - 9) / 20),
      })),
    ); // no Math.sin: engines differ there too
    const x = { rows: 8, cols: 3, data: Float64Array.from({ length: 24 }, (_, i) => (i % 7) / 7 - 0.4) };
    model.fit(x, [0, 1, 1, 0, 1, 0, 0, 1], {
      loss: 'binaryCrossEntropy',
      optimizer: dl.adam({ learningRate: 0.05 }),
      epochs: 60,
    });
    out[name] = model.getWeights().map((w) => Array.from(w.data));
    backend.dispose();
  }
  return out;
}
