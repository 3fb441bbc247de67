// The lessons: choosing one sets the form (and the URL), shows its words beside the figures, and
// when the run ends trains its contrasts (same data, same seed) as thumbnails and states the
// measured figure. The page state lives in the URL, read once on load with the form's own checks.
import type * as dl from 'dl-fundamentals';
import { $, backendFor } from '../common.ts';
import { DEFAULTS, FIELDS, type Raw, fromQuery, parseConfig, toQuery } from '../config.ts';
import { drawBoundary } from '../draw.ts';
import { FormError, rawFromForm, showFieldErrors, writeForm } from '../form.ts';
import { LESSONS, type Lesson, type Measured, lessonById } from '../lessons/index.ts';
import { computeContours, drawContours } from '../extras/contours.ts';
import { computeEwa, drawEwa } from '../extras/ewa.ts';
import { computeSearch, drawSearch } from '../extras/search.ts';
import { type MeasuredRun, measureRun } from '../measure.ts';
import { checkNow } from './gradcheck.ts';
import { hooks, setup, settingsChanged, showError } from './train.ts';

let lesson: Lesson | null = null;
/** bumped on every lesson change or reset: contrasts of an older run stop drawing */
let generation = 0;

const baseOf = (l: Lesson | null): Raw => ({ ...DEFAULTS, ...(l?.settings ?? {}) });

/** The URL says the page state: the lesson and every field that differs from it. */
export function syncUrl(): void {
  const q = toQuery(rawFromForm(), lesson?.id ?? null, baseOf(lesson));
  history.replaceState(null, '', `${location.pathname}${q ? `?${q}` : ''}`);
  const changed = lesson !== null && FIELDS.some((f) => rawFromForm()[f].trim() !== baseOf(lesson)[f]);
  $('lesson-changed').hidden = !changed;
}

function showLesson(l: Lesson | null): void {
  lesson = l;
  $<HTMLSelectElement>('lesson').value = l?.id ?? '';
  const box = $('lesson-box');
  box.hidden = !l;
  if (!l) return;
  $('lesson-title').textContent = l.title;
  $('lesson-words').innerHTML = l.words;
  clearFigure();
}

function clearFigure(): void {
  const mine = ++generation;
  redrawExtra = null;
  const fig = $('lesson-figure');
  fig.textContent = lesson?.figure ? 'Start the run: the figure is measured from it' : '';
  delete fig.dataset.done;
  delete fig.dataset.runs;
  $('contrasts').replaceChildren();
  const canvas = $<HTMLCanvasElement>('lesson-extra');
  const own = lesson?.extra && lesson.extra !== 'gradcheck';
  canvas.hidden = !own;
  if (own) void showExtra(lesson!.extra!, canvas, mine);
  else if (lesson?.extra) fig.textContent = 'Start the run: the trained network is checked when it ends';
}

/** measures a lesson's own figure; `draw` draws it on its canvas (again at a new width) */
type Extra = (
  canvas: HTMLCanvasElement,
  backend: dl.Backend,
) => Promise<{ text: string; alt: string; draw: () => void }>;
/** the lesson's own figure drawn again (a new width), without measuring it again */
let redrawExtra: (() => void) | null = null;
const EXTRAS: Record<NonNullable<Lesson['extra']>, Extra> = {
  ewa: async (canvas) => {
    const e = computeEwa();
    return {
      draw: () => drawEwa(canvas, e),
      text: e.text,
      alt: 'daily temperatures and their exponentially weighted averages, plain and corrected',
    };
  },
  contours: async (canvas, backend) => {
    const c = await computeContours(backend);
    return {
      draw: () => drawContours(canvas, c),
      text: c.text,
      alt: 'cost contours over two weights, raw and standardized, with the gradient descent paths',
    };
  },
  // of the trained network: run when the run ends (onDone), with no canvas of its own
  gradcheck: async () => {
    const ok = await checkNow(false),
      bad = await checkNow(true);
    const w = bad.r.worst[0];
    return {
      draw: () => {},
      alt: '',
      text: `The network at epoch ${ok.epoch}: difference <strong>${ok.r.difference.toExponential(1)}</strong> against the threshold ${ok.r.threshold}, <strong>${ok.r.passed ? 'passed' : 'FAILED'}</strong> (${ok.r.checked} entries${ok.r.kinks.count ? `, ${ok.r.kinks.count} left out at kinks` : ''}). With dense2's ∂W doubled: <strong>${bad.r.difference.toExponential(1)}</strong>, <strong>${bad.r.passed ? 'passed' : 'FAILED'}</strong>; the worst entry is <strong>${w ? `${w.layer}.${w.param}[${w.index}]` : '–'}</strong>${w ? ` (backprop ${w.analytic.toExponential(3)}, numeric ${w.numeric.toExponential(3)})` : ''}.`,
    };
  },
  search: async (canvas, backend) => {
    const s = await computeSearch(backend);
    return {
      draw: () => drawSearch(canvas, s),
      text: s.text,
      alt: "each trial's held-out accuracy against its learning rate, on a log scale",
    };
  },
};

