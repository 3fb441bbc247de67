// Starting a worker from source text: a Blob URL in browsers, Deno and Bun; `eval` in Node's
// worker_threads. So there is no file to serve.
import { type FromWorker, type Handle, WORKER_CONSTANTS, type WorkerInit } from './protocol.js';
import { workerMain } from './worker.js';

// esbuild's keepNames (tsx, Vite's dev server) wraps functions in calls to a __name helper that
// the worker, holding only this text, does not have
const PRELUDE = 'var __name = (f) => f;';
/** The worker's program for Node's worker_threads; `hook` is a function's source, or 'undefined'. */
// process.getBuiltinModule where Node has it (20.16+): a script run as an ES module (-e or stdin
// with --input-type=module) makes the eval'd program a module too, where require does not exist
const nodeSource = (
  hook: string,
) => `${PRELUDE} const { parentPort, workerData } = typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule('node:worker_threads') : require('node:worker_threads');
(${workerMain.toString()})((m) => parentPort.postMessage(m), (f) => parentPort.on('message', f), workerData, ${JSON.stringify(WORKER_CONSTANTS)}, ${hook});`;
/** The worker's program for Web Workers. */
const webSource = (hook: string) => `${PRELUDE} self.onmessage = (first) => {
  const queue = [];
  let handler = null;
  self.onmessage = (e) => (handler ? handler(e.data) : queue.push(e.data));
  (${workerMain.toString()})((m) => self.postMessage(m), (f) => { handler = f; queue.splice(0).forEach(f); }, first.data, ${JSON.stringify(WORKER_CONSTANTS)}, ${hook});
};`;

/**
 * How workers are made here: node:worker_threads where there is one (Node, and Deno and Bun,
 * whose Web Workers would keep a script from exiting), else Web Workers.
 */
export async function startWorker(
  init: WorkerInit,
  onMessage: (m: FromWorker) => void,
  onDeath: (why: string) => void,
  /** a self-contained function run in the worker on 'other' messages (tests), or none */
  hook?: (payload: unknown) => unknown,
): Promise<Handle> {
  const hookSource = hook ? hook.toString() : 'undefined';
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!proc?.versions?.node && typeof Worker === 'function') {
    // Firefox 153: a Worker made inside a worker right after the kernels compiled sometimes never
    // returns from its constructor (5 of 210 page loads here); made from a task of its own, none
    // of 200 did. One timer turn, only inside a worker: a page in a background tab would have
    // its timers throttled, and the hang was never seen there
    if (typeof document === 'undefined') await new Promise((r) => setTimeout(r, 0));
    const url = URL.createObjectURL(new Blob([webSource(hookSource)], { type: 'text/javascript' }));
    let worker: Worker;
    try {
      worker = new Worker(url, { type: 'module', name: `dl-fundamentals ${init.index}` });
    } finally {
      // the worker has fetched it, or failed to
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    }
    worker.onmessage = (e) => onMessage(e.data);
    worker.onerror = (e) => {
      e.preventDefault?.();
      onDeath(
        `worker ${init.index} failed: ${e.message || 'it could not start (a Content-Security-Policy without worker-src blob:?)'}`,
      );
    };
    worker.postMessage(init);
    return { post: (m) => worker.postMessage(m), ref() {}, unref() {}, terminate: () => worker.terminate() };
  }
  // a specifier kept from bundlers, which would otherwise try to resolve it for the browser
  const specifier = 'node:worker_threads';
  const { Worker: NodeWorker } = (await import(/* @vite-ignore */ specifier)) as typeof import('node:worker_threads');
  const worker = new NodeWorker(nodeSource(hookSource), {
    eval: true,
    workerData: init,
    name: `dl-fundamentals ${init.index}`,
  });
  worker.on('message', onMessage);
  worker.on('error', (e) => onDeath(`worker ${init.index} failed: ${e.message}`));
  worker.on('exit', (code) => onDeath(`worker ${init.index} exited (code ${code})`));
  return {
    post: (m) => worker.postMessage(m),
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    terminate: () => void worker.terminate(),
  };
}
