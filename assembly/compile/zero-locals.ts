// Which declared locals a call must zero: only those some path may read
// before writing (definite assignment over the structured control flow).
//
// A call zeroes its callee's non-parameter locals (exec/interp.ts
// enterFrame); in small functions that is a loop of 8-byte stores costing
// as much as the rest of the call (fib's three locals: 27 of the 78
// Cortex-M3 instructions of a Call, docs/firmware.md). The compiler lays
// locals out in order, so the call zeroes the bytes from the first declared
// local up to the end of the last one that needs it (FI_LOCAL_BYTES).
//
// The analysis (one forward pass, before the compiler's own): the set of
// locals certainly written so far, as a bit set of the first 64 declared
// locals (the others always count as needing zero). A local.get of a local
// outside the set marks it. Where control merges the sets intersect: a
// block's or if's end takes the fallthrough and every branch to it, an
// else arm starts from the if's entry, an if without else meets its entry;
// a loop's end is reached only by falling out of its body (its branches go
// to its start), so it keeps the body's set. After br, br_table, return
// and unreachable the code is dead up to its end: its set is "everything"
// (and it adds nothing to the merge). An opcode that may branch in a way
// this pass does not model (exceptions, br_on_*, GC's prefix) makes it give
// up: every declared local is zeroed, as before.

import { Reader } from "../binary/reader";
import { skipInstruction } from "../binary/decoder";
import { Op } from "../binary/opcodes";

const ALL: u64 = 0xFFFFFFFFFFFFFFFF;

class Frame {
  loop: bool = false;
  isIf: bool = false;
  /** The set at entry (an if's else arm and end start from it). */
  entry: u64 = 0;
  /** Intersection of the sets of the branches to its end (block, if). */
  exit: u64 = ALL;
  hasElse: bool = false;
}

/** Bit of declared local x (x counts the parameters), or 0 for one beyond the first 64. */
@inline function bit(x: u32, nParams: u32): u64 {
  let j = x - nParams;
  return j < 64 ? <u64>1 << <u64>j : 0;
}

/**
 * How many of the declared locals, counted from the first, must be zeroed
 * on entry: one past the last that some path may read before writing it.
 * `nDeclared` locals follow `nParams` parameters; the body's code is
 * [start, end) of `base` (already validated).
 */
export function localsToZero(base: usize, start: u32, end: u32, nParams: u32, nDeclared: u32): u32 {
  if (nDeclared == 0) return 0;
  let r = new Reader(base, start, end);
  let frames = new Array<Frame>();
  frames.push(new Frame());
  let cur: u64 = 0;       // certainly written (bit j: declared local j); ALL in dead code
  let read: u64 = 0;      // read while maybe unwritten
  let wide = false;       // a local beyond the first 64 was read
  while (true) {
    if (r.failed || r.pos >= end) return nDeclared;
    let at = r.pos;
    let op = r.u8();
    switch (op) {
      case Op.Block: case Op.Loop: case Op.If: {
        r.s33leb();
        let f = new Frame();
        f.loop = op == Op.Loop;
        f.isIf = op == Op.If;
        f.entry = cur;
        frames.push(f);
        break;
      }
      case Op.Else: {
        let f = frames[frames.length - 1];
        f.exit &= cur; // the then arm's fallthrough
        f.hasElse = true;
        cur = f.entry;
        break;
      }
      case Op.End: {
        let f = frames.pop();
        if (frames.length == 0) return wide ? nDeclared : (read == 0 ? 0 : 64 - <u32>clz<u64>(read));
        if (f.loop) break; // left only by falling out of its body: the body's set
        cur &= f.exit;
        if (f.isIf && !f.hasElse) cur &= f.entry;
        break;
      }
      case Op.Br: branchTo(frames, r.u32leb(), cur); cur = ALL; break;
      case Op.BrIf: branchTo(frames, r.u32leb(), cur); break;
      case Op.BrTable: {
        let n = r.u32leb();
        for (let i: u32 = 0; i <= n && !r.failed; i++) branchTo(frames, r.u32leb(), cur);
        cur = ALL;
        break;
      }
      case Op.Return: case Op.Unreachable: cur = ALL; break;
      case Op.LocalGet: {
        let x = r.u32leb();
        if (x < nParams) break;
        let b = bit(x, nParams);
        if (b == 0) wide = true; // (even in dead code: cur is ALL there, which says nothing of these)
        else if ((cur & b) == 0) read |= b;
        break;
      }
      case Op.LocalSet: case Op.LocalTee: {
        let x = r.u32leb();
        if (x >= nParams) cur |= bit(x, nParams);
        break;
      }
      case Op.Nop: case Op.Drop: case Op.Select: case Op.SelectT: case Op.Call: case Op.CallIndirect:
        r.pos = at; skipInstruction(r);
        break;
      default: {
        // other control (exceptions' try/catch/throw/delegate, try_table, tail calls, call_ref),
        // br_on_null/non_null, GC's prefix (br_on_cast): not modelled
        if (op < 0x20 || op == 0xD5 || op == 0xD6 || op == 0xFB) return nDeclared;
        r.pos = at;
        skipInstruction(r);
      }
    }
  }
  return nDeclared;
}

/** A branch to relative depth d with set s: a block's (if's) end meets s; a loop's start needs nothing (every set inside a loop contains its entry set). */
function branchTo(frames: Array<Frame>, d: u32, s: u64): void {
  let i = frames.length - 1 - <i32>d;
  if (i < 0) return;
  let f = frames[i];
  if (!f.loop) f.exit &= s;
}
