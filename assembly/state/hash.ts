// Hashes for snapshots: FNV-1a 64 names a module by its bytes; CRC-32
// (IEEE, reflected) guards a snapshot against corruption in transit.

export function fnv1a64(p: usize, len: usize): u64 {
  let h: u64 = 0xCBF29CE484222325;
  for (let i: usize = 0; i < len; i++) {
    h ^= <u64>load<u8>(p + i);
    h *= 0x100000001B3;
  }
  return h;
}

// Slicing-by-8: table k (k = 0..7) holds the CRC of a byte followed by k
// zero bytes, so eight bytes take eight lookups and no per-byte loop (a
// snapshot holds whole memory pages: this is most of the cost of taking and
// restoring one). 8 KiB, built on the first use: a host that never takes or
// restores a snapshot does not pay for it.
let crcTables: StaticArray<u32> | null = null;

function crcTablesBuilt(): StaticArray<u32> {
  let t = crcTables;
  if (t) return t;
  t = new StaticArray<u32>(8 * 256);
  for (let n: u32 = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n: i32 = 0; n < 256; n++) {
    let c = t[n];
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xFF] ^ (c >>> 8);
      t[(k << 8) + n] = c;
    }
  }
  crcTables = t;
  return t;
}

/** CRC-32 (IEEE 802.3, reflected, as zlib) of `len` bytes at `p`. */
export function crc32(p: usize, len: usize): u32 {
  let t = changetype<usize>(crcTablesBuilt());
  let c: u32 = 0xFFFFFFFF;
  let end = p + len;
  while (end - p >= 8) {
    let a = load<u32>(p) ^ c;
    let b = load<u32>(p, 4);
    c = load<u32>(t + ((<usize>(7 << 8) + (a & 0xFF)) << 2))
      ^ load<u32>(t + ((<usize>(6 << 8) + ((a >>> 8) & 0xFF)) << 2))
      ^ load<u32>(t + ((<usize>(5 << 8) + ((a >>> 16) & 0xFF)) << 2))
      ^ load<u32>(t + ((<usize>(4 << 8) + (a >>> 24)) << 2))
      ^ load<u32>(t + ((<usize>(3 << 8) + (b & 0xFF)) << 2))
      ^ load<u32>(t + ((<usize>(2 << 8) + ((b >>> 8) & 0xFF)) << 2))
      ^ load<u32>(t + ((<usize>(1 << 8) + ((b >>> 16) & 0xFF)) << 2))
      ^ load<u32>(t + (<usize>(b >>> 24) << 2));
    p += 8;
  }
  for (; p < end; p++) c = load<u32>(t + (<usize>((c ^ load<u8>(p)) & 0xFF) << 2)) ^ (c >>> 8);
  return c ^ 0xFFFFFFFF;
}
