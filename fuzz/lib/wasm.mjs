// Just enough of the binary format for the fuzzer: split a module into
// sections, add an export of memory 0 (so V8's final memory can be read and
// compared), find the code section (where spec modules are mutated).

function readLeb(bytes, pos) {
  let result = 0, shift = 0, b;
  do {
    if (pos >= bytes.length) throw new RangeError("truncated LEB128");
    b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [result, pos];
}

function leb(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

/** [{id, start (of contents), end}] or null if the section framing is broken. */
export function sections(bytes) {
  if (bytes.length < 8) return null;
  const out = [];
  let pos = 8;
  try {
    while (pos < bytes.length) {
      const id = bytes[pos];
      const [size, p] = readLeb(bytes, pos + 1);
      if (p + size > bytes.length) return null;
      out.push({ id, headerStart: pos, start: p, end: p + size });
      pos = p + size;
    }
  } catch {
    return null;
  }
  return out;
}

// Standard section order (data count 12 sits between element 9 and code 10).
const ORDER = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8, 9: 9, 12: 10, 10: 11, 11: 12 };

/** Number of memories (imported + defined), or -1 if unreadable. */
function memoryCount(bytes, secs) {
  let n = 0;
  try {
    for (const s of secs) {
      if (s.id === 5) n += readLeb(bytes, s.start)[0];
      if (s.id === 2) {
        let [count, p] = readLeb(bytes, s.start);
        for (let i = 0; i < count; i++) {
          let len;
          [len, p] = readLeb(bytes, p); p += len;
          [len, p] = readLeb(bytes, p); p += len;
          const kind = bytes[p++];
          if (kind === 0) [, p] = readLeb(bytes, p);
          else if (kind === 1) { p++; const f = bytes[p++]; [, p] = readLeb(bytes, p); if (f & 1) [, p] = readLeb(bytes, p); }
          else if (kind === 2) { const f = bytes[p++]; [, p] = readLeb(bytes, p); if (f & 1) [, p] = readLeb(bytes, p); n++; }
          else if (kind === 3) p += 2;
          else return -1;
        }
      }
    }
  } catch {
    return -1;
  }
  return n;
}

export const MEMORY_EXPORT = "__fuzz_memory";

/** The module with an extra export of memory 0 named MEMORY_EXPORT (unchanged if it has no memory). */
export function exportMemory(bytes) {
  const secs = sections(bytes);
  if (!secs || memoryCount(bytes, secs) <= 0) return bytes;
  const name = new TextEncoder().encode(MEMORY_EXPORT);
  const entry = [...leb(name.length), ...name, 2, 0];
  const exp = secs.find((s) => s.id === 7);
  let body, at, cut;
  if (exp) {
    const [count, p] = readLeb(bytes, exp.start);
    body = [...leb(count + 1), ...bytes.subarray(p, exp.end), ...entry];
    at = exp.headerStart; cut = exp.end;
  } else {
    body = [1, ...entry];
    const next = secs.find((s) => s.id !== 0 && ORDER[s.id] > ORDER[7]);
    at = cut = next ? next.headerStart : bytes.length;
  }
  const sec = [7, ...leb(body.length), ...body];
  const out = new Uint8Array(at + sec.length + (bytes.length - cut));
  out.set(bytes.subarray(0, at), 0);
  out.set(sec, at);
  out.set(bytes.subarray(cut), at + sec.length);
  return out;
}

/** [start, end) of the code section contents, or null. */
export function codeRange(bytes) {
  const s = sections(bytes)?.find((x) => x.id === 10);
  return s ? [s.start, s.end] : null;
}
