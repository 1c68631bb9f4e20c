// Translation of validated function bodies into the internal code (ir.ts).
//
// One pass per function over the Wasm bytes, with an abstract operand stack
// that records *where* each value is, not only its type:
//   Temp   the value is in its canonical slot (localsBytes + 8*height)
//   Local  the value is still local x (local.get emits nothing)
//   Const  the value is a known constant (i32.const emits nothing)
// A consumer reads Local and Const operands directly (Const is written to
// its slot first), so `local.get a; local.get b; i32.add` is one op. A
// `local.set` right after an op retargets that op's destination to the
// local. Lazy entries are made concrete ("materialized") where their
// meaning could change: before the local they name is written, at block
// entry, and where values flow to a branch target.
//
// Fuel: every basic block begins with a Fuel op whose cost is the sum of its
// instructions' costs; the side table lists each op's share so the slow
// path can stop at an exact op boundary (docs/fuel.md). A Wasm instruction
// that emits nothing adds its cost to the next op of the same block.
//
// The input is already validated: this pass trusts types and indices.

import { Reader } from "../binary/reader";
import { skipInstruction } from "../binary/decoder";
import { Module, FuncType, ValType } from "../binary/module";
import { Op, OpFC } from "../binary/opcodes";
import { Ir, numIsUnary, hasImmForm, negateCmp, immOp, immCompare, IMM_COMPARES, MULLOADS_ADD, MULLOADS_WASM_SHIFT } from "./ir";
import { IrExt } from "./ir-ops";
import { CompiledModule, FUNC_INFO_WORDS } from "./compiled";
import { opFlags, OpFlag, opWords, operandKind, Kind } from "./operands";
import {
  FUNC_INFO_BYTES, FI_CODE_OFF, FI_FRAME_BYTES, FI_PARAM_BYTES, FI_LOCAL_BYTES, FI_NRESULTS, FI_CANON, FI_ENTRY_COST, FI_ENTRY_AFTER,
} from "./func-info";
import { SIDE_ENTRY_WORDS, SIDE_PC, SIDE_COST, SIDE_WASM, sideEntry } from "./side-table";
import { fuelCost } from "../exec/fuel";
import { EXT_ON, extFind, extFuelIndex, extParamCount, extParam, extResultCount, extResult } from "../binary/ext-ops";
import { readExtImmediates } from "../binary/ext";
import { BulkCost, FUEL_FC_BASE } from "../exec/fuel-index";
import { limits } from "../runtime/limits";
import { localsToZero } from "./zero-locals";

const enum K { Temp = 0, Local = 1, Const = 2 }

const enum CtlKind { Block = 0, Loop = 1, If = 2, Else = 3, Func = 4 }

class Ctl {
  kind: i32 = CtlKind.Block;
  /** Operand height at entry, below the block's parameters. */
  height: i32 = 0;
  /** Slots (not values: a v128 takes two) of the block's parameters and results. */
  nparams: i32 = 0;
  nresults: i32 = 0;
  /** The block's type (null: no parameters, no results), for the v128 halves of what it pushes. */
  type: FuncType | null = null;
  /** Loop: byte offset of the header. */
  labelPc: u32 = 0;
  /** Loop: side-table index of the header's fuel block (see loopBackEdge). */
  headerSide: i32 = -1;
  /** Word indices of forward jump targets that must point at this block's end. */
  fixups: Array<i32> = [];
  /** If: word index of the JumpIfNot target (to the else arm or the end). */
  elseFixup: i32 = -1;
  /** If: more jump targets that go where elseFixup goes (loop exits moved by loopBackEdge). */
  elseExtra: Array<i32> = [];
  /** If: nothing but the function's return follows its end; its arms return themselves (tailReturn). */
  endsFunction: bool = false;
  /** If with endsFunction: fuel of the instructions between its end and the return (else/end markers, the function's end). */
  tailCost: u32 = 0;
  /** The rest of the current arm is unreachable. */
  unreachable: bool = false;
  /** Opened inside unreachable code: emits nothing at all. */
  dead: bool = false;
}

/** How far loopBackEdge looks for the block its header exits to: control levels, and that block's latest fixups. */
const LOOP_EXIT_LEVELS: i32 = 16;
const LOOP_EXIT_FIXUPS: i32 = 64;

/** ifEnds: the high bit says the if has an else arm. */
const ELSE_SEEN: u32 = 0x80000000;

/** Bytes each store writes, by Wasm opcode - i32.store (0x36..0x3E). */
const STORE_SIZES: StaticArray<u32> = [4, 8, 4, 8, 1, 2, 1, 2, 4];

export class Compiler {
  cm: CompiledModule;
  m: Module;
  code: Array<u32> = [];
  side: Array<u32> = [];

  // per function
  r: Reader = new Reader(0, 0, 0);
  localsBytes: u32 = 0;
  kinds: Array<i32> = [];
  vals: Array<i64> = [];
  /** The entry is the upper half of a v128 (the entry below is its lower half). */
  hi: Array<bool> = [];
  /** Byte offset of each local's slot (a v128 local takes two slots). */
  localOffs: Array<u32> = [];
  height: i32 = 0;
  maxHeight: i32 = 0;
  ctls: Array<Ctl> = [];
  wasmOff: u32 = 0;
  /** Byte offset just past the function body being compiled (its final `end` is the byte before). */
  bodyEnd: u32 = 0;
  /** Defined-function index being compiled. */
  funcIndex: i32 = 0;

  // fuel block state
  /** Emit Fuel ops (limits.fuelMetering when the module was loaded). */
  metering: bool = limits.fuelMetering;
  pending: u32 = 0;
  blockOpen: bool = false;
  fuelPos: i32 = 0;
  sideHeader: i32 = 0;
  emptyBefore: i32 = -1; // byte position a block of free instructions only named as its entry (endBlock)
  blockOps: u32 = 0;
  blockCost: u32 = 0;
  lastEntry: i32 = -1;

  // peephole: the op that produced the value on top of the stack
  lastDstWord: i32 = -1;
  lastDstHeight: i32 = -1;

  constructor(cm: CompiledModule) {
    this.cm = cm;
    this.m = cm.module;
  }

  // ---------------------------------------------------------------- module

  compileAll(): void {
    let m = this.m;
    let n = m.codes.length;
    let info = new StaticArray<u32>(n * <i32>FUNC_INFO_WORDS);
    for (let i = 0; i < n; i++) {
      let ft = m.types[m.funcTypeIdx[i]];
      let base = i * <i32>FUNC_INFO_WORDS;
      info[base + FI_CODE_OFF] = <u32>this.code.length << 2;
      let frameBytes = this.compileFunction(i, ft);
      info[base + FI_FRAME_BYTES] = frameBytes;
      info[base + FI_PARAM_BYTES] = <u32>ft.paramSlots << 3;
      info[base + FI_LOCAL_BYTES] = this.zeroBytes(i, ft); // the locals a call must zero (compile/zero-locals.ts)
      info[base + FI_NRESULTS] = <u32>ft.resultSlots;
      info[base + FI_CANON] = this.cm.typeCanon[m.funcTypeIdx[i]];
      let start = <i32>(info[base + FI_CODE_OFF] >> 2);
      let fuelFirst = this.metering && start + 2 < this.code.length && this.code[start] == <u32>Ir.Fuel;
      info[base + FI_ENTRY_COST] = fuelFirst ? this.code[start + 1] : 0;
      info[base + FI_ENTRY_AFTER] = info[base + FI_CODE_OFF] + (fuelFirst ? 12 : 0);
    }
    this.cm.funcInfo = info;
    this.cm.code = StaticArray.fromArray<u32>(this.code);
    this.cm.side = StaticArray.fromArray<u32>(this.side);
  }

  /** Compiles defined function `i`; returns its frame size in bytes. */
  compileFunction(i: i32, ft: FuncType): u32 {
    let m = this.m;
    this.funcIndex = i;
    this.ifTableFor = 0xFFFFFFFF;
    let body = m.codes[i];
    this.r = new Reader(m.base, body.codeStart, body.codeEnd);
    this.bodyEnd = body.codeEnd;
    this.localsBytes = this.localSlots(ft, body.locals);
    this.height = 0;
    this.maxHeight = 0;
    this.ctls.length = 0;
    this.pending = 0;
    this.lastDstWord = -1;
    let f = new Ctl();
    f.kind = CtlKind.Func;
    f.nresults = ft.resultSlots;
    f.type = ft;
    this.ctls.push(f);
    let from = this.code.length;
    this.startBlock();
    while (this.ctls.length > 0 && !this.r.failed) this.step();
    this.fillJumpCosts(from);
    return this.localsBytes + (<u32>this.maxHeight << 3) + 8;
  }

  /**
   * Every jump of the function just compiled (code words from `from` on)
   * gets the fuel it pays where it lands (docs/fuel.md, "Jumps carry what
   * they land on"). While compiling, a target is its block's start (in
   * metered code the block's Fuel op) and the cost words are 0; with
   * metering, the target moves past that Fuel op, the TargetCost word takes
   * its cost, and a conditional jump's NextCost takes the cost of the Fuel
   * op after it (the not-taken path continues past it). Unmetered code keeps
   * 0s and block starts. BrTable keeps its targets (it pays them itself).
   */
  fillJumpCosts(from: i32): void {
    if (!this.metering) return;
    let code = this.code;
    let end = code.length;
    let pos = from;
    while (pos < end) {
      let op = code[pos];
      let words = <i32>opWords(op);
      let len = words;
      if ((opFlags(op) & OpFlag.TARGET_FUEL) != 0) {
        for (let i = 1; i < words; i++) {
          let k = operandKind(op, <u32>i);
          if (k == Kind.TargetCost) {
            let t = <i32>(code[pos + i - 1] >> 2); // the Target word before it: a Fuel op
            code[pos + i] = code[t + 1];
            code[pos + i - 1] += 12;
          } else if (k == Kind.NextCost) code[pos + i] = code[pos + words + 1];
        }
      } else if (words > 1 && operandKind(op, <u32>(words - 1)) == Kind.BrCount) len += <i32>code[pos + words - 1] + 1;
      pos += len;
    }
  }

  // ---------------------------------------------------------------- emission

  /** Starts an op: records its fuel share and Wasm offset. */
  op(ir: u32): void {
    let side = this.side;
    this.lastEntry = side.length;
    side.push(<u32>this.code.length << 2); // SIDE_PC
    side.push(this.pending);               // SIDE_COST
    side.push(this.wasmOff);               // SIDE_WASM
    this.blockCost += this.pending;
    this.pending = 0;
    this.blockOps++;
    this.code.push(ir);
    this.lastDstWord = -1;
  }
  @inline w(v: u32): void { this.code.push(v); }

