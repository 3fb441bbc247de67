// The chain of layers in an ONNX graph: each node read as a layer (Gemm, MatMul + Add,
// activations, BatchNormalization, Sub then Div) or passed through (Flatten, Identity, Dropout,
// same-type Cast), with the initializers each layer takes. onnx-read.ts checks the file around it.
import { Activation, type ActivationName } from '../nn/activations.js';
import { BatchNorm } from '../nn/batchnorm.js';
import { Dense } from '../nn/dense.js';
import type { Layer } from '../nn/layer.js';
import { Normalization } from '../nn/normalization.js';
import { DOUBLE } from './onnx-schema.js';
import { fail } from './plan.js';

const ACT_OF: Record<string, ActivationName> = { Relu: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh', Softmax: 'softmax' };

export interface Tensor {
  name?: string;
  dims?: number[];
  data_type?: number;
  raw_data?: Uint8Array;
  float_data?: number[];
  double_data?: number[];
  data_location?: number;
  external_data?: unknown[];
}
export interface Attr {
  name?: string;
  f?: number;
  i?: number;
  t?: Tensor;
  type?: number;
  floats?: number[];
  ints?: number[];
}
export interface Node {
  name?: string;
  op_type?: string;
  domain?: string;
  input?: string[];
  output?: string[];
  attribute?: Attr[];
}
export interface Value {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: number; dim_param?: string }[] } } };
}
export interface OnnxModel {
  ir_version?: number;
  opset_import?: { domain?: string; version?: number }[];
  graph?: { node?: Node[]; initializer?: Tensor[]; input?: Value[]; output?: Value[]; sparse_initializer?: unknown[] };
  metadata_props?: { key?: string; value?: string }[];
  functions?: unknown[];
}

/** Does this look like an ONNX model: a protobuf starting with ir_version (field 1, varint)? */
export const nodeText = (n: Node, k: number) =>
  `node ${JSON.stringify(n.name || `#${k}`)} (${n.op_type || 'no op_type'})`;

/** An initializer's part in a layer: the parameter it fills ('W' of [in, out] transposed to [out, in]). */
export type Part = { t: Tensor; param: string; transpose?: boolean; vector?: boolean; square?: boolean };

/** Reads the graph's nodes from the input `start` on: the layers, their initializers, the chain's end. */
export function readChain(
  nodes: Node[],
  inits: Map<string, Tensor>,
  elem: number,
  start: string,
  opset: number,
): { layers: Layer[]; found: { layer: number; parts: Part[] }[]; current: string } {
  const double = elem === DOUBLE;
  const layers: Layer[] = [];
  const found: { layer: number; parts: Part[] }[] = [];
  const dense = (W: Tensor, transpose: boolean, b: Tensor | null) =>
    found.push({
      layer: layers.length,
      parts: [{ t: W, param: 'W', transpose }, ...(b ? [{ t: b, param: 'b', vector: true }] : [])],
    });
  let current = start;
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
  return { layers, found, current };
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

/** A weight's dims are positive whole numbers: a layer of 0 or −1 units is not one to build. */
function checkDims(n: Node, k: number, W: Tensor): void {
  const dims = W.dims ?? [];
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 1)) {
    fail(
      `ONNX: ${nodeText(n, k)}: initializer ${JSON.stringify(W.name)} has dims ${JSON.stringify(dims)}; each must be a positive whole number`,
    );
  }
}
