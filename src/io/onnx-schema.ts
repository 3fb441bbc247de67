// The part of the ONNX schema (github.com/onnx/onnx, onnx/onnx.proto) that an MLP uses, as a
// protobufjs JSON descriptor: message names and field numbers as the specification gives them.
// Fields left out are skipped when decoding (protobuf's rule for unknown fields); the reader
// refuses what it needs and does not find (external data, say).
import protobuf from 'protobufjs/light.js';

const f = (type: string, id: number, rule?: 'repeated') => (rule ? { type, id, rule } : { type, id });
const entry = { fields: { key: f('string', 1), value: f('string', 2) } };

const descriptor = {
  nested: {
    onnx: {
      nested: {
        StringStringEntryProto: entry,
        OperatorSetIdProto: { fields: { domain: f('string', 1), version: f('int64', 2) } },
        TensorShapeProto: {
          fields: { dim: f('Dimension', 1, 'repeated') },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
              fields: { dim_value: f('int64', 1), dim_param: f('string', 2), denotation: f('string', 3) },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensor_type'] } },
          fields: { tensor_type: f('Tensor', 1), denotation: f('string', 6) },
          nested: { Tensor: { fields: { elem_type: f('int32', 1), shape: f('TensorShapeProto', 2) } } },
        },
        ValueInfoProto: { fields: { name: f('string', 1), type: f('TypeProto', 2), doc_string: f('string', 3) } },
        TensorProto: {
          fields: {
            dims: f('int64', 1, 'repeated'),
            data_type: f('int32', 2),
            float_data: f('float', 4, 'repeated'),
            name: f('string', 8),
            raw_data: f('bytes', 9),
            double_data: f('double', 10, 'repeated'),
            doc_string: f('string', 12),
            external_data: f('StringStringEntryProto', 13, 'repeated'),
            data_location: f('int32', 14),
          },
        },
        AttributeProto: {
          fields: {
            name: f('string', 1),
            f: f('float', 2),
            i: f('int64', 3),
            s: f('bytes', 4),
            t: f('TensorProto', 5),
            floats: f('float', 7, 'repeated'),
            ints: f('int64', 8, 'repeated'),
            type: f('int32', 20),
          },
        },
        NodeProto: {
          fields: {
            input: f('string', 1, 'repeated'),
            output: f('string', 2, 'repeated'),
            name: f('string', 3),
            op_type: f('string', 4),
            attribute: f('AttributeProto', 5, 'repeated'),
            domain: f('string', 7),
          },
        },
        GraphProto: {
          fields: {
            node: f('NodeProto', 1, 'repeated'),
            name: f('string', 2),
            initializer: f('TensorProto', 5, 'repeated'),
            input: f('ValueInfoProto', 11, 'repeated'),
            output: f('ValueInfoProto', 12, 'repeated'),
            sparse_initializer: f('bytes', 15, 'repeated'),
          },
        },
        ModelProto: {
          fields: {
            ir_version: f('int64', 1),
            producer_name: f('string', 2),
            producer_version: f('string', 3),
            domain: f('string', 4),
            model_version: f('int64', 5),
            doc_string: f('string', 6),
            graph: f('GraphProto', 7),
            opset_import: f('OperatorSetIdProto', 8, 'repeated'),
            metadata_props: f('StringStringEntryProto', 14, 'repeated'),
            functions: f('bytes', 25, 'repeated'),
          },
        },
      },
    },
  },
};

export const ModelProto = protobuf.Root.fromJSON(descriptor).lookupType('onnx.ModelProto');

/** TensorProto.DataType values */
export const FLOAT = 1, DOUBLE = 11;
/** AttributeProto.AttributeType values */
export const ATTR_FLOAT = 1, ATTR_INT = 2;
