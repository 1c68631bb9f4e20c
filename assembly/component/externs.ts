// Imports and exports (Binary.md "Import and Export Definitions"): name
// attributes, extern types, the name rules (kebab-case, annotated names,
// interface names, strong uniqueness) and what an import or export adds to
// its scope's index spaces.

import { Reader } from "../binary/reader";
import { CType, TK, Ext, Sort, CORE_SORT_BASE, CoreSort, NONE } from "./types";
import { st, Scope, ScopeKind, invalid, malformed, unsupported, addType, checkIndex, roomFor, aliasType } from "./state";
import { extVisible, nameInstanceTypes } from "./visibility";
import { NameKind, parseExternName, uniqueKey, nameResource, nameMember, nameProblem, isSemver } from "./names";
import { extSub, mismatch, sortName, subst, aSort } from "./subtype";
import { canonOf } from "./state";
import { pushCoreItem } from "./core";

/** Whether the last name read carried an `implements` attribute. */
export let hadImplements: bool = false;

/** `nameattributes`: the extern name (attributes are checked, then ignored). "" on error. */
export function readNameAttrs(r: Reader): string {
  hadImplements = false;
  let at = r.pos;
  let tag = r.u8();
  if (r.failed) return "";
  if (tag > 2) { malformed(r, "malformed extern name prefix 0x" + tag.toString(16), at); return ""; }
  let name = r.name();
  if (tag != 2 || r.failed) return name;
  let n = r.count(2);
  let seen: u32 = 0;
  for (let i: u32 = 0; i < n && !r.failed; i++) {
    let aat = r.pos;
    let kind = r.u8();
    if (r.failed) break;
    if (kind > 2) { malformed(r, "malformed attribute 0x" + kind.toString(16), aat); break; }
    if (seen & (1 << kind)) { invalid(r, "an attribute kind may appear at most once", aat); break; }
    seen |= 1 << kind;
    let v = r.name();
    if (r.failed) break;
    if (kind == 0 && parseExternName(v) != NameKind.Interface) { invalid(r, "`implements` must be an interface name, got `" + v + "`", aat); break; }
    if (kind == 0) hadImplements = true;
    if (kind == 1 && name.indexOf("@") < 0) { invalid(r, "`versionsuffix` needs a versioned interface name", aat); break; }
  }
  return name;
}

/** Outer name checks for an import or export name; the NameKind, or Invalid with an error. */
function checkName(r: Reader, name: string, what: string, at: u32): NameKind {
  let kind = parseExternName(name);
  if (kind == NameKind.Invalid) invalid(r, what + " name `" + name + "` is not a valid extern name: " + nameProblem, at);
  return kind;
}

/** `externtype` in scope `sc`. Value externs are refused (🪙, not WASI 0.2). */
export function readExternType(r: Reader, sc: Scope, name: string): Ext | null {
  let at = r.pos;
  let tag = r.u8();
  if (r.failed) return null;
  switch (tag) {
    case 0x00: {
      let k = r.u8();
      if (!r.failed && k != CoreSort.Module) { malformed(r, "malformed core extern type: only core modules (0x11), got 0x" + k.toString(16), at); return null; }
      let iat = r.pos;
      let idx = r.u32leb();
      if (!checkIndex(r, idx, sc.coreTypes.length, "core type", iat)) return null;
      let t = sc.coreTypes[idx];
      if (st.arena[t].kind != TK.CoreModule) { invalid(r, "core type " + idx.toString() + " is not a module type", iat); return null; }
      return new Ext(name, CORE_SORT_BASE + CoreSort.Module, t);
    }
    case 0x01: return typedExt(r, sc, name, Sort.Func, TK.Func, "function");
    case 0x02: unsupported(r, "not supported: value imports and exports", at); return null;
    case 0x03: {
      let bat = r.pos;
      let b = r.u8();
      if (b == 0x00) {
        let iat = r.pos;
        let idx = r.u32leb();
        if (!checkIndex(r, idx, sc.types.length, "type", iat)) return null;
        return new Ext(name, Sort.Type, sc.types[idx]);
      }
      if (b == 0x01) {
        let res = new CType(TK.Resource);
        res.hasResource = true;
        res.owner = -1;
        let id = addType(r, res);
        return id == NONE ? null : new Ext(name, Sort.Type, id);
      }
      if (!r.failed) malformed(r, "malformed type bound 0x" + b.toString(16), bat);
      return null;
    }
    case 0x04: return typedExt(r, sc, name, Sort.Component, TK.Component, "component type");
    case 0x05: return typedExt(r, sc, name, Sort.Instance, TK.Instance, "instance type");
  }
  malformed(r, "malformed extern type 0x" + tag.toString(16), at);
  return null;
}

