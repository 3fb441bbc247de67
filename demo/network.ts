// The network, drawn: every unit as a small heatmap of its output over the input plane, the
// weights as lines (blue positive, orange negative, width by size); and the histograms of each
// layer's outputs over the training examples. The units' outputs come from a float64 pass over
// the model's weights here (a few hundred points), so drawing costs the backend nothing.
import type * as dl from 'dl-fundamentals';
import { FONT, sized } from './draw.ts';
import { fmt } from './format.ts';
import { INK, NEGATIVE, POSITIVE, diverging, hex } from './palette.ts';

interface Stage {
  W: Float64Array | Float32Array;
  b: ArrayLike<number> | null;
  units: number;
  inputs: number;
  act: string | null;
  name: string;
}

/** the model as dense stages, each with the activation that follows (dropout skipped: inference) */
export function stagesOf(model: dl.Sequential): Stage[] {
  const w = new Map(model.getWeights().map((x) => [x.name, x]));
  const out: Stage[] = [];
  model.layers.forEach((l, i) => {
    if (l.type !== 'dense') return;
    const W = w.get(`${l.name}.W`)!;
    let next = model.layers[i + 1];
    if (next?.type === 'dropout') next = model.layers[i + 2];
    out.push({
      W: W.data,
      b: w.get(`${l.name}.b`)?.data ?? null,
      units: W.shape[0],
      inputs: W.shape[1],
      act: next && next.type !== 'dense' && next.type !== 'dropout' ? next.type : null,
      name: l.name,
    });
  });
  return out;
}

/** each stage's outputs for the points xs [n × 2]: out[l][p * units + u] */
export function forwardAll(stages: Stage[], xs: ArrayLike<number>, n: number): Float64Array[] {
  let a = Float64Array.from(xs);
  const outs: Float64Array[] = [];
  for (const s of stages) {
    const z = new Float64Array(n * s.units);
    for (let p = 0; p < n; p++) {
      for (let u = 0; u < s.units; u++) {
        let v = s.b ? s.b[u] : 0;
        for (let j = 0; j < s.inputs; j++) v += s.W[u * s.inputs + j] * a[p * s.inputs + j];
        z[p * s.units + u] = v;
      }
    }
    if (s.act === 'softmax') {
      for (let p = 0; p < n; p++) {
        let mx = -Infinity,
          sum = 0;
        for (let u = 0; u < s.units; u++) mx = Math.max(mx, z[p * s.units + u]);
        for (let u = 0; u < s.units; u++) sum += z[p * s.units + u] = Math.exp(z[p * s.units + u] - mx);
        for (let u = 0; u < s.units; u++) z[p * s.units + u] /= sum;
      }
    } else if (s.act && s.act !== 'linear') {
      const f =
        s.act === 'relu'
          ? (v: number) => (v > 0 ? v : 0)
          : s.act === 'tanh'
            ? Math.tanh
            : (v: number) => 1 / (1 + Math.exp(-v));
      for (let k = 0; k < z.length; k++) z[k] = f(z[k]);
    }
    outs.push(z);
    a = z;
  }
  return outs;
}

const MAX_SHOWN = 12;
const G = 15; // grid points per side of a unit's heatmap
/** a weight this large or larger is drawn at the widest line */
const W_FULL = 2;

// one small canvas and image for every unit square, made once: drawing a network a few times a
// second must not leave garbage for a collection to stall the page on
let made: { off: OffscreenCanvas; img: ImageData } | null = null;
const scratch = () => (made ??= { off: new OffscreenCanvas(G, G), img: new ImageData(G, G) });

/** where a stage's outputs are "zero" on the diverging scale: ½ for sigmoid (a logit of 0), else 0 */
const centreOf = (act: string | null | undefined) => (act === 'sigmoid' ? 0.5 : 0);

/**
 * Draws the network over the box [x0, x1] × [y0, y1]; records each unit square in
 * canvas.dataset.units (in the canvas's pixels). Units: each one's output over the plane on the
 * page's diverging scale (orange below the centre, blue above, one scale per layer so that units
 * computing the same thing look the same); weights: blue positive, orange negative, width by |w|
 * on one absolute scale (the legend says which), so a layer of tiny weights looks thin.
 */
