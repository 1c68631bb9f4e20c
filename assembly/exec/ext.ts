// The loop's way into the extension ops' second-level dispatch (exec/ext-ops.ts,
// generated; docs/internal-code.md "Ops past 256").
//
// extOp is called through the function table, with its index read from memory
// at run time: binaryen inlines a function that has one caller whatever its
// size, and with SIMD's 256 cases in it, extOp inlined into the dispatch loop
// made the core kernels run 0.3-4.7% more instructions (cachegrind, native:
// the loop's registers spilled around a switch it never takes). An index in
// memory is one binaryen cannot fold back into a direct call, and gcc cannot
// see through wasm2c's call_indirect either. A core op pays nothing for it;
// an extension op pays one load and one indirect call.

import { EXT_ON } from "../binary/ext-ops";
import { extOp } from "./ext-ops";

const HANDLER: usize = EXT_ON ? memory.data(4) : 0;
if (EXT_ON) store<u32>(HANDLER, extOp.index);

/** Runs the extension op at pc: its length in bytes, or -trap (extOp). */
@inline export function extCall(pc: usize, fp: usize, memBase: usize, memBytes: u64, globalCells: usize): i32 {
  return call_indirect<i32>(load<u32>(HANDLER), pc, fp, memBase, memBytes, globalCells);
}
