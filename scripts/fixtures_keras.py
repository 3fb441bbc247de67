"""Writes test/fixtures/keras/: MLPs as Keras 3 itself exports them to ONNX, with Keras' predictions.

Keras 3 on its PyTorch backend (tf2onnx, which its TensorFlow backend would need, does not install
here): model.export(path, format='onnx'). Run in a venv with keras 3.15, torch 2.13, onnx and
onnxruntime (versions.json records what wrote the committed files):
    KERAS_BACKEND=torch python scripts/fixtures_keras.py
manifest.json lists each file with the layers it holds, the inputs and Keras' own outputs
(inference: dropout off). A float64 Keras model exports as float32 arithmetic behind a Cast of
its double input: the tests expect this package to refuse those files, naming the Cast.
"""
import json
import os
import warnings

os.environ.setdefault('KERAS_BACKEND', 'torch')
warnings.filterwarnings('ignore')
import keras  # noqa: E402
import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime  # noqa: E402
import torch  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'keras')
os.makedirs(OUT, exist_ok=True)

# (name, input width, layers as this package names them)
MODELS = [
    ('tanh-dropout-softmax', 4, [('dense', 6), ('tanh',), ('dropout', 0.2), ('dense', 3), ('softmax',)]),
    ('relu-sigmoid', 5, [('dense', 8), ('relu',), ('dense', 1), ('sigmoid',)]),
    ('sigmoid-linear', 3, [('dense', 7), ('sigmoid',), ('dense', 7), ('relu',), ('dense', 2)]),
]


def build(width, layers):
    mods = [keras.Input((width,))]
    for layer in layers:
        kind = layer[0]
        if kind == 'dense':
            mods.append(keras.layers.Dense(layer[1]))
        elif kind == 'dropout':
            mods.append(keras.layers.Dropout(layer[1]))
        else:
            mods.append(keras.layers.Activation(kind))
    return keras.Sequential(mods)


manifest = []
for name, width, layers in MODELS:
    for floatx, tag in [('float32', 'f32'), ('float64', 'f64')]:
        keras.config.set_floatx(floatx)
        keras.utils.set_random_seed(20261207)
        model = build(width, layers)
        x = np.random.RandomState(7).randn(6, width).astype(floatx)
        y = model.predict(x, verbose=0)
        file = f'{name}-{tag}.onnx'
        model.export(os.path.join(OUT, file), format='onnx', verbose=False)
        # ONNX Runtime runs the file as written (a check on the file, not on this package)
        sess = onnxruntime.InferenceSession(os.path.join(OUT, file))
        got = sess.run(None, {sess.get_inputs()[0].name: x})[0]
        assert np.allclose(got, y, rtol=1e-5, atol=1e-6), file
        manifest.append({'file': file, 'layers': [list(l) for l in layers], 'inputSize': width, 'dtype': floatx,
                         'x': x.astype('float64').tolist(), 'y': np.asarray(y, dtype='float64').tolist()})

with open(os.path.join(OUT, 'manifest.json'), 'w') as fh:
    json.dump(manifest, fh, indent=1)
with open(os.path.join(OUT, 'versions.json'), 'w') as fh:
    json.dump({'keras': keras.__version__, 'backend': keras.backend.backend(), 'torch': torch.__version__,
               'onnx': onnx.__version__, 'onnxruntime': onnxruntime.__version__, 'numpy': np.__version__}, fh, indent=1)
print(f'{len(manifest)} files in {OUT}')