export function drawNetwork(
  canvas: HTMLCanvasElement,
  model: dl.Sequential,
  box: [number, number, number, number],
): void {
  const stages = stagesOf(model);
  const [x0, x1, y0, y1] = box;
  const grid = new Float64Array(G * G * 2);
  for (let j = 0; j < G; j++)
    for (let i = 0; i < G; i++) {
      grid[2 * (j * G + i)] = x0 + ((i + 0.5) / G) * (x1 - x0);
      grid[2 * (j * G + i) + 1] = y1 - ((j + 0.5) / G) * (y1 - y0);
    }
  const outs = [grid, ...forwardAll(stages, grid, G * G)];
  const widths = [2, ...stages.map((s) => s.units)];
  const { ctx, W, H } = sized(canvas);
  const dpr = canvas.width / W;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  ctx.font = FONT;
  const cols = widths.length,
    TOP = 22, // the legend
    BOTTOM = 18; // the layer labels
  // squares as big as the columns allow, up to 30 px; as many per column as fit without overlap
  const S = Math.max(10, Math.min(30, Math.floor(W / cols) - 8));
  const colGap = (W - S) / Math.max(cols - 1, 1);
  const fit = Math.max(1, Math.floor((H - TOP - BOTTOM - S) / (S + 3)) + 1);
  const shown = widths.map((w) => Math.min(w, MAX_SHOWN, fit));
  const pos = (l: number, u: number): [number, number] => {
    const n = shown[l],
      gap = Math.min(S + 8, (H - TOP - BOTTOM - S) / Math.max(n - 1, 1));
    const top = TOP + (H - TOP - BOTTOM - (S + (n - 1) * gap)) / 2;
    return [Math.round(l * colGap), Math.round(top + u * gap)];
  };
  // weights first, under the squares
  stages.forEach((s, l) => {
    for (let u = 0; u < shown[l + 1]; u++)
      for (let j = 0; j < shown[l]; j++) {
        const w = s.W[u * s.inputs + j];
        const [ax, ay] = pos(l, j),
          [bx, by] = pos(l + 1, u);
        const [r, g, b] = w >= 0 ? POSITIVE : NEGATIVE;
        ctx.strokeStyle = `rgba(${r},${g},${b},.6)`;
        ctx.lineWidth = 0.25 + 3.75 * Math.min(1, Math.abs(w) / W_FULL);
        ctx.beginPath();
        ctx.moveTo(ax + S, ay + S / 2);
        ctx.lineTo(bx, by + S / 2);
        ctx.stroke();
      }
  });
  const units: [number, number, number, number, number][] = [];
  const { off, img } = scratch();
  outs.forEach((o, l) => {
    const n = widths[l],
      c = l === 0 ? 0 : centreOf(stages[l - 1].act);
    let m = 0;
    for (let k = 0; k < o.length; k++) m = Math.max(m, Math.abs(o[k] - c));
    for (let u = 0; u < shown[l]; u++) {
      for (let p = 0; p < G * G; p++) {
        const [r, g, b] = diverging(m > 0 ? (o[p * n + u] - c) / m : 0);
        img.data.set([r, g, b, 255], p * 4);
      }
      const [x, y] = pos(l, u);
      off.getContext('2d')!.putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(off, x, y, S, S);
      ctx.strokeStyle = '#888';
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 0.5, y + 0.5, S - 1, S - 1);
      units.push([l, u, Math.round(x * dpr), Math.round(y * dpr), Math.round(S * dpr)]);
    }
  });
  // the layers' names under their columns: full where they fit, numbers where they do not
  const names = widths.map((n, l) =>
    l === 0 ? 'x₁, x₂' : `${stages[l - 1].name}${n > shown[l] ? ` (${shown[l]}/${n})` : ''}`,
  );
  const short = names.some((t) => ctx.measureText(t).width > colGap - 4);
  ctx.fillStyle = INK;
  names.forEach((t, l) => {
    const label = short ? (l === 0 ? 'x' : String(l)) : t;
    const w = ctx.measureText(label).width;
    ctx.fillText(label, Math.min(Math.max(0, pos(l, 0)[0] + S / 2 - w / 2), W - w), H - 5);
  });
  legend(ctx, W);
  canvas.dataset.units = JSON.stringify(units);
  canvas.dataset.labels = short ? 'numbers' : 'names';
}

/** The key: what the colours and the line widths mean, on the canvas's first line. */
function legend(ctx: CanvasRenderingContext2D, W: number): void {
  const parts: [string, string | null, number][] = [
    ['weight', null, 0],
    ['+', hex(POSITIVE), 2],
    ['−', hex(NEGATIVE), 2],
    [`|w| ${W_FULL / 4}`, '#555', 0.25 + 3.75 / 4],
    [`≥ ${W_FULL}`, '#555', 4],
  ];
  let x = Math.max(0, W - 330);
  const y = 10;
  ctx.fillStyle = INK;
  for (const [t, colour, width] of parts) {
    ctx.fillText(t, x, y + 4);
    x += ctx.measureText(t).width + 4;
    if (colour) {
      ctx.strokeStyle = colour;
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(x + 22, y);
      ctx.stroke();
      x += 30;
    } else x += 4;
  }
}

/** One histogram per hidden stage of its outputs over the examples xs [n × 2]. */
export function drawHistograms(
  canvas: HTMLCanvasElement,
  model: dl.Sequential,
  xs: ArrayLike<number>,
  n: number,
): void {
  const stages = stagesOf(model);
  const outs = forwardAll(stages, xs, n).slice(0, -1);
  const { ctx, W, H } = sized(canvas);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  ctx.font = FONT;
  if (outs.length === 0) {
    ctx.fillStyle = INK;
    ctx.fillText('no hidden layers', 8, 16);
    return;
  }
  const rowH = H / outs.length,
    BINS = 24;
  outs.forEach((o, l) => {
    const s = stages[l];
    let lo = 0,
      hi = 0;
    if (s.act === 'sigmoid') hi = 1;
    else if (s.act === 'tanh') {
      lo = -1;
      hi = 1;
    } else
      for (const v of o) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      } // no spread: o can be long
    if (hi <= lo) hi = lo + 1; // every output the same (zeros): one bar at the left
    const bins = new Array(BINS).fill(0);
    for (const v of o) bins[Math.min(BINS - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * BINS)))]++;
    const max = Math.max(...bins),
      top = l * rowH,
      left = 90,
      bw = (W - left - 8) / BINS;
    ctx.fillStyle = INK;
    bins.forEach((c, k) => {
      const h = (c / max) * (rowH - 16);
      ctx.fillRect(left + k * bw, top + rowH - 12 - h, bw - 1, h);
    });
    ctx.fillStyle = INK;
    ctx.fillText(`${s.name} ${s.act ?? ''}`, 4, top + rowH / 2);
    ctx.fillText(fmt(lo), left, top + rowH - 2);
    const hiText = fmt(hi);
    ctx.fillText(hiText, W - 8 - ctx.measureText(hiText).width, top + rowH - 2);
  });
}