  /** The fuel of instructions that emitted nothing rides on the last op of the block. */
  chargePendingToLastOp(): void {
    this.side[this.lastEntry + SIDE_COST] += this.pending;
    this.blockCost += this.pending;
    this.pending = 0;
  }
  @inline here(): u32 { return <u32>this.code.length << 2; }

  startBlock(): void {
    if (this.metering) {
      this.fuelPos = this.code.length;
      this.code.push(Ir.Fuel);
      this.code.push(0);
      this.code.push(<u32>this.side.length);
    } else {
      this.fuelPos = -1;
    }
    this.sideHeader = this.side.length;
    this.side.push(0);
    this.blockOps = 0;
    this.blockCost = 0;
    this.blockOpen = true;
    this.lastDstWord = -1;
  }

  /**
   * Closes the block. `nextBlock`: another starts right here (startBlock
   * follows with no code between), so a block of free instructions only (an
   * `end` that jumps land on) needs no Nop to carry its fuel: its one entry
   * is the next block's Fuel op (a trailing entry), and a jump there runs
   * one op fewer. Should that next block come out empty and leave, a Nop
   * takes its place (below), so the entry always names an op.
   */
  endBlock(nextBlock: bool = false): void {
    if (!this.blockOpen) return;
    if (this.pending > 0 && !this.metering) this.pending = 0;
    let freeOnlyAt = -1; // this block is free instructions only: its entry names the next block's start
    if (this.pending > 0) {
      if (this.blockOps == 0 && nextBlock) { this.trailingEntry(); freeOnlyAt = <i32>this.here(); }
      else if (this.blockOps == 0) this.op(Ir.Nop);
      else if (this.lastOpLeaves()) this.chargePendingToLastOp();
      else this.trailingEntry();
    }
    if (this.blockOps == 0) {
      if (this.fuelPos >= 0) this.code.length = this.fuelPos;
      this.side.length = this.sideHeader;
      // the block before was free instructions whose entry names this (now empty) block's start
      if (this.emptyBefore == <i32>this.here()) this.code.push(Ir.Nop);
    } else {
      if (this.fuelPos >= 0) this.code[this.fuelPos + 1] = this.blockCost;
      this.side[this.sideHeader] = this.blockOps;
    }
    this.emptyBefore = freeOnlyAt;
    this.blockOpen = false;
  }

  /** Ends the block and starts the next one right here. */
  nextBlock(): void {
    this.endBlock(true);
    this.startBlock();
  }

  /** Can the block's last op leave it (jump, call, return)? Then nothing after it runs in this block. */
  lastOpLeaves(): bool {
    let flags = opFlags(this.code[<i32>(this.side[this.lastEntry + SIDE_PC] >> 2)]);
    return (flags & (OpFlag.NO_FALLTHROUGH | OpFlag.NEXT_FUEL | OpFlag.TARGET_FUEL)) != 0;
  }

  /**
   * The fuel of free instructions after the block's last op (an `end`, `nop`,
   * `drop`, a `local.set` folded into that op) is an entry of its own at the
   * block's end (the next op's position), not the last op's share: a trap in
   * that op pays only up to and including its instruction (docs/fuel.md, "On
   * a trap"), and fuel short of it stops after that op.
   */
  trailingEntry(): void {
    let side = this.side;
    side.push(this.here());    // SIDE_PC
    side.push(this.pending);   // SIDE_COST
    side.push(this.wasmOff);   // SIDE_WASM
    this.blockCost += this.pending;
    this.pending = 0;
    this.blockOps++;
  }

  /** A jump target here: closes the current block and opens a new one. */
  label(): u32 {
    this.endBlock(true);
    let at = this.here();
    this.startBlock();
    return at;
  }

  patch(word: i32, target: u32): void { this.code[word] = target; }

  // ---------------------------------------------------------------- abstract stack

  @inline canon(h: i32): u32 { return this.localsBytes + (<u32>h << 3); }

  push(kind: i32, val: i64): void {
    let h = this.height;
    if (h < this.kinds.length) { this.kinds[h] = kind; this.vals[h] = val; this.hi[h] = false; }
    else { this.kinds.push(kind); this.vals.push(val); this.hi.push(false); }
    this.height = h + 1;
    if (this.height > this.maxHeight) this.maxHeight = this.height;
  }

  /** Pushes a Temp produced by an op whose dst operand is at word `dstWord`. */
  pushResult(dstWord: i32): void {
    this.push(K.Temp, 0);
    this.lastDstWord = dstWord;
    this.lastDstHeight = this.height - 1;
  }

  /** Makes the entry at height h live in its canonical slot. */
  materialize(h: i32): void {
    let k = this.kinds[h];
    if (k == K.Temp) return;
    let dst = this.canon(h);
    if (k == K.Local) {
      this.copy(dst, <u32>this.vals[h]);
    } else {
      let v = this.vals[h];
      this.op(Ir.Const); this.w(dst); this.w(<u32>v); this.w(<u32>(v >>> 32));
    }
    this.kinds[h] = K.Temp;
  }

  materializeAll(): void {
    for (let h = 0; h < this.height; h++) this.materialize(h);
  }

  materializeTop(n: i32): void {
    for (let h = this.height - n; h < this.height; h++) this.materialize(h);
  }

  materializeLocal(slot: u32): void {
    for (let h = 0; h < this.height; h++) {
      if (this.kinds[h] == K.Local && <u32>this.vals[h] == slot) this.materialize(h);
    }
  }

  /** Slot holding the entry at height h (materializing a constant). */
  operand(h: i32): u32 {
    let k = this.kinds[h];
    if (k == K.Local) return <u32>this.vals[h];
    if (k == K.Const) this.materialize(h);
    return this.canon(h);
  }

  // ---------------------------------------------------------------- control helpers

  blockType(): FuncType | null {
    let bt = this.r.s33leb();
    if (bt == -64) return null; // empty
    if (bt < 0) {
      let t = new FuncType();
      t.results.push(<u8>(bt & 0x7F));
      return t;
    }
    return this.m.types[<i32>bt];
  }

  openBlock(kind: i32): Ctl {
    let ft = this.blockType();
    let c = new Ctl();
    c.kind = kind;
    c.nparams = ft ? ft.paramSlots : 0;
    c.nresults = ft ? ft.resultSlots : 0;
    c.type = ft;
    return c;
  }

  @inline top(): Ctl { return this.ctls[this.ctls.length - 1]; }

  setUnreachable(): void {
    let c = this.top();
    c.unreachable = true;
    this.height = c.height;
  }

  /** Jump to `target` (a Ctl): forward fixup or known loop header; then the jump's cost words (fillJumpCosts). */
  jumpTargetWord(t: Ctl, costWords: i32): void {
    if (t.kind == CtlKind.Loop) this.w(t.labelPc);
    else { t.fixups.push(this.code.length); this.w(0); }
    this.costWords(costWords);
  }
  /** Placeholders for a jump's TargetCost (and NextCost) words: filled by fillJumpCosts. */
  costWords(n: i32): void { for (let i = 0; i < n; i++) this.w(0); }

  /** Values for a branch to `t`: copy top arity entries to the label's slots. */
  copyToLabel(t: Ctl, arity: i32): void {
    let src = this.height - arity;
    for (let i = 0; i < arity; i++) {
      let h = src + i;
      let dst = this.canon(t.height + i);
      let k = this.kinds[h];
      if (k == K.Const) {
        let v = this.vals[h];
        this.op(Ir.Const); this.w(dst); this.w(<u32>v); this.w(<u32>(v >>> 32));
      } else {
        let s = k == K.Local ? <u32>this.vals[h] : this.canon(h);
        if (s != dst) this.copy(dst, s);
      }
    }
  }

  @inline arityOf(t: Ctl): i32 { return t.kind == CtlKind.Loop ? t.nparams : t.nresults; }

  emitReturn(n: i32): void {
    // one value still in a local returns straight from it (no Copy into a temporary first)
    if (n == 1 && this.kinds[this.height - 1] == K.Local) {
      this.op(Ir.Return); this.w(<u32>this.vals[this.height - 1]); this.w(1);
      return;
    }
    this.materializeTop(n);
    this.op(Ir.Return); this.w(this.canon(this.height - n)); this.w(<u32>n);
  }

  /**
   * A return standing in for the way out of an if that ends the function
   * (decideTailReturns): it also carries the fuel of the markers it skips
   * (`tail`: the enclosing ifs' else/end and the function's end), which are
   * dead by then.
   */
  tailReturn(n: i32, tail: u32): void {
    this.pending += tail;
    this.emitReturn(n);
  }

  /**
   * At `if`: does nothing but the function's return follow this if's end?
   * True for an if/else that is the function's last instruction (its
   * results the function's, nothing beneath them), and, in turn, for an
   * if/else that is the last thing in an arm of such an if. Then each arm
   * returns by itself instead of meeting at the end: recursive code ends like
   * this (fib's `n < 2 ? n : fib(n - 1) + fib(n - 2)`).
   */
  decideTailReturns(b: Ctl): void {
    let p = this.top();
    if (b.nparams != 0 || b.height != 0 || b.nresults != this.ctls[0].nresults) return;
    let next: u32;           // the byte that must follow this if's end
    let tail: u32;           // fuel of what runs after the end, up to the return
    if (p.kind == CtlKind.Func) {
      next = 0x0B; tail = fuelCost(Op.End);
    } else if (p.endsFunction && p.height == 0 && (p.kind == CtlKind.If || p.kind == CtlKind.Else)) {
      next = p.kind == CtlKind.If ? 0x05 : 0x0B; // the enclosing if's else, or its end
      tail = fuelCost(next) + p.tailCost;
    } else return;
    // this if's own end (it needs an else arm), from the function's if table
    let k = this.ifAt(this.r.pos);
    if (k < 0) return;
    let end = unchecked(this.ifEnds[k]);
    if ((end & ELSE_SEEN) == 0) return;
    let at = (end & ~ELSE_SEEN) + 1;
    if (at >= this.bodyEnd) return;
    let follower = <u32>load<u8>(this.m.base + <usize>at);
    if (follower != next) return;
    if (p.kind == CtlKind.Func && at + 1 != this.bodyEnd) return; // the function's own, last end
    b.endsFunction = true;
    b.tailCost = tail;
  }

