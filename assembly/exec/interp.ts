// The dispatch loop: runs the current call until it returns to the host,
// runs out of fuel, calls a host function or traps.
//
// Everything hot lives in locals: pc, fp, fuel, the instance's code base,
// memory 0 and global cells. They are written back to `machine` only when
// the loop exits, so the state is flat offsets again whenever the host
// can see it. There is no host recursion: a guest call pushes a 16-byte
// frame record (exec/machine.ts) and continues in the same loop.

import { Ir, MULLOADS_ADD } from "../compile/ir";
import { CompiledModule } from "../compile/compiled";
import { sideOpCount, sideOpCost, sideOpPc, sideNext } from "../compile/side-table";
import { funcInfoAt, fiCodeOff, fiFrameBytes, fiParamBytes, fiLocalBytes, fiEntryCost, fiEntryAfter } from "../compile/func-info";
import { theStore, Instance, MemoryInst, TableInst, FuncInst } from "../runtime/store";
import { machine, Status } from "./machine";
import { HOST_FRAME, frameAt, frameInst, frameRetPc, frameFp, setWasmFrame } from "./frame";
import { Trap } from "./trap";
import { arrayAt, staticAt, staticLength } from "./elem";
import { cacheNewRun, cacheEntry, cacheHit, cacheFi, cacheAfter, cacheCost, cacheFill } from "./call-cache";
import { wasiLog, logTrapText, BUILTIN_WASI_LOG } from "../wasi/logging";
import { finishHostLevelCall, unwindAfterTrap } from "./call-end";
import { deviceMemOp, deviceJumpCmp, deviceImmOp, jumpCost } from "./memops";
import { extCall, extTrapAt } from "./ext";
import { EXT_ON } from "../binary/ext-ops";
import { FALL_INTO_NEXT } from "../build-features";
import { Bulk, bulkFuel, bulkLen, bulkOp, payGrow, memoryGrowRefused, tableGrowRefused } from "./bulk";

const CANON_NAN32: u32 = 0x7FC00000;
const CANON_NAN64: u64 = 0x7FF8000000000000;

// Determinism: every NaN an arithmetic op produces is the canonical one, on
// every engine (docs/determinism.md). Bit operations (abs, neg, copysign,
// reinterpret, loads, stores) keep payloads as the spec requires.
@inline function canonF32(x: f32): f32 { return x != x ? reinterpret<f32>(CANON_NAN32) : x; }
@inline function canonF64(x: f64): f64 { return x != x ? reinterpret<f64>(CANON_NAN64) : x; }

/** Zeroes a callee's non-parameter locals; most functions have a few, so a loop beats memset. */
@inline function zeroLocals(p: usize, bytes: u32): void {
  if (bytes > 64) { memory.fill(p, 0, bytes); return; }
  let end = p + bytes;
  while (p < end) { store<i64>(p, 0); p += 8; }
}

/**
 * A select's value: both operand slots (+8, +12) are read and one is picked
 * by value, which gcc compiles to a conditional move. Picking the address
 * first was a branch on the condition, mispredicted half the time on data
 * such as a CRC's bits, and put the condition's load before the value's.
 */
@inline function pick(fp: usize, pc: usize, c: i32): i64 {
  return select<i64>(load<i64>(fp + load<u32>(pc, 8)), load<i64>(fp + load<u32>(pc, 12)), c != 0);
}

/** Sum of the fuel shares of ops [from, to) of the block at side index `s`. */
function sideCost(side: usize, s: u32, from: u32, to: u32): i64 {
  let acc: i64 = 0;
  for (let i = from; i < to; i++) acc += <i64>sideOpCost(side, s, i);
  return acc;
}

/** How many ops of the block, starting at `from`, `fuel` pays for. */
function sideAffordable(side: usize, s: u32, from: u32, fuel: i64): u32 {
  let n = sideOpCount(side, s);
  let acc: i64 = 0;
  let k = from;
  while (k < n) {
    let c = <i64>sideOpCost(side, s, k);
    if (acc + c > fuel) break;
    acc += c;
    k++;
  }
  return k;
}

/**
 * Fuel a trap at the op at `pcOff` gives back: what its block paid for the
 * ops after it (docs/fuel.md, "On a trap": a trap pays the instructions up to
 * and including the trapping one, however the call is sliced). The slow path
 * (`resumeSide` is this block) paid the entries before `resumeK` only. Traps
 * are rare, so the side table is searched here rather than tracked.
 */
function trapRefund(cm: CompiledModule, pcOff: u32, part: u32): i64 {
  let m = machine;
  let side = changetype<usize>(cm.side);
  let len = <u32>cm.side.length; // records tile the table (compiler; image verifier)
  let s: u32 = 0;
  while (s < len) {
    let n = sideOpCount(side, s);
    for (let j: u32 = 0; j < n; j++) {
      if (sideOpPc(side, s, j) == pcOff) {
        // `part`: the share of the op's own instructions after the trapping
        // one (F64MulLoads); an image's word, so never more than the op paid
        let own = sideOpCost(side, s, j);
        return sideCost(side, s, j + 1, <i32>s == m.resumeSide ? <u32>m.resumeK : n) + <i64>(part < own ? part : own);
      }
    }
    s = <u32>sideNext(<i32>s, <i32>n);
  }
  return 0;
}

/** Saves the position and the trap; undoes a pending fuel patch. */
function trapOut(t: Trap, inst: u32, pcOff: u32, frameCount: u32, fuel: i64, text: string = ""): Status {
  let m = machine;
  let part = trapPart, at = trapAt; // (trapOutPart's; 0 otherwise)
  trapPart = 0;
  trapAt = 0;
  let ti = arrayAt(theStore.instances, inst);
  if (ti && ti.compiled.metered) fuel += trapRefund(ti.compiled, pcOff, part);
  unpatch();
  m.trap = t;
  m.trapInst = inst;
  m.trapPcOff = pcOff + at;
  m.frameCount = frameCount;
  m.fuel = fuel;
  m.trapText = text;
  unwindAfterTrap();
  return Status.Trap;
}

/**
 * trapOut for a trap inside a fused op of several trapping instructions
 * (F64MulLoads): it also gives back `part` of the op's own fuel, and
 * reports `at` bytes into the op (api.ts wasmOffsetOf: the instruction that
 * trapped). Through two globals, so trapOut's many call sites stay as they
 * are (the device build's flash).
 */
let trapPart: u32 = 0;
let trapAt: u32 = 0;
@noinline function trapOutPart(inst: u32, pcOff: u32, frameCount: u32, fuel: i64, part: u32, at: u32): Status {
  trapPart = part;
  trapAt = at;
  return trapOut(Trap.MemoryOutOfBounds, inst, pcOff, frameCount, fuel);
}

/** Restores the op a Halt replaced, if any. */
export function unpatch(): void {
  let m = machine;
  if (m.patchInst < 0) return;
  let inst = arrayAt(theStore.instances, m.patchInst);
  if (inst) store<u32>(inst.compiled.codeBase + m.patchOff, m.patchSaved);
  m.patchInst = -1;
}

/** A bulk op ran out of fuel part-way: stop with pc at it. A Halt planted further on in the block is
 *  taken out again (snapshots never see one); resumeSide/resumeK still say what of the block is unpaid. */
function bulkStop(inst: u32, pcOff: u32, fpOff: u32, frameCount: u32, fuel: i64): Status {
  unpatch();
  return saveOut(Status.OutOfFuel, inst, pcOff, fpOff, frameCount, fuel);
}

function saveOut(status: Status, inst: u32, pcOff: u32, fpOff: u32, frameCount: u32, fuel: i64): Status {
  let m = machine;
  m.inst = inst;
  m.pcOff = pcOff;
  m.fpOff = fpOff;
  m.frameCount = frameCount;
  m.fuel = fuel;
  m.status = status == Status.OutOfFuel ? Status.Ready : status;
  return status;
}

/**
 * What `run` returns when the call moves into another instance (a call to
 * an import of another instance, a return into one): the position is saved
 * in `machine` and `execute` runs the loop again, which loads that
 * instance. The loop loads an instance in one place only, and code that
 * stays in one instance pays nothing for it.
 */
const REENTER = <Status>0xFF;

/** Lowest budget `run` takes: far below zero, far from wrapping when a u32 cost is taken off. */
const FUEL_FLOOR: i64 = -(<i64>1 << 62);

/** Runs the prepared or suspended call with `fuel` units (the API's wrt_run). */
export function execute(fuel: i64): Status {
  let s: Status;
  // The loop pays as `fuel -= cost; if (fuel < 0)` (costs are u32): a
  // budget this far below zero could wrap. Any negative budget stops at once.
  if (fuel < FUEL_FLOOR) fuel = FUEL_FLOOR;
  // one call site: binaryen inlines the loop here (and this into wrt_run), the function the native build pins (scripts/build-c.mjs)
  while ((s = run(fuel)) == REENTER) fuel = machine.fuel;
  return s;
}

/** Saves a position in instance `inst` and returns REENTER (see there). */
function reenter(inst: u32, pcOff: u32, fpOff: u32, frameCount: u32, fuel: i64): Status {
  saveOut(Status.OutOfFuel, inst, pcOff, fpOff, frameCount, fuel); // saved as a stop for fuel is: Ready to go on
  return REENTER;
}

/**
 * Enters a call's frame: checks room for the callee's frame (`fi`'s
 * frameBytes from `newFp`) and for one more frame record, pushes the
 * caller's record (exec/frame.ts) and zeroes the callee's locals. False,
 * with nothing written, when the call stack is exhausted.
 */
@inline function enterFrame(
  fi: usize, newFp: usize, stackEnd: usize, framesBase: usize, frameCount: u32, frameCap: u32,
  inst: u32, retPc: u32, fpOff: u32,
): bool {
  if (newFp + fiFrameBytes(fi) > stackEnd || frameCount >= frameCap) return false;
  setWasmFrame(frameAt(framesBase, frameCount), inst, retPc, fpOff);
  let zb = fiLocalBytes(fi);
  if (zb != 0) zeroLocals(newFp + fiParamBytes(fi), zb);
  return true;
}

/**
 * Gives back the cost of the Fuel op at `pc`, just taken off a `fuel` it
 * did not cover (the fast path pays as `fuel -= cost; if (fuel < 0)`: one
 * compare-branch). The cost is summed from the block's side record, which
 * the compiler makes add up to it: were it read from the op again, gcc
 * would see `(fuel - c) + c` and keep the old fuel in a second register on
 * the fast path, two moves per block.
 */
@noinline function payBack(fuel: i64, pc: usize, cm: CompiledModule): i64 {
  let side = changetype<usize>(cm.side);
  let s = load<u32>(pc, 8);
  return fuel + sideCost(side, s, 0, sideOpCount(side, s));
}

/** payBack in metered code; unmetered code has no Fuel op at `pc` and nothing to give back. */
@noinline function payBackMetered(fuel: i64, pc: usize, cm: CompiledModule): i64 {
  return cm.metered ? payBack(fuel, pc, cm) : fuel;
}

/** The function-table record of `f`, a function of another instance than the running one. */
function otherFuncInfo(f: FuncInst): usize {
  let ccm = changetype<Instance>(arrayAt(theStore.instances, f.instance)).compiled;
  return funcInfoAt(ccm.funcInfoBase, f.funcIdx - ccm.module.numImportedFuncs);
}

