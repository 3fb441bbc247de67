// safetensors (huggingface.co/docs/safetensors): an 8-byte little-endian header length, a JSON
// header { name: { dtype, shape, data_offsets: [begin, end] }, __metadata__: { string: string } },
// then the tensors' bytes, little-endian, back to back. Tensors are named as PyTorch's
// nn.Sequential state_dict() names the same stack: '<index in the list>.weight' [out, in] and
// '.bias' [out], activations and dropout counting as indices. The metadata carries this
// package's architecture, so the file alone restores the model.
import { describe } from '../core/matrix.js';
import type { Layer } from '../nn/layer.js';
import type { Model } from '../nn/model.js';
import { architectureOf, MODEL_FORMAT, readArchitecture } from './json.js';
import { readFloats, writeFloats } from './floats.js';
import { type ModelPlan, type PlanWeight, expectedParams, fail } from './plan.js';

const BYTES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};
/** the format's cap on the header, against files that claim gigabytes of JSON */
const MAX_HEADER = 100_000_000;

/** PyTorch's names for our parameters: Linear's weight and bias, BatchNorm1d's as its state_dict has them. */
const TORCH_PARAM: Record<string, string> = {
  W: 'weight',
  b: 'bias',
  gamma: 'weight',
  beta: 'bias',
  runningMean: 'running_mean',
  runningVar: 'running_var',
};
/** PyTorch's name for a parameter: 'W' of the layer at list index i is 'i.weight'. */
const torchName = (index: number, param: string) => `${index}.${TORCH_PARAM[param] ?? param}`;
/** BatchNorm1d's batch counter, an I64 scalar in its state_dict: written (the model's step) and read past */
const BATCHES = 'num_batches_tracked';

/** A model's weights as safetensors bytes, named as PyTorch's nn.Sequential names them, with the architecture in the metadata. */
export function toSafetensors(model: Model): Uint8Array {
  const dtype = model.dtype === 'float64' ? 'F64' : 'F32';
  const per = BYTES[dtype] as 4 | 8;
  const tensors: { name: string; shape: number[]; data: ArrayLike<number> }[] = [];
  const weights = new Map(model.getWeights().map((w) => [w.name, w]));
  const counters: { name: string; value: number }[] = [];
  model.layers.forEach((layer, i) => {
    for (const p of layer.params()) {
      const w = weights.get(`${layer.name}.${p.name}`)!;
      tensors.push({ name: torchName(i, p.name), shape: w.shape, data: w.data });
    }
    if (layer.type === 'batchNorm') counters.push({ name: `${i}.${BATCHES}`, value: model.step });
  });
  const header: Record<string, unknown> = {
    __metadata__: { format: MODEL_FORMAT, model: JSON.stringify(architectureOf(model)) },
  };
  let offset = 0;
  for (const t of tensors) {
    const end = offset + t.data.length * per;
    header[t.name] = { dtype, shape: t.shape, data_offsets: [offset, end] };
    offset = end;
  }
  for (const c of counters) {
    header[c.name] = { dtype: 'I64', shape: [], data_offsets: [offset, offset + 8] };
    offset += 8;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  // pad with spaces so the data starts 8-byte aligned (the format allows trailing spaces)
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of tensors) {
    writeFloats(out, at, t.data, per);
    at += t.data.length * per;
  }
  for (const c of counters) {
    view.setBigInt64(at, BigInt(c.value), true);
    at += 8;
  }
  return out;
}

/** Does this look like a safetensors file (a header length that fits, then '{')? */
export function isSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 10) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  return n >= 2 && n <= bytes.length - 8 && bytes[8] === 0x7b;
}

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

