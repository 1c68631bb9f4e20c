// Type matching: when an argument, an export's ascription or an alias must
// fit an expected type. Value and function types match structurally;
// resources match by identity, through `map` (resource id -> resource id,
// applied to both sides), which instantiation and instance subtyping fill
// as `(sub resource)` declarations meet the actual resources.
//
// Every step spends from the work budget (state.ts), and types are at most
// MAX_TYPE_DEPTH deep, so a hostile input ends with an error, not a hang.

import { Reader } from "../binary/reader";
import { FuncType, Limits } from "../binary/module";
import { CType, TK, NONE, Ext, Sort, CORE_SORT_BASE, CoreSort, CoreExt, CoreNamed } from "./types";
import { st, spend, addType, canonOf } from "./state";
import { findExport, findImport, findCoreExport, findCoreImport, isFresh, isImportFresh } from "./lookup";

/** Why the last match failed (for the error text). */
export let mismatch: string = "";

/** A resource's identity: its canonical id, through `map`. */
function res(map: Map<i32, i32>, id: i32): i32 {
  let c = canonOf(id);
  return map.has(c) ? canonOf(map.get(c)) : c;
}

/** Value types equal (resources through `map`). */
export function valEq(r: Reader, a: i32, b: i32, map: Map<i32, i32>): bool {
  if (a == b) return true;
  if (a != NONE && b != NONE && canonOf(a) == canonOf(b)) return true;
  if (a == NONE || b == NONE) return false;
  if (!spend(r)) return false;
  let x = st.arena[a], y = st.arena[b];
  if (x.kind == TK.Resource && y.kind == TK.Resource) return res(map, a) == res(map, b);
  if (x.kind != y.kind) return false;
  switch (x.kind) {
    case TK.Prim: return x.a == y.a;
    case TK.Own: case TK.Borrow: return res(map, x.a) == res(map, y.a);
    case TK.List: case TK.Option: return valEq(r, x.a, y.a, map);
    case TK.Result: return valEq(r, x.a, y.a, map) && valEq(r, x.b, y.b, map);
  }
  if (!sameLabels(x, y) || x.members.length != y.members.length) return false;
  for (let i = 0; i < x.members.length; i++) {
    let p = x.members[i], q = y.members[i];
    if (p == NONE && q == NONE) continue;
    if (!valEq(r, p, q, map)) return false;
  }
  return true;
}

function sameLabels(x: CType, y: CType): bool {
  if (x.labels.length != y.labels.length) return false;
  for (let i = 0; i < x.labels.length; i++) if (x.labels[i] != y.labels[i]) return false;
  return true;
}

/** Function types: same parameter names and types, same result. */
export function funcEq(r: Reader, a: i32, b: i32, map: Map<i32, i32>): bool {
  if (a == b || canonOf(a) == canonOf(b)) return true;
  let x = st.arena[a], y = st.arena[b];
  if (!sameLabels(x, y)) { mismatch = "parameter names differ"; return false; }
  for (let i = 0; i < x.members.length; i++) {
    if (!valEq(r, x.members[i], y.members[i], map)) { mismatch = "type of parameter `" + x.labels[i] + "` differs"; return false; }
  }
  if (x.a == NONE && y.a == NONE) return true;
  if (!valEq(r, x.a, y.a, map)) { mismatch = "result types differ"; return false; }
  return true;
}

/** An actual extern `a` fits the expected extern `b`. */
export function extSub(r: Reader, a: Ext, b: Ext, map: Map<i32, i32>): bool {
  if (!spend(r)) return false;
  if (a.sort != b.sort) { mismatch = "expected " + aSort(b.sort) + ", found " + aSort(a.sort); return false; }
  switch (a.sort) {
    case Sort.Func: return funcEq(r, a.type, b.type, map);
    case Sort.Type: return typeSub(r, a.type, b.type, map);
    case Sort.Instance: return instanceSub(r, a.type, b.type, map);
    case Sort.Component: return componentSub(r, a.type, b.type, map);
    case CORE_SORT_BASE + CoreSort.Module: return moduleSub(r, a.type, b.type);
  }
  return true;
}

