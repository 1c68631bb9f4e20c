// Bulk memory and table operations, bounded by fuel (docs/fuel.md, "Bulk
// operations"). Each charges, beyond its own cost in the block, a per-unit
// amount compiled into its last operand word (0 in unmetered code): per 64
// bytes started for memory.fill/copy/init, per element for the table ops.
//
// The whole range is checked first (the spec: trap before writing
// anything). Then the op does as many units as the fuel covers; if that is
// not all, it writes its advanced (d, s, n) back to its own operand slots
// (the compiler gives bulk ops temporary slots, never a local's) and the
// loop stops with pc at the same op. Running the op again continues where
// it stopped, so a sliced or snapshotted run does what one run does, and
// the units charged add up to the same total.
//
// One function serves the six ops, called from one case of the dispatch
// loop (flash is scarce on the device build; bulk ops are not hot).

import { MemoryInst, TableInst, NO_MAX, Instance, theStore } from "../runtime/store";
import { CompiledModule } from "../compile/compiled";
import { Ir } from "../compile/ir";
import { arrayAt, staticAt } from "./elem";
import { limits } from "../runtime/limits";

/** What a bulk op's step did: all that was left, a part (then out of fuel), or nothing (out of bounds). */
export const enum Bulk { Done = 0, OutOfFuel = 1, MemoryTrap = 2, TableTrap = 3 }

// The planned step (out-parameters: AssemblyScript has one return value).
/** Fuel left after the step. */
export let bulkFuel: i64 = 0;
/** Where the step starts in the destination and the source, and how many elements (bytes) it does. */
export let bulkD: usize = 0;
export let bulkS: usize = 0;
export let bulkK: usize = 0;

/** How many of `units` the fuel pays for at `unit` each; sets bulkFuel. */
@inline function affordable(units: u64, unit: u32, fuel: i64): u64 {
  if (unit == 0) { bulkFuel = fuel; return units; }
  let can = <u64>fuel / <u64>unit;
  if (can > units) can = units;
  bulkFuel = fuel - <i64>(can * <u64>unit);
  return can;
}

@inline function put(p: usize, v: u64): void { store<u64>(p, <u64><u32>v); }

/**
 * Plans the next step of a bulk op whose operands d, s (0 = none: a fill)
 * and n are in the slots at `dp`, `sp`, `np`: checks the whole range against
 * `dLimit`/`sLimit` (elements; no source: sLimit unused), pays `unit` per 2^`chunkShift` elements
 * started, and if the fuel does not cover all of it, writes the rest back
 * to the slots. `fromEnd` (a copy with d > s) takes the step from the end,
 * so that overlapping parts move right. The caller then moves bulkK
 * elements from bulkS to bulkD.
 */
function bulkPlan(dp: usize, sp: usize, np: usize, dLimit: u64, sLimit: u64, unit: u32, chunkShift: u32, copy: bool, fuel: i64): Bulk {
  let d = <u64>load<u32>(dp);
  let s: u64 = sp != 0 ? <u64>load<u32>(sp) : 0;
  let n = <u64>load<u32>(np);
  bulkFuel = fuel;
  if (d + n > dLimit || (sp != 0 && s + n > sLimit)) return Bulk.MemoryTrap;
  let k = affordable((n + (<u64>1 << chunkShift) - 1) >> chunkShift, unit, fuel) << chunkShift;
  if (k >= n) { bulkD = <usize>d; bulkS = <usize>s; bulkK = <usize>n; return Bulk.Done; }
  bulkK = <usize>k;
  if (copy && d > s) {
    bulkD = <usize>(d + n - k); bulkS = <usize>(s + n - k);
  } else {
    bulkD = <usize>d; bulkS = <usize>s;
    put(dp, d + k);
    if (sp != 0) put(sp, s + k);
  }
  put(np, n - k);
  return Bulk.OutOfFuel;
}

const CHUNK: u32 = 6; // memory bulk ops pay per 64 bytes (docs/fuel.md)

/** Bytes of the bulk op just run (bulkOp): how far pc moves when it is done. */
export let bulkLen: usize = 0;

@inline function tableAt(inst: Instance, pc: usize, off: usize): TableInst {
  return arrayAt(theStore.tables, staticAt(inst.tableAddrs, load<u32>(pc + off)));
}

/**
 * Runs one step of the bulk op at `pc` (MemoryFill .. TableInit): checks
 * its whole range, does what `fuel` pays for. Each op ends in the same four
 * words, so one plan serves all:
 *   MemoryFill d, val, n, unit                 MemoryCopy d, s, n, unit
 *   MemoryInit data, d, s, n, unit             TableFill  table, i, val, n, unit
 *   TableCopy  dstTable, srcTable, d, s, n, unit
 *   TableInit  table, elem, d, s, n, unit
 */
