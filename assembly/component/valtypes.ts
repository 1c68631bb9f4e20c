// Value types (Binary.md "Type Definitions": defvaltype, valtype, functype)
// and the Canonical ABI facts of each (CanonicalABI.md: elem_size,
// alignment, flatten), computed once when the type is made.

import { Reader } from "../binary/reader";
import {
  CType, TK, NONE, FLAT_CAP, MAX_TYPE_DEPTH, F_I32, F_I64, F_F32, isValueKind,
} from "./types";
import { st, invalid, malformed, unsupported, addType, checkIndex } from "./state";
import { isLabel } from "./names";

/** Largest elem_size a value type may have (Binary.md: less than 2^28). */
const MAX_ELEM_SIZE: u64 = 1 << 28;
/** Most flags one flags type may hold. */
const MAX_FLAGS: i32 = 32;

// ---------------------------------------------------------------- facts

@inline function alignTo(n: u64, a: u32): u64 { return (n + <u64>a - 1) & ~(<u64>a - 1); }

function pushFlat(dst: CType, src: Array<u8>, srcOver: bool): void {
  if (srcOver) { dst.flatOver = true; return; }
  for (let i = 0; i < src.length; i++) {
    if (dst.flat.length >= FLAT_CAP) { dst.flatOver = true; return; }
    dst.flat.push(src[i]);
  }
}

/** Takes depth and the borrow/list/resource flags of a member. */
function absorb(t: CType, m: i32): void {
  let mt = st.arena[m];
  if (mt.depth + 1 > t.depth) t.depth = mt.depth + 1;
  if (mt.hasBorrow) t.hasBorrow = true;
  if (mt.hasList) t.hasList = true;
  if (mt.hasResource) t.hasResource = true;
}

function recordFacts(t: CType, items: Array<i32>): void {
  let size: u64 = 0;
  let align: u32 = 1;
  for (let i = 0; i < items.length; i++) {
    let m = st.arena[items[i]];
    absorb(t, items[i]);
    size = alignTo(size, m.align) + m.size;
    if (size > MAX_ELEM_SIZE) size = MAX_ELEM_SIZE; // saturate: the check only needs ">= 2^28"
    if (m.align > align) align = m.align;
    pushFlat(t, m.flat, m.flatOver);
  }
  t.align = align;
  t.size = alignTo(size, align);
}

/** Joins two flattened core types (CanonicalABI.md `join`). */
function join(a: u8, b: u8): u8 {
  if (a == b) return a;
  if ((a == F_I32 && b == F_F32) || (a == F_F32 && b == F_I32)) return F_I32;
  return F_I64;
}

function discSize(n: i32): u32 { return n <= 256 ? 1 : (n <= 65536 ? 2 : 4); }

/** Variant-shaped facts; `cases` holds payload types or NONE. */
function variantFacts(t: CType, cases: Array<i32>): void {
  let d = discSize(cases.length);
  let maxSize: u64 = 0;
  let align: u32 = d;
  let joined: Array<u8> = [];
  let over = false;
  for (let i = 0; i < cases.length; i++) {
    if (cases[i] == NONE) continue;
    let m = st.arena[cases[i]];
    absorb(t, cases[i]);
    if (m.size > maxSize) maxSize = m.size;
    if (m.align > align) align = m.align;
    if (m.flatOver) { over = true; continue; }
    for (let j = 0; j < m.flat.length; j++) {
      if (j < joined.length) joined[j] = join(joined[j], m.flat[j]);
      else joined.push(m.flat[j]);
    }
  }
  let size = alignTo(<u64>d, align) + maxSize;
  t.size = alignTo(size > MAX_ELEM_SIZE ? MAX_ELEM_SIZE : size, align);
  t.align = align;
  t.flat.push(F_I32);
  pushFlat(t, joined, over || joined.length >= FLAT_CAP);
}

// ---------------------------------------------------------------- reading

