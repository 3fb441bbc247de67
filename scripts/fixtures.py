"""Writes test/fixtures/: model files as other tools write them, with float64 references.

Run once with numpy, safetensors and onnx installed (pip install numpy safetensors onnx); the
outputs are committed, so the tests need no Python. The files follow what the other tools
write: PyTorch's nn.Sequential state_dict names ('0.weight' [out, in], '0.bias' [out]), its
torch.onnx.export graph (Gemm with transB=1, node names '/0/Gemm', a dynamic 'batch_size'),
and tf2onnx's for a Keras Sequential of Dense (MatMul with a [in, out] kernel, then Add).
"""
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import save_file

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures')
rng = np.random.default_rng(20261201)

# nn.Sequential(Linear(5, 7), Tanh(), Linear(7, 3), ReLU(), Linear(3, 2), Softmax(dim=1))
SIZES = [5, 7, 3, 2]
ACTS = ['Tanh', 'Relu', 'Softmax']
W = [rng.normal(0, 0.8, (o, i)) for i, o in zip(SIZES, SIZES[1:])]
B = [rng.normal(0, 0.5, o) for o in SIZES[1:]]
X = rng.normal(0, 1, (6, SIZES[0]))


def forward(x, ws, bs):
    a = x
    for w, b, act in zip(ws, bs, ACTS):
        z = a @ w.T + b
        if act == 'Tanh':
            a = np.tanh(z)
        elif act == 'Relu':
            a = np.maximum(z, 0)
        else:
            e = np.exp(z - z.max(axis=1, keepdims=True))
            a = e / e.sum(axis=1, keepdims=True)
    return a


def cast(dtype):
    return [w.astype(dtype) for w in W], [b.astype(dtype) for b in B]


def reference(name, dtype):
    ws, bs = cast(dtype)
    # the float64 answer for the weights as stored (float32 values widened exactly)
    y = forward(X.astype(dtype).astype(np.float64), [w.astype(np.float64) for w in ws], [b.astype(np.float64) for b in bs])
    with open(os.path.join(OUT, name + '.json'), 'w') as f:
        json.dump({'x': X.astype(dtype).astype(np.float64).tolist(), 'y': y.tolist()}, f)


def state_dict(dtype):
    ws, bs = cast(dtype)
    d = {}
    for k, (w, b) in enumerate(zip(ws, bs)):
        d[f'{2 * k}.weight'] = w
        d[f'{2 * k}.bias'] = b
    return d


