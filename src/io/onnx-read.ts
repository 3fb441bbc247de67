// Reading ONNX: the chains of layers torch.onnx.export and tf2onnx write for Linear / Dense stacks
// (initializers as weights; Gemm with or without transB; MatMul + Add; Flatten, Identity,
// Dropout and same-type Cast passed through), or this package's own files, into a checked plan. Anything else is
// refused with the node and op named.
import { describe } from '../core/matrix.js';
import type { Layer } from '../nn/layer.js';
import { Activation, type ActivationName } from '../nn/activations.js';
import { Dense } from '../nn/dense.js';
import { MODEL_FORMAT, readArchitecture } from './json.js';
import { DOUBLE, FLOAT, decodeModel } from './onnx-schema.js';
import { readFloats, transpose as transposeOf } from './floats.js';
import { type ModelPlan, type PlanWeight, expectedParams, fail, sameLayers } from './plan.js';
import { BatchNorm } from '../nn/batchnorm.js';
import { Normalization } from '../nn/normalization.js';

const ACT_OF: Record<string, ActivationName> = { Relu: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh', Softmax: 'softmax' };

interface Tensor {
  name?: string;
  dims?: number[];
  data_type?: number;
  raw_data?: Uint8Array;
  float_data?: number[];
  double_data?: number[];
  data_location?: number;
  external_data?: unknown[];
}
interface Attr {
  name?: string;
  f?: number;
  i?: number;
  t?: Tensor;
  type?: number;
  floats?: number[];
  ints?: number[];
}
interface Node {
  name?: string;
  op_type?: string;
  domain?: string;
  input?: string[];
  output?: string[];
  attribute?: Attr[];
}
interface Value {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: number; dim_param?: string }[] } } };
}
interface OnnxModel {
  ir_version?: number;
  opset_import?: { domain?: string; version?: number }[];
  graph?: { node?: Node[]; initializer?: Tensor[]; input?: Value[]; output?: Value[]; sparse_initializer?: unknown[] };
  metadata_props?: { key?: string; value?: string }[];
  functions?: unknown[];
}

/** Does this look like an ONNX model: a protobuf starting with ir_version (field 1, varint)? */
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