function readHeader(bytes: Uint8Array): {
  entries: Entry[];
  metadata: Record<string, string> | null;
  data: Uint8Array;
} {
  if (bytes.length < 8)
    fail(`safetensors: the file is ${bytes.length} bytes, too short to hold the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (n > bytes.length - 8)
    fail(`safetensors: the header length ${n} runs past the end of the file (${bytes.length} bytes); is it truncated?`);
  if (n > MAX_HEADER) fail(`safetensors: the header length ${n} is past the format's limit of ${MAX_HEADER} bytes`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    fail('safetensors: the header is not UTF-8 text');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(`safetensors: the header is not valid JSON (${(e as Error).message})`);
  }
  if (!header || typeof header !== 'object' || Array.isArray(header))
    fail(`safetensors: the header is ${describe(header)}, not an object`);
  const dataLength = bytes.length - 8 - n;
  let metadata: Record<string, string> | null = null;
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    const what = `tensor ${JSON.stringify(name)}`;
    if (name === '__metadata__') {
      if (!info || typeof info !== 'object' || Array.isArray(info))
        fail(`safetensors: __metadata__ is ${describe(info)}, not an object`);
      for (const [k, v] of Object.entries(info))
        if (typeof v !== 'string')
          fail(`safetensors: __metadata__.${k} is ${describe(v)}; metadata values are strings`);
      metadata = info as Record<string, string>;
      continue;
    }
    if (!info || typeof info !== 'object' || Array.isArray(info))
      fail(`safetensors: ${what} is ${describe(info)}, not { dtype, shape, data_offsets }`);
    const { dtype, shape, data_offsets: offsets, ...extra } = info as Record<string, unknown>;
    if (Object.keys(extra).length > 0)
      fail(`safetensors: ${what} has unknown field ${JSON.stringify(Object.keys(extra)[0])}`);
    if (typeof dtype !== 'string' || !(dtype in BYTES))
      fail(`safetensors: ${what} has unknown dtype ${describe(dtype)}`);
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0))
      fail(`safetensors: ${what} has shape ${describe(shape)}, not a list of non-negative integers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isSafeInteger(o) || o < 0)) {
      fail(`safetensors: ${what} has data_offsets ${describe(offsets)}, not [begin, end]`);
    }
    const [begin, end] = offsets as number[];
    if (begin > end || end > dataLength)
      fail(`safetensors: ${what} has data_offsets [${begin}, ${end}] outside the ${dataLength} data bytes`);
    const size = (shape as number[]).reduce((a, b) => a * b, 1) * BYTES[dtype];
    if (end - begin !== size)
      fail(
        `safetensors: ${what} is ${dtype} ${JSON.stringify(shape)}, ${size} bytes, but data_offsets [${begin}, ${end}] hold ${end - begin}`,
      );
    entries.push({ name, dtype, shape: shape as number[], begin, end });
  }
  // the format's rule: the tensors tile the data exactly, no gap, no overlap
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    if (e.begin !== at) {
      fail(
        `safetensors: tensor ${JSON.stringify(e.name)} starts at byte ${e.begin}, expected ${at} (${e.begin < at ? 'it overlaps the tensor before' : 'a gap before it'})`,
      );
    }
    at = e.end;
  }
  if (at !== dataLength) fail(`safetensors: the tensors end at byte ${at} of ${dataLength} data bytes`);
  return { entries, metadata, data: bytes.subarray(8 + n) };
}

export interface Architecture {
  inputSize?: number;
  layers?: Layer[];
  seed?: number;
}

/** A plan from safetensors bytes; `given` supplies the layers when the file has no metadata. */
export function planFromSafetensors(bytes: Uint8Array, given: Architecture): ModelPlan {
  const header = readHeader(bytes);
  const { metadata, data } = header;
  // batch norm's counters: I64 scalars that set nothing here (momentum is fixed); checked, then set aside
  const counters = header.entries.filter((e) => e.name.endsWith(`.${BATCHES}`));
  for (const c of counters) {
    if (c.dtype !== 'I64' || c.shape.length !== 0)
      fail(`safetensors: tensor ${JSON.stringify(c.name)} is ${c.dtype} ${JSON.stringify(c.shape)}, not an I64 scalar`);
  }
  const entries = header.entries.filter((e) => !counters.includes(e));
  const dtypes = [...new Set(entries.map((e) => e.dtype))];
  if (dtypes.length > 1)
    fail(`safetensors: the file mixes ${dtypes.join(' and ')}; this library loads one float dtype`);
  const dtype = dtypes[0] ?? 'F32';
  if (dtype !== 'F32' && dtype !== 'F64') {
    fail(
      `safetensors: tensor ${JSON.stringify(entries[0].name)} is ${dtype}; this library reads F32 and F64 (in PyTorch: model.float() or model.double() before saving)`,
    );
  }
  let arch: Omit<ModelPlan, 'weights' | 'format'>;
  if (metadata && metadata.format === MODEL_FORMAT) {
    if (given.layers !== undefined || given.inputSize !== undefined || given.seed !== undefined) {
      fail(
        'safetensors: this file carries its architecture (its metadata); drop the inputSize, layers and seed options',
      );
    }
    let obj: unknown;
    try {
      obj = JSON.parse(metadata.model ?? '');
    } catch {
      fail('safetensors: __metadata__.model is not the JSON of an architecture');
    }
    arch = readArchitecture(obj, 'safetensors __metadata__.model');
    if ((arch.dtype === 'float64') !== (dtype === 'F64') && entries.length > 0) {
      fail(`safetensors: the metadata says ${arch.dtype} but the tensors are ${dtype}`);
    }
  } else {
    if (given.layers === undefined || given.inputSize === undefined) {
      fail(
        "safetensors: this file has no architecture of this library's (a PyTorch state_dict?): " +
          'pass { inputSize, layers: [dl.dense(…), dl.relu(), …] } as the third argument, the layers in the order of the nn.Sequential',
      );
    }
    if (!Array.isArray(given.layers) || given.layers.length === 0)
      fail(`layers must be a non-empty list of layers, got ${describe(given.layers)}`);
    arch = {
      dtype: dtype === 'F64' ? 'float64' : 'float32',
      inputSize: given.inputSize,
      seed: given.seed ?? 0,
      step: 0,
      layers: given.layers,
    };
  }
  // name each tensor by the parameter it fills
  const ours = new Map<string, string>();
  for (const e of expectedParams(arch.layers, arch.inputSize))
    ours.set(torchName(e.layer, e.name.slice(e.name.lastIndexOf('.') + 1)), e.name);
  for (const c of counters) {
    const layer = arch.layers[Number(c.name.slice(0, c.name.indexOf('.')))];
    if (layer?.type !== 'batchNorm')
      fail(
        `safetensors: tensor ${JSON.stringify(c.name)} belongs to a batch norm layer, and there is none at that index`,
      );
  }
  const weights: PlanWeight[] = entries.map((e) => {
    const name = ours.get(e.name);
    if (!name)
      fail(
        `safetensors: tensor ${JSON.stringify(e.name)} has no place in the layers (they take ${[...ours.keys()].join(', ') || 'no tensors'})`,
      );
    const per = BYTES[e.dtype] as 4 | 8;
    return {
      name,
      source: `tensor ${JSON.stringify(e.name)}`,
      shape: e.shape,
      data: readFloats(data, e.begin, (e.end - e.begin) / per, per),
    };
  });
  return { format: 'safetensors', ...arch, weights };
}
