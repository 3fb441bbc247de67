// TF.js layers format (tf.io.ModelArtifacts): a Keras-style Sequential topology, weight specs
// and one little-endian float32 buffer. toTFJS() gives what tf.loadLayersModel(
// tf.io.fromMemory(artifacts)) loads (the reading side is tfjs-read.ts). A dense kernel is
// [in, out] there, the transpose of this library's W.
import { Activation } from '../nn/activations.js';
import { BatchNorm } from '../nn/batchnorm.js';
import { Dense } from '../nn/dense.js';
import { Dropout } from '../nn/dropout.js';
import { Normalization } from '../nn/normalization.js';
import type { Model } from '../nn/model.js';
import { checkOptions, optBoolean } from '../core/options.js';
import { architectureOf, MODEL_FORMAT } from './json.js';
import { checkFloat32, transpose, writeFloats } from './floats.js';

/** The fields of tf.io.ModelArtifacts this format uses (structurally compatible with TF.js's). */
/** TF.js layers artifacts (tf.io.ModelArtifacts): what toTFJS() writes and loadModel reads. */
export interface TFJSArtifacts {
  /** the Keras-style model topology */
  modelTopology: Record<string, unknown>;
  /** 'layers-model' */
  format?: string;
  /** the writer's name and version */
  generatedBy?: string;
  /** the converter, if any */
  convertedBy?: string | null;
  /** each weight's name, shape and dtype, in the order of weightData */
  weightSpecs: {
    /** 'dense/kernel', … */
    name: string;
    /** [inputs, units] for a kernel, [units] for a bias */
    shape: number[];
    /** 'float32' */
    dtype: string;
    /** quantized weights are refused */
    quantization?: unknown;
  }[];
  /** the weights' bytes, one buffer or several */
  weightData: ArrayBuffer | ArrayBuffer[];
  /** this package's architecture and step travel here */
  userDefinedMetadata?: Record<string, unknown>;
}

/** TF.js layers artifacts of a model (TF.js layers are float32: a float64 model needs { cast: true }). */
export function toTFJS(model: Model, options?: { cast?: boolean }): TFJSArtifacts {
  const o = checkOptions(options, ['cast'], 'toTFJS');
  const cast = optBoolean(o.cast, 'toTFJS: cast', false);
  if (model.dtype === 'float64' && !cast) {
    throw new Error(
      'toTFJS: TF.js layers hold float32 weights and this model is float64: pass { cast: true } to round them to float32',
    );
  }
  const all = model.getWeights();
  if (model.dtype === 'float64') for (const w of all) checkFloat32(w.name, w.data, 'toTFJS');
  const weights = new Map(all.map((w) => [w.name, w]));
  const specs: TFJSArtifacts['weightSpecs'] = [];
  const parts: ArrayLike<number>[] = [];
  const layers = model.layers.map((layer, i) => {
    const first = i === 0 ? { batch_input_shape: [null, model.inputSize], dtype: 'float32' } : {};
    if (layer instanceof Dense) {
      const W = weights.get(`${layer.name}.W`)!;
      specs.push({ name: `${layer.name}/kernel`, shape: [W.shape[1], W.shape[0]], dtype: 'float32' });
      parts.push(transpose(W.data, W.shape[0], W.shape[1], 4)); // kernel [in, out]
      const b = weights.get(`${layer.name}.b`);
      if (b) {
        specs.push({ name: `${layer.name}/bias`, shape: b.shape, dtype: 'float32' });
        parts.push(b.data);
      }
      return {
        class_name: 'Dense',
        config: {
          name: layer.name,
          units: layer.units,
          activation: 'linear',
          use_bias: layer.useBias,
          trainable: true,
          ...first,
        },
      };
    }
    if (layer instanceof Activation)
      return {
        class_name: 'Activation',
        config: { name: layer.name, activation: layer.type, trainable: true, ...first },
      };
    if (layer instanceof Dropout)
      return { class_name: 'Dropout', config: { name: layer.name, rate: layer.rate, trainable: true, ...first } };
    if (layer instanceof BatchNorm) {
      // Keras' names and conventions: its momentum is the old value's weight, 1 − ours
      const names = [...(layer.affine ? ['gamma', 'beta'] : []), 'moving_mean', 'moving_variance'];
      const ours = [...(layer.affine ? ['gamma', 'beta'] : []), 'runningMean', 'runningVar'];
      names.forEach((n, k) => {
        const w = weights.get(`${layer.name}.${ours[k]}`)!;
        specs.push({ name: `${layer.name}/${n}`, shape: w.shape, dtype: 'float32' });
        parts.push(w.data);
      });
      return {
        class_name: 'BatchNormalization',
        config: {
          name: layer.name,
          axis: -1,
          momentum: 1 - layer.momentum,
          epsilon: layer.epsilon,
          center: layer.affine,
          scale: layer.affine,
          trainable: true,
          ...first,
        },
      };
    }
    if (layer instanceof Normalization) {
      // TF.js has no Normalization layer: a BatchNormalization without γ and β and with ε 0 is
      // one, (x − mean)/√variance (variance 1 where it is 0: centred, not divided)
      const mean = weights.get(`${layer.name}.mean`)!;
      const variance = Array.from(weights.get(`${layer.name}.variance`)!.data, (v) => (v > 0 ? v : 1));
      specs.push({ name: `${layer.name}/moving_mean`, shape: mean.shape, dtype: 'float32' });
      parts.push(mean.data);
      specs.push({ name: `${layer.name}/moving_variance`, shape: mean.shape, dtype: 'float32' });
      parts.push(variance);
      return {
        class_name: 'BatchNormalization',
        config: {
          name: layer.name,
          axis: -1,
          momentum: 0.99,
          epsilon: 0,
          center: false,
          scale: false,
          trainable: false,
          ...first,
        },
      };
    }
    throw new Error(
      `toTFJS: layer ${i + 1} (${layer.type}) has no TF.js form here; dense, activations, dropout, batchNorm and normalization do`,
    );
  });
  const bytes = new Uint8Array(parts.reduce((s, p) => s + p.length, 0) * 4);
  let at = 0;
  for (const p of parts) {
    writeFloats(bytes, at, p, 4);
    at += p.length * 4;
  }
  const { dtype: _, ...arch } = architectureOf(model);
  return {
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'dl_fundamentals', layers },
      keras_version: 'tfjs-layers 4',
      backend: 'tensor_flow.js',
    },
    format: 'layers-model',
    generatedBy: 'dl-fundamentals',
    convertedBy: null,
    weightSpecs: specs,
    weightData: bytes.buffer,
    userDefinedMetadata: { [MODEL_FORMAT]: { ...arch, dtype: 'float32' } },
  };
}

/** Does this object look like TF.js artifacts? */
export function isTFJS(v: unknown): v is TFJSArtifacts {
  return !!v && typeof v === 'object' && 'modelTopology' in v && 'weightSpecs' in v;
}
