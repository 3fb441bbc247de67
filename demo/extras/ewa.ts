// Exponentially weighted averages, the idea under momentum, RMSprop and Adam:
// v_t = β·v_{t−1} + (1 − β)·θ_t from v_0 = 0, and v_t / (1 − β^t) with bias correction. Shown on a
// year of noisy daily temperatures (seeded), as the course shows them.
import { MersenneTwister } from 'dl-fundamentals';
import { FONT, sized } from '../draw.ts';
import { INK, LAYER_COLORS } from '../palette.ts';

export interface Ewa {
  days: number[];
  /** β → the averages without and with bias correction */
  runs: { beta: number; plain: number[]; corrected: number[] }[];
  text: string;
}

/** The series and the averages for each β (pure: the unit tests run it). */
export function computeEwa(betas = [0.9, 0.98], n = 200, seed = 1): Ewa {
  const rng = new MersenneTwister(seed);
  const days = Array.from(
    { length: n },
    (_, t) => 12 + 8 * Math.sin((2 * Math.PI * (t - 40)) / 365) + 6 * (rng.random() - 0.5),
  );
  const runs = betas.map((beta) => {
    let v = 0;
    const plain: number[] = [],
      corrected: number[] = [];
    days.forEach((theta, i) => {
      v = beta * v + (1 - beta) * theta;
      plain.push(v);
      corrected.push(v / (1 - beta ** (i + 1)));
    });
    return { beta, plain, corrected };
  });
  const b = runs.at(-1)!;
  const f = (v: number) => v.toFixed(1);
  const text = `Day 1 is ${f(days[0])}°: with β = ${b.beta} the average starts at <strong>${f(b.plain[0])}°</strong> (only ${(100 * (1 - b.beta)).toFixed(0)}% of it, since v₀ = 0) and is still <strong>${f(b.plain[9])}°</strong> on day 10, where the corrected average is <strong>${f(b.corrected[9])}°</strong>. β = ${runs[0].beta} averages about ${Math.round(1 / (1 - runs[0].beta))} days and follows quickly; β = ${b.beta} about ${Math.round(1 / (1 - b.beta))}, smoother and later.`;
  return { days, runs, text };
}

export function drawEwa(canvas: HTMLCanvasElement, e: Ewa): void {
  const { ctx, W, H } = sized(canvas);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const lo = Math.min(0, ...e.days),
    hi = Math.max(...e.days) + 2;
  const L = 30,
    B = 18;
  const sx = (t: number) => L + (t / (e.days.length - 1)) * (W - L - 6);
  const sy = (v: number) => 6 + (1 - (v - lo) / (hi - lo)) * (H - 6 - B);
  ctx.fillStyle = '#999';
  e.days.forEach((v, t) => ctx.fillRect(sx(t) - 1, sy(v) - 1, 2, 2));
  const line = (ys: number[], color: string, dash: number[]) => {
    ctx.strokeStyle = color;
    ctx.setLineDash(dash);
    ctx.lineWidth = 1.8;
    ctx.beginPath();
    ys.forEach((v, t) => (t ? ctx.lineTo(sx(t), sy(v)) : ctx.moveTo(sx(t), sy(v))));
    ctx.stroke();
  };
  e.runs.forEach((r, i) => {
    line(r.corrected, LAYER_COLORS[2 * i], []);
    line(r.plain, LAYER_COLORS[2 * i], [4, 3]);
  });
  ctx.setLineDash([]);
  ctx.fillStyle = INK;
  ctx.font = FONT;
  for (const v of [0, 10, 20]) if (v <= hi) ctx.fillText(String(v), 4, sy(v) + 4);
  ctx.fillText('day', W - 26, H - 4);
  e.runs.forEach((r, i) => {
    ctx.fillStyle = LAYER_COLORS[2 * i];
    ctx.fillText(`β ${r.beta}: corrected solid, plain dashed`, L + 6, 18 + 14 * i);
  });
}
