// Malformed files never crash, hang or leak: fast-check mutates valid files of every format
// (flipped, overwritten, inserted and deleted bytes, truncation, a forged safetensors header
// length) and each load must end in a clean Error (a loadModel message, memory as it was) or in a
// correct load: for safetensors the weights the format's rules read from the mutated bytes (parsed
// here, independently), for ONNX what ONNX Runtime computes from the same bytes.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createBackend,
  dense,
  dropout,
  loadModel,
  relu,
  sequential,
  sigmoid,
  softmax,
  type Backend,
  type Sequential,
} from '../../src/index.js';
import { runORT } from './helpers.js';
import { maxRelError } from '../helpers.js';

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 32 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('length' as const),
    value: fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(Number)),
  }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(src: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = Uint8Array.from(src);
  for (const m of ms) {
    const at = b.length === 0 ? 0 : 'at' in m ? m.at % b.length : 0;
    if (m.kind === 'flip' && b.length) b[at] ^= 1 << m.bit;
    else if (m.kind === 'set') b.set(m.bytes.subarray(0, Math.max(0, b.length - at)), at);
    else if (m.kind === 'insert') b = Uint8Array.from([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
    else if (m.kind === 'delete') b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + m.n)]);
    else if (m.kind === 'truncate') b = b.slice(0, at);
    else if (m.kind === 'length' && b.length >= 8) {
      const v = new DataView(b.buffer);
      v.setUint32(0, m.value % 2 ** 32, true);
      v.setUint32(4, Math.floor(m.value / 2 ** 32) % 2 ** 32, true);
    }
  }
  return b;
}

/** the format's own reading of a safetensors file, for checking a load that succeeded */
function safetensorsValues(bytes: Uint8Array): Map<string, number[]> {
  const v = new DataView(bytes.buffer, bytes.byteOffset);
  const n = Number(v.getBigUint64(0, true));
  const head = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const out = new Map<string, number[]>();
  for (const [name, t] of Object.entries(head) as [string, { dtype: string; data_offsets: [number, number] }][]) {
    if (name === '__metadata__') continue;
    const per = t.dtype === 'F64' ? 8 : 4;
    const vals: number[] = [];
    for (let at = t.data_offsets[0]; at < t.data_offsets[1]; at += per)
      vals.push(per === 8 ? v.getFloat64(8 + n + at, true) : v.getFloat32(8 + n + at, true));
    out.set(name, vals);
  }
  return out;
}

function attempt(backend: Backend, load: () => Sequential): Sequential | null {
  const before = backend.memory();
  try {
    const m = load();
    return m;
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(/^loadModel: /);
    expect(backend.memory()).toEqual(before);
    return null;
  }
}

