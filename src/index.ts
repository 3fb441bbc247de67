// dl-fundamentals: the public API. This is the only import users need.
export { createBackend, type BackendOptions } from './backends/index.js';
export { Backend, Tensor, type Input, type MatmulOptions, type MemoryInfo, type BackendName } from './backends/backend.js';
export type { WasmSource } from './backends/wasm/loader.js';
export { simdSupported, relaxedSimdSupported } from './backends/wasm/loader.js';
export { type DType, type FloatArray, type Matrix, type MatrixLike, toArray } from './matrix.js';
export { MersenneTwister } from './random.js';

export type { Layer, Param, Mode, BuildContext, Buffers } from './nn/layer.js';
export { BufferCache } from './nn/layer.js';
export { Dense, dense, type DenseOptions } from './nn/dense.js';
export { Activation, relu, sigmoid, tanh, softmax, type ActivationName } from './nn/activations.js';
export { Dropout, dropout } from './nn/dropout.js';
export { type InitName, initWeights } from './nn/initializers.js';
export { type LossName } from './nn/losses.js';
export { type Optimizer, sgd, momentum, adam } from './nn/optimizers.js';
export { type Schedule, exponentialDecay, stepDecay, inverseTimeDecay } from './nn/schedules.js';
export { type Callback, type EarlyStopping, type EarlyStoppingOptions, earlyStopping } from './nn/callbacks.js';
export {
  Sequential, sequential, accuracy, type SequentialOptions, type Weight, type Labels,
} from './nn/model.js';
export type { FitOptions, History, EpochLogs, BatchLogs } from './nn/fit.js';
export { loadModel, type LoadOptions, type ModelSource } from './io/load.js';
export type { ModelJSON } from './io/json.js';
export type { TFJSArtifacts } from './io/tfjs.js';
export { inspect, type Inspection, type InspectOptions, type LayerStats, type ActivationStats } from './inspect.js';
export { gradCheck, gradCheckFunction, type GradCheckOptions, type GradCheckResult, type GradEntry } from './gradcheck.js';
export * as datasets from './datasets/index.js';
