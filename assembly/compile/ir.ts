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
  Call = 9,              // infoOff, argOff        (infoOff = definedFuncIdx * funcInfo bytes)
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

  LoadBase = 33,         // +(op-0x28), 14 ops: dst, addr, offset
  StoreBase = 47,        // +(op-0x36), 9 ops:  addr, val, offset
  NumBase = 57,          // +(op-0x45), 128 ops: unary dst, a | binary dst, a, b
  SatBase = 185,         // +(0xFC sub 0..7), 8 ops: dst, a

  // Fused forms (compile/compiler.ts picks them; semantics as the Wasm ops).
  ImmBase = 193,         // +immIndex(op), 21 ops: i32 binary op with a constant right operand: dst, a, imm
  JumpCmpBase = 214,     // +(op-0x46), i32 compare then branch if true: a, b, target
  JumpCmpImmBase = 224,  // +(op-0x46), the same against a constant: a, imm, target
  LoadAddBase = 234,     // +(op-0x28), load from ((a << shift) + imm, wrapping at 32 bits) + offset: dst, a, imm, offset, shift

  Copy2 = 248,           // dst1, src1, dst2, src2   (two copies in order: a Copy right after a Copy)
  I32AddShl = 249,       // dst, a, b, k              (a + (b << k), i32)
  I32XorRotr = 250,      // dst, a, b, k              (a ^ rotr(b, k), i32)

  Count = 251,           // at most 256: the loop dispatches on the op word's low byte

  // ---- every ranged op by name (the dispatch loop's case labels: literal
  // constants keep its switch one jump table; see docs/internal-code.md)
  // LoadBase + (op - 0x28)
  I32Load = LoadBase + 0,
  I64Load = LoadBase + 1,
  F32Load = LoadBase + 2,
  F64Load = LoadBase + 3,
  I32Load8S = LoadBase + 4,
  I32Load8U = LoadBase + 5,
  I32Load16S = LoadBase + 6,
  I32Load16U = LoadBase + 7,
  I64Load8S = LoadBase + 8,
  I64Load8U = LoadBase + 9,
  I64Load16S = LoadBase + 10,
  I64Load16U = LoadBase + 11,
  I64Load32S = LoadBase + 12,
  I64Load32U = LoadBase + 13,

  // StoreBase + (op - 0x36)
  I32Store = StoreBase + 0,
  I64Store = StoreBase + 1,
  F32Store = StoreBase + 2,
  F64Store = StoreBase + 3,
  I32Store8 = StoreBase + 4,
  I32Store16 = StoreBase + 5,
  I64Store8 = StoreBase + 6,
  I64Store16 = StoreBase + 7,
  I64Store32 = StoreBase + 8,

  // NumBase + (op - 0x45)
  I32Eqz = NumBase + 0,
  I32Eq = NumBase + 1,
  I32Ne = NumBase + 2,
  I32LtS = NumBase + 3,
  I32LtU = NumBase + 4,
  I32GtS = NumBase + 5,
  I32GtU = NumBase + 6,
  I32LeS = NumBase + 7,
  I32LeU = NumBase + 8,
  I32GeS = NumBase + 9,
  I32GeU = NumBase + 10,
  I64Eqz = NumBase + 11,
  I64Eq = NumBase + 12,
  I64Ne = NumBase + 13,
  I64LtS = NumBase + 14,
  I64LtU = NumBase + 15,
  I64GtS = NumBase + 16,
  I64GtU = NumBase + 17,
  I64LeS = NumBase + 18,
  I64LeU = NumBase + 19,
  I64GeS = NumBase + 20,
  I64GeU = NumBase + 21,
  F32Eq = NumBase + 22,
  F32Ne = NumBase + 23,
  F32Lt = NumBase + 24,
  F32Gt = NumBase + 25,
  F32Le = NumBase + 26,
  F32Ge = NumBase + 27,
  F64Eq = NumBase + 28,
  F64Ne = NumBase + 29,
  F64Lt = NumBase + 30,
  F64Gt = NumBase + 31,
  F64Le = NumBase + 32,
  F64Ge = NumBase + 33,
  I32Clz = NumBase + 34,
  I32Ctz = NumBase + 35,
  I32Popcnt = NumBase + 36,
  I32Add = NumBase + 37,
  I32Sub = NumBase + 38,
  I32Mul = NumBase + 39,
  I32DivS = NumBase + 40,
  I32DivU = NumBase + 41,
  I32RemS = NumBase + 42,
  I32RemU = NumBase + 43,
  I32And = NumBase + 44,
  I32Or = NumBase + 45,
  I32Xor = NumBase + 46,
  I32Shl = NumBase + 47,
  I32ShrS = NumBase + 48,
  I32ShrU = NumBase + 49,
  I32Rotl = NumBase + 50,
  I32Rotr = NumBase + 51,
  I64Clz = NumBase + 52,
  I64Ctz = NumBase + 53,
  I64Popcnt = NumBase + 54,
  I64Add = NumBase + 55,
  I64Sub = NumBase + 56,
  I64Mul = NumBase + 57,
  I64DivS = NumBase + 58,
  I64DivU = NumBase + 59,
  I64RemS = NumBase + 60,
  I64RemU = NumBase + 61,
  I64And = NumBase + 62,
  I64Or = NumBase + 63,
  I64Xor = NumBase + 64,
  I64Shl = NumBase + 65,
  I64ShrS = NumBase + 66,
  I64ShrU = NumBase + 67,
  I64Rotl = NumBase + 68,
  I64Rotr = NumBase + 69,
  F32Abs = NumBase + 70,
  F32Neg = NumBase + 71,
  F32Ceil = NumBase + 72,
  F32Floor = NumBase + 73,
  F32Trunc = NumBase + 74,
  F32Nearest = NumBase + 75,
  F32Sqrt = NumBase + 76,
  F32Add = NumBase + 77,
  F32Sub = NumBase + 78,
  F32Mul = NumBase + 79,
  F32Div = NumBase + 80,
  F32Min = NumBase + 81,
  F32Max = NumBase + 82,
  F32Copysign = NumBase + 83,
  F64Abs = NumBase + 84,
  F64Neg = NumBase + 85,
  F64Ceil = NumBase + 86,
  F64Floor = NumBase + 87,
  F64Trunc = NumBase + 88,
  F64Nearest = NumBase + 89,
  F64Sqrt = NumBase + 90,
  F64Add = NumBase + 91,
  F64Sub = NumBase + 92,
  F64Mul = NumBase + 93,
  F64Div = NumBase + 94,
  F64Min = NumBase + 95,
  F64Max = NumBase + 96,
  F64Copysign = NumBase + 97,
  I32WrapI64 = NumBase + 98,
  I32TruncF32S = NumBase + 99,
  I32TruncF32U = NumBase + 100,
  I32TruncF64S = NumBase + 101,
  I32TruncF64U = NumBase + 102,
  I64ExtendI32S = NumBase + 103,
  I64ExtendI32U = NumBase + 104,
  I64TruncF32S = NumBase + 105,
  I64TruncF32U = NumBase + 106,
  I64TruncF64S = NumBase + 107,
  I64TruncF64U = NumBase + 108,
  F32ConvertI32S = NumBase + 109,
  F32ConvertI32U = NumBase + 110,
  F32ConvertI64S = NumBase + 111,
  F32ConvertI64U = NumBase + 112,
  F32DemoteF64 = NumBase + 113,
  F64ConvertI32S = NumBase + 114,
  F64ConvertI32U = NumBase + 115,
  F64ConvertI64S = NumBase + 116,
  F64ConvertI64U = NumBase + 117,
  F64PromoteF32 = NumBase + 118,
  I32ReinterpretF32 = NumBase + 119,
  I64ReinterpretF64 = NumBase + 120,
  F32ReinterpretI32 = NumBase + 121,
  F64ReinterpretI64 = NumBase + 122,
  I32Extend8S = NumBase + 123,
  I32Extend16S = NumBase + 124,
  I64Extend8S = NumBase + 125,
  I64Extend16S = NumBase + 126,
  I64Extend32S = NumBase + 127,

  // SatBase + sub-opcode
  I32TruncSatF32S = SatBase + 0,
  I32TruncSatF32U = SatBase + 1,
  I32TruncSatF64S = SatBase + 2,
  I32TruncSatF64U = SatBase + 3,
  I64TruncSatF32S = SatBase + 4,
  I64TruncSatF32U = SatBase + 5,
  I64TruncSatF64S = SatBase + 6,
  I64TruncSatF64U = SatBase + 7,

  // ImmBase + immIndex(op): the i32 op with a constant right operand
  I32EqImm = ImmBase + 0,
  I32NeImm = ImmBase + 1,
  I32LtSImm = ImmBase + 2,
  I32LtUImm = ImmBase + 3,
  I32GtSImm = ImmBase + 4,
  I32GtUImm = ImmBase + 5,
  I32LeSImm = ImmBase + 6,
  I32LeUImm = ImmBase + 7,
  I32GeSImm = ImmBase + 8,
  I32GeUImm = ImmBase + 9,
  I32AddImm = ImmBase + 10,
  I32SubImm = ImmBase + 11,
  I32MulImm = ImmBase + 12,
  I32AndImm = ImmBase + 13,
  I32OrImm = ImmBase + 14,
  I32XorImm = ImmBase + 15,
  I32ShlImm = ImmBase + 16,
  I32ShrSImm = ImmBase + 17,
  I32ShrUImm = ImmBase + 18,
  I32RotlImm = ImmBase + 19,
  I32RotrImm = ImmBase + 20,

  // JumpCmpBase + (op - 0x46): compare, jump if true
  JumpI32Eq = JumpCmpBase + 0,
  JumpI32Ne = JumpCmpBase + 1,
  JumpI32LtS = JumpCmpBase + 2,
  JumpI32LtU = JumpCmpBase + 3,
  JumpI32GtS = JumpCmpBase + 4,
  JumpI32GtU = JumpCmpBase + 5,
  JumpI32LeS = JumpCmpBase + 6,
  JumpI32LeU = JumpCmpBase + 7,
  JumpI32GeS = JumpCmpBase + 8,
  JumpI32GeU = JumpCmpBase + 9,

  // JumpCmpImmBase + (op - 0x46)
  JumpI32EqImm = JumpCmpImmBase + 0,
  JumpI32NeImm = JumpCmpImmBase + 1,
  JumpI32LtSImm = JumpCmpImmBase + 2,
  JumpI32LtUImm = JumpCmpImmBase + 3,
  JumpI32GtSImm = JumpCmpImmBase + 4,
  JumpI32GtUImm = JumpCmpImmBase + 5,
  JumpI32LeSImm = JumpCmpImmBase + 6,
  JumpI32LeUImm = JumpCmpImmBase + 7,
  JumpI32GeSImm = JumpCmpImmBase + 8,
  JumpI32GeUImm = JumpCmpImmBase + 9,

  // LoadAddBase + (op - 0x28)
  I32LoadAdd = LoadAddBase + 0,
  I64LoadAdd = LoadAddBase + 1,
  F32LoadAdd = LoadAddBase + 2,
  F64LoadAdd = LoadAddBase + 3,
  I32Load8SAdd = LoadAddBase + 4,
  I32Load8UAdd = LoadAddBase + 5,
  I32Load16SAdd = LoadAddBase + 6,
  I32Load16UAdd = LoadAddBase + 7,
  I64Load8SAdd = LoadAddBase + 8,
  I64Load8UAdd = LoadAddBase + 9,
  I64Load16SAdd = LoadAddBase + 10,
  I64Load16UAdd = LoadAddBase + 11,
  I64Load32SAdd = LoadAddBase + 12,
  I64Load32UAdd = LoadAddBase + 13,
}

