// Started by test/threads.test.ts under node --experimental-wasm-relaxed-simd (Node 20 runs the
// relaxed-SIMD build only behind that flag): prints what differencesAcrossThreads finds.
import { differencesAcrossThreads } from './ops.js';

const out = [];
for (const dtype of ['float32', 'float64'] as const)
  out.push({ dtype, ...(await differencesAcrossThreads(dtype, { relaxedSimd: true })) });
console.log(JSON.stringify(out));
