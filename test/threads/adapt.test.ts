// The governor that chooses how many threads an op runs on (adapt.ts): its policy on a
// simulated clock (ops whose times the test sets: threads faster, then slower, then faster
// again), and the real pool with a worker made late on purpose: the backend falls back to
// fewer threads, with the same bits, and recovers when the worker is on time again.
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/index.js';
import { ADAPT, Governor, keyOf, levelsFor } from '../../src/backends/wasm/threads/adapt.js';
import { pools } from '../../src/backends/wasm/threads/pools.js';
import { createWasmBackend } from '../../src/backends/wasm/index.js';
import { same } from './ops.js';

const saved = { ...ADAPT };
afterEach(() => Object.assign(ADAPT, saved));

/**
 * Runs ops on a simulated clock from `from` to `to` ms: each op takes msOn(threads) on the
 * threads the governor chooses. Returns the ops, their time, and the share run on each thread count.
 */
function drive(g: Governor, from: number, to: number, msOn: (threads: number) => number) {
  const on = new Map<number, number>();
  let t = from,
    ops = 0;
  while (t < to) {
    const level = g.choose(t);
    const threads = g.levels[level];
    const ms = msOn(threads);
    g.record(level, keyOf(3, 50000), 50000, t, t + ms);
    t += ms;
    ops++;
    on.set(threads, (on.get(threads) ?? 0) + 1);
  }
  return { ops, time: t - from, on: (threads: number) => (on.get(threads) ?? 0) / ops };
}

