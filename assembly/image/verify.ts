// The image verifier: every word of an image's internal code, function table
// and fuel side table checked before anything runs (docs/image-format.md,
// "Trust"). Both builds; linear in the size of the image.
//
// It knows no op by name: each operand word is checked by its KIND from the
// instruction-set table (operands.ts), so a new op is verified by its row.
//
//   pass 1  the code splits into ops of the table (op starts marked);
//           the side table splits into block records [n, n x (pc, cost, wasmOff)]
//   pass 2  per function (they tile the code in order): its entry in the
//           function table against its type, then every operand of every op
//           against that function's frame, range and the module's index
//           spaces; its last op does not fall through; in metered code each
//           Fuel op's record lies straight after it (below)
//
// Code words are still as in the image: a CanonType operand is a type index
// (read.ts maps it to this process's canonical id after this pass).

import { Err, lastError } from "../errors";
import { Module } from "../binary/module";
import { CompiledModule, FUNC_INFO_WORDS } from "../compile/compiled";
import { Kind, OpFlag, opFlags, opLength, operandKind } from "../compile/operands";

/** Largest frame an image may ask for: 16 MiB, far past any stack (docs/image-format.md). */
export const IMAGE_FRAME_LIMIT: u32 = 1 << 24;

const IR_FUEL: u32 = 2; // the block-entry op: cost, side index

// op/record start marks
const START: u8 = 1;
const NAMED: u8 = 2; // side record already claimed by a Fuel op

// Reads at indices the pass has already bounded (each use says why): the
// device build's flash budget has no room for a second bounds check.
@inline function at32(a: StaticArray<u32>, i: u32): u32 { return load<u32>(changetype<usize>(a) + (<usize>i << 2)); }
@inline function at8(a: StaticArray<u8>, i: u32): u8 { return load<u8>(changetype<usize>(a) + <usize>i); }
@inline function set8(a: StaticArray<u8>, i: u32, v: u8): void { store<u8>(changetype<usize>(a) + <usize>i, v); }

// The function being checked (module-level: no object to allocate).
let fStart: u32 = 0;    // word index of its first op
let fEnd: u32 = 0;      // word index past its last op
let fBytes: u32 = 0;    // frameBytes
let fResults: u32 = 0;  // result count

/** Checks cm (as read from an image); false with lastError set (offset: byte in the code or side table). */
export function verifyImageCode(cm: CompiledModule): bool {
  let code = cm.code;
  let n = <u32>code.length;
  let starts = new StaticArray<u8>(n + 1);
  let pos: u32 = 0;
  while (pos < n) {
    let len = opLength(code, pos);
    let op = at32(code, pos); // pos < n
    if (len == 0) return bad(pos, "code: unknown op or op past the end: ", op);
    if (opFlags(op) & OpFlag.NOT_IN_CODE) return bad(pos, "code: op never stored in code: ", op);
    set8(starts, pos, START);
    pos += len;
  }
  set8(starts, n, START);
  let recs = sideRecords(cm.side);
  if (!recs) return false;

  let m = cm.module;
  let info = cm.funcInfo;
  let nf = <u32>m.funcTypeIdx.length;
  if (<u32>info.length != nf * FUNC_INFO_WORDS || <u32>m.codes.length != nf) return bad(0, "code: function table does not match the module's functions: ", <u32>info.length);
  let lim = limitsOf(m);
  fEnd = 0;
  for (let i: u32 = 0; i < nf; i++) {
    if (!frameOk(cm, i, n)) return false;
    if (!functionOk(cm, starts, recs!, lim)) return false;
  }
  if (fEnd != n) return bad(fEnd, "code: code after the last function: ", n);
  // Metered: a snapshot may resume inside any record, so each must be a Fuel op's.
  if (cm.metered) for (let i: u32 = 0; i < <u32>recs.length; i++) if (at8(recs, i) == START) return bad(i, "fuel side table: record of no Fuel op: ", i);
  cm.opStartMap = starts;
  return true;
}

/** Marks the start of each side record: [n, n x 3 words] tile the table exactly. */
function sideRecords(side: StaticArray<u32>): StaticArray<u8> | null {
  let len = <u64>side.length;
  let recs = new StaticArray<u8>(<i32>len + 1);
  let i: u64 = 0;
  while (i < len) {
    let k = <u64>at32(side, <u32>i); // i < len
    if (i + 1 + k * 3 > len) { bad(<u32>i, "fuel side table: fuel record runs past the side table: ", <u32>k); return null; }
    set8(recs, <u32>i, START);
    i += 1 + k * 3;
  }
  return recs;
}

/** Per operand kind that is an index: how many the module has (0: not an index kind). */
function limitsOf(m: Module): StaticArray<u32> {
  let lim = new StaticArray<u32>(32);
  lim[Kind.FuncInfo] = <u32>m.funcTypeIdx.length << 5; // 32-byte entries
  lim[Kind.ImportFunc] = m.numImportedFuncs;
  lim[Kind.Func] = m.numFuncs;
  lim[Kind.Table] = m.numTables;
  lim[Kind.Memory] = m.numMems;
  lim[Kind.Global] = m.numGlobals;
  lim[Kind.GlobalMut] = m.numGlobals;
  lim[Kind.CanonType] = <u32>m.types.length;
  lim[Kind.Data] = <u32>m.datas.length;
  lim[Kind.Elem] = <u32>m.elems.length;
  return lim;
}

