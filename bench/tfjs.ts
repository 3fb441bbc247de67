// TensorFlow.js 4.22 for comparison: its wasm backend (the SIMD build; its threaded build does
// not start in Node) and its cpu backend, set up for Node.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';

export { tf, tfl };

export async function initTfjs(): Promise<{ simd: boolean }> {
  const require = createRequire(import.meta.url);
  // In Node the wasm backend needs the folder of its .wasm files.
  setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
  await tf.setBackend('wasm');
  await tf.ready();
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') as boolean;
  await tf.setBackend('cpu');
  await tf.ready();
  return { simd };
}

/** Runs f with TF.js on a backend ('wasm' or 'cpu'). */
export function onTf<T>(backend: 'wasm' | 'cpu', f: () => T): T {
  if (tf.getBackend() !== backend) tf.setBackend(backend);
  return f();
}