export function bulkOp(op: u32, pc: usize, fp: usize, inst: Instance, cm: CompiledModule, memBase: usize, memBytes: u64, fuel: i64): Bulk {
  let len: usize = op == Ir.MemoryFill || op == Ir.MemoryCopy ? 20 : op <= <u32>Ir.MemoryInit || op == Ir.TableFill ? 24 : 28;
  bulkLen = len;
  let end = pc + len;
  let dp = fp + load<u32>(end - 16);
  let sp = fp + load<u32>(end - 12);   // a fill's value
  let np = fp + load<u32>(end - 8);
  let fill = op == Ir.MemoryFill || op == Ir.TableFill;
  let memOp = op <= <u32>Ir.MemoryInit;
  // destination and source: base address and size in elements (bytes, or 8-byte references)
  let dBase = memBase, dSize = memBytes;
  let sBase = memBase, sSize = memBytes;
  if (!memOp) {
    let t = tableAt(inst, pc, 4);
    dBase = t.elems; dSize = <u64>t.size;
    sBase = dBase; sSize = dSize;
    if (op == Ir.TableCopy) { t = tableAt(inst, pc, 8); sBase = t.elems; sSize = <u64>t.size; }
  }
  if (op == Ir.MemoryInit) {
    let seg = load<u32>(pc, 4);
    let data = arrayAt(cm.module.datas, seg);
    sBase = cm.module.base + data.dataStart;
    sSize = staticAt(inst.droppedDatas, seg) ? 0 : <u64>data.dataLen;
  } else if (op == Ir.TableInit) {
    let seg = load<u32>(pc, 8);
    let refs = arrayAt(inst.elemRefs, seg);
    sBase = changetype<usize>(refs);
    sSize = staticAt(inst.droppedElems, seg) ? 0 : <u64>refs.length;
  }
  let r = bulkPlan(dp, fill ? 0 : sp, np, dSize, sSize, load<u32>(end - 4), memOp ? CHUNK : 0, op == Ir.MemoryCopy || op == Ir.TableCopy, fuel);
  if (r > Bulk.OutOfFuel) return memOp ? r : Bulk.TableTrap;
  if (memOp) {
    if (fill) memory.fill(dBase + bulkD, load<u8>(sp), bulkK);
    else memory.copy(dBase + bulkD, sBase + bulkS, bulkK);
  } else if (fill) {
    let v = load<u64>(sp);
    for (let p = dBase + (bulkD << 3), e = p + (bulkK << 3); p < e; p += 8) store<u64>(p, v);
  } else {
    memory.copy(dBase + (bulkD << 3), sBase + (bulkS << 3), bulkK << 3);
  }
  return r;
}

/**
 * Pays memory.grow / table.grow as the fuel comes: the op's delta slot (a
 * temporary, see the compiler's popBulk) keeps the delta in its low half and
 * the fuel already paid in its high half, so a grow that costs more than one
 * run's fuel (a page is 1,024 by default, more than many slices) still gets
 * done. The price is delta * unit, at most 2^32 - 1. True when all is paid
 * (grow now); false when the fuel ran out first (stop at the op, fuel 0).
 * Sets bulkFuel.
 */
export function payGrow(deltaSlot: usize, unit: u32, fuel: i64): bool {
  let price = <u64>load<u32>(deltaSlot) * <u64>unit;
  if (price > 0xFFFFFFFF) price = 0xFFFFFFFF;
  let paid = <u64>load<u32>(deltaSlot, 4);
  if (paid > price) paid = price; // a restored slot: never pay less than nothing
  let rest = price - paid;
  if (<u64>fuel >= rest) { bulkFuel = fuel - <i64>rest; return true; }
  store<u32>(deltaSlot, <u32>(paid + <u64>fuel), 4);
  bulkFuel = 0;
  return false;
}

/** Would memory.grow by `delta` fail on the memory's own limits (before any allocation)? */
export function memoryGrowRefused(m: MemoryInst, delta: u32): bool {
  let want = <u64>m.pages + <u64>delta;
  return want > 65536 || (m.max != NO_MAX && want > <u64>m.max) || want > <u64>limits.maxPagesPerMemory;
}

/** Would table.grow by `delta` fail on the table's own limits? */
export function tableGrowRefused(t: TableInst, delta: u32): bool {
  let want = <u64>t.size + <u64>delta;
  return want > 0xFFFFFFFF || (t.max != NO_MAX && want > <u64>t.max) || want > <u64>limits.maxTableElems;
}
