// Canonical function types, shared by every module of one interpreter.
//
// call_indirect compares a callee's type with the expected one. Interning
// each structurally distinct FuncType once gives it a small integer id, so
// that check is one integer compare, across modules too.
//
// Types are found by an FNV-1a hash of (param count, params, result count,
// results) in an open-addressing table and then compared in full, so
// interning costs time linear in the type's length (a key string built by
// concatenation cost quadratic time and memory: one type of 100,000
// parameters took gigabytes). Identical types hash alike and stop the probe
// at once; distinct types are few (one per module type at most).

import { FuncType } from "../binary/module";

const canonTypes = new Array<FuncType>();
/** Open addressing: slot -> canonical id + 1 (0 empty), a power of two at least twice the ids. */
let slots = new StaticArray<u32>(64);

const FNV_OFFSET: u32 = 0x811C9DC5;
const FNV_PRIME: u32 = 0x01000193;

function typeHash(t: FuncType): u32 {
  let h = (FNV_OFFSET ^ <u32>t.params.length) * FNV_PRIME;
  for (let i = 0; i < t.params.length; i++) h = (h ^ t.params[i]) * FNV_PRIME;
  h = (h ^ (<u32>t.results.length | 0x100)) * FNV_PRIME;
  for (let i = 0; i < t.results.length; i++) h = (h ^ t.results[i]) * FNV_PRIME;
  return h;
}

/** The slot of `t`: where its id is, or the empty slot where it goes. */
function slotOf(t: FuncType, h: u32): u32 {
  let mask = <u32>slots.length - 1;
  let i = h & mask;
  while (true) {
    let id = slots[i];
    if (id == 0 || canonTypes[id - 1].equals(t)) return i;
    i = (i + 1) & mask;
  }
  return 0;
}

/** The canonical id of `t` (structural equality), registering it if new. */
export function internType(t: FuncType): u32 {
  let i = slotOf(t, typeHash(t));
  if (slots[i] != 0) return slots[i] - 1;
  let copy = new FuncType();
  copy.params = t.params.slice(0);
  copy.results = t.results.slice(0);
  let id = <u32>canonTypes.length;
  copy.canon = id;
  canonTypes.push(copy);
  slots[i] = id + 1;
  if ((id + 1) * 2 > <u32>slots.length) grow();
  return id;
}

/** Doubles the table and puts every id back. */
function grow(): void {
  slots = new StaticArray<u32>(slots.length * 2);
  for (let id = 0; id < canonTypes.length; id++) {
    let t = canonTypes[id];
    slots[slotOf(t, typeHash(t))] = <u32>id + 1;
  }
}

export function canonType(id: u32): FuncType {
  return canonTypes[id];
}
