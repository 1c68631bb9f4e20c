// A snapshot codec for tests and the structure-aware snapshot fuzzer:
// decode() turns the bytes of a snapshot (docs/snapshot-format.md, version
// 2) into plain objects, encode() writes them back with the length field
// and the CRC-32 recomputed. Written from the document, not from the
// interpreter's code, so the two can disagree and a test sees it.
import { crc32 } from "../host-shims/node/dist/index.js";

export const HOST_FRAME = 0xffffffff;

/** The MACH fields in wire order: [name, bytes] (docs/snapshot-format.md). */
export const MACH_FIELDS = [
  ["status", 4], ["inst", 4], ["pc", 4], ["fp", 4], ["fuel", 8], ["resumeSide", 4], ["resumeK", 4],
  ["hostFunc", 4], ["hostArgsOff", 4], ["hostDirect", 1], ["resultsOff", 4], ["resultCount", 4],
  ["calledFunc", 4], ["pending", 4], ["trap", 4], ["trapInst", 4], ["trapPc", 4],
];

const TAGS = ["MODS", "FUNC", "TABL", "MEMS", "GLOB", "INST", "MACH", "STAK"];

class In {
  constructor(b) { this.b = b; this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength); this.at = 0; }
  need(n) { if (this.at + n > this.b.length) throw new RangeError(`snapshot truncated at byte ${this.at}`); }
  u8() { this.need(1); return this.dv.getUint8(this.at++); }
  u32() { this.need(4); const v = this.dv.getUint32(this.at, true); this.at += 4; return v; }
  u64() { this.need(8); const v = this.dv.getBigUint64(this.at, true); this.at += 8; return v; }
  bytes(n) { this.need(n); const v = this.b.slice(this.at, this.at + n); this.at += n; return v; }
  u32s() { const n = this.u32(); return Array.from({ length: n }, () => this.u32()); }
  u8s() { const n = this.u32(); return Array.from(this.bytes(n)); }
}

class Out {
  constructor() { this.chunks = []; this.len = 0; }
  push(u) { this.chunks.push(u); this.len += u.length; }
  u8(v) { this.push(Uint8Array.of(v & 0xff)); }
  u32(v) { const u = new Uint8Array(4); new DataView(u.buffer).setUint32(0, Number(BigInt.asUintN(32, BigInt(v))), true); this.push(u); }
  u64(v) { const u = new Uint8Array(8); new DataView(u.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true); this.push(u); }
  bytes(b) { this.push(Uint8Array.from(b)); }
  u32s(a) { this.u32(a.length); for (const v of a) this.u32(v); }
  u8s(a) { this.u32(a.length); this.bytes(a); }
  done() { const o = new Uint8Array(this.len); let at = 0; for (const c of this.chunks) { o.set(c, at); at += c.length; } return o; }
}

/** Snapshot bytes -> { header, mods, funcs, tables, mems, globals, insts, mach, stack }. */
export function decode(bytes) {
  const r = new In(bytes);
  const header = { magic: r.u32(), version: r.u32(), irVersion: r.u32(), costHash: r.u32(), totalLength: r.u32(), features: r.u32() };
  const s = { header };
  const end = bytes.length - 4;
  for (const tag of TAGS) {
    const t = String.fromCharCode(...r.bytes(4));
    if (t !== tag) throw new Error(`expected ${tag}, found ${t} at byte ${r.at - 4}`);
    const len = r.u32();
    const stop = r.at + len;
    if (stop > end) throw new RangeError(`section ${tag} runs past the end`);
    readSection(tag, r, s);
    if (r.at !== stop) throw new Error(`section ${tag}: length ${len} but contents ${r.at - (stop - len)}`);
  }
  if (r.at !== end) throw new Error("bytes after the last section");
  return s;
}