describe('threads: the governor', () => {
  it('levels: 1, 2, 4, … and the thread count', () => {
    expect(levelsFor(1)).toEqual([1]);
    expect(levelsFor(2)).toEqual([1, 2]);
    expect(levelsFor(3)).toEqual([1, 2, 3]);
    expect(levelsFor(6)).toEqual([1, 2, 4, 6]);
    expect(levelsFor(8)).toEqual([1, 2, 4, 8]);
  });

  it('keys: kernel and the power of two of the work, past 2^32 too', () => {
    expect(keyOf(2, 1)).toBe(128);
    expect(keyOf(2, 1023)).toBe(128 + 9);
    expect(keyOf(2, 1024)).toBe(128 + 10);
    expect(keyOf(0, 2 ** 40 + 5)).toBe(40);
  });

  it('keeps every thread while they are faster, falls back when they are slower, and comes back', () => {
    const g = new Governor(2, 0);
    // idle: 2 threads take 0.6 of one thread's time
    const idle = drive(g, 0, 3000, (t) => (t === 2 ? 0.6 : 1));
    expect(g.stats().threadsInUse).toBe(2);
    // probing one thread costs under 1% of the time: the ops' time against all on 2 threads
    expect(idle.time / (idle.ops * 0.6)).toBeLessThan(1.01);
    expect(g.stats().why).toBeUndefined();
    // a core busy: 2 threads take 1.6 of one thread's time; within 100 ms the governor is on 1
    drive(g, 3000, 3100, (t) => (t === 2 ? 1.6 : 1));
    expect(g.stats().threadsInUse).toBe(1);
    const busy = drive(g, 3100, 6000, (t) => (t === 2 ? 1.6 : 1));
    expect(busy.time / busy.ops).toBeLessThan(1.01);
    const s = g.stats();
    expect(s.why).toMatch(/^on 2 threads the ops ran slower: 1 ran them 1\.\d\d× as fast/);
    expect(s.lastProbe?.threads).toBe(2);
    // idle again: back on 2 within the longest wait between probes
    drive(g, 6000, 6000 + ADAPT.maxGapMs + 50, (t) => (t === 2 ? 0.6 : 1));
    expect(g.stats().threadsInUse).toBe(2);
    expect(g.stats().why).toBeUndefined();
  });

  it('big ops under load: probing more threads costs under 2% of the time', () => {
    // 10 ms ops (a 512³ product); 2 threads take 1.7 of one thread's time. A probe's two ops
    // (the first not measured: the workers wake) lose 14 ms, so probes that only doubled their
    // wait from 50 ms cost 2.4% of the three seconds after the move; with the budget, 1.4%
    const g = new Governor(2, 0);
    drive(g, 0, ADAPT.warmMs + 200, (t) => (t === 2 ? 17 : 10));
    expect(g.stats().threadsInUse).toBe(1);
    const busy = drive(g, ADAPT.warmMs + 200, ADAPT.warmMs + 3200, (t) => (t === 2 ? 17 : 10));
    expect(busy.time / (busy.ops * 10)).toBeLessThan(1.02);
  });

  it('warm: no probe in the first warmMs of ops; under load from the start, on one thread soon after', () => {
    const g = new Governor(2, 0);
    drive(g, 0, ADAPT.warmMs, (t) => (t === 2 ? 1.6 : 1));
    expect(g.stats().probes).toBe(0);
    drive(g, ADAPT.warmMs, ADAPT.warmMs + 100, (t) => (t === 2 ? 1.6 : 1));
    expect(g.stats().threadsInUse).toBe(1);
  });

  it('a level in the middle: 4 threads late, 2 on time (6 threads, some cores busy)', () => {
    const g = new Governor(4, 0);
    drive(g, 0, 500, (t) => [0, 1, 0.55, 0, 0.35][t]);
    expect(g.stats().threadsInUse).toBe(4);
    drive(g, 500, 4000, (t) => [0, 1, 0.55, 0, 1.3][t]);
    expect(g.stats().threadsInUse).toBe(2);
  });

  it('new work under load (a new op size) is checked within a probe, not a back-off, away', () => {
    const g = new Governor(2, 0);
    // a long stretch where 2 threads win, so the probes have backed off to the longest wait
    drive(g, 0, 20000, (t) => (t === 2 ? 0.6 : 1));
    expect(g.stats().threadsInUse).toBe(2);
    // now ops of another size, on a busy machine: 2 threads lose, and from their first op on
    // (nothing to compare them with at this level); within 200 ms one thread is in use
    let t = 20000;
    while (t < 20200) {
      const level = g.choose(t),
        ms = g.levels[level] === 2 ? 1.6 : 1;
      g.record(level, keyOf(5, 4096), 4096, t, t + ms);
      t += ms;
    }
    expect(g.stats().threadsInUse).toBe(1);
  });

  it('noise alone (each op ±30%) does not leave threads that are 1.5× faster', () => {
    const g = new Governor(2, 0);
    let seed = 1;
    const noise = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return 0.7 + 0.6 * (seed / 2 ** 32);
    };
    const r = drive(g, 0, 20000, (t) => (t === 2 ? 0.66 : 1) * noise());
    expect(r.on(2)).toBeGreaterThan(0.98);
  });

  /** Ops of `kinds` kinds in turn (a training step's ops), each taking msOn(threads, kind, n): n counts that kind's ops so far. */
  function driveKinds(
    g: Governor,
    from: number,
    until: (t: number) => boolean,
    kinds: number,
    msOn: (threads: number, n: number) => number,
  ) {
    const seen = new Array(kinds).fill(0);
    let t = from,
      i = 0;
    while (!until(t)) {
      const kind = i++ % kinds,
        level = g.choose(t),
        ms = msOn(g.levels[level], seen[kind]++);
      g.record(level, keyOf(kind, 50000), 50000, t, t + ms);
      t += ms;
    }
    return t;
  }

  it('warm-up: the slow first ops of each kind do not move an idle machine off its threads', () => {
    // an engine runs a kernel's first calls before it has optimized it: in the MLP step a
    // product's first five ops took 18, 14, 8, 6 and 8× their later time, on 1 thread and on
    // 2. Means seeded by them made one thread look 4–10× faster at the next probe, and the
    // governor moved. Whenever the first op comes (the data took a while to make), with 3 to 12
    // kinds of op in a step, the governor stays on every thread
    const moved: string[] = [];
    for (const kinds of [3, 6, 12])
      for (let start = 0; start < 300; start += 3) {
        const g = new Governor(2, 0);
        driveKinds(
          g,
          start,
          (t) => t > start + 1000,
          kinds,
          (threads, n) => (threads === 2 ? 0.3 : 0.5) * (1 + 14 * 0.6 ** n),
        );
        if (g.stats().changes) moved.push(`${kinds} kinds from ${start} ms`);
      }
    expect(moved).toEqual([]);
  });

  it('load that arrives among many kinds of op is moved from at the first probe', () => {
    // idle, 2 threads at 0.6 of one's time; then a core busy: 2 threads 1.25× slower than 1.
    // The means of 2 threads still hold idle times when the slowdown brings a probe forward:
    // held to them, one thread looked slower and the next probe was seconds away
    const g = new Governor(2, 0);
    let t = driveKinds(
      g,
      0,
      (t) => t > 20000,
      6,
      (threads) => (threads === 2 ? 0.3 : 0.5),
    );
    expect(g.stats().threadsInUse).toBe(2);
    const before = g.stats().probes;
    t = driveKinds(
      g,
      t,
      (t) => g.stats().threadsInUse === 1 || t > 30000,
      6,
      (threads) => (threads === 2 ? 0.65 : 0.52),
    );
    expect(g.stats().probes - before).toBe(1);
  });

  it('enabled: false keeps every thread', () => {
    ADAPT.enabled = false;
    const g = new Governor(2, 0);
    const r = drive(g, 0, 2000, (t) => (t === 2 ? 5 : 1));
    expect(r.on(2)).toBe(1);
  });
});

