// The part of the ONNX schema (onnx/onnx.proto in github.com/onnx/onnx) that an MLP uses:
// message names and field numbers as the specification gives them, snake_case names as there.
// Fields left out are skipped when decoding (protobuf's rule for unknown fields); the reader
// refuses what it needs and does not find (external data, say).
import { type Field, type Kind, type Message, type Schema, decode, encode } from './protobuf.js';

const f = (name: string, kind: Kind, repeated = false, message?: string): Field => ({ name, kind, repeated, message });

export const ONNX: Schema = {
  ModelProto: {
    1: f('ir_version', 'int64'),
    2: f('producer_name', 'string'),
    3: f('producer_version', 'string'),
    4: f('domain', 'string'),
    5: f('model_version', 'int64'),
    6: f('doc_string', 'string'),
    7: f('graph', 'message', false, 'GraphProto'),
    8: f('opset_import', 'message', true, 'OperatorSetIdProto'),
    14: f('metadata_props', 'message', true, 'StringStringEntryProto'),
    25: f('functions', 'bytes', true),
  },
  OperatorSetIdProto: { 1: f('domain', 'string'), 2: f('version', 'int64') },
  StringStringEntryProto: { 1: f('key', 'string'), 2: f('value', 'string') },
  GraphProto: {
    1: f('node', 'message', true, 'NodeProto'),
    2: f('name', 'string'),
    5: f('initializer', 'message', true, 'TensorProto'),
    10: f('doc_string', 'string'),
    11: f('input', 'message', true, 'ValueInfoProto'),
    12: f('output', 'message', true, 'ValueInfoProto'),
    15: f('sparse_initializer', 'bytes', true),
  },
  NodeProto: {
    1: f('input', 'string', true),
    2: f('output', 'string', true),
    3: f('name', 'string'),
    4: f('op_type', 'string'),
    5: f('attribute', 'message', true, 'AttributeProto'),
    7: f('domain', 'string'),
  },
  AttributeProto: {
    1: f('name', 'string'),
    2: f('f', 'float'),
    3: f('i', 'int64'),
    4: f('s', 'bytes'),
    5: f('t', 'message', false, 'TensorProto'),
    7: f('floats', 'float', true),
    8: f('ints', 'int64', true),
    20: f('type', 'int32'),
  },
  TensorProto: {
    1: f('dims', 'int64', true),
    2: f('data_type', 'int32'),
    4: f('float_data', 'float', true),
    8: f('name', 'string'),
    9: f('raw_data', 'bytes'),
    10: f('double_data', 'double', true),
    12: f('doc_string', 'string'),
    13: f('external_data', 'message', true, 'StringStringEntryProto'),
    14: f('data_location', 'int32'),
  },
  ValueInfoProto: { 1: f('name', 'string'), 2: f('type', 'message', false, 'TypeProto'), 3: f('doc_string', 'string') },
  TypeProto: { 1: f('tensor_type', 'message', false, 'TypeProto.Tensor'), 6: f('denotation', 'string') },
  'TypeProto.Tensor': { 1: f('elem_type', 'int32'), 2: f('shape', 'message', false, 'TensorShapeProto') },
  TensorShapeProto: { 1: f('dim', 'message', true, 'TensorShapeProto.Dimension') },
  'TensorShapeProto.Dimension': {
    1: f('dim_value', 'int64'),
    2: f('dim_param', 'string'),
    3: f('denotation', 'string'),
  },
};

export const decodeModel = (bytes: Uint8Array): Message => decode(ONNX, 'ModelProto', bytes);
export const encodeModel = (model: Message): Uint8Array => encode(ONNX, 'ModelProto', model);

/** TensorProto.DataType values */
export const FLOAT = 1,
  DOUBLE = 11;
/** AttributeProto.AttributeType values */
export const ATTR_FLOAT = 1,
  ATTR_INT = 2;
