// Timing: warm up, then alternate the things compared round by round and report medians of
// per-round ratios, so a slow stretch of this shared machine hits both sides alike. No Node
// imports: the browser bench runs it in a page.

export interface Timed {
  name: string;
  run: () => unknown;
  /** called before and after each timed stretch of this contender (bench/twin.ts: a job beside it) */
  start?: () => void;
  stop?: () => void;
  /** this contender's least time a round, in place of compare()'s */
  minMs?: number;
}

/** Seconds per call: calls repeated until at least minMs have passed (promises awaited). */
export async function time(run: () => unknown, minMs: number): Promise<number> {
  let reps = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    const r = run();
    if (r instanceof Promise) await r;
    reps++;
    t = performance.now();
  } while (t - t0 < minMs);
  return (t - t0) / 1000 / reps;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Times each contender `rounds` times, alternating; returns each one's median seconds per call
 * and each one's median ratio to the first (baseline time / its time: > 1 means faster), and
 * the ratios and seconds of every round.
 */
export async function compare(
  contenders: Timed[],
  rounds: number,
  minMs: number,
  slowMs = minMs,
): Promise<{ name: string; seconds: number; speedup: number; ratios: number[]; perRound: number[] }[]> {
  // warm-up, as long as a round: compile and tier up (V8 optimizes a hot wasm function only
  // after a while), touch memory
  const least = (i: number) => contenders[i].minMs ?? (i === 0 ? minMs : slowMs);
  for (let i = 0; i < contenders.length; i++) await time(contenders[i].run, least(i));
  const secs: number[][] = contenders.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[i];
      c.start?.();
      secs[i].push(await time(c.run, least(i)));
      c.stop?.();
    }
  }
  return contenders.map((c, i) => {
    const ratios = secs[i].map((s, r) => secs[0][r] / s);
    return { name: c.name, seconds: median(secs[i]), speedup: median(ratios), ratios, perRound: secs[i] };
  });
}
