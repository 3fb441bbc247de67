// The in-page benchmark, and what this browser supports.
import * as dl from 'dl-fundamentals';
import { $, nextFrame, showErrorIn, backendFor } from '../common.ts';

/** Wires the panel's controls. */
export function initBenchmark(): void {
  $('support').textContent =
    `This browser: WebAssembly SIMD ${dl.simdSupported() ? 'yes' : 'no'}, relaxed SIMD ${dl.relaxedSimdSupported() ? 'yes' : 'no'}.`;
  backendFor('wasm', 'float32').then(
    (be) => {
      $('threads').textContent =
        be.threads > 1
          ? `The wasm backend runs on ${be.threads} threads (this page is cross-origin isolated).`
          : `The wasm backend runs on 1 thread: ${be.threadsReason ?? 'one was asked for'}.`;
    },
    (e) => showErrorIn('bench-error', e),
  );
  $('run-bench').addEventListener('click', async () => {
    const out = $('bench-out');
    const b = $<HTMLButtonElement>('run-bench');
    b.disabled = true;
    out.textContent = 'measuring…';
    const rows: [string, number, number, string][] = [];
    const time = async (f: () => void, ms = 150) => {
      f();
      let n = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < ms) {
        f();
        n++;
      }
      await nextFrame();
      return (performance.now() - t0) / n;
    };
    try {
      const wasm = await backendFor('wasm', 'float32'),
        js = await backendFor('js', 'float32');
      for (const [name, o] of [
        ['A·B', {}],
        ['A·Bᵀ', { transB: true }],
        ['Aᵀ·B', { transA: true }],
      ] as const) {
        const ms: number[] = [];
        for (const be of [wasm, js]) {
          const a = be.zeros(256, 256),
            c = be.zeros(256, 256);
          ms.push(await time(() => be.matmul(a, a, { ...o, out: c })));
          a.dispose();
          c.dispose();
        }
        rows.push([`matmul ${name} 256`, (2 * 256 ** 3) / ms[0] / 1e6, (2 * 256 ** 3) / ms[1] / 1e6, 'GFLOPS']);
      }
      const data = dl.datasets.circles({ samples: 300, noise: 0.05, seed: 1 });
      const ms: number[] = [];
      for (const be of [wasm, js]) {
        const m = dl.sequential([dl.dense(10), dl.relu(), dl.dense(5), dl.relu(), dl.dense(1), dl.sigmoid()], {
          inputSize: 2,
          backend: be,
          seed: 3,
        });
        const x = be.tensor(data.x),
          y = be.tensor(data.y);
        ms.push(await time(() => m.fit(x, y, { loss: 'binaryCrossEntropy', epochs: 1 })));
        m.dispose();
        x.dispose();
        y.dispose();
      }
      rows.push(['training step 2-10-5-1, 300 examples', ms[0], ms[1], 'ms']);
      const max = Math.max(...rows.map((r) => (r[3] === 'ms' ? r[2] / r[1] : r[1] / r[2])));
      out.innerHTML = `<table class="bars"><thead><tr><th>case</th><th>wasm</th><th>js</th><th>wasm / js</th></tr></thead><tbody>${rows
        .map((r) => {
          const ratio = r[3] === 'ms' ? r[2] / r[1] : r[1] / r[2];
          return `<tr><td>${r[0]}</td><td>${r[1].toFixed(r[3] === 'ms' ? 3 : 1)} ${r[3]}</td><td>${r[2].toFixed(r[3] === 'ms' ? 3 : 2)} ${r[3]}</td>
        <td><span class="bar" style="width:${((100 * ratio) / max).toFixed(1)}%"></span> ${ratio.toFixed(1)}×</td></tr>`;
        })
        .join('')}</tbody></table>`;
    } catch (e) {
      showErrorIn('bench-error', e);
    }
    b.disabled = false;
  });
}
