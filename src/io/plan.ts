// What every format is read into before anything is allocated: the layers (made, not built),
// the weights by name with their shapes and values, and the file's dtype. checkPlan() checks
// it whole against the backend; buildPlan() then makes the model, drawing nothing.
import type { Backend } from '../backends/backend.js';
import { checkFloat32 } from './floats.js';
import { type DType, type FloatArray, arrayFor, checkSize, describe, shapeText } from '../core/matrix.js';
import { Activation, type ActivationName } from '../nn/activations.js';
import { Dense } from '../nn/dense.js';
import { Dropout } from '../nn/dropout.js';
import type { InitName } from '../nn/initializers.js';
import type { Layer } from '../nn/layer.js';
import type { Model, SequentialOptions } from '../nn/model.js';
import { BatchNorm, type BatchNormOptions } from '../nn/batchnorm.js';
import { Normalization } from '../nn/normalization.js';

/** Makes the model a loader returns, from layers and the saved values they take (by qualified name). */
export type ModelFactory<M extends Model> = (
  layers: Layer[],
  opts: SequentialOptions,
  initial: ReadonlyMap<string, FloatArray>,
) => M;

/** A refused load: the message names the format, the field and what is wrong with it. */
export function fail(why: string): never {
  throw new Error(`loadModel: ${why}`);
}

export interface PlanWeight {
  /** the model's name for it: 'dense1.W', 'dense1.b' */
  name: string;
  /** where the file has it, for messages: '"0.weight"', 'initializer "fc1.bias"' */
  source: string;
  shape: number[];
  data: ArrayLike<number>;
}

export interface ModelPlan {
  /** 'JSON', 'safetensors', 'ONNX', 'TF.js': starts the messages */
  format: string;
  dtype: DType;
  inputSize: number;
  seed: number;
  step: number;
  layers: Layer[];
  weights: PlanWeight[];
}

const ACTIVATIONS = ['relu', 'sigmoid', 'tanh', 'softmax', 'linear'];

/** The most layers a file may declare: far past any real MLP, and refused before any is made. */
export const MAX_LAYERS = 100_000;

/** Refuses a list of layer specs longer than MAX_LAYERS. */
export function checkLayerCount(n: number, where: string): void {
  if (n > MAX_LAYERS) fail(`${where}: ${n} layers, more than the ${MAX_LAYERS} a file may declare`);
}

/** A layer from its saved description ({ type, ...config }); its constructor checks the config. */
export function layerFromSpec(spec: unknown, where: string): Layer {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec))
    fail(`${where} is ${describe(spec)}, not a layer description`);
  const { type, ...config } = spec as Record<string, unknown>;
  try {
    if (type === 'dense') {
      const { units, ...opts } = config;
      return new Dense(units as number, opts as { init?: InitName; scale?: number; useBias?: boolean });
    }
    if (typeof type === 'string' && ACTIVATIONS.includes(type)) {
      const extra = Object.keys(config);
      if (extra.length > 0) fail(`${where} (${type}) has unknown field ${JSON.stringify(extra[0])}`);
      return new Activation(type as ActivationName);
    }
    if (type === 'batchNorm') return new BatchNorm(config as BatchNormOptions);
    if (type === 'normalization') return new Normalization(config as Record<string, never>);
    if (type === 'dropout') {
      const { rate, ...extra } = config;
      if (Object.keys(extra).length > 0)
        fail(`${where} (dropout) has unknown field ${JSON.stringify(Object.keys(extra)[0])}`);
      return new Dropout(rate as number);
    }
  } catch (e) {
    const msg = (e as Error).message;
    if (msg.startsWith('loadModel')) throw e;
    fail(`${where}: ${msg}`);
  }
  return fail(
    `${where} has unknown type ${describe(type)} (this library has dense, ${ACTIVATIONS.join(', ')}, dropout, batchNorm, normalization)`,
  );
}

/** Whether two layer lists describe the same stack: types, dense units and bias, dropout rates. */
export function sameLayers(a: readonly Layer[], b: readonly Layer[]): boolean {
  return (
    a.length === b.length &&
    a.every((l, i) => {
      const m = b[i];
      if (l.type !== m.type) return false;
      if (l instanceof Dense) return l.units === (m as Dense).units && l.useBias === (m as Dense).useBias;
      if (l instanceof Dropout) return l.rate === (m as Dropout).rate;
      if (l instanceof BatchNorm) {
        const o = m as BatchNorm;
        // as ONNX keeps them (float32 attributes, momentum as 1 − ours); affine or not is a question
        // of which weights there are (an ONNX graph always has a scale)
        const f = Math.fround;
        return f(1 - l.momentum) === f(1 - o.momentum) && f(l.epsilon) === f(o.epsilon);
      }
      return true;
    })
  );
}

