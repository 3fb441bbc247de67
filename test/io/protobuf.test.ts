// The hand-written protobuf codec (src/io/protobuf.ts) against protobufjs, a well-kept
// implementation, on the same ONNX messages: what one writes the other reads, both ways, for
// random messages (negative and 53-bit int64s, float32 and float64 values, Unicode strings,
// bytes, nested and repeated messages, packed and unpacked lists); unknown fields are skipped,
// and garbage gives an Error, never a crash or a hang.
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ONNX } from '../../src/io/onnx-schema.js';
import { decode, encode, type Message } from '../../src/io/protobuf.js';

// the same messages as onnx.proto, plus a field of ours to test skipping (proto2: lists unpacked
// unless marked, as onnx.proto's dims are)
const PROTO = `
syntax = "proto2";
package onnx;
message StringStringEntryProto { optional string key = 1; optional string value = 2; }
message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
message TensorShapeProto { message Dimension { optional int64 dim_value = 1; optional string dim_param = 2; optional string denotation = 3; } repeated Dimension dim = 1; }
message TypeProto { message Tensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; } optional Tensor tensor_type = 1; optional string denotation = 6; }
message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; optional string doc_string = 3; }
message TensorProto {
  repeated int64 dims = 1; optional int32 data_type = 2; repeated float float_data = 4 [packed = true]; optional string name = 8;
  optional bytes raw_data = 9; repeated double double_data = 10 [packed = true]; optional string doc_string = 12;
  repeated StringStringEntryProto external_data = 13; optional int32 data_location = 14; repeated int32 unknown_to_ours = 99;
  optional bytes unknown_bytes = 98; optional fixed64 unknown_fixed64 = 97; optional fixed32 unknown_fixed32 = 96;
}
message AttributeProto { optional string name = 1; optional float f = 2; optional int64 i = 3; optional bytes s = 4; optional TensorProto t = 5; repeated float floats = 7; repeated int64 ints = 8; optional int32 type = 20; }
message NodeProto { repeated string input = 1; repeated string output = 2; optional string name = 3; optional string op_type = 4; repeated AttributeProto attribute = 5; optional string doc_string = 6; optional string domain = 7; }
message GraphProto { repeated NodeProto node = 1; optional string name = 2; repeated TensorProto initializer = 5; optional string doc_string = 10; repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12; repeated ValueInfoProto value_info = 13; }
message ModelProto { optional int64 ir_version = 1; optional string producer_name = 2; optional string producer_version = 3; optional string domain = 4; optional int64 model_version = 5; optional string doc_string = 6; optional GraphProto graph = 7; repeated OperatorSetIdProto opset_import = 8; repeated StringStringEntryProto metadata_props = 14; }
`;
const Model = protobuf.parse(PROTO, { keepCase: true }).root.lookupType('onnx.ModelProto');
const theirs = (bytes: Uint8Array) =>
  Model.toObject(Model.decode(bytes), { longs: Number, arrays: false, defaults: false, bytes: Array });

