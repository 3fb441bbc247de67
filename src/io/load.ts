// loadModel: one entry for every format. It tells them apart, reads the file into a plan,
// checks the plan whole, and only then allocates.
import { Backend } from '../backends/backend.js';
import { describe } from '../core/matrix.js';
import type { Layer } from '../nn/layer.js';
import type { Model } from '../nn/model.js';
import { checkOptions, optBoolean } from '../core/options.js';
import { type ModelJSON, planFromJSON } from './json.js';
import { type ModelFactory, type ModelPlan, buildPlan, fail } from './plan.js';
import { isSafetensors, planFromSafetensors } from './safetensors.js';
import { isONNX, planFromONNX } from './onnx-read.js';
import { type TFJSArtifacts, isTFJS } from './tfjs.js';
import { planFromTFJS } from './tfjs-read.js';

/** The options of loadModel. */
export interface LoadOptions {
  /** convert a file's float64 weights to a float32 backend (rounding), or float32 to float64 */
  cast?: boolean;
  /** for a safetensors file without this library's metadata (a PyTorch state_dict): the input width */
  inputSize?: number;
  /** … and the layers, in the order of the nn.Sequential: [dl.dense(10), dl.relu(), …] */
  layers?: Layer[];
  /** … and the seed for dropout masks and shuffles (default 0) */
  seed?: number;
}

/** What loadModel reads: this package's JSON (text or object), safetensors or ONNX bytes, TF.js artifacts. */
export type ModelSource = string | ModelJSON | Uint8Array | ArrayBuffer | TFJSArtifacts;

/**
 * Rebuilds a model from a saved file on a backend, made by `make`. The file is checked whole (structure,
 * names, shapes, values, dtype, size) before any tensor is made: a refused file leaves the
 * backend's memory as it was.
 */
export function readModel<M extends Model>(
  source: ModelSource,
  backend: Backend,
  options: LoadOptions | undefined,
  make: ModelFactory<M>,
): M {
  const o = checkOptions(options, ['cast', 'inputSize', 'layers', 'seed'], 'loadModel');
  const cast = optBoolean(o.cast, 'loadModel: cast', false);
  if (!(backend instanceof Backend)) fail(`backend must be a backend from createBackend(), got ${describe(backend)}`);
  if (backend.disposed) fail(`the ${backend} backend was disposed: make a new one with createBackend`);
  const plan = planOf(source, o);
  if (plan.format !== 'safetensors' && (o.inputSize !== undefined || o.layers !== undefined || o.seed !== undefined)) {
    fail(
      `${plan.format}: the file carries its architecture; the inputSize, layers and seed options are for safetensors files without it`,
    );
  }
  return buildPlan(plan, backend, cast, make);
}

function planOf(source: unknown, o: LoadOptions): ModelPlan {
  if (source instanceof ArrayBuffer) source = new Uint8Array(source);
  if (source instanceof Uint8Array) {
    if (isSafetensors(source)) return planFromSafetensors(source, o);
    if (isONNX(source)) return planFromONNX(source);
    // a .json file read as bytes (fs.readFileSync, fetch().arrayBuffer())
    const first = source.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
    if (first === 0x7b) return planFromJSON(new TextDecoder().decode(source));
    return fail(
      `${source.length} bytes that are not a model file this library reads (safetensors, ONNX, or this package's JSON)`,
    );
  }
  if (isTFJS(source)) return planFromTFJS(source);
  if (typeof source === 'string' || (source && typeof source === 'object' && !Array.isArray(source)))
    return planFromJSON(source);
  return fail(
    `expected a saved model (JSON text or object, TF.js artifacts, or the bytes of a safetensors or ONNX file), got ${describe(source)}`,
  );
}
