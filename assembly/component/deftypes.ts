// Type definitions (Binary.md "Type Definitions"): `type` entries of the
// type section and of component/instance type declarators — value types,
// function types, resource types, and component/instance types (each with
// its own, initially empty, index spaces).

import { Reader } from "../binary/reader";
import { CType, TK, NONE, F_I32 } from "./types";
import { st, Scope, ScopeKind, MAX_SCOPE_DEPTH, invalid, malformed, unsupported, addType, checkIndex, roomFor } from "./state";
import { readDefValType, readFuncType } from "./valtypes";
import { readCoreType } from "./core";
import { readImport, readExportDecl, scopeType } from "./externs";
import { readAlias } from "./link";

/** A `type` definition in scope `sc`; appends to sc.types. */
export function readTypeDef(r: Reader, sc: Scope): void {
  let at = r.pos;
  let b = r.u8();
  if (r.failed) return;
  let id: i32 = NONE;
  switch (b) {
    case 0x40: id = readFuncType(r, at); break;
    case 0x41: id = readTypeScope(r, ScopeKind.ComponentType, at); break;
    case 0x42: id = readTypeScope(r, ScopeKind.InstanceType, at); break;
    case 0x3F: id = readResource(r, sc, at); break;
    case 0x43: unsupported(r, "not supported: async (async function type)", at); return;
    default: id = readDefValType(r, b, at);
  }
  if (id != NONE && roomFor(r, sc.types.length, "type")) sc.types.push(id);
}

/** `resourcetype`: rep i32 and an optional destructor of type [i32] -> []. */
function readResource(r: Reader, sc: Scope, at: u32): i32 {
  if (sc.kind != ScopeKind.Component) { invalid(r, "resource types may not be defined in component or instance types", at); return NONE; }
  let rat = r.pos;
  let rep = r.u8();
  if (r.failed) return NONE;
  if (rep != F_I32) { invalid(r, "resource representation must be i32", rat); return NONE; }
  let dat = r.pos;
  let has = r.u8();
  if (has > 1 && !r.failed) { malformed(r, "malformed destructor flag 0x" + has.toString(16), dat); return NONE; }
  if (has == 1) {
    let fat = r.pos;
    let f = r.u32leb();
    if (!checkIndex(r, f, sc.coreFuncs.length, "core func", fat)) return NONE;
    let ft = sc.coreFuncs[f];
    if (ft.params.length != 1 || ft.params[0] != F_I32 || ft.results.length != 0) {
      invalid(r, "resource destructor must have type [i32] -> []", fat);
      return NONE;
    }
  }
  if (r.failed) return NONE;
  let t = new CType(TK.Resource);
  t.rep = F_I32;
  t.local = true;
  t.owner = sc.id;
  t.hasResource = true;
  let id = addType(r, t);
  if (id != NONE) sc.freshList.push(id);
  return id;
}

/** Pushes a new scope (bounded depth); null with an error past MAX_SCOPE_DEPTH. */
export function enterScope(r: Reader, kind: ScopeKind, at: u32): Scope | null {
  if (st.scopes.length >= MAX_SCOPE_DEPTH) { invalid(r, "components and types nested deeper than " + MAX_SCOPE_DEPTH.toString(), at); return null; }
  let sc = new Scope(kind, st.scopeCount++);
  st.scopes.push(sc);
  return sc;
}

/** `componenttype` (0x41) or `instancetype` (0x42): declarators in a fresh scope. */
function readTypeScope(r: Reader, kind: ScopeKind, at: u32): i32 {
  let sc = enterScope(r, kind, at);
  if (!sc) return NONE;
  let n = r.count(1);
  for (let i: u32 = 0; i < n && !r.failed; i++) {
    let dat = r.pos;
    let tag = r.u8();
    if (r.failed) break;
    switch (tag) {
      case 0x00: readCoreType(r, sc); break;
      case 0x01: readTypeDef(r, sc); break;
      case 0x02: readAlias(r, sc, true); break;
      case 0x03:
        if (kind == ScopeKind.InstanceType) { malformed(r, "instance types may not declare imports", dat); break; }
        readImport(r, sc);
        break;
      case 0x04: readExportDecl(r, sc); break;
      default: malformed(r, "malformed type declarator 0x" + tag.toString(16), dat);
    }
  }
  st.scopes.pop();
  if (r.failed) return NONE;
  return scopeType(r, sc);
}