def torch_onnx(dtype, elem):
    """The graph torch.onnx.export(model, x, f, opset_version=17, dynamic_axes={'input': {0: 'batch_size'}, ...}) writes."""
    ws, bs = cast(dtype)
    nodes, inits, prev = [], [], 'input'
    for k, (w, b, act) in enumerate(zip(ws, bs, ACTS)):
        lin, act_i = 2 * k, 2 * k + 1
        inits += [numpy_helper.from_array(w, f'{lin}.weight'), numpy_helper.from_array(b, f'{lin}.bias')]
        z = f'/{lin}/Gemm_output_0'
        nodes.append(helper.make_node('Gemm', [prev, f'{lin}.weight', f'{lin}.bias'], [z], name=f'/{lin}/Gemm', alpha=1.0, beta=1.0, transB=1))
        out = 'output' if act_i == 5 else f'/{act_i}/{act}_output_0'
        attrs = {'axis': 1} if act == 'Softmax' else {}
        nodes.append(helper.make_node(act, [z], [out], name=f'/{act_i}/{act}', **attrs))
        prev = out
    graph = helper.make_graph(nodes, 'main_graph',
                              [helper.make_tensor_value_info('input', elem, ['batch_size', SIZES[0]])],
                              [helper.make_tensor_value_info('output', elem, ['batch_size', SIZES[-1]])], inits)
    m = helper.make_model(graph, producer_name='pytorch', producer_version='2.5.1', opset_imports=[helper.make_opsetid('', 17)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def tf2onnx(dtype, elem):
    """The graph tf2onnx writes for a Keras Sequential of Dense(activation=…) layers (opset 15)."""
    ws, bs = cast(dtype)
    nodes, inits, prev = [], [], 'dense_input'
    names = ['dense', 'dense_1', 'dense_2']
    for k, (w, b, act) in enumerate(zip(ws, bs, ACTS)):
        n = names[k]
        kern, bias = f'sequential/{n}/MatMul/ReadVariableOp:0', f'sequential/{n}/BiasAdd/ReadVariableOp:0'
        inits += [numpy_helper.from_array(np.ascontiguousarray(w.T), kern), numpy_helper.from_array(b, bias)]
        mm, add = f'sequential/{n}/MatMul:0', f'sequential/{n}/BiasAdd:0'
        nodes.append(helper.make_node('MatMul', [prev, kern], [mm], name=f'sequential/{n}/MatMul'))
        nodes.append(helper.make_node('Add', [mm, bias], [add], name=f'sequential/{n}/BiasAdd'))
        out = f'{n}' if k == 2 else f'sequential/{n}/{act}:0'
        attrs = {'axis': -1} if act == 'Softmax' else {}
        nodes.append(helper.make_node(act, [add], [out], name=f'sequential/{n}/{act}', **attrs))
        prev = out
    graph = helper.make_graph(nodes, 'tf2onnx',
                              [helper.make_tensor_value_info('dense_input', elem, ['unk__7', SIZES[0]])],
                              [helper.make_tensor_value_info('dense_2', elem, ['unk__8', SIZES[-1]])], inits)
    m = helper.make_model(graph, producer_name='tf2onnx', producer_version='1.16.1', opset_imports=[helper.make_opsetid('', 15)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def flatten_gemm():
    """Flatten of a 2-D input, then Gemm without transB (weights [in, out]), weights as float_data."""
    ws, bs = cast(np.float32)
    nodes = [helper.make_node('Flatten', ['x'], ['flat'], name='flatten', axis=1)]
    inits, prev = [], 'flat'
    for k, (w, b, act) in enumerate(zip(ws, bs, ACTS)):
        inits += [helper.make_tensor(f'W{k}', TensorProto.FLOAT, w.T.shape, w.T.flatten().tolist()),
                  helper.make_tensor(f'b{k}', TensorProto.FLOAT, b.shape, b.tolist())]
        nodes.append(helper.make_node('Gemm', [prev, f'W{k}', f'b{k}'], [f'z{k}'], name=f'fc{k}'))
        out = 'y' if k == 2 else f'a{k}'
        nodes.append(helper.make_node(act, [f'z{k}'], [out], name=f'act{k}', **({'axis': -1} if act == 'Softmax' else {})))
        prev = out
    graph = helper.make_graph(nodes, 'flatten_gemm', [helper.make_tensor_value_info('x', TensorProto.FLOAT, ['N', SIZES[0]])],
                              [helper.make_tensor_value_info('y', TensorProto.FLOAT, ['N', SIZES[-1]])], inits)
    m = helper.make_model(graph, producer_name='onnx.helper', opset_imports=[helper.make_opsetid('', 17)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def unsupported():
    """A net with an op this library does not have (LeakyRelu), to be refused by name."""
    m = torch_onnx(np.float32, TensorProto.FLOAT)
    m.graph.node[1].op_type = 'LeakyRelu'
    m.graph.node[1].name = '/1/LeakyRelu'
    return m


os.makedirs(OUT, exist_ok=True)
save_file(state_dict(np.float32), os.path.join(OUT, 'torch-mlp-f32.safetensors'))
save_file(state_dict(np.float64), os.path.join(OUT, 'torch-mlp-f64.safetensors'))
reference('mlp-f32', np.float32)
reference('mlp-f64', np.float64)
onnx.save(torch_onnx(np.float32, TensorProto.FLOAT), os.path.join(OUT, 'torch-mlp-f32.onnx'))
onnx.save(torch_onnx(np.float64, TensorProto.DOUBLE), os.path.join(OUT, 'torch-mlp-f64.onnx'))
onnx.save(tf2onnx(np.float32, TensorProto.FLOAT), os.path.join(OUT, 'tf2onnx-mlp-f32.onnx'))
onnx.save(flatten_gemm(), os.path.join(OUT, 'flatten-gemm-f32.onnx'))
onnx.save(unsupported(), os.path.join(OUT, 'unsupported-leakyrelu.onnx'))
print('wrote', sorted(os.listdir(OUT)))
