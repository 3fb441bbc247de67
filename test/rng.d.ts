/** A small seeded generator (mulberry32) for test data: uniform in [0, 1). */
export function rng(seed: number): () => number;