/** The dispatch loop: runs from machine's position with `fuelIn` units of fuel (see `execute`). */
function run(fuelIn: i64): Status {
  let m = machine;
  let fuel = fuelIn;
  let stackBase = m.stack;
  let stackEnd = stackBase + m.stackBytes;
  let framesBase = m.frames;
  let frameCap = m.frameCap;
  let frameCount = m.frameCount;

  let instId = m.inst;
  let inst = changetype<Instance>(arrayAt(theStore.instances, instId));
  let cm = inst.compiled;
  // Metered code starts every jump target, conditional-jump fallthrough and
  // call continuation with a Fuel op (BrTable trampolines aside), unmetered
  // code has none: the next block's fuel is paid inline without looking at
  // the op there.
  let metered = cm.metered;
  let skip: usize = metered ? 12 : 0; // a Fuel op's bytes: a jump's not-taken path continues past it
  let cost: u32 = 0;                   // what a jump pays where it lands (set by the jump, paid after the switch)
  let codeBase = cm.codeBase;
  let infoBase = cm.funcInfoBase;
  let globalCells = changetype<usize>(inst.globalCells);
  let mem: MemoryInst | null = staticLength(inst.memAddrs) > 0 ? arrayAt(theStore.mems, staticAt(inst.memAddrs, 0)) : null;
  // Constants of one run: memory.grow runs the loop again (REENTER) instead of changing them.
  const memBase: usize = mem ? mem.base : 0;
  const memBytes: u32 = mem ? memSize32(mem) : 0; // 32 bits: see memSize32

  // For call_indirect: the store's function array and the instance's first
  // table and import count, loaded once. Nothing run inside the loop adds
  // functions or tables (the host runs between calls of run), and a table's
  // own elems and size are read through it at each call.
  let funcsData = theStore.funcs.dataStart;
  let funcsLen = <u64>theStore.funcs.length;
  let table0: TableInst | null = staticLength(inst.tableAddrs) > 0 ? arrayAt(theStore.tables, staticAt(inst.tableAddrs, 0)) : null;
  let numImported = cm.module.numImportedFuncs;
  let gen = ASC_OPTIMIZE_LEVEL > 0 ? cacheNewRun() : 0;

  let pc = codeBase + m.pcOff;
  let fp = stackBase + m.fpOff;

  // Continue a block that ran out of fuel part-way. Not when a Halt is
  // still planted: then this is the loop running again after a memory.grow
  // in the middle of a paid block (REENTER), and the Halt will stop it.
  if (m.resumeSide >= 0 && m.patchInst < 0) {
    let side = changetype<usize>(cm.side);
    let s = <u32>m.resumeSide;
    let rest = sideCost(side, s, m.resumeK, sideOpCount(side, s));
    if (fuel >= rest) {
      fuel -= rest;
      m.resumeSide = -1;
    } else {
      let k = sideAffordable(side, s, m.resumeK, fuel);
      fuel -= sideCost(side, s, m.resumeK, k);
      if (k == m.resumeK) return saveOut(Status.OutOfFuel, instId, <u32>(pc - codeBase), <u32>(fp - stackBase), frameCount, fuel);
      let at = sideOpPc(side, s, k);
      m.patchInst = instId; m.patchOff = at; m.patchSaved = load<u32>(codeBase + at);
      store<u32>(codeBase + at, Ir.Halt);
      m.resumeK = k;
    }
  }

  while (true) {
    // Dispatch on the low byte: every value 0..255 has a case, so the jump
    // table needs no range check (docs/internal-code.md).
    switch (load<u8>(pc)) {
      // ------------------------------------------------------------ control
      case Ir.Fuel: {
        fuel -= <i64>load<u32>(pc, 4);
        if (fuel >= 0) { pc += 12; continue; }
        fuel = payBack(fuel, pc, cm);
        // Slow path: pay for as many ops of this block as fuel allows and
        // plant a Halt at the first one it does not cover.
        let side = changetype<usize>(cm.side);
        let s = load<u32>(pc, 8);
        let k = sideAffordable(side, s, 0, fuel);
        fuel -= sideCost(side, s, 0, k);
        m.resumeSide = <i32>s;
        m.resumeK = k;
        pc += 12;
        if (k == 0) return saveOut(Status.OutOfFuel, instId, <u32>(pc - codeBase), <u32>(fp - stackBase), frameCount, fuel);
        let at = sideOpPc(side, s, k);
        m.patchInst = instId; m.patchOff = at; m.patchSaved = load<u32>(codeBase + at);
        store<u32>(codeBase + at, Ir.Halt);
        continue;
      }
      case Ir.Halt: {
        store<u32>(pc, m.patchSaved);
        m.patchInst = -1;
        return saveOut(Status.OutOfFuel, instId, <u32>(pc - codeBase), <u32>(fp - stackBase), frameCount, fuel);
      }
      case Ir.Nop: { pc += 4; continue; }
      case Ir.Unreachable: return trapOut(Trap.Unreachable, instId, <u32>(pc - codeBase), frameCount, fuel);
      case Ir.Jump: { fuel -= <i64>load<u32>(pc, 8); pc = codeBase + load<u32>(pc, 4); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
      case Ir.JumpIf: {
        if (load<i32>(fp + load<u32>(pc, 4)) != 0) { fuel -= <i64>load<u32>(pc, 12); pc = codeBase + load<u32>(pc, 8); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 16); pc += 20 + skip; }
        break;
      }
      case Ir.JumpIfNot: {
        if (load<i32>(fp + load<u32>(pc, 4)) == 0) { fuel -= <i64>load<u32>(pc, 12); pc = codeBase + load<u32>(pc, 8); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 16); pc += 20 + skip; }
        break;
      }
      case Ir.BrTable: {
        let i = load<u32>(fp + load<u32>(pc, 4));
        let n = load<u32>(pc, 8);
        if (i > n) i = n;
        pc = codeBase + load<u32>(pc + 12 + (<usize>i << 2));
        if (load<u32>(pc) == Ir.Fuel) { fuel -= <i64>load<u32>(pc, 4); if (fuel < 0) fuel = payBack(fuel, pc, cm); else pc += 12; } // a target may be a trampoline in the same block
        continue;
      }
      case Ir.Copy: { store<i64>(fp + load<u32>(pc, 4), load<i64>(fp + load<u32>(pc, 8))); pc += 12; continue; }
      case Ir.Copy2: {
        store<i64>(fp + load<u32>(pc, 4), load<i64>(fp + load<u32>(pc, 8)));
        store<i64>(fp + load<u32>(pc, 12), load<i64>(fp + load<u32>(pc, 16)));
        pc += 20; continue;
      }
      case Ir.Const: { store<i64>(fp + load<u32>(pc, 4), load<i64>(pc, 8)); pc += 16; continue; }
      case Ir.Select: {
        let c = load<i32>(fp + load<u32>(pc, 16));
        store<i64>(fp + load<u32>(pc, 4), pick(fp, pc, c));
        pc += 20; continue;
      }
      case Ir.SelectAndImm: { // select a, b on (c & imm): i32.and with a constant feeding select (CRC loops)
        let c = load<i32>(fp + load<u32>(pc, 16)) & load<i32>(pc, 20);
        store<i64>(fp + load<u32>(pc, 4), pick(fp, pc, c));
        pc += 24; continue;
      }
      case Ir.Call: {
        let fi = infoBase + <usize>load<u32>(pc, 4);
        let newFp = fp + load<u32>(pc, 8);
        if (!enterFrame(fi, newFp, stackEnd, framesBase, frameCount, frameCap, instId, <u32>(pc + 12 - codeBase), <u32>(fp - stackBase))) {
          return trapOut(Trap.CallStackExhausted, instId, <u32>(pc - codeBase), frameCount, fuel);
        }
        frameCount++;
        fp = newFp;
        // the entry block's fuel, from funcInfo: no look at the callee's first op
        let ec = <i64>fiEntryCost(fi);
        if (fuel >= ec) { fuel -= ec; pc = codeBase + fiEntryAfter(fi); } else pc = codeBase + fiCodeOff(fi);
        continue;
      }
      case Ir.CallIndirect: {
        // a funcref called before in this run: its callee from the cache
        // (exec/call-cache.ts), without the op test and the checks below;
        // the device build has no cache (RAM), and a miss goes on below
        if (ASC_OPTIMIZE_LEVEL > 0) {
          let t = load<u32>(pc, 8) == 0 ? table0! : arrayAt(theStore.tables, staticAt(inst.tableAddrs, load<u32>(pc, 8)));
          let i = load<u32>(fp + load<u32>(pc, 16));
          let ce = cacheEntry(i);
          if (i < t.size && cacheHit(ce, load<u64>(t.elems + (<usize>i << 3)), gen, load<u32>(pc, 4))) {
            let cfi = cacheFi(ce);
            let cfp = fp + load<u32>(pc, 12);
            if (!enterFrame(cfi, cfp, stackEnd, framesBase, frameCount, frameCap, instId, <u32>(pc + 20 - codeBase), <u32>(fp - stackBase))) {
              return trapOut(Trap.CallStackExhausted, instId, <u32>(pc - codeBase), frameCount, fuel);
            }
            frameCount++;
            fp = cfp;
            let cc = <i64>cacheCost(ce);
            if (fuel >= cc) { fuel -= cc; pc = codeBase + cacheAfter(ce); } else pc = codeBase + fiCodeOff(cfi);
            continue;
          }
        }
      } // falls through: a miss (or a bad index) takes the full path
      case Ir.CallImport: {
        let addr: u32;
        let argOff: u32;
        let next: usize;
        if (load<u32>(pc) == Ir.CallImport) {
          addr = staticAt(inst.funcAddrs, load<u32>(pc, 4));
          argOff = load<u32>(pc, 8);
          next = pc + 12;
        } else {
          let ti = load<u32>(pc, 8);
          let t = ti == 0 ? table0! : arrayAt(theStore.tables, staticAt(inst.tableAddrs, ti));
          let i = load<u32>(fp + load<u32>(pc, 16));
          if (i >= t.size) return trapOut(Trap.UndefinedElement, instId, <u32>(pc - codeBase), frameCount, fuel);
          let ref = load<u64>(t.elems + (<usize>i << 3));
          let ce = ASC_OPTIMIZE_LEVEL > 0 ? cacheEntry(i) : 0; // missed above: filled below
          // ref - 1 is the store address; 0 (null) wraps to the top and fails the same test
          // as any bits a host handed in that name no function
          let a = ref - 1;
          if (a >= funcsLen) return trapOut(Trap.UninitializedElement, instId, <u32>(pc - codeBase), frameCount, fuel);
          addr = <u32>a;
          let canon = load<u32>(pc, 4);
          let cf = load<FuncInst>(funcsData + (<usize>addr << alignof<usize>()));
          if (cf.canon != canon) return trapOut(Trap.IndirectCallTypeMismatch, instId, <u32>(pc - codeBase), frameCount, fuel);
          if (ASC_OPTIMIZE_LEVEL > 0 && <u32>cf.instance == instId) {
            let rfi = funcInfoAt(infoBase, cf.funcIdx - numImported);
            cacheFill(ce, ref, gen, canon, rfi, fiEntryAfter(rfi), fiEntryCost(rfi));
          }
          argOff = load<u32>(pc, 12);
          next = pc + 20;
        }
        let f = load<FuncInst>(funcsData + (<usize>addr << alignof<usize>()));
        if (f.instance < 0) {
          if (f.hostId == BUILTIN_WASI_LOG) {
            // provided by the interpreter itself: runs here, no yield
            let t = wasiLog(fp + argOff, memBase, <u64>memBytes);
            if (t != Trap.None) return trapOut(t, instId, <u32>(pc - codeBase), frameCount, fuel, logTrapText);
            cost = select<u32>(load<u32>(next, 4), 0, metered); // a call continuation: its Fuel op's cost, then past it
            pc = next + skip;
            break; // pay it below
          }
          // A host function: yield to the embedder, continue at `next` later.
          m.hostFunc = addr;
          m.hostArgsOff = <u32>(fp + argOff - stackBase);
          m.hostDirect = false;
          return saveOut(Status.HostCall, instId, <u32>(next - codeBase), <u32>(fp - stackBase), frameCount, fuel);
        }
        // a callee in the running instance needs none of its Instance's fields
        let sameInst = <u32>f.instance == instId;
        let fi = sameInst ? funcInfoAt(infoBase, f.funcIdx - numImported) : otherFuncInfo(f);
        let newFp = fp + argOff;
        if (!enterFrame(fi, newFp, stackEnd, framesBase, frameCount, frameCap, instId, <u32>(next - codeBase), <u32>(fp - stackBase))) {
          return trapOut(Trap.CallStackExhausted, instId, <u32>(pc - codeBase), frameCount, fuel);
        }
        frameCount++;
        fp = newFp;
        // another instance: start over there (its Fuel op pays the entry block)
        if (!sameInst) return reenter(<u32>f.instance, fiCodeOff(fi), <u32>(fp - stackBase), frameCount, fuel);
        let ec = <i64>fiEntryCost(fi);
        if (fuel >= ec) { fuel -= ec; pc = codeBase + fiEntryAfter(fi); } else pc = codeBase + fiCodeOff(fi);
        continue;
      }
      case Ir.Return: {
        let n = load<u32>(pc, 8);
        if (n == 1) store<i64>(fp, load<i64>(fp + load<u32>(pc, 4)));
        else if (n != 0) memory.copy(fp, fp + load<u32>(pc, 4), <usize>n << 3);
        frameCount--;
        let fr = frameAt(framesBase, frameCount);
        let ci = frameInst(fr);
        if (ci != instId) { // one test on the common path: the running instance is never HOST_FRAME
          if (ci == HOST_FRAME) {
            m.frameCount = frameCount;
            m.fuel = fuel;
            return finishHostLevelCall(<u32>(fp - stackBase), n);
          }
          // into another instance: start over there (the continuation's Fuel op pays its block)
          return reenter(ci, frameRetPc(fr), frameFp(fr), frameCount, fuel);
        }
        fp = stackBase + frameFp(fr);
        pc = codeBase + frameRetPc(fr);
        cost = select<u32>(load<u32>(pc, 4), 0, metered); // the continuation's Fuel op's cost, then past it
        pc += skip;
        break; // pay it below
      }

      // ------------------------------------------------------------ variables
      case Ir.GlobalGet: {
        let cell = load<usize>(globalCells + (<usize>load<u32>(pc, 8) << alignof<usize>()));
        store<i64>(fp + load<u32>(pc, 4), load<i64>(cell));
        pc += 12; continue;
      }
      case Ir.GlobalSet: {
        let cell = load<usize>(globalCells + (<usize>load<u32>(pc, 4) << alignof<usize>()));
        store<i64>(cell, load<i64>(fp + load<u32>(pc, 8)));
        pc += 12; continue;
      }

      // ------------------------------------------------------------ memory
      case Ir.MemorySize: { store<u64>(fp + load<u32>(pc, 4), <u64><u32>(mem!.pages)); pc += 8; continue; }
      case Ir.MemoryGrow: {
        let dp = fp + load<u32>(pc, 8);
        let delta = load<u32>(dp);
        let r: i32 = -1;
        if (!memoryGrowRefused(mem!, delta)) {   // refused by its own limits: no units to pay
          let paid = payGrow(dp, load<u32>(pc, 12), fuel);
          fuel = bulkFuel;
          if (!paid) return bulkStop(instId, <u32>(pc - codeBase), <u32>(fp - stackBase), frameCount, fuel);
          r = mem!.grow(delta);
        }
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(r));
        pc += 16;
        // A grown memory may have moved: run again from the next op, which
        // reads the new base and size (they are constants of one run, so
        // TurboFan keeps them out of the loop's phis; docs/internal-code.md).
        if (r >= 0) return reenter(instId, <u32>(pc - codeBase), <u32>(fp - stackBase), frameCount, fuel);
        continue;
      }
      // Bulk ops do as much as the fuel covers and stop at themselves (exec/bulk.ts).
      case Ir.MemoryFill: case Ir.MemoryCopy: case Ir.MemoryInit:
      case Ir.TableFill: case Ir.TableCopy: case Ir.TableInit: {
        let r = bulkOp(load<u32>(pc), pc, fp, inst, cm, memBase, <u64>memBytes, fuel);
        fuel = bulkFuel;
        if (r == Bulk.Done) { pc += bulkLen; continue; }
        if (r == Bulk.OutOfFuel) return bulkStop(instId, <u32>(pc - codeBase), <u32>(fp - stackBase), frameCount, fuel);
        return trapOut(r == Bulk.MemoryTrap ? Trap.MemoryOutOfBounds : Trap.TableOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel);
      }
      case Ir.DataDrop: { unchecked(inst.droppedDatas[load<u32>(pc, 4)] = 1); pc += 8; continue; }

      // ------------------------------------------------------------ tables and references
      case Ir.TableGet: {
        let t = arrayAt(theStore.tables, staticAt(inst.tableAddrs, load<u32>(pc, 8)));
        let i = load<u32>(fp + load<u32>(pc, 12));
        if (i >= t.size) return trapOut(Trap.TableOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<u64>(fp + load<u32>(pc, 4), load<u64>(t.elems + (<usize>i << 3)));
        pc += 16; continue;
      }
      case Ir.TableSet: {
        let t = arrayAt(theStore.tables, staticAt(inst.tableAddrs, load<u32>(pc, 4)));
        let i = load<u32>(fp + load<u32>(pc, 8));
        if (i >= t.size) return trapOut(Trap.TableOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<u64>(t.elems + (<usize>i << 3), load<u64>(fp + load<u32>(pc, 12)));
        pc += 16; continue;
      }
      case Ir.TableSize: {
        let t = arrayAt(theStore.tables, staticAt(inst.tableAddrs, load<u32>(pc, 8)));
        store<u64>(fp + load<u32>(pc, 4), <u64>(t.size));
        pc += 12; continue;
      }
      case Ir.TableGrow: {
        let t = arrayAt(theStore.tables, staticAt(inst.tableAddrs, load<u32>(pc, 8)));
        let dp = fp + load<u32>(pc, 16);
        let delta = load<u32>(dp);
        let r: i32 = -1;
        if (!tableGrowRefused(t, delta)) {
          let paid = payGrow(dp, load<u32>(pc, 20), fuel);
          fuel = bulkFuel;
          if (!paid) return bulkStop(instId, <u32>(pc - codeBase), <u32>(fp - stackBase), frameCount, fuel);
          r = t.grow(delta, load<u64>(fp + load<u32>(pc, 12)));
        }
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(r));
        pc += 24; continue;
      }
      case Ir.ElemDrop: { unchecked(inst.droppedElems[load<u32>(pc, 4)] = 1); pc += 8; continue; }
      case Ir.RefIsNull: { store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(load<u64>(fp + load<u32>(pc, 8)) == 0))); pc += 12; continue; }
      case Ir.RefFunc: {
        store<u64>(fp + load<u32>(pc, 4), <u64>staticAt(inst.funcAddrs, load<u32>(pc, 8)) + 1);
        pc += 12; continue;
      }
      // ------------------------------------------------------------ loads and stores
      // loadFits, storeFits, loadAddFits (after the loop) test the bounds, then loadOp, storeOp, loadAddOp do the access.
      case Ir.I32Load: { if (!loadFits<i32>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadOp<i32, i32>(pc, fp, memBase); pc += 16; continue; } // i32.load
      case Ir.I64Load: { if (!loadFits<i64>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadOp<i64, i64>(pc, fp, memBase); pc += 16; continue; } // i64.load
      case Ir.F32Load: { if (!loadFits<u32>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadOp<u32, i32>(pc, fp, memBase); pc += 16; continue; } // f32.load
      case Ir.F64Load: { if (!loadFits<u64>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadOp<u64, i64>(pc, fp, memBase); pc += 16; continue; } // f64.load
      case Ir.I32Load8S: { if (!loadFits<i8>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadOp<i8, i32>(pc, fp, memBase); pc += 16; continue; } // i32.load8_s
      case Ir.I32Load8U: { if (!loadFits<u8>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadOp<u8, i32>(pc, fp, memBase); pc += 16; continue; } // i32.load8_u
      case Ir.I32Load16S: { if (!loadFits<i16>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadOp<i16, i32>(pc, fp, memBase); pc += 16; continue; } // i32.load16_s
      case Ir.I32Load16U: { if (!loadFits<u16>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadOp<u16, i32>(pc, fp, memBase); pc += 16; continue; } // i32.load16_u
      case Ir.I64Load8S: { if (!loadFits<i8>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadOp<i8, i64>(pc, fp, memBase); pc += 16; continue; } // i64.load8_s
      case Ir.I64Load8U: { if (!loadFits<u8>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadOp<u8, i64>(pc, fp, memBase); pc += 16; continue; } // i64.load8_u
      case Ir.I64Load16S: { if (!loadFits<i16>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadOp<i16, i64>(pc, fp, memBase); pc += 16; continue; } // i64.load16_s
      case Ir.I64Load16U: { if (!loadFits<u16>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadOp<u16, i64>(pc, fp, memBase); pc += 16; continue; } // i64.load16_u
      case Ir.I64Load32S: { if (!loadFits<i32>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadOp<i32, i64>(pc, fp, memBase); pc += 16; continue; } // i64.load32_s
      case Ir.I64Load32U: { if (!loadFits<u32>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadOp<u32, i64>(pc, fp, memBase); pc += 16; continue; } // i64.load32_u
      case Ir.I32Store: { if (!storeFits<i32>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); storeOp<i32>(pc, fp, memBase); pc += 16; continue; } // i32.store
      case Ir.I64Store: { if (!storeFits<i64>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); storeOp<i64>(pc, fp, memBase); pc += 16; continue; } // i64.store
      case Ir.F32Store: { if (!storeFits<u32>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); storeOp<u32>(pc, fp, memBase); pc += 16; continue; } // f32.store
      case Ir.F64Store: { if (!storeFits<u64>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); storeOp<u64>(pc, fp, memBase); pc += 16; continue; } // f64.store
      case Ir.I32Store8: { if (!storeFits<u8>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); storeOp<u8>(pc, fp, memBase); pc += 16; continue; } // i32.store8
      case Ir.I32Store16: { if (!storeFits<u16>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); storeOp<u16>(pc, fp, memBase); pc += 16; continue; } // i32.store16
      case Ir.I64Store8: { if (!storeFits<u8>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); storeOp<u8>(pc, fp, memBase); pc += 16; continue; } // i64.store8
      case Ir.I64Store16: { if (!storeFits<u16>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); storeOp<u16>(pc, fp, memBase); pc += 16; continue; } // i64.store16
      case Ir.I64Store32: { if (!storeFits<u32>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); storeOp<u32>(pc, fp, memBase); pc += 16; continue; } // i64.store32
      // ------------------------------------------------------------ numeric, in Wasm opcode order
      case Ir.I32Eqz: { // i32.eqz
        let a = load<i32>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a == 0))); pc += 12; continue;
      }
      case Ir.I32Eq: { // i32.eq
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a == b))); pc += 16; continue;
      }
      case Ir.I32Ne: { // i32.ne
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a != b))); pc += 16; continue;
      }
      case Ir.I32LtS: { // i32.lt_s
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a < b))); pc += 16; continue;
      }
      case Ir.I32LtU: { // i32.lt_u
        let a = load<u32>(fp + load<u32>(pc, 8)); let b = load<u32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a < b))); pc += 16; continue;
      }
      case Ir.I32GtS: { // i32.gt_s
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a > b))); pc += 16; continue;
      }
      case Ir.I32GtU: { // i32.gt_u
        let a = load<u32>(fp + load<u32>(pc, 8)); let b = load<u32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a > b))); pc += 16; continue;
      }
      case Ir.I32LeS: { // i32.le_s
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a <= b))); pc += 16; continue;
      }
      case Ir.I32LeU: { // i32.le_u
        let a = load<u32>(fp + load<u32>(pc, 8)); let b = load<u32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a <= b))); pc += 16; continue;
      }
      case Ir.I32GeS: { // i32.ge_s
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a >= b))); pc += 16; continue;
      }
      case Ir.I32GeU: { // i32.ge_u
        let a = load<u32>(fp + load<u32>(pc, 8)); let b = load<u32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a >= b))); pc += 16; continue;
      }
      case Ir.I64Eqz: { // i64.eqz
        let a = load<i64>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a == 0))); pc += 12; continue;
      }
      case Ir.I64Eq: { // i64.eq
        let a = load<i64>(fp + load<u32>(pc, 8)); let b = load<i64>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a == b))); pc += 16; continue;
      }
      case Ir.I64Ne: { // i64.ne
        let a = load<i64>(fp + load<u32>(pc, 8)); let b = load<i64>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a != b))); pc += 16; continue;
      }
      case Ir.I64LtS: { // i64.lt_s
        let a = load<i64>(fp + load<u32>(pc, 8)); let b = load<i64>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a < b))); pc += 16; continue;
      }
      case Ir.I64LtU: { // i64.lt_u
        let a = load<u64>(fp + load<u32>(pc, 8)); let b = load<u64>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a < b))); pc += 16; continue;
      }
      case Ir.I64GtS: { // i64.gt_s
        let a = load<i64>(fp + load<u32>(pc, 8)); let b = load<i64>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a > b))); pc += 16; continue;
      }
      case Ir.I64GtU: { // i64.gt_u
        let a = load<u64>(fp + load<u32>(pc, 8)); let b = load<u64>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a > b))); pc += 16; continue;
      }
      case Ir.I64LeS: { // i64.le_s
        let a = load<i64>(fp + load<u32>(pc, 8)); let b = load<i64>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a <= b))); pc += 16; continue;
      }
      case Ir.I64LeU: { // i64.le_u
        let a = load<u64>(fp + load<u32>(pc, 8)); let b = load<u64>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a <= b))); pc += 16; continue;
      }
      case Ir.I64GeS: { // i64.ge_s
        let a = load<i64>(fp + load<u32>(pc, 8)); let b = load<i64>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a >= b))); pc += 16; continue;
      }
      case Ir.I64GeU: { // i64.ge_u
        let a = load<u64>(fp + load<u32>(pc, 8)); let b = load<u64>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a >= b))); pc += 16; continue;
      }
      case Ir.F32Eq: { // f32.eq
        let a = load<f32>(fp + load<u32>(pc, 8)); let b = load<f32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a == b))); pc += 16; continue;
      }
      case Ir.F32Ne: { // f32.ne
        let a = load<f32>(fp + load<u32>(pc, 8)); let b = load<f32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a != b))); pc += 16; continue;
      }
      case Ir.F32Lt: { // f32.lt
        let a = load<f32>(fp + load<u32>(pc, 8)); let b = load<f32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a < b))); pc += 16; continue;
      }
      case Ir.F32Gt: { // f32.gt
        let a = load<f32>(fp + load<u32>(pc, 8)); let b = load<f32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a > b))); pc += 16; continue;
      }
      case Ir.F32Le: { // f32.le
        let a = load<f32>(fp + load<u32>(pc, 8)); let b = load<f32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a <= b))); pc += 16; continue;
      }
      case Ir.F32Ge: { // f32.ge
        let a = load<f32>(fp + load<u32>(pc, 8)); let b = load<f32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a >= b))); pc += 16; continue;
      }
      case Ir.F64Eq: { // f64.eq
        let a = load<f64>(fp + load<u32>(pc, 8)); let b = load<f64>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a == b))); pc += 16; continue;
      }
      case Ir.F64Ne: { // f64.ne
        let a = load<f64>(fp + load<u32>(pc, 8)); let b = load<f64>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a != b))); pc += 16; continue;
      }
      case Ir.F64Lt: { // f64.lt
        let a = load<f64>(fp + load<u32>(pc, 8)); let b = load<f64>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a < b))); pc += 16; continue;
      }
      case Ir.F64Gt: { // f64.gt
        let a = load<f64>(fp + load<u32>(pc, 8)); let b = load<f64>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a > b))); pc += 16; continue;
      }
      case Ir.F64Le: { // f64.le
        let a = load<f64>(fp + load<u32>(pc, 8)); let b = load<f64>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a <= b))); pc += 16; continue;
      }
      case Ir.F64Ge: { // f64.ge
        let a = load<f64>(fp + load<u32>(pc, 8)); let b = load<f64>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(a >= b))); pc += 16; continue;
      }
      case Ir.I32Clz: { // i32.clz
        let a = load<i32>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(clz<i32>(a))); pc += 12; continue;
      }
      case Ir.I32Ctz: { // i32.ctz
        let a = load<i32>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(ctz<i32>(a))); pc += 12; continue;
      }
      case Ir.I32Popcnt: { // i32.popcnt
        let a = load<i32>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(popcnt<i32>(a))); pc += 12; continue;
      }
      case Ir.I32Add: { // i32.add
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a + b)); pc += 16; continue;
      }
      case Ir.I32Sub: { // i32.sub
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a - b)); pc += 16; continue;
      }
      case Ir.I32Mul: { // i32.mul
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a * b)); pc += 16; continue;
      }
      case Ir.I32And: { // i32.and
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a & b)); pc += 16; continue;
      }
      case Ir.I32Or: { // i32.or
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a | b)); pc += 16; continue;
      }
      case Ir.I32Xor: { // i32.xor
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a ^ b)); pc += 16; continue;
      }
      case Ir.I32Shl: { // i32.shl
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a << b)); pc += 16; continue;
      }
      case Ir.I32ShrS: { // i32.shr_s
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a >> b)); pc += 16; continue;
      }
      case Ir.I32ShrU: { // i32.shr_u
        let a = load<u32>(fp + load<u32>(pc, 8)); let b = load<u32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64>(a >>> b)); pc += 16; continue;
      }
      case Ir.I32Rotl: { // i32.rotl
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(rotl<i32>(a, b))); pc += 16; continue;
      }
      case Ir.I32Rotr: { // i32.rotr
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(rotr<i32>(a, b))); pc += 16; continue;
      }
      case Ir.I64Clz: { // i64.clz
        let a = load<i64>(fp + load<u32>(pc, 8));
        store<i64>(fp + load<u32>(pc, 4), clz<i64>(a)); pc += 12; continue;
      }
      case Ir.I64Ctz: { // i64.ctz
        let a = load<i64>(fp + load<u32>(pc, 8));
        store<i64>(fp + load<u32>(pc, 4), ctz<i64>(a)); pc += 12; continue;
      }
      case Ir.I64Popcnt: { // i64.popcnt
        let a = load<i64>(fp + load<u32>(pc, 8));
        store<i64>(fp + load<u32>(pc, 4), popcnt<i64>(a)); pc += 12; continue;
      }
      case Ir.I64Add: { // i64.add
        let a = load<i64>(fp + load<u32>(pc, 8)); let b = load<i64>(fp + load<u32>(pc, 12));
        store<i64>(fp + load<u32>(pc, 4), a + b); pc += 16; continue;
      }
      case Ir.I64Sub: { // i64.sub
        let a = load<i64>(fp + load<u32>(pc, 8)); let b = load<i64>(fp + load<u32>(pc, 12));
        store<i64>(fp + load<u32>(pc, 4), a - b); pc += 16; continue;
      }
      case Ir.I64Mul: { // i64.mul
        let a = load<i64>(fp + load<u32>(pc, 8)); let b = load<i64>(fp + load<u32>(pc, 12));
        store<i64>(fp + load<u32>(pc, 4), a * b); pc += 16; continue;
      }
      case Ir.I64And: { // i64.and
        let a = load<i64>(fp + load<u32>(pc, 8)); let b = load<i64>(fp + load<u32>(pc, 12));
        store<i64>(fp + load<u32>(pc, 4), a & b); pc += 16; continue;
      }
      case Ir.I64Or: { // i64.or
        let a = load<i64>(fp + load<u32>(pc, 8)); let b = load<i64>(fp + load<u32>(pc, 12));
        store<i64>(fp + load<u32>(pc, 4), a | b); pc += 16; continue;
      }
      case Ir.I64Xor: { // i64.xor
        let a = load<i64>(fp + load<u32>(pc, 8)); let b = load<i64>(fp + load<u32>(pc, 12));
        store<i64>(fp + load<u32>(pc, 4), a ^ b); pc += 16; continue;
      }
      case Ir.I64Shl: { // i64.shl
        let a = load<i64>(fp + load<u32>(pc, 8)); let b = load<i64>(fp + load<u32>(pc, 12));
        store<i64>(fp + load<u32>(pc, 4), a << b); pc += 16; continue;
      }
      case Ir.I64ShrS: { // i64.shr_s
        let a = load<i64>(fp + load<u32>(pc, 8)); let b = load<i64>(fp + load<u32>(pc, 12));
        store<i64>(fp + load<u32>(pc, 4), a >> b); pc += 16; continue;
      }
      case Ir.I64ShrU: { // i64.shr_u
        let a = load<u64>(fp + load<u32>(pc, 8)); let b = load<u64>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), a >>> b); pc += 16; continue;
      }
      case Ir.I64Rotl: { // i64.rotl
        let a = load<i64>(fp + load<u32>(pc, 8)); let b = load<i64>(fp + load<u32>(pc, 12));
        store<i64>(fp + load<u32>(pc, 4), rotl<i64>(a, b)); pc += 16; continue;
      }
      case Ir.I64Rotr: { // i64.rotr
        let a = load<i64>(fp + load<u32>(pc, 8)); let b = load<i64>(fp + load<u32>(pc, 12));
        store<i64>(fp + load<u32>(pc, 4), rotr<i64>(a, b)); pc += 16; continue;
      }
      case Ir.F32Abs: { // f32.abs
        let a = load<f32>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(abs<f32>(a)))); pc += 12; continue;
      }
      case Ir.F32Neg: { // f32.neg
        let a = load<f32>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(-a))); pc += 12; continue;
      }
      case Ir.F32Ceil: { // f32.ceil
        let a = load<f32>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(canonF32(ceil<f32>(a))))); pc += 12; continue;
      }
      case Ir.F32Floor: { // f32.floor
        let a = load<f32>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(canonF32(floor<f32>(a))))); pc += 12; continue;
      }
      case Ir.F32Trunc: { // f32.trunc
        let a = load<f32>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(canonF32(trunc<f32>(a))))); pc += 12; continue;
      }
      case Ir.F32Nearest: { // f32.nearest
        let a = load<f32>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(canonF32(nearest<f32>(a))))); pc += 12; continue;
      }
      case Ir.F32Sqrt: { // f32.sqrt
        let a = load<f32>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(canonF32(sqrt<f32>(a))))); pc += 12; continue;
      }
      case Ir.F32Add: { // f32.add
        let a = load<f32>(fp + load<u32>(pc, 8)); let b = load<f32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(canonF32(a + b)))); pc += 16; continue;
      }
      case Ir.F32Sub: { // f32.sub
        let a = load<f32>(fp + load<u32>(pc, 8)); let b = load<f32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(canonF32(a - b)))); pc += 16; continue;
      }
      case Ir.F32Mul: { // f32.mul
        let a = load<f32>(fp + load<u32>(pc, 8)); let b = load<f32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(canonF32(a * b)))); pc += 16; continue;
      }
      case Ir.F32Div: { // f32.div
        let a = load<f32>(fp + load<u32>(pc, 8)); let b = load<f32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(canonF32(a / b)))); pc += 16; continue;
      }
      case Ir.F32Min: { // f32.min
        let a = load<f32>(fp + load<u32>(pc, 8)); let b = load<f32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(canonF32(min<f32>(a, b))))); pc += 16; continue;
      }
      case Ir.F32Max: { // f32.max
        let a = load<f32>(fp + load<u32>(pc, 8)); let b = load<f32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(canonF32(max<f32>(a, b))))); pc += 16; continue;
      }
      case Ir.F32Copysign: { // f32.copysign
        let a = load<f32>(fp + load<u32>(pc, 8)); let b = load<f32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(copysign<f32>(a, b)))); pc += 16; continue;
      }
      case Ir.F64Abs: { // f64.abs
        let a = load<f64>(fp + load<u32>(pc, 8));
        store<f64>(fp + load<u32>(pc, 4), abs<f64>(a)); pc += 12; continue;
      }
      case Ir.F64Neg: { // f64.neg
        let a = load<f64>(fp + load<u32>(pc, 8));
        store<f64>(fp + load<u32>(pc, 4), -a); pc += 12; continue;
      }
      case Ir.F64Ceil: { // f64.ceil
        let a = load<f64>(fp + load<u32>(pc, 8));
        store<f64>(fp + load<u32>(pc, 4), canonF64(ceil<f64>(a))); pc += 12; continue;
      }
      case Ir.F64Floor: { // f64.floor
        let a = load<f64>(fp + load<u32>(pc, 8));
        store<f64>(fp + load<u32>(pc, 4), canonF64(floor<f64>(a))); pc += 12; continue;
      }
      case Ir.F64Trunc: { // f64.trunc
        let a = load<f64>(fp + load<u32>(pc, 8));
        store<f64>(fp + load<u32>(pc, 4), canonF64(trunc<f64>(a))); pc += 12; continue;
      }
      case Ir.F64Nearest: { // f64.nearest
        let a = load<f64>(fp + load<u32>(pc, 8));
        store<f64>(fp + load<u32>(pc, 4), canonF64(nearest<f64>(a))); pc += 12; continue;
      }
      case Ir.F64Sqrt: { // f64.sqrt
        let a = load<f64>(fp + load<u32>(pc, 8));
        store<f64>(fp + load<u32>(pc, 4), canonF64(sqrt<f64>(a))); pc += 12; continue;
      }
      case Ir.F64Add: { // f64.add
        let a = load<f64>(fp + load<u32>(pc, 8)); let b = load<f64>(fp + load<u32>(pc, 12));
        store<f64>(fp + load<u32>(pc, 4), canonF64(a + b)); pc += 16; continue;
      }
      case Ir.F64Sub: { // f64.sub
        let a = load<f64>(fp + load<u32>(pc, 8)); let b = load<f64>(fp + load<u32>(pc, 12));
        store<f64>(fp + load<u32>(pc, 4), canonF64(a - b)); pc += 16; continue;
      }
      case Ir.F64Mul: { // f64.mul
        let a = load<f64>(fp + load<u32>(pc, 8)); let b = load<f64>(fp + load<u32>(pc, 12));
        store<f64>(fp + load<u32>(pc, 4), canonF64(a * b)); pc += 16; continue;
      }
      case Ir.F64Div: { // f64.div
        let a = load<f64>(fp + load<u32>(pc, 8)); let b = load<f64>(fp + load<u32>(pc, 12));
        store<f64>(fp + load<u32>(pc, 4), canonF64(a / b)); pc += 16; continue;
      }
      case Ir.F64Min: { // f64.min
        let a = load<f64>(fp + load<u32>(pc, 8)); let b = load<f64>(fp + load<u32>(pc, 12));
        store<f64>(fp + load<u32>(pc, 4), canonF64(min<f64>(a, b))); pc += 16; continue;
      }
      case Ir.F64Max: { // f64.max
        let a = load<f64>(fp + load<u32>(pc, 8)); let b = load<f64>(fp + load<u32>(pc, 12));
        store<f64>(fp + load<u32>(pc, 4), canonF64(max<f64>(a, b))); pc += 16; continue;
      }
      case Ir.F64Copysign: { // f64.copysign
        let a = load<f64>(fp + load<u32>(pc, 8)); let b = load<f64>(fp + load<u32>(pc, 12));
        store<f64>(fp + load<u32>(pc, 4), copysign<f64>(a, b)); pc += 16; continue;
      }
      case Ir.I32WrapI64: { // i32.wrap_i64
        let a = load<i64>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>a)); pc += 12; continue;
      }
      case Ir.I64ExtendI32S: { // i64.extend_i32_s
        let a = load<i32>(fp + load<u32>(pc, 8));
        store<i64>(fp + load<u32>(pc, 4), <i64>a); pc += 12; continue;
      }
      case Ir.I64ExtendI32U: { // i64.extend_i32_u
        let a = load<u32>(fp + load<u32>(pc, 8));
        store<i64>(fp + load<u32>(pc, 4), <i64>a); pc += 12; continue;
      }
      case Ir.F32ConvertI32S: { // f32.convert_i32_s
        let a = load<i32>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(<f32>a))); pc += 12; continue;
      }
      case Ir.F32ConvertI32U: { // f32.convert_i32_u
        let a = load<u32>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(<f32>a))); pc += 12; continue;
      }
      case Ir.F32ConvertI64S: { // f32.convert_i64_s
        let a = load<i64>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(<f32>a))); pc += 12; continue;
      }
      case Ir.F32ConvertI64U: { // f32.convert_i64_u
        let a = load<u64>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(<f32>a))); pc += 12; continue;
      }
      case Ir.F32DemoteF64: { // f32.demote_f64
        let a = load<f64>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64>reinterpret<u32>(<f32>(canonF32(<f32>a)))); pc += 12; continue;
      }
      case Ir.F64ConvertI32S: { // f64.convert_i32_s
        let a = load<i32>(fp + load<u32>(pc, 8));
        store<f64>(fp + load<u32>(pc, 4), <f64>a); pc += 12; continue;
      }
      case Ir.F64ConvertI32U: { // f64.convert_i32_u
        let a = load<u32>(fp + load<u32>(pc, 8));
        store<f64>(fp + load<u32>(pc, 4), <f64>a); pc += 12; continue;
      }
      case Ir.F64ConvertI64S: { // f64.convert_i64_s
        let a = load<i64>(fp + load<u32>(pc, 8));
        store<f64>(fp + load<u32>(pc, 4), <f64>a); pc += 12; continue;
      }
      case Ir.F64ConvertI64U: { // f64.convert_i64_u
        let a = load<u64>(fp + load<u32>(pc, 8));
        store<f64>(fp + load<u32>(pc, 4), <f64>a); pc += 12; continue;
      }
      case Ir.F64PromoteF32: { // f64.promote_f32
        let a = load<f32>(fp + load<u32>(pc, 8));
        store<f64>(fp + load<u32>(pc, 4), canonF64(<f64>a)); pc += 12; continue;
      }
      case Ir.I32ReinterpretF32: { // i32.reinterpret_f32
        let a = load<i32>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a)); pc += 12; continue;
      }
      case Ir.I64ReinterpretF64: { // i64.reinterpret_f64
        let a = load<i64>(fp + load<u32>(pc, 8));
        store<i64>(fp + load<u32>(pc, 4), a); pc += 12; continue;
      }
      case Ir.F32ReinterpretI32: { // f32.reinterpret_i32
        let a = load<i32>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a)); pc += 12; continue;
      }
      case Ir.F64ReinterpretI64: { // f64.reinterpret_i64
        let a = load<i64>(fp + load<u32>(pc, 8));
        store<i64>(fp + load<u32>(pc, 4), a); pc += 12; continue;
      }
      case Ir.I32Extend8S: { // i32.extend8_s
        let a = load<i32>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32><i8>a)); pc += 12; continue;
      }
      case Ir.I32Extend16S: { // i32.extend16_s
        let a = load<i32>(fp + load<u32>(pc, 8));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32><i16>a)); pc += 12; continue;
      }
      case Ir.I64Extend8S: { // i64.extend8_s
        let a = load<i64>(fp + load<u32>(pc, 8));
        store<i64>(fp + load<u32>(pc, 4), <i64><i8>a); pc += 12; continue;
      }
      case Ir.I64Extend16S: { // i64.extend16_s
        let a = load<i64>(fp + load<u32>(pc, 8));
        store<i64>(fp + load<u32>(pc, 4), <i64><i16>a); pc += 12; continue;
      }
      case Ir.I64Extend32S: { // i64.extend32_s
        let a = load<i64>(fp + load<u32>(pc, 8));
        store<i64>(fp + load<u32>(pc, 4), <i64><i32>a); pc += 12; continue;
      }
      // ------------------------------------------------------------ numeric ops that can trap
      case Ir.I32DivS: { // i32.div_s
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(fp + load<u32>(pc, 12));
        if (b == 0) return trapOut(Trap.IntegerDivideByZero, instId, <u32>(pc - codeBase), frameCount, fuel);
        if (a == i32.MIN_VALUE && b == -1) return trapOut(Trap.IntegerOverflow, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a / b)); pc += 16; continue;
      }
      case Ir.I32DivU: { // i32.div_u
        let a = load<u32>(fp + load<u32>(pc, 8)); let b = load<u32>(fp + load<u32>(pc, 12));
        if (b == 0) return trapOut(Trap.IntegerDivideByZero, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<u64>(fp + load<u32>(pc, 4), <u64>(a / b)); pc += 16; continue;
      }
      case Ir.I32RemS: { // i32.rem_s
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(fp + load<u32>(pc, 12));
        if (b == 0) return trapOut(Trap.IntegerDivideByZero, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(b == -1 ? 0 : a % b)); pc += 16; continue;
      }
      case Ir.I32RemU: { // i32.rem_u
        let a = load<u32>(fp + load<u32>(pc, 8)); let b = load<u32>(fp + load<u32>(pc, 12));
        if (b == 0) return trapOut(Trap.IntegerDivideByZero, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<u64>(fp + load<u32>(pc, 4), <u64>(a % b)); pc += 16; continue;
      }
      case Ir.I64DivS: { // i64.div_s
        let a = load<i64>(fp + load<u32>(pc, 8)); let b = load<i64>(fp + load<u32>(pc, 12));
        if (b == 0) return trapOut(Trap.IntegerDivideByZero, instId, <u32>(pc - codeBase), frameCount, fuel);
        if (a == i64.MIN_VALUE && b == -1) return trapOut(Trap.IntegerOverflow, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<i64>(fp + load<u32>(pc, 4), a / b); pc += 16; continue;
      }
      case Ir.I64DivU: { // i64.div_u
        let a = load<u64>(fp + load<u32>(pc, 8)); let b = load<u64>(fp + load<u32>(pc, 12));
        if (b == 0) return trapOut(Trap.IntegerDivideByZero, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<u64>(fp + load<u32>(pc, 4), a / b); pc += 16; continue;
      }
      case Ir.I64RemS: { // i64.rem_s
        let a = load<i64>(fp + load<u32>(pc, 8)); let b = load<i64>(fp + load<u32>(pc, 12));
        if (b == 0) return trapOut(Trap.IntegerDivideByZero, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<i64>(fp + load<u32>(pc, 4), b == -1 ? 0 : a % b); pc += 16; continue;
      }
      case Ir.I64RemU: { // i64.rem_u
        let a = load<u64>(fp + load<u32>(pc, 8)); let b = load<u64>(fp + load<u32>(pc, 12));
        if (b == 0) return trapOut(Trap.IntegerDivideByZero, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<u64>(fp + load<u32>(pc, 4), a % b); pc += 16; continue;
      }
      // Trapping float -> int: NaN is an invalid conversion, out of range an overflow.
      case Ir.I32TruncF32S: { // i32.trunc_f32_s
        let a = load<f32>(fp + load<u32>(pc, 8));
        let t = truncCheck(<f64>a, -2147483649.0, 2147483648.0);
        if (t != Trap.None) return trapOut(t, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>a)); pc += 12; continue;
      }
      case Ir.I32TruncF32U: { // i32.trunc_f32_u
        let a = load<f32>(fp + load<u32>(pc, 8));
        let t = truncCheck(<f64>a, -1.0, 4294967296.0);
        if (t != Trap.None) return trapOut(t, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<u64>(fp + load<u32>(pc, 4), <u64>(<u32>a)); pc += 12; continue;
      }
      case Ir.I32TruncF64S: { // i32.trunc_f64_s
        let a = load<f64>(fp + load<u32>(pc, 8));
        let t = truncCheck(a, -2147483649.0, 2147483648.0);
        if (t != Trap.None) return trapOut(t, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>a)); pc += 12; continue;
      }
      case Ir.I32TruncF64U: { // i32.trunc_f64_u
        let a = load<f64>(fp + load<u32>(pc, 8));
        let t = truncCheck(a, -1.0, 4294967296.0);
        if (t != Trap.None) return trapOut(t, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<u64>(fp + load<u32>(pc, 4), <u64>(<u32>a)); pc += 12; continue;
      }
      case Ir.I64TruncF32S: { // i64.trunc_f32_s
        let a = load<f32>(fp + load<u32>(pc, 8));
        let t = truncCheckS64(<f64>a);
        if (t != Trap.None) return trapOut(t, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<i64>(fp + load<u32>(pc, 4), <i64>a); pc += 12; continue;
      }
      case Ir.I64TruncF32U: { // i64.trunc_f32_u
        let a = load<f32>(fp + load<u32>(pc, 8));
        let t = truncCheck(<f64>a, -1.0, 18446744073709551616.0);
        if (t != Trap.None) return trapOut(t, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<u64>(fp + load<u32>(pc, 4), <u64>a); pc += 12; continue;
      }
      case Ir.I64TruncF64S: { // i64.trunc_f64_s
        let a = load<f64>(fp + load<u32>(pc, 8));
        let t = truncCheckS64(a);
        if (t != Trap.None) return trapOut(t, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<i64>(fp + load<u32>(pc, 4), <i64>a); pc += 12; continue;
      }
      case Ir.I64TruncF64U: { // i64.trunc_f64_u
        let a = load<f64>(fp + load<u32>(pc, 8));
        let t = truncCheck(a, -1.0, 18446744073709551616.0);
        if (t != Trap.None) return trapOut(t, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<u64>(fp + load<u32>(pc, 4), <u64>a); pc += 12; continue;
      }
      // Saturating float -> int (0xFC 0..7): the host conversions saturate already.
      case Ir.I32TruncSatF32S: { store<u64>(fp + load<u32>(pc, 4), <u64><u32>(satI32(<f64>load<f32>(fp + load<u32>(pc, 8))))); pc += 12; continue; }
      case Ir.I32TruncSatF32U: { store<u64>(fp + load<u32>(pc, 4), <u64>(satU32(<f64>load<f32>(fp + load<u32>(pc, 8))))); pc += 12; continue; }
      case Ir.I32TruncSatF64S: { store<u64>(fp + load<u32>(pc, 4), <u64><u32>(satI32(load<f64>(fp + load<u32>(pc, 8))))); pc += 12; continue; }
      case Ir.I32TruncSatF64U: { store<u64>(fp + load<u32>(pc, 4), <u64>(satU32(load<f64>(fp + load<u32>(pc, 8))))); pc += 12; continue; }
      case Ir.I64TruncSatF32S: { store<i64>(fp + load<u32>(pc, 4), satI64(<f64>load<f32>(fp + load<u32>(pc, 8)))); pc += 12; continue; }
      case Ir.I64TruncSatF32U: { store<u64>(fp + load<u32>(pc, 4), satU64(<f64>load<f32>(fp + load<u32>(pc, 8)))); pc += 12; continue; }
      case Ir.I64TruncSatF64S: { store<i64>(fp + load<u32>(pc, 4), satI64(load<f64>(fp + load<u32>(pc, 8)))); pc += 12; continue; }
      case Ir.I64TruncSatF64U: { store<u64>(fp + load<u32>(pc, 4), satU64(load<f64>(fp + load<u32>(pc, 8)))); pc += 12; continue; }

      // ------------------------------------------------------------ fused forms (compile/ir.ts)
      case Ir.I32EqImm: { // i32.eq with a constant
        if (ASC_OPTIMIZE_LEVEL == 0) { deviceImmOp(pc, fp); pc += 16; continue; } // device: exec/memops.ts
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(load<i32>(fp + load<u32>(pc, 8)) == load<i32>(pc, 12)))); pc += 16; continue;
      }
      case Ir.I32NeImm: { // i32.ne with a constant
        if (ASC_OPTIMIZE_LEVEL == 0) { deviceImmOp(pc, fp); pc += 16; continue; } // device: exec/memops.ts
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(load<i32>(fp + load<u32>(pc, 8)) != load<i32>(pc, 12)))); pc += 16; continue;
      }
      case Ir.I32LtSImm: { // i32.lt_s with a constant
        if (ASC_OPTIMIZE_LEVEL == 0) { deviceImmOp(pc, fp); pc += 16; continue; } // device: exec/memops.ts
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(load<i32>(fp + load<u32>(pc, 8)) < load<i32>(pc, 12)))); pc += 16; continue;
      }
      case Ir.I32LtUImm: { // i32.lt_u with a constant
        if (ASC_OPTIMIZE_LEVEL == 0) { deviceImmOp(pc, fp); pc += 16; continue; } // device: exec/memops.ts
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(load<u32>(fp + load<u32>(pc, 8)) < load<u32>(pc, 12)))); pc += 16; continue;
      }
      case Ir.I32GtSImm: { // i32.gt_s with a constant
        if (ASC_OPTIMIZE_LEVEL == 0) { deviceImmOp(pc, fp); pc += 16; continue; } // device: exec/memops.ts
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(load<i32>(fp + load<u32>(pc, 8)) > load<i32>(pc, 12)))); pc += 16; continue;
      }
      case Ir.I32GtUImm: { // i32.gt_u with a constant
        if (ASC_OPTIMIZE_LEVEL == 0) { deviceImmOp(pc, fp); pc += 16; continue; } // device: exec/memops.ts
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(load<u32>(fp + load<u32>(pc, 8)) > load<u32>(pc, 12)))); pc += 16; continue;
      }
      case Ir.I32AddImm: { // i32.add with a constant
        if (ASC_OPTIMIZE_LEVEL == 0) { deviceImmOp(pc, fp); pc += 16; continue; } // device: exec/memops.ts
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(pc, 12);
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a + b)); pc += 16; continue;
      }
      case Ir.I32MulImm: { // i32.mul with a constant
        if (ASC_OPTIMIZE_LEVEL == 0) { deviceImmOp(pc, fp); pc += 16; continue; } // device: exec/memops.ts
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(pc, 12);
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a * b)); pc += 16; continue;
      }
      case Ir.I32AndImm: { // i32.and with a constant
        if (ASC_OPTIMIZE_LEVEL == 0) { deviceImmOp(pc, fp); pc += 16; continue; } // device: exec/memops.ts
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(pc, 12);
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a & b)); pc += 16; continue;
      }
      case Ir.I32OrImm: { // i32.or with a constant
        if (ASC_OPTIMIZE_LEVEL == 0) { deviceImmOp(pc, fp); pc += 16; continue; } // device: exec/memops.ts
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(pc, 12);
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a | b)); pc += 16; continue;
      }
      case Ir.I32XorImm: { // i32.xor with a constant
        if (ASC_OPTIMIZE_LEVEL == 0) { deviceImmOp(pc, fp); pc += 16; continue; } // device: exec/memops.ts
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(pc, 12);
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a ^ b)); pc += 16; continue;
      }
      case Ir.I32ShlImm: { // i32.shl with a constant
        if (ASC_OPTIMIZE_LEVEL == 0) { deviceImmOp(pc, fp); pc += 16; continue; } // device: exec/memops.ts
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(pc, 12);
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a << b)); pc += 16; continue;
      }
      case Ir.I32ShrSImm: { // i32.shr_s with a constant
        if (ASC_OPTIMIZE_LEVEL == 0) { deviceImmOp(pc, fp); pc += 16; continue; } // device: exec/memops.ts
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(pc, 12);
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(a >> b)); pc += 16; continue;
      }
      case Ir.I32ShrUImm: { // i32.shr_u with a constant
        if (ASC_OPTIMIZE_LEVEL == 0) { deviceImmOp(pc, fp); pc += 16; continue; } // device: exec/memops.ts
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(pc, 12);
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(<i32>(<u32>a >>> <u32>b))); pc += 16; continue;
      }
      case Ir.I32RotlImm: { // i32.rotl with a constant
        if (ASC_OPTIMIZE_LEVEL == 0) { deviceImmOp(pc, fp); pc += 16; continue; } // device: exec/memops.ts
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(pc, 12);
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(rotl<i32>(a, b))); pc += 16; continue;
      }
      case Ir.I32RotrImm: { // i32.rotr with a constant
        if (ASC_OPTIMIZE_LEVEL == 0) { deviceImmOp(pc, fp); pc += 16; continue; } // device: exec/memops.ts
        let a = load<i32>(fp + load<u32>(pc, 8)); let b = load<i32>(pc, 12);
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(rotr<i32>(a, b))); pc += 16;
        // Node's build runs on into its usual successor (rotr ^ rotr ^ rotr: SHA-2's sigmas), a
        // direct branch instead of V8's one shared dispatch jump (build-features.ts FALL_INTO_NEXT)
        if (!FALL_INTO_NEXT || load<u8>(pc) != Ir.I32XorRotr) continue;
      } // falls through
      case Ir.I32XorRotr: { // i32.xor a (i32.rotr b k)
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(load<i32>(fp + load<u32>(pc, 8)) ^ rotr<i32>(load<i32>(fp + load<u32>(pc, 12)), load<i32>(pc, 16))));
        pc += 20; continue;
      }
      case Ir.JumpI32Eq: { // br_if (i32.eq a b)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<i32>(fp + load<u32>(pc, 4)) == load<i32>(fp + load<u32>(pc, 8))) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32Ne: { // br_if (i32.ne a b)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<i32>(fp + load<u32>(pc, 4)) != load<i32>(fp + load<u32>(pc, 8))) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32LtS: { // br_if (i32.lt_s a b)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<i32>(fp + load<u32>(pc, 4)) < load<i32>(fp + load<u32>(pc, 8))) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32LtU: { // br_if (i32.lt_u a b)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<u32>(fp + load<u32>(pc, 4)) < load<u32>(fp + load<u32>(pc, 8))) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32GtS: { // br_if (i32.gt_s a b)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<i32>(fp + load<u32>(pc, 4)) > load<i32>(fp + load<u32>(pc, 8))) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32GtU: { // br_if (i32.gt_u a b)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<u32>(fp + load<u32>(pc, 4)) > load<u32>(fp + load<u32>(pc, 8))) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32LeS: { // br_if (i32.le_s a b)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<i32>(fp + load<u32>(pc, 4)) <= load<i32>(fp + load<u32>(pc, 8))) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32LeU: { // br_if (i32.le_u a b)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<u32>(fp + load<u32>(pc, 4)) <= load<u32>(fp + load<u32>(pc, 8))) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32GeS: { // br_if (i32.ge_s a b)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<i32>(fp + load<u32>(pc, 4)) >= load<i32>(fp + load<u32>(pc, 8))) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32GeU: { // br_if (i32.ge_u a b)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<u32>(fp + load<u32>(pc, 4)) >= load<u32>(fp + load<u32>(pc, 8))) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32EqImm: { // br_if (i32.eq a const)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<i32>(fp + load<u32>(pc, 4)) == load<i32>(pc, 8)) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32NeImm: { // br_if (i32.ne a const)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<i32>(fp + load<u32>(pc, 4)) != load<i32>(pc, 8)) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32LtSImm: { // br_if (i32.lt_s a const)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<i32>(fp + load<u32>(pc, 4)) < load<i32>(pc, 8)) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32LtUImm: { // br_if (i32.lt_u a const)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<u32>(fp + load<u32>(pc, 4)) < load<u32>(pc, 8)) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32GtSImm: { // br_if (i32.gt_s a const)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<i32>(fp + load<u32>(pc, 4)) > load<i32>(pc, 8)) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32GtUImm: { // br_if (i32.gt_u a const)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<u32>(fp + load<u32>(pc, 4)) > load<u32>(pc, 8)) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32LeSImm: { // br_if (i32.le_s a const)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<i32>(fp + load<u32>(pc, 4)) <= load<i32>(pc, 8)) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32LeUImm: { // br_if (i32.le_u a const)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<u32>(fp + load<u32>(pc, 4)) <= load<u32>(pc, 8)) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32GeSImm: { // br_if (i32.ge_s a const)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<i32>(fp + load<u32>(pc, 4)) >= load<i32>(pc, 8)) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }
      case Ir.JumpI32GeUImm: { // br_if (i32.ge_u a const)
        if (ASC_OPTIMIZE_LEVEL == 0) { pc = deviceJumpCmp(pc, fp, codeBase, skip); cost = jumpCost; break; } // device: exec/memops.ts
        if (load<u32>(fp + load<u32>(pc, 4)) >= load<u32>(pc, 8)) { fuel -= <i64>load<u32>(pc, 16); pc = codeBase + load<u32>(pc, 12); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 20); pc += 24 + skip; }
        break;
      }

      case Ir.I32AddShl: { // i32.add a (i32.shl b k)
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(load<i32>(fp + load<u32>(pc, 8)) + (load<i32>(fp + load<u32>(pc, 12)) << load<u32>(pc, 16))));
        pc += 20; continue;
      }
      case Ir.I32AddMulImm: { // i32.add a (i32.mul b k)
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(load<i32>(fp + load<u32>(pc, 8)) + load<i32>(fp + load<u32>(pc, 12)) * load<i32>(pc, 16)));
        pc += 20;
        if (!FALL_INTO_NEXT || load<u8>(pc) != Ir.F64LoadAdd) continue; // Node: on into the load of a[i * n + j] (as above)
      } // falls through
      case Ir.F64LoadAdd: { if (!loadAddFits<u64>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadAddOp<u64, i64>(pc, fp, memBase); pc += 24; continue; } // f64.load of ((a << shift) + imm)
      case Ir.I32AddMul: { // i32.add a (i32.mul b c)
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>(load<i32>(fp + load<u32>(pc, 8)) + load<i32>(fp + load<u32>(pc, 12)) * load<i32>(fp + load<u32>(pc, 16))));
        pc += 20; continue;
      }

      case Ir.SelectXorAndImm: { // select (x ^ k) x on (c & m): a conditional xor (CRC, LFSR steps)
        let x = load<u32>(fp + load<u32>(pc, 8));
        let c = load<u32>(fp + load<u32>(pc, 16)) & load<u32>(pc, 20);
        store<u64>(fp + load<u32>(pc, 4), <u64>select<u32>(x ^ load<u32>(pc, 12), x, c != 0));
        pc += 24; continue;
      }
      case Ir.I32ShrUAndImm: { // i32.and (i32.shr_u a k) m, k and m constants
        store<u64>(fp + load<u32>(pc, 4), <u64>((load<u32>(fp + load<u32>(pc, 8)) >>> load<u32>(pc, 12)) & load<u32>(pc, 16)));
        pc += 20; continue;
      }
      case Ir.I32LoadAdd: { if (!loadAddFits<i32>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadAddOp<i32, i32>(pc, fp, memBase); pc += 24; continue; } // i32.load of ((a << shift) + imm)
      case Ir.I64LoadAdd: { if (!loadAddFits<i64>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadAddOp<i64, i64>(pc, fp, memBase); pc += 24; continue; } // i64.load of ((a << shift) + imm)
      case Ir.F32LoadAdd: { if (!loadAddFits<u32>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadAddOp<u32, i32>(pc, fp, memBase); pc += 24; continue; } // f32.load of ((a << shift) + imm)
      case Ir.I32Load8SAdd: { if (!loadAddFits<i8>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadAddOp<i8, i32>(pc, fp, memBase); pc += 24; continue; } // i32.load8_s of ((a << shift) + imm)
      case Ir.I32Load8UAdd: { if (!loadAddFits<u8>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadAddOp<u8, i32>(pc, fp, memBase); pc += 24; continue; } // i32.load8_u of ((a << shift) + imm)
      case Ir.I32Load16SAdd: { if (!loadAddFits<i16>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadAddOp<i16, i32>(pc, fp, memBase); pc += 24; continue; } // i32.load16_s of ((a << shift) + imm)
      case Ir.I32Load16UAdd: { if (!loadAddFits<u16>(pc, fp, memBase, memBytes)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); loadAddOp<u16, i32>(pc, fp, memBase); pc += 24; continue; } // i32.load16_u of ((a << shift) + imm)
      case Ir.Load8UAdd: { // dst, x, imm: i32.load8_u at x + imm (no offset, no shift)
        let ea: u32 = load<u32>(fp + load<u32>(pc, 8)) + load<u32>(pc, 12); // wraps at 32 bits, as i32.add does
        if (ea >= memBytes) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<u64>(fp + load<u32>(pc, 4), <u64>load<u8>(memBase + <usize>ea));
        pc += 16; continue;
      }
      case Ir.StoreK8Add: { // x, imm, k: i32.store8 of the constant k at x + imm (no offset, no shift)
        let ea: u32 = load<u32>(fp + load<u32>(pc, 4)) + load<u32>(pc, 8);
        if (ea >= memBytes) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel);
        store<u8>(memBase + <usize>ea, load<u8>(pc, 12));
        pc += 16; continue;
      }
      case Ir.I32AddImmJumpNeImm: { // dst = a + k; jump if dst != n (a counted loop's step and test)
        let v = load<u32>(fp + load<u32>(pc, 8)) + load<u32>(pc, 12);
        store<u64>(fp + load<u32>(pc, 4), <u64>v);
        if (v != load<u32>(pc, 16)) { fuel -= <i64>load<u32>(pc, 24); pc = codeBase + load<u32>(pc, 20); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        else { cost = load<u32>(pc, 28); pc += 32 + skip; }
        break;
      }
      case Ir.I32AddJumpLtUImm: { // dst = a + b; jump if dst < n unsigned (a strided loop's step and test)
        let v = load<u32>(fp + load<u32>(pc, 8)) + load<u32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64>v);
        if (v < load<u32>(pc, 16)) { fuel -= <i64>load<u32>(pc, 24); pc = codeBase + load<u32>(pc, 20); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        cost = load<u32>(pc, 28); pc += 32 + skip;
        break;
      }
      case Ir.I32AddImmJumpLtSImm: { // dst = a + k; jump if dst < n signed (asc's and binaryen's counted loops)
        let v = load<i32>(fp + load<u32>(pc, 8)) + load<i32>(pc, 12);
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>v);
        if (v < load<i32>(pc, 16)) { fuel -= <i64>load<u32>(pc, 24); pc = codeBase + load<u32>(pc, 20); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        cost = load<u32>(pc, 28); pc += 32 + skip;
        break;
      }
      case Ir.I32AddJumpLtSImm: { // dst = a + b; jump if dst < n signed (a strided loop's step and test)
        let v = load<i32>(fp + load<u32>(pc, 8)) + load<i32>(fp + load<u32>(pc, 12));
        store<u64>(fp + load<u32>(pc, 4), <u64><u32>v);
        if (v < load<i32>(pc, 16)) { fuel -= <i64>load<u32>(pc, 24); pc = codeBase + load<u32>(pc, 20); if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); } continue; }
        cost = load<u32>(pc, 28); pc += 32 + skip;
        break;
      }
      case Ir.StoreAdd: { if (!storeAddOp(pc, fp, memBase, memBytes, fp + load<u32>(pc, 24))) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); pc += 28; continue; }
      case Ir.StoreKAdd: { if (!storeAddOp(pc, fp, memBase, memBytes, pc + 24)) return trapOut(Trap.MemoryOutOfBounds, instId, <u32>(pc - codeBase), frameCount, fuel); pc += 32; continue; }
      case Ir.F64MulLoads: { // dst, xa, imma, offa, xb, immb, offb, c, meta, refunds: docs/internal-code.md, "Products of loads"
        let meta = load<u32>(pc, 36);
        let ba: u32 = (load<u32>(fp + load<u32>(pc, 8)) << (meta & 31)) + load<u32>(pc, 12); // wraps at 32 bits
        let bb: u32 = (load<u32>(fp + load<u32>(pc, 20)) << ((meta >> 5) & 31)) + load<u32>(pc, 24);
        let oa = load<u32>(pc, 16), ob = load<u32>(pc, 28);
        // the first load traps: its instructions paid, the rest given back; the second: reported 4 bytes in
        if (!fits(ba, oa, 8, memBytes)) return trapOutPart(instId, <u32>(pc - codeBase), frameCount, fuel, load<u32>(pc, 40) & 0xFFFF, 0);
        if (!fits(bb, ob, 8, memBytes)) return trapOutPart(instId, <u32>(pc - codeBase), frameCount, fuel, load<u32>(pc, 40) >>> 16, 4);
        let r = load<f64>(memBase + <usize>(ba + oa)) * load<f64>(memBase + <usize>(bb + ob));
        if (meta & MULLOADS_ADD) r += load<f64>(fp + load<u32>(pc, 32)); // the product rounded first, as the two ops
        store<f64>(fp + load<u32>(pc, 4), canonF64(r)); pc += 44; continue;
      }
      case Ir.F64MulAdd: { // dst, a, b, c: a * b + c (f64.mul feeding f64.add): the product rounded, then the sum, one canonicalization
        let a = load<f64>(fp + load<u32>(pc, 8)); let b = load<f64>(fp + load<u32>(pc, 12)); let c = load<f64>(fp + load<u32>(pc, 16));
        store<f64>(fp + load<u32>(pc, 4), canonF64(a * b + c)); pc += 20; continue;
      }
      case Ir.Ext: { // extension proposals' ops: word = Ext | x << 8, second-level dispatch in exec/ext-ops.ts
        if (EXT_ON) {
          let n = extCall(pc, fp, memBase, <u64>memBytes, globalCells); // a call running the whole run of Ext ops: exec/ext.ts
          if (n > 0) { pc += n; continue; }
          return trapOut(<Trap>(-n), instId, <u32>(extTrapAt() - codeBase), frameCount, fuel);
        }
      } // compiled out (no tables, or the device build): falls through to the trap below
      case Ir.I32SubImm: // never in code (x - k is compiled as x + (-k)); the image verifier refuses it (NOT_IN_CODE): listed to keep the table total
        return trapOut(Trap.Unreachable, instId, <u32>(pc - codeBase), frameCount, fuel);
      default:
        unreachable(); // a byte has no other values (Count == Ext); a body of its own keeps binaryen from folding cases into it
    }
    // Only jumps get here (every other op continues the loop itself): the
    // not-taken ways of conditional jumps and the jumps that have not paid
    // inline (a taken Jump, JumpIf(Not), compare-and-jump or counted-loop
    // op pays its target itself and continues: no `cost` phi and no trip
    // through here in TurboFan, docs/internal-code.md). A
    // jump's target and a conditional jump's fallthrough start a block,
    // which in metered code begins with a Fuel op: the jump has set `cost`
    // to that op's cost and `pc` just past it (docs/fuel.md, "Jumps carry
    // what they land on"). Pay it as one subtract and a sign test, with no
    // test of `metered`: unmetered code carries cost 0 and lands at the
    // block (skip = 0). If the fuel falls short, give it back and step back
    // onto the Fuel op, which takes the slow path (unmetered, fuel is below
    // 0 only from a negative budget: skip is 0 and payBackMetered gives
    // nothing back, so this changes nothing). `metered` is tested in
    // payBackMetered, not here: as `fuel < 0 && metered`, binaryen made the
    // two tests one `select` and V8 a cmov from metered's stack slot on
    // every jump (docs/internal-code.md).
    fuel -= <i64>cost;
    if (fuel < 0) { pc -= skip; fuel = payBackMetered(fuel, pc, cm); }
  }
  return Status.Trap;
}

