// Small 2-D datasets for the lessons, seeded and reproducible. circles and moons reproduce
// scikit-learn's make_circles / make_moons after np.random.seed(seed), point for point.
import { checkSize } from '../core/matrix.js';
import { MersenneTwister } from '../core/random.js';
import { checkOptions, optNumber } from '../core/options.js';
export { football } from './football.js';

/** x: [samples × features]; y: [samples × 1] labels (0/1, or class ids). */
import type { Dataset, DatasetSplit } from './dataset.js';
import { cos, sin } from '../core/libm.js';

export type { Dataset, DatasetSplit };

/** The most samples a generator makes: 10 million points are 160 MB of float64 coordinates. */
export const MAX_SAMPLES = 10_000_000;

/** A sample count, refused past MAX_SAMPLES before anything is allocated. */
function samplesOf(v: unknown, dflt: number, name: string): number {
  const n = checkSize(v ?? dflt, `${name}: samples`);
  if (n > MAX_SAMPLES) throw new Error(`${name}: samples must be at most ${MAX_SAMPLES}, got ${n}`);
  return n;
}

function seeded(seed: unknown, what: string): MersenneTwister {
  return new MersenneTwister(optNumber(seed, `${what}: seed`, 0, { min: 0, max: 0xffffffff, integer: true }));
}

function checkNoise(noise: unknown, what: string, name = 'noise', dflt = 0): number {
  return optNumber(noise, `${what}: ${name}`, dflt, { min: 0 });
}

/** numpy's linspace(start, stop, n, endpoint): start + i·step, and the end point exactly stop */
function linspace(start: number, stop: number, n: number, endpoint: boolean): number[] {
  const div = endpoint ? n - 1 : n;
  const step = (stop - start) / div;
  const t = Array.from({ length: n }, (_, i) => (div > 0 ? i * step + start : start));
  if (endpoint && n > 1) t[n - 1] = stop;
  return t;
}

/** scikit-learn's shuffle of the rows, then Gaussian noise on every coordinate, in row order. */
function shuffleAndNoise(px: number[], py: number[], labels: number[], rng: MersenneTwister, noise: number): Dataset {
  const n = labels.length;
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const x = new Float64Array(n * 2),
    y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = px[order[i]];
    x[2 * i + 1] = py[order[i]];
    y[i] = labels[order[i]];
  }
  if (noise > 0) for (let i = 0; i < 2 * n; i++) x[i] += noise * rng.randn();
  return { x: { rows: n, cols: 2, data: x }, y: { rows: n, cols: 1, data: y } };
}

/** Two concentric circles: outer label 0, inner (radius `factor`) label 1. */
export function circles(options?: { samples?: number; noise?: number; factor?: number; seed?: number }): Dataset {
  const opts = checkOptions(options, ['samples', 'noise', 'factor', 'seed'], 'circles');
  const n = samplesOf(opts.samples, 100, 'circles');
  const noise = checkNoise(opts.noise, 'circles');
  const factor = optNumber(opts.factor, 'circles: factor', 0.8, { min: 0, max: 1, maxOpen: true });
  const rng = seeded(opts.seed, 'circles');
  const nOut = Math.floor(n / 2),
    nIn = n - nOut;
  const tOut = linspace(0, 2 * Math.PI, nOut, false),
    tIn = linspace(0, 2 * Math.PI, nIn, false);
  const px = [...tOut.map(cos), ...tIn.map((t) => cos(t) * factor)];
  const py = [...tOut.map(sin), ...tIn.map((t) => sin(t) * factor)];
  const labels = [...Array<number>(nOut).fill(0), ...Array<number>(nIn).fill(1)];
  return shuffleAndNoise(px, py, labels, rng, noise);
}

/** Two interleaving half circles: label 0 above, 1 below. */
export function moons(options?: { samples?: number; noise?: number; seed?: number }): Dataset {
  const opts = checkOptions(options, ['samples', 'noise', 'seed'], 'moons');
  const n = samplesOf(opts.samples, 100, 'moons');
  const noise = checkNoise(opts.noise, 'moons');
  const rng = seeded(opts.seed, 'moons');
  const nOut = Math.floor(n / 2),
    nIn = n - nOut;
  const tOut = linspace(0, Math.PI, nOut, true),
    tIn = linspace(0, Math.PI, nIn, true);
  const px = [...tOut.map(cos), ...tIn.map((t) => 1 - cos(t))];
  const py = [...tOut.map(sin), ...tIn.map((t) => 1 - sin(t) - 0.5)];
  const labels = [...Array<number>(nOut).fill(0), ...Array<number>(nIn).fill(1)];
  return shuffleAndNoise(px, py, labels, rng, noise);
}

