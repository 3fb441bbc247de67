// Building a model's layers: the list checked (real layers, each in one model once), then each
// layer built in order on the width before it, named dense1, relu1, …; a failure frees what the
// layers built so far made.
import type { Backend } from '../backends/backend.js';
import { type FloatArray, describe } from '../core/matrix.js';
import type { MersenneTwister } from '../core/random.js';
import type { BufferCache, Layer } from './layer.js';

/** which model each layer belongs to: a layer is in one model */
const owners = new WeakMap<Layer, object>();

/** Checks and builds the layers for `model`; returns each layer's output width. */
export function buildLayers(
  layers: Layer[],
  inputSize: number,
  backend: Backend,
  rng: MersenneTwister,
  buffers: BufferCache,
  initial: ReadonlyMap<string, FloatArray> | undefined,
  model: object,
): number[] {
  const widths: number[] = [];
  // one pass, each entry read once: holes and non-layers named, a layer twice named with both places
  const list: Layer[] = [];
  const seen = new Map<Layer, number>();
  for (let i = 0; i < layers.length; i++) {
    if (!(i in layers)) throw new Error(`sequential: layer ${i + 1} is missing (a hole in the list)`);
    const layer = layers[i];
    if (!layer || typeof layer.forward !== 'function' || typeof layer.build !== 'function') {
      throw new Error(`sequential: layer ${i + 1} is ${describe(layer)}, not a layer`);
    }
    const before = seen.get(layer);
    if (owners.has(layer) || before !== undefined) {
      throw new Error(
        `sequential: layer ${i + 1} (${layer.name}) already belongs to ${owners.has(layer) ? 'another model' : `this list, at ${before! + 1}`}; ` +
          `a layer can be in one model once: create a new ${layer.type}()`,
      );
    }
    seen.set(layer, i);
    list.push(layer);
  }
  const counts = new Map<string, number>();
  let width = inputSize;
  const built: Layer[] = [];
  try {
    list.forEach((layer, i) => {
      const n = (counts.get(layer.type) ?? 0) + 1;
      counts.set(layer.type, n);
      layer.name = `${layer.type}${n}`;
      built.push(layer);
      const prefix = layer.name;
      width = layer.build(width, {
        backend: backend,
        rng,
        index: i + 1,
        buffers: buffers.scope(layer.name),
        ...(initial ? { initial: (param: string) => initial.get(`${prefix}.${param}`) } : {}),
      });
      widths.push(width);
    });
  } catch (e) {
    // free what the layers before (and the one that failed) made
    for (const l of built) {
      try {
        l.dispose();
      } catch {
        /* a half-built layer */
      }
    }
    throw e;
  }
  for (const l of list) owners.set(l, model);
  return widths;
}
