// Canvas drawing: the decision boundary with the points, curves on labelled axes, log-scale lines.
// Every canvas is drawn at the size it is shown (sized()), so its text is 11 CSS px on a phone too.
import type { Matrix } from 'dl-fundamentals';
import type { datasets } from 'dl-fundamentals';
import { fmt } from './format.ts';
import { CLASS_RGB, INK, TEST_COLOR } from './palette.ts';

export type Curve = [number, number][];

const GRID = 64;

/**
 * Calls `redraw` once the window's width has settled after a change (100 ms without another):
 * a canvas drawn at the old size would show its text too small or too large.
 */
export function onResized(redraw: () => void): void {
  let pending: ReturnType<typeof setTimeout> | 0 = 0;
  window.addEventListener('resize', () => {
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => {
      pending = 0;
      redraw();
    }, 100);
  });
}
/** canvas text, in CSS px */
export const FONT = '11px sans-serif';

/**
 * Sizes a canvas's drawing buffer to the room it has (at most its width attribute, keeping its
 * aspect) at the device's pixel ratio, and returns its context scaled to CSS px with that size.
 */
export function sized(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; W: number; H: number } {
  canvas.dataset.w ??= String(canvas.width);
  canvas.dataset.h ??= String(canvas.height);
  const w0 = Number(canvas.dataset.w),
    h0 = Number(canvas.dataset.h);
  // the room: the block it sits in (a figure takes its width from the canvas, so not that one)
  const box = canvas.parentElement;
  const room =
    box && box.tagName !== 'FIGURE' && box.tagName !== 'SECTION'
      ? box.clientWidth
      : (canvas.closest('section')?.clientWidth ?? w0 + 34) - 34;
  const W = Math.max(120, Math.min(w0, room)),
    H = Math.round((W * h0) / w0);
  const dpr = globalThis.devicePixelRatio || 1;
  if (canvas.width !== Math.round(W * dpr) || canvas.height !== Math.round(H * dpr)) {
    canvas.width = Math.round(W * dpr);
    canvas.height = Math.round(H * dpr);
    canvas.style.width = `${W}px`;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, W, H };
}

// made once and reused: a boundary is drawn many times a second while training
let boundaryImage: ImageData | null = null;
let boundaryCanvas: OffscreenCanvas | null = null;

/** The data's bounding box with a margin: [x0, x1, y0, y1]. */
export function boxOf(train: datasets.Dataset, test: datasets.Dataset): [number, number, number, number] {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const d of [train, test])
    for (let i = 0; i < d.x.rows; i++) {
      x0 = Math.min(x0, d.x.data[2 * i]);
      x1 = Math.max(x1, d.x.data[2 * i]);
      y0 = Math.min(y0, d.x.data[2 * i + 1]);
      y1 = Math.max(y1, d.x.data[2 * i + 1]);
    }
  const mx = (x1 - x0) * 0.1 || 1,
    my = (y1 - y0) * 0.1 || 1;
  return [x0 - mx, x1 + mx, y0 - my, y1 + my];
}

