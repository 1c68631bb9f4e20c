// Function body validation: the spec's algorithm (Wasm 2.0, appendix
// "Validation Algorithm"), one instruction at a time over the operand and
// control stacks of valid/stacks.ts.

import { Module, FuncType, FuncBody, GlobalType, ValType } from "../binary/module";
import { Op, OpFC } from "../binary/opcodes";
import { readFuncNames, extEnabled } from "../binary/decoder";
import { EXT_ON, ExtImm, extFind, extImmCount, extImmKind, extImmArg, extParamCount, extParam, extResultCount, extResult } from "../binary/ext-ops";
import { Err, lastError } from "../errors";
import {
  BT_TYPEIDX, ctrlKind, nctrls, mod, rd, instrAt, failed, fail, pushVal, popVal, popExpect,
  labelCount, labelType, popLabel, pushLabel, readBlockType, isValType, isRef, limitWhat, pushCtrl, popCtrl,
  setUnreachable, readLabel, needMemory, readMemArgAlign, beginFunction, beginInstr, firstError, firstErrorAt,
  endFunction, growU8, pushResults, popParams,
} from "./stacks";

// Current function: its type and body (for locals).
const NO_TYPE = new FuncType();
const NO_BODY = new FuncBody();
const NO_REFS = new StaticArray<u8>(0);
let curType: FuncType = NO_TYPE;
let curBody: FuncBody = NO_BODY;
/** Functions that ref.func may name (C.refs), one byte per function index. */
let declaredRefs: StaticArray<u8> = NO_REFS;
/** Scratch for br_table: the types popped for one target, pushed back after. */
let scratch = new StaticArray<u8>(16);

// ---- numeric instruction signatures ----
// One row per run of opcodes with the same type: [first, last, operand1,
// operand2 (0 = unary), result]. Expanded once into numSig (0x45..0xC4).
const NUM_FIRST: u32 = 0x45;
const NUM_LAST: u32 = 0xC4;
const I = <u8>ValType.I32, L = <u8>ValType.I64, F = <u8>ValType.F32, D = <u8>ValType.F64;
const NUM_ROWS: StaticArray<u8> = [
  0x45, 0x45, I, 0, I,  0x46, 0x4F, I, I, I,    // i32.eqz, i32 compares
  0x50, 0x50, L, 0, I,  0x51, 0x5A, L, L, I,    // i64.eqz, i64 compares
  0x5B, 0x60, F, F, I,  0x61, 0x66, D, D, I,    // f32, f64 compares
  0x67, 0x69, I, 0, I,  0x6A, 0x78, I, I, I,    // i32 unary, binary
  0x79, 0x7B, L, 0, L,  0x7C, 0x8A, L, L, L,    // i64 unary, binary
  0x8B, 0x91, F, 0, F,  0x92, 0x98, F, F, F,    // f32 unary, binary
  0x99, 0x9F, D, 0, D,  0xA0, 0xA6, D, D, D,    // f64 unary, binary
  0xA7, 0xA7, L, 0, I,                          // i32.wrap_i64
  0xA8, 0xA9, F, 0, I,  0xAA, 0xAB, D, 0, I,    // i32.trunc_f32/f64
  0xAC, 0xAD, I, 0, L,                          // i64.extend_i32
  0xAE, 0xAF, F, 0, L,  0xB0, 0xB1, D, 0, L,    // i64.trunc_f32/f64
  0xB2, 0xB3, I, 0, F,  0xB4, 0xB5, L, 0, F,    // f32.convert_i32/i64
  0xB6, 0xB6, D, 0, F,                          // f32.demote_f64
  0xB7, 0xB8, I, 0, D,  0xB9, 0xBA, L, 0, D,    // f64.convert_i32/i64
  0xBB, 0xBB, F, 0, D,                          // f64.promote_f32
  0xBC, 0xBC, F, 0, I,  0xBD, 0xBD, D, 0, L,    // reinterprets
  0xBE, 0xBE, I, 0, F,  0xBF, 0xBF, L, 0, D,
  0xC0, 0xC1, I, 0, I,  0xC2, 0xC4, L, 0, L,    // sign extension
];
/** Per numeric opcode: operand1 | operand2 << 8 | result << 16. */
const numSig = new StaticArray<u32>(NUM_LAST - NUM_FIRST + 1);

