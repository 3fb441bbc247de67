// Float tensors as the formats store them: little-endian float32 or float64 bytes, and the
// [rows, cols] ↔ [cols, rows] transpose between a dense kernel [in, out] and this library's W.
import type { FloatArray } from '../core/matrix.js';

/** n values of `per` bytes (4 or 8) from `bytes` at `offset`, little-endian whatever the host. */
export function readFloats(bytes: Uint8Array, offset: number, n: number, per: 4 | 8): FloatArray {
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, n * per);
  const out = per === 8 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = per === 8 ? v.getFloat64(i * 8, true) : v.getFloat32(i * 4, true);
  return out;
}

/** Writes the values into `out` at `offset` as `per`-byte little-endian floats. */
export function writeFloats(out: Uint8Array, offset: number, data: ArrayLike<number>, per: 4 | 8): void {
  const v = new DataView(out.buffer, out.byteOffset + offset, data.length * per);
  for (let i = 0; i < data.length; i++) {
    if (per === 8) v.setFloat64(i * 8, data[i], true);
    else v.setFloat32(i * 4, data[i], true);
  }
}

/** The values as `per`-byte little-endian floats, in a new array. */
export const floatBytes = (data: ArrayLike<number>, per: 4 | 8): Uint8Array => {
  const out = new Uint8Array(data.length * per);
  writeFloats(out, 0, data, per);
  return out;
};

/** [rows × cols] row-major → [cols × rows], in an array of the same kind as `like` */
export function transpose(data: ArrayLike<number>, rows: number, cols: number, like: 4 | 8): FloatArray {
  const out = like === 8 ? new Float64Array(rows * cols) : new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j];
  return out;
}

/** Refuses a value float32 cannot hold (it would round to ±Infinity), naming the tensor and index. */
export function checkFloat32(name: string, data: ArrayLike<number>, op: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(Math.fround(data[i]))) {
      throw new Error(`${op}: ${name}[${i}] is ${data[i]}, past what float32 holds (±3.4028235e38): it cannot be cast`);
    }
  }
}