/** Paints p(class) over the data's bounding box, then the train (filled) and test (ringed) points. */
export function drawBoundary(
  canvas: HTMLCanvasElement,
  predict: (g: Matrix) => Matrix,
  train: datasets.Dataset,
  test: datasets.Dataset,
  classes: number,
): void {
  const { ctx, W, H } = sized(canvas);
  const [x0, x1, y0, y1] = boxOf(train, test);
  const grid = new Float64Array(GRID * GRID * 2);
  for (let j = 0; j < GRID; j++)
    for (let i = 0; i < GRID; i++) {
      grid[2 * (j * GRID + i)] = x0 + ((i + 0.5) / GRID) * (x1 - x0);
      grid[2 * (j * GRID + i) + 1] = y1 - ((j + 0.5) / GRID) * (y1 - y0);
    }
  const p = predict({ rows: GRID * GRID, cols: 2, data: grid });
  const img = (boundaryImage ??= new ImageData(GRID, GRID));
  for (let k = 0; k < GRID * GRID; k++) {
    let rgb: number[], conf: number;
    if (classes === 2) {
      const v = p.data[k];
      rgb = CLASS_RGB[v > 0.5 ? 1 : 0];
      conf = Math.abs(v - 0.5) * 2;
    } else {
      let c = 0;
      for (let q = 1; q < p.cols; q++) if (p.data[k * p.cols + q] > p.data[k * p.cols + c]) c = q;
      rgb = CLASS_RGB[c % 3];
      conf = (p.data[k * p.cols + c] - 1 / p.cols) / (1 - 1 / p.cols);
    }
    const a = 0.15 + 0.45 * conf;
    img.data.set([255 - a * (255 - rgb[0]), 255 - a * (255 - rgb[1]), 255 - a * (255 - rgb[2]), 255], k * 4);
  }
  // scale the grid image up to the canvas
  const off = (boundaryCanvas ??= new OffscreenCanvas(GRID, GRID));
  off.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, 0, 0, W, H);
  const px = (x: number) => ((x - x0) / (x1 - x0)) * W,
    py = (y: number) => ((y1 - y) / (y1 - y0)) * H;
  for (const [d, filled] of [
    [train, true],
    [test, false],
  ] as const) {
    for (let i = 0; i < d.x.rows; i++) {
      const c = CLASS_RGB[d.y.data[i] % 3];
      ctx.beginPath();
      ctx.arc(px(d.x.data[2 * i]), py(d.x.data[2 * i + 1]), filled ? 3 : 3.5, 0, 2 * Math.PI);
      if (filled) {
        ctx.fillStyle = `rgb(${c})`;
        ctx.fill();
      } else {
        ctx.strokeStyle = `rgb(${c})`;
        ctx.lineWidth = 1.5;
        ctx.stroke();
      }
    }
  }
}

/**
 * Curves on axes that say what they are: y from 0 (a flat loss looks flat) to the largest value,
 * ticks labelled, the x axis in epochs.
 */
export function drawCurves(
  canvas: HTMLCanvasElement,
  curves: Curve[],
  colors: string[],
  yLabel = 'loss',
  /** the x axis's last epoch (plots of one run share it); the curves' last by default */
  epochs?: number,
): void {
  mark(canvas, curves, epochs);
  const { ctx, W, H } = sized(canvas);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const pts = curves.flat().filter(([, v]) => Number.isFinite(v));
  if (pts.length === 0) return;
  const xmax = epochs ?? Math.max(1, ...pts.map(([e]) => e));
  const ymax = Math.max(...pts.map(([, v]) => v)) || 1;
  // the left margin fits the widest tick label and the axis title: labels are never clipped
  ctx.font = FONT;
  const L = 22 + Math.max(...[0, ymax / 2, ymax].map((v) => ctx.measureText(fmt(v)).width)),
    B = 28,
    T = 8,
    R = 8;
  const sx = (e: number) => L + (e / xmax) * (W - L - R);
  const sy = (v: number) => T + (1 - v / ymax) * (H - T - B);
  axes(
    ctx,
    W,
    H,
    L,
    B,
    T,
    R,
    [0, ymax / 2, ymax].map((v) => [sy(v), fmt(v)]),
    epochTicks(xmax, sx),
    yLabel,
    'epoch',
  );
  curves.forEach((c, i) => {
    ctx.strokeStyle = colors[i];
    ctx.lineWidth = 1.5;
    ctx.setLineDash(colors[i] === TEST_COLOR ? [5, 3] : []);
    ctx.beginPath();
    c.filter(([, v]) => Number.isFinite(v)).forEach(([e, v], k) =>
      k ? ctx.lineTo(sx(e), sy(v)) : ctx.moveTo(sx(e), sy(v)),
    );
    ctx.stroke();
  });
}

