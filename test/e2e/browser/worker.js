// Runs in a module Worker: the built package, off the main thread, with the same check.
import * as dl from '/dist/index.js';
import { check } from './check.js';

// inWorker: what the worker's global scope says, not what the page assumes
check(dl).then(
  (r) => postMessage({ ...r, inWorker: typeof document === 'undefined' && typeof WorkerGlobalScope !== 'undefined' }),
  (e) => postMessage({ error: String(e?.stack || e) }),
);