function typeSub(r: Reader, a: i32, b: i32, map: Map<i32, i32>): bool {
  let x = st.arena[a], y = st.arena[b];
  if (x.kind == TK.Resource || y.kind == TK.Resource) {
    if (res(map, a) == res(map, b)) return true;
    mismatch = "resource types differ";
    return false;
  }
  if (x.kind == TK.Func && y.kind == TK.Func) return funcEq(r, a, b, map);
  if (x.kind == TK.Instance && y.kind == TK.Instance) return instanceSub(r, a, b, map);
  if (x.kind == TK.Component && y.kind == TK.Component) return componentSub(r, a, b, map);
  if (!valEq(r, a, b, map)) { mismatch = "types differ"; return false; }
  return true;
}

/** Every export `b` declares, `a` has with a fitting type; b's `(sub resource)` exports take a's resources. */
export function instanceSub(r: Reader, a: i32, b: i32, map: Map<i32, i32>): bool {
  let x = st.arena[a], y = st.arena[b];
  for (let i = 0; i < y.exports.length; i++) {
    let want = y.exports[i];
    let have = findExport(x, want.name);
    if (!have) { mismatch = "missing export `" + want.name + "`"; return false; }
    if (want.sort == Sort.Type && isFresh(y, canonOf(want.type))) {
      if (have.sort != Sort.Type || st.arena[have.type].kind != TK.Resource) { mismatch = "export `" + want.name + "` must be a resource type"; return false; }
      map.set(canonOf(want.type), res(map, have.type));
      continue;
    }
    if (!extSub(r, have, want, map)) { mismatch = "export `" + want.name + "`: " + mismatch; return false; }
  }
  return true;
}

/** Components: `a` needs no import `b` lacks (contravariant), and has every export of `b`. */
export function componentSub(r: Reader, a: i32, b: i32, map: Map<i32, i32>): bool {
  let x = st.arena[a], y = st.arena[b];
  for (let i = 0; i < x.imports.length; i++) {
    let need = x.imports[i];
    let given = findImport(y, need.name);
    if (!given) { mismatch = "extra import `" + need.name + "`"; return false; }
    if (need.sort == Sort.Type && isImportFresh(x, canonOf(need.type)) && given.sort == Sort.Type) {
      map.set(canonOf(need.type), res(map, given.type));
      continue;
    }
    if (!extSub(r, given, need, map)) { mismatch = "import `" + need.name + "`: " + mismatch; return false; }
  }
  for (let i = 0; i < y.exports.length; i++) {
    let want = y.exports[i];
    let have = findExport(x, want.name);
    if (!have) { mismatch = "missing export `" + want.name + "`"; return false; }
    if (want.sort == Sort.Type && isFresh(y, canonOf(want.type))) {
      map.set(canonOf(want.type), res(map, have.type));
      continue;
    }
    if (!extSub(r, have, want, map)) { mismatch = "export `" + want.name + "`: " + mismatch; return false; }
  }
  return true;
}

// ---------------------------------------------------------------- core

export function coreFuncEq(a: FuncType, b: FuncType): bool { return a.equals(b); }

function limitsSub(a: Limits, b: Limits): bool {
  if (a.min < b.min) return false;
  if (b.hasMax) {
    if (!a.hasMax || a.max > b.max) return false;
  }
  return a.shared == b.shared && a.is64 == b.is64;
}

/** Core extern `a` fits expected `b` (core import matching). */
export function coreExtSub(a: CoreExt, b: CoreExt): bool {
  if (a.kind != b.kind) { mismatch = "expected a core " + coreSortName(b.kind) + ", found a core " + coreSortName(a.kind); return false; }
  switch (a.kind) {
    case CoreSort.Func: case CoreSort.Tag:
      if (!a.fn!.equals(b.fn!)) { mismatch = "function types differ"; return false; }
      return true;
    case CoreSort.Table:
      if (a.table!.elem != b.table!.elem || !limitsSub(a.table!.limits, b.table!.limits)) { mismatch = "table types differ"; return false; }
      return true;
    case CoreSort.Memory:
      if (!limitsSub(a.mem!.limits, b.mem!.limits)) { mismatch = "memory limits do not fit"; return false; }
      return true;
    case CoreSort.Global:
      if (a.global!.type != b.global!.type || a.global!.mutable != b.global!.mutable) { mismatch = "global types differ"; return false; }
      return true;
  }
  return false;
}

