// The fuel side table of a compiled module (CompiledModule.side): one
// record per basic block, at the word index the block's Fuel op names
// (its third word), records back to back in code order:
//
//   word s          n          ops in the block
//   word s+1+3k     pcOff      op k: byte offset in the code
//   word s+2+3k     cost       op k: its fuel share (the block's Fuel op
//                              charges the sum of the shares)
//   word s+3+3k     wasmOff    op k: byte offset of its Wasm instruction
//   (k = 0 .. n-1; the next record starts at s + 1 + 3n)
//
// Used off the fast path only: running out of fuel inside a block (pay op
// by op, interp.ts), resuming such a block (state/restore.ts) and trap
// locations (api.ts). The compiler writes it (compile/compiler.ts).

/** Words per op entry. */
export const SIDE_ENTRY_WORDS: i32 = 3;
// word offsets of an op entry's fields
export const SIDE_PC: i32 = 0;
export const SIDE_COST: i32 = 1;
export const SIDE_WASM: i32 = 2;

/** Word index of op `k`'s entry in the record at word `s`. */
@inline export function sideEntry(s: i32, k: i32): i32 { return s + 1 + k * SIDE_ENTRY_WORDS; }
/** Word index of the record after the one at word `s`, which has `n` ops. */
@inline export function sideNext(s: i32, n: i32): i32 { return s + 1 + n * SIDE_ENTRY_WORDS; }

// Readers over the table's memory (`side` = changetype<usize>(cm.side)).
@inline function sideWord(side: usize, i: i32): u32 { return load<u32>(side + (<usize><u32>i << 2)); }
@inline export function sideOpCount(side: usize, s: u32): u32 { return sideWord(side, <i32>s); }
@inline export function sideOpPc(side: usize, s: u32, k: u32): u32 { return sideWord(side, sideEntry(<i32>s, <i32>k) + SIDE_PC); }
@inline export function sideOpCost(side: usize, s: u32, k: u32): u32 { return sideWord(side, sideEntry(<i32>s, <i32>k) + SIDE_COST); }
@inline export function sideOpWasm(side: usize, s: u32, k: u32): u32 { return sideWord(side, sideEntry(<i32>s, <i32>k) + SIDE_WASM); }
