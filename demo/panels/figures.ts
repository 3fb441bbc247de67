// The training panel's figures: the boundary and the loss curves (every redraw), the network, the
// histograms, the gradient norms and the layers' table (a few times a second), each canvas with a
// text alternative that states what it shows now.
import type * as dl from 'dl-fundamentals';
import { $, pct } from '../common.ts';
import { boxOf, drawBoundary, drawCurves, drawLogLines } from '../draw.ts';
import { LOOK, inspectOf } from '../measure.ts';
import { fmt } from '../format.ts';
import { drawHistograms, drawNetwork } from '../network.ts';
import { LAYER_COLORS, TEST_COLOR, TRAIN_COLOR } from '../palette.ts';
import type { Run } from './train.ts';

/** The boundary and the curves; the layers' figures at most every 250 ms (or now, if forced). */
export function drawRun(r: Run, force = false, curvesOnly = false): void {
  const { model, data } = r;
  const curves = $<HTMLCanvasElement>('curves'),
    epochs = r.config.epochs;
  const log = $<HTMLInputElement>('log-loss').checked;
  if (log) drawLogLines(curves, [r.train, r.test], [TRAIN_COLOR, TEST_COLOR], 'loss', epochs);
  else drawCurves(curves, [r.train, r.test], [TRAIN_COLOR, TEST_COLOR], 'loss', epochs);
  const last = r.train.at(-1),
    lastTest = r.test.at(-1);
  curves.setAttribute(
    'aria-label',
    `Loss by epoch${log ? ' (log scale)' : ''}, epochs 0 to ${epochs}: at epoch ${last?.[0] ?? 0}, train ${fmt(last?.[1] ?? NaN)}, test ${fmt(lastTest?.[1] ?? NaN)}`,
  );
  if (curvesOnly) return;
  const boundary = $<HTMLCanvasElement>('boundary');
  drawBoundary(boundary, (g) => model.predict(g), data.train, data.test, data.classes);
  const t = performance.now();
  if (force) {
    r.looked = t;
    lookInside(r);
  } else if (t - r.looked >= 250) {
    r.looked = t;
    setTimeout(() => lookInside(r)); // it returns at once if the run has gone
  }
}

/** the network drawn, and dl.inspect's figures: the table, the gradient norms by epoch, the histograms */
export function lookInside(r: Run): void {
  const { model, data, config } = r;
  if (r.gone) return;
  drawNetwork($<HTMLCanvasElement>('network'), model, boxOf(data.train, data.test));
  const n = Math.min(LOOK, data.train.x.rows);
  drawHistograms($<HTMLCanvasElement>('histograms'), model, data.train.x.data.subarray(0, 2 * n), n);
  const s = inspectOf(model, data, config);
  $('network').setAttribute(
    'aria-label',
    `The network at epoch ${r.epoch}, 2 inputs, ${s.layers.map((l) => `${l.name} ${l.units} units (${l.distinctUnits} distinct, ‖W‖ ${fmt(l.weightNorm)})`).join(', ')}: each unit's output over the input plane, weights as lines`,
  );
  $('histograms').setAttribute(
    'aria-label',
    `Histograms of each hidden layer's outputs: ${s.layers
      .slice(0, -1)
      .map(
        (l) =>
          `${l.name} ${l.activation?.name ?? ''} mean ${fmt(l.activation?.mean ?? NaN)}, std ${fmt(l.activation?.std ?? NaN)}${l.activation?.saturated != null ? `, ${pct(l.activation.saturated)} saturated` : ''}${l.activation?.dead != null ? `, ${pct(l.activation.dead)} dead` : ''}`,
      )
      .join('; ')}`,
  );
  drawLogLines($<HTMLCanvasElement>('grad-norms'), r.grads, LAYER_COLORS, '‖∂cost/∂W‖', config.epochs);
  $('grad-norms').setAttribute(
    'aria-label',
    `Gradient norm of each layer by epoch, log scale; now ${s.layers.map((l) => `${l.name} ${fmt(l.gradientNorm)}`).join(', ')}`,
  );
  $('grad-legend').innerHTML =
    `Gradient norm by layer: ${s.layers.map((l, i) => `<span class="swatch" style="background:${LAYER_COLORS[i % LAYER_COLORS.length]}"></span>${l.name}`).join(' ')}`;
  const cell = (v: number | null) => (v === null ? '–' : fmt(v));
  $('layer-stats').querySelector('tbody')!.innerHTML = s.layers
    .map(
      (l) => `<tr data-layer="${l.name}" data-gradient-norm="${l.gradientNorm}" data-distinct="${l.distinctUnits}">
    <td>${l.name}</td><td>${l.units}</td><td>${l.distinctUnits}</td><td>${fmt(l.weightNorm)}</td><td>${fmt(l.gradientNorm)}</td>
    <td>${l.activation?.name ?? '–'}</td><td>${cell(l.activation?.mean ?? null)}</td><td>${cell(l.activation?.std ?? null)}</td>
    <td>${l.activation?.saturated == null ? '–' : pct(l.activation.saturated)}</td><td>${l.activation?.dead == null ? '–' : pct(l.activation.dead)}</td></tr>`,
    )
    .join('');
}

/** The threads the backend's ops run on now, of those it may use, and why fewer (backend.stats()). */
export function showThreads(be: dl.Backend): void {
  const s = be.stats(),
    el = $('threads-in-use');
  el.textContent = `${s.threadsInUse} of ${s.threads}`;
  el.dataset.stats = JSON.stringify(s);
  el.title = s.why ?? (s.threads > 1 ? 'every thread is in use' : (be.threadsReason ?? 'one thread was asked for'));
}

/** Under the pointer: the model's probabilities at that point of the boundary plot. */
export function probeAt(r: Run, ev: MouseEvent): string {
  const c = ev.currentTarget as HTMLCanvasElement;
  const rect = c.getBoundingClientRect();
  const [x0, x1, y0, y1] = boxOf(r.data.train, r.data.test);
  const x = x0 + ((ev.clientX - rect.left) / rect.width) * (x1 - x0),
    y = y1 - ((ev.clientY - rect.top) / rect.height) * (y1 - y0);
  const p = r.model.predict({ rows: 1, cols: 2, data: new Float64Array([x, y]) }).data;
  const probs = r.data.classes === 2 ? [1 - p[0], p[0]] : Array.from(p);
  const out = r.data.classes === 2 ? 'sigmoid' : 'softmax';
  return `At (${x.toFixed(2)}, ${y.toFixed(2)}), ${out}: ${probs.map((v, k) => `P(class ${k}) = ${v.toFixed(3)}`).join(', ')}`;
}