/** Range check for a trapping truncation: valid iff lo < x < hi (exclusive). */
@inline function truncCheck(x: f64, lo: f64, hi: f64): Trap {
  if (x != x) return Trap.InvalidConversion;
  if (!(x > lo && x < hi)) return Trap.IntegerOverflow;
  return Trap.None;
}
// -2^63 is representable and valid; anything below it is not.
@inline function truncCheckS64(x: f64): Trap {
  if (x != x) return Trap.InvalidConversion;
  if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) return Trap.IntegerOverflow;
  return Trap.None;
}

// Saturating conversions written out, so no engine's own conversion
// behaviour (which C leaves undefined out of range) can leak in.
@inline function satI32(x: f64): i32 {
  if (x != x) return 0;
  if (x <= -2147483648.0) return i32.MIN_VALUE;
  if (x >= 2147483647.0) return i32.MAX_VALUE;
  return <i32>x;
}
@inline function satU32(x: f64): u32 {
  if (x != x || x <= 0) return 0;
  if (x >= 4294967295.0) return u32.MAX_VALUE;
  return <u32>x;
}
@inline function satI64(x: f64): i64 {
  if (x != x) return 0;
  if (x <= -9223372036854775808.0) return i64.MIN_VALUE;
  if (x >= 9223372036854775808.0) return i64.MAX_VALUE;
  return <i64>x;
}
@inline function satU64(x: f64): u64 {
  if (x != x || x <= 0) return 0;
  if (x >= 18446744073709551616.0) return u64.MAX_VALUE;
  return <u64>x;
}

