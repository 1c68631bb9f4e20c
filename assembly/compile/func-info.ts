// The function table of a compiled module (CompiledModule.funcInfo): one
// record of FUNC_INFO_WORDS u32 words per defined function, in function
// order. A Call op names its callee by the record's byte offset
// (defined index x FUNC_INFO_BYTES), so the dispatch loop finds it with
// one addition.
//
//   +0   codeOff     byte offset of the function's first op in the code
//   +4   frameBytes  params + locals + max operand stack, in bytes
//   +8   paramBytes
//   +12  localBytes  the non-parameter locals (zeroed on entry)
//   +16  nresults
//   +20  canon       canonical type id (in an image: the module type index)
//   +24  entryCost   fuel of the entry block (0 unmetered): a call pays it inline
//   +28  entryAfter  byte offset of the op after the entry block's Fuel op
//                    (= codeOff unmetered)
//
// Readers take the record's address (`funcInfoAt`); the compiler, images
// and snapshots index the words (`FI_*`).

import { FUNC_INFO_WORDS } from "./compiled";

export const FUNC_INFO_BYTES: u32 = FUNC_INFO_WORDS << 2;

// word indices
export const FI_CODE_OFF: i32 = 0;
export const FI_FRAME_BYTES: i32 = 1;
export const FI_PARAM_BYTES: i32 = 2;
export const FI_LOCAL_BYTES: i32 = 3;
export const FI_NRESULTS: i32 = 4;
export const FI_CANON: i32 = 5;
export const FI_ENTRY_COST: i32 = 6;
export const FI_ENTRY_AFTER: i32 = 7;

/** Address of defined function `defIdx`'s record in a table at `base`. */
@inline export function funcInfoAt(base: usize, defIdx: u32): usize { return base + <usize>defIdx * FUNC_INFO_BYTES; }

@inline export function fiCodeOff(fi: usize): u32 { return load<u32>(fi, FI_CODE_OFF << 2); }
@inline export function fiFrameBytes(fi: usize): u32 { return load<u32>(fi, FI_FRAME_BYTES << 2); }
@inline export function fiParamBytes(fi: usize): u32 { return load<u32>(fi, FI_PARAM_BYTES << 2); }
@inline export function fiLocalBytes(fi: usize): u32 { return load<u32>(fi, FI_LOCAL_BYTES << 2); }
@inline export function fiResultCount(fi: usize): u32 { return load<u32>(fi, FI_NRESULTS << 2); }
@inline export function fiCanon(fi: usize): u32 { return load<u32>(fi, FI_CANON << 2); }
@inline export function fiEntryCost(fi: usize): u32 { return load<u32>(fi, FI_ENTRY_COST << 2); }
@inline export function fiEntryAfter(fi: usize): u32 { return load<u32>(fi, FI_ENTRY_AFTER << 2); }