/** Core module types: `a` imports nothing `b` does not offer, and exports all `b` exports. */
export function moduleSub(r: Reader, a: i32, b: i32): bool {
  let x = st.arena[a], y = st.arena[b];
  for (let i = 0; i < x.coreImports.length; i++) {
    let need = x.coreImports[i];
    let given = findCoreImport(y, need.module, need.name);
    if (!given) { mismatch = "extra import `" + need.module + "` `" + need.name + "`"; return false; }
    if (!coreExtSub(given.ext, need.ext)) return false;
  }
  for (let i = 0; i < y.coreExports.length; i++) {
    let want = y.coreExports[i];
    let have = findCoreExport(x, want.name);
    if (!have) { mismatch = "missing export `" + want.name + "`"; return false; }
    if (!coreExtSub(have.ext, want.ext)) return false;
  }
  return spend(r, x.coreImports.length + y.coreExports.length);
}

// ---------------------------------------------------------------- substitution

/** Type `t` with resources replaced through `map`; the same id when nothing changes. */
export function subst(r: Reader, t: i32, map: Map<i32, i32>): i32 {
  if (t == NONE || map.size == 0) return t;
  if (map.has(canonOf(t))) return map.get(canonOf(t));
  let x = st.arena[t];
  if (x.kind == TK.Prim || x.kind == TK.Resource) return t;
  if (!spend(r)) return t;
  let c = new CType(x.kind);
  let changed = false;
  c.labels = x.labels;
  for (let i = 0; i < x.members.length; i++) {
    let m = subst(r, x.members[i], map);
    if (m != x.members[i]) changed = true;
    c.members.push(m);
  }
  c.a = x.a;
  c.b = x.b;
  if (x.kind == TK.Own || x.kind == TK.Borrow) { let m = canonOf(x.a); c.a = map.has(m) ? map.get(m) : x.a; }
  else { c.a = subst(r, x.a, map); c.b = subst(r, x.b, map); }
  if (c.a != x.a || c.b != x.b) changed = true;
  for (let i = 0; i < x.imports.length; i++) {
    let e = x.imports[i];
    let nt = subst(r, e.type, map);
    if (nt != e.type) changed = true;
    c.imports.push(new Ext(e.name, e.sort, nt));
  }
  for (let i = 0; i < x.exports.length; i++) {
    let e = x.exports[i];
    let nt = subst(r, e.type, map);
    if (nt != e.type) changed = true;
    c.exports.push(new Ext(e.name, e.sort, nt));
  }
  if (!changed || r.failed) return t;
  c.freshResources = [];
  for (let i = 0; i < x.freshResources.length; i++) {
    let f = x.freshResources[i];
    c.freshResources.push(map.has(f) ? map.get(f) : f);
  }
  c.importFresh = x.importFresh;
  c.canon = -1;
  c.depth = x.depth; c.size = x.size; c.align = x.align; c.flat = x.flat; c.flatOver = x.flatOver;
  c.hasBorrow = x.hasBorrow; c.hasList = x.hasList; c.hasResource = x.hasResource;
  let id = addType(r, c);
  return id < 0 ? t : id;
}

export function sortName(s: u32): string {
  switch (s) {
    case Sort.Func: return "func";
    case Sort.Value: return "value";
    case Sort.Type: return "type";
    case Sort.Component: return "component";
    case Sort.Instance: return "instance";
  }
  if (s >= CORE_SORT_BASE) return "core " + coreSortName(<u8>(s - CORE_SORT_BASE));
  return "sort " + s.toString();
}

/** "a func", "an instance", "a core module". */
export function aSort(s: u32): string {
  let n = sortName(s);
  return (n.charAt(0) == "i" ? "an " : "a ") + n;
}

export function coreSortName(k: u32): string {
  switch (k) {
    case CoreSort.Func: return "func";
    case CoreSort.Table: return "table";
    case CoreSort.Memory: return "memory";
    case CoreSort.Global: return "global";
    case CoreSort.Tag: return "tag";
    case CoreSort.Type: return "type";
    case CoreSort.Module: return "module";
    case CoreSort.Instance: return "instance";
  }
  return "sort " + k.toString();
}
