// createBackend: the one way to get a backend.
import { checkDType, describe, type DType } from '../matrix.js';
import type { Backend, BackendName } from './backend.js';
import { createJsBackend } from './js/index.js';
import { createWasmBackend, type WasmOptions } from './wasm/index.js';

export interface BackendOptions extends WasmOptions {
  /** 'float32' (default) or 'float64' */
  dtype?: DType;
}

/** A backend: 'wasm' (SIMD kernels, the default) or 'js' (plain TypeScript, the reference). */
export async function createBackend(name: BackendName = 'wasm', opts: BackendOptions = {}): Promise<Backend> {
  const dtype = checkDType(opts.dtype ?? 'float32');
  if (name === 'js') return createJsBackend(dtype);
  if (name === 'wasm') return createWasmBackend(dtype, opts);
  throw new Error(`createBackend: unknown backend ${describe(name)}; use 'wasm' or 'js'`);
}
