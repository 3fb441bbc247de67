// createBackend: the one way to get a backend.
import { checkDType, describe, type DType } from '../core/matrix.js';
import type { Backend, BackendName } from './backend.js';
import { createJsBackend } from './js/index.js';
import { createWasmBackend, type WasmOptions } from './wasm/index.js';
import { checkOptions, optBoolean } from '../core/options.js';

/** createBackend's options: the dtype, and for 'wasm' the kernel build and threads. */
export interface BackendOptions extends WasmOptions {
  /** 'float32' (default) or 'float64' */
  dtype?: DType;
}

/** A backend: 'wasm' (SIMD kernels, the default) or 'js' (plain TypeScript, the reference). */
export async function createBackend(name: BackendName = 'wasm', opts?: BackendOptions): Promise<Backend> {
  if (name !== 'js' && name !== 'wasm')
    throw new Error(`createBackend: unknown backend ${describe(name)}; use 'wasm' or 'js'`);
  const o = checkOptions(
    opts,
    name === 'js' ? ['dtype'] : ['dtype', 'wasm', 'simd', 'relaxedSimd', 'threads'],
    `createBackend('${name}')`,
  );
  const dtype = checkDType(o.dtype ?? 'float32');
  optBoolean(o.simd, 'createBackend: simd', true);
  optBoolean(o.relaxedSimd, 'createBackend: relaxedSimd', false);
  if (name === 'js') return createJsBackend(dtype);
  return createWasmBackend(dtype, o);
}