/** A lesson's own figure: computed (by the library) and drawn, with its measured sentence. */
async function showExtra(kind: NonNullable<Lesson['extra']>, canvas: HTMLCanvasElement, mine: number): Promise<void> {
  const fig = $('lesson-figure');
  fig.textContent = 'Measuring…';
  try {
    const backend = await backendFor('wasm', 'float64');
    const { text, alt, draw } = await EXTRAS[kind](canvas, backend);
    draw();
    if (generation !== mine) return;
    redrawExtra = draw;
    if (alt) canvas.setAttribute('aria-label', alt);
    fig.innerHTML = text;
    fig.dataset.done = 'true';
  } catch (e) {
    fig.textContent = `The figure failed: ${(e as Error).message}`;
  }
}

/** A run reached its end: the contrasts, then the figure. */
async function onDone(m: MeasuredRun): Promise<void> {
  const l = lesson;
  if (l?.extra === 'gradcheck') {
    await showExtra('gradcheck', $<HTMLCanvasElement>('lesson-extra'), ++generation);
    return;
  }
  if (!l?.figure) return;
  const mine = ++generation;
  const runs: Measured[] = [{ ...m, label: l.label }];
  const fig = $('lesson-figure');
  const out = $('contrasts');
  out.replaceChildren();
  try {
    for (const c of l.contrasts ?? []) {
      const form = rawFromForm();
      const { config } = parseConfig({ ...DEFAULTS, ...c.settings, backend: form.backend, dtype: form.dtype });
      if (!config) throw new Error(`the lesson's contrast '${c.label}' has invalid settings`);
      const card = document.createElement('figure');
      card.className = 'contrast';
      card.innerHTML = `<canvas width="160" height="160" role="img" aria-label="${c.label}: decision boundary, training"></canvas><figcaption><strong>${c.label}</strong>: training…</figcaption>`;
      out.append(card);
      fig.textContent = `Training ${c.label} beside it…`;
      const canvas = card.querySelector('canvas')!;
      const backend = await backendFor(config.backend, config.dtype);
      const r = await measureRun(config, backend, c.label, {
        stop: () => generation !== mine,
        onProgress: (model, data) => drawBoundary(canvas, (g) => model.predict(g), data.train, data.test, data.classes),
      });
      if (generation !== mine) return;
      runs.push(r);
      const acc = `train ${(100 * r.train).toFixed(1)}%, test ${(100 * r.test).toFixed(1)}%`;
      card.querySelector('figcaption')!.innerHTML = `<strong>${c.label}</strong>: ${acc}`;
      canvas.setAttribute('aria-label', `${c.label}: decision boundary after ${config.epochs} epochs, ${acc}`);
      card.dataset.train = String(r.train);
      card.dataset.test = String(r.test);
    }
    fig.innerHTML = l.figure(runs);
    fig.dataset.runs = JSON.stringify(
      runs.map((r) => ({ label: r.label, train: r.train, test: r.test, loss: r.losses.train })),
    );
    fig.dataset.done = 'true';
  } catch (e) {
    fig.textContent = `The contrast failed: ${(e as Error).message}`;
  }
}

/** Reads the URL's page state into the form: the same checks and errors as the form's own. */
export async function fromUrl(): Promise<void> {
  const q = fromQuery(location.search);
  const problems: string[] = [];
  if (q.unknown.length)
    problems.push(`unknown setting${q.unknown.length > 1 ? 's' : ''} ${q.unknown.map((k) => `'${k}'`).join(', ')}`);
  const l = q.lesson === null ? null : (lessonById(q.lesson) ?? null);
  if (q.lesson !== null && !l)
    problems.push(`no lesson '${q.lesson}' (there are ${LESSONS.map((x) => x.id).join(', ')})`);
  showLesson(l);
  const raw = { ...baseOf(l), ...q.fields };
  writeForm(raw);
  const { errors } = parseConfig(raw);
  showFieldErrors(errors);
  const all = [...problems, ...Object.values(errors)];
  if (all.length) {
    showError(new FormError(`This link's settings: ${all.join('; ')}. Nothing was built; fix them here.`));
    return;
  }
  syncUrl();
  await setup();
}

/** Wires the lesson chooser and the run's hook. */
export function initLessons(): void {
  const sel = $<HTMLSelectElement>('lesson');
  for (const [i, l] of LESSONS.entries()) sel.add(new Option(`${i + 1}. ${l.title}`, l.id));
  sel.addEventListener('change', () => {
    const l = lessonById(sel.value) ?? null;
    showLesson(l);
    writeForm(baseOf(l));
    showFieldErrors({});
    syncUrl();
    void settingsChanged();
  });
  hooks.done = (m) => void onDone(m);
  hooks.reset = clearFigure;
  hooks.resize = () => redrawExtra?.();
}