/** Lines on a log-scaled y axis (gradient norms span decades), a decade per tick. */
export function drawLogLines(
  canvas: HTMLCanvasElement,
  lines: Curve[],
  colors: string[],
  yLabel: string,
  epochs?: number,
): void {
  mark(canvas, lines, epochs);
  const { ctx, W, H } = sized(canvas);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const pts = lines.flat().filter(([, v]) => Number.isFinite(v) && v > 0);
  if (pts.length === 0) {
    ctx.fillStyle = INK;
    ctx.font = FONT;
    ctx.fillText('all 0: nothing on a log scale', 8, H / 2);
    return;
  }
  const xmax = epochs ?? Math.max(1, ...pts.map(([e]) => e));
  let lo = Math.floor(Math.log10(Math.min(...pts.map(([, v]) => v)))),
    hi = Math.ceil(Math.log10(Math.max(...pts.map(([, v]) => v))));
  if (hi === lo) hi = lo + 1;
  const step = Math.max(1, Math.ceil((hi - lo) / 5));
  const decades: number[] = [];
  for (let d = lo; d <= hi; d += step) decades.push(d);
  ctx.font = FONT;
  const L = 22 + Math.max(...decades.map((d) => ctx.measureText(`1e${d}`).width)),
    B = 28,
    T = 8,
    R = 8;
  const sx = (e: number) => L + (e / xmax) * (W - L - R);
  const sy = (v: number) => T + (1 - (Math.log10(v) - lo) / (hi - lo)) * (H - T - B);
  const ticks: [number, string][] = decades.map((d) => [sy(10 ** d), `1e${d}`]);
  axes(ctx, W, H, L, B, T, R, ticks, epochTicks(xmax, sx), yLabel, 'epoch');
  lines.forEach((c, i) => {
    ctx.strokeStyle = colors[i % colors.length];
    ctx.lineWidth = 1.5;
    ctx.setLineDash(colors[i % colors.length] === TEST_COLOR ? [5, 3] : []);
    ctx.beginPath();
    c.filter(([, v]) => v > 0).forEach(([e, v], k) => (k ? ctx.lineTo(sx(e), sy(v)) : ctx.moveTo(sx(e), sy(v))));
    ctx.stroke();
    if (c.length === 1 && c[0][1] > 0) {
      ctx.fillStyle = colors[i % colors.length];
      ctx.fillRect(sx(c[0][0]) - 2, sy(c[0][1]) - 2, 4, 4);
    }
  });
}

/**
 * What a plot shows, on the canvas for tests and tools: the fewest points of its curves, the
 * first and last epochs of the first curve, and the x axis's last epoch.
 */
function mark(canvas: HTMLCanvasElement, curves: Curve[], epochs: number | undefined): void {
  canvas.dataset.points = String(curves.length ? Math.min(...curves.map((c) => c.length)) : 0);
  canvas.dataset.first = String(curves[0]?.[0]?.[0] ?? '');
  canvas.dataset.last = String(curves[0]?.at(-1)?.[0] ?? '');
  canvas.dataset.epochs = String(epochs ?? '');
}

/** 0, the middle and the end, whole epochs, each once */
function epochTicks(xmax: number, sx: (e: number) => number): [number, string][] {
  const at = [...new Set([0, Math.round(xmax / 2), Math.round(xmax)])];
  return at.map((e) => [sx(e), String(e)]);
}

function axes(
  ctx: CanvasRenderingContext2D,
  W: number,
  H: number,
  L: number,
  B: number,
  T: number,
  R: number,
  yTicks: [number, string][],
  xTicks: [number, string][],
  yLabel: string,
  xLabel: string,
): void {
  ctx.setLineDash([]);
  ctx.strokeStyle = '#888';
  ctx.lineWidth = 1;
  ctx.strokeRect(L, T, W - L - R, H - T - B);
  ctx.fillStyle = INK;
  ctx.font = FONT;
  for (const [y, t] of yTicks) {
    ctx.fillText(t, L - 4 - ctx.measureText(t).width, y + 3);
    ctx.beginPath();
    ctx.moveTo(L - 3, y);
    ctx.lineTo(L, y);
    ctx.stroke();
  }
  for (const [x, t] of xTicks) {
    const w = ctx.measureText(t).width;
    ctx.fillText(t, Math.min(Math.max(x - w / 2, L), W - R - w), H - B + 12);
  }
  ctx.fillText(xLabel, W - R - ctx.measureText(xLabel).width, H - 3);
  ctx.save();
  ctx.translate(11, T + (H - T - B) / 2 + ctx.measureText(yLabel).width / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(yLabel, 0, 0);
  ctx.restore();
}
