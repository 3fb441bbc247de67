// The threaded wasm backend in Node: every op gives the same bits on 1, 2, 3 and 4 threads
// (with the size thresholds lowered so that even the awkward sizes split), training too; the
// threads option; falling back; dispose; a worker that dies.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { adam, createBackend, dense, dropout, relu, sequential, softmax, tanh, type Backend } from '../../src/index.js';
import { Pool, TIMEOUTS } from '../../src/backends/wasm/threads/pool.js';
import { pool, pools } from '../../src/backends/wasm/threads/pools.js';
import { createWasmBackend } from '../../src/backends/wasm/index.js';
import { randomData } from '../helpers.js';
import { THREADS, differencesAcrossThreads, same } from './ops.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The worker hook these tests give their pools: the worker stays in its message handler, taking
 * no chunk (as a descheduled one would), until the flag sent is set and notified. Self-contained:
 * it runs in the worker as source text.
 */
const hold = (flag: unknown) => {
  Atomics.wait(new Int32Array(flag as SharedArrayBuffer), 0, 0);
};

describe('threads: the same bits on any thread count', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const build of [{ simd: true }, { simd: false }]) {
      it(`every op, ${dtype}, ${JSON.stringify(build)}, on ${THREADS.join(', ')} threads`, async () => {
        const r = await differencesAcrossThreads(dtype, build);
        expect(r.variant).toBe(build.simd ? 'simd' : 'scalar');
        expect(r.differ).toEqual([]);
      }, 120000);
    }
  }

  it(`every op, both dtypes, the relaxed-SIMD build, on ${THREADS.join(', ')} threads (Node with the flag that turns it on)`, () => {
    const r = spawnSync(
      process.execPath,
      ['--experimental-wasm-relaxed-simd', '--import', 'tsx', 'test/threads/relaxed-child.ts'],
      { cwd: root, encoding: 'utf8', timeout: 120000 },
    );
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      dtype: string;
      variant: string;
      differ: string[];
    }[];
    expect(out.map((o) => o.dtype)).toEqual(['float32', 'float64']);
    for (const o of out) {
      expect(o.variant, o.dtype).toBe('relaxed');
      expect(o.differ, o.dtype).toEqual([]);
    }
  }, 120000);

  it('training an MLP with Adam and dropout: the same weights and losses on 1 and 3 threads, memory grown after creation', async () => {
    const run = async (threads: number) => {
      const be = await createBackend('wasm', { threads });
      const before = be.memory().reservedBytes;
      const model = sequential(
        [dense(300, { init: 'he' }), relu(), dropout(0.2), dense(64), tanh(), dense(10), softmax()],
        { inputSize: 200, backend: be, seed: 4 },
      );
      const x = { rows: 256, cols: 200, data: randomData(256 * 200, 9, 'float32') };
      const y = {
        rows: 256,
        cols: 10,
        data: Float32Array.from({ length: 2560 }, (_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0)),
      };
      const h = model.fit(x, y, {
        loss: 'categoricalCrossEntropy',
        optimizer: adam({ learningRate: 0.003 }),
        epochs: 3,
        batchSize: 64,
      });
      expect(be.memory().reservedBytes).toBeGreaterThan(before);
      const w = model.getWeights().map((t) => Float64Array.from(t.data));
      be.dispose();
      return { loss: h.loss, w };
    };
    const one = await run(1),
      three = await run(3);
    expect(three.loss).toEqual(one.loss);
    one.w.forEach((w, i) => expect(same(three.w[i], w), `weight tensor ${i}`).toBe(true));
  }, 120000);
});