// ---- memory accesses (the loads, stores and fused loads of the loop) ----
// Layouts (compile/ir.ts): load dst, addr, offset; store addr, value,
// offset; fused load dst, x, imm, offset, shift (docs/internal-code.md,
// "Address arithmetic in loads"). The effective address is computed in 64
// bits: a 32-bit address plus a 32-bit offset cannot wrap. A load writes its
// whole 8-byte slot (docs/internal-code.md, "Slots are written 8 bytes
// wide"). The device build runs them all through one function
// (exec/memops.ts) to save flash.

/** A loaded T as the 8-byte slot of an R (i32 or i64) result: sign- or zero-extended as T is. */
@inline function widened<T, R>(v: T): u64 {
  return sizeof<R>() == 4 ? <u64><u32><i32>v : <u64><i64>v;
}

/**
 * A memory's size as the loop holds it, in 32 bits. Exact: the guest's
 * memory is a block inside the interpreter's own 32-bit memory, so it is
 * always under 4 GiB (the clamp only makes that visible). A 32-bit board
 * then keeps it in one register, and knowing its high half is zero spares a
 * load and a subtract-with-carry per bounds check (docs/firmware.md).
 */
@inline function memSize32(mem: MemoryInst): u32 {
  let b = mem.bytes;
  return b > <u64>u32.MAX_VALUE ? u32.MAX_VALUE : <u32>b;
}

