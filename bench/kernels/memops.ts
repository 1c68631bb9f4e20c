// Bulk memory: memory.fill and memory.copy over large, overlapping and
// unaligned ranges (the bulk-memory proposal's instructions), plus a light
// byte checksum so the copies are observed.
// run(n): n rounds; returns a checksum of sampled bytes.

const SIZE: i32 = 256 * 1024;
const buf = memory.data(SIZE);

function checksum(step: i32): u32 {
  let h: u32 = 2166136261;
  for (let i = 0; i < SIZE; i += step) h = (h ^ load<u8>(buf + i)) * 16777619;
  return h;
}

export function run(n: i32): i32 {
  let h: u32 = 0;
  for (let r = 0; r < n; r++) {
    memory.fill(buf, <u8>r, SIZE);
    for (let k = 0; k < 32; k++) {
      let len = 4096 + ((k * 977 + r) & 8191);
      let src = (k * 5003 + r * 17) & (SIZE / 2 - 1);
      let dst = (k * 7919 + r * 29 + 3) & (SIZE / 2 - 1);
      memory.copy(buf + dst, buf + src, len);            // may overlap either way
      memory.fill(buf + ((dst + len) & (SIZE / 2 - 1)), <u8>(k + r), len >> 1);
    }
    h = h * 31 + checksum(61);
  }
  return <i32>h;
}