// Memory access instructions 0x28..0x3E: [value type, log2 of natural alignment].
const MEM_FIRST: u32 = 0x28;
const MEM_STORE_FIRST: u32 = 0x36;
const MEM_LAST: u32 = 0x3E;
const MEM_ROWS: StaticArray<u8> = [
  I, 2, L, 3, F, 2, D, 3,          // i32/i64/f32/f64.load
  I, 0, I, 0, I, 1, I, 1,          // i32.load8_s/u, load16_s/u
  L, 0, L, 0, L, 1, L, 1, L, 2, L, 2, // i64.load8/16/32_s/u
  I, 2, L, 3, F, 2, D, 3,          // i32/i64/f32/f64.store
  I, 0, I, 1,                      // i32.store8/16
  L, 0, L, 1, L, 2,                // i64.store8/16/32
];

// Saturating truncations 0xFC 0..7: [operand, result].
const SAT_ROWS: StaticArray<u8> = [F, I, F, I, D, I, D, I, F, L, F, L, D, L, D, L];

let tablesReady = false;
function initTables(): void {
  if (tablesReady) return;
  for (let r = 0; r < NUM_ROWS.length; r += 5) {
    let sig = <u32>NUM_ROWS[r + 2] | (<u32>NUM_ROWS[r + 3] << 8) | (<u32>NUM_ROWS[r + 4] << 16);
    for (let op = <u32>NUM_ROWS[r]; op <= <u32>NUM_ROWS[r + 1]; op++) numSig[op - NUM_FIRST] = sig;
  }
  tablesReady = true;
}

// ---- index immediates ----

function readLocalType(): u32 {
  let idx = <u64>rd.u32leb();
  if (rd.failed) return ValType.Bot;
  let np = <u64>curType.params.length;
  if (idx < np) return curType.params[<i32>idx];
  if (idx - np < <u64>curBody.locals.length) return curBody.locals[<i32>(idx - np)];
  fail(Err.UnknownLocal);
  return ValType.Bot;
}

/** Read a global index; returns it or -1 (error recorded). */
function readGlobal(): i64 {
  let idx = rd.u32leb();
  if (rd.failed) return -1;
  if (idx >= mod.numGlobals) { fail(Err.UnknownGlobal); return -1; }
  return idx;
}

/** Read a table index; returns its element type, or 0 (error recorded). */
function readTable(): u32 {
  let idx = rd.u32leb();
  if (rd.failed) return 0;
  if (idx >= mod.numTables) { fail(Err.UnknownTable); return 0; }
  return tableElemOf(mod, idx);
}

function readElemType(): u32 {
  let idx = rd.u32leb();
  if (rd.failed) return 0;
  if (idx >= <u32>mod.elems.length) { fail(Err.UnknownElem); return 0; }
  return mod.elems[idx].type;
}

function readData(): void {
  let idx = rd.u32leb();
  if (rd.failed) return;
  let n = mod.dataCount >= 0 ? <u32>mod.dataCount : <u32>mod.datas.length;
  if (idx >= n) fail(Err.UnknownData);
}

/** A reserved zero byte (memory index 0 in Wasm 2.0 encodings). */
function readZero(): void {
  let at = rd.pos;
  if (rd.u8() != 0 && !rd.failed) rd.fail(Err.ZeroByteExpected, at);
}

// ---- instructions ----


function memAccess(op: u32): void {
  let row = (op - MEM_FIRST) * 2;
  let t = <u32>MEM_ROWS[row];
  if (!readMemArgAlign(MEM_ROWS[row + 1])) return;
  if (op >= MEM_STORE_FIRST) { popExpect(t); popExpect(ValType.I32); }
  else { popExpect(ValType.I32); pushVal(t); }
}

