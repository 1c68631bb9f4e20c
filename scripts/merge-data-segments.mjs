// Merges the active data segments of a module into one.
//
// asc emits one data segment per static string or array. wasm2c turns each
// segment into its own initialisation code (about 22 KB of Cortex-M .text for
// the interpreter), so one contiguous segment (small gaps zero-filled) is
// much smaller on a board and changes nothing else: the bytes land at the
// same addresses, and gaps were zero anyway.
//
// Only rewrites modules whose segments are all `active, memory 0, i32.const`
// (what asc produces); anything else is returned unchanged.

function readU32(b, p) {
  let v = 0, shift = 0, byte;
  do { byte = b[p++]; v |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
  return [v >>> 0, p];
}
function readS32(b, p) {
  let v = 0, shift = 0, byte;
  do { byte = b[p++]; v |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
  if (shift < 32 && (byte & 0x40)) v |= -1 << shift;
  return [v | 0, p];
}
function u32leb(v) {
  const out = [];
  do { let byte = v & 0x7f; v >>>= 7; if (v) byte |= 0x80; out.push(byte); } while (v);
  return out;
}

export function mergeDataSegments(bytes, maxGap = 256) {
  const b = bytes;
  const sections = [];
  let p = 8;
  while (p < b.length) {
    const id = b[p];
    const [size, q] = readU32(b, p + 1);
    sections.push({ id, start: p, body: q, end: q + size });
    p = q + size;
  }
  const data = sections.find((s) => s.id === 11);
  if (!data) return bytes;
  let [count, q] = readU32(b, data.body);
  const segs = [];
  for (let i = 0; i < count; i++) {
    if (b[q] !== 0 || b[q + 1] !== 0x41) return bytes; // not active memory 0 with i32.const
    let off; [off, q] = readS32(b, q + 2);
    if (b[q] !== 0x0b) return bytes;
    let len; [len, q] = readU32(b, q + 1);
    segs.push({ off: off >>> 0, data: b.subarray(q, q + len) });
    q += len;
  }
  if (segs.length < 2) return bytes;
  segs.sort((x, y) => x.off - y.off);
  // group segments whose gaps are small; large gaps stay separate segments
  const groups = [];
  for (const s of segs) {
    const g = groups[groups.length - 1];
    if (g && s.off >= g.end && s.off - g.end <= maxGap) { g.parts.push(s); g.end = s.off + s.data.length; }
    else if (g && s.off < g.end) return bytes; // overlapping: leave alone
    else groups.push({ start: s.off, end: s.off + s.data.length, parts: [s] });
  }
  const body = [...u32leb(groups.length)];
  for (const g of groups) {
    const blob = new Uint8Array(g.end - g.start);
    for (const s of g.parts) blob.set(s.data, s.off - g.start);
    // i32.const takes a signed LEB: emit the offset as s32
    const off = [];
    let v = g.start | 0;
    for (;;) { const byte = v & 0x7f; v >>= 7; if ((v === 0 && !(byte & 0x40)) || (v === -1 && (byte & 0x40))) { off.push(byte); break; } off.push(byte | 0x80); }
    body.push(0, 0x41, ...off, 0x0b, ...u32leb(blob.length));
    for (const x of blob) body.push(x); // no spread: a large blob overflows the call stack
  }
  const out = [];
  out.push(...b.subarray(0, 8));
  for (const s of sections) {
    if (s.id === 11) { out.push(11, ...u32leb(body.length)); for (const x of body) out.push(x); continue; }
    if (s.id === 12) { const c = u32leb(groups.length); out.push(12, ...u32leb(c.length), ...c); continue; }
    for (const x of b.subarray(s.start, s.end)) out.push(x);
  }
  return Uint8Array.from(out);
}