/** A `valtype`: a primitive code or an index of a defined value type. Returns NONE on error. */
export function readValType(r: Reader): i32 {
  let at = r.pos;
  let b = r.peek();
  if (b == 0xFFFFFFFF) { r.u8(); return NONE; }
  if (b >= 0x73 && b <= 0x7F) { r.u8(); return <i32>(0x7F - b); }
  if (b == 0x64) { unsupported(r, "not supported: async (error-context)", at); return NONE; }
  let v = r.s33leb();
  if (r.failed) return NONE;
  if (v < 0) { malformed(r, "malformed value type 0x" + b.toString(16), at); return NONE; }
  if (v > 0xFFFFFFFF) { malformed(r, "type index too large", at); return NONE; }
  let types = st.top.types;
  if (!checkIndex(r, <u32>v, types.length, "type", at)) return NONE;
  let id = types[<i32>v];
  if (!isValueKind(st.arena[id].kind)) { invalid(r, "type " + v.toString() + " is not a value type", at); return NONE; }
  return id;
}

/** `labellit`: a kebab-case label; "" on error. */
function readLabel(r: Reader, what: string): string {
  let at = r.pos;
  let s = r.name();
  if (r.failed) return "";
  if (!isLabel(s)) { invalid(r, what + " `" + s + "` is not a kebab-case label", at); return ""; }
  return s;
}

/** Reads `n` labels into t.labels, strongly unique; false on error. */
function pushLabel(r: Reader, t: CType, keys: Set<string>, s: string, what: string, at: u32): bool {
  if (r.failed) return false;
  let key = s.toLowerCase();
  if (keys.has(key)) { invalid(r, what + " `" + s + "` conflicts with a previous " + what + " (names must be strongly unique)", at); return false; }
  keys.add(key);
  t.labels.push(s);
  return true;
}

/** Finishes a new value type: depth and size limits, then adds it to the arena. */
function finish(r: Reader, t: CType, at: u32): i32 {
  if (r.failed) return NONE;
  if (t.depth > MAX_TYPE_DEPTH) { invalid(r, "type nesting deeper than " + MAX_TYPE_DEPTH.toString(), at); return NONE; }
  if (t.size >= MAX_ELEM_SIZE) { invalid(r, "value type size is 2^28 bytes or more (Canonical ABI elem_size limit)", at); return NONE; }
  return addType(r, t);
}

function readRecord(r: Reader, at: u32): i32 {
  let t = new CType(TK.Record);
  let n = r.count(2);
  if (!r.failed && n == 0) { invalid(r, "record needs at least one field", at); return NONE; }
  let keys = new Set<string>();
  for (let i: u32 = 0; i < n && !r.failed; i++) {
    let lat = r.pos;
    let l = readLabel(r, "field name");
    if (!pushLabel(r, t, keys, l, "field name", lat)) break;
    let vt = readValType(r);
    if (vt != NONE) t.members.push(vt);
  }
  if (r.failed) return NONE;
  recordFacts(t, t.members);
  return finish(r, t, at);
}

function readVariant(r: Reader, at: u32): i32 {
  let t = new CType(TK.Variant);
  let n = r.count(3);
  if (!r.failed && n == 0) { invalid(r, "variant needs at least one case", at); return NONE; }
  let keys = new Set<string>();
  for (let i: u32 = 0; i < n && !r.failed; i++) {
    let lat = r.pos;
    let l = readLabel(r, "variant case");
    if (!pushLabel(r, t, keys, l, "variant case", lat)) break;
    t.members.push(readOptValType(r));
    let z = r.pos;
    if (r.u8() != 0 && !r.failed) { malformed(r, "variant case must end in 0x00 (refinements are gone)", z); break; }
  }
  if (r.failed) return NONE;
  variantFacts(t, t.members);
  return finish(r, t, at);
}

/** `<valtype>?`: 0x00 none, 0x01 valtype. */
function readOptValType(r: Reader): i32 {
  let at = r.pos;
  let b = r.u8();
  if (b == 0) return NONE;
  if (b == 1) return readValType(r);
  if (!r.failed) malformed(r, "expected 0x00 or 0x01 for an optional type, got 0x" + b.toString(16), at);
  return NONE;
}

