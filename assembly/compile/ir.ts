// The internal code ("IR"): what compile/ produces and exec/ runs.
//
// A function's code is a sequence of 32-bit words. Word 0 of each op is its
// IR opcode; the rest are operands. Value operands are *slot offsets*:
// byte offsets from the frame pointer `fp`, so the loop reads an operand as
// `load<T>(fp + operand)` with no push/pop and no stack pointer.
//
//   frame (8-byte slots, fp at the first parameter):
//   fp+0                 fp+localsBytes                     fp+frameBytes
//   | params | locals    | operand stack slot 0 | 1 | ...   |
//
// The compiler knows the operand-stack height at every instruction, so the
// value at height h lives at slot `localsBytes + 8*h`. A call places the
// arguments at the caller's top slots and the callee's frame begins there,
// so arguments are never copied; results come back in the same place.
//
// Jump targets are byte offsets from the start of the module's code. Every
// basic block starts with a Fuel op charging the whole block (docs/fuel.md).
//
// Numeric, load and store ops keep the Wasm opcode's order: IR op =
// base + (wasm opcode - first wasm opcode of the range), so a range maps
// with one subtraction.

// The op numbers (the Ir enum) and each op's operand layout are generated
// from the tables in scripts/isa/ (ir-ops.ts, operands.ts); this file keeps
// what the compiler needs on top: the Wasm-opcode-to-range mappings.
import { Ir } from "./ir-ops";
import { opWords, opLength } from "./operands";
export { Ir };

/**
 * The ImmBase form of i32 binary op `wasmOp` (hasImmForm(wasmOp) must hold,
 * and not le/ge, which `immCompare` rewrites first): the 17 forms are dense.
 */
export function immOp(wasmOp: u32): u32 {
  if (wasmOp <= 0x4B) return <u32>Ir.ImmBase + wasmOp - 0x46;       // eq .. gt_u:  0..5
  if (wasmOp <= 0x6C) return <u32>Ir.ImmBase + 6 + wasmOp - 0x6A;   // add sub mul: 6..8
  return <u32>Ir.ImmBase + 9 + wasmOp - 0x71;                        // and .. rotr: 9..16
}

/** Number of ImmBase forms that are compares (eq ne lt_s lt_u gt_s gt_u, in Wasm's order). */
export const IMM_COMPARES: u32 = 6;

/**
 * `x <= k` as `x < k + 1` and `x >= k` as `x > k - 1` (le/ge have no ImmBase
 * form): the compare op (0x46..0x4B) for `wasmOp` against `k`, the new
 * constant in the high 32 bits; 0 where k is the end of the range (always
 * true: the caller keeps the two-slot form). Other ops come back unchanged.
 */
export function immCompare(wasmOp: u32, k: u32): u64 {
  switch (wasmOp) {
    case 0x4C: return k == 0x7FFFFFFF ? 0 : (<u64>(k + 1) << 32) | 0x48; // le_s: lt_s k+1
    case 0x4D: return k == 0xFFFFFFFF ? 0 : (<u64>(k + 1) << 32) | 0x49; // le_u: lt_u k+1
    case 0x4E: return k == 0x80000000 ? 0 : (<u64>(k - 1) << 32) | 0x4A; // ge_s: gt_s k-1
    case 0x4F: return k == 0 ? 0 : (<u64>(k - 1) << 32) | 0x4B;          // ge_u: gt_u k-1
  }
  return (<u64>k << 32) | wasmOp;
}

/** i32 binary Wasm ops that have an ImmBase form (no traps, no special cases). */
export function hasImmForm(wasmOp: u32): bool {
  return (wasmOp >= 0x46 && wasmOp <= 0x4F) || (wasmOp >= 0x6A && wasmOp <= 0x6C) || (wasmOp >= 0x71 && wasmOp <= 0x78);
}

/** The i32 comparison that is true exactly when `wasmOp` (0x46..0x4F) is false. */
export function negateCmp(wasmOp: u32): u32 {
  switch (wasmOp) {
    case 0x46: return 0x47; case 0x47: return 0x46;   // eq, ne
    case 0x48: return 0x4E; case 0x4E: return 0x48;   // lt_s, ge_s
    case 0x49: return 0x4F; case 0x4F: return 0x49;   // lt_u, ge_u
    case 0x4A: return 0x4C; case 0x4C: return 0x4A;   // gt_s, le_s
    case 0x4B: return 0x4D; case 0x4D: return 0x4B;   // gt_u, le_u
  }
  return wasmOp;
}

/** Fixed words of op `op` (operands.ts; BrTable's targets come on top, see irLength). */
export function irWords(op: u32): u32 {
  let w = opWords(op);
  return w != 0 ? w : 1;
}

/** Words of the op starting at word `pos` of compiled (trusted) `code`, BrTable targets included. */
export function irLength(code: StaticArray<u32>, pos: i32): u32 {
  return opLength(code, <u32>pos);
}

/** True for the numeric Wasm opcodes (0x45..0xC4) that take one operand. */
export function numIsUnary(wasmOp: u32): bool {
  if (wasmOp == 0x45 || wasmOp == 0x50) return true;            // eqz
  if (wasmOp >= 0x67 && wasmOp <= 0x69) return true;            // i32 clz ctz popcnt
  if (wasmOp >= 0x79 && wasmOp <= 0x7B) return true;            // i64 clz ctz popcnt
  if (wasmOp >= 0x8B && wasmOp <= 0x91) return true;            // f32 abs..sqrt
  if (wasmOp >= 0x99 && wasmOp <= 0x9F) return true;            // f64 abs..sqrt
  if (wasmOp >= 0xA7) return true;                              // conversions, extends
  return false;
}

/** Version of this encoding; snapshots record it (compiled code is derived, never stored). */
export const IR_VERSION: u32 = 23;

// F64MulLoads (docs/internal-code.md, "Products of loads"). Its meta word:
// bits 0-4 the first load's shift, 5-9 the second's, bit 10 MULLOADS_ADD
// (the c slot is added to the product), bits 11-31 the second load's Wasm
// offset minus the first's (a trap in it reports that instruction). Its
// refunds word: the fuel of the op's own instructions after the first load
// (bits 0-15; given back when that load traps) and after the second (16-31).
export const MULLOADS_ADD: u32 = 1 << 10;
export const MULLOADS_WASM_SHIFT: u32 = 11;