function typedExt(r: Reader, sc: Scope, name: string, sort: u32, kind: TK, what: string): Ext | null {
  let iat = r.pos;
  let idx = r.u32leb();
  if (!checkIndex(r, idx, sc.types.length, "type", iat)) return null;
  let t = sc.types[idx];
  if (st.arena[t].kind != kind) { invalid(r, "type " + idx.toString() + " is not " + (what.charAt(0) == "i" ? "an " : "a ") + what, iat); return null; }
  return new Ext(name, sort, t);
}

/** Appends an extern's item to the index space of its sort. */
export function pushExt(r: Reader, sc: Scope, e: Ext): void {
  switch (e.sort) {
    case Sort.Func: if (roomFor(r, sc.funcs.length, "func")) sc.funcs.push(e.type); break;
    case Sort.Type: if (roomFor(r, sc.types.length, "type")) sc.types.push(e.type); break;
    case Sort.Component: if (roomFor(r, sc.components.length, "component")) sc.components.push(e.type); break;
    case Sort.Instance: if (roomFor(r, sc.instances.length, "instance")) sc.instances.push(e.type); break;
    case CORE_SORT_BASE + CoreSort.Module: if (roomFor(r, sc.coreModules.length, "core module")) sc.coreModules.push(e.type); break;
  }
}

/** The rules of [constructor]/[method]/[static] names (Binary.md notes on imports and exports). */
function checkAnnotation(r: Reader, sc: Scope, kind: NameKind, e: Ext, isImport: bool, at: u32): void {
  if (kind == NameKind.Label || kind == NameKind.Interface) return;
  if (e.sort != Sort.Func) { invalid(r, "`" + e.name + "` is an annotated name, so it must be a function", at); return; }
  let resName = nameResource;
  let named = isImport ? sc.importResources : sc.exportResources;
  if (!named.has(resName)) {
    invalid(r, "`" + e.name + "` names resource `" + resName + "`, which is not a preceding resource " + (isImport ? "import" : "export") + " (resource used in function does not have a name in this context)", at);
    return;
  }
  let res = named.get(resName);
  let f = st.arena[e.type];
  if (kind == NameKind.Constructor) {
    let ok = false;
    if (f.a != NONE) {
      let rt = st.arena[f.a];
      if (rt.kind == TK.Own && rt.a == res) ok = true;
      if (rt.kind == TK.Result && rt.a != NONE) {
        let okT = st.arena[rt.a];
        ok = okT.kind == TK.Own && okT.a == res;
      }
    }
    if (!ok) invalid(r, "`" + e.name + "` must return (own " + resName + ") or a result whose ok type is (own " + resName + ")", at);
  } else if (kind == NameKind.Method) {
    let ok = f.members.length > 0 && f.labels[0] == "self";
    if (ok) {
      let p = st.arena[f.members[0]];
      ok = p.kind == TK.Borrow && p.a == res;
    }
    if (!ok) invalid(r, "`" + e.name + "` must take (param \"self\" (borrow " + resName + ")) first", at);
  }
}

/** `implements` only on instance externs with plain names (Binary.md notes). */
export function checkImplements(r: Reader, name: string, sort: u32, kind: NameKind, at: u32): void {
  if (!hadImplements) return;
  if (sort != Sort.Instance) { invalid(r, "`" + name + "`: only instances can have an `implements` attribute", at); return; }
  if (kind != NameKind.Label) invalid(r, "name `" + name + "` is not valid with `implements` (a plain name is required)", at);
}