function readTuple(r: Reader, at: u32): i32 {
  let t = new CType(TK.Tuple);
  let n = r.count(1);
  if (!r.failed && n == 0) { invalid(r, "tuple needs at least one type", at); return NONE; }
  for (let i: u32 = 0; i < n && !r.failed; i++) {
    let vt = readValType(r);
    if (vt != NONE) t.members.push(vt);
  }
  if (r.failed) return NONE;
  recordFacts(t, t.members);
  return finish(r, t, at);
}

function readNames(r: Reader, t: CType, what: string, at: u32): bool {
  let n = r.count(1);
  if (!r.failed && n == 0) { invalid(r, what + " needs at least one name", at); return false; }
  if (t.kind == TK.Flags && n > <u32>MAX_FLAGS) { invalid(r, "flags may hold at most 32 names (" + n.toString() + " given)", at); return false; }
  let keys = new Set<string>();
  for (let i: u32 = 0; i < n && !r.failed; i++) {
    let lat = r.pos;
    let l = readLabel(r, what + " name");
    if (!pushLabel(r, t, keys, l, what + " name", lat)) break;
  }
  return !r.failed;
}

function readFlags(r: Reader, at: u32): i32 {
  let t = new CType(TK.Flags);
  if (!readNames(r, t, "flags", at)) return NONE;
  let n = t.labels.length;
  t.size = n <= 8 ? 1 : (n <= 16 ? 2 : 4);
  t.align = <u32>t.size;
  t.flat.push(F_I32);
  return finish(r, t, at);
}

function readEnum(r: Reader, at: u32): i32 {
  let t = new CType(TK.Enum);
  if (!readNames(r, t, "enum", at)) return NONE;
  let cases: Array<i32> = [];
  for (let i = 0; i < t.labels.length; i++) cases.push(NONE);
  variantFacts(t, cases);
  return finish(r, t, at);
}

function readHandle(r: Reader, kind: TK, at: u32): i32 {
  let iat = r.pos;
  let idx = r.u32leb();
  let types = st.top.types;
  if (!checkIndex(r, idx, types.length, "type", iat)) return NONE;
  let res = types[idx];
  if (st.arena[res].kind != TK.Resource) {
    invalid(r, (kind == TK.Own ? "own" : "borrow") + " needs a resource type; type " + idx.toString() + " is not one", iat);
    return NONE;
  }
  let t = new CType(kind);
  t.a = res;
  t.size = 4; t.align = 4;
  t.flat.push(F_I32);
  t.hasResource = true;
  t.hasBorrow = kind == TK.Borrow;
  t.depth = 2;
  return finish(r, t, at);
}

function readWrapped(r: Reader, kind: TK, at: u32): i32 {
  let e = readValType(r);
  if (e == NONE) return NONE;
  let t = new CType(kind);
  t.a = e;
  if (kind == TK.List) {
    absorb(t, e);
    t.size = 8; t.align = 4;
    t.flat.push(F_I32); t.flat.push(F_I32);
    t.hasList = true;
  } else { // option: variant { none, some(e) }
    let cases: Array<i32> = [NONE, e];
    variantFacts(t, cases);
  }
  return finish(r, t, at);
}

function readResult(r: Reader, at: u32): i32 {
  let ok = readOptValType(r);
  let err = readOptValType(r);
  if (r.failed) return NONE;
  let t = new CType(TK.Result);
  t.a = ok; t.b = err;
  let cases: Array<i32> = [ok, err];
  variantFacts(t, cases);
  return finish(r, t, at);
}