  /**
   * Index in ifStarts/ifEnds of the `if` whose body starts at `pos`, or -1.
   * The table is built on first use in a function, in one pass: asking each
   * if for its end by scanning forward was quadratic in nesting depth (50,000
   * nested if/else took minutes; issue 18 part 4).
   */
  ifAt(pos: u32): i32 {
    if (this.ifTableFor != this.bodyEnd) this.buildIfTable();
    let starts = this.ifStarts;
    let lo = 0, hi = starts.length - 1;
    while (lo <= hi) {
      let mid = (lo + hi) >>> 1;
      let v = unchecked(starts[mid]);
      if (v == pos) return mid;
      if (v < pos) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }

  /** For every `if` of the current body: where its body starts, where its `end` is and whether it has an `else`. */
  buildIfTable(): void {
    this.ifTableFor = this.bodyEnd;
    let starts = this.ifStarts; starts.length = 0;
    let ends = this.ifEnds; ends.length = 0;
    let open = this.ifOpen; open.length = 0;   // per open block: its if index, or -1
    let r = new Reader(this.m.base, this.m.codes[this.funcIndex].codeStart, this.bodyEnd);
    while (!r.failed && r.pos < this.bodyEnd) {
      let at = r.pos;
      let op = <u32>load<u8>(this.m.base + <usize>at);
      if (op == <u32>Op.End) {
        if (open.length > 0) {
          let k = open.pop();
          if (k >= 0) unchecked(ends[k] = (unchecked(ends[k]) & ELSE_SEEN) | at);
        }
        r.pos++;
        continue;
      }
      if (op == <u32>Op.Else) {
        if (open.length > 0) { let k = open[open.length - 1]; if (k >= 0) unchecked(ends[k] = ELSE_SEEN); }
        r.pos++;
        continue;
      }
      skipInstruction(r);
      if (op == <u32>Op.If) { open.push(starts.length); starts.push(r.pos); ends.push(0); }
      else if (op == <u32>Op.Block || op == <u32>Op.Loop) open.push(-1);
    }
  }
  ifStarts: Array<u32> = [];
  ifEnds: Array<u32> = [];
  ifOpen: Array<i32> = [];
  ifTableFor: u32 = 0xFFFFFFFF;

  /** br (cond < 0) or br_if (cond = slot) to relative depth `depth`. */
  branch(depth: u32, cond: i32): void {
    let t = this.ctls[this.ctls.length - 1 - <i32>depth];
    let arity = this.arityOf(t);
    if (t.kind == CtlKind.Func) {
      if (cond < 0) { this.emitReturn(arity); return; }
      this.op(Ir.JumpIfNot); this.w(<u32>cond); let skip = this.code.length; this.w(0); this.costWords(2);
      this.nextBlock(); // every conditional jump's fallthrough starts a block
      let saved = this.saveKinds(arity);
      this.emitReturn(arity);
      this.restoreKinds(saved, arity);
      this.endBlock();
      this.patch(skip, this.here());
      this.startBlock();
      return;
    }
    let src = this.height - arity;
    if (src == t.height) {
      this.materializeTop(arity);
      if (cond < 0 && t.kind == CtlKind.Loop && arity == 0 && this.loopBackEdge(t)) return;
      if (cond < 0) { this.op(Ir.Jump); this.jumpTargetWord(t, 1); }
      else { this.op(Ir.JumpIf); this.w(<u32>cond); this.jumpTargetWord(t, 2); }
    } else if (cond < 0) {
      this.copyToLabel(t, arity);
      this.op(Ir.Jump); this.jumpTargetWord(t, 1);
    } else {
      this.op(Ir.JumpIfNot); this.w(<u32>cond); let skip = this.code.length; this.w(0); this.costWords(2);
      this.nextBlock(); // every conditional jump's fallthrough starts a block
      this.copyToLabel(t, arity);
      this.op(Ir.Jump); this.jumpTargetWord(t, 1);
      this.endBlock();
      this.patch(skip, this.here());
      this.startBlock();
      return;
    }
    if (cond >= 0) { this.nextBlock(); }
  }

  /**
   * `br` back to a loop whose header is a single conditional exit
   * (`loop (br_if $out (cond)) ... (br $loop)`, or `loop (if (cond) (then
   * ... (br $loop))))`, the shape asc and binaryen give `for` loops): instead of jumping to the
   * header to test again, test here with the condition negated and jump
   * straight into the body; the loop's exit becomes a plain jump after it.
   * One op per iteration instead of two. The test op carries the header's
   * fuel share, so every iteration is charged exactly as before
   * (docs/internal-code.md, "Loop back edges").
   */
  loopBackEdge(t: Ctl): bool {
    let hs = t.headerSide;
    if (hs < 0 || hs >= this.side.length || this.side[hs] != 1) return false;
    let opPc = this.side[sideEntry(hs, 0) + SIDE_PC];
    if (opPc != t.labelPc + (this.metering ? 12 : 0)) return false;
    let p = <i32>(opPc >> 2);
    let ir = this.code[p];
    let len: i32; // words up to and including the target (the cost words follow)
    let neg: u32;
    if (ir == <u32>Ir.JumpIf || ir == <u32>Ir.JumpIfNot) {
      len = 3;
      neg = ir == <u32>Ir.JumpIf ? Ir.JumpIfNot : Ir.JumpIf;
    } else if (ir >= <u32>Ir.JumpCmpBase && ir < <u32>Ir.JumpCmpBase + 10) {
      len = 4;
      neg = Ir.JumpCmpBase + negateCmp(ir - Ir.JumpCmpBase + 0x46) - 0x46;
    } else if (ir >= <u32>Ir.JumpCmpImmBase && ir < <u32>Ir.JumpCmpImmBase + 10) {
      len = 4;
      neg = Ir.JumpCmpImmBase + negateCmp(ir - Ir.JumpCmpImmBase + 0x46) - 0x46;
    } else return false;
    // Where the header exits to: a pending forward jump (some block's
    // fixup) or a position already final. An if's else-fixup is patched
    // by a different path: leave those loops alone.
    let tw = p + len - 1;
    let owner: Ctl | null = null;
    let elseOwner: Ctl | null = null;
    // Searched innermost first, and only so far: the exit of asc's and
    // binaryen's loops is a level or two out and its jump among the last
    // fixups. Beyond that the loop keeps the plain form (correct, one op
    // more per iteration), so a deep or branchy function compiles in linear
    // time (issue 18 part 4: 50,000 nested loops took seconds, quadratic).
    let lowest = this.ctls.length > LOOP_EXIT_LEVELS ? this.ctls.length - LOOP_EXIT_LEVELS : 0;
    let partial = lowest > 0;
    for (let i = this.ctls.length - 1; i >= lowest; i--) {
      let c = this.ctls[i];
      if (c.elseFixup == tw) {
        if (c.nparams != 0) return false;
        elseOwner = c;
        break;
      }
      let f = c.fixups;
      let stop = f.length > LOOP_EXIT_FIXUPS ? f.length - LOOP_EXIT_FIXUPS : 0;
      if (stop > 0) partial = true;
      for (let j = f.length - 1; j >= stop; j--) if (unchecked(f[j]) == tw) { owner = c; break; }
      if (owner) break;
    }
    if (!owner && !elseOwner && partial) return false; // not seen: maybe final, maybe beyond the search
    let headerCost = this.side[sideEntry(hs, 0) + SIDE_COST];
    this.op(neg);
    let testPos = this.code.length - 1;
    for (let i = 1; i < len - 1; i++) this.w(this.code[p + i]);
    let body = opPc + (<u32>(len + 2) << 2); // the body, right after the header (its op: len words and two cost words)
    this.w(body);
    this.costWords(2);
    this.side[this.lastEntry + SIDE_COST] += headerCost;
    this.side[this.lastEntry + SIDE_WASM] = this.side[sideEntry(hs, 0) + SIDE_WASM];
    this.blockCost += headerCost;
    // `i += k` just before: the step and the test are one op (its fuel share takes the header's)
    let bodyWord = testPos + len - 1;
    let fusedWord = this.fuseLoopStep(testPos, bodyWord);
    if (fusedWord != bodyWord) this.code[fusedWord] = body;
    this.endBlock();
    this.startBlock();
    this.op(Ir.Jump);
    if (owner) { owner.fixups.push(this.code.length); this.w(0); }
    else if (elseOwner) { elseOwner.elseExtra.push(this.code.length); this.w(0); }
    else this.w(this.code[tw]);
    this.costWords(1);
    return true;
  }

  // The conditional-return path materializes entries only on the taken path;
  // the fallthrough must still see them as they were.
  saveKinds(n: i32): StaticArray<i32> {
    let s = new StaticArray<i32>(n);
    for (let i = 0; i < n; i++) s[i] = this.kinds[this.height - n + i];
    return s;
  }
  restoreKinds(s: StaticArray<i32>, n: i32): void {
    for (let i = 0; i < n; i++) this.kinds[this.height - n + i] = s[i];
  }

  /** br_if whose condition is a fresh i32 compare and whose values are in place: one fused op. */
  brIfFused(depth: u32): bool {
    let t = this.ctls[this.ctls.length - 1 - <i32>depth];
    if (t.kind == CtlKind.Func) return false;
    let arity = this.arityOf(t);
    let src = this.height - 1 - arity;
    if (src != t.height || !this.allTemp(src, this.height - 1)) return false;
    let w = this.fuseCondJump(true);
    if (w < 0) return false;
    if (t.kind == CtlKind.Loop) this.code[w] = t.labelPc;
    else t.fixups.push(w);
    this.endBlock();
    this.startBlock();
    return true;
  }

  brTable(): void {
    let r = this.r;
    let n = r.u32leb();
    let depths = new StaticArray<u32>(<i32>n + 1);
    for (let i: u32 = 0; i <= n; i++) depths[i] = r.u32leb();
    let idx = this.operand(this.height - 1);
    this.height--;
    let t0 = this.ctls[this.ctls.length - 1 - <i32>depths[n]];
    let arity = this.arityOf(t0);
    this.materializeTop(arity);
    this.op(Ir.BrTable); this.w(idx); this.w(n);
    let first = this.code.length;
    for (let i: u32 = 0; i <= n; i++) this.w(0);
    let src = this.height - arity;
    for (let i: u32 = 0; i <= n; i++) {
      let t = this.ctls[this.ctls.length - 1 - <i32>depths[i]];
      let word = first + <i32>i;
      if (t.kind != CtlKind.Func && src == t.height) {
        if (t.kind == CtlKind.Loop) this.patch(word, t.labelPc);
        else t.fixups.push(word);
        continue;
      }
      // trampoline: move the values, then jump or return
      this.patch(word, this.here());
      if (t.kind == CtlKind.Func) {
        this.op(Ir.Return); this.w(this.canon(src)); this.w(<u32>arity);
      } else {
        this.copyToLabel(t, arity);
        this.op(Ir.Jump); this.jumpTargetWord(t, 1);
      }
    }
    this.setUnreachable();
  }

  // ---------------------------------------------------------------- ops

  unary(ir: u32): void {
    let a = this.operand(this.height - 1);
    this.height--;
    this.op(ir); let d = this.code.length; this.w(this.canon(this.height)); this.w(a);
    this.pushResult(d);
  }

  /** A binary numeric op; i32 ops with a constant operand take it as an immediate. */
  binaryOp(wop: u32): void {
    let h = this.height;
    if (hasImmForm(wop)) {
      let rk = this.kinds[h - 1];
      let lk = this.kinds[h - 2];
      // the constant must end up on the right; a commutative op may take it from the left
      let constAt = rk == K.Const ? h - 1 : (lk == K.Const && isCommutative(wop) ? h - 2 : -1);
      if (constAt >= 0) {
        let imm = <u32>this.vals[constAt];
        let w = wop;
        if (w == 0x6B) { w = 0x6A; imm = 0 - imm; } // x - c == x + (-c)
        if (w >= 0x4C && w <= 0x4F) { // le/ge: lt/gt against the next constant
          let c = immCompare(w, imm);
          if (c == 0) { this.binary(Ir.NumBase + wop - 0x45); return; } // always true: rare, two slots
          w = <u32>c; imm = <u32>(c >>> 32);
        }
        if (w == 0x71 && this.shrAndImm(constAt == h - 1 ? h - 2 : h - 1, imm)) return;
        // Temps are positional: read the other operand from wherever it is
        let a = this.operand(constAt == h - 1 ? h - 2 : h - 1);
        this.height -= 2;
        this.op(immOp(w)); let d = this.code.length;
        this.w(this.canon(this.height)); this.w(a); this.w(imm);
        this.pushResult(d);
        return;
      }
    }
    if (wop == 0xA0 && this.mulAdd()) return;
    if (wop == 0xA2 && this.mulLoads()) return;
    if (wop == 0x6A && (this.shiftedOperand(Ir.I32ShlImm, Ir.I32AddShl) || this.shiftedOperand(Ir.I32MulImm, Ir.I32AddMulImm)
        || this.shiftedOperand(Ir.I32Mul, Ir.I32AddMul))) return;
    if (wop == 0x73 && this.shiftedOperand(Ir.I32RotrImm, Ir.I32XorRotr)) return;
    this.binary(Ir.NumBase + wop - 0x45);
  }

  /**
   * `(x >>> k) & m`: the and's other operand (at height `xh`) is the
   * temporary of the I32ShrUImm just emitted, read only here. That op becomes
   * one I32ShrUAndImm, which keeps its place and fuel share and takes the
   * and's (bit fields: a byte of a word, a table index from a hash): one
   * dispatch and one trip of the value through its slot fewer.
   */
  shrAndImm(xh: i32, m: u32): bool {
    if (this.kinds[xh] != K.Temp || this.lastDstWord < 0 || this.lastDstHeight != xh) return false;
    let p = this.lastDstWord - 1;
    if (this.code[p] != <u32>Ir.I32ShrUImm || this.code.length != p + 4) return false;
    let x = this.code[p + 2];
    let k = this.code[p + 3] & 31;
    this.code.length = p;
    this.code.push(Ir.I32ShrUAndImm);
    let d = this.code.length;
    this.height -= 2;
    this.w(this.canon(this.height)); this.w(x); this.w(k); this.w(m);
    this.chargePendingToLastOp();
    this.pushResult(d);
    return true;
  }

  /**
   * `x op (y shift k)` with the shift just emitted and its result on top:
   * one op (`x + (y << k)`: array indexing with a base in a local;
   * `x ^ rotr(y, k)`: the SHA-2 sigma functions). The same for `x + y * k`
   * and `x + y * z` (row-major indexing, multiply-accumulate), whose
   * multiply has the same three words.
   */
  shiftedOperand(shiftIr: u32, fusedIr: u32): bool {
    let h = this.height;
    if (this.lastDstWord < 0) return false;
    // The shift's result on top, or (both ops commute) beneath a local
    // pushed after it: `(i << k) + j`, row-major indexing.
    let sh = this.kinds[h - 1] == K.Temp ? h - 1 : h - 2;
    if (this.kinds[sh] != K.Temp || this.lastDstHeight != sh) return false;
    let xh = sh == h - 1 ? h - 2 : h - 1;
    if (this.kinds[xh] == K.Const || (xh == h - 1 && this.kinds[xh] != K.Local)) return false;
    let p = this.lastDstWord - 1;
    if (this.code[p] != shiftIr || this.code.length != p + 4) return false;
    let y = this.code[p + 2];
    let k = this.code[p + 3]; // a shift's count, a multiplier or the multiply's second slot
    if (shiftIr == <u32>Ir.I32ShlImm || shiftIr == <u32>Ir.I32RotrImm) k &= 31;
    let x = this.operand(xh); // a Local or a Temp: emits nothing
    this.code.length = p;
    this.code.push(fusedIr);
    let d = this.code.length;
    this.height -= 2;
    this.w(this.canon(this.height)); this.w(x); this.w(y); this.w(k);
    this.chargePendingToLastOp();
    this.pushResult(d);
    return true;
  }

  /**
   * `f64.add` of the product the op just emitted (`f64.mul`, its result a
   * temporary read only here) and another value, on either side: one
   * F64MulAdd in the mul's place, with both ops' fuel (matmul's
   * `s += a[i] * b[j]`). The product is rounded before the sum as the two
   * ops did; only the sum is canonicalized (a NaN product makes a NaN sum),
   * and f64.add commutes bit for bit once NaNs are canonical.
   */
  mulAdd(): bool {
    let h = this.height;
    if (this.lastDstWord < 0) return false;
    let mh = this.kinds[h - 1] == K.Temp ? h - 1 : h - 2;
    if (this.kinds[mh] != K.Temp || this.lastDstHeight != mh) return false;
    let ch = mh == h - 1 ? h - 2 : h - 1;
    if (this.kinds[ch] == K.Const || (ch == h - 1 && this.kinds[ch] != K.Local)) return false;
    let p = this.lastDstWord - 1;
    if (this.code[p] == <u32>Ir.F64MulLoads && this.code.length == p + 11) return this.mulLoadsAdd(p, ch);
    if (this.code[p] != <u32>Ir.F64Mul || this.code.length != p + 4) return false;
    let a = this.code[p + 2];
    let b = this.code[p + 3];
    let c = this.operand(ch); // a Local or a Temp: emits nothing
    this.code.length = p;
    this.code.push(Ir.F64MulAdd);
    let d = this.code.length;
    this.height -= 2;
    this.w(this.canon(this.height)); this.w(a); this.w(b); this.w(c);
    this.chargePendingToLastOp();
    this.pushResult(d);
    return true;
  }

  /**
   * `f64.mul` of the two f64 loads just emitted, one right after the other
   * (F64Load, or F64LoadAdd with its address folded in), their temporaries
   * read only here: one F64MulLoads in the first load's place, which does
   * both loads and the product (a dot product's or a matrix product's step:
   * three ops in one; docs/internal-code.md, "Products of loads"). Its one
   * side entry, the first load's, takes the three shares; the refunds word
   * gives back the shares after the load that traps (docs/fuel.md, "On a
   * trap"), and the meta word has the second load's Wasm offset.
   */
  mulLoads(): bool {
    let h = this.height;
    if (this.kinds[h - 1] != K.Temp || this.kinds[h - 2] != K.Temp) return false;
    if (this.lastDstWord < 0 || this.lastDstHeight != h - 1) return false;
    let pb = this.lastDstWord - 1;
    let lb = f64LoadWords(this.code[pb]);
    let eb = this.lastEntry;
    let ea = eb - SIDE_ENTRY_WORDS; // the op before, if in this block
    if (lb == 0 || this.code.length != pb + lb || ea <= this.sideHeader || this.side[eb + SIDE_PC] != <u32>pb << 2) return false;
    let pa = <i32>(this.side[ea + SIDE_PC] >> 2);
    let la = f64LoadWords(this.code[pa]);
    if (la == 0 || pa + la != pb || this.code[pa + 1] != this.canon(h - 2)) return false;
    let r2 = this.pending;                       // the mul's share
    let r1 = this.side[eb + SIDE_COST] + r2;     // ... and the second load's
    let wd = this.side[eb + SIDE_WASM] - this.side[ea + SIDE_WASM];
    if (r1 > 0xFFFF || r1 < r2 || wd >= 1 << (32 - MULLOADS_WASM_SHIFT)) return false;
    // [op dst x a off] or [op dst x imm off shift]: x, imm, off, shift of each
    let xa = this.code[pa + 2], ia = la == 6 ? this.code[pa + 3] : 0, oa = this.code[pa + (la == 6 ? 4 : 3)], sa = la == 6 ? this.code[pa + 5] & 31 : 0;
    let xb = this.code[pb + 2], ib = lb == 6 ? this.code[pb + 3] : 0, ob = this.code[pb + (lb == 6 ? 4 : 3)], sb = lb == 6 ? this.code[pb + 5] & 31 : 0;
    this.side[ea + SIDE_COST] += this.side[eb + SIDE_COST];
    this.side.length = eb;
    this.lastEntry = ea;
    this.blockOps--;
    this.code.length = pa;
    this.code.push(Ir.F64MulLoads);
    let d = this.code.length;
    this.height -= 2;
    let dst = this.canon(this.height);
    this.w(dst); this.w(xa); this.w(ia); this.w(oa); this.w(xb); this.w(ib); this.w(ob);
    this.w(dst); // c: not read without MULLOADS_ADD (mulLoadsAdd sets both)
    this.w(sa | sb << 5 | wd << MULLOADS_WASM_SHIFT);
    this.w(r1 | r2 << 16);
    this.chargePendingToLastOp();
    this.pushResult(d);
    return true;
  }

  /** `f64.add` of the F64MulLoads at `p` (its product, a temporary) and the value at `ch`: the op adds it (mulAdd). */
  mulLoadsAdd(p: i32, ch: i32): bool {
    let meta = this.code[p + 9], refunds = this.code[p + 10];
    let r1 = (refunds & 0xFFFF) + this.pending, r2 = (refunds >>> 16) + this.pending; // the add's share, after both loads
    if ((meta & MULLOADS_ADD) != 0 || r1 > 0xFFFF) return false;
    let c = this.operand(ch); // a Local or a Temp: emits nothing
    this.height -= 2;
    this.code[p + 1] = this.canon(this.height);
    this.code[p + 8] = c;
    this.code[p + 9] = meta | MULLOADS_ADD;
    this.code[p + 10] = r1 | r2 << 16;
    this.chargePendingToLastOp();
    this.pushResult(p + 1);
    return true;
  }

  /**
   * `select` whose condition the op just emitted computed as `i32.and c, imm`
   * (a temporary read only here): that op becomes one SelectAndImm, which
   * keeps its place and fuel share and takes the select's (bit tests in CRC
   * and hash loops: `x & 1 ? (x >> 1) ^ K : x >> 1`).
   */
  selectAndImm(): bool {
    let h = this.height;
    if (this.kinds[h - 1] != K.Temp || this.kinds[h - 2] == K.Const || this.kinds[h - 3] == K.Const) return false;
    if (this.lastDstWord < 0 || this.lastDstHeight != h - 1) return false;
    let p = this.lastDstWord - 1;
    if (this.code[p] != <u32>Ir.I32AndImm || this.code.length != p + 4) return false;
    let c = this.code[p + 2];
    let imm = this.code[p + 3];
    let b = this.operand(h - 2); // a Local or a Temp: emits nothing
    if (this.selectXor(h, p, b, c, imm)) return true;
    let a = this.operand(h - 3);
    this.code.length = p;
    this.code.push(Ir.SelectAndImm);
    let d = this.code.length;
    this.height -= 3;
    this.w(this.canon(this.height)); this.w(a); this.w(b); this.w(c); this.w(imm);
    this.chargePendingToLastOp();
    this.pushResult(d);
    return true;
  }

  /**
   * selectAndImm's pattern whose first value the op before the and computed
   * as `b ^ k` from the second (an I32XorImm into a temporary read only
   * here, in the same block): `c & m ? b ^ k : b`, a bitwise CRC's or an
   * LFSR's step, is one op, SelectXorAndImm, in the xor's place, with the
   * xor's, the and's and the select's fuel shares (one side entry for the
   * two ops taken out, as foldAddress does). The xor's result no longer
   * goes through a slot: one dependent store and load fewer per step.
   */
  selectXor(h: i32, p: i32, b: u32, c: u32, m: u32): bool {
    if (this.kinds[h - 3] != K.Temp) return false;
    let xp = p - 4;
    let entry = this.lastEntry;
    let prev = entry - SIDE_ENTRY_WORDS;
    if (xp < 0 || prev <= this.sideHeader || this.side[prev + SIDE_PC] != <u32>xp << 2) return false;
    if (this.code[xp] != <u32>Ir.I32XorImm || this.code[xp + 1] != this.canon(h - 3) || this.code[xp + 2] != b) return false;
    let k = this.code[xp + 3];
    this.side[prev + SIDE_COST] += this.side[entry + SIDE_COST];
    this.side.length = entry;
    this.lastEntry = prev;
    this.blockOps--;
    this.code.length = xp;
    this.code.push(Ir.SelectXorAndImm);
    let d = this.code.length;
    this.height -= 3;
    this.w(this.canon(this.height)); this.w(b); this.w(k); this.w(c); this.w(m);
    this.chargePendingToLastOp();
    this.pushResult(d);
    return true;
  }

  /** A slot-to-slot copy; right after another copy in the same block the two share one op. */
  copy(dst: u32, src: u32): void {
    let p = this.code.length - 3;
    if (this.lastEntry > this.sideHeader && p >= 0 && this.code[p] == <u32>Ir.Copy
        && this.side[this.lastEntry + SIDE_PC] == <u32>p << 2) {
      this.code[p] = Ir.Copy2;
      this.w(dst); this.w(src);
      this.chargePendingToLastOp();
      this.lastDstWord = -1;
      return;
    }
    this.op(Ir.Copy); this.w(dst); this.w(src);
  }

  /**
   * If the condition on top was computed by the op just emitted (an i32
   * compare or eqz), rewrite that op into a conditional jump taken when the
   * condition equals `when`, and pop the condition. Returns the word index
   * of the jump's target operand, or -1 if the pattern does not apply.
   */
  fuseCondJump(when: bool): i32 {
    let h = this.height - 1;
    if (this.kinds[h] != K.Temp || this.lastDstWord < 0 || this.lastDstHeight != h) return -1;
    let opPos = this.lastDstWord - 1;
    let ir = this.code[opPos];
    let code = this.code;
    let target: i32;
    if (ir == <u32>Ir.NumBase) {
      // i32.eqz a: true when a == 0
      code[opPos] = when ? Ir.JumpIfNot : Ir.JumpIf;
      code[opPos + 1] = code[opPos + 2];
      target = opPos + 2;
    } else {
      let wop: u32;
      let base: u32;
      if (ir >= <u32>Ir.NumBase + 1 && ir <= <u32>Ir.NumBase + 10) { wop = ir - Ir.NumBase + 0x45; base = Ir.JumpCmpBase; }
      else if (ir >= <u32>Ir.ImmBase && ir < <u32>Ir.ImmBase + IMM_COMPARES) { wop = ir - Ir.ImmBase + 0x46; base = Ir.JumpCmpImmBase; }
      else return -1;
      if (!when) wop = negateCmp(wop);
      code[opPos] = base + wop - 0x46;
      code[opPos + 1] = code[opPos + 2];
      code[opPos + 2] = code[opPos + 3];
      target = opPos + 3;
    }
    this.costWords(2); // the op just emitted ends the code: its TargetCost and NextCost follow
    target = this.fuseLoopStep(opPos, target);

    // the branch's own fuel rides on the fused op
    this.chargePendingToLastOp();
    this.height--;
    this.lastDstWord = -1;
    return target;
  }

  /**
   * A loop's step and test: `JumpI32NeImm a, n` right after `I32AddImm a, x, k`
   * in the same block becomes one I32AddImmJumpNeImm; likewise
   * `JumpI32LtSImm a, n` after `I32AddImm` (I32AddImmJumpLtSImm) or
   * `I32Add a, x, y` (I32AddJumpLtSImm), and `JumpI32LtUImm a, n` after
   * `I32Add` (I32AddJumpLtUImm): the sum is written and tested without a
   * second dispatch and reload. The two ops' fuel shares go to the one op.
   * `opPos` is the jump's first word, `target` its target word; returns
   * where the target word is now.
   */
  fuseLoopStep(opPos: i32, target: i32): i32 {
    let code = this.code;
    let j = code[opPos];
    let addPos = opPos - 4;
    if (addPos < 0) return target;
    let add = code[addPos];
    let fused: u32;
    if (add == <u32>Ir.I32AddImm) {
      if (j == <u32>Ir.JumpI32NeImm) fused = Ir.I32AddImmJumpNeImm;
      else if (j == <u32>Ir.JumpI32LtSImm) fused = Ir.I32AddImmJumpLtSImm;
      else return target;
    } else if (add == <u32>Ir.I32Add) {
      if (j == <u32>Ir.JumpI32LtUImm) fused = Ir.I32AddJumpLtUImm;
      else if (j == <u32>Ir.JumpI32LtSImm) fused = Ir.I32AddJumpLtSImm;
      else return target;
    } else return target;
    let entry = this.lastEntry;
    let prev = entry - SIDE_ENTRY_WORDS; // the add's entry, if it is the op before in this block
    if (prev <= this.sideHeader || this.side[prev + SIDE_PC] != <u32>addPos << 2 || code[addPos + 1] != code[opPos + 1]) return target;
    let n = code[opPos + 2];
    code[addPos] = fused;          // dst, a, k|b stay
    code[opPos] = n;
    code[opPos + 1] = 0;           // the target (patched by the caller)
    code[opPos + 2] = 0;           // TargetCost, NextCost (fillJumpCosts)
    code[opPos + 3] = 0;
    code.length = opPos + 4;
    this.side[prev + SIDE_COST] += this.side[entry + SIDE_COST];
    this.side.length = entry;
    this.lastEntry = prev;
    this.blockOps--;
    return opPos + 1;
  }

  /** True if entries [from, to) need no materializing. */
  allTemp(from: i32, to: i32): bool {
    for (let h = from; h < to; h++) if (this.kinds[h] != K.Temp) return false;
    return true;
  }

  binary(ir: u32): void {
    let b = this.operand(this.height - 1);
    let a = this.operand(this.height - 2);
    this.height -= 2;
    this.op(ir); let d = this.code.length; this.w(this.canon(this.height)); this.w(a); this.w(b);
    this.pushResult(d);
  }

  localSet(x: u32, tee: bool): void {
    let slot = this.localSlot(x);
    let h = this.height - 1;
    let k = this.kinds[h];
    if (k == K.Local && <u32>this.vals[h] == slot) {
      if (!tee) this.height--;
      return;
    }
    // other lazy reads of this local must see the old value
    let others = false;
    for (let i = 0; i < h; i++) {
      if (this.kinds[i] == K.Local && <u32>this.vals[i] == slot) { others = true; break; }
    }
    if (k == K.Temp && !others && this.lastDstWord >= 0 && this.lastDstHeight == h) {
      this.code[this.lastDstWord] = slot;
      this.lastDstWord = -1;
      if (tee) { this.kinds[h] = K.Local; this.vals[h] = slot; }
      else this.height--;
      return;
    }
    if (others) this.materializeLocal(slot);
    if (k == K.Const) {
      let v = this.vals[h];
      this.op(Ir.Const); this.w(slot); this.w(<u32>v); this.w(<u32>(v >>> 32));
    } else {
      let s = k == K.Local ? <u32>this.vals[h] : this.canon(h);
      this.copy(slot, s);
    }
    if (!tee) this.height--;
  }

  call(funcIdx: u32): void {
    let m = this.m;
    let ft = m.funcType(funcIdx);
    let np = ft.paramSlots;
    this.materializeTop(np);
    this.height -= np;
    let argOff = this.canon(this.height);
    if (funcIdx < m.numImportedFuncs) { this.op(Ir.CallImport); this.w(funcIdx); }
    else { this.op(Ir.Call); this.w((funcIdx - m.numImportedFuncs) * FUNC_INFO_BYTES); } // its funcInfo byte offset
    this.w(argOff);
    this.afterCall(ft);
  }

  callIndirect(typeIdx: u32, tableIdx: u32): void {
    let ft = this.m.types[typeIdx];
    let idx = this.operand(this.height - 1);
    this.height--;
    let np = ft.paramSlots;
    this.materializeTop(np);
    this.height -= np;
    let argOff = this.canon(this.height);
    this.op(Ir.CallIndirect);
    this.w(this.cm.typeCanon[typeIdx]); this.w(tableIdx); this.w(argOff); this.w(idx);
    this.afterCall(ft);
  }

  /** Results land at the argument slots; a call ends a fuel block. */
  afterCall(ft: FuncType): void {
    this.pushTemps(ft.results);
    // the callee's frame may extend past ours; make room for its results
    this.endBlock();
    this.startBlock();
  }

  /**
   * The address at height `h` computed by the op just emitted folds into the
   * memory access the caller emits in its place: `i32.add x, imm`, `i32.shl
   * x, k`, or a shl whose temporary feeds the add (array indexing). The fused
   * op computes `(x << k) + imm` wrapping at 32 bits, as the two did, then
   * adds the offset in 64 bits. Takes the op(s) out of the code, keeping one
   * side entry (foldEntry) for the fused op; false if the pattern is not there.
   */
  foldAddress(h: i32): bool {
    if (this.kinds[h] != K.Temp || this.lastDstWord < 0 || this.lastDstHeight != h) return false;
    let opPos = this.lastDstWord - 1;
    let ir = this.code[opPos];
    if (ir != <u32>Ir.I32AddImm && ir != <u32>Ir.I32ShlImm) return false;
    let entry = this.lastEntry;
    let a = this.code[opPos + 2];
    let imm: u32 = 0;
    let shift: u32 = 0;
    if (ir == <u32>Ir.I32ShlImm) shift = this.code[opPos + 3] & 31;
    else {
      imm = this.code[opPos + 3];
      let shlPos = opPos - 4;
      let prev = entry - SIDE_ENTRY_WORDS; // the op before, if in this block
      if (prev > this.sideHeader && this.side[prev + SIDE_PC] == <u32>shlPos << 2
          && this.code[shlPos] == <u32>Ir.I32ShlImm && this.code[shlPos + 1] == a && a >= this.localsBytes) {
        // the shl's result was a temporary read only by the add: drop both ops' entries but one
        a = this.code[shlPos + 2];
        shift = this.code[shlPos + 3] & 31;
        this.side[prev + SIDE_COST] += this.side[entry + SIDE_COST];
        this.side.length = entry;
        entry = prev;
        this.lastEntry = entry;
        this.blockOps--;
        opPos = shlPos;
      }
    }
    this.code.length = opPos;
    this.foldX = a;
    this.foldImm = imm;
    this.foldShift = shift;
    this.foldEntry = entry;
    return true;
  }
  foldX: u32 = 0;
  foldImm: u32 = 0;
  foldShift: u32 = 0;
  foldEntry: i32 = 0;

  /** After the fused access is written where the folded op was: its fuel, and a trap reports this instruction. */
  endFold(): void {
    this.chargePendingToLastOp();
    this.side[this.foldEntry + SIDE_WASM] = this.wasmOff;
  }

  load(wop: u32): void {
    this.r.u32leb(); // align
    let offset = this.r.u32leb();
    let h = this.height - 1;
    if (wop <= <u32>Op.I32Load16U && this.foldAddress(h)) { // (the i64 narrow loads do not fold: no op numbers left)
      let d: i32;
      if (wop == <u32>Op.I32Load8U && offset == 0 && this.foldShift == 0) { // a byte array's element (sieve, CRC)
        this.code.push(Ir.Load8UAdd);
        d = this.code.length;
        this.w(this.canon(h)); this.w(this.foldX); this.w(this.foldImm);
      } else {
        this.code.push(Ir.LoadAddBase + wop - Op.I32Load);
        d = this.code.length;
        this.w(this.canon(h)); this.w(this.foldX); this.w(this.foldImm); this.w(offset); this.w(this.foldShift);
      }
      this.endFold();
      this.height--;
      this.pushResult(d);
      return;
    }
    let a = this.operand(this.height - 1);
    this.height--;
    this.op(Ir.LoadBase + wop - Op.I32Load);
    let d = this.code.length; this.w(this.canon(this.height)); this.w(a); this.w(offset);
    this.pushResult(d);
  }

  /**
   * A store. Its address folds in as a load's does (foldAddress), and a
   * constant value is taken as an immediate instead of a Const op: one
   * StoreAdd (value slot) or StoreKAdd (value in the code) for any store
   * type, the byte count an operand (docs/internal-code.md, "Address
   * arithmetic in loads"); a constant byte at x + imm, no offset, is the
   * shorter StoreK8Add.
   */
  store(wop: u32): void {
    this.r.u32leb();
    let offset = this.r.u32leb();
    let vh = this.height - 1;
    let size = STORE_SIZES[wop - Op.I32Store];
    let konst = this.kinds[vh] == K.Const;
    if (this.kinds[vh] != K.Temp && this.foldAddress(vh - 1)) {
      let v = konst ? 0 : this.operand(vh); // a Local: emits nothing
      if (konst && size == 1 && offset == 0 && this.foldShift == 0) { // a byte array's element (sieve)
        this.code.push(Ir.StoreK8Add); this.w(this.foldX); this.w(this.foldImm); this.w(<u32>this.vals[vh] & 0xFF);
        this.endFold();
        this.height -= 2;
        return;
      }
      this.code.push(konst ? Ir.StoreKAdd : Ir.StoreAdd);
      this.w(this.foldX); this.w(this.foldImm); this.w(offset); this.w(this.foldShift); this.w(size);
      if (konst) { this.w(<u32>this.vals[vh]); this.w(<u32>(this.vals[vh] >>> 32)); } else this.w(v);
      this.endFold();
      this.height -= 2;
      return;
    }
    if (konst) {
      let a = this.operand(vh - 1);
      if (size == 1 && offset == 0) { this.op(Ir.StoreK8Add); this.w(a); this.w(0); this.w(<u32>this.vals[vh] & 0xFF); this.height -= 2; return; }
      this.op(Ir.StoreKAdd);
      this.w(a); this.w(0); this.w(offset); this.w(0); this.w(size); this.w(<u32>this.vals[vh]); this.w(<u32>(this.vals[vh] >>> 32));
      this.height -= 2;
      return;
    }
    let v = this.operand(vh);
    let a = this.operand(vh - 1);
    this.height -= 2;
    this.op(Ir.StoreBase + wop - Op.I32Store); this.w(a); this.w(v); this.w(offset);
  }

  /**
   * The three operands of a bulk op, in their own stack slots: a bulk op that
   * runs out of fuel writes its advanced (d, s, n) back there (exec/bulk.ts),
   * so they must never be a local's slot or a constant.
   */
  popBulk(out: StaticArray<u32>): void {
    this.materializeTop(3);
    this.popN(3, out);
  }

  /** Per-unit fuel of a bulk op (docs/fuel.md "Bulk operations"); 0 unmetered. */
  unitCost(index: BulkCost): u32 {
    return this.metering ? fuelCost(<u32>index) : 0;
  }

  /** Pops `n` operands; returns their slots bottom-first in `out`. */
  popN(n: i32, out: StaticArray<u32>): void {
    for (let i = 0; i < n; i++) out[i] = this.operand(this.height - n + i);
    this.height -= n;
  }

  // ---------------------------------------------------------------- the instruction switch

  step(): void {
    let r = this.r;
    this.wasmOff = r.pos;
    let op = r.u8();
    let c = this.top();
    if (c.unreachable) { this.stepDead(op, c); return; }
    if (op < <u32>Op.PrefixFC) this.pending += fuelCost(op); // prefixed ops: by their own index (stepFC, ext)
    switch (op) {
      case Op.Unreachable: this.op(Ir.Unreachable); this.setUnreachable(); break;
      case Op.Nop: break;
      case Op.Block: case Op.Loop: {
        let b = this.openBlock(op == Op.Block ? CtlKind.Block : CtlKind.Loop);
        this.materializeAll();
        b.height = this.height - b.nparams;
        if (op == Op.Loop) { b.labelPc = this.label(); b.headerSide = this.sideHeader; }
        this.ctls.push(b);
        break;
      }
      case Op.If: {
        let b = this.openBlock(CtlKind.If);
        let fused = this.allTemp(0, this.height - 1) ? this.fuseCondJump(false) : -1;
        if (fused >= 0) {
          b.elseFixup = fused;
        } else {
          let cond = this.operand(this.height - 1);
          this.height--;
          this.materializeAll();
          this.op(Ir.JumpIfNot); this.w(cond); b.elseFixup = this.code.length; this.w(0); this.costWords(2);
        }
        b.height = this.height - b.nparams;
        this.endBlock();
        this.startBlock();
        this.decideTailReturns(b);
        this.ctls.push(b);
        break;
      }
      case Op.Else: {
        if (c.endsFunction) {
          this.tailReturn(c.nresults, c.tailCost); // instead of a jump to the end and a return there
        } else {
          this.materializeAll();
          this.op(Ir.Jump); c.fixups.push(this.code.length); this.w(0); this.costWords(1);
        }
        this.elseArm(c);
        break;
      }
      case Op.End: this.end(c); break;
      case Op.Br: this.branch(r.u32leb(), -1); this.setUnreachable(); break;
      case Op.BrIf: {
        let depth = r.u32leb();
        if (this.brIfFused(depth)) break;
        let cond = this.operand(this.height - 1);
        this.height--;
        this.branch(depth, <i32>cond);
        break;
      }
      case Op.BrTable: this.brTable(); break;
      case Op.Return: this.emitReturn(this.ctls[0].nresults); this.setUnreachable(); break;
      case Op.Call: this.call(r.u32leb()); break;
      case Op.CallIndirect: { let t = r.u32leb(); let tb = r.u32leb(); this.callIndirect(t, tb); break; }
      case Op.Drop: this.height -= this.topIsV128() ? 2 : 1; break;
      case Op.Select: case Op.SelectT: {
        if (op == Op.SelectT) { let n = r.u32leb(); for (let i: u32 = 0; i < n; i++) r.u8(); }
        if (this.height >= 3 && this.hi[this.height - 2]) { this.select16(); break; }
        if (this.selectAndImm()) break;
        let cond = this.operand(this.height - 1);
        let b = this.operand(this.height - 2);
        let a = this.operand(this.height - 3);
        this.height -= 3;
        this.op(Ir.Select); let d = this.code.length;
        this.w(this.canon(this.height)); this.w(a); this.w(b); this.w(cond);
        this.pushResult(d);
        break;
      }
      case Op.LocalGet: this.localGet(r.u32leb()); break;
      case Op.LocalSet: { let x = r.u32leb(); if (this.localIsV128(x)) this.localSet16(x, false); else this.localSet(x, false); break; }
      case Op.LocalTee: { let x = r.u32leb(); if (this.localIsV128(x)) this.localSet16(x, true); else this.localSet(x, true); break; }
      case Op.GlobalGet: {
        let g = r.u32leb();
        if (this.m.globalType(g).type == ValType.V128) { this.globalGet16(g); break; }
        this.op(Ir.GlobalGet); let d = this.code.length; this.w(this.canon(this.height)); this.w(g);
        this.pushResult(d);
        break;
      }
      case Op.GlobalSet: {
        let g = r.u32leb();
        if (this.m.globalType(g).type == ValType.V128) { this.globalSet16(g); break; }
        let s = this.operand(this.height - 1);
        this.height--;
        this.op(Ir.GlobalSet); this.w(g); this.w(s);
        break;
      }
      case Op.TableGet: {
        let t = r.u32leb();
        let i = this.operand(this.height - 1);
        this.height--;
        this.op(Ir.TableGet); let d = this.code.length; this.w(this.canon(this.height)); this.w(t); this.w(i);
        this.pushResult(d);
        break;
      }
      case Op.TableSet: {
        let t = r.u32leb();
        let v = this.operand(this.height - 1);
        let i = this.operand(this.height - 2);
        this.height -= 2;
        this.op(Ir.TableSet); this.w(t); this.w(i); this.w(v);
        break;
      }
      case Op.MemorySize: {
        r.u8();
        this.op(Ir.MemorySize); let d = this.code.length; this.w(this.canon(this.height));
        this.pushResult(d);
        break;
      }
      case Op.MemoryGrow: {
        r.u8();
        this.materialize(this.height - 1); // its slot counts the units paid (exec/bulk.ts payGrow)
        let a = this.operand(this.height - 1);
        this.height--;
        this.op(Ir.MemoryGrow); let d = this.code.length; this.w(this.canon(this.height)); this.w(a); this.w(this.unitCost(BulkCost.MEMORY_GROW_PAGE));
        this.pushResult(d);
        break;
      }
      case Op.I32Const: this.push(K.Const, <i64><u32>r.s32leb()); break;
      case Op.I64Const: this.push(K.Const, r.s64leb()); break;
      case Op.F32Const: this.push(K.Const, <i64>r.u32le()); break;
      case Op.F64Const: this.push(K.Const, <i64>r.u64le()); break;
      case Op.RefNull: r.u8(); this.push(K.Const, 0); break;
      case Op.RefIsNull: this.unary(Ir.RefIsNull); break;
      case Op.RefFunc: {
        let f = r.u32leb();
        this.op(Ir.RefFunc); let d = this.code.length; this.w(this.canon(this.height)); this.w(f);
        this.pushResult(d);
        break;
      }
      case Op.PrefixFC: this.stepFC(); break;
      case Op.PrefixFD: case Op.PrefixFE: if (!this.ext(op, r.u32leb())) { this.op(Ir.Unreachable); this.setUnreachable(); } break;
      default: {
        if (op >= <u32>Op.I32Load && op <= <u32>Op.I64Load32U) { this.load(op); break; }
        if (op >= <u32>Op.I32Store && op <= <u32>Op.I64Store32) { this.store(op); break; }
        if (op >= <u32>Op.I32Eqz && op <= <u32>Op.I64Extend32S) {
          if (numIsUnary(op)) this.unary(Ir.NumBase + op - Op.I32Eqz);
          else this.binaryOp(op);
          break;
        }
        if (this.ext(0, op)) break;
        // validated code contains nothing else
        this.op(Ir.Unreachable);
        this.setUnreachable();
      }
    }
  }

  stepFC(): void {
    let r = this.r;
    let sub = r.u32leb();
    this.pending += fuelCost(FUEL_FC_BASE + (sub & 0x7F));
    let s = new StaticArray<u32>(3);
    if (sub <= <u32>OpFC.I64TruncSatF64U) { this.unary(Ir.SatBase + sub); return; }
    switch (sub) {
      case OpFC.MemoryInit: {
        let seg = r.u32leb(); r.u8();
        this.popBulk(s);
        this.op(Ir.MemoryInit); this.w(seg); this.w(s[0]); this.w(s[1]); this.w(s[2]); this.w(this.unitCost(BulkCost.MEMORY_INIT_CHUNK));
        break;
      }
      case OpFC.DataDrop: { let seg = r.u32leb(); this.op(Ir.DataDrop); this.w(seg); break; }
      case OpFC.MemoryCopy: {
        r.u8(); r.u8();
        this.popBulk(s);
        this.op(Ir.MemoryCopy); this.w(s[0]); this.w(s[1]); this.w(s[2]); this.w(this.unitCost(BulkCost.MEMORY_COPY_CHUNK));
        break;
      }
      case OpFC.MemoryFill: {
        r.u8();
        this.popBulk(s);
        this.op(Ir.MemoryFill); this.w(s[0]); this.w(s[1]); this.w(s[2]); this.w(this.unitCost(BulkCost.MEMORY_FILL_CHUNK));
        break;
      }
      case OpFC.TableInit: {
        let seg = r.u32leb(); let t = r.u32leb();
        this.popBulk(s);
        this.op(Ir.TableInit); this.w(t); this.w(seg); this.w(s[0]); this.w(s[1]); this.w(s[2]); this.w(this.unitCost(BulkCost.TABLE_INIT_ELEM));
        break;
      }
      case OpFC.ElemDrop: { let seg = r.u32leb(); this.op(Ir.ElemDrop); this.w(seg); break; }
      case OpFC.TableCopy: {
        let dt = r.u32leb(); let st = r.u32leb();
        this.popBulk(s);
        this.op(Ir.TableCopy); this.w(dt); this.w(st); this.w(s[0]); this.w(s[1]); this.w(s[2]); this.w(this.unitCost(BulkCost.TABLE_COPY_ELEM));
        break;
      }
      case OpFC.TableGrow: {
        let t = r.u32leb();
        this.materialize(this.height - 1); // delta: its slot counts the units paid (exec/bulk.ts payGrow)
        this.popN(2, s);
        this.op(Ir.TableGrow); let d = this.code.length;
        this.w(this.canon(this.height)); this.w(t); this.w(s[0]); this.w(s[1]); this.w(this.unitCost(BulkCost.TABLE_GROW_ELEM));
        this.pushResult(d);
        break;
      }
      case OpFC.TableSize: {
        let t = r.u32leb();
        this.op(Ir.TableSize); let d = this.code.length; this.w(this.canon(this.height)); this.w(t);
        this.pushResult(d);
        break;
      }
      case OpFC.TableFill: {
        let t = r.u32leb();
        this.popBulk(s);
        this.op(Ir.TableFill); this.w(t); this.w(s[0]); this.w(s[1]); this.w(s[2]); this.w(this.unitCost(BulkCost.TABLE_FILL_ELEM));
        break;
      }
      default: if (!this.ext(0xFC, sub)) { this.op(Ir.Unreachable); this.setUnreachable(); }
    }
  }

  // ---------------------------------------------------------------- v128 values (simd)
  //
  // A v128 is two stack entries, its lower half at height h and its upper
  // half at h + 1 (marked in `hi`), so its canonical slots canon(h) and
  // canon(h) + 8 are contiguous and every per-slot path (materialize, Const,
  // Copy, branch values, calls, Return) moves it as two 8-byte halves. A v128
  // local takes two local slots (docs/internal-code.md, "v128 values").

  /** Lays out the locals (parameters first); returns the bytes they take. */
  localSlots(ft: FuncType, locals: Array<u8>): u32 {
    let offs = this.localOffs;
    offs.length = 0;
    let at: u32 = 0;
    for (let i = 0; i < ft.params.length; i++) { offs.push(at); at += ft.params[i] == ValType.V128 ? 16 : 8; }
    for (let i = 0; i < locals.length; i++) { offs.push(at); at += locals[i] == ValType.V128 ? 16 : 8; }
    return at;
  }

  /**
   * Bytes of defined function i's declared locals a call zeroes: from the
   * first up to the end of the last that may be read before it is written
   * (compile/zero-locals.ts). Right after compileFunction(i): localOffs is i's.
   */
  zeroBytes(i: i32, ft: FuncType): u32 {
    let body = this.m.codes[i];
    let np = <u32>ft.params.length, nd = <u32>body.locals.length;
    let z = localsToZero(this.m.base, body.codeStart, body.codeEnd, np, nd);
    // A snapshot's restore checks that every funcref local names a function
    // (state/restore.ts localsTyped), also one not yet written: zero them all.
    for (let j = nd; j > z; j--) {
      if (body.locals[j - 1] == ValType.FuncRef) { z = j; break; }
    }
    if (z == 0) return 0;
    let endOff = z < nd ? unchecked(this.localOffs[np + z]) : this.localsBytes;
    return endOff - (<u32>ft.paramSlots << 3);
  }

  /** Byte offset of local x's slot (x was validated). */
  @inline localSlot(x: u32): u32 { return unchecked(this.localOffs[x]); }

  localIsV128(x: u32): bool {
    let offs = this.localOffs;
    let next = x + 1 < <u32>offs.length ? unchecked(offs[x + 1]) : this.localsBytes;
    return next - unchecked(offs[x]) == 16;
  }

  topIsV128(): bool { return this.height > 0 && this.hi[this.height - 1]; }

  /** Pushes one Temp per value of `types`, two for a v128. */
  pushTemps(types: Array<u8>): void {
    for (let i = 0; i < types.length; i++) {
      this.push(K.Temp, 0);
      if (types[i] == ValType.V128) this.pushV128Hi();
    }
  }

  /** Pushes a v128 result: two Temps, the upper one marked. */
  pushV128Temp(): void {
    this.push(K.Temp, 0);
    this.pushV128Hi();
  }

  @inline pushV128Hi(): void {
    this.push(K.Temp, 0);
    this.hi[this.height - 1] = true;
  }

  localGet(x: u32): void {
    let slot = this.localSlot(x);
    this.push(K.Local, <i64>slot);
    if (!this.localIsV128(x)) return;
    this.push(K.Local, <i64>(slot + 8));
    this.hi[this.height - 1] = true;
  }

  /**
   * Slot of the v128 whose halves are the entries at h, h + 1: a local's
   * when both halves still name one v128 local, else both made Temps.
   */
  operand16(h: i32): u32 {
    if (this.kinds[h] == K.Local && this.kinds[h + 1] == K.Local && <u32>this.vals[h + 1] == <u32>this.vals[h] + 8) {
      return <u32>this.vals[h];
    }
    this.materialize(h);
    this.materialize(h + 1);
    return this.canon(h);
  }

  /** local.set / local.tee of a v128 local: each half to its slot. */
  localSet16(x: u32, tee: bool): void {
    let slot = this.localSlot(x);
    let h = this.height - 2;
    if (this.kinds[h] == K.Local && <u32>this.vals[h] == slot && this.kinds[h + 1] == K.Local) {
      if (!tee) this.height -= 2;
      return; // local.get x; local.set x
    }
    if (this.kinds[h] == K.Temp && this.kinds[h + 1] == K.Temp && this.lastDstWord >= 0 && this.lastDstHeight == h
        && !this.readsLocal16(slot, h)) {
      // the op just emitted writes the local itself (as localSet's retarget; its semantics read every input first)
      this.code[this.lastDstWord] = slot;
      this.lastDstWord = -1;
      if (tee) {
        this.kinds[h] = K.Local; this.vals[h] = <i64>slot;
        this.kinds[h + 1] = K.Local; this.vals[h + 1] = <i64>(slot + 8);
      } else this.height -= 2;
      return;
    }
    // other lazy reads of this local must see the old value
    for (let i = 0; i < h; i++) {
      if (this.kinds[i] == K.Local && (<u32>this.vals[i] == slot || <u32>this.vals[i] == slot + 8)) this.materialize(i);
    }
    for (let i = 0; i < 2; i++) {
      let e = h + i;
      let dst = slot + (<u32>i << 3);
      let k = this.kinds[e];
      if (k == K.Const) {
        let v = this.vals[e];
        this.op(Ir.Const); this.w(dst); this.w(<u32>v); this.w(<u32>(v >>> 32));
      } else {
        let s = k == K.Local ? <u32>this.vals[e] : this.canon(e);
        if (s != dst) this.copy(dst, s);
      }
    }
    if (tee) {
      this.kinds[h] = K.Local; this.vals[h] = <i64>slot;
      this.kinds[h + 1] = K.Local; this.vals[h + 1] = <i64>(slot + 8);
    } else this.height -= 2;
  }

  /** Does an entry below h still read a half of the v128 local at slot lazily? */
  readsLocal16(slot: u32, h: i32): bool {
    for (let i = 0; i < h; i++) {
      if (this.kinds[i] == K.Local && (<u32>this.vals[i] == slot || <u32>this.vals[i] == slot + 8)) return true;
    }
    return false;
  }

  globalGet16(g: u32): void {
    this.op(<u32>Ir.Ext | (<u32>IrExt.GlobalGet16 << 8)); this.w(this.canon(this.height)); this.w(g);
    this.pushV128Temp();
  }

  globalSet16(g: u32): void {
    let s = this.operand16(this.height - 2);
    this.height -= 2;
    this.op(<u32>Ir.Ext | (<u32>IrExt.GlobalSet16 << 8)); this.w(g); this.w(s);
  }

  /** select of two v128s: one Select per half, on the same condition. */
  select16(): void {
    let h = this.height;
    let cond = this.operand(h - 1);
    let b0 = this.operand(h - 3), b1 = this.operand(h - 2);
    let a0 = this.operand(h - 5), a1 = this.operand(h - 4);
    this.height = h - 5;
    let d = this.canon(this.height);
    this.op(Ir.Select); this.w(d); this.w(a0); this.w(b0); this.w(cond);
    this.op(Ir.Select); this.w(d + 8); this.w(a1); this.w(b1); this.w(cond);
    this.pushV128Temp();
  }
  extImms: Array<u32> = [];
  extSrcs: Array<u32> = [];

  /**
   * An extension proposal's op (scripts/isa/<proposal>.mjs; docs/internal-code.md
   * "Ops past 256"): Ir.Ext | x << 8, then the result slots, the operand slots
   * (bottom first) and the immediates' words. False if (prefix, code) is none.
   */
  ext(prefix: u32, code: u32): bool {
    if (!EXT_ON) return false;
    let x = extFind(prefix, code);
    if (x < 0) return false;
    if (prefix > <u32>Op.PrefixFC) this.pending += fuelCost(extFuelIndex(x)); // single-byte: step charged it; 0xFC: stepFC
    let imms = this.extImms;
    imms.length = 0;
    readExtImmediates(this.r, x, imms);
    if (x == <i32>IrExt.V128Load && this.foldAddress(this.height - 1)) {
      // the address's i32.add/shl of a constant folds in, as in load(): one V128LoadAdd
      this.height--;
      this.code.push(<u32>Ir.Ext | (<u32>IrExt.V128LoadAdd << 8));
      let dl = this.code.length;
      this.w(this.canon(this.height)); this.w(this.foldX); this.w(this.foldImm); this.w(imms[0]); this.w(this.foldShift);
      this.endFold();
      this.pushV128Temp();
      this.lastDstWord = dl; // local.set may retarget it (localSet16)
      this.lastDstHeight = this.height - 2;
      return true;
    }
    // a v128 is two stack entries (lo, hi), its Slot16 the first one's slot
    let np = extParamCount(x);
    let nr = extResultCount(x);
    let base = this.height;
    for (let i: u32 = 0; i < np; i++) base -= extParam(x, i) == ValType.V128 ? 2 : 1;
    let srcs = this.extSrcs;
    srcs.length = 0;
    let h = base;
    for (let i: u32 = 0; i < np; i++) {
      let wide = extParam(x, i) == ValType.V128;
      srcs.push(wide ? this.operand16(h) : this.operand(h));
      h += wide ? 2 : 1;
    }
    this.height = base;
    this.op(<u32>Ir.Ext | (<u32>x << 8));
    let d = this.code.length;
    h = base;
    for (let i: u32 = 0; i < nr; i++) { this.w(this.canon(h)); h += extResult(x, i) == ValType.V128 ? 2 : 1; }
    for (let i = 0; i < srcs.length; i++) this.w(srcs[i]);
    for (let i = 0; i < imms.length; i++) this.w(imms[i]);
    if (nr == 1) { // local.set may retarget it (localSet, localSet16)
      if (extResult(x, 0) != ValType.V128) { this.pushResult(d); return true; }
      this.pushV128Temp();
      this.lastDstWord = d;
      this.lastDstHeight = this.height - 2;
      return true;
    }
    for (let i: u32 = 0; i < nr; i++) { if (extResult(x, i) == ValType.V128) this.pushV128Temp(); else this.push(K.Temp, 0); }
    return true;
  }


  elseArm(c: Ctl): void {
    // the then-arm's JumpIfNot lands here
    let at = this.label();
    this.patch(c.elseFixup, at);
    c.elseFixup = -1;
    for (let i = 0; i < c.elseExtra.length; i++) this.patch(c.elseExtra[i], at);
    c.elseExtra.length = 0;
    c.kind = CtlKind.Else;
    c.unreachable = false;
    this.height = c.height;
    if (c.type) this.pushTemps(c.type!.params);
  }

  end(c: Ctl): void {
    if (c.kind == CtlKind.Func) {
      if (!c.unreachable) this.emitReturn(c.nresults);
      this.endBlock();
      this.ctls.pop();
      return;
    }
    if (c.endsFunction && !c.unreachable && c.fixups.length == 0 && c.elseExtra.length == 0) {
      // nothing else lands after this end: the else arm returns too, and the
      // function's own end is dead (its cost is on the two returns)
      this.tailReturn(c.nresults, c.tailCost);
      this.ctls.pop();
      this.setUnreachable();
      this.lastDstWord = -1;
      return;
    }
    if (!c.unreachable) this.materializeAll();
    this.ctls.pop();
    let needLabel = c.fixups.length > 0 || c.elseFixup >= 0 || c.elseExtra.length > 0;
    if (needLabel) {
      let at = this.label();
      for (let i = 0; i < c.fixups.length; i++) this.patch(c.fixups[i], at);
      if (c.elseFixup >= 0) this.patch(c.elseFixup, at);
      for (let i = 0; i < c.elseExtra.length; i++) this.patch(c.elseExtra[i], at);
    } else if (c.unreachable) {
      // Nothing falls through this end and nothing branches to it (a loop
      // whose body ends in `br`, a block left only by outer branches): the
      // code after it is dead until the next label, so it must neither be
      // compiled nor charged to the block that ended in the branch.
      this.setUnreachable();
      this.lastDstWord = -1;
      return;
    }
    this.height = c.height;
    if (c.type) this.pushTemps(c.type!.results);
    this.lastDstWord = -1;
  }

  /** Unreachable code: emit nothing, but keep the block structure and skip immediates. */
  stepDead(op: u32, c: Ctl): void {
    let r = this.r;
    switch (op) {
      case Op.Block: case Op.Loop: case Op.If: {
        r.s33leb();
        let b = new Ctl();
        b.dead = true;
        b.unreachable = true;
        b.height = this.height;
        this.ctls.push(b);
        return;
      }
      case Op.Else: {
        if (c.dead) return;
        this.elseArm(c);
        return;
      }
      case Op.End: {
        if (c.dead) { this.ctls.pop(); return; }
        this.end(c);
        return;
      }
    }
    // any other instruction: skip it whole (the decoder's walker knows every immediate)
    r.pos = this.wasmOff;
    skipInstruction(r);
  }
}

/** i32 ops where a op b == b op a. */
function isCommutative(wop: u32): bool {
  return wop == 0x46 || wop == 0x47 || wop == 0x6A || wop == 0x6C || wop == 0x71 || wop == 0x72 || wop == 0x73;
}

/** Compiles every function of `cm.module` into `cm`. */
export function compileModule(cm: CompiledModule): void {
  let c = new Compiler(cm);
  cm.metered = c.metering;
  c.compileAll();
}

/** Words of an f64 load op that F64MulLoads takes in (F64Load 4, F64LoadAdd 6), else 0. */
function f64LoadWords(op: u32): i32 {
  if (op == <u32>Ir.LoadBase + 3) return 4;
  if (op == <u32>Ir.LoadAddBase + 3) return 6;
  return 0;
}
