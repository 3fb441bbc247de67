// npm start: a short tour of what the package does, on the wasm backend.
import { createBackend } from './index.js';

const wasm = await createBackend('wasm', { dtype: 'float64' });
const js = await createBackend('js', { dtype: 'float64' });
console.log(`dl-fundamentals: wasm backend (${wasm.variant} build), float64\n`);

const x = [[1, -5, 0, 3]];
console.log('sigmoid', x[0], '=', Array.from(wasm.sigmoid(x).data));
console.log('softmax [[9,2,5,0,0],[7,5,0,0,0]] =');
const s = wasm.softmax([[9, 2, 5, 0, 0], [7, 5, 0, 0, 0]]);
for (let r = 0; r < 2; r++) console.log('  ', Array.from(s.data.subarray(r * 5, r * 5 + 5), (v) => v.toExponential(8)).join('  '));

const n = 256;
const a = wasm.tensor({ rows: n, cols: n, data: Float64Array.from({ length: n * n }, (_, i) => Math.sin(i)) });
const aj = js.tensor(a.toMatrix());
for (const [name, opts] of [['A·B', {}], ['A·Bᵀ', { transB: true }], ['Aᵀ·B', { transA: true }]] as const) {
  let t = performance.now();
  const c = wasm.matmul(a, a, opts);
  const tw = performance.now() - t;
  t = performance.now();
  const cj = js.matmul(aj, aj, opts);
  const tj = performance.now() - t;
  const cd = c.toMatrix().data, jd = cj.toMatrix().data;
  let err = 0;
  for (let i = 0; i < cd.length; i++) err = Math.max(err, Math.abs(cd[i] - jd[i]));
  console.log(`matmul ${name} ${n}×${n}: wasm ${tw.toFixed(1)} ms, js ${tj.toFixed(1)} ms, max |difference| ${err.toExponential(1)}`);
  c.dispose();
  cj.dispose();
}
