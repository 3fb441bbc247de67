// loadModel: rebuilds a model saved with model.toJSON(), refusing anything malformed.
import type { Backend } from '../backends/backend.js';
import { describe } from '../matrix.js';
import { Activation, type ActivationName } from './activations.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import type { InitName } from './initializers.js';
import type { Layer } from './layer.js';
import { MODEL_FORMAT, MODEL_VERSION, type ModelJSON, Sequential } from './model.js';

function fail(why: string): never {
  throw new Error(`loadModel: ${why}`);
}

function layerFrom(spec: unknown, i: number): Layer {
  if (!spec || typeof spec !== 'object') fail(`layers[${i}] is ${describe(spec)}, not a layer description`);
  const s = spec as Record<string, unknown>;
  switch (s.type) {
    case 'dense':
      // the initial draw is overwritten by the saved weights
      if (typeof s.units !== 'number') fail(`layers[${i}] (dense) has no units`);
      return new Dense(s.units, { init: s.init as InitName, scale: s.scale as number | undefined, useBias: s.useBias !== false });
    case 'relu': case 'sigmoid': case 'tanh': case 'softmax':
      return new Activation(s.type as ActivationName);
    case 'dropout':
      return new Dropout(s.rate as number);
    default:
      return fail(`layers[${i}] has unknown type ${describe(s.type)}`);
  }
}

/** Rebuilds a model from model.toJSON() (an object or its JSON text) on a backend. */
export function loadModel(json: string | ModelJSON, backend: Backend): Sequential {
  let obj: unknown = json;
  if (typeof json === 'string') {
    try { obj = JSON.parse(json); } catch (e) { fail(`not valid JSON (${(e as Error).message}); is the file truncated?`); }
  }
  if (!obj || typeof obj !== 'object') fail(`expected a saved model, got ${describe(obj)}`);
  const m = obj as Partial<ModelJSON>;
  if (m.format !== MODEL_FORMAT) fail(`format is ${describe(m.format)}, expected "${MODEL_FORMAT}"`);
  if (m.version !== MODEL_VERSION) fail(`format version ${describe(m.version)} is not supported (this library reads version ${MODEL_VERSION})`);
  if (!Array.isArray(m.layers) || m.layers.length === 0) fail('no layers');
  if (!Array.isArray(m.weights)) fail('no weights');
  if (typeof m.inputSize !== 'number') fail('no inputSize');
  let layers: Layer[];
  try {
    layers = m.layers.map(layerFrom);
  } catch (e) {
    if ((e as Error).message.startsWith('loadModel')) throw e;
    fail((e as Error).message);
  }
  const model = new Sequential(layers, { inputSize: m.inputSize, backend, seed: m.seed ?? 0 });
  try {
    model.setWeights(m.weights);
  } catch (e) {
    model.dispose();
    fail((e as Error).message);
  }
  return model;
}
