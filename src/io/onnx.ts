import { Activation } from '../nn/activations.js';
import { BatchNorm } from '../nn/batchnorm.js';
import { Dense } from '../nn/dense.js';
import { Normalization } from '../nn/normalization.js';
import type { Model } from '../nn/model.js';
import { architectureOf, MODEL_FORMAT } from './json.js';
import { ATTR_FLOAT, ATTR_INT, DOUBLE, FLOAT, encodeModel } from './onnx-schema.js';
import { floatBytes } from './floats.js';

export const IR_VERSION = 8;
export const OPSET = 17;
// linear is the identity: an Identity node, which readers pass through
const OP_OF: Record<string, string> = {
  relu: 'Relu',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  softmax: 'Softmax',
  linear: 'Identity',
};

/** An ONNX model (opset 17, dynamic batch) of a model: Gemm per dense layer, the activations, BatchNormalization, no dropout. */
export function toONNX(model: Model): Uint8Array {
  const double = model.dtype === 'float64';
  const elem = double ? DOUBLE : FLOAT,
    per = double ? 8 : 4;
  const weights = new Map(model.getWeights().map((w) => [w.name, w]));
  const nodes: object[] = [];
  const initializer: object[] = [];
  let prev = 'input';
  const last = model.layers.reduce((at, l, i) => (l.type === 'dropout' ? at : i), -1);
  model.layers.forEach((layer, i) => {
    const out = i === last ? 'output' : undefined;
    if (layer instanceof Dense) {
      const inputs = [prev, `${i}.weight`];
      const W = weights.get(`${layer.name}.W`)!;
      initializer.push({ name: `${i}.weight`, dims: W.shape, data_type: elem, raw_data: floatBytes(W.data, per) });
      const b = weights.get(`${layer.name}.b`);
      if (b) {
        inputs.push(`${i}.bias`);
        initializer.push({ name: `${i}.bias`, dims: b.shape, data_type: elem, raw_data: floatBytes(b.data, per) });
      }
      const o = out ?? `/${i}/Gemm_output_0`;
      nodes.push({
        name: `/${i}/Gemm`,
        op_type: 'Gemm',
        input: inputs,
        output: [o],
        attribute: [
          { name: 'alpha', type: ATTR_FLOAT, f: 1 },
          { name: 'beta', type: ATTR_FLOAT, f: 1 },
          { name: 'transB', type: ATTR_INT, i: 1 },
        ],
      });
      prev = o;
    } else if (layer instanceof Activation) {
      const op = OP_OF[layer.type];
      const o = out ?? `/${i}/${op}_output_0`;
      nodes.push({
        name: `/${i}/${op}`,
        op_type: op,
        input: [prev],
        output: [o],
        attribute: op === 'Softmax' ? [{ name: 'axis', type: ATTR_INT, i: -1 }] : [],
      });
      prev = o;
    } else if (layer instanceof BatchNorm) {
      // inference form; without γ and β (affine false), scale 1 and B 0. ONNX's momentum is the
      // old value's weight, 1 − ours; its attributes are float32
      const n = layer.size;
      const vec = (suffix: string, data: ArrayLike<number>) =>
        initializer.push({ name: `${i}.${suffix}`, dims: [n], data_type: elem, raw_data: floatBytes(data, per) });
      const w = (p: string) => weights.get(`${layer.name}.${p}`)?.data;
      vec('weight', w('gamma') ?? new Array<number>(n).fill(1));
      vec('bias', w('beta') ?? new Array<number>(n).fill(0));
      vec('running_mean', w('runningMean')!);
      vec('running_var', w('runningVar')!);
      const o = out ?? `/${i}/BatchNormalization_output_0`;
      nodes.push({
        name: `/${i}/BatchNormalization`,
        op_type: 'BatchNormalization',
        input: [prev, ...['weight', 'bias', 'running_mean', 'running_var'].map((s) => `${i}.${s}`)],
        output: [o],
        attribute: [
          { name: 'epsilon', type: ATTR_FLOAT, f: layer.epsilon },
          { name: 'momentum', type: ATTR_FLOAT, f: 1 - layer.momentum },
          { name: 'training_mode', type: ATTR_INT, i: 0 },
        ],
      });
      prev = o;
    } else if (layer instanceof Normalization) {
      // Sub of the mean, Div by the standard deviation (1 where the variance is 0: centred only)
      const mean = weights.get(`${layer.name}.mean`)!.data;
      const std = Array.from(weights.get(`${layer.name}.variance`)!.data, (v) => (v > 0 ? Math.sqrt(v) : 1));
      initializer.push({ name: `${i}.mean`, dims: [layer.size], data_type: elem, raw_data: floatBytes(mean, per) });
      initializer.push({ name: `${i}.std`, dims: [layer.size], data_type: elem, raw_data: floatBytes(std, per) });
      const centred = `/${i}/Sub_output_0`;
      const o = out ?? `/${i}/Div_output_0`;
      nodes.push({ name: `/${i}/Sub`, op_type: 'Sub', input: [prev, `${i}.mean`], output: [centred] });
      nodes.push({ name: `/${i}/Div`, op_type: 'Div', input: [centred, `${i}.std`], output: [o] });
      prev = o;
    } else if (layer.type !== 'dropout') {
      throw new Error(
        `toONNX: layer ${i + 1} (${layer.type}) has no ONNX form here; dense, activations, dropout, batchNorm and normalization do`,
      );
    }
  });
  if (prev === 'input') nodes.push({ name: '/Identity', op_type: 'Identity', input: ['input'], output: ['output'] });
  const value = (name: string, width: number) => ({
    name,
    type: { tensor_type: { elem_type: elem, shape: { dim: [{ dim_param: 'batch' }, { dim_value: width }] } } },
  });
  return encodeModel({
    ir_version: IR_VERSION,
    producer_name: 'dl-fundamentals',
    opset_import: [{ domain: '', version: OPSET }],
    graph: {
      name: 'dl-fundamentals',
      node: nodes,
      initializer,
      input: [value('input', model.inputSize)],
      output: [value('output', model.outputSize)],
    },
    metadata_props: [{ key: MODEL_FORMAT, value: JSON.stringify(architectureOf(model)) }],
  });
}

// ---- reading ----
