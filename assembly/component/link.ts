// Instances and aliases (Binary.md "Instance Definitions", "Alias
// Definitions"): instantiating a component type with named arguments
// (resource imports replaced by the arguments, defined resources made
// fresh), bundling inline exports, and the three kinds of alias.

import { Reader } from "../binary/reader";
import { CType, TK, NONE, Ext, Sort, CORE_SORT_BASE, CoreSort } from "./types";
import { st, Scope, ScopeKind, invalid, malformed, addType, checkIndex, roomFor, canonOf, spend } from "./state";
import { readNameAttrs, readSort, itemExt, pushExt, checkImplements, declare, named } from "./externs";
import { parseExternName, NameKind, uniqueKey, nameProblem } from "./names";
import { extSub, subst, mismatch, sortName, aSort } from "./subtype";
import { pushCoreItem } from "./core";
import { findExport, findCoreExport, isImportFresh } from "./lookup";

/** A component `instance` definition. */
export function readInstance(r: Reader, sc: Scope): void {
  let at = r.pos;
  let tag = r.u8();
  if (tag == 0x00) instantiate(r, sc);
  else if (tag == 0x01) bundle(r, sc);
  else if (!r.failed) malformed(r, "malformed instance expression 0x" + tag.toString(16), at);
}

function instantiate(r: Reader, sc: Scope): void {
  let cat = r.pos;
  let ci = r.u32leb();
  if (!checkIndex(r, ci, sc.components.length, "component", cat)) return;
  let ct = st.arena[sc.components[ci]];
  let n = r.count(3);
  let args = new Map<string, Ext>();
  for (let i: u32 = 0; i < n && !r.failed; i++) {
    let nat = r.pos;
    let name = r.name();
    let sat = r.pos;
    let sort = readSort(r);
    let idx = r.u32leb();
    if (r.failed) return;
    let e = itemExt(r, sc, sort, idx, name, sat);
    if (!e) return;
    if (args.has(name)) { invalid(r, "duplicate instantiation argument `" + name + "`", nat); return; }
    args.set(name, e);
  }
  if (r.failed) return;
  // each instantiation costs its component's imports and exports (many instantiations of a big type end at the budget)
  if (!spend(r, <i64>ct.imports.length + <i64>ct.exports.length)) return;
  let map = new Map<i32, i32>();
  for (let i = 0; i < ct.imports.length; i++) {
    let imp = ct.imports[i];
    if (!args.has(imp.name)) { invalid(r, "missing instantiation argument `" + imp.name + "` (" + aSort(imp.sort) + ")", cat); return; }
    let arg = args.get(imp.name);
    if (imp.sort == Sort.Type && isImportFresh(ct, imp.type)) {
      if (arg.sort != Sort.Type || st.arena[arg.type].kind != TK.Resource) {
        invalid(r, "instantiation argument `" + imp.name + "` must be a resource type", cat);
        return;
      }
      map.set(imp.type, arg.type);
      continue;
    }
    let want = new Ext(imp.name, imp.sort, subst(r, imp.type, map));
    if (!extSub(r, arg, want, map)) {
      if (!r.failed) invalid(r, "type mismatch in instantiation argument `" + imp.name + "`: " + mismatch, cat);
      return;
    }
    // the argument's type replaces the imported one in everything after it
    if (imp.sort == Sort.Type && !map.has(canonOf(imp.type))) map.set(canonOf(imp.type), arg.type);
  }
  // each instantiation defines its own copies of the resources the component defines
  for (let i = 0; i < ct.freshResources.length; i++) {
    let old = st.arena[ct.freshResources[i]];
    let fresh = new CType(TK.Resource);
    fresh.hasResource = true;
    fresh.rep = old.rep;
    let id = addType(r, fresh);
    if (id == NONE) return;
    map.set(ct.freshResources[i], id);
  }
  let inst = new CType(TK.Instance);
  for (let i = 0; i < ct.exports.length; i++) {
    let x = ct.exports[i];
    inst.exports.push(new Ext(x.name, x.sort, subst(r, x.type, map)));
    if (st.arena[x.type].hasResource) inst.hasResource = true;
  }
  if (r.failed) return;
  let id = addType(r, inst);
  if (id != NONE && roomFor(r, sc.instances.length, "instance")) sc.instances.push(id);
}

/** An instance bundled from inline exports: names, annotations and type aliases as for an instance type. */
function bundle(r: Reader, sc: Scope): void {
  let inst = new CType(TK.Instance);
  let bag = new Scope(ScopeKind.InstanceType, -1);
  let n = r.count(3);
  for (let i: u32 = 0; i < n && !r.failed; i++) {
    let nat = r.pos;
    let name = readNameAttrs(r);
    if (r.failed) return;
    let nk = parseExternName(name);
    if (nk == NameKind.Invalid) { invalid(r, "instance export name `" + name + "` is not a valid extern name: " + nameProblem, nat); return; }
    let sat = r.pos;
    let sort = readSort(r);
    let idx = r.u32leb();
    if (r.failed) return;
    let e = itemExt(r, sc, sort, idx, name, sat);
    if (!e) return;
    checkImplements(r, name, sort, nk, nat);
    declare(r, bag, named(r, e, false), false, nk, nat);
    if (st.arena[e.type].hasResource) inst.hasResource = true;
  }
  inst.exports = bag.exports;
  if (r.failed) return;
  let id = addType(r, inst);
  if (id != NONE && roomFor(r, sc.instances.length, "instance")) sc.instances.push(id);
}

