// Core items inside a component: embedded core modules (decoded and
// validated by the core decoder/validator, binary/ and valid/), core types
// (function types and module types, Binary.md "core:type"), core instances
// and the core extern types that flow between them.

import { Reader } from "../binary/reader";
import { FuncType, TableType, MemType, GlobalType, Limits, ExternKind, Module } from "../binary/module";
import { decodeModule, readValType as readCoreValType, readRefType } from "../binary/decoder";
import { validateModule } from "../valid/index";
import { Err, lastError, errText } from "../errors";
import { CType, TK, CoreExt, CoreNamed, CoreSort, NONE } from "./types";
import { st, Scope, invalid, malformed, unsupported, fail, addType, checkIndex, newCoreExt, roomFor, spend } from "./state";
import { coreExtSub, mismatch, coreSortName } from "./subtype";
import { findCoreExport } from "./lookup";

/** Most pages a 32-bit memory may declare. */
const MAX_PAGES: u64 = 65536;

// ---------------------------------------------------------------- embedded modules

/** Decodes and validates the core module in bytes [start, start+len) of `r`; returns its module type. */
export function readCoreModule(r: Reader, start: u32, len: u32): i32 {
  let buf = new ArrayBuffer(<i32>len);
  memory.copy(changetype<usize>(buf), r.base + start, len);
  let m = decodeModule(buf);
  if (m && validateModule(m)) {
    // two-level names mangle to one level in components: (module, name) must be unique
    let seen = new Set<string>();
    for (let i = 0; i < m.imports.length; i++) {
      let key = m.imports[i].module + ":" + m.imports[i].name;
      if (seen.has(key)) { invalid(r, "duplicate import name `" + key + "` in core module", start + m.imports[i].offset); return NONE; }
      seen.add(key);
    }
    return moduleTypeOf(r, m);
  }
  let code = lastError.code;
  let off = lastError.offset >= 0 && <u64>lastError.offset < <u64>len ? start + <u32>lastError.offset : start;
  let text = errText(code);
  if (lastError.detail.length > 0) text += " (" + lastError.detail + ")";
  let proposal = coreProposal(r, code, off);
  if (proposal.length > 0) { unsupported(r, "not supported: core module uses " + proposal + " (the core decoder says: " + text + ")", off); return NONE; }
  fail(r, code, "core module: " + text, off);
  return NONE;
}

/**
 * The Wasm 3.0 proposal behind a core refusal, when the refused bytes are
 * that proposal's encoding (WRT's core decoder implements Wasm 2.0): a second
 * memory or a memarg with a memory index (bit 6), a tag section or tag use.
 */
function coreProposal(r: Reader, code: Err, off: u32): string {
  if (code == Err.MultipleMemories) return "multi-memory";
  if (code == Err.UnknownTag) return "exceptions (tags)";
  if (off >= r.end) return "";
  let b = <u32>load<u8>(r.base + off);
  if (code == Err.MalformedMemopFlags && (b & 0x40) != 0) return "multi-memory";
  if (code == Err.MalformedSectionId && b == 13) return "exceptions (tag section)";
  if (code == Err.MalformedLimits && (b == 2 || b == 3)) return "threads (shared memory)";
  return "";
}

function extOfImport(m: Module, i: i32): CoreExt {
  let imp = m.imports[i];
  let e = newCoreExt(imp.kind);
  switch (imp.kind) {
    case ExternKind.Func: case ExternKind.Tag: e.fn = m.types[imp.typeIdx]; break;
    case ExternKind.Table: e.table = imp.table; break;
    case ExternKind.Memory: e.mem = imp.mem; break;
    default: e.global = imp.global;
  }
  return e;
}

function extOfExport(m: Module, kind: u8, idx: u32): CoreExt {
  let e = newCoreExt(kind);
  switch (kind) {
    case ExternKind.Func: e.fn = m.funcType(idx); break;
    case ExternKind.Table: e.table = m.tableType(idx); break;
    case ExternKind.Memory: e.mem = m.memType(idx); break;
    case ExternKind.Global: e.global = m.globalType(idx); break;
    default: {
      let n = m.numImportedTags;
      e.fn = idx < n ? m.types[m.tagImports[idx].typeIdx] : m.types[m.tags[idx - n]];
    }
  }
  return e;
}

