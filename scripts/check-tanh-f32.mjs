// Checks the float32 tanh kernel (assembly/tanh.ts) on every float32 in [0, 16] against Math.tanh:
// the worst relative error, that |y| <= 1, that the scalar build gives the SIMD build's bits, and
// the values at the specials. Beyond 7.8 the kernel holds x² at 7.8², so past 16 it gives 1 by
// the clamp; the kernel is odd (x enters only as x² and as the last factor; the clamp is
// symmetric), so the negatives mirror these. Run after `npm run build:wasm`; about a minute.
// The relaxed build is checked too where the engine has relaxed SIMD (Node 20: run with
// --experimental-wasm-relaxed-simd).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const builds = [];
for (const name of ['simd', 'scalar', 'relaxed']) {
  try {
    const bytes = readFileSync(join(root, 'build', `kernels-${name}.wasm`));
    const { instance } = await WebAssembly.instantiate(bytes, {
      env: {
        abort() {
          throw new Error('abort');
        },
      },
    });
    instance.exports.memory.grow(200);
    builds.push({ name, e: instance.exports, worst: 0, at: 0, outside: 0, differ: 0 });
  } catch (err) {
    console.log(`${name}: not checked (${err.message.split('\n')[0]})`);
  }
}

const N = 1 << 20,
  X = 1 << 20,
  Y = X + 4 * N;
const last = new Uint32Array(new Float32Array([16]).buffer)[0];
for (let a = 0; a <= last; a += N) {
  const n = Math.min(N, last + 1 - a);
  for (const b of builds) {
    const bits = new Uint32Array(b.e.memory.buffer, X, n);
    for (let i = 0; i < n; i++) bits[i] = a + i;
    b.e.tanh_f32(n, X, Y);
  }
  const xs = new Float32Array(builds[0].e.memory.buffer, X, n);
  const ys = builds.map((b) => new Float32Array(b.e.memory.buffer, Y, n));
  for (let i = 0; i < n; i++) {
    const want = Math.tanh(xs[i]);
    for (let j = 0; j < builds.length; j++) {
      const b = builds[j],
        y = ys[j][i];
      // relative error; below the smallest normal float32, absolute error in its units
      const err = Math.abs(y - want) / Math.max(Math.abs(want), 1.1754943508222875e-38);
      if (err > b.worst) {
        b.worst = err;
        b.at = xs[i];
      }
      if (!(Math.abs(y) <= 1)) b.outside++;
      if (b.name === 'scalar' && !Object.is(y, ys[0][i])) b.differ++;
    }
  }
}

const specials = [-0, 7.8, 16, 1000, 1e10, 3.4e38, Infinity, -Infinity, NaN, -1e-45];
for (const b of builds) {
  const x = new Float32Array(b.e.memory.buffer, X, specials.length);
  x.set(specials);
  b.e.tanh_f32(specials.length, X, Y);
  const y = Array.from(new Float32Array(b.e.memory.buffer, Y, specials.length));
  const show = (v) => (Object.is(v, -0) ? '-0' : String(v));
  console.log(
    `${b.name}: worst relative error ${b.worst.toExponential(2)} (at x = ${b.at}), |y| > 1: ${b.outside}` +
      (b.name === 'scalar' ? `, differs from the SIMD build: ${b.differ}` : ''),
  );
  console.log(`  ${specials.map((v, i) => `tanh(${show(v)}) = ${show(y[i])}`).join(', ')}`);
}
