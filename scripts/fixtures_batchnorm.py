"""Writes test/fixtures/batchnorm/steps.json: PyTorch's own batch normalization, step by step.

For each net (nn.Sequential with BatchNorm1d) and dtype: the initial state_dict, four SGD steps
(lr 0.1) on given batches in train mode, and after each step the loss (before the update), every
parameter's gradient, the running statistics and the eval-mode outputs on a test batch. The tests
train this package's equivalent net from the same state on the same batches and compare. The
state_dict after the last step is saved as safetensors (safetensors.torch.save_file), the file a
PyTorch user hands over: it must load and predict as the last step's eval outputs. The same model
is exported to ONNX with both exporters (the default one folds BatchNorm1d into the Gemm before
it; the legacy one writes a BatchNormalization node), with ONNX Runtime's outputs on the test
batch recorded beside. Run
with PyTorch 2.13 (CPU):
    python scripts/fixtures_batchnorm.py
"""
import json
import os

import numpy as np
import onnxruntime
import torch
from safetensors.torch import save_file
from torch_layers import module

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'batchnorm')
os.makedirs(OUT, exist_ok=True)

# (name, input width, layers as this package names them, the loss)
# softmax is left out of the torch nets: the loss takes the logits (cross_entropy), as this package
# fuses softmax with its loss
NETS = [
    ('dense-bn-tanh-softmax', 3, [('dense', 5), ('batchNorm', 0.1, 1e-5, True), ('tanh',), ('dense', 3), ('softmax',)],
     'categoricalCrossEntropy'),
    ('dense-bn-relu-bn-sigmoid', 4, [('dense', 6), ('batchNorm', 0.3, 1e-3, True), ('relu',), ('dense', 4),
                                     ('batchNorm', 0.1, 1e-5, False), ('sigmoid',), ('dense', 1), ('sigmoid',)],
     'binaryCrossEntropy'),
]
BATCHES = [8, 8, 5, 7]


def loss_of(kind, out, y):
    if kind == 'categoricalCrossEntropy':
        return torch.nn.functional.cross_entropy(out, y.long().view(-1))
    return torch.nn.functional.binary_cross_entropy(out, y)


out = []
for name, width, layers, loss in NETS:
    torch.manual_seed(20261207)
    base = module(width, [l for l in layers if l[0] != 'softmax'])
    with torch.no_grad():  # γ and β away from 1 and 0, so that both matter
        for m in base:
            if isinstance(m, torch.nn.BatchNorm1d) and m.affine:
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
    xs = [torch.randn(n, width, dtype=torch.float64) * 2 + 0.5 for n in BATCHES]
    classes = 3 if loss == 'categoricalCrossEntropy' else 2
    ys = [torch.randint(0, classes, (n, 1)).double() for n in BATCHES]
    test_x = torch.randn(6, width, dtype=torch.float64)
    for dtype, tag in [(torch.float64, 'float64'), (torch.float32, 'float32')]:
        model = module(width, [l for l in layers if l[0] != 'softmax']).to(dtype)
        model.load_state_dict({k: v.to(dtype) if v.is_floating_point() else v for k, v in base.state_dict().items()})
        state0 = {k: v.double().flatten().tolist() for k, v in model.state_dict().items() if v.is_floating_point()}
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        steps = []
        for x, y in zip(xs, ys):
            model.train()
            opt.zero_grad()
            l = loss_of(loss, model(x.to(dtype)), y.to(dtype))
            l.backward()
            grads = {k: p.grad.double().flatten().tolist() for k, p in model.named_parameters()}
            opt.step()
            model.eval()
            with torch.no_grad():
                e = model(test_x.to(dtype))
                if loss == 'categoricalCrossEntropy':
                    e = torch.softmax(e, dim=1)
            stats = {k: v.double().flatten().tolist() for k, v in model.state_dict().items()
                     if 'running' in k}
            steps.append({'x': x.tolist(), 'y': y.flatten().tolist(), 'loss': l.item(), 'grads': grads,
                          'running': stats, 'eval': e.double().flatten().tolist()})
        save_file(model.state_dict(), os.path.join(OUT, f'{name}-{tag}.safetensors'))
        onnx_files = {}
        tx = test_x.to(dtype)
        for exporter in ('dynamo', 'legacy'):
            f = f'{name}-{tag}-{exporter}.onnx'
            if exporter == 'dynamo':
                torch.onnx.export(model, (tx,), os.path.join(OUT, f), dynamo=True,
                                  dynamic_shapes=({0: torch.export.Dim('batch')},), external_data=False)
            else:
                torch.onnx.export(model, (tx,), os.path.join(OUT, f), dynamo=False, input_names=['input'],
                                  output_names=['output'], dynamic_axes={'input': {0: 'batch'}, 'output': {0: 'batch'}})
            sess = onnxruntime.InferenceSession(os.path.join(OUT, f))
            onnx_files[f] = np.asarray(sess.run(None, {sess.get_inputs()[0].name: tx.numpy()})[0], dtype='float64').flatten().tolist()
        out.append({'name': name, 'dtype': tag, 'file': f'{name}-{tag}.safetensors', 'onnx': onnx_files, 'inputSize': width, 'layers': [list(l) for l in layers],
                    'loss': loss, 'state': state0, 'testX': test_x.tolist(), 'steps': steps})

with open(os.path.join(OUT, 'steps.json'), 'w') as fh:
    json.dump({'torch': torch.__version__, 'nets': out}, fh)
print(f'{len(out)} runs')
