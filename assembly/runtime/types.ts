// Canonical function types, shared by every module of one interpreter.
//
// call_indirect compares a callee's type with the expected one. Interning
// each structurally distinct FuncType once gives it a small integer id, so
// that check is one integer compare, across modules too.

import { FuncType } from "../binary/module";

const canonTypes = new Array<FuncType>();
const canonByKey = new Map<string, u32>();

function typeKey(t: FuncType): string {
  let s = "";
  for (let i = 0; i < t.params.length; i++) s += String.fromCharCode(t.params[i]);
  s += ":";
  for (let i = 0; i < t.results.length; i++) s += String.fromCharCode(t.results[i]);
  return s;
}

/** The canonical id of `t` (structural equality), registering it if new. */
export function internType(t: FuncType): u32 {
  let key = typeKey(t);
  if (canonByKey.has(key)) return canonByKey.get(key);
  let copy = new FuncType();
  copy.params = t.params.slice(0);
  copy.results = t.results.slice(0);
  let id = <u32>canonTypes.length;
  copy.canon = id;
  canonTypes.push(copy);
  canonByKey.set(key, id);
  return id;
}

export function canonType(id: u32): FuncType {
  return canonTypes[id];
}