// ---------------------------------------------------------------- aliases

/** An `alias` in scope `sc`; `declarator` applies the narrower rules of type declarators. */
export function readAlias(r: Reader, sc: Scope, declarator: bool): void {
  let at = r.pos;
  let sort = readSort(r);
  let tat = r.pos;
  let tag = r.u8();
  if (r.failed) return;
  if (tag == 0x00) exportAlias(r, sc, sort, declarator, at);
  else if (tag == 0x01) coreExportAlias(r, sc, sort, declarator, at);
  else if (tag == 0x02) outerAlias(r, sc, sort, declarator, at);
  else malformed(r, "malformed alias target 0x" + tag.toString(16), tat);
}

function exportAlias(r: Reader, sc: Scope, sort: u32, declarator: bool, at: u32): void {
  let iat = r.pos;
  let ii = r.u32leb();
  let name = r.name();
  if (!checkIndex(r, ii, sc.instances.length, "instance", iat)) return;
  if (declarator && sort != Sort.Instance && sort != Sort.Type) {
    invalid(r, "export aliases in a type may only name instances and types, not " + aSort(sort), at);
    return;
  }
  let inst = st.arena[sc.instances[ii]];
  let e = findExport(inst, name);
  if (!e) { invalid(r, "instance " + ii.toString() + " has no export named `" + name + "`", iat); return; }
  if (e.sort != sort) { invalid(r, "export `" + name + "` of instance " + ii.toString() + " is " + aSort(e.sort) + ", not " + aSort(sort), iat); return; }
  pushExt(r, sc, e);
}

function coreExportAlias(r: Reader, sc: Scope, sort: u32, declarator: bool, at: u32): void {
  let iat = r.pos;
  let ii = r.u32leb();
  let name = r.name();
  if (r.failed) return;
  if (declarator) { invalid(r, "core export aliases are not allowed in type declarations", at); return; }
  if (sort < CORE_SORT_BASE || sort - CORE_SORT_BASE > <u32>CoreSort.Tag) {
    invalid(r, "core export aliases name core funcs, tables, memories, globals or tags, not " + aSort(sort), at);
    return;
  }
  if (!checkIndex(r, ii, sc.coreInstances.length, "core instance", iat)) return;
  let e = findCoreExport(st.arena[sc.coreInstances[ii]], name);
  if (!e) { invalid(r, "core instance " + ii.toString() + " has no export named `" + name + "`", iat); return; }
  if (<u32>e.ext.kind != sort - CORE_SORT_BASE) { invalid(r, "export `" + name + "` of core instance " + ii.toString() + " is not " + aSort(sort), iat); return; }
  pushCoreItem(r, sc, e.ext);
}

function outerAlias(r: Reader, sc: Scope, sort: u32, declarator: bool, at: u32): void {
  let cat = r.pos;
  let ct = r.u32leb();
  let idx = r.u32leb();
  if (r.failed) return;
  let okSort = sort == Sort.Type || sort == CORE_SORT_BASE + CoreSort.Type;
  if (!declarator) okSort = okSort || sort == Sort.Component || sort == CORE_SORT_BASE + CoreSort.Module;
  if (!okSort) { invalid(r, "outer aliases may only name types" + (declarator ? "" : ", modules and components") + ", not " + aSort(sort), at); return; }
  let depth = st.scopes.length;
  if (ct >= <u32>depth) { invalid(r, "outer alias count " + ct.toString() + " exceeds the enclosing scopes (" + (depth - 1).toString() + ")", cat); return; }
  let target = st.scopes[depth - 1 - <i32>ct];
  let crossesComponent = false;
  for (let k = 0; k < <i32>ct; k++) if (st.scopes[depth - 1 - k].kind == ScopeKind.Component) crossesComponent = true;
  let t: i32 = NONE;
  if (sort == Sort.Type) {
    if (!checkIndex(r, idx, target.types.length, "type", cat)) return;
    t = target.types[idx];
    if (crossesComponent && st.arena[t].hasResource) {
      invalid(r, "outer alias of type " + idx.toString() + " refers to resources not defined in the current component", cat);
      return;
    }
    if (roomFor(r, sc.types.length, "type")) sc.types.push(t);
  } else if (sort == CORE_SORT_BASE + CoreSort.Type) {
    if (!checkIndex(r, idx, target.coreTypes.length, "core type", cat)) return;
    if (roomFor(r, sc.coreTypes.length, "core type")) sc.coreTypes.push(target.coreTypes[idx]);
  } else if (sort == Sort.Component) {
    if (!checkIndex(r, idx, target.components.length, "component", cat)) return;
    if (roomFor(r, sc.components.length, "component")) sc.components.push(target.components[idx]);
  } else {
    if (!checkIndex(r, idx, target.coreModules.length, "core module", cat)) return;
    if (roomFor(r, sc.coreModules.length, "core module")) sc.coreModules.push(target.coreModules[idx]);
  }
}