/**
 * The access of `size` bytes at `base + off` (a 32-bit address and offset:
 * their sum must not wrap) fits in memory. A byte access is two 32-bit
 * compares, the wrap and the end (two instructions fewer than the 64-bit sum
 * on Thumb-2); wider ones sum in 64 bits (`ea < memBytes` alone would let
 * their tail pass the end, and `memBytes - size` wraps for an empty memory).
 */
@inline function fits(base: u32, off: u32, size: u32, memBytes: u32): bool {
  if (size == 1) { let ea = base + off; return ea >= off && ea < memBytes; }
  return <u64>base + <u64>off + <u64>size <= <u64>memBytes;
}

// Each case tests the bounds itself and only then does the access: a helper
// that did both and returned a `bool` left V8 a value to materialize and
// test (4 instructions per access) where gcc threads the branch. The access
// reads the address operands again; V8 and gcc both reuse the check's loads.
// The device build runs the whole op in deviceMemOp from the check.

/** The T at the load's address (address slot +8, offset +12) is in bounds. */
@inline function loadFits<T>(pc: usize, fp: usize, memBase: usize, memBytes: u32): bool {
  if (ASC_OPTIMIZE_LEVEL == 0) return deviceMemOp(pc, fp, memBase, memBytes);
  return fits(load<u32>(fp + load<u32>(pc, 8)), load<u32>(pc, 12), sizeof<T>(), memBytes);
}

