// Reading ONNX: the chains of layers torch.onnx.export, Keras and tf2onnx write for Linear / Dense
// stacks (onnx-graph.ts reads the nodes), or this package's own files, into a checked plan: the
// file's structure, its one input and output, the metadata, the weights. Anything else is refused
// with the node and op named.
import { describe } from '../core/matrix.js';
import { MODEL_FORMAT, readArchitecture } from './json.js';
import { type OnnxModel, type Tensor, readChain } from './onnx-graph.js';
import { DOUBLE, FLOAT, decodeModel } from './onnx-schema.js';
import { readFloats, transpose as transposeOf } from './floats.js';
import { type ModelPlan, type PlanWeight, expectedParams, fail, sameLayers } from './plan.js';

export function isONNX(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x08;
}

function decode(bytes: Uint8Array): OnnxModel {
  try {
    return decodeModel(bytes) as OnnxModel;
  } catch (e) {
    return fail(`ONNX: the bytes are not a valid ONNX protobuf (${(e as Error).message}); is the file truncated?`);
  }
}

export function planFromONNX(bytes: Uint8Array): ModelPlan {
  const m = decode(bytes);
  const g = m.graph;
  if (!g) fail('ONNX: the model has no graph');
  if (!Number.isSafeInteger(m.ir_version) || m.ir_version! < 3)
    fail(`ONNX: ir_version is ${describe(m.ir_version)}; expected 3 or later`);
  const opset = (m.opset_import ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version;
  if (!Number.isSafeInteger(opset) || opset! < 7)
    fail(`ONNX: the default-domain opset is ${describe(opset)}; this library reads opset 7 and later`);
  if ((m.functions ?? []).length > 0)
    fail('ONNX: the model defines functions; this library reads plain graphs of layers');
  if ((g.sparse_initializer ?? []).length > 0)
    fail('ONNX: the graph has sparse initializers; this library reads dense ones');

  const inits = new Map<string, Tensor>();
  for (const t of g.initializer ?? []) {
    if (!t.name) fail('ONNX: an initializer has no name');
    inits.set(t.name, t);
  }
  // graph inputs that are not initializers (older exporters list initializers as inputs too)
  const inputs = (g.input ?? []).filter((v) => !inits.has(v.name ?? ''));
  if (inputs.length !== 1)
    fail(
      `ONNX: the graph has ${inputs.length} inputs (${inputs.map((v) => v.name).join(', ')}); this library reads one [batch, features] input`,
    );
  const input = inputs[0];
  const elem = input.type?.tensor_type?.elem_type;
  if (elem !== FLOAT && elem !== DOUBLE)
    fail(
      `ONNX: input ${JSON.stringify(input.name)} has element type ${describe(elem)}; this library reads float (1) and double (11)`,
    );
  const dims = input.type?.tensor_type?.shape?.dim ?? [];
  if (dims.length !== 2)
    fail(`ONNX: input ${JSON.stringify(input.name)} has rank ${dims.length}; this library reads [batch, features]`);
  const inputSize = dims[1].dim_value;
  if (!Number.isSafeInteger(inputSize) || inputSize! < 1)
    fail(`ONNX: input ${JSON.stringify(input.name)} has ${describe(inputSize)} features, not a fixed positive size`);
  const outputs = g.output ?? [];
  if (outputs.length !== 1) fail(`ONNX: the graph has ${outputs.length} outputs; this library reads one`);

  const double = elem === DOUBLE;
  const nodes = g.node ?? [];
  const { layers, found, current } = readChain(nodes, inits, elem, input.name ?? '', opset!);
  if (current !== outputs[0].name)
    fail(
      `ONNX: the chain of layers ends in ${JSON.stringify(current)}, not the graph output ${JSON.stringify(outputs[0].name)}`,
    );
  // this package's own files carry the layers the graph leaves out (dropout) and the seed and step
  const meta = (m.metadata_props ?? []).find((p) => p.key === MODEL_FORMAT)?.value;
  let arch: Omit<ModelPlan, 'weights' | 'format'> = {
    dtype: double ? 'float64' : 'float32',
    inputSize: inputSize!,
    seed: 0,
    step: 0,
    layers,
  };
  if (meta !== undefined) {
    let obj: unknown;
    try {
      obj = JSON.parse(meta);
    } catch {
      fail(`ONNX: metadata ${MODEL_FORMAT} is not JSON`);
    }
    const saved = readArchitecture(obj, `ONNX metadata ${MODEL_FORMAT}`);
    // the graph leaves dropout out, and linear (an Identity) too
    const same = sameLayers(
      saved.layers.filter((l) => l.type !== 'dropout' && l.type !== 'linear'),
      layers,
    );
    if (!same || saved.inputSize !== inputSize || saved.dtype !== arch.dtype)
      fail('ONNX: the graph does not match the architecture in its metadata');
    // the graph's k-th layer is the k-th of the metadata's that is not dropout
    const position = saved.layers.flatMap((l, i) => (l.type === 'dropout' || l.type === 'linear' ? [] : [i]));
    for (const f of found) f.layer = position[f.layer];
    arch = saved;
  }
  // (a model of dropout alone is an Identity in the graph and its layers in the metadata)
  if (arch.layers.length === 0) fail('ONNX: the graph has no layers');
  const expected = expectedParams(arch.layers, arch.inputSize);
  const weights: PlanWeight[] = [];
  for (const f of found) {
    const names = new Set(expected.filter((e) => e.layer === f.layer).map((e) => e.name));
    const prefix = [...names][0]?.slice(0, [...names][0].lastIndexOf('.') + 1);
    for (const p of f.parts) {
      // batch norm without γ and β (affine false, from the metadata) still has ONNX's scale and B
      if (!names.has(prefix + p.param)) continue;
      const w = readWeight(p.t, prefix + p.param, double, !!p.transpose, !!p.vector);
      // a normalization's Div holds the standard deviation; the layer keeps the variance
      // (√(σ·σ) is σ again exactly, so the model computes what the file does)
      weights.push(p.square ? { ...w, data: Array.from(w.data, (v) => v * v) } : w);
    }
  }
  return { format: 'ONNX', ...arch, weights };
}

/** An initializer's values (raw_data little-endian, or float_data / double_data), checked. */
function readWeight(t: Tensor, name: string, double: boolean, transpose: boolean, bias = false): PlanWeight {
  const source = `initializer ${JSON.stringify(t.name)}`;
  if (t.data_location === 1 || (t.external_data ?? []).length > 0)
    fail(`ONNX: ${source} is stored outside the file (external data); save the model with its weights inside`);
  if (t.data_type !== FLOAT && t.data_type !== DOUBLE)
    fail(`ONNX: ${source} has data type ${describe(t.data_type)}; this library reads float (1) and double (11)`);
  if ((t.data_type === DOUBLE) !== double)
    fail(
      `ONNX: ${source} is ${t.data_type === DOUBLE ? 'double' : 'float'} but the graph's input is ${double ? 'double' : 'float'}`,
    );
  let dims = t.dims ?? [];
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) fail(`ONNX: ${source} has dims ${JSON.stringify(dims)}`);
  const n = dims.reduce((a, b) => a * b, 1);
  const per: 4 | 8 = t.data_type === DOUBLE ? 8 : 4;
  let values: ArrayLike<number>;
  if (t.raw_data && t.raw_data.length > 0) {
    if (t.raw_data.length !== n * per)
      fail(
        `ONNX: ${source} has dims ${JSON.stringify(dims)} (${n * per} bytes) but ${t.raw_data.length} bytes of raw_data`,
      );
    values = readFloats(t.raw_data, 0, n, per);
  } else {
    values = (per === 8 ? t.double_data : t.float_data) ?? [];
    if (values.length !== n)
      fail(`ONNX: ${source} has dims ${JSON.stringify(dims)} (${n} values) but ${values.length} values`);
  }
  // a bias written [1, out] is the same vector
  if (bias && dims.length === 2 && dims[0] === 1) dims = [dims[1]];
  // [in, out] → [out, in]
  if (transpose) return { name, source, shape: [dims[1], dims[0]], data: transposeOf(values, dims[0], dims[1], per) };
  return { name, source, shape: dims, data: values };
}