describe('threads: choosing, falling back, ending', () => {
  it("'auto' (the default) takes the machine's cores, at most 8", async () => {
    const be = await createBackend('wasm');
    expect(be.threads).toBe(Math.min(availableParallelism(), 8));
    expect(be.threadsReason).toBe(availableParallelism() === 1 ? 'one core is available' : undefined);
    be.dispose();
    const js = await createBackend('js');
    expect(js.threads).toBe(1);
  });

  it('a bad thread count is an error naming it; js has no threads option', async () => {
    for (const bad of [0, 17, 2.5, -1, NaN, '2', 'many', true]) {
      await expect(createBackend('wasm', { threads: bad as number })).rejects.toThrow(
        /threads must be 'auto' or an integer from 1 to 16, got/,
      );
    }
    await expect(createBackend('js', { threads: 2 } as object)).rejects.toThrow('unknown option "threads"');
  });

  it('without SharedArrayBuffer, or in a page that is not cross-origin isolated: one thread, and why', async () => {
    const g = globalThis as { SharedArrayBuffer?: unknown; crossOriginIsolated?: boolean };
    const sab = g.SharedArrayBuffer;
    try {
      delete g.SharedArrayBuffer;
      const be = await createBackend('wasm', { threads: 4 });
      expect(be.threads).toBe(1);
      expect(be.threadsReason).toMatch(/SharedArrayBuffer is not available: a page must be cross-origin isolated/);
    } finally {
      g.SharedArrayBuffer = sab;
    }
    try {
      g.crossOriginIsolated = false;
      const be = await createBackend('wasm', { threads: 2 });
      expect(be.threads).toBe(1);
      expect(be.threadsReason).toMatch(
        /Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp/,
      );
    } finally {
      delete g.crossOriginIsolated;
    }
    const custom = await createBackend('wasm', {
      threads: 2,
      wasm: await (await import('../../src/backends/wasm/loader.js')).embeddedModule('simd'),
    });
    expect(custom.threads).toBe(1);
    expect(custom.threadsReason).toMatch(/a module of your own was given/);
  });

  it('dispose ends the workers with the last backend; later calls are errors', async () => {
    const a = await createBackend('wasm', { threads: 2 });
    const b = await createBackend('wasm', { threads: 3 });
    const p = pool();
    expect(p.workers.length).toBeGreaterThanOrEqual(2);
    a.dispose();
    expect(p.workers.every((w) => !w.dead)).toBe(true);
    b.matmul(
      { rows: 64, cols: 64, data: new Float32Array(4096) },
      { rows: 64, cols: 64, data: new Float32Array(4096) },
    );
    b.dispose();
    expect(p.workers.every((w) => w.dead)).toBe(true);
    expect(() => b.zeros(2, 2)).toThrow('the wasm/float32 backend was disposed');
    b.dispose(); // twice is fine
    // and a new backend starts new workers
    const c = await createBackend('wasm', { threads: 2 });
    expect(pool()).not.toBe(p);
    expect(c.threads).toBe(2);
    c.dispose();
  });

  it('an op right after a message to the workers (a backend ended) runs each share once, with the right answer', async () => {
    // disposing a backend sends the workers a message; the op after it must not hand out its
    // shares while a worker is still reading that message's slot (it ran a share twice, or
    // missed it, and the caller could wait for ever)
    const keep = await createBackend('wasm', { threads: 3 });
    const serial = await createBackend('wasm', { threads: 1 });
    const a = { rows: 96, cols: 80, data: Float32Array.from({ length: 96 * 80 }, (_, i) => Math.sin(i)) };
    const want = Array.from(serial.matmul(a, a, { transB: true }).data);
    for (let k = 0; k < 40; k++) {
      const other = await createBackend('wasm', { threads: 1 + (k % 3) });
      other.dispose();
      expect(Array.from(keep.matmul(a, a, { transB: true }).data)).toEqual(want);
      expect(Array.from(keep.matmul(a, a, { transB: true }).data)).toEqual(want);
    }
    keep.dispose();
    serial.dispose();
  }, 60000);

  it('a worker that is late (descheduled, busy) holds nothing up: the others take its chunks, with the same bits', async () => {
    const serial = await createBackend('wasm', { threads: 1 });
    const source = pools({ workerHook: hold });
    const be = await createWasmBackend('float32', { threads: 3 }, source);
    const a = { rows: 300, cols: 260, data: Float32Array.from({ length: 300 * 260 }, (_, i) => Math.sin(i)) };
    const x = { rows: 1, cols: 300000, data: Float32Array.from({ length: 300000 }, (_, i) => Math.cos(i) * 4) };
    const run = (b: Backend) =>
      [b.matmul(a, a, { transB: true }), b.matmul(a, a, { transA: true }), b.tanh(x), b.softmax(a)].map((m) => m.data);
    const want = run(serial);
    const sameAsSerial = () => run(be).every((d, i) => same(d, want[i]));
    // worker 1, then both, kept in a message handler until released: were an op waiting for a
    // held worker's part, it would never return (the held worker would never run it)
    for (const held of [[1], [1, 2]]) {
      const flag = new Int32Array(new SharedArrayBuffer(4));
      for (const w of held) source().send(w, flag.buffer);
      for (let k = 0; k < 5; k++) expect(sameAsSerial()).toBe(true);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      expect(sameAsSerial()).toBe(true);
    }
    be.dispose();
    serial.dispose();
  }, 30000);

  it('a worker that does not start in time: the new backend runs on one thread and says why; the backends already there go on', async () => {
    const a = { rows: 96, cols: 80, data: Float32Array.from({ length: 96 * 80 }, (_, i) => Math.sin(i)) };
    const serial = await createBackend('wasm', { threads: 1 });
    const want = serial.matmul(a, a, { transB: true }).data;
    // pools of their own, with a short start timeout
    const source = pools({ timeouts: { ...TIMEOUTS, startMs: 300 }, workerHook: hold });
    const make = () => createWasmBackend('float32', { threads: 2 }, source);
    const keep = await make();
    const before = source();
    // worker 1 stays in a message handler, so it cannot answer the next backend's attach
    const flag = new Int32Array(new SharedArrayBuffer(4));
    before.send(1, flag.buffer);
    try {
      const t0 = Date.now();
      const late = await make();
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(late.threads).toBe(1);
      expect(late.threadsReason).toBe('the workers could not start: worker 1 did not start within 0.3 s');
      expect(same(late.matmul(a, a, { transB: true }).data, want)).toBe(true);
      expect(same(keep.matmul(a, a, { transB: true }).data, want)).toBe(true);
      late.dispose();
    } finally {
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    }
    // the pool that kept a backend waiting takes no new one: the next gets a new pool, on 2 threads
    expect(before.broken).toBe('worker 1 did not start within 0.3 s');
    const next = await make();
    expect(next.threads).toBe(2);
    expect(source()).not.toBe(before);
    expect(same(next.matmul(a, a, { transB: true }).data, want)).toBe(true);
    expect(same(keep.matmul(a, a, { transB: true }).data, want)).toBe(true);
    for (const b of [next, keep, serial]) b.dispose();
  }, 30000);

  it('a worker that hangs in the middle of its chunk: the op gives up after the timeout, naming it', async () => {
    // a module on a shared memory whose one export, spin, never returns
    const bytes = Uint8Array.of(
      0,
      97,
      115,
      109,
      1,
      0,
      0,
      0,
      1,
      4,
      1,
      0x60,
      0,
      0, // type 0: () -> ()
      2,
      16,
      1,
      3,
      101,
      110,
      118,
      6,
      109,
      101,
      109,
      111,
      114,
      121,
      2,
      3,
      1,
      1, // import env.memory, shared, 1..1 pages
      3,
      2,
      1,
      0, // function 0 of type 0
      7,
      8,
      1,
      4,
      115,
      112,
      105,
      110,
      0,
      0, // export "spin"
      10,
      9,
      1,
      7,
      0,
      3,
      0x40,
      12,
      0,
      11,
      11,
    ); // body: loop br 0 end end
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const p = new Pool({ timeouts: { ...TIMEOUTS, chunkMs: 300 } });
    try {
      const id = await p.attach(new WebAssembly.Module(bytes), memory, ['spin'], 1, [0, 0]);
      // the caller's chunks take 50 ms each, so the worker surely takes one of the eight
      const slow = () => {
        const t = performance.now();
        while (performance.now() - t < 50);
      };
      const t0 = Date.now();
      expect(() => p.run(id, 1, { fn: 0, chunks: Array.from({ length: 8 }, () => []), scratchAt: -1 }, slow)).toThrow(
        /wasm backend: worker 1 did not finish its part of an op within 0.3 s \(it died or hangs\); make a new backend/,
      );
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(p.broken).toMatch(/worker 1 did not finish/);
    } finally {
      p.terminate();
    }
  }, 30000);

  it('a Node script that never calls dispose exits on its own', () => {
    const script = `import('./dist/index.js').then(async (dl) => {
      const be = await dl.createBackend('wasm', { threads: 2 });
      const m = be.matmul({ rows: 200, cols: 200, data: new Float32Array(40000).fill(1) }, { rows: 200, cols: 200, data: new Float32Array(40000).fill(1) });
      console.log(be.threads, m.data[0]);
    });`;
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 20000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('2 200');
    expect(r.status).toBe(0);
    expect(Date.now() - t0).toBeLessThan(15000);
  });

  it('threads start in a script Node runs as an ES module (--input-type=module, from -e or stdin)', () => {
    const script = `const dl = await import('./dist/index.js');
      const be = await dl.createBackend('wasm', { threads: 2 });
      console.log(be.threads, be.threadsReason ?? 'ok');
      be.dispose();`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('2 ok');
  });

  it('threads start from the TypeScript sources run through tsx (esbuild, keepNames) too', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        "import('./src/index.ts').then(async (dl) => { const be = await dl.createBackend('wasm', { threads: 2 }); console.log(be.threads, be.threadsReason ?? ''); })",
      ],
      { cwd: root, encoding: 'utf8', timeout: 30000 },
    );
    expect(r.stdout.trim()).toBe('2');
  });

  it('a worker that died gives a clear error on the next op, not a hang', async () => {
    const big = { rows: 128, cols: 128, data: new Float32Array(128 * 128).fill(0.5) };
    // died and the event loop has seen it exit
    const a = await createBackend('wasm', { threads: 2 });
    pool().workers[0].terminate();
    await new Promise((r) => setTimeout(r, 200));
    expect(() => a.matmul(big, big)).toThrow(
      /wasm backend: worker 1 (exited|was ended).*make a new backend with createBackend/,
    );
    // the next backend gets a new pool
    const b = await createBackend('wasm', { threads: 2 });
    expect(b.threads).toBe(2);
    expect(b.matmul(big, big).data[0]).toBe(32);
    // ended from this thread while the event loop has not run: known at once
    pool().workers[0].terminate();
    expect(() => b.matmul(big, big)).toThrow(/wasm backend: worker 1 was ended.*make a new backend with createBackend/);
    a.dispose();
    b.dispose();
  }, 30000);
});