describe('threads: backend.stats()', () => {
  it('one thread (js, or wasm asked for one): nothing to choose', async () => {
    for (const be of [await createBackend('js'), await createBackend('wasm', { threads: 1 })]) {
      be.matmul(
        { rows: 300, cols: 300, data: new Float32Array(90000) },
        { rows: 300, cols: 300, data: new Float32Array(90000) },
      );
      expect(be.stats()).toEqual({
        threads: 1,
        threadsInUse: 1,
        splittableOps: 0,
        threadedOps: 0,
        probes: 0,
        changes: 0,
      });
      be.dispose();
    }
  });

  it('a threaded backend counts the ops big enough to split, and those it split', async () => {
    const be = await createBackend('wasm', { threads: 2 });
    const a = { rows: 200, cols: 300, data: new Float32Array(60000).fill(0.5) };
    be.matmul(a, a, { transB: true });
    // too small to split: not counted
    be.relu({ rows: 1, cols: 10, data: new Float32Array(10) });
    const s = be.stats();
    expect(s.threads).toBe(2);
    expect(s.splittableOps).toBe(1);
    expect(s.threadedOps).toBeLessThanOrEqual(1);
    be.dispose();
  });
});

describe('threads: a late worker on the real pool', () => {
  it('the backend falls back to fewer threads with the same bits, and recovers', async () => {
    // short waits and no warm-up, so that the test takes a second (the policy is tested above)
    Object.assign(ADAPT, { minGapMs: 20, maxGapMs: 100, warmMs: 0 });
    // the hook: a payload of a number makes the worker spin that many ms before each chunk it
    // takes (descheduled in the middle of an op, as on a busy machine); anything else ends that
    const lateBy = (payload: unknown) => {
      if (typeof payload !== 'number') return undefined;
      return () => {
        const until = performance.now() + payload;
        while (performance.now() < until) {
          /* late */
        }
      };
    };
    const source = pools({ workerHook: lateBy });
    const be = await createWasmBackend('float32', { threads: 2 }, source);
    const serial = await createBackend('wasm', { threads: 1 });
    const a = { rows: 200, cols: 300, data: Float32Array.from({ length: 60000 }, (_, i) => Math.sin(i)) };
    const x = { rows: 1, cols: 200000, data: Float32Array.from({ length: 200000 }, (_, i) => Math.cos(i) * 4) };
    const run = (b: Backend) => [b.matmul(a, a, { transB: true }), b.tanh(x)].map((m) => m.data);
    const want = run(serial);
    const sameAsSerial = () => run(be).every((d, i) => same(d, want[i]));
    const during = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until) expect(sameAsSerial()).toBe(true);
    };
    // (whether 2 threads are faster now depends on what else this machine runs: vitest runs
    // other files beside this one, so that is not asserted)
    during(200);
    // worker 1 late by 20 ms in each chunk: one thread is surely faster. How soon the backend
    // sees it depends on the machine: a worker that other processes keep off its core takes no
    // chunk and is not late, and under that load a probe can read noise as a win and go back up
    // for a moment. So the test waits for the fall-back (it came within 0.6 s in 25 runs with
    // both cores kept busy) and asserts what the backend says when it has fallen back.
    source().send(1, 20);
    let late = be.stats();
    for (const until = performance.now() + 10000; performance.now() < until && late.threadsInUse !== 1; ) {
      during(20);
      late = be.stats();
    }
    expect(late.threads).toBe(2);
    expect(late.threadsInUse).toBe(1);
    expect(late.why).toMatch(/^on 2 threads the ops ran slower/);
    // on time again: 2 threads are tried again within the longest wait, and taken when they
    // measure faster (on a quiet machine they do, at once; beside other tests they may not)
    source().send(1, 'on time');
    const probes = be.stats().probes;
    for (const until = performance.now() + 3000; performance.now() < until && be.stats().threadsInUse === 1; )
      during(50);
    const after = be.stats();
    expect(after.probes).toBeGreaterThan(probes);
    if (after.threadsInUse === 1) expect(after.lastProbe!.speedup).toBeLessThanOrEqual(ADAPT.marginUp);
    else expect(after.why).toBeUndefined();
    be.dispose();
    serial.dispose();
  }, 30000);

  it('a level below the thread count leaves the other workers out', async () => {
    // each worker counts the chunks it takes into a shared array sent to it
    const count = (payload: unknown) => {
      const [buffer, w] = payload as [SharedArrayBuffer, number];
      return () => Atomics.add(new Int32Array(buffer), w, 1);
    };
    const source = pools({ workerHook: count });
    const be = await createWasmBackend('float32', { threads: 4 }, source);
    const serial = await createBackend('wasm', { threads: 1 });
    const counts = new SharedArrayBuffer(16);
    for (const w of [1, 2, 3]) source().send(w, [counts, w]);
    const a = { rows: 256, cols: 256, data: Float32Array.from({ length: 65536 }, (_, i) => Math.sin(i)) };
    const want = serial.matmul(a, a).data;
    // every op held at 2 of the 4 threads
    ADAPT.pin = 2;
    for (let k = 0; k < 20; k++) expect(same(be.matmul(a, a).data, want)).toBe(true);
    const c = new Int32Array(counts);
    expect(c[1]).toBeGreaterThan(0);
    expect(c[2] + c[3]).toBe(0);
    expect(be.stats().threadedOps).toBeGreaterThan(0);
    be.dispose();
    serial.dispose();
  }, 30000);
});