/**
 * Function i's table entry against its type; its code range follows the
 * previous function's (f holds that one, and receives this one).
 *
 *   [0] codeOff  [1] frameBytes  [2] paramBytes  [3] localBytes
 *   [4] nresults [5] type (index here)  [6] entryCost  [7] entryAfter
 */
function frameOk(cm: CompiledModule, i: u32, n: u32): bool {
  let info = cm.funcInfo;
  let b = i * FUNC_INFO_WORDS;
  // info holds nf entries of 8 words (checked by the caller)
  let off = at32(info, b), bytes = at32(info, b + 1), pb = at32(info, b + 2), lb = at32(info, b + 3), nr = at32(info, b + 4);
  let next = i + 1 < <u32>cm.module.funcTypeIdx.length ? at32(info, b + FUNC_INFO_WORDS) : n << 2;
  if (off != fEnd << 2 || next <= off || (next & 3) != 0 || (next >> 2) > n) return bad(0, "code: code range of function ", i);
  let t = unchecked(cm.module.funcTypeIdx[i]); // i < nf
  if (t >= <u32>cm.module.types.length) return bad(0, "code: no type for function ", i);
  let ft = unchecked(cm.module.types[t]);
  if (pb != <u32>ft.paramSlots << 3 || nr != <u32>ft.resultSlots || (lb & 7) != 0 || (bytes & 7) != 0
    || bytes > IMAGE_FRAME_LIMIT || <u64>pb + <u64>lb > <u64>bytes) {
    return bad(0, "code: frame does not fit the type of function ", i);
  }
  fStart = off >> 2;
  fEnd = next >> 2;
  fBytes = bytes;
  fResults = nr;
  store<u32>(changetype<usize>(info) + (<usize>(b + 5) << 2), unchecked(cm.typeCanon[t])); // the type as this process's id (typeCanon: one per type)
  // The entry block: paid inline by a call, which then starts at entryAfter.
  let cost = at32(info, b + 6), after = at32(info, b + 7);
  let code = cm.code;
  // fStart < n (next > off, next <= 4n); a Fuel op there lies whole in the code (pass 1)
  let viaFuel = at32(code, fStart) == IR_FUEL && after == off + 12 && cost == at32(code, fStart + 1);
  if (!viaFuel && (after != off || cost != 0)) return bad(0, "code: entry block of function ", i);
  return true;
}

/** Every op of function f: operands by kind, control within the function, fuel records. */
function functionOk(cm: CompiledModule, starts: StaticArray<u8>, recs: StaticArray<u8>, lim: StaticArray<u32>): bool {
  let code = cm.code;
  let m = cm.module;
  let metered = cm.metered;
  let pos = fStart;
  while (pos < fEnd) {
    let op = at32(code, pos); // pos < fEnd <= n
    let len = opLength(code, pos);
    let flags = opFlags(op);
    let next = pos + len;
    if (next > fEnd) return bad(pos, "code: op crosses the function's end: ", op);
    if (next == fEnd && (flags & OpFlag.NO_FALLTHROUGH) == 0) return bad(pos, "code: function falls off its end: ", op);
    if ((flags & OpFlag.MEM0) != 0 && m.numMems == 0) return bad(pos, "code: memory op without a memory: ", op);
    if (metered && (flags & OpFlag.NEXT_FUEL) != 0 && (next >= fEnd || at32(code, next) != IR_FUEL)) return bad(pos, "code: no fuel block after: ", op);
    let sig: u32 = 0; // slots of the signature named by a call's FuncInfo/ImportFunc/CanonType operand
    let landed: u32 = 0; // word of the op's last Target (a TargetCost word follows it)
    for (let j: u32 = 1; j < len; j++) {
      let v = at32(code, pos + j); // pos + len <= fEnd
      let k = operandKind(op, j);
      let ok = true;
      switch (k) {
        case Kind.Slot: ok = slotOk(v, 8, fBytes); break;
        case Kind.Slot16: ok = slotOk(v, 16, fBytes); break;
        case Kind.Target: {
          // metered, a jump that pays where it lands (TARGET_FUEL) lands right past a Fuel op (docs/fuel.md)
          let w = v >> 2; // w < fEnd <= n below, so starts and code hold it
          ok = (v & 3) == 0 && w >= fStart && w < fEnd && at8(starts, w) != 0
            && (!metered || (flags & OpFlag.TARGET_FUEL) == 0 || (w >= fStart + 3 && at8(starts, w - 3) != 0 && at32(code, w - 3) == IR_FUEL));
          landed = w;
          break;
        }
        // what a jump pays where it lands: the Fuel op's cost there (metered; landed - 3 is that op), or 0
        case Kind.TargetCost: ok = v == (metered ? at32(code, landed - 2) : 0); break;
        // ... and where it goes on when not taken (NEXT_FUEL: next < fEnd holds a Fuel op)
        case Kind.NextCost: ok = v == (metered ? at32(code, next + 1) : 0); break;
        case Kind.ArgBase: ok = slotOk(v, sig << 3, fBytes); break;
        case Kind.ResultSrc: ok = slotOk(v, fResults << 3, fBytes); break;
        case Kind.ResultCount: ok = v == fResults; break;
        case Kind.Side: if (!fuelRecordOk(cm, pos, v, starts, recs)) return false; break; // (its own reason)
        case Kind.Imm: case Kind.Cost: case Kind.BrCount: break; // any value (BrCount: opLength used it)
        default: {
          // an index: below the module's count of that kind
          ok = k < 32 && v < lim[k];
          if (!ok) break;
          // (v below the count: the unchecked reads are in range; function types were checked per function)
          if (k == Kind.FuncInfo) { ok = (v & 31) == 0; sig = slotsOf(m, unchecked(m.funcTypeIdx[v >> 5])); }
          else if (k == Kind.ImportFunc) { let t = unchecked(m.funcImports[v]).typeIdx; ok = t < lim[Kind.CanonType]; if (ok) sig = slotsOf(m, t); }
          else if (k == Kind.CanonType) { sig = slotsOf(m, v); store<u32>(changetype<usize>(code) + (<usize>(pos + j) << 2), unchecked(cm.typeCanon[v])); } // to this process's id
          else if (k == Kind.GlobalMut) ok = m.globalType(v).mutable;
        }
      }
      if (!ok) return bad(pos + j, "code: operand " + j.toString() + " of op " + op.toString() + " out of range: ", v);
    }
    pos = next;
  }
  return true;
}

