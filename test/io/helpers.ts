// Shared by the format tests: the refusal contract, the committed fixtures, ONNX Runtime.
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { expect } from 'vitest';
import type { Backend } from '../../src/index.js';

/** expects a refusal matching `re` that leaves the backend's memory as it was */
export function refuses(backend: Backend, load: () => unknown, re: RegExp): void {
  const before = backend.memory();
  expect(load).toThrow(re);
  expect(backend.memory()).toEqual(before);
}

/** a file from test/fixtures (written by scripts/fixtures.py) */
export const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));

/** the float64 numpy answers for the fixtures' MLP: 'f32' or 'f64' weights */
export const reference = (tag: 'f32' | 'f64') =>
  JSON.parse(readFileSync(new URL(`../fixtures/mlp-${tag}.json`, import.meta.url), 'utf8')) as {
    x: number[][];
    y: number[][];
  };

/** runs the bytes in ONNX Runtime on x [rows × cols] */
export async function runORT(
  bytes: Uint8Array,
  x: Float32Array | Float64Array,
  rows: number,
  cols: number,
): Promise<{ data: ArrayLike<number>; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  const type = x instanceof Float64Array ? 'float64' : 'float32';
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor(type, x, [rows, cols]) });
  const y = out[session.outputNames[0]];
  return { data: y.data as ArrayLike<number>, dims: y.dims };
}
