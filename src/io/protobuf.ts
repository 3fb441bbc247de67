// The protobuf wire format (protobuf.dev/programming-guides/encoding), for the few message
// types an ONNX MLP uses, driven by a table of field numbers. Written here rather than taken
// from protobufjs or @bufbuild/protobuf: either would make the package's first dependency,
// CommonJS (protobufjs) or a bare import that a page without a bundler and a module Worker
// cannot resolve, and protobufjs compiles codecs with Function(), which a strict CSP forbids.
// This is ~150 lines; test/protobuf.test.ts checks it against protobufjs both ways.

export type Kind = 'int64' | 'int32' | 'string' | 'bytes' | 'float' | 'double' | 'message';
export interface Field {
  name: string;
  kind: Kind;
  repeated?: boolean;
  message?: string;
}
/** message name → field number → field */
export type Schema = Record<string, Record<number, Field>>;
export type Message = Record<string, unknown>;

const VARINT = 0,
  I64 = 1,
  LEN = 2,
  I32 = 5;
const WIRE: Record<Kind, number> = {
  int64: VARINT,
  int32: VARINT,
  string: LEN,
  bytes: LEN,
  float: I32,
  double: I64,
  message: LEN,
};
const MAX_DEPTH = 64;

class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    readonly view: DataView,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  need(n: number): void {
    if (n > this.end - this.pos)
      throw new Error(`truncated: ${n} bytes needed at byte ${this.pos}, ${this.end - this.pos} left`);
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  /** a varint as a number: two's complement 64-bit, so −1 (ten bytes) reads as −1 */
  varint(): number {
    let lo = 0,
      hi = 0,
      shift = 0,
      b: number;
    do {
      b = this.byte();
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else if (shift < 64) hi |= (b & 0x7f) << (shift - 32);
      shift += 7;
      if (shift > 70) throw new Error(`a varint longer than 10 bytes at byte ${this.pos}`);
    } while (b & 0x80);
    // hi read as signed 32 bits makes the whole a signed 64-bit value
    return (hi | 0) * 0x100000000 + (lo >>> 0);
  }

  length(): number {
    const n = this.varint();
    if (n < 0) throw new Error(`a negative length at byte ${this.pos}`);
    this.need(n);
    return n;
  }

  skip(wire: number): void {
    if (wire === VARINT) this.varint();
    else if (wire === I64) {
      this.need(8);
      this.pos += 8;
    } else if (wire === I32) {
      this.need(4);
      this.pos += 4;
    } else if (wire === LEN) {
      // the length first: it moves pos past its own bytes, then pos moves past the payload
      const n = this.length();
      this.pos += n;
    } else throw new Error(`wire type ${wire} at byte ${this.pos} (groups are not read)`);
  }
}

function scalar(r: Reader, kind: Kind): number {
  if (kind === 'float') {
    r.need(4);
    const v = r.view.getFloat32(r.pos, true);
    r.pos += 4;
    return v;
  }
  if (kind === 'double') {
    r.need(8);
    const v = r.view.getFloat64(r.pos, true);
    r.pos += 8;
    return v;
  }
  const v = r.varint();
  return kind === 'int32' ? v | 0 : v;
}

