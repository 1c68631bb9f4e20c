// Module-level validation (Wasm 2.0): index spaces, limits, constant
// expressions, segments, start, exports, and the set C.refs of functions
// that `ref.func` may name. Function bodies are checked by valid/code.ts.
//
// Order follows the spec's reference interpreter where it matters for which
// error a module with one fault reports: imports, function types, tables,
// memories, globals, element and data segments, start, exports, bodies.

import {
  Module, ConstExpr, Limits, ExternKind, SegmentMode, ValType, isRefType,
} from "../binary/module";
import { Op } from "../binary/opcodes";
import { Reader } from "../binary/reader";
import { Err, lastError } from "../errors";
import { validateFunction, funcTypeOf, tableElemOf, globalTypeOf } from "./code";

const MAX_PAGES: u64 = 65536;
const MAX_TABLE: u64 = 0xFFFFFFFF;

/** Reader for constant expressions, reused (segments can hold many). */
const exprReader = new Reader(0, 0, 0);

function fail(code: Err, at: i64, detail: string): bool {
  lastError.set(code, at, detail);
  return false;
}

/**
 * Validate a decoded module. On failure sets lastError (code, byte offset or
 * -1, detail naming the item) and returns false.
 */
export function validateModule(m: Module): bool {
  let nTypes = <u32>m.types.length;

  // imports: function type indices, table and memory limits
  for (let i = 0; i < m.imports.length; i++) {
    let imp = m.imports[i];
    let what = "in import " + i.toString();
    switch (imp.kind) {
      case ExternKind.Func:
        if (imp.typeIdx >= nTypes) return fail(Err.UnknownType, imp.offset, what);
        break;
      case ExternKind.Table:
        if (!tableLimits(imp.table!.limits, imp.offset, what)) return false;
        break;
      case ExternKind.Memory:
        if (!memLimits(imp.mem!.limits, imp.offset, what)) return false;
        break;
      case ExternKind.Global: break;
      default: return fail(Err.MalformedImportKind, imp.offset, what);
    }
  }

  // defined functions: type indices, one body each
  if (m.codes.length != m.funcTypeIdx.length) return fail(Err.FunctionCodeMismatch, -1, "");
  for (let i = 0; i < m.funcTypeIdx.length; i++) {
    if (m.funcTypeIdx[i] >= nTypes) {
      return fail(Err.UnknownType, m.codes[i].offset, "in function " + (m.numImportedFuncs + <u32>i).toString());
    }
  }

  for (let i = 0; i < m.tables.length; i++) {
    if (!tableLimits(m.tables[i].limits, -1, "in table " + (m.numImportedTables + <u32>i).toString())) return false;
  }
  for (let i = 0; i < m.mems.length; i++) {
    if (!memLimits(m.mems[i].limits, -1, "in memory " + (m.numImportedMems + <u32>i).toString())) return false;
  }
  if (m.numMems > 1) return fail(Err.MultipleMemories, -1, "");
  if (m.tags.length > 0 || m.numImportedTags > 0) return fail(Err.UnknownTag, -1, "exceptions are not enabled");

  // C.refs: functions named in exports, element segments and constant expressions
  let refs = new StaticArray<u8>(<i32>m.numFuncs);

  // globals: initialisers may only read imported immutable globals
  for (let i = 0; i < m.globals.length; i++) {
    let g = m.globals[i];
    if (!constExpr(m, g.init, g.type.type, refs, "in global " + (m.numImportedGlobals + <u32>i).toString())) return false;
  }

  for (let i = 0; i < m.elems.length; i++) {
    if (!elemSegment(m, i, refs)) return false;
  }

  for (let i = 0; i < m.datas.length; i++) {
    let d = m.datas[i];
    if (d.mode != SegmentMode.Active) continue;
    let what = "in data segment " + i.toString();
    if (d.memory >= m.numMems) return fail(Err.UnknownMemory, d.offsetInModule, what);
    if (!constExpr(m, d.offset, ValType.I32, refs, what)) return false;
  }

  if (m.start >= 0) {
    let s = <u32>m.start;
    if (s >= m.numFuncs) return fail(Err.UnknownFunction, -1, "in start function");
    let ft = funcTypeOf(m, s);
    if (ft.params.length != 0 || ft.results.length != 0) return fail(Err.StartFunctionType, -1, "in start function " + s.toString());
  }

  if (!exports(m, refs)) return false;

  for (let i = 0; i < m.codes.length; i++) {
    if (!validateFunction(m, i, refs)) return false;
  }
  return true;
}

function memLimits(l: Limits, at: i64, what: string): bool {
  if (l.min > MAX_PAGES || (l.hasMax && l.max > MAX_PAGES)) return fail(Err.MemorySizeLimit, at, what);
  if (l.hasMax && l.min > l.max) return fail(Err.SizeMinimumGreaterThanMaximum, at, what);
  return true;
}