/** Load of a T (dst +4, address slot +8, offset +12), after loadFits. */
@inline function loadOp<T, R>(pc: usize, fp: usize, memBase: usize): void {
  if (ASC_OPTIMIZE_LEVEL == 0) return;
  let base = load<u32>(fp + load<u32>(pc, 8)), off = load<u32>(pc, 12);
  store<u64>(fp + load<u32>(pc, 4), widened<T, R>(load<T>(memBase + <usize>(base + off))));
}

/** The T at the store's address (address slot +4, offset +12) is in bounds. */
@inline function storeFits<T>(pc: usize, fp: usize, memBase: usize, memBytes: u32): bool {
  if (ASC_OPTIMIZE_LEVEL == 0) return deviceMemOp(pc, fp, memBase, memBytes);
  return fits(load<u32>(fp + load<u32>(pc, 4)), load<u32>(pc, 12), sizeof<T>(), memBytes);
}

/** Store of a T (address slot +4, value slot +8, offset +12), after storeFits. */
@inline function storeOp<T>(pc: usize, fp: usize, memBase: usize): void {
  if (ASC_OPTIMIZE_LEVEL == 0) return;
  let base = load<u32>(fp + load<u32>(pc, 4)), off = load<u32>(pc, 12);
  store<T>(memBase + <usize>(base + off), load<T>(fp + load<u32>(pc, 8)));
}

