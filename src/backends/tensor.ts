// Tensor: a matrix in backend memory. It knows its backend only through TensorBackend, which
// backend.ts widens to the whole Backend (declaration merging), so this file imports nothing
// above it and a tensor's `backend` still has every op.
import type { DType, FloatArray, Matrix } from '../core/matrix.js';
import { shapeOf } from '../core/matrix.js';

/** What a tensor needs of its backend; backend.ts merges the whole Backend into it. */
export interface TensorBackend {
  /** its element type */
  readonly dtype: DType;
  /** @internal */
  read(t: Tensor): Matrix;
  /** @internal */
  free(t: Tensor): void;
}

/** A matrix in backend memory. Free it with dispose(). */
export class Tensor {
  /** @internal storage: a typed array (js) or a byte offset into linear memory (wasm) */
  handle: number | FloatArray;
  /** @internal */
  disposed = false;
  /** @internal a view of another tensor's first rows: shares its memory, is not counted, frees nothing */
  view = false;

  /** @internal use backend.tensor() or backend.zeros() */
  constructor(
    /** the backend whose memory holds it (every op of Backend is on it) */
    readonly backend: TensorBackend,
    /** rows: examples, for a batch */
    readonly rows: number,
    /** columns: features, for a batch */
    readonly cols: number,
    handle: number | FloatArray,
  ) {
    this.handle = handle;
  }

  /** the backend's element type */
  get dtype(): DType {
    return this.backend.dtype;
  }
  /** rows × cols */
  get size(): number {
    return this.rows * this.cols;
  }
  /** [rows, cols] */
  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /** A copy of the values, out of backend memory. */
  toMatrix(): Matrix {
    return this.backend.read(this);
  }

  /** Returns the memory to the backend; the tensor cannot be used afterwards. */
  dispose(): void {
    this.backend.free(this);
  }

  /** 'Tensor[rows×cols] dtype on backend' */
  toString(): string {
    return `Tensor${shapeOf(this)} ${this.dtype} on ${this.backend.name}`;
  }
}
