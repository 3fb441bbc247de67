// Random search on a log scale: learning rates for SGD on the page's default network drawn by
// dl.randomSearch from logUniform(1e-3, 10), as many per decade as the range has decades, each trial
// trained briefly and scored on held-out points. A uniform draw on the same range would put 90%
// of its draws in the top decade, where SGD jumps about or diverges.
import * as dl from 'dl-fundamentals';
import { DEFAULTS, parseConfig } from '../config.ts';
import { lossOf, makeData, makeModel } from '../common.ts';
import { FONT, sized } from '../draw.ts';
import { pct } from '../format.ts';
import { INK, LAYER_COLORS } from '../palette.ts';

export interface Search {
  trials: { lr: number; score: number }[];
  best: { lr: number; score: number } | null;
  perDecade: number[];
  text: string;
}

export const LOW = 1e-3,
  HIGH = 10,
  TRIALS = 16,
  EPOCHS = 300;

export async function computeSearch(backend: dl.Backend, seed = 1): Promise<Search> {
  const config = parseConfig({ ...DEFAULTS }).config!;
  const data = makeData(config);
  const result = await dl.randomSearch({
    space: { lr: dl.logUniform(LOW, HIGH) },
    trials: TRIALS,
    seed,
    build: () => makeModel(config, backend, data.classes),
    fit: (s) => ({
      loss: lossOf(data.classes),
      optimizer: dl.sgd({ learningRate: s.lr as number }),
      epochs: EPOCHS,
      validationData: { x: data.test.x, y: data.test.y },
    }),
    x: data.train.x,
    y: data.train.y,
    metric: 'valAccuracy',
  });
  const trials = result.trials.map((t) => ({ lr: t.settings.lr as number, score: t.score }));
  const perDecade = [0, 0, 0, 0];
  for (const t of trials) perDecade[Math.min(3, Math.floor(Math.log10(t.lr / LOW)))]++;
  const best = result.best ? { lr: result.best.settings.lr as number, score: result.best.score } : null;
  const failed = trials.filter((t) => !Number.isFinite(t.score)).length;
  const text = `${TRIALS} learning rates from logUniform(0.001, 10), ${EPOCHS} epochs of SGD each: per decade (from 0.001, 0.01, 0.1, 1) <strong>${perDecade.join(', ')}</strong>${failed ? `, ${failed} diverged` : ''}; the best, <strong>${best ? best.lr.toPrecision(2) : '–'}</strong>, scored ${best ? pct(best.score) : '–'} on held-out points. Uniform on [0.001, 10] would put 90% of the draws in [1, 10] and 0.09% in the bottom decade.`;
  return { trials, best, perDecade, text };
}

/** held-out accuracy against the learning rate, on a log axis */
export function drawSearch(canvas: HTMLCanvasElement, s: Search): void {
  const { ctx, W, H } = sized(canvas);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  ctx.font = FONT;
  const L = 34,
    B = 32,
    T = 8,
    R = 8;
  const sx = (lr: number) => L + (Math.log10(lr / LOW) / Math.log10(HIGH / LOW)) * (W - L - R);
  const sy = (a: number) => T + (1 - a) * (H - T - B);
  ctx.strokeStyle = '#888';
  ctx.strokeRect(L, T, W - L - R, H - T - B);
  ctx.fillStyle = INK;
  for (let d = -3; d <= 1; d++) {
    const t = `1e${d}`,
      w = ctx.measureText(t).width;
    ctx.fillText(t, Math.min(W - w, sx(10 ** d) - w / 2), H - B + 13);
  }
  const title = 'learning rate (log scale)';
  ctx.fillText(title, W - R - ctx.measureText(title).width, H - 2);
  for (const a of [0.5, 1]) ctx.fillText(`${a * 100}%`, 2, sy(a) + 4);
  ctx.fillStyle = LAYER_COLORS[0];
  for (const t of s.trials) {
    if (!Number.isFinite(t.score)) continue;
    ctx.beginPath();
    ctx.arc(sx(t.lr), sy(t.score), 4, 0, 2 * Math.PI);
    ctx.fill();
  }
}