function callType(ft: FuncType): void {
  for (let i = ft.params.length - 1; i >= 0; i--) popExpect(ft.params[i]);
  for (let i = 0; i < ft.results.length; i++) pushVal(ft.results[i]);
}

function brTable(): void {
  let n = rd.count(1);
  let listAt = rd.pos;
  for (let i: u32 = 0; i < n; i++) rd.u32leb();
  let dflt = readLabel();
  if (dflt < 0) return;
  popExpect(ValType.I32);
  let arity = labelCount(dflt);
  let afterAt = rd.pos;
  rd.pos = listAt;
  for (let i: u32 = 0; i < n && !failed(); i++) {
    let f = readLabel();
    if (f < 0) return;
    if (labelCount(f) != arity) { fail(Err.TypeMismatch); return; }
    // pop_vals(label_types) then push back what was popped
    if (arity > scratch.length) scratch = growU8(scratch, 0, arity);
    for (let k = arity - 1; k >= 0; k--) unchecked(scratch[k] = <u8>popExpect(labelType(f, k)));
    for (let k = 0; k < arity; k++) pushVal(unchecked(scratch[k]));
  }
  rd.pos = afterAt;
  popLabel(dflt);
  setUnreachable();
}

function select(typed: bool): void {
  if (typed) {
    let n = rd.u32leb();
    if (rd.failed) return;
    if (n != 1) { fail(Err.InvalidResultArity); return; }
    let t = rd.u8();
    if (rd.failed) return;
    if (!isValType(t)) { fail(Err.MalformedValueType); return; }
    popExpect(ValType.I32);
    popExpect(<u32>t);
    popExpect(<u32>t);
    pushVal(<u32>t);
    return;
  }
  popExpect(ValType.I32);
  let t1 = popVal();
  let t2 = popVal();
  // untyped select: numeric (or vector) operands of one type
  if (isRef(t1) || isRef(t2)) { fail(Err.TypeMismatch); return; }
  if (t1 != t2 && t1 != ValType.Bot && t2 != ValType.Bot) { fail(Err.TypeMismatch); return; }
  pushVal(t1 == ValType.Bot ? t2 : t1);
}

function prefixFC(): void {
  let sub = rd.u32leb();
  if (rd.failed) return;
  if (sub <= 7) {
    popExpect(SAT_ROWS[sub * 2]);
    pushVal(SAT_ROWS[sub * 2 + 1]);
    return;
  }
  switch (sub) {
    case OpFC.MemoryInit: {
      // encoding: dataidx, 0x00; the spec checks the memory first
      let dataAt = rd.pos;
      rd.u32leb();
      readZero();
      if (rd.failed || !needMemory()) return;
      let afterAt = rd.pos;
      rd.pos = dataAt;
      readData();
      rd.pos = afterAt;
      if (failed()) return;
      popExpect(ValType.I32); popExpect(ValType.I32); popExpect(ValType.I32);
      return;
    }
    case OpFC.DataDrop: readData(); return;
    case OpFC.MemoryCopy: {
      readZero(); readZero();
      if (rd.failed || !needMemory()) return;
      popExpect(ValType.I32); popExpect(ValType.I32); popExpect(ValType.I32);
      return;
    }
    case OpFC.MemoryFill: {
      readZero();
      if (rd.failed || !needMemory()) return;
      popExpect(ValType.I32); popExpect(ValType.I32); popExpect(ValType.I32);
      return;
    }
    case OpFC.TableInit: {
      // encoding: elemidx, tableidx; the spec checks the table first
      let elemAt = rd.pos;
      rd.u32leb();
      let t1 = readTable();
      if (rd.failed || failed()) return;
      let afterAt = rd.pos;
      rd.pos = elemAt;
      let t2 = readElemType();
      rd.pos = afterAt;
      if (failed()) return;
      if (t1 != t2) { fail(Err.TypeMismatch); return; }
      popExpect(ValType.I32); popExpect(ValType.I32); popExpect(ValType.I32);
      return;
    }
    case OpFC.ElemDrop: readElemType(); return;
    case OpFC.TableCopy: {
      let dst = readTable();
      if (failed()) return;
      let src = readTable();
      if (failed()) return;
      if (dst != src) { fail(Err.TypeMismatch); return; }
      popExpect(ValType.I32); popExpect(ValType.I32); popExpect(ValType.I32);
      return;
    }
    case OpFC.TableGrow: {
      let t = readTable();
      if (failed()) return;
      popExpect(ValType.I32); popExpect(t); pushVal(ValType.I32);
      return;
    }
    case OpFC.TableSize: {
      readTable();
      if (failed()) return;
      pushVal(ValType.I32);
      return;
    }
    case OpFC.TableFill: {
      let t = readTable();
      if (failed()) return;
      popExpect(ValType.I32); popExpect(t); popExpect(ValType.I32);
      return;
    }
  }
  if (!EXT_ON || !extension(0xFC, sub)) fail(Err.IllegalOpcode);
}

