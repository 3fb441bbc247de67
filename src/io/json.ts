// This package's own format: JSON text with the architecture, the weights, the seed and the step.
// Version 2 gives a dense bias the shape [units] and records the step; version 1 files (bias
// [1, units], no step) still load.
import { type DType, describe } from '../core/matrix.js';
import type { Layer } from '../nn/layer.js';
import type { Model } from '../nn/model.js';
import { type ModelPlan, type PlanWeight, checkLayerCount, fail, layerFromSpec } from './plan.js';

export const MODEL_FORMAT = 'dl-fundamentals-model';
export const MODEL_VERSION = 2;

/** This package's JSON for a model: what model.toJSON() gives and dl.loadModel reads. */
export interface ModelJSON {
  /** 'dl-fundamentals' */
  format: string;
  /** the format's version: 2 (version 1 files still load) */
  version: number;
  /** 'float32' or 'float64' */
  dtype: string;
  /** the features of each example */
  inputSize: number;
  /** the model's seed */
  seed: number;
  /** training steps taken (picks the next dropout mask); version 2 */
  step?: number;
  /** each layer's type and settings, in order */
  layers: ({
    /** 'dense', 'relu', … */
    type: string;
  } & Record<string, unknown>)[];
  /** every parameter, as getWeights() gives it */
  weights: {
    /** 'dense1.W', … */
    name: string;
    /** [units, inputs] or [units] */
    shape: number[];
    /** its values, row-major */
    data: number[];
  }[];
}

/** The architecture without the weights: what the binary formats carry as metadata. */
export function architectureOf(model: Model): Omit<ModelJSON, 'weights'> {
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    dtype: model.dtype,
    inputSize: model.inputSize,
    seed: model.seed,
    step: model.step,
    layers: model.layers.map((l) => ({ type: l.type, ...l.config() })),
  };
}

/** This package's JSON for a model: architecture, weights, seed and step (what model.toJSON() gives). */
export function modelToJSON(model: Model): ModelJSON {
  return {
    ...architectureOf(model),
    weights: model.getWeights().map((w) => ({ name: w.name, shape: w.shape, data: Array.from(w.data) })),
  };
}

/** the fields of an architecture, as the binary formats' metadata carries it (JSON adds weights) */
export const ARCHITECTURE_KEYS = ['format', 'version', 'dtype', 'inputSize', 'seed', 'step', 'layers'];
const KEYS = [...ARCHITECTURE_KEYS, 'weights'];

/**
 * The architecture fields of a saved model (JSON or a binary format's metadata), checked;
 * `where` names it in messages.
 */
export function readArchitecture(
  obj: unknown,
  where: string,
  allowed = ARCHITECTURE_KEYS,
): Omit<ModelPlan, 'weights' | 'format'> & { version: number } {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj))
    fail(`${where}: expected a saved model, got ${describe(obj)}`);
  const m = obj as Record<string, unknown>;
  const extra = Object.keys(m).find((k) => !allowed.includes(k));
  if (extra !== undefined) fail(`${where}: unknown field ${JSON.stringify(extra)}`);
  if (m.format !== MODEL_FORMAT) fail(`${where}: format is ${describe(m.format)}, expected "${MODEL_FORMAT}"`);
  if (m.version !== 1 && m.version !== 2)
    fail(`${where}: format version ${describe(m.version)} is not supported (this library reads versions 1 and 2)`);
  if (m.dtype !== 'float32' && m.dtype !== 'float64')
    fail(`${where}: dtype is ${describe(m.dtype)}, expected "float32" or "float64"`);
  if (typeof m.inputSize !== 'number' || !Number.isInteger(m.inputSize) || m.inputSize < 1)
    fail(`${where}: inputSize is ${describe(m.inputSize)}, not a positive integer`);
  const seed = m.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    fail(`${where}: seed is ${describe(seed)}, not an integer in [0, 2³²)`);
  const step = m.step ?? 0;
  if (m.version === 1 && m.step !== undefined) fail(`${where}: version 1 has no step field`);
  if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0)
    fail(`${where}: step is ${describe(step)}, not a non-negative integer`);
  if (!Array.isArray(m.layers) || m.layers.length === 0) fail(`${where}: no layers`);
  checkLayerCount(m.layers.length, where);
  // a for loop, not map: map skips the holes of a sparse array
  const layers: Layer[] = [];
  for (let i = 0; i < m.layers.length; i++) {
    if (!(i in m.layers)) fail(`${where}: layers[${i}] is missing (a hole in the list)`);
    layers.push(layerFromSpec(m.layers[i], `layers[${i}]`));
  }
  return { version: m.version, dtype: m.dtype as DType, inputSize: m.inputSize, seed, step, layers };
}

/** A plan from this package's JSON (an object or its text). */
export function planFromJSON(json: unknown): ModelPlan {
  let obj = json;
  if (typeof json === 'string') {
    try {
      obj = JSON.parse(json);
    } catch (e) {
      fail(`not valid JSON (${(e as Error).message}); is the file truncated?`);
    }
  }
  const arch = readArchitecture(obj, 'JSON', KEYS);
  const m = obj as Record<string, unknown>;
  if (!Array.isArray(m.weights)) fail('JSON: no weights');
  const weights: PlanWeight[] = m.weights.map((w: unknown, i: number) => {
    if (!w || typeof w !== 'object') fail(`JSON: weights[${i}] is ${describe(w)}, not { name, shape, data }`);
    const { name, shape, data } = w as Record<string, unknown>;
    if (typeof name !== 'string') fail(`JSON: weights[${i}].name is ${describe(name)}`);
    if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 1)) {
      fail(`JSON: weights[${i}] (${name}).shape is ${describe(shape)}, not a list of positive integers`);
    }
    if (!Array.isArray(data)) fail(`JSON: weights[${i}] (${name}).data is ${describe(data)}, not an array of numbers`);
    // version 1 wrote a dense bias as [1, units]
    const s = arch.version === 1 && name.endsWith('.b') && shape.length === 2 && shape[0] === 1 ? [shape[1]] : shape;
    return { name, source: `weights[${i}] (${name})`, shape: s, data };
  });
  return { format: 'JSON', ...arch, weights };
}