/** The module type of a validated module (the validator checked every index used here). */
function moduleTypeOf(r: Reader, m: Module): i32 {
  let t = new CType(TK.CoreModule);
  for (let i = 0; i < m.imports.length; i++) {
    t.coreImports.push(new CoreNamed(m.imports[i].module, m.imports[i].name, extOfImport(m, i)));
  }
  for (let i = 0; i < m.exports.length; i++) {
    let x = m.exports[i];
    t.coreExports.push(new CoreNamed("", x.name, extOfExport(m, x.kind, x.index)));
  }
  return addType(r, t);
}

// ---------------------------------------------------------------- core types

function readLimits(r: Reader, lim: Limits, isMemory: bool): void {
  let at = r.pos;
  let flags = r.u8();
  if (r.failed) return;
  if (flags > 1) { malformed(r, "malformed limits flags 0x" + flags.toString(16), at); return; }
  lim.min = r.u32leb();
  if (flags & 1) { lim.hasMax = true; lim.max = r.u32leb(); }
  if (r.failed) return;
  if (lim.hasMax && lim.min > lim.max) { invalid(r, "size minimum must not be greater than maximum", at); return; }
  if (isMemory && (lim.min > MAX_PAGES || (lim.hasMax && lim.max > MAX_PAGES))) {
    invalid(r, "memory size must be at most 65536 pages (4GiB)", at);
  }
}

/** A core extern type (core:importdesc form); func/tag type indices name `coreTypes` of scope `sc`. */
export function readCoreExtern(r: Reader, coreTypes: Array<i32>): CoreExt | null {
  let at = r.pos;
  let kind = r.u8();
  if (r.failed) return null;
  let e = newCoreExt(<u8>kind);
  switch (kind) {
    case CoreSort.Func: case CoreSort.Tag: {
      if (kind == CoreSort.Tag && r.u8() != 0 && !r.failed) { malformed(r, "tag attribute must be 0", at); return null; }
      let iat = r.pos;
      let idx = r.u32leb();
      if (!checkIndex(r, idx, coreTypes.length, "core type", iat)) return null;
      let ft = st.arena[coreTypes[idx]];
      if (ft.kind != TK.CoreFunc) { invalid(r, "core type " + idx.toString() + " is not a function type", iat); return null; }
      e.fn = ft.fn;
      break;
    }
    case CoreSort.Table: {
      let t = new TableType();
      t.elem = readRefType(r);
      readLimits(r, t.limits, false);
      e.table = t;
      break;
    }
    case CoreSort.Memory: {
      let mt = new MemType();
      readLimits(r, mt.limits, true);
      e.mem = mt;
      break;
    }
    case CoreSort.Global: {
      let g = new GlobalType();
      g.type = readCoreValType(r);
      let mat = r.pos;
      let mut = r.u8();
      if (!r.failed && mut > 1) { malformed(r, "malformed mutability", mat); return null; }
      g.mutable = mut == 1;
      e.global = g;
      break;
    }
    default:
      malformed(r, "malformed core extern kind 0x" + kind.toString(16), at);
      return null;
  }
  return r.failed ? null : e;
}

/** A core function type after its 0x60. */
function readCoreFuncType(r: Reader): i32 {
  let f = new FuncType();
  let n = r.count(1);
  for (let i: u32 = 0; i < n && !r.failed; i++) f.params.push(readCoreValType(r));
  let k = r.count(1);
  for (let i: u32 = 0; i < k && !r.failed; i++) f.results.push(readCoreValType(r));
  if (r.failed) return NONE;
  let t = new CType(TK.CoreFunc);
  t.fn = f;
  return addType(r, t);
}

