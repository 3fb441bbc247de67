// Sequential: the model users build. A Model (nn/model.ts) with training and the formats as
// methods. It sits above nn, io and diagnostics so that none of them imports another sideways:
// the training loop gets dl.inspect's inspector from here, the writers get the model.
import type { Tensor } from '../backends/backend.js';
import type { FloatArray, MatrixLike } from '../core/matrix.js';
import { inspectTensors } from '../diagnostics/inspect.js';
import { type ModelJSON, modelToJSON } from '../io/json.js';
import { type LoadOptions, type ModelSource, readModel } from '../io/load.js';
import { toONNX } from '../io/onnx.js';
import { toSafetensors } from '../io/safetensors.js';
import { type TFJSArtifacts, toTFJS } from '../io/tfjs.js';
import type { Backend } from '../backends/backend.js';
import type { Labels } from '../nn/data.js';
import type { Layer } from '../nn/layer.js';
import { Model, type SequentialOptions } from '../nn/model.js';
import { fitAsync, fitSync } from '../nn/train/drivers.js';
import type { FitOptions, History } from '../nn/train/types.js';

/** A stack of layers: a Model with fit, fitAsync and the formats. Make one with sequential(). */
export class Sequential extends Model {
  /**
   * Trains on (x, y) and returns the history: the loss of each epoch (and accuracy, validation
   * figures, learning rates). x and y may also be tensors already on the model's backend
   * ([m × inputs] and [m × outputs]): then nothing is copied in. If it throws, the model is as it
   * was before the call.
   */
  fit(x: MatrixLike | Tensor, y: Labels | Tensor, opts: FitOptions): History {
    this.alive();
    return fitSync(this, x, y, opts, inspectTensors);
  }

  /** fit, yielding to the event loop between batches (so a page stays responsive); callbacks may be async. */
  async fitAsync(x: MatrixLike | Tensor, y: Labels | Tensor, opts: FitOptions): Promise<History> {
    this.alive();
    return fitAsync(this, x, y, opts, inspectTensors);
  }

  /** This package's JSON: the architecture, the weights, the seed and the step (dl.loadModel reads it). */
  toJSON(): ModelJSON {
    this.alive();
    return modelToJSON(this);
  }

  /**
   * The weights as safetensors bytes, named as PyTorch's nn.Sequential names them ('0.weight'
   * [out, in], '0.bias' [out]), with the architecture in its metadata (dl.loadModel reads it).
   */
  toSafetensors(): Uint8Array {
    this.alive();
    return toSafetensors(this);
  }

  /**
   * An ONNX model (opset 17, IR version 8, dynamic batch) that ONNX Runtime runs: Gemm per dense
   * layer as torch.onnx.export writes nn.Linear, the activations, no dropout (inference).
   */
  toONNX(): Uint8Array {
    this.alive();
    return toONNX(this);
  }

  /**
   * TF.js layers artifacts (tf.io.ModelArtifacts): tf.loadLayersModel(tf.io.fromMemory(a)) loads
   * them. TF.js layers are float32: a float64 model needs { cast: true }.
   */
  toTFJS(options?: { cast?: boolean }): TFJSArtifacts {
    this.alive();
    return toTFJS(this, options);
  }
}

/** A model of these layers, in order, on opts.backend; weights drawn from opts.seed. */
export function sequential(layers: Layer[], opts: SequentialOptions): Sequential {
  return new Sequential(layers, opts);
}

const restore = (layers: Layer[], opts: SequentialOptions, initial: ReadonlyMap<string, FloatArray>) =>
  new Sequential(layers, opts, initial);

/**
 * Rebuilds a model from a saved file on a backend: this package's JSON (text or object),
 * safetensors or ONNX bytes, or TF.js artifacts. The file is checked whole (structure, names,
 * shapes, values, dtype, size) before any tensor is made: a refused file leaves the backend's
 * memory as it was.
 */
export function loadModel(source: ModelSource, backend: Backend, options?: LoadOptions): Sequential {
  return readModel(source, backend, options, restore);
}
