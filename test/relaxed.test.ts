// The opt-in relaxed-SIMD build: chosen only when asked for and supported. Node 20 supports it
// behind a flag, so the check runs in a child process started with that flag.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createBackend, relaxedSimdSupported } from '../src/index.js';

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('relaxed SIMD', () => {
  it('is off by default, and falls back to the SIMD build where the engine lacks it', async () => {
    expect((await createBackend('wasm')).variant).toBe('simd');
    const be = await createBackend('wasm', { relaxedSimd: true });
    expect(be.variant).toBe(relaxedSimdSupported() ? 'relaxed' : 'simd');
  });

  it('with the engine\'s support, { relaxedSimd: true } loads it and matmul stays right', () => {
    const script = `
      const dl = await import(${JSON.stringify(dist)});
      const be = await dl.createBackend('wasm', { relaxedSimd: true });
      const M = 67, N = 33, K = 300;
      const a = Float32Array.from({ length: M * K }, (_, i) => Math.sin(i));
      const b = Float32Array.from({ length: N * K }, (_, i) => Math.cos(3 * i));
      let worst = 0;
      for (const [transA, transB] of [[false, false], [false, true], [true, false]]) {
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
    const out = execFileSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r.supported).toBe(true);
    expect(r.variant).toBe('relaxed');
    expect(r.worst).toBeLessThanOrEqual(1e-5);
  });
});