/** 0xFD, 0xFE: an extension table's row (simd.mjs and simd-relaxed.mjs cover every SIMD opcode), else illegal. */
function prefixed(prefix: u32): void {
  let sub = rd.u32leb();
  if (rd.failed || extension(prefix, sub)) return;
  fail(Err.IllegalOpcode);
}

/**
 * An extension proposal's op (scripts/isa/<proposal>.mjs, tables in
 * binary/ext-ops.ts; docs/internal-code.md "Ops past 256"): its immediates
 * checked by kind, then its signature. False if (prefix, code) is not one.
 */
function extension(prefix: u32, code: u32): bool {
  let x = extFind(prefix, code);
  if (!extEnabled(x)) return false;
  let n = extImmCount(x);
  for (let i: u32 = 0; i < n && !failed() && !rd.failed; i++) {
    let arg = extImmArg(x, i);
    switch (extImmKind(x, i)) {
      case ExtImm.Memarg: readMemArgAlign(arg); break;
      case ExtImm.Lane: if (rd.u8() >= arg) fail(Err.InvalidLaneIndex); break;
      case ExtImm.Lanes16: for (let k = 0; k < 16; k++) if (rd.u8() >= arg) fail(Err.InvalidLaneIndex); break;
      case ExtImm.V128: rd.skip(16); break;
      case ExtImm.I32: rd.s32leb(); break;
      case ExtImm.I64: rd.s64leb(); break;
      case ExtImm.F32: rd.skip(4); break;
      case ExtImm.F64: rd.skip(8); break;
      case ExtImm.Zero: readZero(); break;
      case ExtImm.Func: if (rd.u32leb() >= mod.numFuncs) fail(Err.UnknownFunction); break;
      case ExtImm.Table: readTable(); break;
      case ExtImm.Memory: if (rd.u32leb() >= mod.numMems) fail(Err.UnknownMemory); break;
      case ExtImm.Global: readGlobal(); break;
      case ExtImm.Data: readData(); break;
      case ExtImm.Elem: readElemType(); break;
      default: fail(Err.IllegalOpcode);
    }
  }
  if (failed() || rd.failed) return true;
  for (let i = extParamCount(x); i > 0; i--) popExpect(extParam(x, i - 1));
  let nr = extResultCount(x);
  for (let i: u32 = 0; i < nr; i++) pushVal(extResult(x, i));
  return true;
}

