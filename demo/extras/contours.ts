// Input normalization: the cost of logistic regression over its two weights (no bias), on features
// of very different scales and on the same features standardized (dl.standardize). Raw, the
// contours are long thin ellipses and gradient descent, at the largest rate the steep direction
// allows, zig-zags and crawls along the flat one; standardized, they are round and it goes straight.
import * as dl from 'dl-fundamentals';
import { FONT, sized } from '../draw.ts';
import { INK, LAYER_COLORS, diverging } from '../palette.ts';

export interface Side {
  x: dl.Matrix;
  y: dl.Matrix;
  /** the weights after each step of gradient descent, from (0, 0) */
  path: [number, number][];
  /** the cost after each step */
  costs: number[];
  /** λmax / λmin of XᵀX / m: how much steeper the steepest direction is than the flattest */
  condition: number;
  rate: number;
}
export interface Contours {
  raw: Side;
  standardized: Side;
  text: string;
}

const STEPS = 40;

/** J(w) = mean binary cross-entropy of σ(w·x) */
export function cost(x: dl.Matrix, y: dl.Matrix, w: [number, number]): number {
  let s = 0;
  for (let i = 0; i < x.rows; i++) {
    const z = w[0] * x.data[2 * i] + w[1] * x.data[2 * i + 1];
    // log(1 + e^−z) or log(1 + e^z), written to stay finite
    s +=
      y.data[i] > 0.5
        ? Math.log1p(Math.exp(-Math.abs(z))) + Math.max(-z, 0)
        : Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0);
  }
  return s / x.rows;
}

/** XᵀX / m's eigenvalues' ratio (2 × 2, closed form) */
function conditionOf(x: dl.Matrix): number {
  let a = 0,
    b = 0,
    d = 0;
  for (let i = 0; i < x.rows; i++) {
    const u = x.data[2 * i],
      v = x.data[2 * i + 1];
    a += u * u;
    b += u * v;
    d += v * v;
  }
  const m = (a + d) / 2,
    r = Math.sqrt(((a - d) / 2) ** 2 + b * b);
  return (m + r) / (m - r);
}

/** Gradient descent by the library: a dense unit without bias, a sigmoid, full-batch SGD. */
async function descend(x: dl.Matrix, y: dl.Matrix, backend: dl.Backend): Promise<Side> {
  // the largest eigenvalue of the Hessian at 0 is ¼·λmax(XᵀX/m): a rate of 1.8 / that is near the
  // edge of stability in the steepest direction, as fast as gradient descent can go there
  let a = 0,
    b = 0,
    d = 0;
  for (let i = 0; i < x.rows; i++) {
    a += x.data[2 * i] ** 2;
    b += x.data[2 * i] * x.data[2 * i + 1];
    d += x.data[2 * i + 1] ** 2;
  }
  const lmax = ((a + d) / 2 + Math.sqrt(((a - d) / 2) ** 2 + b * b)) / x.rows;
  const rate = 1.8 / (lmax / 4);
  const model = dl.sequential([dl.dense(1, { init: 'zeros', useBias: false }), dl.sigmoid()], {
    inputSize: 2,
    backend,
  });
  const opt = dl.sgd({ learningRate: rate });
  const path: [number, number][] = [[0, 0]];
  const costs = [cost(x, y, [0, 0])];
  try {
    for (let k = 0; k < STEPS; k++) {
      await model.fitAsync(x, y, { loss: 'binaryCrossEntropy', optimizer: opt, epochs: 1 });
      const w = model.getWeights()[0].data;
      path.push([w[0], w[1]]);
      costs.push(cost(x, y, [w[0], w[1]]));
    }
  } finally {
    model.dispose();
  }
  return { x, y, path, costs, condition: conditionOf(x), rate };
}

/** The data (seeded), both descents and the sentence citing them. */
export async function computeContours(backend: dl.Backend, seed = 2): Promise<Contours> {
  const rng = new dl.MersenneTwister(seed);
  const n = 200,
    xs = new Float64Array(2 * n),
    ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.randn(),
      v = rng.randn();
    xs[2 * i] = 20 * u; // a feature in the tens (a size in m²)
    xs[2 * i + 1] = 0.5 * v; // one below 1 (a ratio)
    ys[i] = u + v + 0.3 * rng.randn() > 0 ? 1 : 0;
  }
  const x: dl.Matrix = { rows: n, cols: 2, data: xs },
    y: dl.Matrix = { rows: n, cols: 1, data: ys };
  const raw = await descend(x, y, backend);
  const standardized = await descend(dl.standardize(x).x, y, backend);
  const f = (v: number) => v.toFixed(3);
  const text = `Feature scales 20 and 0.5: raw, the steepest direction of the cost is <strong>${raw.condition.toFixed(0)}×</strong> the flattest, so the rate the steep one allows barely moves along the flat one: after ${STEPS} steps the cost is <strong>${f(raw.costs.at(-1)!)}</strong>. Standardized (mean 0, std 1 per feature) the ratio is <strong>${standardized.condition.toFixed(1)}</strong> and the same ${STEPS} steps reach <strong>${f(standardized.costs.at(-1)!)}</strong>.`;
  return { raw, standardized, text };
}

/** The two cost landscapes side by side, each with its descent. */
export function drawContours(canvas: HTMLCanvasElement, c: Contours): void {
  const { ctx, W, H } = sized(canvas);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  ctx.font = FONT;
  const half = (W - 10) / 2;
  [c.raw, c.standardized].forEach((s, k) => {
    const x0 = k * (half + 10),
      top = 16,
      size = Math.min(half, H - top - 4);
    const xs = s.path.map((p) => p[0]),
      ys = s.path.map((p) => p[1]);
    const spanX = Math.max(...xs.map(Math.abs), 0.05) * 1.6,
      spanY = Math.max(...ys.map(Math.abs), 0.05) * 1.6;
    const span = Math.max(spanX, spanY);
    const G = 48;
    const vals: number[] = [];
    for (let j = 0; j < G; j++)
      for (let i = 0; i < G; i++)
        vals.push(cost(s.x, s.y, [((i + 0.5) / G - 0.5) * 2 * span, (0.5 - (j + 0.5) / G) * 2 * span]));
    const lo = Math.min(...vals),
      hi = Math.max(...vals);
    const cell = size / G;
    vals.forEach((v, p) => {
      // low cost white, high cost orange, in bands so the contours show
      const t = Math.floor(((v - lo) / (hi - lo || 1)) * 10) / 10;
      const [r, g, b] = diverging(-t * 0.8);
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect(x0 + (p % G) * cell, top + Math.floor(p / G) * cell, cell + 0.5, cell + 0.5);
    });
    const px = (w: number) => x0 + (w / (2 * span) + 0.5) * size,
      py = (w: number) => top + (0.5 - w / (2 * span)) * size;
    ctx.strokeStyle = LAYER_COLORS[0];
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    s.path.forEach(([a, b], i) => (i ? ctx.lineTo(px(a), py(b)) : ctx.moveTo(px(a), py(b))));
    ctx.stroke();
    ctx.fillStyle = INK;
    ctx.fillText(k ? 'standardized' : 'raw features', x0, 11);
  });
}
