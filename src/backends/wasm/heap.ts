// A first-fit allocator over a WebAssembly.Memory: 16-byte-aligned blocks, freed blocks merged
// with their neighbours, the memory grown when nothing fits. Sizes and offsets live in JS, so
// the kernels need no allocator of their own.

const ALIGN = 16;
const PAGE = 65536;

export class Heap {
  /** free blocks, sorted by offset, never adjacent (they are merged) */
  private readonly free: { offset: number; size: number }[] = [];
  /** size of each live block, by offset */
  private readonly live = new Map<number, number>();
  private top: number;

  constructor(
    private readonly memory: WebAssembly.Memory,
    base: number,
  ) {
    this.top = roundUp(base, ALIGN);
  }

  alloc(bytes: number): number {
    const size = roundUp(Math.max(bytes, 1), ALIGN);
    for (let i = 0; i < this.free.length; i++) {
      const f = this.free[i];
      if (f.size >= size) {
        const offset = f.offset;
        if (f.size === size) this.free.splice(i, 1);
        else {
          f.offset += size;
          f.size -= size;
        }
        this.live.set(offset, size);
        return offset;
      }
    }
    // Nothing fits: take from the top, growing the memory (a free block at the top is reused).
    let offset = this.top;
    const last = this.free[this.free.length - 1];
    if (last && last.offset + last.size === this.top) {
      offset = last.offset;
      this.free.pop();
    }
    const end = offset + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      try {
        this.memory.grow(pages);
      } catch {
        throw new Error(
          `wasm backend: out of memory: could not grow linear memory from ${have} bytes by ${pages * PAGE} bytes for a ${bytes}-byte tensor`,
        );
      }
    }
    this.top = end;
    this.live.set(offset, size);
    return offset;
  }

  release(offset: number): void {
    const size = this.live.get(offset);
    if (size === undefined) throw new Error(`wasm heap: block at ${offset} is not allocated`);
    this.live.delete(offset);
    // insert sorted, merging with neighbours
    let lo = 0,
      hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.free[mid].offset < offset) lo = mid + 1;
      else hi = mid;
    }
    const prev = this.free[lo - 1];
    const next = this.free[lo];
    if (prev && prev.offset + prev.size === offset) {
      prev.size += size;
      if (next && prev.offset + prev.size === next.offset) {
        prev.size += next.size;
        this.free.splice(lo, 1);
      }
    } else if (next && offset + size === next.offset) {
      next.offset = offset;
      next.size += size;
    } else {
      this.free.splice(lo, 0, { offset, size });
    }
  }
}

function roundUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
