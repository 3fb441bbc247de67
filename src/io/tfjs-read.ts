// Reading TF.js layers artifacts: a Sequential of Dense (its activation folded in or as an
// Activation layer), Activation, Dropout, BatchNormalization, InputLayer and Flatten of 2-D input,
// as TF.js and the Keras converter write them, into a checked plan.
import { describe } from '../core/matrix.js';
import { Activation, type ActivationName } from '../nn/activations.js';
import { BatchNorm } from '../nn/batchnorm.js';
import { Dense } from '../nn/dense.js';
import { Dropout } from '../nn/dropout.js';
import { Normalization } from '../nn/normalization.js';
import type { Layer } from '../nn/layer.js';
import { readArchitecture, MODEL_FORMAT } from './json.js';
import { readFloats, transpose } from './floats.js';
import { type ModelPlan, type PlanWeight, checkLayerCount, expectedParams, fail, sameLayers } from './plan.js';
import type { TFJSArtifacts } from './tfjs.js';

const ACTS: Record<string, ActivationName | null> = {
  linear: null,
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  softmax: 'softmax',
};

function activationOf(name: unknown, where: string): ActivationName | null {
  const a = name ?? 'linear';
  if (typeof a !== 'string' || !(a in ACTS))
    fail(`TF.js: ${where} has activation ${describe(a)}; this library reads ${Object.keys(ACTS).join(', ')}`);
  return ACTS[a];
}

/** the input width from a first layer's batch_input_shape / batch_shape ([null, n]) */
function inputWidth(config: Record<string, unknown>, where: string): number | undefined {
  const shape = config.batch_input_shape ?? config.batch_shape ?? config.batchInputShape;
  if (shape === undefined) return undefined;
  if (!Array.isArray(shape) || shape.length !== 2 || !Number.isSafeInteger(shape[1]) || shape[1] < 1) {
    fail(`TF.js: ${where} has input shape ${JSON.stringify(shape)}; this library reads [null, features]`);
  }
  return shape[1] as number;
}