/** A `defvaltype` whose first byte is `b` (already read). Returns the type id or NONE. */
export function readDefValType(r: Reader, b: u32, at: u32): i32 {
  if (b >= 0x73 && b <= 0x7F) return <i32>(0x7F - b);
  switch (b) {
    case 0x72: return readRecord(r, at);
    case 0x71: return readVariant(r, at);
    case 0x70: return readWrapped(r, TK.List, at);
    case 0x6F: return readTuple(r, at);
    case 0x6E: return readFlags(r, at);
    case 0x6D: return readEnum(r, at);
    case 0x6B: return readWrapped(r, TK.Option, at);
    case 0x6A: return readResult(r, at);
    case 0x69: return readHandle(r, TK.Own, at);
    case 0x68: return readHandle(r, TK.Borrow, at);
    case 0x67: unsupported(r, "not supported: fixed-length lists", at); return NONE;
    case 0x66: unsupported(r, "not supported: async (stream)", at); return NONE;
    case 0x65: unsupported(r, "not supported: async (future)", at); return NONE;
    case 0x64: unsupported(r, "not supported: async (error-context)", at); return NONE;
    case 0x63: unsupported(r, "not supported: map types", at); return NONE;
  }
  malformed(r, "malformed type: unknown type code 0x" + b.toString(16), at);
  return NONE;
}

/** `functype` after its 0x40: params (labelled, unique) and an optional result. No borrow in results. */
export function readFuncType(r: Reader, at: u32): i32 {
  let t = new CType(TK.Func);
  let n = r.count(2);
  let keys = new Set<string>();
  for (let i: u32 = 0; i < n && !r.failed; i++) {
    let lat = r.pos;
    let l = readLabel(r, "parameter name");
    if (!pushLabel(r, t, keys, l, "parameter name", lat)) break;
    let vt = readValType(r);
    if (vt == NONE) break;
    t.members.push(vt);
    absorb(t, vt);
  }
  if (r.failed) return NONE;
  let rat = r.pos;
  let tag = r.u8();
  if (tag == 0x00) {
    let vt = readValType(r);
    if (vt == NONE) return NONE;
    if (st.arena[vt].hasBorrow) { invalid(r, "function result type contains a borrow handle", rat); return NONE; }
    t.a = vt;
    let rt = st.arena[vt];
    if (rt.depth + 1 > t.depth) t.depth = rt.depth + 1;
    if (rt.hasList) t.hasList = true;
    if (rt.hasResource) t.hasResource = true;
  } else if (tag == 0x01) {
    let z = r.pos;
    let cnt = r.u8();
    if (r.failed) return NONE;
    if (cnt != 0) {
      // the old named-results form: 0x01 vec(labelvaltype) with n > 0
      malformed(r, "named results are no longer allowed (resultlist 0x01 must be followed by 0x00)", z);
      return NONE;
    }
  } else if (!r.failed) {
    malformed(r, "malformed result list: 0x" + tag.toString(16), rat);
    return NONE;
  }
  if (r.failed) return NONE;
  if (t.depth > MAX_TYPE_DEPTH) { invalid(r, "type nesting deeper than " + MAX_TYPE_DEPTH.toString(), at); return NONE; }
  // the param borrow flag does not make the function "hold a borrow" for export checks
  t.hasBorrow = false;
  return addType(r, t);
}

/** Flattened core params/results of function type `f` (CanonicalABI.md flatten_functype). */
export function flattenFunc(f: CType, lift: bool, params: Array<u8>, results: Array<u8>): void {
  let over = false;
  for (let i = 0; i < f.members.length && !over; i++) {
    let m = st.arena[f.members[i]];
    if (m.flatOver) { over = true; break; }
    for (let j = 0; j < m.flat.length; j++) {
      if (params.length >= 16) { over = true; break; }
      params.push(m.flat[j]);
    }
  }
  if (over) { params.length = 0; params.push(F_I32); }
  if (f.a == NONE) return;
  let rt = st.arena[f.a];
  if (!rt.flatOver && rt.flat.length <= 1) {
    for (let j = 0; j < rt.flat.length; j++) results.push(rt.flat[j]);
  } else if (lift) {
    results.push(F_I32);
  } else {
    params.push(F_I32);
  }
}

/** Does any param or the result hold a list or string (the function needs a memory)? */
export function funcParamsHaveList(f: CType): bool {
  for (let i = 0; i < f.members.length; i++) if (st.arena[f.members[i]].hasList) return true;
  return false;
}