/** A slot area of `width` bytes at byte offset v lies in a frame of `bytes`. */
@inline function slotOk(v: u32, width: u32, bytes: u32): bool {
  return (v & 7) == 0 && <u64>v + <u64>width <= <u64>bytes;
}

/** Argument/result slots of type t: a call's area is the larger of the two. */
function slotsOf(m: Module, t: u32): u32 {
  let ft = unchecked(m.types[t]); // t names a type (checked by the caller)
  let p = <u32>ft.paramSlots, r = <u32>ft.resultSlots;
  return p > r ? p : r;
}

/**
 * The record of the Fuel op at word `at` (metered code). Out of fuel inside
 * the block, the loop pays entries 0..k-1 and plants a Halt at entry k, the
 * first it cannot pay (cost > 0): that Halt must be reached before the code
 * leaves the block, or it would stay planted. So the entries from the first
 * on are the ops straight after the Fuel op, in order, up to and including
 * the first op that can leave (a jump, call, return); entries after it
 * (br_table trampolines) cost nothing; the last entry may sit at the op
 * after a straight block's last op (the block's trailing free instructions,
 * e.g. an `end`: a Halt there is reached by falling through). The costs add up to the Fuel op's, so
 * a Fuel op short of fuel always stops at an entry. Each record belongs to
 * one Fuel op.
 */
function fuelRecordOk(cm: CompiledModule, at: u32, s: u32, starts: StaticArray<u8>, recs: StaticArray<u8>): bool {
  let side = cm.side;
  let code = cm.code;
  if (s >= <u32>side.length || at8(recs, s) != START) return bad(s, "fuel side table: Fuel op names no free record: ", at);
  set8(recs, s, NAMED);
  let n = at32(side, s); // a record start: its 3n entries follow inside the table (sideRecords)
  let expect = at + 3; // word of the next entry while the block runs straight
  let straight = true;
  let sum: u64 = 0;
  for (let k: u32 = 0; k < n; k++) {
    let e = s + 1 + k * 3;
    let pc = at32(side, e), cost = at32(side, e + 1);
    let w = pc >> 2;
    sum += cost;
    // the last entry may be the block's end (the next block's Fuel op): the trailing free instructions' fuel
    if ((pc & 3) != 0 || w < expect || w >= fEnd || at8(starts, w) == 0 || (at32(code, w) == IR_FUEL && k + 1 < n)
      || (straight ? w != expect : cost != 0)) {
      return bad(e, "fuel side table: fuel record entry out of place: ", pc);
    }
    let flags = opFlags(at32(code, w)); // w < fEnd
    if (straight && (flags & (OpFlag.NO_FALLTHROUGH | OpFlag.NEXT_FUEL | OpFlag.TARGET_FUEL)) != 0) straight = false;
    expect = w + (straight ? opLength(code, w) : 1);
  }
  if (sum != <u64>at32(code, at + 1)) return bad(s, "fuel side table: fuel record costs do not add up to the block's: ", <u32>sum);
  return true;
}

function bad(word: u32, what: string, v: u32): bool {
  lastError.set(Err.ImageCorrupt, <i64>word << 2, what + v.toString());
  return false;
}
