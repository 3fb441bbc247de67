// Loading the kernels: embedded by default, or from bytes or a URL, with readable errors.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, simdSupported } from '../../src/index.js';

const simdBytes = readFileSync(new URL('../../build/kernels-simd.wasm', import.meta.url));
const scalarBytes = readFileSync(new URL('../../build/kernels-scalar.wasm', import.meta.url));

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/kernels.wasm') {
      res.writeHead(200, { 'content-type': 'application/wasm' });
      res.end(simdBytes);
    } else {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('wasm loader', () => {
  it('loads the embedded SIMD build with no configuration', async () => {
    expect(simdSupported()).toBe(true);
    const be = await createBackend('wasm');
    expect(be.variant).toBe('simd');
    expect(be.dtype).toBe('float32');
    expect(Array.from(be.matmul([[1, 2]], [[3], [4]]).data)).toEqual([11]);
  });

  it('takes explicit bytes, a compiled module, or a URL', async () => {
    const fromBytes = await createBackend('wasm', { wasm: scalarBytes });
    expect(fromBytes.variant).toBe('scalar');
    const fromModule = await createBackend('wasm', { wasm: await WebAssembly.compile(simdBytes) });
    expect(fromModule.variant).toBe('simd');
    const fromUrl = await createBackend('wasm', { wasm: `${base}/kernels.wasm`, dtype: 'float64' });
    expect(fromUrl.variant).toBe('simd');
    expect(Array.from(fromUrl.sigmoid([[0]]).data)).toEqual([0.5]);
  });

  it('says what arrived when a URL serves an HTML page instead', async () => {
    await expect(createBackend('wasm', { wasm: `${base}/missing.wasm` })).rejects.toThrow(
      /expected a WebAssembly module .*missing\.wasm \(HTTP 404, content-type text\/html\), got an HTML page: "<!DOCTYPE html><html><body><h1>404 Not Found/,
    );
    await expect(createBackend('wasm', { wasm: new TextEncoder().encode('not wasm at all') })).rejects.toThrow(
      /got 15 bytes starting "not wasm at all"/,
    );
    await expect(createBackend('wasm', { wasm: new Uint8Array(0) })).rejects.toThrow(/got an empty response/);
  });

  it('the SIMD build really uses f32x4 and f64x2 in matmul and the activations', () => {
    const wat = readFileSync(new URL('../../build/kernels-simd.wat', import.meta.url), 'utf8');
    const body = (name: string): string => {
      const start = wat.indexOf(`(func $assembly/${name} `);
      expect(start, name).toBeGreaterThan(0);
      const end = wat.indexOf('\n (func ', start + 1);
      return wat.slice(start, end < 0 ? undefined : end);
    };
    expect(body('matmul/matmul_f32')).toMatch(/f32x4\.mul/);
    expect(body('matmul/matmul_f32')).toMatch(/f32x4\.add/);
    expect(body('matmul/matmul_f64')).toMatch(/f64x2\.mul/);
    // the relaxed build's matmul uses fused multiply-add
    expect(readFileSync(new URL('../../build/kernels-relaxed.wat', import.meta.url), 'utf8')).toMatch(
      /f32x4\.relaxed_madd/,
    );
    for (const op of ['relu', 'sigmoid', 'tanh', 'softmax']) {
      expect(body(`activations/${op}_f32`), op).toMatch(/f32x4\./);
      expect(body(`activations/${op}_f64`), op).toMatch(/f64x2\./);
    }
    // the scalar build runs where SIMD is missing: not one vector instruction in it
    expect(readFileSync(new URL('../../build/kernels-scalar.wat', import.meta.url), 'utf8')).not.toMatch(
      /v128|f32x4|f64x2/,
    );
    const scalarWasm = new WebAssembly.Module(scalarBytes);
    expect(WebAssembly.Module.exports(scalarWasm).map((e) => e.name)).toContain('matmul_f32');
  });
});