/** One instruction at rd.pos; returns false when the function is done (or failed). */
function step(): bool {
  beginInstr();
  let op = rd.u8();
  if (rd.failed) return false;
  if (op >= NUM_FIRST && op <= NUM_LAST) {
    let sig = unchecked(numSig[op - NUM_FIRST]);
    let b = (sig >> 8) & 0xFF;
    if (b != 0) popExpect(b);
    popExpect(sig & 0xFF);
    pushVal(sig >> 16);
    return true;
  }
  if (op >= MEM_FIRST && op <= MEM_LAST) { memAccess(op); return true; }
  switch (op) {
    case Op.Unreachable: setUnreachable(); break;
    case Op.Nop: break;
    case Op.Block:
    case Op.Loop: {
      let bt = readBlockType();
      if (failed()) break;
      popParams(bt);
      pushCtrl(<u32>op, bt);
      break;
    }
    case Op.If: {
      let bt = readBlockType();
      if (failed()) break;
      popExpect(ValType.I32);
      popParams(bt);
      pushCtrl(Op.If, bt);
      break;
    }
    case Op.Else: {
      if (unchecked(ctrlKind[nctrls - 1]) != Op.If) { fail(Err.IllegalOpcode); break; }
      let bt = popCtrl();
      pushCtrl(Op.Else, bt);
      break;
    }
    case Op.End: {
      let kind = unchecked(ctrlKind[nctrls - 1]);
      let bt = popCtrl();
      if (kind == Op.If) {
        // if without else: the implicit empty else must turn params into results
        pushCtrl(Op.Else, bt);
        popCtrl();
      }
      if (nctrls == 0) {
        if (rd.pos != rd.end) rd.fail(Err.SectionSizeMismatch);
        return false;
      }
      pushResults(bt);
      break;
    }
    case Op.Br: {
      let f = readLabel();
      if (f < 0) break;
      popLabel(f);
      setUnreachable();
      break;
    }
    case Op.BrIf: {
      let f = readLabel();
      if (f < 0) break;
      popExpect(ValType.I32);
      popLabel(f);
      pushLabel(f);
      break;
    }
    case Op.BrTable: brTable(); break;
    case Op.Return: popLabel(0); setUnreachable(); break;
    case Op.Call: {
      let idx = rd.u32leb();
      if (rd.failed) break;
      if (idx >= mod.numFuncs) { fail(Err.UnknownFunction); break; }
      callType(funcTypeOf(mod, idx));
      break;
    }
    case Op.CallIndirect: {
      let typeIdx = rd.u32leb();
      let t = readTable();
      if (rd.failed || failed()) break;
      if (t != ValType.FuncRef) { fail(Err.TypeMismatch); break; }
      if (typeIdx >= <u32>mod.types.length) { fail(Err.UnknownType); break; }
      popExpect(ValType.I32);
      callType(mod.types[typeIdx]);
      break;
    }
    case Op.Drop: popVal(); break;
    case Op.Select: select(false); break;
    case Op.SelectT: select(true); break;
    case Op.LocalGet: {
      let t = readLocalType();
      if (!failed()) pushVal(t);
      break;
    }
    case Op.LocalSet: {
      let t = readLocalType();
      if (!failed()) popExpect(t);
      break;
    }
    case Op.LocalTee: {
      let t = readLocalType();
      if (!failed()) { popExpect(t); pushVal(t); }
      break;
    }
    case Op.GlobalGet: {
      let g = readGlobal();
      if (g >= 0) pushVal(globalTypeOf(mod, <u32>g).type);
      break;
    }
    case Op.GlobalSet: {
      let g = readGlobal();
      if (g < 0) break;
      let gt = globalTypeOf(mod, <u32>g);
      if (!gt.mutable) { fail(Err.GlobalIsImmutable); break; }
      popExpect(gt.type);
      break;
    }
    case Op.TableGet: {
      let t = readTable();
      if (failed()) break;
      popExpect(ValType.I32);
      pushVal(t);
      break;
    }
    case Op.TableSet: {
      let t = readTable();
      if (failed()) break;
      popExpect(t);
      popExpect(ValType.I32);
      break;
    }
    case Op.MemorySize: {
      readZero();
      if (rd.failed || !needMemory()) break;
      pushVal(ValType.I32);
      break;
    }
    case Op.MemoryGrow: {
      readZero();
      if (rd.failed || !needMemory()) break;
      popExpect(ValType.I32);
      pushVal(ValType.I32);
      break;
    }
    case Op.I32Const: rd.s32leb(); pushVal(ValType.I32); break;
    case Op.I64Const: rd.s64leb(); pushVal(ValType.I64); break;
    case Op.F32Const: rd.skip(4); pushVal(ValType.F32); break;
    case Op.F64Const: rd.skip(8); pushVal(ValType.F64); break;
    case Op.RefNull: {
      let t = rd.u8();
      if (rd.failed) break;
      if (t != ValType.FuncRef && t != ValType.ExternRef) { rd.fail(Err.MalformedReferenceType, instrAt + 1); break; }
      pushVal(<u32>t);
      break;
    }
    case Op.RefIsNull: {
      let t = popVal();
      if (t != ValType.Bot && !isRef(t)) { fail(Err.TypeMismatch); break; }
      pushVal(ValType.I32);
      break;
    }
    case Op.RefFunc: {
      let idx = rd.u32leb();
      if (rd.failed) break;
      if (idx >= mod.numFuncs) { fail(Err.UnknownFunction); break; }
      if (declaredRefs[idx] == 0) { fail(Err.UndeclaredFunctionReference); break; }
      pushVal(ValType.FuncRef);
      break;
    }
    case Op.PrefixFC: prefixFC(); break;
    case Op.PrefixFD: case Op.PrefixFE: if (!EXT_ON) fail(Err.IllegalOpcode); else prefixed(op); break;
    default: if (!EXT_ON || !extension(0, op)) fail(Err.IllegalOpcode);
  }
  return !failed() && !rd.failed;
}

