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
// with one subtraction and the table below stays short.

export const enum Ir {
  //                        layout (words after the opcode)
  Unreachable = 0,       // -
  Nop = 1,               // -                     (carries fuel of instructions with no code)
  Fuel = 2,              // cost, sideIndex       (block entry: charge cost or go slow)
  Halt = 3,              // -                     (temporarily patched in: out of fuel here)
  Jump = 4,              // target
  JumpIf = 5,            // cond, target          (jump if i32 cond != 0)
  JumpIfNot = 6,         // cond, target
  BrTable = 7,           // index, n, target*n, default target
  Return = 8,            // src, n                (copy n slots from fp+src to fp+0, pop frame)
  Call = 9,              // definedFuncIdx, argOff
  CallImport = 10,       // importedFuncIdx, argOff
  CallIndirect = 11,     // canonTypeId, tableIdx, argOff, indexSlot
  Copy = 12,             // dst, src              (8 bytes)
  Const = 13,            // dst, lo, hi
  Select = 14,           // dst, a, b, cond
  GlobalGet = 15,        // dst, globalIdx
  GlobalSet = 16,        // globalIdx, src
  MemorySize = 17,       // dst
  MemoryGrow = 18,       // dst, delta
  MemoryFill = 19,       // d, val, n
  MemoryCopy = 20,       // d, s, n
  MemoryInit = 21,       // dataIdx, d, s, n
  DataDrop = 22,         // dataIdx
  TableGet = 23,         // dst, tableIdx, index
  TableSet = 24,         // tableIdx, index, val
  TableSize = 25,        // dst, tableIdx
  TableGrow = 26,        // dst, tableIdx, init, delta
  TableFill = 27,        // tableIdx, i, val, n
  TableCopy = 28,        // dstTable, srcTable, d, s, n
  TableInit = 29,        // tableIdx, elemIdx, d, s, n
  ElemDrop = 30,         // elemIdx
  RefIsNull = 31,        // dst, a
  RefFunc = 32,          // dst, funcIdx

  LoadBase = 40,         // +(op-0x28), 14 ops: dst, addr, offset
  StoreBase = 54,        // +(op-0x36), 9 ops:  addr, val, offset
  NumBase = 64,          // +(op-0x45), 128 ops: unary dst, a | binary dst, a, b
  SatBase = 192,         // +(0xFC sub 0..7), 8 ops: dst, a

  // Fused forms (compile/compiler.ts picks them; semantics as the Wasm ops).
  ImmBase = 200,         // +(op-0x46), i32 binary op with a constant right operand: dst, a, imm
  JumpCmpBase = 251,     // +(op-0x46), i32 compare then branch if true: a, b, target
  JumpCmpImmBase = 261,  // +(op-0x46), the same against a constant: a, imm, target
  LoadAddBase = 271,     // +(op-0x28), load from (a + imm, wrapping at 32 bits) + offset: dst, a, imm, offset

  Count = 285,
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

/** Words of an op with a fixed layout (BrTable is variable: 3 + n + 1). */
export function irWords(op: u32): u32 {
  if (op >= <u32>Ir.NumBase && op < <u32>Ir.SatBase) return numIsUnary(op - Ir.NumBase + 0x45) ? 3 : 4;
  if (op >= <u32>Ir.LoadAddBase) return 5;
  if (op >= <u32>Ir.ImmBase) return 4;
  if (op >= <u32>Ir.SatBase) return 3;
  if (op >= <u32>Ir.LoadBase) return 4;
  switch (op) {
    case Ir.Unreachable: case Ir.Nop: case Ir.Halt: return 1;
    case Ir.Jump: case Ir.MemorySize: case Ir.DataDrop: case Ir.ElemDrop: return 2;
    case Ir.Fuel: case Ir.JumpIf: case Ir.JumpIfNot: case Ir.Return: case Ir.Call: case Ir.CallImport:
    case Ir.Copy: case Ir.GlobalGet: case Ir.GlobalSet: case Ir.MemoryGrow: case Ir.TableSize:
    case Ir.RefIsNull: case Ir.RefFunc: return 3;
    case Ir.Const: case Ir.MemoryFill: case Ir.MemoryCopy: case Ir.TableGet: case Ir.TableSet: return 4;
    case Ir.Select: case Ir.CallIndirect: case Ir.MemoryInit: case Ir.TableGrow: case Ir.TableFill: return 5;
    case Ir.TableCopy: case Ir.TableInit: return 6;
  }
  return 1;
}

/** Words of the op starting at word `pos` of `code` (handles BrTable). */
export function irLength(code: StaticArray<u32>, pos: i32): u32 {
  let op = code[pos];
  if (op == <u32>Ir.BrTable) return 4 + code[pos + 2];
  return irWords(op);
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
export const IR_VERSION: u32 = 1;
