// fit and fitAsync: two drivers of the one training loop (loop.ts). fit runs it to the end;
// fitAsync awaits callbacks' Promises and hands the thread back to the event loop every few
// milliseconds, so a page stays responsive while it trains.
import type { Tensor } from '../../backends/backend.js';
import type { MatrixLike } from '../../core/matrix.js';
import type { Labels } from '../data.js';
import type { Inspector } from '../inspection.js';
import type { Model } from '../model.js';
import { TICK, TrainingFailure, loop, now } from './loop.js';
import { plan } from './plan.js';
import type { FitOptions, History } from './types.js';

/** the callback objects of the fits that are running: one object serves one fit at a time */
const running = new WeakSet<object>();

/** Marks the user's callbacks as in use by this fit, refusing one another fit is using; returns the release. */
function claim(callbacks: readonly object[] | undefined, op: string): () => void {
  const list = callbacks ?? [];
  list.forEach((cb, i) => {
    if (running.has(cb)) {
      const name = (cb as { name?: string }).name;
      throw new Error(
        `${op}: callbacks[${i}]${name ? ` (${name})` : ''} is in use by another fit that is running; give each fit its own (earlyStopping() keeps the state of one run)`,
      );
    }
  });
  for (const cb of list) running.add(cb);
  return () => {
    for (const cb of list) running.delete(cb);
  };
}

export function fitSync(
  model: Model,
  x: MatrixLike | Tensor,
  y: Labels | Tensor,
  opts: FitOptions,
  inspector: Inspector | null = null,
): History {
  const release = claim(userCallbacks(opts), 'fit');
  try {
    // never asked to pause, so all the loop hands back is a callback's Promise: refused here
    const gen = loop(model, plan(model, x, y, opts, 'fit', inspector), () => false);
    let r = gen.next();
    while (!r.done) {
      const name = r.value === TICK ? 'a callback' : r.value.name;
      r = gen.throw(
        new TrainingFailure(
          `${name} returned a Promise; fit runs callbacks synchronously: use fitAsync for async callbacks`,
        ),
      );
    }
    return r.value;
  } finally {
    release();
  }
}

/** The callback objects the user gave, if options and callbacks are what they should be (plan says otherwise). */
const userCallbacks = (opts: FitOptions): object[] | undefined =>
  opts && typeof opts === 'object' && Array.isArray(opts.callbacks)
    ? opts.callbacks.filter((cb) => cb && typeof cb === 'object')
    : undefined;

/** Hands the thread back to the event loop: rendering and input run, then training goes on. */
const yieldToEventLoop: () => Promise<void> = (() => {
  // (not scheduler.yield(): its continuation runs ahead of waiting tasks, and input can starve)
  const g = globalThis as { setImmediate?: (f: () => void) => void };
  if (typeof g.setImmediate === 'function') return () => new Promise<void>((r) => g.setImmediate!(r));
  if (typeof MessageChannel !== 'undefined') {
    return () =>
      new Promise<void>((r) => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => {
          ch.port1.close();
          r();
        };
        ch.port2.postMessage(0);
      });
  }
  return () => new Promise<void>((r) => setTimeout(r, 0));
})();

/** How long fitAsync works before it yields: well under a 50 ms long task, and a frame's worth. */
const SLICE_MS = 10;

export async function fitAsync(
  model: Model,
  x: MatrixLike | Tensor,
  y: Labels | Tensor,
  opts: FitOptions,
  inspector: Inspector | null = null,
): Promise<History> {
  const release = claim(userCallbacks(opts), 'fitAsync');
  try {
    return await fitAsyncClaimed(model, x, y, opts, inspector);
  } finally {
    release();
  }
}

async function fitAsyncClaimed(
  model: Model,
  x: MatrixLike | Tensor,
  y: Labels | Tensor,
  opts: FitOptions,
  inspector: Inspector | null,
): Promise<History> {
  const checked = plan(model, x, y, opts, 'fitAsync', inspector);
  // start on a fresh task: the caller's own synchronous work does not add to the first slice
  // (the model counts as training from here: no second fit can start in between)
  model.training = true;
  await yieldToEventLoop();
  let last = now();
  const gen = loop(model, checked, () => now() - last >= SLICE_MS);
  let r = gen.next();
  while (!r.done) {
    const v = r.value;
    if (v === TICK) {
      await yieldToEventLoop();
      last = now();
      r = gen.next();
      continue;
    }
    // a flag, not the value: a Promise may reject with null or undefined, and that is a failure too
    let settled: unknown,
      failed: unknown,
      rejected = false;
    try {
      settled = await v.promise;
    } catch (e) {
      failed = e;
      rejected = true;
    }
    last = now();
    r = rejected
      ? gen.throw(
          new TrainingFailure(`${v.name} threw: ${(failed as Error)?.message ?? String(failed)}`, { cause: failed }),
        )
      : gen.next(settled);
  }
  return r.value;
}