/** A core module type after its 0x50 (its own, initially empty, core type index space). */
function readModuleType(r: Reader, outer: Scope, at: u32): i32 {
  let t = new CType(TK.CoreModule);
  let types: Array<i32> = [];
  let exportNames = new Set<string>();
  let importNames = new Set<string>();
  let n = r.count(1);
  for (let i: u32 = 0; i < n && !r.failed; i++) {
    let dat = r.pos;
    let tag = r.u8();
    if (r.failed) break;
    if (tag == 0x00) {
      let nat = r.pos;
      let mod = r.name();
      let name = r.name();
      let e = readCoreExtern(r, types);
      if (!e) break;
      if (importNames.has(mod + ":" + name)) { invalid(r, "duplicate import name `" + mod + ":" + name + "` in module type", nat); break; }
      importNames.add(mod + ":" + name);
      t.coreImports.push(new CoreNamed(mod, name, e));
    } else if (tag == 0x01) {
      let tat = r.pos;
      let b = r.u8();
      if (b == 0x50) { invalid(r, "a module type may not define a module type", tat); break; }
      let id = readCoreTypeBody(r, b, tat, outer);
      if (id != NONE) types.push(id);
    } else if (tag == 0x02) {
      // core:alias 0x10 0x01 ct idx: an outer alias of a core type
      let s = r.u8();
      let k = r.u8();
      if (!r.failed && (s != 0x10 || k != 0x01)) { malformed(r, "a module type may only alias outer core types", dat); break; }
      let id = outerCoreType(r, types);
      if (id != NONE) {
        if (st.arena[id].kind == TK.CoreModule) { invalid(r, "a module type may not alias a module type", dat); break; }
        types.push(id);
      }
    } else if (tag == 0x03) {
      let nat = r.pos;
      let name = r.name();
      let e = readCoreExtern(r, types);
      if (r.failed) break;
      if (exportNames.has(name)) { invalid(r, "duplicate export name `" + name + "` in module type", nat); break; }
      exportNames.add(name);
      t.coreExports.push(new CoreNamed("", name, e!));
    } else {
      malformed(r, "malformed module type declaration 0x" + tag.toString(16), dat);
    }
  }
  if (r.failed) return NONE;
  return addType(r, t);
}

/** An outer alias of a core type inside a module type: ct 0 is the module type itself. */
function outerCoreType(r: Reader, own: Array<i32>): i32 {
  let at = r.pos;
  let ct = r.u32leb();
  let idx = r.u32leb();
  if (r.failed) return NONE;
  if (ct == 0) {
    if (!checkIndex(r, idx, own.length, "core type", at)) return NONE;
    return own[idx];
  }
  let depth = st.scopes.length;
  if (ct > <u32>depth) { invalid(r, "outer alias count " + ct.toString() + " exceeds the " + depth.toString() + " enclosing scopes", at); return NONE; }
  let sc = st.scopes[depth - <i32>ct];
  if (!checkIndex(r, idx, sc.coreTypes.length, "core type", at)) return NONE;
  return sc.coreTypes[idx];
}

/** The body of a core:type whose first byte is `b`. */
function readCoreTypeBody(r: Reader, b: u32, at: u32, sc: Scope): i32 {
  if (b == 0x60) return readCoreFuncType(r);
  if (b == 0x50) return readModuleType(r, sc, at);
  if (b == 0x4E || b == 0x4F || b == 0x00) { unsupported(r, "not supported: core GC types (rec/sub)", at); return NONE; }
  malformed(r, "malformed core type 0x" + b.toString(16), at);
  return NONE;
}

/** A core:type definition in a type position of scope `sc`; appends to sc.coreTypes. */
export function readCoreType(r: Reader, sc: Scope): void {
  let at = r.pos;
  let b = r.u8();
  if (r.failed) return;
  let id = readCoreTypeBody(r, b, at, sc);
  if (id != NONE && roomFor(r, sc.coreTypes.length, "core type")) sc.coreTypes.push(id);
}

// ---------------------------------------------------------------- core instances

/** core:instance: instantiate a module with instance arguments, or bundle inline exports. */
export function readCoreInstance(r: Reader, sc: Scope): void {
  let at = r.pos;
  let tag = r.u8();
  if (tag == 0x00) instantiateModule(r, sc);
  else if (tag == 0x01) bundleCoreExports(r, sc);
  else if (!r.failed) malformed(r, "malformed core instance expression 0x" + tag.toString(16), at);
}

