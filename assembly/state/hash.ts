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

const crcTable = new StaticArray<u32>(256);
for (let n: u32 = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
  crcTable[n] = c;
}

export function crc32(p: usize, len: usize): u32 {
  let c: u32 = 0xFFFFFFFF;
  for (let i: usize = 0; i < len; i++) c = unchecked(crcTable[(c ^ load<u8>(p + i)) & 0xFF]) ^ (c >>> 8);
  return c ^ 0xFFFFFFFF;
}