/** Names, uniqueness and visibility, then the effects of an import or export on the scope. */
export function declare(r: Reader, sc: Scope, e: Ext, isImport: bool, kind: NameKind, at: u32): void {
  let keys = isImport ? sc.importKeys : sc.exportKeys;
  let key = uniqueKey(e.name);
  let what = isImport ? "import" : "export";
  if (keys.has(key)) { invalid(r, what + " name `" + e.name + "` conflicts with a previous " + what + " name (names must be strongly unique)", at); return; }
  keys.add(key);
  checkAnnotation(r, sc, kind, e, isImport, at);
  if (r.failed) return;
  if (sc.kind != ScopeKind.InstanceType && !extVisible(r, e, isImport ? sc.importNamed : sc.allNamed)) {
    if (!r.failed) invalid(r, sortName(e.sort) + " not valid to be used as " + what + ": `" + e.name + "` uses a record, variant, enum, flags or resource type that no preceding " + (isImport ? "import" : "import or export") + " names", at);
    return;
  }
  if (e.sort == Sort.Type) {
    if (isImport) sc.importNamed.add(e.type);
    sc.allNamed.add(e.type);
  } else if (e.sort == Sort.Instance) {
    if (isImport) nameInstanceTypes(e.type, sc.importNamed);
    nameInstanceTypes(e.type, sc.allNamed);
  }
  if (e.sort == Sort.Type && st.arena[e.type].kind == TK.Resource && kind == NameKind.Label) {
    if (isImport) sc.importResources.set(e.name, e.type); else sc.exportResources.set(e.name, e.type);
  }
  if (isImport) sc.imports.push(e); else sc.exports.push(e);
}

/**
 * An instance typed by an instance type with `(sub resource)` exports gets
 * resources of its own (two imports of one instance type hold different
 * resources); they join `list` (the scope's fresh or import-fresh resources).
 */
function freshen(r: Reader, e: Ext, list: Array<i32>): Ext {
  if (e.sort != Sort.Instance) return e;
  let t = st.arena[e.type];
  if (t.freshResources.length == 0) return e;
  let map = new Map<i32, i32>();
  for (let i = 0; i < t.freshResources.length; i++) {
    let res = new CType(TK.Resource);
    res.hasResource = true;
    let id = addType(r, res);
    if (id < 0) return e;
    map.set(t.freshResources[i], id);
    list.push(id);
  }
  return new Ext(e.name, e.sort, subst(r, e.type, map));
}

/** A type import/export names its type: an alias of its own, unless it made a fresh resource. */
export function named(r: Reader, e: Ext, fresh: bool): Ext {
  if (e.sort != Sort.Type || fresh) return e;
  return new Ext(e.name, e.sort, aliasType(r, e.type));
}

/** `import` (a component's import section, or an importdecl of a component type). */
export function readImport(r: Reader, sc: Scope): void {
  let at = r.pos;
  let name = readNameAttrs(r);
  if (r.failed) return;
  let kind = checkName(r, name, "import", at);
  if (r.failed) return;
  let before = st.arena.length;
  let e = readExternType(r, sc, name);
  if (!e) return;
  checkImplements(r, name, e.sort, kind, at);
  // a `(sub resource)` import made a fresh resource: arguments replace it at instantiation
  let fresh = e.sort == Sort.Type && e.type >= before && st.arena[e.type].kind == TK.Resource;
  if (fresh) sc.importFresh.push(e.type);
  e = named(r, e, fresh);
  e = freshen(r, e, sc.importFresh);
  declare(r, sc, e, true, kind, at);
  if (!r.failed) pushExt(r, sc, e);
}

/** `exportdecl` of a component or instance type: the declared extern joins the type's index spaces. */
export function readExportDecl(r: Reader, sc: Scope): void {
  let at = r.pos;
  let name = readNameAttrs(r);
  if (r.failed) return;
  let kind = checkName(r, name, "export", at);
  if (r.failed) return;
  let before = st.arena.length;
  let e = readExternType(r, sc, name);
  if (!e) return;
  checkImplements(r, name, e.sort, kind, at);
  let fresh = e.sort == Sort.Type && e.type >= before && st.arena[e.type].kind == TK.Resource;
  if (fresh) sc.freshList.push(e.type);
  e = named(r, e, fresh);
  e = freshen(r, e, sc.freshList);
  if (e.sort == Sort.Type && st.arena[e.type].hasBorrow) { invalid(r, "exported type `" + name + "` contains a borrow handle", at); return; }
  declare(r, sc, e, false, kind, at);
  if (!r.failed) pushExt(r, sc, e);
}