function instantiateModule(r: Reader, sc: Scope): void {
  let mat = r.pos;
  let midx = r.u32leb();
  if (!checkIndex(r, midx, sc.coreModules.length, "core module", mat)) return;
  let mt = st.arena[sc.coreModules[midx]];
  let n = r.count(3);
  let args = new Map<string, i32>();
  for (let i: u32 = 0; i < n && !r.failed; i++) {
    let nat = r.pos;
    let name = r.name();
    let kat = r.pos;
    let kind = r.u8();
    if (!r.failed && kind != CoreSort.Instance) { malformed(r, "core instantiation arguments must be instances (0x12), got 0x" + kind.toString(16), kat); return; }
    let iat = r.pos;
    let idx = r.u32leb();
    if (!checkIndex(r, idx, sc.coreInstances.length, "core instance", iat)) return;
    if (args.has(name)) { invalid(r, "duplicate instantiation argument `" + name + "`", nat); return; }
    args.set(name, sc.coreInstances[idx]);
  }
  if (r.failed) return;
  if (!spend(r, mt.coreImports.length + 1)) return;
  for (let i = 0; i < mt.coreImports.length; i++) {
    let imp = mt.coreImports[i];
    if (!args.has(imp.module)) { invalid(r, "missing module instantiation argument named `" + imp.module + "`", mat); return; }
    let given = findCoreExport(st.arena[args.get(imp.module)], imp.name);
    if (!given) { invalid(r, "module instantiation argument `" + imp.module + "` does not export an item named `" + imp.name + "`", mat); return; }
    if (!coreExtSub(given.ext, imp.ext)) {
      invalid(r, "type mismatch for export `" + imp.name + "` of module instantiation argument `" + imp.module + "`: " + mismatch, mat);
      return;
    }
  }
  let inst = new CType(TK.CoreInstance);
  inst.coreExports = mt.coreExports;
  let id = addType(r, inst);
  if (id != NONE && roomFor(r, sc.coreInstances.length, "core instance")) sc.coreInstances.push(id);
}

/** The core extern at (sort, idx) of scope `sc`; null (with an error) when out of range or not exportable. */
export function coreItem(r: Reader, sc: Scope, sort: u32, idx: u32, at: u32): CoreExt | null {
  let e = newCoreExt(<u8>sort);
  switch (sort) {
    case CoreSort.Func: if (!checkIndex(r, idx, sc.coreFuncs.length, "core func", at)) return null; e.fn = sc.coreFuncs[idx]; break;
    case CoreSort.Table: if (!checkIndex(r, idx, sc.coreTables.length, "core table", at)) return null; e.table = sc.coreTables[idx]; break;
    case CoreSort.Memory: if (!checkIndex(r, idx, sc.coreMems.length, "core memory", at)) return null; e.mem = sc.coreMems[idx]; break;
    case CoreSort.Global: if (!checkIndex(r, idx, sc.coreGlobals.length, "core global", at)) return null; e.global = sc.coreGlobals[idx]; break;
    case CoreSort.Tag: if (!checkIndex(r, idx, sc.coreTags.length, "core tag", at)) return null; e.fn = sc.coreTags[idx]; break;
    default:
      invalid(r, "a core " + coreSortName(sort) + " cannot be exported from a core instance", at);
      return null;
  }
  return e;
}

function bundleCoreExports(r: Reader, sc: Scope): void {
  let inst = new CType(TK.CoreInstance);
  let names = new Set<string>();
  let n = r.count(3);
  for (let i: u32 = 0; i < n && !r.failed; i++) {
    let nat = r.pos;
    let name = r.name();
    let sat = r.pos;
    let sort = r.u8();
    let idx = r.u32leb();
    if (r.failed) return;
    if (!isCoreSort(sort)) { malformed(r, "malformed core sort 0x" + sort.toString(16), sat); return; }
    let e = coreItem(r, sc, sort, idx, sat);
    if (!e) return;
    if (names.has(name)) { invalid(r, "duplicate core instance export name `" + name + "`", nat); return; }
    names.add(name);
    inst.coreExports.push(new CoreNamed("", name, e));
  }
  if (r.failed) return;
  let id = addType(r, inst);
  if (id != NONE && roomFor(r, sc.coreInstances.length, "core instance")) sc.coreInstances.push(id);
}

export function isCoreSort(s: u32): bool {
  return s <= <u32>CoreSort.Tag || s == CoreSort.Type || s == CoreSort.Module || s == CoreSort.Instance;
}

/** Appends a core extern to its index space in `sc`. */
export function pushCoreItem(r: Reader, sc: Scope, e: CoreExt): void {
  switch (e.kind) {
    case CoreSort.Func: if (roomFor(r, sc.coreFuncs.length, "core func")) sc.coreFuncs.push(e.fn!); break;
    case CoreSort.Table: if (roomFor(r, sc.coreTables.length, "core table")) sc.coreTables.push(e.table!); break;
    case CoreSort.Memory: if (roomFor(r, sc.coreMems.length, "core memory")) sc.coreMems.push(e.mem!); break;
    case CoreSort.Global: if (roomFor(r, sc.coreGlobals.length, "core global")) sc.coreGlobals.push(e.global!); break;
    case CoreSort.Tag: if (roomFor(r, sc.coreTags.length, "core tag")) sc.coreTags.push(e.fn!); break;
  }
}

