// Canonical function types, shared by every module of one interpreter.
//
// call_indirect compares a callee's type with the expected one. Interning
// each structurally distinct FuncType once gives it a small integer id, so
// that check is one integer compare, across modules too.
//
// Types are found by a 64-bit FNV-1a hash of (param count, params, result
// count, results) and then compared in full, so interning costs time linear
// in the type's length (a key string built by concatenation cost quadratic
// time and memory: one type of 100,000 parameters took gigabytes).

import { FuncType } from "../binary/module";

const canonTypes = new Array<FuncType>();
/** Hash -> first canonical id with it; further ids with the same hash chain through `sameHash`. */
const canonByHash = new Map<u64, u32>();
const sameHash = new Array<i32>();

const FNV_OFFSET: u64 = 0xCBF29CE484222325;
const FNV_PRIME: u64 = 0x100000001B3;

@inline function mix(h: u64, b: u32): u64 { return (h ^ <u64>b) * FNV_PRIME; }

function mixLength(h: u64, n: u32): u64 {
  h = mix(h, n & 0xFF); h = mix(h, (n >> 8) & 0xFF); h = mix(h, (n >> 16) & 0xFF);
  return mix(h, n >> 24);
}

function typeHash(t: FuncType): u64 {
  let h = mixLength(FNV_OFFSET, <u32>t.params.length);
  for (let i = 0; i < t.params.length; i++) h = mix(h, t.params[i]);
  h = mixLength(h, <u32>t.results.length);
  for (let i = 0; i < t.results.length; i++) h = mix(h, t.results[i]);
  return h;
}

/** The canonical id of `t` (structural equality), registering it if new. */
export function internType(t: FuncType): u32 {
  let h = typeHash(t);
  let last: i32 = -1;
  if (canonByHash.has(h)) {
    let id = <i32>canonByHash.get(h);
    while (id >= 0) {
      if (canonTypes[id].equals(t)) return <u32>id;
      last = id;
      id = sameHash[id];
    }
  }
  let copy = new FuncType();
  copy.params = t.params.slice(0);
  copy.results = t.results.slice(0);
  let id = <u32>canonTypes.length;
  copy.canon = id;
  canonTypes.push(copy);
  sameHash.push(-1);
  if (last >= 0) sameHash[last] = <i32>id; else canonByHash.set(h, id);
  return id;
}

export function canonType(id: u32): FuncType {
  return canonTypes[id];
}
