// A stretch of ops the governor measures at one level (a probe, or the control after it): their
// time and work by kind of op, so that two stretches are compared on the ops both ran.

export class Stretch {
  /** by key: [ms, work] */
  private readonly keys = new Map<number, [number, number]>();
  /** op time and ops, all of them */
  all = 0;
  ops = 0;

  clear(): void {
    this.keys.clear();
    this.all = this.ops = 0;
  }

  /** An op of `work` units and this key took `ms`. */
  add(key: number, ms: number, work: number): void {
    this.all += ms;
    this.ops++;
    const s = this.keys.get(key);
    if (s === undefined) this.keys.set(key, [ms, work]);
    else {
      s[0] += ms;
      s[1] += work;
    }
  }

  /**
   * This stretch's time on the kinds of op both ran, and what the same ops took at the other's
   * rate (ms per unit of work, kind by kind).
   */
  against(other: Stretch): { here: number; there: number } {
    let here = 0,
      there = 0;
    for (const [key, [ms, work]] of this.keys) {
      const b = other.keys.get(key);
      if (b === undefined) continue;
      here += ms;
      there += (b[0] / b[1]) * work;
    }
    return { here, there };
  }
}