/** The ImmBase form of i32 binary op `wasmOp` (hasImmForm(wasmOp) must hold): the 21 forms are dense. */
export function immOp(wasmOp: u32): u32 {
  if (wasmOp <= 0x4F) return <u32>Ir.ImmBase + wasmOp - 0x46;       // eq .. ge_u:  0..9
  if (wasmOp <= 0x6C) return <u32>Ir.ImmBase + 10 + wasmOp - 0x6A;  // add sub mul: 10..12
  return <u32>Ir.ImmBase + 13 + wasmOp - 0x71;                       // and .. rotr: 13..20
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
  if (op >= <u32>Ir.LoadBase && op < <u32>Ir.NumBase) return 4;                  // loads, stores
  if (op >= <u32>Ir.NumBase && op < <u32>Ir.SatBase) return numIsUnary(op - Ir.NumBase + 0x45) ? 3 : 4;
  if (op >= <u32>Ir.SatBase && op < <u32>Ir.ImmBase) return 3;
  if (op >= <u32>Ir.ImmBase && op < <u32>Ir.LoadAddBase) return 4;                 // imm, jump-compare
  if (op >= <u32>Ir.LoadAddBase && op < <u32>Ir.LoadAddBase + 14) return 6;
  switch (op) {
    case Ir.Unreachable: case Ir.Nop: case Ir.Halt: return 1;
    case Ir.Jump: case Ir.MemorySize: case Ir.DataDrop: case Ir.ElemDrop: return 2;
    case Ir.Fuel: case Ir.JumpIf: case Ir.JumpIfNot: case Ir.Return: case Ir.Call: case Ir.CallImport:
    case Ir.Copy: case Ir.GlobalGet: case Ir.GlobalSet: case Ir.MemoryGrow: case Ir.TableSize:
    case Ir.RefIsNull: case Ir.RefFunc: return 3;
    case Ir.Const: case Ir.MemoryFill: case Ir.MemoryCopy: case Ir.TableGet: case Ir.TableSet: return 4;
    case Ir.Select: case Ir.CallIndirect: case Ir.MemoryInit: case Ir.TableGrow: case Ir.TableFill:
    case Ir.Copy2: case Ir.I32AddShl: case Ir.I32XorRotr: return 5;
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
export const IR_VERSION: u32 = 7;
