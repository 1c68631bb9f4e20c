// The loop's way into the extension ops' second-level dispatch (exec/ext-ops.ts,
// generated; docs/internal-code.md "Ops past 256").
//
// extOp must stay a call, out of the loop's body: binaryen inlines a function
// that has one caller whatever its size (and gcc a static function called
// once), and with SIMD's 256 cases inlined into the dispatch loop the core
// kernels ran 0.3-4.7% more instructions (cachegrind, native: the loop's
// registers spilled around a switch core code never takes). The full build
// therefore also exports it (assembly/index.ts, `ext_op`: not part of the
// ABI): an exported function is used from outside, so binaryen keeps it, and
// wasm2c's export wrapper is its second caller in C. (A table call through a
// memory cell did the same, but the boards' bare wasm2c runtime has no tables.)
// A core op pays nothing; a run of consecutive extension ops pays one direct
// call (extOp runs them all, docs/internal-code.md "Runs of extension ops").

import { EXT_ON } from "../binary/ext-ops";
import { extOp, extTrapPc } from "./ext-ops";

/** Runs the extension ops from pc up to the next core op: their length in bytes, or -trap (extOp). */
@inline export function extCall(pc: usize, fp: usize, memBase: usize, memBytes: u64, globalCells: usize): i32 {
  return EXT_ON ? extOp(pc, fp, memBase, memBytes, globalCells) : -1;
}

/** After extCall returned -trap: the position of the op that trapped. */
@inline export function extTrapAt(): usize { return extTrapPc; }
