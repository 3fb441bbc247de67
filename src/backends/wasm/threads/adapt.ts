// How many of its threads a threaded backend uses, op by op. Threads pay when their cores are
// free; when another program keeps a core busy, a worker is descheduled in the middle of its
// chunk and the caller waits for it, and 2 threads run slower than 1 (0.6–0.8× on a 2-core
// machine with one core busy). No signal inside an op tells this apart from an idle machine's
// noise (the caller's own chunks slow down too), so the governor measures what it decides:
//
// - for its first 200 ms of ops a backend uses every thread and measures nothing: the engine
//   is still optimizing the kernels (their first calls run up to 18× slower);
// - then, now and then, it probes another level (fewer threads, or more) for a few
//   milliseconds of ops, and as long again at the level in use (the control), and moves when
//   the probe ran the same kinds of op faster (5% faster for fewer threads, 25% for more: a
//   late chunk costs far more than a thread gains);
// - a probe that changes nothing makes the next one wait twice as long (50 ms up to 4 s), and
//   at least 50× what it lost, so probing costs under 2% either way; a move makes them frequent again;
// - it keeps, per kernel and size (a power of two of the op's work), the mean time per unit
//   of work at each level: when several threads' ops run much slower than usual (load has
//   just arrived), it probes fewer at once instead of waiting; so it does when ops of a new
//   kind or size come.
//
// Ops just after a change of level are not measured: workers wake from sleep or spin down.
// Which threads run an op never changes its bits (split.ts), so neither does any of this.
import type { ThreadStats } from '../../kernels.js';
import { WORKER_CONSTANTS } from './protocol.js';
import { Stretch } from './stretch.js';

/** The governor's settings; tests change them (enabled: false keeps every thread in use). */
export const ADAPT = {
  enabled: true,
  /** tests: every op on this many threads (a level of the backend's), not chosen; 0: chosen */
  pin: 0,
  /** the first wait between probes (ms), doubled after each probe that moved nothing */
  minGapMs: 50,
  /** the longest wait between probes (ms) */
  maxGapMs: 4000,
  /**
   * after a losing probe, the wait is at least this many times what it lost: probes cost at
   * most about 1/budget of the time, also while the doubling wait is still short (big ops, where
   * one probe op loses milliseconds)
   */
  budget: 50,
  /** op time the backend runs on every thread before the governor measures or probes (ms) */
  warmMs: 200,
  /** op time a probe measures (ms), in at least this many ops (one big op is a noisy sample) */
  probeMs: 6,
  probeOps: 3,
  /**
   * a probe moves to its level when that ran the ops this much faster: more threads must win
   * clearly (a late chunk costs far more than a thread gains)
   */
  marginUp: 1.25,
  marginDown: 1.05,
  /** a probe that has not measured probeMs of ops after this long (ms) ends with what it has */
  probeLimitMs: 100,
  /**
   * after a change of level, ops are not measured for this long (ms): to fewer threads, while
   * the workers left out spin down (2 ms); to more, while they wake from sleep (up to a
   * millisecond or two on a virtual CPU)
   */
  settleDownMs: 3,
  settleUpMs: 2,
  /** a level above one thread is checked over windows of this much op time (ms)… */
  windowMs: 8,
  /** …and fewer threads are probed at once when in two windows in a row its ops ran slower than usual by this factor */
  slowdown: 0.7,
  /** weight of a new time in a mean, and in the slower mean that says what is usual */
  weight: 0.15,
  usualWeight: 0.02,
};

/** The levels a backend of `threads` threads chooses from: 1, 2, 4, … and threads itself. */
export function levelsFor(threads: number): number[] {
  const l = [1];
  for (let t = 2; t < threads; t *= 2) l.push(t);
  if (threads > 1) l.push(threads);
  return l;
}

