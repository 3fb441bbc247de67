// The opt-in relaxed-SIMD build: chosen only when asked for and supported. Node 20 supports it
// behind a flag, so the check runs in a child process started with that flag.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createBackend, relaxedSimdSupported } from '../../src/index.js';

const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

describe('relaxed SIMD', () => {
  it('is off by default, and falls back to the SIMD build where the engine lacks it', async () => {
    expect((await createBackend('wasm')).variant).toBe('simd');
    const be = await createBackend('wasm', { relaxedSimd: true });
    expect(be.variant).toBe(relaxedSimdSupported() ? 'relaxed' : 'simd');
  });

  it("with the engine's support, { relaxedSimd: true } loads it and matmul stays right", () => {
    const script = `
      const dl = await import(${JSON.stringify(dist)});
      const be = await dl.createBackend('wasm', { relaxedSimd: true });
      let worst = 0;
      // every height of the 6-row micro-tile's edges (M mod 6), across 66-row blocks
      for (const [M, N, K] of [[67, 33, 300], [5, 17, 7], [128, 9, 65], [1000, 3, 2], [4, 40, 257]])
      for (const [transA, transB] of [[false, false], [false, true], [true, false]]) {
        const a = Float32Array.from({ length: M * K }, (_, i) => Math.sin(i));
        const b = Float32Array.from({ length: N * K }, (_, i) => Math.cos(3 * i));
        const c = be.matmul({ rows: transA ? K : M, cols: transA ? M : K, data: a }, { rows: transB ? N : K, cols: transB ? K : N, data: b }, { transA, transB });
        let d = 0, n = 0;
        for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
          let s = 0;
          for (let p = 0; p < K; p++) s += (transA ? a[p * M + i] : a[i * K + p]) * (transB ? b[j * K + p] : b[p * N + j]);
          d += (c.data[i * N + j] - s) ** 2; n += s * s;
        }
        worst = Math.max(worst, Math.sqrt(d / n));
      }
      console.log(JSON.stringify({ supported: dl.relaxedSimdSupported(), variant: be.variant, worst }));`;
    const out = execFileSync(
      process.execPath,
      ['--experimental-wasm-relaxed-simd', '--input-type=module', '-e', script],
      { encoding: 'utf8' },
    );
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r.supported).toBe(true);
    expect(r.variant).toBe('relaxed');
    expect(r.worst).toBeLessThanOrEqual(1e-5);
  });

  it("with the engine's support, its fused multiply-adds keep sigmoid, tanh and softmax to their accuracy and range", () => {
    const script = `
      const dl = await import(${JSON.stringify(dist)});
      const refs = {
        sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
        tanh: Math.tanh,
      };
      const out = {};
      for (const dtype of ['float32', 'float64']) {
        const be = await dl.createBackend('wasm', { relaxedSimd: true, dtype });
        const tiny = dtype === 'float64' ? 2.2250738585072014e-308 : 1.1754943508222875e-38;
        const lim = dtype === 'float64' ? 760 : 110;
        const xs = [];
        for (let x = -lim; x <= lim; x += 0.0371) xs.push(x);
        for (let x = -3; x <= 3; x += 0.000513) xs.push(x);
        for (let x = -10; x <= 10; x += 0.00123) xs.push(x);
        for (let e = -300; e <= 0; e += 0.5) xs.push(10 ** e, -(10 ** e));
        const held = be.tensor({ rows: 1, cols: xs.length, data: xs });
        const xin = held.toMatrix().data;
        const rel = (got, want) => {
          let w = 0;
          for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) w = Math.max(w, Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), tiny));
          return w;
        };
        for (const op of ['sigmoid', 'tanh']) {
          const y = be[op](held).toMatrix().data;
          out[op + ' ' + dtype] = rel(y, Array.from(xin, refs[op]));
          out[op + ' ' + dtype + ' out of range'] = Array.from(y).filter((v) => v < (op === 'tanh' ? -1 : 0) || v > 1).length;
        }
        const row = Array.from(xin.filter((v) => v <= 0 && v > -lim));
        const m = Math.max(...row);
        let s = 0;
        for (const v of row) s += Math.exp(v - m);
        out['softmax ' + dtype] = rel(be.softmax({ rows: 1, cols: row.length, data: row }).data, row.map((v) => Math.exp(v - m) / s));
        out.variant = be.variant;
      }
      console.log(JSON.stringify(out));`;
    const out = execFileSync(
      process.execPath,
      ['--experimental-wasm-relaxed-simd', '--input-type=module', '-e', script],
      { encoding: 'utf8' },
    );
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r.variant).toBe('relaxed');
    for (const dtype of ['float32', 'float64']) {
      const t = dtype === 'float64' ? 1e-14 : 1e-6;
      expect(r[`sigmoid ${dtype}`], `sigmoid ${dtype}`).toBeLessThanOrEqual(t);
      expect(r[`tanh ${dtype}`], `tanh ${dtype}`).toBeLessThanOrEqual(t);
      expect(r[`sigmoid ${dtype} out of range`] + r[`tanh ${dtype} out of range`]).toBe(0);
      expect(r[`softmax ${dtype}`], `softmax ${dtype}`).toBeLessThanOrEqual(10 * t);
    }
  });
});
