// Fits the float32 tanh kernel's rational (assembly/tanh.ts): tanh(x) ≈ x·P(s)/Q(s), s = x²,
// P of degree 4, Q of degree 3, on 0 <= x <= 7.8, for the least maximum relative error.
// Lawson's iteration on the linearized problem: with Q0 the previous denominator, minimize
// Σ wᵢ·((P(sᵢ) − fᵢ·Q(sᵢ)) / (fᵢ·Q0(sᵢ)))², f = tanh(x)/x, Q(0) = 1 (least squares by Householder
// QR), then reweight wᵢ ∝ wᵢ·|errorᵢ|; the best iterate is kept. Prints the coefficients scaled so
// that Q's leading one is 1 (one multiply fewer), rounded to float32, and the error in exact
// arithmetic. `node scripts/check-tanh-f32.mjs` checks the built kernel on every float32.
const LIM = 7.8,
  DEG_P = 4,
  DEG_Q = 3,
  NODES = 6000,
  ITERATIONS = 100;

/** Least squares min |A·z − b| by Householder QR (A: rows × cols, row-major arrays). */
function leastSquares(A, b) {
  const m = A.length,
    n = A[0].length;
  A = A.map((r) => r.slice());
  b = b.slice();
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += A[i][k] * A[i][k];
    norm = Math.sqrt(norm);
    const alpha = A[k][k] > 0 ? -norm : norm;
    const v = new Float64Array(m);
    for (let i = k; i < m; i++) v[i] = A[i][k];
    v[k] -= alpha;
    let vv = 0;
    for (let i = k; i < m; i++) vv += v[i] * v[i];
    if (vv === 0) continue;
    for (let j = k; j < n; j++) {
      let d = 0;
      for (let i = k; i < m; i++) d += v[i] * A[i][j];
      const f = (2 * d) / vv;
      for (let i = k; i < m; i++) A[i][j] -= f * v[i];
    }
    let d = 0;
    for (let i = k; i < m; i++) d += v[i] * b[i];
    const f = (2 * d) / vv;
    for (let i = k; i < m; i++) b[i] -= f * v[i];
  }
  const z = new Float64Array(n);
  for (let k = n - 1; k >= 0; k--) {
    let s = b[k];
    for (let j = k + 1; j < n; j++) s -= A[k][j] * z[j];
    z[k] = s / A[k][k];
  }
  return z;
}

// Chebyshev nodes on [0, LIM] in x; the variable is u = s / LIM² in [0, 1] (a better-conditioned basis)
const xs = [];
for (let i = 0; i < NODES; i++) {
  const x = (LIM * (Math.cos((Math.PI * (i + 0.5)) / NODES) + 1)) / 2;
  if (x > 1e-6) xs.push(x);
}
xs.sort((a, b) => a - b);
const us = xs.map((x) => (x * x) / (LIM * LIM));
const fs = xs.map((x) => Math.tanh(x) / x);
const poly = (c, u) => c.reduceRight((acc, ci) => acc * u + ci, 0);

let w = xs.map(() => 1 / xs.length);
let q0 = xs.map(() => 1);
let best = { err: Infinity, p: [], q: [] };
for (let it = 0; it < ITERATIONS; it++) {
  // unknowns p0..pD, q1..qD' (q0 = 1): residual (P − f·Q) / (f·Q0), weighted by √w
  const A = [],
    b = [];
  for (let i = 0; i < xs.length; i++) {
    const d = Math.sqrt(w[i]) / (fs[i] * q0[i]);
    const row = [];
    for (let j = 0; j <= DEG_P; j++) row.push(d * us[i] ** j);
    for (let j = 1; j <= DEG_Q; j++) row.push(-d * fs[i] * us[i] ** j);
    A.push(row);
    b.push(d * fs[i]);
  }
  const z = leastSquares(A, b);
  const p = Array.from(z.subarray(0, DEG_P + 1)),
    q = [1, ...z.subarray(DEG_P + 1)];
  const errs = xs.map((_, i) => poly(p, us[i]) / poly(q, us[i]) / fs[i] - 1);
  const err = Math.max(...errs.map(Math.abs));
  if (err < best.err) best = { err, p, q };
  q0 = us.map((u) => poly(q, u));
  w = w.map((wi, i) => wi * Math.abs(errs[i]));
  const total = w.reduce((a, v) => a + v, 0);
  w = w.map((wi) => wi / total);
}

// back to powers of s, scaled so that Q's leading coefficient is 1
const s = LIM * LIM,
  lead = best.q[DEG_Q] / s ** DEG_Q;
const P = best.p.map((c, j) => Math.fround(c / s ** j / lead));
const Q = best.q.map((c, j) => Math.fround(c / s ** j / lead));
console.log(`max relative error in exact arithmetic: ${best.err.toExponential(3)} on [0, ${LIM}]`);
console.log(`P (s^0 … s^${DEG_P}): ${P.join(', ')}`);
console.log(`Q (s^0 … s^${DEG_Q}): ${Q.join(', ')}`);