const int64 = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.constantFrom(-1, 0, 2 ** 53 - 1, -(2 ** 53) + 1, 2 ** 32, 2 ** 32 + 5, -(2 ** 32)),
);
const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const f32 = fc.float({ noNaN: true });
const f64 = fc.double({ noNaN: true });
const str = fc.string({ unit: 'grapheme', maxLength: 12 });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const list = <T>(a: fc.Arbitrary<T>) => fc.array(a, { maxLength: 4 });
const entry = fc.record({ key: opt(str), value: opt(str) }, { requiredKeys: [] });
const tensor = fc.record(
  {
    dims: list(int64),
    data_type: opt(int32),
    float_data: list(f32),
    name: opt(str),
    raw_data: opt(fc.uint8Array({ maxLength: 16 })),
    double_data: list(f64),
    external_data: list(entry),
    data_location: opt(int32),
  },
  { requiredKeys: [] },
);
const dim = fc.record({ dim_value: opt(int64), dim_param: opt(str) }, { requiredKeys: [] });
const value = fc.record(
  {
    name: opt(str),
    type: opt(
      fc.record(
        {
          tensor_type: opt(
            fc.record(
              { elem_type: opt(int32), shape: opt(fc.record({ dim: list(dim) }, { requiredKeys: [] })) },
              { requiredKeys: [] },
            ),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);
const attribute = fc.record(
  {
    name: opt(str),
    f: opt(f32),
    i: opt(int64),
    t: opt(tensor),
    floats: list(f32),
    ints: list(int64),
    type: opt(int32),
  },
  { requiredKeys: [] },
);
const node = fc.record(
  {
    input: list(str),
    output: list(str),
    name: opt(str),
    op_type: opt(str),
    attribute: list(attribute),
    domain: opt(str),
  },
  { requiredKeys: [] },
);
const model = fc.record(
  {
    ir_version: opt(int64),
    producer_name: opt(str),
    model_version: opt(int64),
    graph: opt(
      fc.record(
        { node: list(node), name: opt(str), initializer: list(tensor), input: list(value), output: list(value) },
        { requiredKeys: [] },
      ),
    ),
    opset_import: list(fc.record({ domain: opt(str), version: opt(int64) }, { requiredKeys: [] })),
    metadata_props: list(entry),
  },
  { requiredKeys: [] },
);

/** a message with empty lists and unset fields dropped, bytes as arrays: how both sides compare */
function normal(v: unknown): unknown {
  if (v instanceof Uint8Array) return Array.from(v);
  if (Array.isArray(v)) return v.map(normal);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const n = normal(x);
      if (n !== undefined && !(Array.isArray(n) && n.length === 0)) out[k] = n;
    }
    return out;
  }
  return Object.is(v, -0) ? 0 : v;
}

describe('protobuf codec against protobufjs', () => {
  it('what ours writes, protobufjs reads; what protobufjs writes, ours reads', () => {
    fc.assert(
      fc.property(model, (m) => {
        const ours = encode(ONNX, 'ModelProto', m as Message);
        expect(normal(theirs(ours))).toEqual(normal(m));
        const pbjs = Model.encode(Model.fromObject(m)).finish();
        expect(normal(decode(ONNX, 'ModelProto', pbjs))).toEqual(normal(m));
      }),
      { numRuns: 300 },
    );
  });

  it('skips fields it does not know', () => {
    const bytes = Model.encode(
      Model.fromObject({ graph: { initializer: [{ name: 'w', unknown_to_ours: [1, -2, 3], dims: [2] }] } }),
    ).finish();
    expect(normal(decode(ONNX, 'ModelProto', bytes))).toEqual({ graph: { initializer: [{ name: 'w', dims: [2] }] } });
  });

  it('skips unknown fields of every wire type, at every level, and reads the fields after them', () => {
    // what onnx.shape_inference (value_info) and torch.onnx.export (doc_string) add, and more
    const vi = {
      name: 'h',
      type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_param: 'batch' }, { dim_value: 7 }] } } },
    };
    const m = {
      ir_version: 8,
      graph: {
        value_info: [vi, { ...vi, name: 'h2' }],
        node: [
          {
            doc_string: 'a note on the node, long enough to be several bytes',
            op_type: 'Relu',
            input: ['x'],
            output: ['y'],
          },
        ],
        initializer: [
          {
            unknown_bytes: [1, 2, 3, 250],
            unknown_fixed64: 2 ** 40 + 3,
            unknown_fixed32: 77,
            name: 'w',
            dims: [2],
            data_type: 1,
          },
        ],
        name: 'g',
      },
      producer_name: 'after the graph',
    };
    const bytes = Model.encode(Model.fromObject(m)).finish();
    expect(normal(decode(ONNX, 'ModelProto', bytes))).toEqual({
      ir_version: 8,
      graph: {
        node: [{ op_type: 'Relu', input: ['x'], output: ['y'] }],
        initializer: [{ name: 'w', dims: [2], data_type: 1 }],
        name: 'g',
      },
      producer_name: 'after the graph',
    });
  });

  it('garbage gives an Error, never a crash or a hang', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decode(ONNX, 'ModelProto', bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
        }
      }),
      { numRuns: 2000 },
    );
    expect(() => decode(ONNX, 'ModelProto', Uint8Array.from([0x3a, 0xff, 0xff, 0xff, 0x0f]))).toThrow(/truncated/);
    expect(() => decode(ONNX, 'ModelProto', Uint8Array.from([0x7b]))).toThrow(/wire type 3 .*groups/);
    expect(() => decode(ONNX, 'ModelProto', Uint8Array.from([0x08, ...Array(11).fill(0xff), 0x01]))).toThrow(
      /longer than 10 bytes/,
    );
  });
});
