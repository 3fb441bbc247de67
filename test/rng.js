// A small seeded generator (mulberry32) for test data, independent of the library's own. Plain
// JavaScript, so that vitest's helpers and the engines' conformance suite share it.

/** @param {number} seed @returns {() => number} uniform in [0, 1) */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