export function planFromTFJS(a: TFJSArtifacts): ModelPlan {
  let top = a.modelTopology as Record<string, unknown> | null;
  if (!top || typeof top !== 'object') fail(`TF.js: modelTopology is ${describe(top)}, not an object`);
  // the Keras converter nests the model under model_config
  if (top.model_config && typeof top.model_config === 'object') top = top.model_config as Record<string, unknown>;
  if (top.class_name !== 'Sequential')
    fail(`TF.js: the model is a ${describe(top.class_name)}; this library reads Sequential models`);
  const config = top.config as unknown;
  const specs = Array.isArray(config) ? config : (config as { layers?: unknown })?.layers;
  if (!Array.isArray(specs) || specs.length === 0) fail('TF.js: modelTopology.config has no layers');
  checkLayerCount(specs.length, 'TF.js: modelTopology.config');

  const layers: Layer[] = [];
  const dense: { layer: number; name: string; bias: boolean }[] = [];
  const norms: { layer: number; name: string; affine: boolean }[] = [];
  let inputSize: number | undefined;
  specs.forEach((s: unknown, i: number) => {
    if (!s || typeof s !== 'object') fail(`TF.js: layers[${i}] is ${describe(s)}, not { class_name, config }`);
    const { class_name: cls, config: c0 } = s as { class_name?: unknown; config?: unknown };
    const c = (c0 ?? {}) as Record<string, unknown>;
    const where = `layer ${JSON.stringify(c.name ?? `#${i}`)} (${String(cls)})`;
    if (i === 0 || cls === 'InputLayer') inputSize = inputWidth(c, where) ?? inputSize;
    try {
      switch (cls) {
        case 'InputLayer':
          return;
        case 'Flatten':
          return; // of [batch, features]: nothing to do (other shapes were refused above)
        case 'Dense': {
          if (!Number.isSafeInteger(c.units) || (c.units as number) < 1)
            fail(`TF.js: ${where} has units ${describe(c.units)}`);
          const bias = c.use_bias !== false;
          dense.push({ layer: layers.length, name: String(c.name ?? ''), bias });
          layers.push(new Dense(c.units as number, { useBias: bias }));
          const act = activationOf(c.activation, where);
          if (act) layers.push(new Activation(act));
          return;
        }
        case 'Activation': {
          // an Activation layer of its own is a layer, linear too (a Dense's folded linear is none)
          const act = c.activation === 'linear' ? 'linear' : activationOf(c.activation, where);
          if (act) layers.push(new Activation(act));
          return;
        }
        case 'Dropout':
          layers.push(new Dropout(c.rate as number));
          return;
        case 'BatchNormalization': {
          // over the features of [batch, features]; Keras' momentum is the old value's weight
          if (
            c.axis !== undefined &&
            c.axis !== -1 &&
            c.axis !== 1 &&
            !(Array.isArray(c.axis) && c.axis.length === 1 && (c.axis[0] === -1 || c.axis[0] === 1))
          )
            fail(
              `TF.js: ${where} normalizes axis ${JSON.stringify(c.axis)}; this library normalizes the features (axis −1)`,
            );
          const center = c.center !== false,
            scale = c.scale !== false;
          if (center !== scale)
            fail(`TF.js: ${where} has center ${center} and scale ${scale}; this library has both or neither`);
          norms.push({ layer: layers.length, name: String(c.name ?? ''), affine: center });
          // without γ, β and ε it is a normalization: (x − mean)/√variance (what toTFJS writes for one)
          if (!center && c.epsilon === 0) {
            layers.push(new Normalization());
            return;
          }
          const momentum = typeof c.momentum === 'number' ? Number((1 - c.momentum).toPrecision(12)) : 0.01;
          layers.push(new BatchNorm({ momentum, epsilon: (c.epsilon as number) ?? 1e-3, affine: center }));
          return;
        }
        default:
          fail(
            `TF.js: ${where} is not a layer this library reads: it reads Dense, Activation, Dropout, BatchNormalization, InputLayer and Flatten`,
          );
      }
    } catch (e) {
      const msg = (e as Error).message;
      if (msg.startsWith('loadModel')) throw e;
      fail(`TF.js: ${where}: ${msg}`);
    }
  });
  if (inputSize === undefined) fail('TF.js: the first layer has no batch_input_shape, so the input width is unknown');
  if (layers.length === 0) fail('TF.js: the model has no layers');

  // the weight buffer: float32 values, in the order of weightSpecs
  if (!Array.isArray(a.weightSpecs)) fail(`TF.js: weightSpecs is ${describe(a.weightSpecs)}, not a list`);
  const buffers = Array.isArray(a.weightData) ? a.weightData : [a.weightData];
  if (buffers.some((b) => !(b instanceof ArrayBuffer)))
    fail('TF.js: weightData is not an ArrayBuffer (or a list of them)');
  const length = buffers.reduce((s, b) => s + b.byteLength, 0);
  const all = new Uint8Array(length);
  let off = 0;
  for (const b of buffers) {
    all.set(new Uint8Array(b), off);
    off += b.byteLength;
  }
  const byName = new Map<string, { shape: number[]; offset: number; n: number }>();
  let at = 0;
  for (const [k, spec] of a.weightSpecs.entries()) {
    if (!spec || typeof spec !== 'object' || typeof spec.name !== 'string')
      fail(`TF.js: weightSpecs[${k}] is not { name, shape, dtype }`);
    const what = `weight ${JSON.stringify(spec.name)}`;
    if (spec.dtype !== 'float32') fail(`TF.js: ${what} has dtype ${describe(spec.dtype)}; this library reads float32`);
    if (spec.quantization !== undefined) fail(`TF.js: ${what} is quantized; convert the model without quantization`);
    if (!Array.isArray(spec.shape) || spec.shape.some((d) => !Number.isSafeInteger(d) || d < 0))
      fail(`TF.js: ${what} has shape ${describe(spec.shape)}`);
    const n = spec.shape.reduce((x, y) => x * y, 1);
    if (at + n * 4 > length) fail(`TF.js: ${what} runs past the end of weightData (${length} bytes)`);
    const key = spec.name.replace(/:0$/, '');
    if (byName.has(key)) fail(`TF.js: weightSpecs[${k}] names ${what} a second time`);
    byName.set(key, { shape: spec.shape, offset: at, n });
    at += n * 4;
  }
  if (at !== length) fail(`TF.js: weightSpecs cover ${at} bytes of the ${length} in weightData`);

  let arch: Omit<ModelPlan, 'weights' | 'format'> = { dtype: 'float32', inputSize, seed: 0, step: 0, layers };
  const meta = a.userDefinedMetadata?.[MODEL_FORMAT];
  if (meta !== undefined) {
    const saved = readArchitecture(meta, `TF.js userDefinedMetadata.${MODEL_FORMAT}`);
    const same = saved.inputSize === inputSize && sameLayers(saved.layers, layers);
    if (!same) fail('TF.js: the topology does not match the architecture in its metadata');
    arch = { ...saved, dtype: 'float32' };
  }
  const expected = expectedParams(arch.layers, arch.inputSize);
  const weights: PlanWeight[] = [];
  for (const d of dense) {
    const [Wname, bname] = expected.filter((e) => e.layer === d.layer).map((e) => e.name);
    const kernel = byName.get(`${d.name}/kernel`);
    if (!kernel)
      fail(
        `TF.js: no weight "${d.name}/kernel" for layer ${JSON.stringify(d.name)} (the specs name ${[...byName.keys()].join(', ') || 'nothing'})`,
      );
    if (kernel.shape.length !== 2)
      fail(`TF.js: weight "${d.name}/kernel" has shape ${JSON.stringify(kernel.shape)}, not [in, out]`);
    const [r, c] = kernel.shape;
    const W = transpose(readFloats(all, kernel.offset, kernel.n, 4), r, c, 4);
    weights.push({ name: Wname, source: `weight "${d.name}/kernel" (transposed)`, shape: [c, r], data: W });
    if (d.bias) {
      const b = byName.get(`${d.name}/bias`);
      if (!b) fail(`TF.js: no weight "${d.name}/bias" for layer ${JSON.stringify(d.name)}`);
      weights.push({
        name: bname,
        source: `weight "${d.name}/bias"`,
        shape: b.shape,
        data: readFloats(all, b.offset, b.n, 4),
      });
    }
  }
  for (const b of norms) {
    const names = expected.filter((e) => e.layer === b.layer).map((e) => e.name);
    const keras = [...(b.affine ? ['gamma', 'beta'] : []), 'moving_mean', 'moving_variance'];
    keras.forEach((k, i) => {
      const w = byName.get(`${b.name}/${k}`);
      if (!w) fail(`TF.js: no weight "${b.name}/${k}" for layer ${JSON.stringify(b.name)}`);
      weights.push({
        name: names[i],
        source: `weight "${b.name}/${k}"`,
        shape: w.shape,
        data: readFloats(all, w.offset, w.n, 4),
      });
    });
  }
  return { format: 'TF.js', ...arch, weights };
}
