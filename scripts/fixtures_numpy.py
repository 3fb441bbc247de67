# Writes test/fixtures/numpy/draws.json: what numpy and scikit-learn themselves give for the
# seeded draws this package reproduces (numpy's legacy RandomState randn, scikit-learn's
# make_moons and make_circles with and without noise), and what they give when their log, sin and
# cos are correctly rounded (mpmath): the C library numpy calls is not, for a value in a few
# thousand. test/core/numpy-exact.test.ts holds this package to the second bit for bit and counts
# how much of the first it matches. Run in a venv with scikit-learn (1.9.1 here), numpy, mpmath:
#   python3 scripts/fixtures_numpy.py
import json, os, platform
import math
import mpmath as mp
import numpy as np
import sklearn
from sklearn.datasets import make_circles, make_moons

mp.mp.prec = 200
cr_sin = np.vectorize(lambda t: float(mp.sin(mp.mpf(float(t)))), otypes=[float])
cr_cos = np.vectorize(lambda t: float(mp.cos(mp.mpf(float(t)))), otypes=[float])


def randn_cr(seed, n):
    """numpy's legacy gauss (polar method, the pair's second value cached), log correctly rounded."""
    rs = np.random.RandomState(seed)
    out = []
    while len(out) < n:
        while True:
            x1 = 2 * rs.random_sample() - 1
            x2 = 2 * rs.random_sample() - 1
            r2 = x1 * x1 + x2 * x2
            if 0 < r2 < 1:
                break
        f = math.sqrt(-2 * float(mp.log(mp.mpf(r2))) / r2)
        out += [f * x2, f * x1]
    return out[:n]


def correctly_rounded(make, **kw):
    """make(**kw) with numpy's sin and cos correctly rounded (scikit-learn looks them up on np)."""
    sin, cos = np.sin, np.cos
    np.sin, np.cos = cr_sin, cr_cos
    try:
        return make(**kw)
    finally:
        np.sin, np.cos = sin, cos

out = {
    'generator': f'scripts/fixtures_numpy.py; numpy {np.__version__}, scikit-learn {sklearn.__version__}, '
    f'Python {platform.python_version()}, {platform.machine()}',
    'randn': {str(seed): np.random.RandomState(seed).randn(2500).tolist() for seed in (0, 1, 3, 42)},
    'randnCR': {str(seed): randn_cr(seed, 2500) for seed in (0, 1, 3, 42)},
    'moons': [],
    'circles': [],
}
for n, noise, seed in [(300, 0.2, 3), (100, 0.1, 0), (301, None, 5), (200, 0.05, 7)]:
    x, y = make_moons(n_samples=n, noise=noise, random_state=seed)
    xc, _ = correctly_rounded(make_moons, n_samples=n, noise=noise, random_state=seed)
    out['moons'].append(
        {'samples': n, 'noise': noise or 0, 'seed': seed, 'x': x.ravel().tolist(), 'xCR': xc.ravel().tolist(), 'y': y.tolist()}
    )
for n, noise, factor, seed in [(300, 0.05, 0.8, 1), (100, 0.05, 0.8, 2), (250, None, 0.5, 4), (200, 0.1, 0.3, 9)]:
    x, y = make_circles(n_samples=n, noise=noise, factor=factor, random_state=seed)
    xc, _ = correctly_rounded(make_circles, n_samples=n, noise=noise, factor=factor, random_state=seed)
    out['circles'].append(
        {'samples': n, 'noise': noise or 0, 'factor': factor, 'seed': seed, 'x': x.ravel().tolist(),
         'xCR': xc.ravel().tolist(), 'y': y.tolist()}
    )
path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'numpy', 'draws.json')
with open(path, 'w') as f:
    json.dump(out, f)
print(out['generator'])