/**
 * Validate the body of defined function `defIdx` (0 = first non-imported).
 * The module-level checks (type indices, C.refs) must have run first.
 * On failure sets lastError (offset of the offending instruction, detail
 * "in function N" with N in the function index space) and returns false.
 */
export function validateFunction(m: Module, defIdx: i32, refs: StaticArray<u8>): bool {
  initTables();
  declaredRefs = refs;
  let body = m.codes[defIdx];
  curBody = body;
  curType = m.types[m.funcTypeIdx[defIdx]];
  beginFunction(m, body.codeStart, body.codeEnd, <i32>m.funcTypeIdx[defIdx] + BT_TYPEIDX);
  while (step()) {}

  let code = firstError();
  let at = firstErrorAt();
  if (code == Err.None && rd.failed) { code = rd.err; at = rd.errPos; }
  if (code == Err.None && nctrls != 0) { code = Err.UnexpectedEnd; at = rd.pos; }
  release();
  if (code == Err.None) return true;
  let funcIdx = m.numImportedFuncs + <u32>defIdx;
  let detail = (code == Err.LimitExceeded ? limitWhat : "") + "in function " + funcIdx.toString();
  readFuncNames(m);
  let name = m.funcName(funcIdx);
  if (name.length > 0) detail += " (" + name + ")";
  lastError.set(code, at, detail);
  return false;
}

// Index-space lookups (imports first); callers check the index first.
export function funcTypeOf(m: Module, idx: u32): FuncType {
  let n = m.numImportedFuncs;
  return m.types[idx < n ? m.funcImports[idx].typeIdx : m.funcTypeIdx[idx - n]];
}
export function tableElemOf(m: Module, idx: u32): u32 {
  let n = m.numImportedTables;
  return idx < n ? m.tableImports[idx].table!.elem : m.tables[idx - n].elem;
}
export function globalTypeOf(m: Module, idx: u32): GlobalType {
  let n = m.numImportedGlobals;
  return idx < n ? m.globalImports[idx].global! : m.globals[idx - n].type;
}

/** Drop references to the module so the collector may free it later. */
function release(): void {
  endFunction();
  curBody = NO_BODY;
  curType = NO_TYPE;
  declaredRefs = NO_REFS;
}