const nodeText = (n: Node, k: number) => `node ${JSON.stringify(n.name || `#${k}`)} (${n.op_type || 'no op_type'})`;

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
  const layers: Layer[] = [];
  // each layer's initializers, by the parameter each fills ('W' of [in, out] transposed to [out, in])
  type Part = { t: Tensor; param: string; transpose?: boolean; vector?: boolean; square?: boolean };
  const found: { layer: number; parts: Part[] }[] = [];
  const dense = (W: Tensor, transpose: boolean, b: Tensor | null) =>
    found.push({
      layer: layers.length,
      parts: [{ t: W, param: 'W', transpose }, ...(b ? [{ t: b, param: 'b', vector: true }] : [])],
    });
  let current = input.name ?? '';
  const nodes = g.node ?? [];
  const attr = (n: Node, name: string) => (n.attribute ?? []).find((a) => a.name === name);
  const intAttr = (n: Node, name: string, dflt: number) => {
    const a = attr(n, name);
    return a ? (a.i ?? 0) : dflt;
  };
  const floatAttr = (n: Node, name: string, dflt: number) => {
    const a = attr(n, name);
    return a ? (a.f ?? 0) : dflt;
  };
  const weight = (n: Node, k: number, name: string | undefined, what: string): Tensor => {
    const t = name === undefined ? undefined : inits.get(name);
    if (!t)
      fail(
        `ONNX: ${nodeText(n, k)} takes ${what} ${JSON.stringify(name ?? '')}, which is not an initializer (computed weights are not read)`,
      );
    return t;
  };
  /** a Cast of `chain` to the graph's own type: a no-op Keras writes between ops */
  const sameTypeCast = (n: Node | undefined, chain: string) =>
    n?.op_type === 'Cast' && (n.input ?? [])[0] === chain && intAttr(n, 'to', 0) === elem && !n.domain;
  // an Identity (or same-type Cast) of an initializer names it again: PyTorch's exporter writes one
  // for each of two equal weights it stored once (two zero biases of one shape)
  const aliases = new Set<Node>();
  for (const n of nodes) {
    const src = inits.get((n.input ?? [])[0] ?? '');
    const out = (n.output ?? [])[0];
    if (
      src &&
      out &&
      !n.domain &&
      (n.op_type === 'Identity' || (n.op_type === 'Cast' && intAttr(n, 'to', 0) === elem))
    ) {
      inits.set(out, src);
      aliases.add(n);
    }
    // a Constant is an initializer written as a node (PyTorch's BatchNorm1d(affine=False): scale, B)
    const value =
      n.op_type === 'Constant' && !n.domain && (n.input ?? []).length === 0 ? attr(n, 'value')?.t : undefined;
    if (value && out) {
      inits.set(out, { ...value, name: out });
      aliases.add(n);
    }
  }
  for (let k = 0; k < nodes.length; k++) {
    const n = nodes[k];
    if (aliases.has(n)) continue;
    const op = n.op_type ?? '';
    if (n.domain && n.domain !== 'ai.onnx')
      fail(`ONNX: ${nodeText(n, k)} is in domain ${JSON.stringify(n.domain)}; this library reads standard ops`);
    const ins = n.input ?? [];
    const data = op === 'Add' ? ins.find((x) => x === current) : ins[0];
    if (data !== current)
      fail(
        `ONNX: ${nodeText(n, k)} does not take the output of the layer before (${JSON.stringify(current)}): this library reads a chain of layers`,
      );
    const out = (n.output ?? [])[0];
    if (!out) fail(`ONNX: ${nodeText(n, k)} has no output`);
    if (op === 'Gemm') {
      if (floatAttr(n, 'alpha', 1) !== 1 || floatAttr(n, 'beta', 1) !== 1 || intAttr(n, 'transA', 0) !== 0) {
        fail(
          `ONNX: ${nodeText(n, k)} has alpha, beta or transA other than 1, 1, 0; this library reads Gemm as a dense layer`,
        );
      }
      const transB = intAttr(n, 'transB', 0);
      const W = weight(n, k, ins[1], 'B');
      const b = ins[2] ? weight(n, k, ins[2], 'C') : null;
      const wd = W.dims ?? [];
      if (wd.length !== 2) fail(`ONNX: ${nodeText(n, k)}: B ${JSON.stringify(W.name)} has rank ${wd.length}, not 2`);
      checkDims(n, k, W);
      dense(W, transB === 0, b);
      layers.push(new Dense(transB ? wd[0] : wd[1], { useBias: b !== null }));
    } else if (op === 'MatMul') {
      const W = weight(n, k, ins[1], 'B');
      const wd = W.dims ?? [];
      if (wd.length !== 2) fail(`ONNX: ${nodeText(n, k)}: B ${JSON.stringify(W.name)} has rank ${wd.length}, not 2`);
      checkDims(n, k, W);
      // tf2onnx writes Dense as MatMul then Add of the bias, Keras with a same-type Cast between
      let j = k + 1,
        chain = out;
      while (sameTypeCast(nodes[j], chain)) chain = (nodes[j++].output ?? [])[0]!;
      const next = nodes[j];
      let b: Tensor | null = null;
      if (next?.op_type === 'Add' && (next.input ?? []).includes(chain) && (next.input ?? []).length === 2) {
        const other = next.input!.find((x) => x !== chain);
        b = weight(next, j, other, 'a bias');
        k = j;
        chain = (next.output ?? [])[0]!;
      } else chain = out;
      dense(W, true, b);
      layers.push(new Dense(wd[1], { useBias: b !== null }));
      current = chain;
      continue;
    } else if (op in ACT_OF) {
      if (op === 'Softmax') {
        const axis = intAttr(n, 'axis', opset! >= 13 ? -1 : 1);
        if (axis !== -1 && axis !== 1)
          fail(
            `ONNX: ${nodeText(n, k)} has axis ${axis}; this library's softmax is over the features (axis −1 or 1 of [batch, features])`,
          );
      }
      layers.push(new Activation(ACT_OF[op]));
    } else if (op === 'Flatten') {
      const axis = intAttr(n, 'axis', 1);
      if (axis !== 1 && axis !== -1)
        fail(`ONNX: ${nodeText(n, k)} has axis ${axis}; only Flatten of [batch, features] (axis 1) is read`);
    } else if (op === 'Identity' || op === 'Dropout') {
      // inference: both pass their input through
    } else if (op === 'Sub') {
      // a normalization layer: Sub of the mean, then Div by the standard deviation
      const mean = weight(n, k, ins[1], 'the mean');
      const div = nodes[k + 1];
      if (div?.op_type !== 'Div' || (div.input ?? [])[0] !== out)
        fail(
          `ONNX: ${nodeText(n, k)} is not followed by a Div of its output; this library reads Sub then Div as a normalization`,
        );
      const std = weight(div, k + 1, (div.input ?? [])[1], 'the standard deviation');
      for (const [t, what] of [
        [mean, 'mean'],
        [std, 'standard deviation'],
      ] as const)
        if ((t.dims ?? []).length !== 1)
          fail(`ONNX: ${nodeText(n, k)}: the ${what} ${JSON.stringify(t.name)} is not a vector`);
      found.push({
        layer: layers.length,
        parts: [
          { t: mean, param: 'mean', vector: true },
          { t: std, param: 'variance', vector: true, square: true },
        ],
      });
      layers.push(new Normalization());
      k++;
      current = (div.output ?? [])[0] ?? '';
      continue;
    } else if (op === 'BatchNormalization') {
      // inference form: (x − mean)/√(var + ε)·scale + B; ONNX's momentum is the old value's weight
      if (intAttr(n, 'training_mode', 0) !== 0)
        fail(`ONNX: ${nodeText(n, k)} has training_mode 1; this library reads BatchNormalization for inference`);
      if ((n.output ?? []).length > 1 && (n.output ?? []).slice(1).some((o) => o))
        fail(`ONNX: ${nodeText(n, k)} has running-statistics outputs; this library reads the inference form`);
      const params = ['gamma', 'beta', 'runningMean', 'runningVar'];
      const parts = ['scale', 'B', 'input_mean', 'input_var'].map((what, i) => {
        const t = weight(n, k, ins[i + 1], what);
        if ((t.dims ?? []).length !== 1)
          fail(`ONNX: ${nodeText(n, k)}: ${what} ${JSON.stringify(t.name)} is not a vector`);
        return { t, param: params[i], vector: true };
      });
      found.push({ layer: layers.length, parts });
      layers.push(
        new BatchNorm({
          momentum: Number((1 - float32Decimal(floatAttr(n, 'momentum', 0.9))).toPrecision(12)),
          epsilon: float32Decimal(floatAttr(n, 'epsilon', 1e-5)),
        }),
      );
    } else if (op === 'Cast') {
      // Keras writes a Cast around every op; to the graph's own type it changes nothing
      const to = intAttr(n, 'to', 0);
      if (to !== elem)
        fail(
          `ONNX: ${nodeText(n, k)} casts to element type ${to}, not the graph's ${elem} (${double ? 'double' : 'float'}): this library computes a model in one type`,
        );
    } else {
      fail(
        `ONNX: ${nodeText(n, k)} is not an op this library reads: it reads Gemm, MatMul (+ Add), Relu, Sigmoid, Tanh, Softmax, BatchNormalization, Sub then Div (a normalization), and Flatten, Identity, Dropout and Cast (to the graph's type) as pass-through`,
      );
    }
    current = out;
  }
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

/**
 * The decimal a float32 attribute was written from: the shortest one that rounds to it (ONNX
 * stores float attributes in float32: PyTorch's eps 1e-5 arrives as 9.999999747378752e-6).
 */
function float32Decimal(f: number): number {
  for (let p = 1; p <= 9; p++) {
    const v = Number(f.toPrecision(p));
    if (Math.fround(v) === Math.fround(f)) return v;
  }
  return f;
}

/** An initializer's values (raw_data little-endian, or float_data / double_data), checked. */
/** A weight's dims are positive whole numbers: a layer of 0 or −1 units is not one to build. */
function checkDims(n: Node, k: number, W: Tensor): void {
  const dims = W.dims ?? [];
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 1)) {
    fail(
      `ONNX: ${nodeText(n, k)}: initializer ${JSON.stringify(W.name)} has dims ${JSON.stringify(dims)}; each must be a positive whole number`,
    );
  }
}

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
