// A stretch of ops the governor measures at one level (a probe, or the control after it): their
// time and work by kind of op, less the one op that ran furthest over its mean. On an idle
// 2-core machine about one 2-thread op in 25 takes a scheduler tick (4 ms) more than its
// usual 0.75 ms, so half of 6 ms probes held one such op, and one was enough to make 2 threads
// lose to 1. Load shows as many slow ops, which leaving one out does not hide. A stretch of a
// few ops is of big ones (a probe measures at least 6 ms), where a tick is a small part: all count.

/** the fewest ops a stretch leaves its worst out of */
const TRIM_FROM = 5;

export class Stretch {
  /** by key: [ms, work] */
  private readonly keys = new Map<number, [number, number]>();
  /** op time and ops, all of them */
  all = 0;
  ops = 0;
  private worstKey = -1;
  private worstMs = 0;
  private worstWork = 0;
  private worstExcess = 0;

  clear(): void {
    this.keys.clear();
    this.all = this.ops = 0;
    this.worstKey = -1;
    this.worstExcess = 0;
  }

  /** An op of `work` units and this key took `ms`; `expected` is what its mean says (if any). */
  add(key: number, ms: number, work: number, expected: number | undefined): void {
    this.all += ms;
    this.ops++;
    const s = this.keys.get(key);
    if (s === undefined) this.keys.set(key, [ms, work]);
    else {
      s[0] += ms;
      s[1] += work;
    }
    const excess = expected === undefined ? 0 : ms - expected;
    if (excess > this.worstExcess) {
      this.worstKey = key;
      this.worstMs = ms;
      this.worstWork = work;
      this.worstExcess = excess;
    }
  }

  /** A key's [ms, work] with the worst op left out, or undefined when nothing is left. */
  private sums(key: number): [number, number] | undefined {
    const s = this.keys.get(key);
    if (s === undefined || key !== this.worstKey || this.ops < TRIM_FROM) return s;
    const work = s[1] - this.worstWork;
    return work > 0 ? [s[0] - this.worstMs, work] : undefined;
  }

  /**
   * This stretch's time on the kinds of op both ran, and what the same ops took at the other's
   * rate (ms per unit of work, kind by kind).
   */
  against(other: Stretch): { here: number; there: number } {
    let here = 0,
      there = 0;
    for (const key of this.keys.keys()) {
      const a = this.sums(key),
        b = other.sums(key);
      if (a === undefined || b === undefined) continue;
      here += a[0];
      there += (b[0] / b[1]) * a[1];
    }
    return { here, there };
  }
}