export class Governor {
  readonly levels: number[];
  private at: number;
  /** the level being probed, or -1 */
  private probing = -1;
  private probeStart = 0;
  private gap = ADAPT.minGapMs;
  private nextProbe: number;
  private settleUntil = 0;
  /** the last probe went down: the next one (from a middle level) goes up */
  private wentDown = false;
  /** per level: mean ms per unit of work, by key; and a slower mean, what a window is held to */
  private readonly means: Map<number, number>[];
  private readonly usual: Map<number, number>[];
  // the probe's ops' time and what they would have taken at the current level's means
  private pTime = 0;
  private pWas = 0;
  /** all the probe's op time, the ops not measured too (what its loss is counted on) */
  private pSpent = 0;
  /** the probe has ended and the control runs: as many ops again at the level in use */
  private controlling = false;
  private controlStart = 0;
  /** the probe's measured ops and the control's */
  private readonly probe = new Stretch();
  private readonly ctl = new Stretch();
  // the current level's window: its ops' time and their means' time
  private wTime = 0;
  private wMean = 0;
  private slowWindows = 0;
  /** kinds of op that have brought a probe forward (each does once) */
  private readonly asked = new Set<number>();
  /** when the last op on more than one thread ended: SPIN_MS later the workers sleep */
  private lastThreaded = Number.NEGATIVE_INFINITY;
  /** op time run so far, up to ADAPT.warmMs */
  private warm = 0;
  private readonly s: ThreadStats;
  /** the last move to fewer threads: from how many, and how much faster fewer were */
  private down?: { from: number; speedup: number };

  constructor(threads: number, now: number) {
    this.levels = levelsFor(threads);
    this.at = this.levels.length - 1;
    this.means = this.levels.map(() => new Map());
    this.usual = this.levels.map(() => new Map());
    // no probe until warm (record sets it)
    this.nextProbe = ADAPT.warmMs > 0 ? Number.POSITIVE_INFINITY : now + ADAPT.minGapMs;
    this.s = { threadsInUse: threads, splittableOps: 0, threadedOps: 0, probes: 0, changes: 0 };
  }

  /** The level (an index into levels) to run the next op at. */
  choose(now: number): number {
    if (!ADAPT.enabled) return this.levels.length - 1;
    if (ADAPT.pin && this.levels.includes(ADAPT.pin)) return this.levels.indexOf(ADAPT.pin);
    if (this.probing < 0 && now >= this.nextProbe) {
      const down = this.at > 0 && (this.at === this.levels.length - 1 || !this.wentDown);
      this.probing = down ? this.at - 1 : this.at + 1;
      this.wentDown = down;
      this.probeStart = now;
      this.settleUntil = now + (down ? ADAPT.settleDownMs : ADAPT.settleUpMs);
      this.pTime = this.pWas = this.pSpent = 0;
      this.controlling = false;
      this.probe.clear();
      this.ctl.clear();
      this.s.probes++;
    }
    return this.probing >= 0 && !this.controlling ? this.probing : this.at;
  }

  /** An op of `work` units with this key ran at `level` from t0 to t1 (ms). */
  record(level: number, key: number, work: number, t0: number, t1: number): void {
    const threaded = this.levels[level] > 1;
    this.s.splittableOps++;
    if (threaded) this.s.threadedOps++;
    if (!ADAPT.enabled) return;
    const ms = t1 - t0;
    if (this.warm < ADAPT.warmMs) {
      this.warm += ms;
      if (this.warm >= ADAPT.warmMs) this.nextProbe = t1 + ADAPT.minGapMs;
      return;
    }
    if (this.probing === level && !this.controlling) this.pSpent += ms;
    // an op that ran mostly while workers were waking or spinning down says little of its level
    // (a long one, a big matmul, is measured: the transient is a small part of it); so does a
    // threaded op after a pause (the page drew, an epoch ended): the workers went to sleep
    const woke = threaded && t0 - this.lastThreaded > WORKER_CONSTANTS.SPIN_MS;
    if (threaded) this.lastThreaded = t1;
    if (woke || this.settleUntil - t0 > 0.25 * ms) {
      this.outOfTime(t1);
      return;
    }
    const here = this.means[level],
      mean = here.get(key),
      unit = ms / work;
    here.set(key, mean === undefined ? unit : mean + ADAPT.weight * (unit - mean));
    const usual = this.usual[level].get(key);
    this.usual[level].set(key, usual === undefined ? unit : usual + ADAPT.usualWeight * (unit - usual));
    if (this.probing >= 0 && !this.controlling && level === this.probing) {
      const was = this.means[this.at].get(key);
      if (was !== undefined) {
        this.pTime += ms;
        this.pWas += was * work;
      }
      this.probe.add(key, ms, work);
      // a probe that has already lost half its length to the current level's means ends there
      const lost = this.pTime - this.pWas > ADAPT.probeMs / 2;
      const enough = this.probe.all >= ADAPT.probeMs && this.probe.ops >= ADAPT.probeOps;
      if (lost || enough) this.control(t1);
      else this.outOfTime(t1);
    } else if (this.controlling && level === this.at) {
      this.ctl.add(key, ms, work);
      if (this.ctl.all >= ADAPT.probeMs && this.ctl.ops >= ADAPT.probeOps) this.endProbe(t1);
      else this.outOfTime(t1);
    } else if (level === this.at && this.at > 0 && usual !== undefined && this.probing < 0) {
      this.wTime += ms;
      this.wMean += usual * work;
      if (this.wTime >= ADAPT.windowMs) {
        this.slowWindows = this.wMean < ADAPT.slowdown * this.wTime ? this.slowWindows + 1 : 0;
        if (this.slowWindows >= 2) {
          this.slowWindows = 0;
          this.nextProbe = t1;
        }
        this.wTime = this.wMean = 0;
      }
    }
    // an op of a kind never timed at the level below (a new size: the work changed) has nothing
    // to be held to, here or in a probe: the level below is probed soon, not a back-off away
    // (once per kind: a probe that ends early, losing, may not reach every kind)
    if (
      level === this.at &&
      this.at > 0 &&
      this.probing < 0 &&
      !this.means[this.at - 1].has(key) &&
      !this.asked.has(key)
    ) {
      this.asked.add(key);
      this.nextProbe = Math.min(this.nextProbe, t1 + ADAPT.minGapMs);
    }
  }