/** The fused load's address base ((x << shift) + imm: x +8, imm +12, shift +20), wrapping at 32 bits as i32.shl/add do. */
@inline function loadAddBase(pc: usize, fp: usize): u32 {
  return (load<u32>(fp + load<u32>(pc, 8)) << load<u32>(pc, 20)) + load<u32>(pc, 12);
}

/** The T at the fused load's address (base as loadAddBase, offset +16) is in bounds. */
@inline function loadAddFits<T>(pc: usize, fp: usize, memBase: usize, memBytes: u32): bool {
  if (ASC_OPTIMIZE_LEVEL == 0) return deviceMemOp(pc, fp, memBase, memBytes);
  return fits(loadAddBase(pc, fp), load<u32>(pc, 16), sizeof<T>(), memBytes);
}

/** Load of a T at ((x << shift) + imm) + offset (dst +4, x +8, imm +12, offset +16, shift +20), after loadAddFits. */
@inline function loadAddOp<T, R>(pc: usize, fp: usize, memBase: usize): void {
  if (ASC_OPTIMIZE_LEVEL == 0) return;
  let base = loadAddBase(pc, fp), off = load<u32>(pc, 16);
  store<u64>(fp + load<u32>(pc, 4), widened<T, R>(load<T>(memBase + <usize>(base + off))));
}

/**
 * Store of the low `size` bytes of `v` at ((x << shift) + imm) + offset (x
 * +4, imm +8, offset +12, shift +16, size +20; StoreAdd's value slot or
 * StoreKAdd's constant at +24, `vp` points at it); false if out of bounds.
 */
@inline function storeAddOp(pc: usize, fp: usize, memBase: usize, memBytes: u32, vp: usize): bool {
  let base: u32 = (load<u32>(fp + load<u32>(pc, 4)) << load<u32>(pc, 16)) + load<u32>(pc, 8); // wraps at 32 bits, as i32.shl/add do
  let off = load<u32>(pc, 12);
  let size = load<u32>(pc, 20);
  // byte stores first (the kernels' fills and tables), each width reading only its bytes of the value
  if (size == 1) {
    if (!fits(base, off, 1, memBytes)) return false;
    store<u8>(memBase + <usize>(base + off), load<u8>(vp));
    return true;
  }
  if (!fits(base, off, size, memBytes)) return false;
  let p = memBase + <usize>(base + off);
  if (size == 4) store<u32>(p, load<u32>(vp));
  else if (size == 8) store<u64>(p, load<u64>(vp));
  else store<u16>(p, load<u16>(vp));
  return true;
}
