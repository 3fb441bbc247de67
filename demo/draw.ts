// Canvas drawing: the decision boundary with the points, and loss curves.
import type { Matrix } from 'dl-fundamentals';
import type { datasets } from 'dl-fundamentals';

export type Curve = [number, number][];

const CLASS_RGB = [[31, 111, 178], [217, 130, 43], [60, 160, 80]];
const GRID = 64;

/** Paints p(class) over the data's bounding box, then the train (filled) and test (ringed) points. */
export function drawBoundary(canvas: HTMLCanvasElement, predict: (g: Matrix) => Matrix,
  train: datasets.Dataset, test: datasets.Dataset, classes: number): void {
  const ctx = canvas.getContext('2d')!;
  const { width: W, height: H } = canvas;
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const d of [train, test]) for (let i = 0; i < d.x.rows; i++) {
    x0 = Math.min(x0, d.x.data[2 * i]); x1 = Math.max(x1, d.x.data[2 * i]);
    y0 = Math.min(y0, d.x.data[2 * i + 1]); y1 = Math.max(y1, d.x.data[2 * i + 1]);
  }
  const mx = (x1 - x0) * 0.1 || 1, my = (y1 - y0) * 0.1 || 1;
  x0 -= mx; x1 += mx; y0 -= my; y1 += my;
  const grid = new Float64Array(GRID * GRID * 2);
  for (let j = 0; j < GRID; j++) for (let i = 0; i < GRID; i++) {
    grid[2 * (j * GRID + i)] = x0 + ((i + 0.5) / GRID) * (x1 - x0);
    grid[2 * (j * GRID + i) + 1] = y1 - ((j + 0.5) / GRID) * (y1 - y0);
  }
  const p = predict({ rows: GRID * GRID, cols: 2, data: grid });
  const img = ctx.createImageData(GRID, GRID);
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
  const off = new OffscreenCanvas(GRID, GRID);
  off.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, 0, 0, W, H);
  const px = (x: number) => ((x - x0) / (x1 - x0)) * W, py = (y: number) => ((y1 - y) / (y1 - y0)) * H;
  for (const [d, filled] of [[train, true], [test, false]] as const) {
    for (let i = 0; i < d.x.rows; i++) {
      const c = CLASS_RGB[d.y.data[i] % 3];
      ctx.beginPath();
      ctx.arc(px(d.x.data[2 * i]), py(d.x.data[2 * i + 1]), filled ? 3 : 3.5, 0, 2 * Math.PI);
      if (filled) { ctx.fillStyle = `rgb(${c})`; ctx.fill(); } else { ctx.strokeStyle = `rgb(${c})`; ctx.lineWidth = 1.5; ctx.stroke(); }
    }
  }
}

/** Loss curves on a log-scaled y axis. */
export function drawCurves(canvas: HTMLCanvasElement, curves: Curve[], colors: string[]): void {
  const ctx = canvas.getContext('2d')!;
  const { width: W, height: H } = canvas;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const pts = curves.flat().filter(([, v]) => Number.isFinite(v) && v > 0);
  if (pts.length === 0) return;
  const xmax = Math.max(...pts.map(([e]) => e));
  const lo = Math.log10(Math.min(...pts.map(([, v]) => v))), hi = Math.log10(Math.max(...pts.map(([, v]) => v)));
  const pad = 24;
  const sx = (e: number) => pad + (e / Math.max(xmax, 1)) * (W - pad - 6);
  const sy = (v: number) => 6 + (1 - (Math.log10(v) - lo) / Math.max(hi - lo, 1e-9)) * (H - pad - 6);
  ctx.strokeStyle = '#999';
  ctx.strokeRect(pad, 6, W - pad - 6, H - pad - 6);
  ctx.fillStyle = '#555';
  ctx.font = '10px sans-serif';
  ctx.fillText(10 ** hi >= 100 ? (10 ** hi).toFixed(0) : (10 ** hi).toPrecision(2), 2, 14);
  ctx.fillText((10 ** lo).toPrecision(2), 2, H - pad);
  ctx.fillText(`epoch ${xmax}`, W - 70, H - 8);
  curves.forEach((c, i) => {
    ctx.strokeStyle = colors[i];
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    c.filter(([, v]) => Number.isFinite(v) && v > 0).forEach(([e, v], k) => (k ? ctx.lineTo(sx(e), sy(v)) : ctx.moveTo(sx(e), sy(v))));
    ctx.stroke();
  });
}