function tableLimits(l: Limits, at: i64, what: string): bool {
  if (l.min > MAX_TABLE || (l.hasMax && l.max > MAX_TABLE)) return fail(Err.TableSizeLimit, at, what);
  if (l.hasMax && l.min > l.max) return fail(Err.SizeMinimumGreaterThanMaximum, at, what);
  return true;
}

function elemSegment(m: Module, i: i32, refs: StaticArray<u8>): bool {
  let seg = m.elems[i];
  let what = "in element segment " + i.toString();
  if (!isRefType(seg.type)) return fail(Err.MalformedReferenceType, seg.offsetInModule, what);
  let funcs = seg.funcIndices;
  if (funcs) {
    if (seg.type != ValType.FuncRef) return fail(Err.TypeMismatch, seg.offsetInModule, what);
    let n = m.numFuncs;
    for (let k = 0; k < funcs.length; k++) {
      let f = funcs[k];
      if (f >= n) return fail(Err.UnknownFunction, seg.offsetInModule, what);
      refs[f] = 1;
    }
  }
  let exprs = seg.exprs;
  if (exprs) {
    for (let k = 0; k < exprs.length; k++) {
      if (!constExpr(m, exprs[k], seg.type, refs, what)) return false;
    }
  }
  if (seg.mode == SegmentMode.Active) {
    if (seg.table >= m.numTables) return fail(Err.UnknownTable, seg.offsetInModule, what);
    if (tableElemOf(m, seg.table) != seg.type) return fail(Err.TypeMismatch, seg.offsetInModule, what);
    if (!constExpr(m, seg.offset, ValType.I32, refs, what)) return false;
  }
  return true;
}

function exports(m: Module, refs: StaticArray<u8>): bool {
  let names = new Set<string>();
  for (let i = 0; i < m.exports.length; i++) {
    let e = m.exports[i];
    let what = "in export \"" + e.name + "\"";
    if (names.has(e.name)) return fail(Err.DuplicateExportName, -1, what);
    names.add(e.name);
    switch (e.kind) {
      case ExternKind.Func:
        if (e.index >= m.numFuncs) return fail(Err.UnknownFunction, -1, what);
        refs[e.index] = 1;
        break;
      case ExternKind.Table:
        if (e.index >= m.numTables) return fail(Err.UnknownTable, -1, what);
        break;
      case ExternKind.Memory:
        if (e.index >= m.numMems) return fail(Err.UnknownMemory, -1, what);
        break;
      case ExternKind.Global:
        if (e.index >= m.numGlobals) return fail(Err.UnknownGlobal, -1, what);
        break;
      default: return fail(Err.UnknownTag, -1, what);
    }
  }
  return true;
}

/**
 * A Wasm 2.0 constant expression producing one value of type `expect`:
 * t.const (v128.const included), ref.null, ref.func (which declares the function in C.refs), and
 * global.get of an imported immutable global.
 */
function constExpr(m: Module, e: ConstExpr, expect: u32, refs: StaticArray<u8>, what: string): bool {
  let r = exprReader;
  r.base = m.base;
  r.pos = e.start;
  r.end = e.end;
  r.err = Err.None;
  let depth = 0;          // values on the stack
  let top: u32 = ValType.Bot;
  while (true) {
    let at = r.pos;
    let op = r.u8();
    if (r.failed) break;
    switch (op) {
      case Op.I32Const: r.s32leb(); top = ValType.I32; break;
      case Op.I64Const: r.s64leb(); top = ValType.I64; break;
      case Op.F32Const: r.skip(4); top = ValType.F32; break;
      case Op.F64Const: r.skip(8); top = ValType.F64; break;
      case Op.RefNull: {
        let t = r.u8();
        if (!r.failed && t != ValType.FuncRef && t != ValType.ExternRef) r.fail(Err.MalformedReferenceType, at + 1);
        top = t;
        break;
      }
      case Op.RefFunc: {
        let f = r.u32leb();
        if (r.failed) break;
        if (f >= m.numFuncs) return fail(Err.UnknownFunction, at, what);
        refs[f] = 1;
        top = ValType.FuncRef;
        break;
      }
      case Op.GlobalGet: {
        let g = r.u32leb();
        if (r.failed) break;
        if (g >= m.numImportedGlobals) return fail(Err.UnknownGlobal, at, what);
        let gt = globalTypeOf(m, g);
        if (gt.mutable) return fail(Err.ConstantExpressionRequired, at, what);
        top = gt.type;
        break;
      }
      case Op.PrefixFD: {
        if (r.u32leb() != 0x0C || r.failed) return fail(Err.ConstantExpressionRequired, at, what); // v128.const
        r.skip(16);
        top = ValType.V128;
        break;
      }
      case Op.End: {
        if (depth != 1 || top != expect) return fail(Err.TypeMismatch, at, what);
        if (r.pos != e.end) return fail(Err.SectionSizeMismatch, r.pos, what);
        return true;
      }
      default: return fail(Err.ConstantExpressionRequired, at, what);
    }
    if (r.failed) break;
    depth++;
  }
  return fail(r.err, r.errPos, what);
}
