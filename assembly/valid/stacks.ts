// The function validator's state and its primitive operations, used by
// valid/code.ts (the instructions, extension ops by their table rows):
// the reader, the first error, the operand stack of value
// types and the stack of control frames. One function is validated at a
// time (beginFunction .. endFunction).
//
// All state lives in module-level buffers that grow by doubling and are
// reused for every function, so validating an instruction allocates nothing.
//
//   vals:  [t0 t1 t2 ... t(nvals-1)]          value types (u8), Bot = unknown
//   ctrl frame i (parallel arrays, i < nctrls):
//     ctrlKind[i]    opcode that opened it (Block/Loop/If/Else)
//     ctrlBt[i]      block type, encoded as below
//     ctrlHeight[i]  nvals when the frame was entered (after its params)
//     ctrlUnreach[i] 1 after unreachable/br/br_table/return (stack polymorphic)
//
// Block type encoding (i32): < 0 = empty; 0..0xFF = one result of that value
// type; >= 0x100 = type index + 0x100 (params and results of that type).

import { Module, ValType } from "../binary/module";
import { Op } from "../binary/opcodes";
import { Reader } from "../binary/reader";
import { Err } from "../errors";

const BT_EMPTY: i32 = -1;
export const BT_TYPEIDX: i32 = 0x100;

// ---- validator state (reused across functions) ----
let vals = new StaticArray<u8>(256);
let nvals: i32 = 0;
export let ctrlKind = new StaticArray<u8>(64);
let ctrlBt = new StaticArray<i32>(64);
let ctrlHeight = new StaticArray<i32>(64);
let ctrlUnreach = new StaticArray<u8>(64);
export let nctrls: i32 = 0;

const NO_MODULE = new Module();
/** The module whose function is being validated. */
export let mod: Module = NO_MODULE;
export let rd: Reader = new Reader(0, 0, 0);
let err: Err = Err.None;
let errAt: u32 = 0;
/** Byte offset of the instruction being validated (for error offsets). */
export let instrAt: u32 = 0;

// ---- errors ----

@inline export function failed(): bool { return err != Err.None; }

/** Record the first error at the current instruction; always returns false. */
export function fail(code: Err): bool {
  if (err == Err.None) { err = code; errAt = instrAt; }
  return false;
}

// ---- operand stack ----

export function pushVal(t: u32): void {
  if (nvals == vals.length) vals = growU8(vals, nvals);
  unchecked(vals[nvals++] = <u8>t);
}

/** Pop any value; Bot if the frame is unreachable and empty. */
export function popVal(): u32 {
  let h = unchecked(ctrlHeight[nctrls - 1]);
  if (nvals == h) {
    if (!unchecked(ctrlUnreach[nctrls - 1])) fail(Err.TypeMismatch);
    return ValType.Bot;
  }
  return unchecked(vals[--nvals]);
}

/** Pop a value of type `expect` (Bot accepts anything); returns the actual type. */
export function popExpect(expect: u32): u32 {
  let actual = popVal();
  if (actual != expect && actual != ValType.Bot && expect != ValType.Bot) fail(Err.TypeMismatch);
  return actual;
}

// ---- block types ----

function btParamCount(bt: i32): i32 {
  return bt >= BT_TYPEIDX ? mod.types[bt - BT_TYPEIDX].params.length : 0;
}
function btResultCount(bt: i32): i32 {
  if (bt < 0) return 0;
  return bt < BT_TYPEIDX ? 1 : mod.types[bt - BT_TYPEIDX].results.length;
}
function btParam(bt: i32, i: i32): u32 { return mod.types[bt - BT_TYPEIDX].params[i]; }
function btResult(bt: i32, i: i32): u32 {
  return bt < BT_TYPEIDX ? <u32>bt : mod.types[bt - BT_TYPEIDX].results[i];
}

export function popParams(bt: i32): void {
  for (let i = btParamCount(bt) - 1; i >= 0; i--) popExpect(btParam(bt, i));
}
function pushParams(bt: i32): void {
  let n = btParamCount(bt);
  for (let i = 0; i < n; i++) pushVal(btParam(bt, i));
}
function popResults(bt: i32): void {
  for (let i = btResultCount(bt) - 1; i >= 0; i--) popExpect(btResult(bt, i));
}
export function pushResults(bt: i32): void {
  let n = btResultCount(bt);
  for (let i = 0; i < n; i++) pushVal(btResult(bt, i));
}

// Label types: a loop's label takes its params, any other its results.
@inline function isLoop(frame: i32): bool { return unchecked(ctrlKind[frame]) == Op.Loop; }
export function labelCount(frame: i32): i32 {
  let bt = unchecked(ctrlBt[frame]);
  return isLoop(frame) ? btParamCount(bt) : btResultCount(bt);
}
export function labelType(frame: i32, i: i32): u32 {
  let bt = unchecked(ctrlBt[frame]);
  return isLoop(frame) ? btParam(bt, i) : btResult(bt, i);
}
export function popLabel(frame: i32): void {
  for (let i = labelCount(frame) - 1; i >= 0; i--) popExpect(labelType(frame, i));
}
export function pushLabel(frame: i32): void {
  let n = labelCount(frame);
  for (let i = 0; i < n; i++) pushVal(labelType(frame, i));
}

