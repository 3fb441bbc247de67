# Writes test/fixtures/libm/values.json: inputs and their correctly rounded results (mpmath at
# 200 bits, then rounded to the nearest double) for src/core/libm.ts's functions, the reference
# test/core/libm.test.ts checks against. Inputs are seeded; run with any Python that has mpmath
# and numpy (PyTorch's venv has both):
#   python3 scripts/fixtures_libm.py
import json, os
import mpmath as mp
import numpy as np

mp.mp.prec = 200
rs = np.random.RandomState(2026)


def cr(f, *args):
    return float(f(*[mp.mpf(a) for a in args]))


def uniform(lo, hi, n):
    return [float(v) for v in rs.uniform(lo, hi, n)]


def loguniform(lo, hi, n):
    return [float(v) for v in np.exp(rs.uniform(np.log(lo), np.log(hi), n))]


cases = {
    'exp': uniform(-745, 709.78, 1500) + uniform(-1, 1, 1000) + [float(v) for v in rs.uniform(-1e-6, 1e-6, 250)],
    'expm1': uniform(-40, 40, 500) + uniform(-1e-3, 1e-3, 500) + uniform(-0.5, 0.5, 500),
    'log': loguniform(1e-300, 1e300, 1500) + uniform(0.5, 2, 1000) + uniform(1 - 1e-6, 1 + 1e-6, 250)
    + [5e-324, 1e-310, 2.2250738585072014e-308],
    'log1p': uniform(-0.99, 10, 1000) + uniform(-1e-3, 1e-3, 500) + loguniform(1e-20, 1e-8, 250),
    'sin': uniform(-10, 10, 1000) + uniform(0, 2 * np.pi, 500) + uniform(-1e5, 1e5, 500)
    + [float(v) for v in np.linspace(0, np.pi, 150)] + [float(v) for v in np.linspace(0, 2 * np.pi, 300, endpoint=False)],
    'cos': uniform(-10, 10, 1000) + uniform(0, 2 * np.pi, 500) + uniform(-1e5, 1e5, 500)
    + [float(v) for v in np.linspace(0, np.pi, 150)] + [float(v) for v in np.linspace(0, 2 * np.pi, 300, endpoint=False)],
    'tanh': uniform(-25, 25, 1000) + uniform(-1e-3, 1e-3, 250),
}
out = {name: [[x, cr(getattr(mp, name), x)] for x in xs] for name, xs in cases.items()}
xs, ys = loguniform(1e-3, 10, 1500), uniform(-60, 60, 1500)
out['pow'] = [[x, y, cr(mp.power, x, y)] for x, y in zip(xs, ys)]
# the schedules' kind: a rate below 1 to a fractional epoch / every
out['pow'] += [[r, e / 100, cr(mp.power, r, e / 100)] for r in (0.96, 0.5, 0.9) for e in range(0, 1000, 7)]
path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'libm', 'values.json')
with open(path, 'w') as f:
    json.dump({'generator': f'scripts/fixtures_libm.py, mpmath {mp.__version__}, numpy {np.__version__}', **out}, f)
print({k: len(v) for k, v in out.items() if k != 'generator'})
