// dl-fundamentals: the public API. This is the only import users need.
export { createBackend, type BackendOptions } from './backends/index.js';
export { Backend, Tensor, type Input, type MatmulOptions, type MemoryInfo, type BackendName } from './backends/backend.js';
export type { WasmSource } from './backends/wasm/loader.js';
export { simdSupported } from './backends/wasm/loader.js';
export { type DType, type FloatArray, type Matrix, type MatrixLike, toArray } from './matrix.js';