/** The names and shapes of the parameters these layers will have, as sequential() names them. */
export function expectedParams(
  layers: readonly Layer[],
  inputSize: number,
): { name: string; shape: number[]; layer: number }[] {
  const out: { name: string; shape: number[]; layer: number }[] = [];
  const counts = new Map<string, number>();
  let width = inputSize;
  layers.forEach((layer, i) => {
    const n = (counts.get(layer.type) ?? 0) + 1;
    counts.set(layer.type, n);
    if (layer instanceof Dense) {
      out.push({ name: `${layer.type}${n}.W`, shape: [layer.units, width], layer: i });
      if (layer.useBias) out.push({ name: `${layer.type}${n}.b`, shape: [layer.units], layer: i });
      width = layer.units;
    } else if (layer instanceof BatchNorm) {
      // γ and β (affine), then the running statistics: the layer's params() order
      const names = [...(layer.affine ? ['gamma', 'beta'] : []), 'runningMean', 'runningVar'];
      for (const p of names) out.push({ name: `${layer.type}${n}.${p}`, shape: [width], layer: i });
    } else if (layer instanceof Normalization) {
      for (const p of ['mean', 'variance']) out.push({ name: `${layer.type}${n}.${p}`, shape: [width], layer: i });
    } else if (!(layer instanceof Activation || layer instanceof Dropout)) {
      fail(
        `layer ${i + 1} is a ${describe(layer)}; a file can hold dense, activation, dropout, batchNorm and normalization layers`,
      );
    }
  });
  return out;
}

/**
 * Checks the plan whole: names, shapes and value counts against the layers, finite values, the
 * dtype against the backend's (or `cast`), and the total size against what the backend can hold.
 */
export function checkPlan(plan: ModelPlan, backend: Backend, cast: boolean): void {
  const { format } = plan;
  if (plan.dtype !== backend.dtype && !cast) {
    fail(
      `${format}: the file holds ${plan.dtype} weights and the backend is ${backend.dtype}: ` +
        `pass { cast: true } to convert them (${plan.dtype === 'float64' ? 'rounding each to float32' : 'exactly'}), or load on a ${plan.dtype} backend`,
    );
  }
  const expected = expectedParams(plan.layers, plan.inputSize);
  const byName = new Map(plan.weights.map((w) => [w.name, w]));
  if (byName.size !== plan.weights.length) fail(`${format}: two weights map to one parameter`);
  for (const w of plan.weights) {
    if (!expected.some((e) => e.name === w.name)) {
      fail(
        `${format}: ${w.source} has no place in the layers (their weights are ${expected.map((e) => e.name).join(', ') || 'none'})`,
      );
    }
  }
  for (const e of expected) {
    const w = byName.get(e.name);
    if (!w)
      fail(
        `${format}: no weights for ${e.name} ${shapeText(e.shape)} (layer ${e.layer + 1}, ${plan.layers[e.layer].type})`,
      );
    if (w.shape.length !== e.shape.length || w.shape.some((d, j) => d !== e.shape[j])) {
      fail(
        `${format}: ${w.source} has shape ${shapeText(w.shape)}; layer ${e.layer + 1} (${plan.layers[e.layer].type}) needs ${shapeText(e.shape)} for ${e.name}`,
      );
    }
    const n = e.shape.reduce((a, b) => a * b, 1);
    if (!w.data || typeof w.data.length !== 'number' || w.data.length !== n) {
      fail(
        `${format}: ${w.source} has ${w.data && typeof w.data.length === 'number' ? w.data.length : 'no'} values, its shape ${shapeText(e.shape)} needs ${n}`,
      );
    }
    for (let i = 0; i < n; i++) {
      const v = w.data[i];
      if (typeof v !== 'number' || !Number.isFinite(v))
        fail(`${format}: ${w.source}[${i}] is ${describe(v)}, not a finite number`);
    }
    // cast to float32: a value it cannot hold would become ±Infinity
    if (backend.dtype === 'float32' && plan.dtype === 'float64') {
      try {
        checkFloat32(w.source, w.data, format);
      } catch (err) {
        fail((err as Error).message);
      }
    }
  }
  // each parameter has a value and a gradient of its size
  const why = backend.cannotHold(
    expected.flatMap((e) => {
      const n = e.shape.reduce((a, b) => a * b, 1);
      return [n, n];
    }),
  );
  if (why) fail(`${format}: the model does not fit: ${why}`);
}

/** Checks the plan, then builds the model from it: nothing is allocated if the check fails. */
export function buildPlan<M extends Model>(plan: ModelPlan, backend: Backend, cast: boolean, make: ModelFactory<M>): M {
  checkSize(plan.inputSize, 'loadModel: inputSize');
  checkPlan(plan, backend, cast);
  const initial = new Map<string, FloatArray>();
  for (const w of plan.weights) {
    const a = arrayFor(backend.dtype, w.data.length);
    for (let i = 0; i < a.length; i++) a[i] = w.data[i];
    initial.set(w.name, a);
  }
  const model = make(plan.layers, { inputSize: plan.inputSize, backend, seed: plan.seed }, initial);
  model.step = plan.step;
  return model;
}
