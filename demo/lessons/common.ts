// What a lesson is, and the small helpers its sentences share. No DOM here: the unit tests train
// each lesson in Node and check its claim.
import type { LayerStats } from 'dl-fundamentals';
import type { Raw } from '../config.ts';
import type { Curve } from '../draw.ts';
import { pct } from '../format.ts';

/** What a finished run measured: the figures a lesson's sentence cites. */
export interface Measured {
  label: string;
  train: number;
  test: number;
  losses: { train: number; test: number };
  curves: { train: Curve; test: Curve };
  /** dl.inspect's dense layers at epoch 0 and now */
  first: LayerStats[];
  layers: LayerStats[];
}

export interface Lesson {
  id: string;
  title: string;
  /** what the run itself is called in the figure */
  label: string;
  settings: Partial<Raw>;
  /** runs beside it (same data, same seed: the same first weights where the shapes agree) */
  contrasts?: { label: string; settings: Partial<Raw> }[];
  /** 2–4 sentences of mechanism (HTML) */
  words: string;
  /** the measured sentence (HTML): the run first, then the contrasts in order */
  figure?: (runs: Measured[]) => string;
  /** a figure of its own beside the run's (demo/extras): its sentence is measured when it is drawn */
  extra?: 'ewa' | 'contours' | 'search' | 'gradcheck';
}

export { pct };
export const sci = (v: number) =>
  v === 0 ? '0' : Math.abs(v) >= 1e3 || Math.abs(v) < 1e-2 ? v.toExponential(1) : v.toPrecision(2);
export const hiddenOf = (m: Measured) => m.layers.slice(0, -1);
export const accs = (m: Measured) => `${m.label}: train ${pct(m.train)}, test <strong>${pct(m.test)}</strong>`;
/** ‖W‖ over every dense layer */
export const wNorm = (ls: LayerStats[]) => Math.sqrt(ls.reduce((s, l) => s + l.weightNorm ** 2, 0));
export const stds = (ls: LayerStats[]) =>
  ls
    .slice(0, -1)
    .map((l) => l.activation?.std ?? 0)
    .map(sci);

export const DEEP = '16, 16, 16, 16, 16, 16, 16, 16, 16, 16';
export const OVERFIT: Partial<Raw> = {
  dataset: 'moons',
  noise: '0.25',
  samples: '200',
  hidden: '64, 64',
  epochs: '2000',
};

/** the mean |change| between successive recorded points over the last 100 epochs of a curve */
export function jitter(c: Curve): number {
  const last = c.at(-1)?.[0] ?? 0;
  const tail = c.filter(([e]) => e >= last - 100).map(([, v]) => v);
  let s = 0;
  for (let i = 1; i < tail.length; i++) s += Math.abs(tail[i] - tail[i - 1]);
  return tail.length > 1 ? s / (tail.length - 1) : 0;
}
