// dl-fundamentals: the public API. This is the only import users need.
export { createBackend, type BackendOptions } from './backends/index.js';
export {
  Backend,
  Tensor,
  type Input,
  type MatmulOptions,
  type MemoryInfo,
  type BackendStats,
  type BackendName,
} from './backends/backend.js';
export type { WasmSource } from './backends/wasm/loader.js';
export type { UnaryOp } from './backends/kernels.js';
export type { TensorBackend } from './backends/tensor.js';
export type { WasmOptions } from './backends/wasm/index.js';
export { simdSupported, relaxedSimdSupported } from './backends/wasm/loader.js';
export { type DType, type FloatArray, type Matrix, type MatrixLike, toArray } from './core/matrix.js';
export { MersenneTwister } from './core/random.js';

export type { Layer, Param, Mode, BuildContext, Buffers } from './nn/layer.js';
export { BufferCache } from './nn/layer.js';
export { Dense, dense, type DenseOptions } from './nn/dense.js';
export { Activation, relu, sigmoid, tanh, softmax, linear, type ActivationName } from './nn/activations.js';
export { Dropout, dropout } from './nn/dropout.js';
export { BatchNorm, batchNorm, type BatchNormOptions } from './nn/batchnorm.js';
export {
  Normalization,
  normalization,
  standardize,
  type Standardized,
  type StandardizeStats,
} from './nn/normalization.js';
export { type InitName, initWeights } from './nn/initializers.js';
export type { LossName } from './nn/losses.js';
export { type Optimizer, type Rate, sgd, momentum, rmsprop, adagrad, adam } from './nn/train/optimizers.js';
export { type Schedule, exponentialDecay, stepDecay, inverseTimeDecay } from './nn/train/schedules.js';
export { type Shuffle, numpyShuffle } from './nn/train/shuffles.js';
export { type EarlyStopping, type EarlyStoppingOptions, earlyStopping } from './nn/train/callbacks.js';
export { Model, type SequentialOptions, type Weight } from './nn/model.js';
export { accuracy, type Evaluation, type Labels } from './nn/data.js';
export type { Callback, FitOptions, History, EpochLogs, BatchLogs, Verdict } from './nn/train/types.js';
export { Sequential, sequential, loadModel } from './api/sequential.js';
export type { LoadOptions, ModelSource } from './io/load.js';
export type { ModelJSON } from './io/json.js';
export type { TFJSArtifacts } from './io/tfjs.js';
export {
  inspect,
  type Inspection,
  type InspectOptions,
  type LayerStats,
  type ActivationStats,
  type BatchNormStats,
} from './diagnostics/inspect.js';
export { toONNX } from './io/onnx.js';
export { toSafetensors } from './io/safetensors.js';
export { toTFJS } from './io/tfjs.js';
export { modelToJSON } from './io/json.js';
export {
  gradCheck,
  gradCheckFunction,
  type GradCheckOptions,
  type GradCheckResult,
  type GradEntry,
} from './diagnostics/gradcheck.js';
export * as datasets from './datasets/index.js';
export {
  randomSearch,
  type SearchOptions,
  type SearchResult,
  type SearchMetric,
  type Settings,
  type Trial,
  type Trainable,
} from './search/random-search.js';
export {
  uniform,
  logUniform,
  oneMinusLogUniform,
  choice,
  type Sampler,
  type SampleValue,
} from './search/samplers.js';
