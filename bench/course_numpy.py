# The course's optimization notebook (course 2, week 2), its seven training runs, in plain numpy:
# written from the specification (moons seed 3, He init seed 3, numpy's permutation seeded 11 + epoch,
# cost = sum of batch sums / m, textbook Adam). Two uses:
#   python3 bench/course_numpy.py                       the float64 table, timed (bench/course.ts runs it
#                                                       side by side with this package)
#   python3 bench/course_numpy.py --dtype float32 --order transposed
#                                                       an independent float32 implementation, in one of
#                                                       two operation orders: how far float32 drifts from
#                                                       float64 (the bounds of test/e2e/course-optimization)
# Prints one JSON line: {"seconds": …, "runs": {name: {"costs": [5 costs], "accuracy": …}}}.
import json, math, sys, time
import numpy as np

np.seterr(over='ignore')  # exp(−z) overflows to inf for very negative z in float32: σ is then 0, as it should be

args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
F = np.float32 if args.get('--dtype') == 'float32' else np.float64
TRANSPOSED = args.get('--order') == 'transposed'   # examples as rows (x·Wᵀ) instead of columns (W·x)


def moons():
    rs = np.random.RandomState(3)
    n = 150
    t = np.linspace(0, np.pi, n)
    x = np.concatenate([np.cos(t), 1 - np.cos(t)])
    y = np.concatenate([np.sin(t), 1 - np.sin(t) - 0.5])
    pts = np.stack([x, y], axis=1)
    labels = np.concatenate([np.zeros(n), np.ones(n)])
    idx = np.arange(2 * n)
    rs.shuffle(idx)
    pts, labels = pts[idx], labels[idx]
    pts = pts + rs.normal(scale=0.2, size=pts.shape)
    return pts.T.astype(F), labels.reshape(1, -1).astype(F)


def he(dims):
    rs = np.random.RandomState(3)
    params = []
    for fan_in, fan_out in zip(dims[:-1], dims[1:]):
        w = rs.randn(fan_out, fan_in) * math.sqrt(2 / fan_in)
        params += [w.astype(F), np.zeros((fan_out, 1), F)]
    return params


def mm(a, b):
    # the transposed order computes (bᵀ·aᵀ)ᵀ: the same sums, accumulated in another order by BLAS
    return (b.T @ a.T).T if TRANSPOSED else a @ b


def step(params, x, y):
    w1, b1, w2, b2, w3, b3 = params
    z1 = mm(w1, x) + b1; a1 = np.maximum(z1, 0)
    z2 = mm(w2, a1) + b2; a2 = np.maximum(z2, 0)
    z3 = mm(w3, a2) + b3; a3 = 1 / (1 + np.exp(-z3))
    # −log σ(z) = log(1 + e^−z), from the logits: in float32 a3 reaches 1 and log(1 − a3) would be −inf
    cost = np.sum(np.logaddexp(0, -z3) * y + np.logaddexp(0, z3) * (1 - y))
    m = x.shape[1]
    d3 = (a3 - y) * F(1 / m)
    d2 = mm(w3.T, d3) * (a2 > 0)
    d1 = mm(w2.T, d2) * (a1 > 0)
    grads = [mm(d1, x.T), d1.sum(1, keepdims=True), mm(d2, a1.T), d2.sum(1, keepdims=True),
             mm(d3, a2.T), d3.sum(1, keepdims=True)]
    return cost, grads


def predict(params, x):
    w1, b1, w2, b2, w3, b3 = params
    a1 = np.maximum(mm(w1, x) + b1, 0)
    a2 = np.maximum(mm(w2, a1) + b2, 0)
    return 1 / (1 + np.exp(-(mm(w3, a2) + b3))) > 0.5


def train(x, y, kind, lr0, decay=None, epochs=5000):
    params = he([2, 5, 2, 1])
    v = [np.zeros_like(p) for p in params]
    s = [np.zeros_like(p) for p in params]
    lr, t, m, costs = lr0, 0, x.shape[1], []
    for epoch in range(epochs):
        order = np.random.RandomState(11 + epoch).permutation(m)
        xs, ys = x[:, order], y[:, order]
        total = 0.0
        for k in range(0, m, 64):
            cost, grads = step(params, xs[:, k:k + 64], ys[:, k:k + 64])
            total += float(cost)
            t += 1
            for i, g in enumerate(grads):
                if kind == 'gd':
                    params[i] = params[i] - F(lr) * g
                elif kind == 'momentum':
                    v[i] = F(0.9) * v[i] + F(0.1) * g
                    params[i] = params[i] - F(lr) * v[i]
                else:
                    v[i] = F(0.9) * v[i] + F(0.1) * g
                    s[i] = F(0.999) * s[i] + F(0.001) * g * g
                    vh = v[i] / F(1 - 0.9 ** t)
                    sh = s[i] / F(1 - 0.999 ** t)
                    params[i] = params[i] - F(lr) * vh / (np.sqrt(sh) + F(1e-8))
        if epoch % 1000 == 0:
            costs.append(total / m)
        if decay:
            lr = decay(lr0, epoch)
    return costs, float(np.mean(predict(params, x) == (y > 0.5)))


def update_lr(lr0, epoch):
    return (1 / (1 + epoch)) * lr0


def schedule(lr0, epoch):
    return (1 / (1 + math.floor(epoch / 1000))) * lr0


RUNS = {
    'gd': ('gd', 0.0007, None),
    'momentum': ('momentum', 0.0007, None),
    'adam': ('adam', 0.0007, None),
    'gd, update_lr': ('gd', 0.1, update_lr),
    'gd, schedule_lr_decay': ('gd', 0.1, schedule),
    'momentum, schedule_lr_decay': ('momentum', 0.1, schedule),
    'adam, schedule_lr_decay': ('adam', 0.01, schedule),
}

x, y = moons()
t0 = time.perf_counter()
out = {}
for name, (kind, lr0, decay) in RUNS.items():
    costs, acc = train(x, y, kind, lr0, decay)
    out[name] = {'costs': costs, 'accuracy': acc}
print(json.dumps({'seconds': time.perf_counter() - t0, 'dtype': F.__name__, 'runs': out}))