function readSection(tag, r, s) {
  const n = () => r.u32();
  switch (tag) {
    case "MODS": s.mods = Array.from({ length: n() }, () => ({ flags: r.u8(), hash: r.u64() })); break;
    case "FUNC": s.funcs = Array.from({ length: n() }, () => {
      const kind = r.u8();
      if (kind === 0) return { kind, instance: r.u32(), funcIdx: r.u32() };
      const hostId = r.u32(), np = r.u32(), nr = r.u32();
      return { kind, hostId, params: Array.from(r.bytes(np)), results: Array.from(r.bytes(nr)) };
    }); break;
    case "TABL": s.tables = Array.from({ length: n() }, () => {
      const elemType = r.u8(), max = r.u32(), size = r.u32();
      return { elemType, max, elems: Array.from({ length: size }, () => r.u64()) };
    }); break;
    case "MEMS": s.mems = Array.from({ length: n() }, () => {
      const max = r.u32(), pages = r.u32(), stored = r.u32();
      return { max, pages, stored: Array.from({ length: stored }, () => ({ index: r.u32(), data: r.bytes(65536) })) };
    }); break;
    case "GLOB": s.globals = Array.from({ length: n() }, () => ({ type: r.u8(), mutable: r.u8(), bits: r.u64() })); break;
    case "INST": s.insts = Array.from({ length: n() }, () => {
      if (r.u8() === 0) return null;
      return {
        module: r.u32(), funcs: r.u32s(), tables: r.u32s(), mems: r.u32s(), globals: r.u32s(),
        droppedElems: r.u8s(), droppedDatas: r.u8s(),
        elemSegs: Array.from({ length: r.u32() }, () => Array.from({ length: r.u32() }, () => r.u64())),
      };
    }); break;
    case "MACH": {
      const m = {};
      for (const [name, size] of MACH_FIELDS) m[name] = size === 1 ? r.u8() : size === 8 ? r.u64() : r.u32();
      m.frames = Array.from({ length: r.u32() }, () => [r.u32(), r.u32(), r.u32(), r.u32()]);
      s.mach = m;
      break;
    }
    case "STAK": s.stack = r.bytes(r.u32()); break;
  }
}

/** The object of decode() -> snapshot bytes, length field and CRC recomputed. */
export function encode(s) {
  const w = new Out();
  const h = s.header;
  for (const v of [h.magic, h.version, h.irVersion, h.costHash, 0, h.features]) w.u32(v);
  const section = (tag, body) => {
    const o = new Out();
    body(o);
    const p = o.done();
    w.bytes([...tag].map((c) => c.charCodeAt(0)));
    w.u32(p.length);
    w.push(p);
  };
  section("MODS", (o) => { o.u32(s.mods.length); for (const m of s.mods) { o.u8(m.flags); o.u64(m.hash); } });
  section("FUNC", (o) => {
    o.u32(s.funcs.length);
    for (const f of s.funcs) {
      o.u8(f.kind);
      // a kind changed by a mutation writes the other kind's fields (0 where it has none)
      if (f.kind === 0) { o.u32(f.instance ?? 0); o.u32(f.funcIdx ?? 0); } else {
        const p = f.params ?? [], r = f.results ?? [];
        o.u32(f.hostId ?? 0); o.u32(p.length); o.u32(r.length); o.bytes(p); o.bytes(r);
      }
    }
  });
  section("TABL", (o) => {
    o.u32(s.tables.length);
    for (const t of s.tables) { o.u8(t.elemType); o.u32(t.max); o.u32(t.elems.length); for (const e of t.elems) o.u64(e); }
  });
  section("MEMS", (o) => {
    o.u32(s.mems.length);
    for (const m of s.mems) {
      o.u32(m.max); o.u32(m.pages); o.u32(m.stored.length);
      for (const p of m.stored) { o.u32(p.index); o.bytes(p.data); }
    }
  });
  section("GLOB", (o) => { o.u32(s.globals.length); for (const g of s.globals) { o.u8(g.type); o.u8(g.mutable); o.u64(g.bits); } });
  section("INST", (o) => {
    o.u32(s.insts.length);
    for (const i of s.insts) {
      if (!i) { o.u8(0); continue; }
      o.u8(1); o.u32(i.module);
      o.u32s(i.funcs); o.u32s(i.tables); o.u32s(i.mems); o.u32s(i.globals);
      o.u8s(i.droppedElems); o.u8s(i.droppedDatas);
      o.u32(i.elemSegs.length);
      for (const seg of i.elemSegs) { o.u32(seg.length); for (const v of seg) o.u64(v); }
    }
  });
  section("MACH", (o) => {
    const m = s.mach;
    for (const [name, size] of MACH_FIELDS) size === 1 ? o.u8(m[name]) : size === 8 ? o.u64(m[name]) : o.u32(m[name]);
    o.u32(m.frames.length);
    for (const f of m.frames) for (const v of f) o.u32(v);
  });
  section("STAK", (o) => { o.u32(s.stack.length); o.bytes(s.stack); });
  const body = w.done();
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  const dv = new DataView(out.buffer);
  dv.setUint32(16, out.length, true);
  dv.setUint32(out.length - 4, crc32(out, out.length - 4), true);
  return out;
}

/** A deep copy of a decoded snapshot (stack and page bytes copied too). */
export function clone(s) {
  return structuredClone(s);
}

/** Reads / writes a 64-bit slot of the decoded value stack. */
export function slot(s, off) { return new DataView(s.stack.buffer, s.stack.byteOffset).getBigUint64(off, true); }
export function setSlot(s, off, v) { new DataView(s.stack.buffer, s.stack.byteOffset).setBigUint64(off, BigInt.asUintN(64, BigInt(v)), true); }
