// v128 globals: a GlobalInst's cell holds the lower half at +0 and the upper
// half at +8 (runtime/store.ts), so global.get/set of a v128 move 16 bytes.
// IR-only rows of scripts/isa/simd.mjs; the cell address comes from the
// dispatch (a Global operand's word, verified below the module's count).

import { put } from "./v128";

export function globalGet16(d: usize, cell: usize): void {
  put(d, load<u64>(cell), load<u64>(cell, 8));
}

export function globalSet16(cell: usize, v: usize): void {
  store<u64>(cell, load<u64>(v));
  store<u64>(cell, load<u64>(v, 8), 8);
}