/** Read a block type: 0x40, a value type, or an s33 type index. */
export function readBlockType(): i32 {
  let v = rd.s33leb();
  if (rd.failed) return BT_EMPTY;
  if (v == -64) return BT_EMPTY;
  if (v < 0) {
    let t = <u32>(v & 0x7F);
    if (v < -128 || !isValType(t)) { fail(Err.MalformedValueType); return BT_EMPTY; }
    return <i32>t;
  }
  if (v >= <i64>mod.types.length) { fail(Err.UnknownType); return BT_EMPTY; }
  return <i32>v + BT_TYPEIDX;
}

export function isValType(t: u32): bool {
  return t == ValType.I32 || t == ValType.I64 || t == ValType.F32 || t == ValType.F64 ||
    t == ValType.V128 || isRef(t);
}
/** Wasm 2.0 reference types. */
export function isRef(t: u32): bool { return t == ValType.FuncRef || t == ValType.ExternRef; }

// ---- control stack ----

/**
 * Blocks, loops and ifs nest at most this deep in a function: the validator
 * and the compiler keep a record per open level, so without a bound a
 * module of nested `block`s (two bytes a level) would take memory in
 * proportion to its size many times over (issue 18 part 4).
 */
export const MAX_CONTROL_DEPTH: i32 = 16384;
/** What the current LimitExceeded error is about (for its message). */
export let limitWhat: string = "";

export function pushCtrl(kind: u32, bt: i32): void {
  if (nctrls > MAX_CONTROL_DEPTH) {
    limitWhat = "blocks nested deeper than " + MAX_CONTROL_DEPTH.toString() + " ";
    fail(Err.LimitExceeded);
  }
  if (nctrls == ctrlKind.length) {
    ctrlKind = growU8(ctrlKind, nctrls);
    ctrlUnreach = growU8(ctrlUnreach, nctrls);
    ctrlBt = growI32(ctrlBt, nctrls);
    ctrlHeight = growI32(ctrlHeight, nctrls);
  }
  unchecked(ctrlKind[nctrls] = <u8>kind);
  unchecked(ctrlBt[nctrls] = bt);
  unchecked(ctrlHeight[nctrls] = nvals);
  unchecked(ctrlUnreach[nctrls] = 0);
  nctrls++;
  if (kind != 0) pushParams(bt); // kind 0: the function frame, params are locals
}

/** Check the top frame's results and height, pop it; returns its block type. */
export function popCtrl(): i32 {
  let top = nctrls - 1;
  let bt = unchecked(ctrlBt[top]);
  popResults(bt);
  if (nvals != unchecked(ctrlHeight[top])) fail(Err.TypeMismatch);
  nctrls--;
  return bt;
}

/** The rest of the block is unreachable: the stack becomes polymorphic. */
export function setUnreachable(): void {
  nvals = unchecked(ctrlHeight[nctrls - 1]);
  unchecked(ctrlUnreach[nctrls - 1] = 1);
}

/** Read a label index and return its frame index, or -1 (error recorded). */
export function readLabel(): i32 {
  let l = rd.u32leb();
  if (rd.failed) return -1;
  if (l >= <u32>nctrls) { fail(Err.UnknownLabel); return -1; }
  return nctrls - 1 - <i32>l;
}

// ---- memory immediates ----

export function needMemory(): bool {
  if (mod.numMems == 0) return fail(Err.UnknownMemory);
  return true;
}

/** Read a memarg; checks that memory 0 exists and the alignment is at most `natural` (log2). */
export function readMemArgAlign(natural: u32): bool {
  let align = rd.u32leb();
  rd.u32leb(); // offset
  if (rd.failed || !needMemory()) return false;
  if (align > natural) return fail(Err.AlignmentTooLarge);
  return true;
}

// ---- one function ----

/** Start validating a function whose frame has block type `bt` (its type index + BT_TYPEIDX). */
export function beginFunction(m: Module, start: u32, end: u32, bt: i32): void {
  mod = m;
  err = Err.None;
  nvals = 0;
  nctrls = 0;
  rd.base = m.base;
  rd.pos = start;
  rd.end = end;
  rd.err = Err.None;
  rd.errPos = 0;
  pushCtrl(0, bt);
}

/** The next instruction starts at rd.pos. */
@inline export function beginInstr(): void { instrAt = rd.pos; }

/** The first error recorded (Err.None if none) and where. */
@inline export function firstError(): Err { return err; }
@inline export function firstErrorAt(): u32 { return errAt; }

/** Drop the reference to the module so the collector may free it later. */
export function endFunction(): void { mod = NO_MODULE; }

// ---- buffers ----

export function growU8(a: StaticArray<u8>, used: i32, need: i32 = 0): StaticArray<u8> {
  let n = max(a.length * 2, need);
  let b = new StaticArray<u8>(n);
  memory.copy(changetype<usize>(b), changetype<usize>(a), <usize>used);
  return b;
}
function growI32(a: StaticArray<i32>, used: i32): StaticArray<i32> {
  let b = new StaticArray<i32>(a.length * 2);
  memory.copy(changetype<usize>(b), changetype<usize>(a), <usize>used << 2);
  return b;
}