/** `classes` interleaved spiral arms (the CS231n set): labels are class ids. */
export function spirals(options?: { samples?: number; classes?: number; noise?: number; seed?: number }): Dataset {
  const opts = checkOptions(options, ['samples', 'classes', 'noise', 'seed'], 'spirals');
  const n = samplesOf(opts.samples, 300, 'spirals');
  const k = checkSize(opts.classes ?? 3, 'spirals: classes');
  const noise = checkNoise(opts.noise, 'spirals', 'noise', 0.2);
  const rng = seeded(opts.seed, 'spirals');
  const x = new Float64Array(n * 2),
    y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    const per = Math.ceil(n / k);
    const j = Math.floor(i / k);
    const r = per > 1 ? j / (per - 1) : 0;
    const t = c * 4 + 4 * r + noise * rng.randn();
    x[2 * i] = r * sin(t);
    x[2 * i + 1] = r * cos(t);
    y[i] = c;
  }
  return { x: { rows: n, cols: 2, data: x }, y: { rows: n, cols: 1, data: y } };
}

/** Gaussian blobs around `centers` random centres in [-box, box]²: labels are class ids. */
export function blobs(options?: {
  samples?: number;
  centers?: number;
  std?: number;
  box?: number;
  seed?: number;
}): Dataset {
  const opts = checkOptions(options, ['samples', 'centers', 'std', 'box', 'seed'], 'blobs');
  const n = samplesOf(opts.samples, 100, 'blobs');
  const k = checkSize(opts.centers ?? 3, 'blobs: centers');
  const std = checkNoise(opts.std, 'blobs', 'std', 1);
  const box = optNumber(opts.box, 'blobs: box', 10, { min: 0, minOpen: true });
  const rng = seeded(opts.seed, 'blobs');
  const cx = Array.from({ length: k }, () => [(2 * rng.random() - 1) * box, (2 * rng.random() - 1) * box]);
  const x = new Float64Array(n * 2),
    y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    x[2 * i] = cx[c][0] + std * rng.randn();
    x[2 * i + 1] = cx[c][1] + std * rng.randn();
    y[i] = c;
  }
  return { x: { rows: n, cols: 2, data: x }, y: { rows: n, cols: 1, data: y } };
}

/** A seeded split into train and test rows. */
export function trainTestSplit(data: Dataset, options?: { testFraction?: number; seed?: number }): DatasetSplit {
  const opts = checkOptions(options, ['testFraction', 'seed'], 'trainTestSplit');
  const f = optNumber(opts.testFraction, 'trainTestSplit: testFraction', 0.25, {
    min: 0,
    max: 1,
    minOpen: true,
    maxOpen: true,
  });
  const n = data.x.rows;
  if (data.y.rows !== n) throw new Error(`trainTestSplit: x has ${n} rows, y has ${data.y.rows}`);
  const nTest = Math.round(n * f);
  if (nTest < 1 || nTest >= n) throw new Error(`trainTestSplit: ${n} examples cannot be split with testFraction ${f}`);
  const order = seeded(opts.seed, 'trainTestSplit').shuffle(Array.from({ length: n }, (_, i) => i));
  const take = (rows: number[]): Dataset => {
    const cx = data.x.cols,
      cy = data.y.cols;
    const x = new Float64Array(rows.length * cx),
      y = new Float64Array(rows.length * cy);
    rows.forEach((r, i) => {
      x.set(data.x.data.subarray(r * cx, (r + 1) * cx), i * cx);
      y.set(data.y.data.subarray(r * cy, (r + 1) * cy), i * cy);
    });
    return { x: { rows: rows.length, cols: cx, data: x }, y: { rows: rows.length, cols: cy, data: y } };
  };
  return { test: take(order.slice(0, nTest)), train: take(order.slice(nTest)) };
}
