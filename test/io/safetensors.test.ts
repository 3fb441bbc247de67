// safetensors on every backend and dtype: the bytes read back by the format's rules (parsed here,
// independently of the reader), PyTorch's names, an exact round trip, a state_dict written by
// Python's safetensors loading with the layers given, and malformed files refused cleanly.
import { describe, expect, it } from 'vitest';
import { dense, dropout, loadModel, relu, sequential, softmax, tanh, type Backend } from '../../src/index.js';
import { CONFIGS, maxRelError, randomData } from '../helpers.js';
import { fixture, reference as ref0, refuses } from './helpers.js';

const reference = (dtype: string) => ref0(dtype === 'float64' ? 'f64' : 'f32');
/** the nn.Sequential the fixture's state_dict came from */
const torchLayers = () => [dense(7), tanh(), dense(3), relu(), dense(2), softmax()];

/** the header as the format defines it: u64 LE length, then JSON */
function header(bytes: Uint8Array): {
  n: number;
  json: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> & {
    __metadata__?: Record<string, string>;
  };
} {
  const v = new DataView(bytes.buffer, bytes.byteOffset);
  const n = Number(v.getBigUint64(0, true));
  return { n, json: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) };
}

/** a safetensors file from parts, as a writer of the format would lay it out */
function file(head: object, data: Uint8Array): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(head));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe.each(CONFIGS)('safetensors on $label', ({ make, dtype }) => {
  const build = (backend: Backend) =>
    sequential([dense(4), relu(), dropout(0.2), dense(2, { useBias: false }), softmax()], {
      inputSize: 3,
      backend,
      seed: 4,
    });

  it('names and lays out tensors as PyTorch does, and round-trips exactly (step included)', async () => {
    const backend = await make();
    const model = build(backend);
    model.fit({ rows: 8, cols: 3, data: randomData(24, 2, dtype) }, [0, 1, 1, 0, 1, 0, 0, 1], {
      loss: 'categoricalCrossEntropy',
      epochs: 2,
      batchSize: 4,
    });
    const bytes = model.toSafetensors();
    const { n, json } = header(bytes);
    expect(n % 8).toBe(0);
    const st = dtype === 'float64' ? 'F64' : 'F32';
    const { __metadata__: meta, ...tensors } = json;
    expect(Object.keys(tensors).sort()).toEqual(['0.bias', '0.weight', '3.weight']);
    expect(tensors['0.weight']).toMatchObject({ dtype: st, shape: [4, 3] });
    expect(tensors['0.bias']).toMatchObject({ dtype: st, shape: [4] });
    expect(tensors['3.weight']).toMatchObject({ dtype: st, shape: [2, 4] });
    expect(JSON.parse(meta!.model)).toMatchObject({
      inputSize: 3,
      step: 4,
      dtype,
      layers: [
        { type: 'dense', units: 4 },
        { type: 'relu' },
        { type: 'dropout', rate: 0.2 },
        { type: 'dense', units: 2, useBias: false },
        { type: 'softmax' },
      ],
    });
    const w = model.getWeights();
    const per = dtype === 'float64' ? 8 : 4;
    const data = new DataView(bytes.buffer, 8 + n);
    for (const [name, ours] of [
      ['0.weight', w[0]],
      ['0.bias', w[1]],
      ['3.weight', w[2]],
    ] as const) {
      const [b, e] = tensors[name].data_offsets;
      const vals = Array.from({ length: (e - b) / per }, (_, i) =>
        per === 8 ? data.getFloat64(b + i * 8, true) : data.getFloat32(b + i * 4, true),
      );
      expect(vals).toEqual(Array.from(ours.data));
    }
    const copy = loadModel(bytes, backend);
    expect(copy.getWeights()).toEqual(w);
    expect(copy.step).toBe(4);
    expect(loadModel(bytes.buffer as ArrayBuffer, backend).getWeights()).toEqual(w);
  });

  it('loads a state_dict written by Python safetensors, given the layers; predicts as float64 numpy does', async () => {
    const backend = await make();
    const ref = reference(dtype);
    const name = dtype === 'float64' ? 'torch-mlp-f64.safetensors' : 'torch-mlp-f32.safetensors';
    const model = loadModel(fixture(name), backend, { inputSize: 5, layers: torchLayers() });
    expect(model.getWeights().map((x) => x.shape)).toEqual([[7, 5], [7], [3, 7], [3], [2, 3], [2]]);
    const y = model.predict(ref.x);
    expect(maxRelError(y.data, ref.y.flat(), 1e-3)).toBeLessThan(dtype === 'float64' ? 1e-12 : 2e-6);
    if (dtype === 'float32') {
      refuses(
        backend,
        () => loadModel(fixture('torch-mlp-f64.safetensors'), backend, { inputSize: 5, layers: torchLayers() }),
        /the file holds float64 weights and the backend is float32: pass \{ cast: true \}/,
      );
      const cast = loadModel(fixture('torch-mlp-f64.safetensors'), backend, {
        inputSize: 5,
        layers: torchLayers(),
        cast: true,
      });
      expect(maxRelError(cast.predict(ref.x).data, ref.y.flat(), 1e-3)).toBeLessThan(1e-5);
    }
    refuses(
      backend,
      () => loadModel(fixture(name), backend),
      /no architecture of this library's .*pass \{ inputSize, layers/,
    );
    refuses(
      backend,
      () =>
        loadModel(fixture(name), backend, { inputSize: 5, layers: [dense(7), tanh(), dense(3), dense(2), softmax()] }),
      /tensor "4\.(weight|bias)" has no place in the layers \(they take 0.weight, 0.bias, 2.weight, 2.bias, 3.weight, 3.bias\)/,
    );
    refuses(
      backend,
      () =>
        loadModel(fixture(name), backend, {
          inputSize: 5,
          layers: [dense(7), tanh(), dense(4), relu(), dense(2), softmax()],
        }),
      /tensor "2.weight" has shape \[3×7\]; layer 3 \(dense\) needs \[4×7\] for dense2.W/,
    );
    refuses(
      backend,
      () => loadModel(fixture(name), backend, { inputSize: 6, layers: torchLayers() }),
      /tensor "0.weight" has shape \[7×5\]; layer 1 \(dense\) needs \[7×6\]/,
    );
    const ours = build(backend).toSafetensors();
    refuses(
      backend,
      () => loadModel(ours, backend, { inputSize: 3, layers: torchLayers() }),
      /carries its architecture .*drop the inputSize, layers and seed options/,
    );
  });

  it('refuses malformed files, naming the problem, allocating nothing', async () => {
    const backend = await make();
    const good = build(backend).toSafetensors();
    // four values in the backend's dtype (F32 is 4 bytes a value, F64 8)
    const per = dtype === 'float64' ? 8 : 4,
      st = dtype === 'float64' ? 'F64' : 'F32';
    const four = new Uint8Array(
      (dtype === 'float64' ? new Float64Array([1, 2, 3, 4]) : new Float32Array([1, 2, 3, 4])).buffer,
    );
    const t = (o: object) => ({ dtype: st, shape: [4], data_offsets: [0, 4 * per], ...o });
    refuses(backend, () => loadModel(good.subarray(0, 5), backend), /5 bytes that are not a model file/);
    const longHeader = good.slice();
    new DataView(longHeader.buffer).setUint32(0, good.length, true);
    refuses(backend, () => loadModel(longHeader, backend), /not a model file/);
    refuses(
      backend,
      () => loadModel(good.subarray(0, good.length - 4), backend),
      /the tensors end at byte \d+ of \d+ data bytes|outside the \d+ data bytes/,
    );
    const layers = { inputSize: 4, layers: [dense(1, { useBias: false })] };
    refuses(
      backend,
      () => loadModel(file({ '0.weight': t({ dtype: 'F17' }) }, four), backend, layers),
      /tensor "0.weight" has unknown dtype "F17"/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          file({ '0.weight': t({ dtype: 'F16', data_offsets: [0, 8] }) }, four.subarray(0, 8)),
          backend,
          layers,
        ),
      /tensor "0.weight" is F16; this library reads F32 and F64/,
    );
    refuses(
      backend,
      () => loadModel(file({ '0.weight': t({ data_offsets: [0, 4 * per + 4] }) }, four), backend, layers),
      new RegExp(`data_offsets \\[0, ${4 * per + 4}\\] outside the ${4 * per} data bytes`),
    );
    refuses(
      backend,
      () =>
        loadModel(
          file(
            {
              '0.weight': t({ data_offsets: [per, 3 * per], shape: [2] }),
              a: t({ data_offsets: [0, 2 * per], shape: [2] }),
            },
            four,
          ),
          backend,
          layers,
        ),
      new RegExp(`tensor "0.weight" starts at byte ${per}, expected ${2 * per} \\(it overlaps the tensor before\\)`),
    );
    refuses(
      backend,
      () =>
        loadModel(file({ '0.weight': t({ data_offsets: [0, 2 * per] }) }, four.subarray(0, 2 * per)), backend, layers),
      new RegExp(`is ${st} \\[4\\], ${4 * per} bytes, but data_offsets \\[0, ${2 * per}\\] hold ${2 * per}`),
    );
    refuses(
      backend,
      () =>
        loadModel(
          file(
            {
              '0.weight': t({ data_offsets: [0, 2 * per], shape: [2] }),
              '0.bias': { dtype: st === 'F32' ? 'F64' : 'F32', shape: [1], data_offsets: [2 * per, 4 * per] },
            },
            four,
          ),
          backend,
          layers,
        ),
      /mixes|is F32 \[1\]|is F64 \[1\]/,
    );
    refuses(
      backend,
      () => loadModel(file({ '0.weight': t({ shape: [1, 4], extra: 1 }) }, four), backend, layers),
      /tensor "0.weight" has unknown field "extra"/,
    );
    refuses(
      backend,
      () => loadModel(file({ '0.weight': t({ shape: [-1, -4] }) }, four), backend, layers),
      /has shape an array of length 2, not a list of non-negative integers/,
    );
    refuses(
      backend,
      () => loadModel(file({ __metadata__: { a: 1 }, '0.weight': t({ shape: [1, 4] }) }, four), backend, layers),
      /__metadata__.a is 1; metadata values are strings/,
    );
    const ok = loadModel(file({ '0.weight': t({ shape: [1, 4] }) }, four), backend, layers);
    expect(Array.from(ok.getWeights()[0].data)).toEqual([1, 2, 3, 4]);
  });
});
