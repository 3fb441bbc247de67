// Loads the kernel module. By default the bytes come from this package's own JS (base64,
// generated at build time), so no path, server setting or bundler plugin is involved.
import { KERNELS_RELAXED, KERNELS_SCALAR, KERNELS_SIMD } from './kernels.generated.js';
import { withSharedMemory } from './shared-module.js';

/** Where the kernel bytes come from, when not the embedded ones. */
export type WasmSource = BufferSource | WebAssembly.Module | URL | string;

export type KernelVariant = 'simd' | 'scalar' | 'relaxed';

// The smallest module that uses a v128: validates only where SIMD is supported.
const SIMD_PROBE = new Uint8Array([
  0,
  97,
  115,
  109,
  1,
  0,
  0,
  0, // \0asm, version 1
  1,
  5,
  1,
  96,
  0,
  1,
  123, // type: () -> v128
  3,
  2,
  1,
  0, // one function of that type
  10,
  22,
  1,
  20,
  0,
  253,
  12,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  11, // v128.const 0
]);

// The same with f32x4.relaxed_madd of three zero vectors.
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 61, 1, 59, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 253, 133, 2, 11,
]);

/** Whether this engine runs WebAssembly SIMD (else the wasm backend takes its scalar build). */
export function simdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** Relaxed SIMD: on in current browsers and Node 22+; Node 20 needs --experimental-wasm-relaxed-simd. */
export function relaxedSimdSupported(): boolean {
  try {
    return WebAssembly.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

const compiled = new Map<KernelVariant, Promise<WebAssembly.Module>>();

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The largest shared memory the threaded backend asks for: 4 GiB, as much as wasm32 addresses. */
export const SHARED_MAX_PAGES = 65536;

const compiledShared = new Map<KernelVariant, Promise<{ module: WebAssembly.Module; initialPages: number }>>();

/** The embedded module of a variant rewritten to import a shared memory, compiled once per process. */
export function embeddedSharedModule(
  variant: KernelVariant,
): Promise<{ module: WebAssembly.Module; initialPages: number }> {
  let m = compiledShared.get(variant);
  if (!m) {
    const { bytes, initialPages } = withSharedMemory(decodeBase64(embeddedBase64(variant)), SHARED_MAX_PAGES);
    m = WebAssembly.compile(bytes as BufferSource).then((module) => ({ module, initialPages }));
    compiledShared.set(variant, m);
  }
  return m;
}

const embeddedBase64 = (variant: KernelVariant): string =>
  variant === 'simd' ? KERNELS_SIMD : variant === 'relaxed' ? KERNELS_RELAXED : KERNELS_SCALAR;

/** The embedded module of a variant, compiled once per process. */
export function embeddedModule(variant: KernelVariant): Promise<WebAssembly.Module> {
  let m = compiled.get(variant);
  if (!m) {
    m = WebAssembly.compile(decodeBase64(embeddedBase64(variant)) as BufferSource);
    compiled.set(variant, m);
  }
  return m;
}

/** Compiles a user-given source: bytes, a compiled module, or a URL to fetch. */
export async function moduleFrom(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (typeof source === 'string' || source instanceof URL) {
    const url = String(source);
    let res: Response;
    try {
      res = await fetch(url);
    } catch (e) {
      throw new Error(`dl-fundamentals: could not fetch the wasm kernels from ${url}: ${(e as Error).message}`);
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    checkWasmBytes(bytes, `${url} (HTTP ${res.status}, content-type ${res.headers.get('content-type') ?? 'none'})`);
    return WebAssembly.compile(bytes as BufferSource);
  }
  const bytes = ArrayBuffer.isView(source)
    ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength)
    : new Uint8Array(source as ArrayBuffer);
  checkWasmBytes(bytes, 'the bytes given');
  return WebAssembly.compile(bytes as BufferSource);
}

/** Throws a readable error when the bytes are not a WebAssembly module (an HTML 404 page, say). */
export function checkWasmBytes(bytes: Uint8Array, from: string): void {
  if (bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d) return;
  const head = new TextDecoder().decode(bytes.subarray(0, 80)).replace(/\s+/g, ' ').trim();
  const what =
    bytes.length === 0
      ? 'an empty response'
      : /^<(!doctype|html|head|body)/i.test(head)
        ? `an HTML page: "${head}…"`
        : `${bytes.length} bytes starting "${head}"`;
  throw new Error(`dl-fundamentals: expected a WebAssembly module (bytes starting \\0asm) from ${from}, got ${what}`);
}
