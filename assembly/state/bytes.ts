// A growing little-endian byte writer (raw heap block) for snapshots.

export class ByteWriter {
  buf: usize = 0;
  cap: usize = 0;
  len: usize = 0;

  constructor(initial: usize = 4096) {
    this.buf = heap.alloc(initial);
    this.cap = initial;
  }

  reserve(n: usize): void {
    if (this.len + n <= this.cap) return;
    let c = this.cap * 2;
    while (c < this.len + n) c *= 2;
    this.buf = heap.realloc(this.buf, c);
    this.cap = c;
  }

  u8(v: u32): void { this.reserve(1); store<u8>(this.buf + this.len, <u8>v); this.len += 1; }
  u32(v: u32): void { this.reserve(4); store<u32>(this.buf + this.len, v); this.len += 4; }
  u64(v: u64): void { this.reserve(8); store<u64>(this.buf + this.len, v); this.len += 8; }
  bytes(p: usize, n: usize): void { this.reserve(n); memory.copy(this.buf + this.len, p, n); this.len += n; }

  /** Patches a u32 written earlier at byte offset `at`. */
  setU32(at: usize, v: u32): void { store<u32>(this.buf + at, v); }

  free(): void { heap.free(this.buf); this.buf = 0; this.cap = 0; this.len = 0; }
}

/** True if the 64 KiB page at `p` is all zero (eight words at a time). */
export function isZeroPage(p: usize): bool {
  let end = p + 65536;
  for (let a = p; a < end; a += 64) {
    let v = load<u64>(a) | load<u64>(a, 8) | load<u64>(a, 16) | load<u64>(a, 24)
      | load<u64>(a, 32) | load<u64>(a, 40) | load<u64>(a, 48) | load<u64>(a, 56);
    if (v != 0) return false;
  }
  return true;
}
