"""Writes test/fixtures/torch/: MLPs as PyTorch itself writes them, with PyTorch's predictions.

Run with PyTorch 2.13 (CPU), onnxscript, onnx and safetensors (see versions.json for what wrote
the committed files):
    python scripts/fixtures_torch.py
For each model, in float32 and float64: torch.onnx.export with the default (dynamo) exporter and
with the legacy TorchScript one, a dynamic batch; the legacy file again after
onnx.shape_inference.infer_shapes (which adds value_info); and
safetensors.torch.save_file(model.state_dict()). manifest.json lists each file with the layers
it holds and the inputs and PyTorch's outputs (eval mode: dropout off), which the tests compare
against.
"""
import json
import os
import warnings

import numpy as np
import onnx
import onnxruntime
import onnxscript
import safetensors
import torch
from safetensors.torch import save_file
from torch_layers import module

warnings.filterwarnings('ignore')
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'torch')
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(20261207)

# (name, input width, layers as this package names them, the torch modules)
MODELS = [
    ('relu-softmax', 5, [('dense', 7), ('relu',), ('dense', 3), ('softmax',)]),
    ('tanh-dropout-sigmoid', 4, [('dense', 6), ('tanh',), ('dropout', 0.2), ('dense', 1), ('sigmoid',)]),
    ('sigmoid-relu-linear', 3, [('dense', 8), ('sigmoid',), ('dense', 8), ('relu',), ('dense', 2)]),
]


manifest = []
for name, width, layers in MODELS:
    base = module(width, layers)
    x64 = torch.randn(6, width, dtype=torch.float64)
    for dtype, tag in [(torch.float32, 'f32'), (torch.float64, 'f64')]:
        model = module(width, layers)
        model.load_state_dict(base.state_dict())
        model = model.to(dtype).eval()
        x = x64.to(dtype)
        with torch.no_grad():
            y = model(x)
        entry = {
            'layers': [list(l) for l in layers],
            'inputSize': width,
            'dtype': 'float32' if dtype == torch.float32 else 'float64',
            'x': x.double().tolist(),
            'y': y.double().tolist(),
        }
        stem = f'{name}-{tag}'
        dynamo = f'{stem}-dynamo.onnx'
        torch.onnx.export(model, (x,), os.path.join(OUT, dynamo), dynamo=True,
                          dynamic_shapes=({0: torch.export.Dim('batch')},), external_data=False)
        legacy = f'{stem}-legacy.onnx'
        torch.onnx.export(model, (x,), os.path.join(OUT, legacy), dynamo=False, input_names=['input'],
                          output_names=['output'], dynamic_axes={'input': {0: 'batch'}, 'output': {0: 'batch'}})
        inferred = f'{stem}-legacy-inferred.onnx'
        onnx.save(onnx.shape_inference.infer_shapes(onnx.load(os.path.join(OUT, legacy))), os.path.join(OUT, inferred))
        st = f'{stem}.safetensors'
        save_file(model.state_dict(), os.path.join(OUT, st))
        for f, fmt in [(dynamo, 'onnx'), (legacy, 'onnx'), (inferred, 'onnx'), (st, 'safetensors')]:
            manifest.append({'file': f, 'format': fmt, **entry})
        # ONNX Runtime runs each ONNX file as written (a check on the files, not on this package)
        for f in (dynamo, legacy, inferred):
            sess = onnxruntime.InferenceSession(os.path.join(OUT, f))
            got = sess.run(None, {sess.get_inputs()[0].name: x.numpy()})[0]
            assert np.allclose(got, y.numpy(), rtol=1e-5, atol=1e-6), f

with open(os.path.join(OUT, 'manifest.json'), 'w') as fh:
    json.dump(manifest, fh, indent=1)
with open(os.path.join(OUT, 'versions.json'), 'w') as fh:
    json.dump({'torch': torch.__version__, 'onnx': onnx.__version__, 'onnxscript': onnxscript.__version__,
               'onnxruntime': onnxruntime.__version__, 'safetensors': safetensors.__version__,
               'numpy': np.__version__}, fh, indent=1)
print(f'{len(manifest)} files in {OUT}')