  /** A probe or its control that has not measured enough after probeLimitMs ends with what it has. */
  private outOfTime(now: number): void {
    if (this.probing < 0) return;
    if (!this.controlling && now - this.probeStart > ADAPT.probeLimitMs) this.control(now);
    else if (this.controlling && now - this.controlStart > ADAPT.probeLimitMs) this.endProbe(now);
  }

  /**
   * The probe's ops are held to ops run at the level in use just after them, not to its means:
   * the means lag what has just changed (load that arrived, an engine that has just optimized
   * a kernel whose first slow calls are in them), and held to them one thread looked 4–10×
   * faster on an idle machine and slower under load that had just come
   */
  private control(now: number): void {
    this.controlling = true;
    this.controlStart = now;
    this.settleUntil = now + (this.at < this.probing ? ADAPT.settleDownMs : ADAPT.settleUpMs);
  }

  private endProbe(now: number): void {
    const to = this.probing;
    // what the probe's ops would have taken at the control's rates, kind by kind
    const { here: probe, there: atLevel } = this.probe.against(this.ctl);
    const speedup = probe > 0 ? atLevel / probe : Number.NaN;
    this.probing = -1;
    this.controlling = false;
    this.wTime = this.wMean = 0;
    const moves = speedup > (to > this.at ? ADAPT.marginUp : ADAPT.marginDown);
    if (moves) {
      // from the control's level to the probe's: workers spin down or wake
      this.settleUntil = now + (to < this.at ? ADAPT.settleDownMs : ADAPT.settleUpMs);
      if (to < this.at) this.down = { from: this.levels[this.at], speedup };
      this.at = to;
      this.s.changes++;
      this.gap = ADAPT.minGapMs;
    } else {
      // all its ops lost alike, the first ones (not measured: workers waking) too
      const lost = Number.isFinite(speedup) ? this.pSpent * Math.max(0, 1 - speedup) : 0;
      this.gap = Math.min(Math.max(2 * this.gap, ADAPT.budget * lost), ADAPT.maxGapMs);
    }
    this.nextProbe = now + this.gap;
    this.s.threadsInUse = this.levels[this.at];
    if (Number.isFinite(speedup)) this.s.lastProbe = { threads: this.levels[to], speedup };
  }

  stats(): ThreadStats {
    const s: ThreadStats = { ...this.s, lastProbe: this.s.lastProbe && { ...this.s.lastProbe } };
    if (this.at < this.levels.length - 1 && this.down) {
      const { from, speedup } = this.down;
      s.why =
        `on ${from} threads the ops ran slower: ${this.levels[this.at]} ran them ${speedup.toFixed(2)}× as fast ` +
        `(another program keeps cores busy, or the host shares them); more threads are tried again ` +
        `within ${ADAPT.maxGapMs / 1000} s`;
    }
    return s;
  }
}

/** A key for a kernel (its index) and an op's size: the power of two of its work. */
export function keyOf(kernel: number, work: number): number {
  const high = work / 2 ** 32;
  return kernel * 64 + (high >= 1 ? 63 - Math.clz32(high) : 31 - Math.clz32(work));
}
