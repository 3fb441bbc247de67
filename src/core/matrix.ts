// Plain matrices: what users pass in and get back. Row-major, batch-first.

/** A backend's element type. */
export type DType = 'float32' | 'float64';
/** The typed array of a dtype. */
export type FloatArray = Float32Array | Float64Array;

/** A dense row-major matrix that lives in JS memory. */
export interface Matrix {
  /** rows: examples, for a batch */
  rows: number;
  /** columns: features, for a batch */
  cols: number;
  /** the values, row-major */
  data: FloatArray;
}

/** Anything accepted where a matrix is expected: `number[][]`, or rows/cols with numbers. */
export type MatrixLike =
  | number[][]
  | {
      /** rows: examples, for a batch */
      rows: number;
      /** columns: features, for a batch */
      cols: number;
      /** rows × cols values, row-major */
      data: ArrayLike<number>;
    };

export function arrayFor(dtype: DType, n: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

export function checkDType(dtype: unknown): DType {
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new Error(`dtype must be 'float32' or 'float64', got ${describe(dtype)}`);
  }
  return dtype;
}

/** Throws unless n is a positive integer; `what` names it in the message. */
export function checkSize(n: unknown, what: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new Error(`${what} must be a positive integer, got ${describe(n)}`);
  }
  return n;
}

export function shapeOf(m: { rows: number; cols: number }): string {
  return `[${m.rows}×${m.cols}]`;
}

/** A shape of any rank as messages write it: [7×5], [7]. */
export function shapeText(shape: readonly unknown[]): string {
  return `[${shape.map(String).join('×')}]`;
}

export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v == null) return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return typeof v === 'object' ? (v.constructor?.name ?? 'an object') : typeof v;
}

/** Reads any MatrixLike into a fresh typed array of the given dtype, checking its shape. */
export function readMatrix(input: MatrixLike, dtype: DType, what = 'matrix'): Matrix {
  if (Array.isArray(input)) {
    const rows = input.length;
    if (rows === 0) throw new Error(`${what}: number[][] has no rows`);
    const first = input[0];
    if (!Array.isArray(first)) throw new Error(`${what}: row 0 is ${describe(first)}, not an array of numbers`);
    const cols = first.length;
    if (cols === 0) throw new Error(`${what}: row 0 is empty`);
    const data = arrayFor(dtype, rows * cols);
    for (let r = 0; r < rows; r++) {
      const row = input[r];
      if (!Array.isArray(row) || row.length !== cols) {
        throw new Error(
          `${what}: row ${r} has ${Array.isArray(row) ? row.length : describe(row)} entries, row 0 has ${cols}`,
        );
      }
      for (let c = 0; c < cols; c++) {
        const v = row[c];
        if (typeof v !== 'number') throw new Error(`${what}: entry [${r}][${c}] is ${describe(v)}, not a number`);
        data[r * cols + c] = v;
      }
      checkHeld(data, row, r * cols, what, cols);
    }
    return { rows, cols, data };
  }
  if (input == null || typeof input !== 'object') {
    throw new Error(`${what}: expected number[][] or { rows, cols, data }, got ${describe(input)}`);
  }
  const { rows, cols, data } = input as { rows: unknown; cols: unknown; data: unknown };
  checkSize(rows, `${what}.rows`);
  checkSize(cols, `${what}.cols`);
  const r = rows as number,
    c = cols as number;
  if (data == null || typeof (data as ArrayLike<number>).length !== 'number') {
    throw new Error(`${what}.data: expected a typed array or number[], got ${describe(data)}`);
  }
  const src = data as ArrayLike<number>;
  if (src instanceof BigInt64Array || src instanceof BigUint64Array) {
    throw new Error(
      `${what}.data is a ${src.constructor.name}: give numbers (a Float32Array, Float64Array or number[])`,
    );
  }
  if (src.length !== r * c) {
    throw new Error(
      `${what}.data has ${src.length} values, ${src.length < r * c ? 'fewer' : 'more'} than rows×cols = ${r}×${c} = ${r * c}`,
    );
  }
  const out = arrayFor(dtype, r * c);
  if (ArrayBuffer.isView(src)) {
    out.set(src as unknown as FloatArray);
    if (!(src instanceof Float32Array)) checkHeld(out, src, 0, `${what}.data`, 0);
  } else {
    for (let i = 0; i < r * c; i++) {
      const v = src[i];
      if (typeof v !== 'number') throw new Error(`${what}.data[${i}] is ${describe(v)}, not a number`);
      out[i] = v;
    }
    checkHeld(out, src, 0, `${what}.data`, 0);
  }
  return { rows: r, cols: c, data: out };
}

/**
 * Refuses a finite value that became ±Infinity in `out` (1e39 in float32): the dtype cannot hold
 * it, and rounding it to Infinity would poison everything downstream. `src[j]` landed in
 * `out[offset + j]`; `cols` > 0 names entries as [row][col], else as [index].
 */
function checkHeld(out: FloatArray, src: ArrayLike<number>, offset: number, what: string, cols: number): void {
  if (out instanceof Float64Array) return;
  for (let j = 0; j < src.length; j++) {
    const v = out[offset + j];
    if (v - v !== 0 && Number.isFinite(src[j])) {
      const i = offset + j;
      const where = cols > 0 ? `${what}: entry [${Math.floor(i / cols)}][${i % cols}]` : `${what}[${i}]`;
      throw new Error(
        `${where} = ${src[j]} is too large for float32 (its largest value is 3.4028234663852886e38); use dtype 'float64'`,
      );
    }
  }
}

/** Converts a Matrix to number[][] (for printing and tests). */
export function toArray(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < m.rows; r++) out.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  return out;
}