/** The type of item (sort, idx) in `sc`, as an Ext named `name`; null with an error. */
export function itemExt(r: Reader, sc: Scope, sort: u32, idx: u32, name: string, at: u32): Ext | null {
  let t: i32 = NONE;
  switch (sort) {
    case Sort.Func: if (!checkIndex(r, idx, sc.funcs.length, "func", at)) return null; t = sc.funcs[idx]; break;
    case Sort.Type: if (!checkIndex(r, idx, sc.types.length, "type", at)) return null; t = sc.types[idx]; break;
    case Sort.Component: if (!checkIndex(r, idx, sc.components.length, "component", at)) return null; t = sc.components[idx]; break;
    case Sort.Instance: if (!checkIndex(r, idx, sc.instances.length, "instance", at)) return null; t = sc.instances[idx]; break;
    case CORE_SORT_BASE + CoreSort.Module: if (!checkIndex(r, idx, sc.coreModules.length, "core module", at)) return null; t = sc.coreModules[idx]; break;
    case Sort.Value: unsupported(r, "not supported: values", at); return null;
    default: invalid(r, aSort(sort) + " cannot be exported or passed to a component", at); return null;
  }
  return new Ext(name, sort, t);
}

/** `sort`: 0x00 core:sort, or a component sort 0x01..0x05. 0 (with an error) if malformed. */
export function readSort(r: Reader): u32 {
  let at = r.pos;
  let s = r.u8();
  if (r.failed) return 0;
  if (s == 0x00) {
    let c = r.u8();
    if (r.failed) return 0;
    if (c <= <u32>CoreSort.Tag || c == CoreSort.Type || c == CoreSort.Module || c == CoreSort.Instance) return CORE_SORT_BASE + c;
    malformed(r, "malformed core sort 0x" + c.toString(16), at);
    return 0;
  }
  if (s >= 0x01 && s <= 0x05) {
    if (s == Sort.Value) { unsupported(r, "not supported: values", at); return 0; }
    return s;
  }
  malformed(r, "malformed sort 0x" + s.toString(16), at);
  return 0;
}

/** A component's `export`: sortidx, optional ascription; the export becomes a new index. */
export function readExport(r: Reader, sc: Scope): void {
  let at = r.pos;
  let name = readNameAttrs(r);
  if (r.failed) return;
  let kind = checkName(r, name, "export", at);
  if (r.failed) return;
  let sat = r.pos;
  let sort = readSort(r);
  let idx = r.u32leb();
  if (r.failed) return;
  if (sort >= CORE_SORT_BASE && sort != CORE_SORT_BASE + CoreSort.Module) {
    invalid(r, "only core modules may be exported of the core sorts, not " + aSort(sort), sat);
    return;
  }
  let e = itemExt(r, sc, sort, idx, name, sat);
  if (!e) return;
  let ascribedFresh = false;
  let tag = r.u8();
  if (tag == 0x01) {
    let tat = r.pos;
    let before = st.arena.length;
    let asc = readExternType(r, sc, name);
    if (!asc) return;
    let map = new Map<i32, i32>();
    if (asc.sort == Sort.Type && asc.type >= before && st.arena[asc.type].kind == TK.Resource) {
      if (e.sort != Sort.Type || st.arena[e.type].kind != TK.Resource) { invalid(r, "export `" + name + "` is ascribed a resource type but is not one", tat); return; }
      // `(sub resource)` hides the resource: outside it is a fresh type of each instance
      sc.freshList.push(asc.type);
      e = asc;
      ascribedFresh = true;
    } else if (!extSub(r, e, asc, map)) {
      if (!r.failed) invalid(r, "type mismatch in export `" + name + "`: " + mismatch, tat);
      return;
    } else {
      e = asc; // the ascribed type is what the outside sees
    }
  } else if (tag != 0x00 && !r.failed) {
    malformed(r, "malformed export type ascription flag 0x" + tag.toString(16), sat);
    return;
  }
  if (r.failed) return;
  if (e.sort == Sort.Type && st.arena[e.type].hasBorrow) { invalid(r, "exported type `" + name + "` contains a borrow handle", at); return; }
  checkImplements(r, name, e.sort, kind, at);
  e = named(r, e, ascribedFresh);
  declare(r, sc, e, false, kind, at);
  if (!r.failed) pushExt(r, sc, e);
}

/** The component or instance type a type scope declared. */
export function scopeType(r: Reader, sc: Scope): i32 {
  let t = new CType(sc.kind == ScopeKind.InstanceType ? TK.Instance : TK.Component);
  t.imports = sc.imports;
  t.exports = sc.exports;
  t.freshResources = sc.freshList;
  t.importFresh = sc.importFresh;
  for (let i = 0; i < t.imports.length; i++) if (st.arena[t.imports[i].type].hasResource) t.hasResource = true;
  for (let i = 0; i < t.exports.length; i++) if (st.arena[t.exports[i].type].hasResource) t.hasResource = true;
  return addType(r, t);
}

export { pushCoreItem };