function read(schema: Schema, type: string, r: Reader, depth: number): Message {
  if (depth > MAX_DEPTH) throw new Error(`messages nested past ${MAX_DEPTH} levels`);
  const fields = schema[type];
  const out: Message = {};
  while (r.pos < r.end) {
    const key = r.varint();
    const number = Math.floor(key / 8),
      wire = key & 7;
    if (number < 1) throw new Error(`field number ${number} at byte ${r.pos}`);
    const f = fields[number];
    if (!f) {
      r.skip(wire);
      continue;
    }
    const numeric = f.kind !== 'string' && f.kind !== 'bytes' && f.kind !== 'message';
    let values: unknown[];
    if (numeric && f.repeated && wire === LEN) {
      // packed: one length, then the values back to back
      const n = r.length(),
        end = r.pos + n;
      const sub = new Reader(r.buf, r.view, r.pos, end);
      values = [];
      while (sub.pos < end) values.push(scalar(sub, f.kind));
      r.pos = end;
    } else {
      if (wire !== WIRE[f.kind])
        throw new Error(`field ${type}.${f.name} (${number}) has wire type ${wire}, expected ${WIRE[f.kind]}`);
      if (f.kind === 'message') {
        const n = r.length();
        values = [read(schema, f.message!, new Reader(r.buf, r.view, r.pos, r.pos + n), depth + 1)];
        r.pos += n;
      } else if (f.kind === 'string' || f.kind === 'bytes') {
        const n = r.length();
        const bytes = r.buf.subarray(r.pos, r.pos + n);
        r.pos += n;
        values = [f.kind === 'string' ? new TextDecoder().decode(bytes) : bytes];
      } else {
        values = [scalar(r, f.kind)];
      }
    }
    if (f.repeated) ((out[f.name] ??= []) as unknown[]).push(...values);
    else out[f.name] = values[values.length - 1]; // the last one wins, as the format says
  }
  return out;
}

/** Decodes bytes as message `type`; throws an Error saying where the bytes go wrong. */
export function decode(schema: Schema, type: string, bytes: Uint8Array): Message {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return read(schema, type, new Reader(bytes, view, 0, bytes.length), 0);
}

// ---- writing ----

class Writer {
  chunks: Uint8Array[] = [];
  size = 0;
  push(b: Uint8Array): void {
    this.chunks.push(b);
    this.size += b.length;
  }

  varint(v: number): void {
    const out: number[] = [];
    // a negative value is its 64-bit two's complement: ten bytes
    let lo = v >>> 0,
      hi = Math.floor(v / 0x100000000) >>> 0;
    if (v < 0) {
      lo = ((v % 0x100000000) + 0x100000000) % 0x100000000;
      hi = (Math.floor(v / 0x100000000) + 0x100000000) >>> 0;
    }
    while (hi > 0 || lo > 0x7f) {
      out.push((lo & 0x7f) | 0x80);
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    out.push(lo);
    this.push(Uint8Array.from(out));
  }

  fixed(kind: 'float' | 'double', v: number): void {
    const b = new Uint8Array(kind === 'float' ? 4 : 8);
    const d = new DataView(b.buffer);
    if (kind === 'float') d.setFloat32(0, v, true);
    else d.setFloat64(0, v, true);
    this.push(b);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

function one(w: Writer, f: Field, v: unknown, schema: Schema): void {
  if (f.kind === 'float' || f.kind === 'double') w.fixed(f.kind, v as number);
  else if (f.kind === 'int64' || f.kind === 'int32') w.varint(v as number);
  else {
    const b =
      f.kind === 'message'
        ? encode(schema, f.message!, v as Message)
        : f.kind === 'string'
          ? new TextEncoder().encode(v as string)
          : (v as Uint8Array);
    w.varint(b.length);
    w.push(b);
  }
}

/** Encodes a message; fields are written in field-number order, numeric lists packed. */
export function encode(schema: Schema, type: string, msg: Message): Uint8Array {
  const w = new Writer();
  const fields = Object.entries(schema[type])
    .map(([n, f]) => [Number(n), f] as const)
    .sort((a, b) => a[0] - b[0]);
  for (const [number, f] of fields) {
    const v = msg[f.name];
    if (v === undefined || v === null) continue;
    if (f.repeated) {
      const list = v as unknown[];
      if (list.length === 0) continue;
      if (f.kind !== 'string' && f.kind !== 'bytes' && f.kind !== 'message') {
        const inner = new Writer();
        for (const x of list) one(inner, f, x, schema);
        const b = inner.finish();
        w.varint(number * 8 + LEN);
        w.varint(b.length);
        w.push(b);
      } else {
        for (const x of list) {
          w.varint(number * 8 + WIRE[f.kind]);
          one(w, f, x, schema);
        }
      }
    } else {
      w.varint(number * 8 + WIRE[f.kind]);
      one(w, f, v, schema);
    }
  }
  return w.finish();
}
