// The threaded backend runs the same kernel bytes as the single-threaded one, on a shared
// memory: this rewrites a module's own memory (its memory section) into an import of a shared
// memory (env.memory, with a maximum, as shared memories need). Nothing else in the module
// refers to how its memory came to be, so no other section changes, and the package embeds
// each build once.

const IMPORT = 2,
  MEMORY = 5,
  CUSTOM = 0;

function readU32(b: Uint8Array, at: number): [number, number] {
  let v = 0,
    shift = 0,
    i = at;
  for (;;) {
    if (i >= b.length) throw new Error('wasm module: LEB128 runs past the end');
    const byte = b[i++];
    v += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return [v, i];
    shift += 7;
    if (shift > 28) throw new Error('wasm module: LEB128 too long for a u32');
  }
}

function u32(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

const name = (s: string): number[] => [...u32(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

interface Section {
  id: number;
  body: Uint8Array;
}

/**
 * The module's bytes with its memory imported as env.memory, shared, with at most maxPages
 * pages, and the initial page count it declared (the shared memory must have at least that).
 */
export function withSharedMemory(bytes: Uint8Array, maxPages: number): { bytes: Uint8Array; initialPages: number } {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new Error('wasm module: not a WebAssembly module');
  }
  const sections: Section[] = [];
  for (let at = 8; at < bytes.length; ) {
    const id = bytes[at];
    const [size, start] = readU32(bytes, at + 1);
    if (start + size > bytes.length) throw new Error(`wasm module: section ${id} runs past the end`);
    sections.push({ id, body: bytes.subarray(start, start + size) });
    at = start + size;
  }
  const memory = sections.find((s) => s.id === MEMORY);
  if (!memory) throw new Error('wasm module: it defines no memory to share');
  const [count, p] = readU32(memory.body, 0);
  if (count !== 1) throw new Error(`wasm module: ${count} memories, expected 1`);
  const flags = memory.body[p];
  const [initialPages] = readU32(memory.body, p + 1);
  if (flags & ~1) throw new Error(`wasm module: memory flags ${flags}, expected a plain 32-bit memory`);

  const entry = [...name('env'), ...name('memory'), 0x02, 0x03, ...u32(initialPages), ...u32(maxPages)];
  const out: Section[] = [];
  const imports = sections.find((s) => s.id === IMPORT);
  for (const s of sections) {
    if (s.id === MEMORY) continue;
    if (s.id === IMPORT) {
      const [n, q] = readU32(s.body, 0);
      out.push({ id: IMPORT, body: Uint8Array.from([...u32(n + 1), ...s.body.subarray(q), ...entry]) });
      continue;
    }
    out.push(s);
    // no imports yet: the import section goes right after the type section (or first)
    if (!imports && s.id === 1) out.push({ id: IMPORT, body: Uint8Array.from([1, ...entry]) });
  }
  if (!imports && !sections.some((s) => s.id === 1)) {
    out.splice(
      out.findIndex((s) => s.id !== CUSTOM),
      0,
      { id: IMPORT, body: Uint8Array.from([1, ...entry]) },
    );
  }
  const parts: number[][] = out.map((s) => [s.id, ...u32(s.body.length)]);
  const total = 8 + out.reduce((n, s, i) => n + parts[i].length + s.body.length, 0);
  const result = new Uint8Array(total);
  result.set(bytes.subarray(0, 8));
  let at = 8;
  out.forEach((s, i) => {
    result.set(parts[i], at);
    at += parts[i].length;
    result.set(s.body, at);
    at += s.body.length;
  });
  return { bytes: result, initialPages };
}