describe.each([
  ['wasm', 'float32'],
  ['js', 'float64'],
] as const)('mutated files on %s %s', (name, dtype) => {
  const make = async () => {
    const backend = await createBackend(name, { dtype });
    const model = sequential([dense(5), relu(), dropout(0.2), dense(3), softmax()], { inputSize: 4, backend, seed: 5 });
    return { backend, model };
  };
  const runs = { numRuns: 250 };

  /**
   * Mutates an ONNX file: every load is a clean error or computes, on 3 rows of `features` inputs
   * made by `value`, what ONNX Runtime computes from the same bytes (at least one is compared).
   */
  async function fuzzONNX(backend: Backend, good: Uint8Array, features: number, value: (i: number) => number) {
    const x = Float32Array.from({ length: 3 * features }, (_, i) => value(i));
    const xs = dtype === 'float64' ? Float64Array.from(x) : x;
    const cases: { bytes: Uint8Array; m: Sequential }[] = [];
    fc.assert(
      fc.property(
        fc.array(
          mutation.filter((m) => m.kind !== 'length'),
          { minLength: 1, maxLength: 3 },
        ),
        (ms) => {
          const bytes = mutate(good, ms);
          const m = attempt(backend, () => loadModel(bytes, backend));
          if (m && cases.length < 40) cases.push({ bytes, m });
          else m?.dispose();
        },
      ),
      runs,
    );
    let compared = 0;
    for (const { bytes, m } of cases) {
      let theirs: ArrayLike<number> | null = null;
      try {
        theirs = (await runORT(bytes, xs, 3, features)).data;
      } catch {
        /* ONNX Runtime refuses it: nothing to compare */
      }
      const ours = m.predict({ rows: 3, cols: features, data: xs }).data;
      if (theirs) {
        compared++;
        if (Array.from(theirs).every(Number.isFinite))
          expect(maxRelError(ours, theirs, 1)).toBeLessThan(dtype === 'float64' ? 1e-12 : 2e-6);
      }
      m.dispose();
    }
    expect(compared).toBeGreaterThan(0);
  }

  it('safetensors: a clean error or the weights the bytes hold', async () => {
    const { backend, model } = await make();
    const good = model.toSafetensors();
    let loaded = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
        const bytes = mutate(good, ms);
        const before = backend.memory();
        const m = attempt(backend, () => loadModel(bytes, backend));
        if (!m) return;
        loaded++;
        const file = safetensorsValues(bytes);
        const torch = ['0.weight', '0.bias', '3.weight', '3.bias'];
        m.getWeights().forEach((w, i) => expect(Array.from(w.data)).toEqual(file.get(torch[i])));
        m.dispose();
        expect(backend.memory()).toEqual(before);
      }),
      runs,
    );
    expect(loaded).toBeGreaterThan(0); // some mutations only touch weights: those must load
  });

  it("ONNX from PyTorch's default exporter (value_info, doc strings, metadata): a clean error or what ONNX Runtime computes", async () => {
    const backend = await createBackend(name, { dtype });
    const file = `relu-softmax-${dtype === 'float64' ? 'f64' : 'f32'}-dynamo.onnx`;
    const good = new Uint8Array(readFileSync(new URL(`../fixtures/torch/${file}`, import.meta.url)));
    await fuzzONNX(backend, good, 5, (i) => Math.cos(i));
  });

  it('ONNX: a clean error or what ONNX Runtime computes from the same bytes', async () => {
    const { backend, model } = await make();
    await fuzzONNX(backend, model.toONNX(), 4, (i) => Math.sin(i));
    // protobuf garbage: random bytes after ONNX's first tag
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (tail) => {
        attempt(backend, () => loadModel(Uint8Array.from([8, ...tail]), backend))?.dispose();
      }),
      runs,
    );
  });

  it('JSON and TF.js artifacts: a clean error or a model', async () => {
    const { backend, model } = await make();
    const text = new TextEncoder().encode(JSON.stringify(model));
    const tfjs = sequential([dense(5), relu(), dense(2), sigmoid()], { inputSize: 3, backend, seed: 1 }).toTFJS({
      cast: true,
    });
    const topology = new TextEncoder().encode(JSON.stringify(tfjs.modelTopology));
    const weights = new Uint8Array(tfjs.weightData as ArrayBuffer);
    fc.assert(
      fc.property(
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('json', 'topology', 'weights'),
        (ms, which) => {
          const before = backend.memory();
          let m: Sequential | null;
          if (which === 'json') {
            const s = new TextDecoder().decode(mutate(text, ms));
            m = attempt(backend, () => loadModel(s, backend, { cast: true }));
          } else {
            let top: unknown;
            try {
              top = JSON.parse(new TextDecoder().decode(which === 'topology' ? mutate(topology, ms) : topology));
            } catch {
              return;
            }
            const w = which === 'weights' ? mutate(weights, ms) : weights;
            m = attempt(backend, () =>
              loadModel(
                { ...tfjs, modelTopology: top as Record<string, unknown>, weightData: w.slice().buffer },
                backend,
                { cast: true },
              ),
            );
          }
          if (m) {
            expect(m.getWeights().every((w) => w.data.every(Number.isFinite))).toBe(true);
            m.dispose();
            expect(backend.memory()).toEqual(before);
          }
        },
      ),
      runs,
    );
  });
});
