// TF.js layers format on every backend and dtype, against TF.js itself (tfjs-layers on its cpu
// backend): what toTFJS writes loads with tf.loadLayersModel and predicts as model.predict does;
// models built and saved by TF.js load here, predict as TF.js does, and train; bad artifacts are
// refused by name with nothing allocated.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adam,
  dense,
  dropout,
  loadModel,
  relu,
  sequential,
  sigmoid,
  softmax,
  tanh,
  type TFJSArtifacts,
} from '../../src/index.js';
import { CONFIGS, maxRelError, randomData } from '../helpers.js';
import { refuses } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function saved(model: tfl.LayersModel): Promise<TFJSArtifacts> {
  let out: TFJSArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      out = a as unknown as TFJSArtifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return out!;
}

const tfPredict = (m: tfl.LayersModel, x: Float32Array, rows: number, cols: number) =>
  (m.predict(tf.tensor2d(x, [rows, cols])) as tf.Tensor).dataSync();

/** relative to the output's scale */
const scaled = (a: ArrayLike<number>, b: ArrayLike<number>) => maxRelError(a, b, Math.max(...Array.from(b, Math.abs)));

describe.each(CONFIGS)('TF.js format on $label', ({ make, dtype }) => {
  const cast = dtype === 'float64' ? { cast: true } : {};

  it('toTFJS loads in tf.loadLayersModel and predicts as model.predict does', async () => {
    const backend = await make();
    const models = [
      sequential([dense(7), tanh(), dense(3), relu(), dense(2), softmax()], { inputSize: 5, backend, seed: 1 }),
      sequential([dense(17, { useBias: false }), sigmoid(), dropout(0.4), dense(1), sigmoid()], {
        inputSize: 33,
        backend,
        seed: 2,
      }),
    ];
    for (const model of models) {
      if (dtype === 'float64')
        expect(() => model.toTFJS()).toThrow(
          /toTFJS: TF.js layers hold float32 weights and this model is float64: pass \{ cast: true \}/,
        );
      const theirs = await tfl.loadLayersModel(tf.io.fromMemory(model.toTFJS(cast) as unknown as tf.io.ModelArtifacts));
      for (const rows of [1, 7, 65]) {
        const x = Float32Array.from(randomData(rows * model.inputSize, rows, 'float32', -2, 2));
        const ours = model.predict({ rows, cols: model.inputSize, data: x });
        expect(scaled(ours.data, tfPredict(theirs, x, rows, model.inputSize))).toBeLessThan(
          dtype === 'float64' ? 1e-6 : 2e-6,
        );
      }
      // and back: the architecture (seed, step, init) rides in userDefinedMetadata
      const back = loadModel(model.toTFJS(cast), backend, cast);
      expect(back.toJSON().layers).toEqual(model.toJSON().layers);
      if (dtype === 'float32') expect(back.getWeights()).toEqual(model.getWeights());
    }
  });

  it('loads models built and saved by TF.js, predicts as TF.js does, and trains', async () => {
    const backend = await make();
    const init = (seed: number) => ({ kernelInitializer: tfl.initializers.glorotUniform({ seed }) });
    const theirs = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 16, activation: 'relu', inputShape: [4], ...init(1) }),
        tfl.layers.dropout({ rate: 0.25 }),
        tfl.layers.dense({ units: 8, useBias: false, ...init(2) }),
        tfl.layers.activation({ activation: 'tanh' }),
        tfl.layers.dense({ units: 3, activation: 'softmax', ...init(3) }),
      ],
    });
    const art = await saved(theirs);
    if (dtype === 'float64')
      refuses(
        backend,
        () => loadModel(art, backend),
        /TF.js: the file holds float32 weights and the backend is float64: pass \{ cast: true \}/,
      );
    const model = loadModel(art, backend, cast);
    expect(model.layers.map((l) => l.type)).toEqual(['dense', 'relu', 'dropout', 'dense', 'tanh', 'dense', 'softmax']);
    const x = Float32Array.from(randomData(40 * 4, 7, 'float32', -1, 1));
    expect(scaled(model.predict({ rows: 40, cols: 4, data: x }).data, tfPredict(theirs, x, 40, 4))).toBeLessThan(
      dtype === 'float64' ? 1e-6 : 2e-6,
    );
    const y = Array.from({ length: 40 }, (_, i) => (x[i * 4] > 0 ? 0 : x[i * 4 + 1] > 0 ? 1 : 2));
    const h = model.fit({ rows: 40, cols: 4, data: x }, y, {
      loss: 'categoricalCrossEntropy',
      epochs: 150,
      batchSize: 8,
      optimizer: adam({ learningRate: 0.01 }),
    });
    expect(h.loss[h.loss.length - 1]).toBeLessThan(h.loss[0] * 0.5);
  });

  it('refuses what it cannot read, by layer or weight name, allocating nothing', async () => {
    const backend = await make();
    const base = await saved(
      tfl.sequential({
        layers: [
          tfl.layers.dense({ units: 3, activation: 'relu', inputShape: [2] }),
          tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
        ],
      }),
    );
    const edit = (f: (a: any) => void) => {
      const a = structuredClone(base) as any;
      f(a);
      return a as TFJSArtifacts;
    };
    const L = (a: any) => a.modelTopology.config.layers;
    refuses(
      backend,
      () =>
        loadModel(
          edit((a) => {
            L(a)[1].class_name = 'Conv2D';
          }),
          backend,
          cast,
        ),
      /TF.js: layer "dense_Dense\d+" \(Conv2D\) is not a layer this library reads/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((a) => {
            L(a)[0].config.activation = 'elu';
          }),
          backend,
          cast,
        ),
      /has activation "elu"; this library reads linear, relu, sigmoid, tanh, softmax/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((a) => {
            a.modelTopology.class_name = 'Model';
          }),
          backend,
          cast,
        ),
      /TF.js: the model is a "Model"; this library reads Sequential models/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((a) => {
            a.weightSpecs[0].quantization = { dtype: 'uint8', scale: 1, min: 0 };
          }),
          backend,
          cast,
        ),
      /is quantized/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((a) => {
            a.weightSpecs[1].dtype = 'int32';
          }),
          backend,
          cast,
        ),
      /has dtype "int32"; this library reads float32/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((a) => {
            a.weightData = a.weightData.slice(0, 20);
          }),
          backend,
          cast,
        ),
      /runs past the end of weightData \(20 bytes\)/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((a) => {
            a.weightData = new ArrayBuffer(a.weightData.byteLength + 8);
          }),
          backend,
          cast,
        ),
      /weightSpecs cover \d+ bytes of the \d+ in weightData/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((a) => {
            a.weightSpecs[0].name = 'other/kernel';
          }),
          backend,
          cast,
        ),
      /no weight "dense_Dense\d+\/kernel" for layer/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((a) => {
            a.weightSpecs[0].shape = [3, 2];
          }),
          backend,
          cast,
        ),
      /weight "dense_Dense\d+\/kernel" \(transposed\) has shape \[2×3\]; layer 1 \(dense\) needs \[3×2\]/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((a) => {
            delete L(a)[0].config.batch_input_shape;
          }),
          backend,
          cast,
        ),
      /no batch_input_shape/,
    );
    refuses(
      backend,
      () =>
        loadModel(
          edit((a) => {
            L(a)[0].config.batch_input_shape = [null, 28, 28];
          }),
          backend,
          cast,
        ),
      /has input shape \[null,28,28\]; this library reads \[null, features\]/,
    );
  });
});
