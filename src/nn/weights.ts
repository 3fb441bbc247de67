// A model's weights as users see them: names, the shapes files use, values; and the checks that
// setWeights makes on all of them before it writes any.
import { type DType, type FloatArray, type Matrix, describe, readMatrix, shapeText } from '../core/matrix.js';
import type { Param } from './layer.js';

/** One parameter, as getWeights() gives it and setWeights() takes it. */
export interface Weight {
  /** 'dense1.W', 'dense1.b', … */
  name: string;
  /** [units, inputs] for a dense layer's W (as PyTorch's Linear.weight), [units] for its bias */
  shape: number[];
  /** its values, row-major, in the model's dtype */
  data: FloatArray;
}

/** The shape a parameter has in getWeights() and in files. */
export const shapeOfParam = (p: Param): number[] => p.shape ?? [p.value.rows, p.value.cols];

/** Checks weights against a model's parameters (count, names, shapes, lengths, finite values), returning their values. */
export function checkWeights(
  params: readonly { param: Param; name: string }[],
  weights: readonly { name?: string; shape?: number[]; data: ArrayLike<number> }[],
  dtype: DType,
): Matrix[] {
  if (!Array.isArray(weights) || weights.length !== params.length) {
    throw new Error(
      `setWeights: expected ${params.length} weights (${params.map((p) => p.name).join(', ')}), got ${Array.isArray(weights) ? weights.length : describe(weights)}`,
    );
  }
  return params.map(({ param, name }, i) => {
    const w = weights[i];
    if (!w || typeof w !== 'object')
      throw new Error(`setWeights: weight ${i} (${name}) is ${describe(w)}, not { name, shape, data }`);
    const rows = param.value.rows,
      cols = param.value.cols;
    if (w.name !== undefined && w.name !== name)
      throw new Error(`setWeights: weight ${i} is named ${w.name}, expected ${name}`);
    const shape = shapeOfParam(param);
    if (
      w.shape !== undefined &&
      (!Array.isArray(w.shape) ||
        w.shape.length !== shape.length ||
        w.shape.some((d: number, j: number) => d !== shape[j]))
    ) {
      throw new Error(
        `setWeights: ${name} has shape ${Array.isArray(w.shape) ? shapeText(w.shape) : describe(w.shape)}, the model's is ${shapeText(shape)}`,
      );
    }
    if (!w.data || w.data.length !== rows * cols) {
      throw new Error(
        `setWeights: ${name} has ${w.data?.length ?? 'no'} values, expected ${shape.join('×')} = ${rows * cols}`,
      );
    }
    const m = readMatrix({ rows, cols, data: w.data }, dtype, name);
    const bad = m.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`setWeights: ${name}[${bad}] is ${m.data[bad]}, not a finite number`);
    return m;
  });
}
