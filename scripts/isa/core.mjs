// The core instruction set's internal-code ops, one row each (docs/internal-code.md,
// "The instruction set as data"). Row: [name, operand kinds (the words after the
// opcode word, in order), flags]. Numbers are the row order: dense from 0, and
// `group` rows name a base (LoadBase ...) that the compiler maps a Wasm opcode
// range onto with one addition. scripts/isa/gen.mjs turns this into
// assembly/compile/ir-ops.ts (the Ir enum) and assembly/compile/operands.ts
// (words and operand kinds per op, which irWords and the image verifier use).

import { Kind as K, Flag as F } from "./kinds.mjs";

const S = K.Slot, I = K.Imm, T = K.Target, TC = K.TargetCost, NC = K.NextCost;
const JUMP = F.TARGET_FUEL | F.NEXT_FUEL;

const loads = ["I32Load", "I64Load", "F32Load", "F64Load", "I32Load8S", "I32Load8U", "I32Load16S", "I32Load16U",
  "I64Load8S", "I64Load8U", "I64Load16S", "I64Load16U", "I64Load32S", "I64Load32U"];
const stores = ["I32Store", "I64Store", "F32Store", "F64Store", "I32Store8", "I32Store16", "I64Store8", "I64Store16", "I64Store32"];
// Wasm 0x45..0xC4 in opcode order; "u" marks the unary ones.
const nums = `I32Eqz:u I32Eq I32Ne I32LtS I32LtU I32GtS I32GtU I32LeS I32LeU I32GeS I32GeU
  I64Eqz:u I64Eq I64Ne I64LtS I64LtU I64GtS I64GtU I64LeS I64LeU I64GeS I64GeU
  F32Eq F32Ne F32Lt F32Gt F32Le F32Ge F64Eq F64Ne F64Lt F64Gt F64Le F64Ge
  I32Clz:u I32Ctz:u I32Popcnt:u I32Add I32Sub I32Mul I32DivS I32DivU I32RemS I32RemU I32And I32Or I32Xor
  I32Shl I32ShrS I32ShrU I32Rotl I32Rotr
  I64Clz:u I64Ctz:u I64Popcnt:u I64Add I64Sub I64Mul I64DivS I64DivU I64RemS I64RemU I64And I64Or I64Xor
  I64Shl I64ShrS I64ShrU I64Rotl I64Rotr
  F32Abs:u F32Neg:u F32Ceil:u F32Floor:u F32Trunc:u F32Nearest:u F32Sqrt:u F32Add F32Sub F32Mul F32Div F32Min F32Max F32Copysign
  F64Abs:u F64Neg:u F64Ceil:u F64Floor:u F64Trunc:u F64Nearest:u F64Sqrt:u F64Add F64Sub F64Mul F64Div F64Min F64Max F64Copysign
  I32WrapI64:u I32TruncF32S:u I32TruncF32U:u I32TruncF64S:u I32TruncF64U:u I64ExtendI32S:u I64ExtendI32U:u
  I64TruncF32S:u I64TruncF32U:u I64TruncF64S:u I64TruncF64U:u F32ConvertI32S:u F32ConvertI32U:u F32ConvertI64S:u
  F32ConvertI64U:u F32DemoteF64:u F64ConvertI32S:u F64ConvertI32U:u F64ConvertI64S:u F64ConvertI64U:u F64PromoteF32:u
  I32ReinterpretF32:u I64ReinterpretF64:u F32ReinterpretI32:u F64ReinterpretI64:u
  I32Extend8S:u I32Extend16S:u I64Extend8S:u I64Extend16S:u I64Extend32S:u`.trim().split(/\s+/);
const sats = ["I32TruncSatF32S", "I32TruncSatF32U", "I32TruncSatF64S", "I32TruncSatF64U",
  "I64TruncSatF32S", "I64TruncSatF32U", "I64TruncSatF64S", "I64TruncSatF64U"];
// No le/ge forms: the compiler turns `x <= k` into `x < k + 1` and `x >= k` into `x > k - 1`
// (at the ends of the range, where the compare is always true, it keeps the two-slot form).
const imms = ["I32EqImm", "I32NeImm", "I32LtSImm", "I32LtUImm", "I32GtSImm", "I32GtUImm", "I32AddImm", "I32SubImm", "I32MulImm", "I32AndImm", "I32OrImm", "I32XorImm",
  "I32ShlImm", "I32ShrSImm", "I32ShrUImm", "I32RotlImm", "I32RotrImm"];
const cmps = ["Eq", "Ne", "LtS", "LtU", "GtS", "GtU", "LeS", "LeU", "GeS", "GeU"];

export const proposal = "core";

/** Rows in op-number order. A row is [name, kinds, flags?, comment?]; a group is { group, comment, rows };
 *  null leaves a number unused (it traps, like every number past Count). */
export const irOps = [
  ["Unreachable", [], F.NO_FALLTHROUGH],
  ["Nop", [], 0, "carries fuel of instructions with no code"],
  ["Fuel", [K.Cost, K.Side], 0, "block entry: charge cost or go slow"],
  ["Halt", [], F.NOT_IN_CODE, "temporarily patched in: out of fuel here"],
  ["Jump", [T, TC], F.NO_FALLTHROUGH | F.TARGET_FUEL, "target, fuel paid there"],
  ["JumpIf", [S, T, TC, NC], JUMP, "jump if i32 cond != 0: cond, target, fuel if taken, fuel if not"],
  ["JumpIfNot", [S, T, TC, NC], JUMP],
  ["BrTable", [S, K.BrCount], F.NO_FALLTHROUGH, "index, n, target*n, default target"],
  ["Return", [K.ResultSrc, K.ResultCount], F.NO_FALLTHROUGH, "copy n slots from fp+src to fp+0, pop frame"],
  ["Call", [K.FuncInfo, K.ArgBase], F.NEXT_FUEL, "infoOff = definedFuncIdx * funcInfo bytes, argOff"],
  ["CallImport", [K.ImportFunc, K.ArgBase], F.NEXT_FUEL],
  ["CallIndirect", [K.CanonType, K.Table, K.ArgBase, S], F.NEXT_FUEL, "canonTypeId, tableIdx, argOff, indexSlot"],
  ["Copy", [S, S], 0, "dst, src (8 bytes)"],
  ["Const", [S, I, I], 0, "dst, lo, hi"],
  ["Select", [S, S, S, S], 0, "dst, a, b, cond"],
  ["GlobalGet", [S, K.Global]],
  ["GlobalSet", [K.GlobalMut, S]],
  ["MemorySize", [S], F.MEM0],
  ["MemoryGrow", [S, S, K.Cost], F.MEM0 | F.RESUMABLE, "dst, delta, fuel per page"],
  ["MemoryFill", [S, S, S, K.Cost], F.MEM0 | F.RESUMABLE, "d, val, n, fuel per 64 bytes (exec/bulk.ts)"],
  ["MemoryCopy", [S, S, S, K.Cost], F.MEM0 | F.RESUMABLE, "d, s, n, fuel per 64 bytes"],
  ["MemoryInit", [K.Data, S, S, S, K.Cost], F.MEM0 | F.RESUMABLE, "dataIdx, d, s, n, fuel per 64 bytes"],
  ["DataDrop", [K.Data]],
  ["TableGet", [S, K.Table, S], 0, "dst, tableIdx, index"],
  ["TableSet", [K.Table, S, S], 0, "tableIdx, index, val"],
  ["TableSize", [S, K.Table]],
  ["TableGrow", [S, K.Table, S, S, K.Cost], F.RESUMABLE, "dst, tableIdx, init, delta, fuel per element"],
  ["TableFill", [K.Table, S, S, S, K.Cost], F.RESUMABLE, "tableIdx, i, val, n, fuel per element"],
  ["TableCopy", [K.Table, K.Table, S, S, S, K.Cost], F.RESUMABLE, "dstTable, srcTable, d, s, n, fuel per element"],
  ["TableInit", [K.Table, K.Elem, S, S, S, K.Cost], F.RESUMABLE, "tableIdx, elemIdx, d, s, n, fuel per element"],
  ["ElemDrop", [K.Elem]],
  ["RefIsNull", [S, S]],
  ["RefFunc", [S, K.Func], 0, "dst, funcIdx"],
  { group: "LoadBase", comment: "+(op-0x28): dst, addr, offset", rows: loads.map((n) => [n, [S, S, I], F.MEM0]) },
  { group: "StoreBase", comment: "+(op-0x36): addr, val, offset", rows: stores.map((n) => [n, [S, S, I], F.MEM0]) },
  ["I32ShrUAndImm", [S, S, I, I], 0, "dst, a, k, m: (a >>> k) & m, i32 (i32.shr_u by a constant, then i32.and with one: a bit field; on the free number 56)"],
  { group: "NumBase", comment: "+(op-0x45): unary dst, a | binary dst, a, b",
    rows: nums.map((n) => n.endsWith(":u") ? [n.slice(0, -2), [S, S]] : [n, [S, S, S]]) },
  { group: "SatBase", comment: "+(0xFC sub 0..7): dst, a", rows: sats.map((n) => [n, [S, S]]) },
  { group: "ImmBase", comment: "+immOp(op): i32 binary op with a constant right operand: dst, a, imm",
    // I32SubImm keeps its number (the group maps Wasm opcodes by offset) but the compiler never emits
    // it (x - k is x + (-k)): the image verifier refuses it.
    rows: imms.map((n) => n === "I32SubImm" ? [n, [S, S, I], F.NOT_IN_CODE, "never in code: x - k is compiled as x + (-k)"] : [n, [S, S, I]]) },
  { group: "JumpCmpBase", comment: "+(op-0x46): i32 compare then branch if true: a, b, target, fuel if taken, fuel if not",
    rows: cmps.map((c) => ["JumpI32" + c, [S, S, T, TC, NC], JUMP]) },
  { group: "JumpCmpImmBase", comment: "+(op-0x46): the same against a constant: a, imm, target, fuel if taken, fuel if not",
    rows: cmps.map((c) => ["JumpI32" + c + "Imm", [S, I, T, TC, NC], JUMP]) },
  { group: "LoadAddBase", comment: "+(op-0x28): load from ((a << shift) + imm, wrapping at 32 bits) + offset: dst, a, imm, offset, shift",
    rows: loads.slice(0, 8).map((n) => [n + "Add", [S, S, I, I, I], F.MEM0]) }, // i32, i64, f32, f64 and the i32 narrow loads (the i64 narrow ones do not fold)
  ["Load8UAdd", [S, S, I], F.MEM0, "dst, x, imm: i32.load8_u at x + imm, wrapping at 32 bits (no offset, no shift: a byte array's element)"],
  ["StoreK8Add", [S, I, I], F.MEM0, "x, imm, k: i32.store8 of the constant k at x + imm, wrapping at 32 bits (no offset, no shift: a byte array's element)"],
  ["I32AddImmJumpNeImm", [S, S, I, I, T, TC, NC], JUMP, "dst, a, k, n, target, fuel if taken, fuel if not: dst = a + k, jump if dst != n (a counted loop's step and test)"],
  ["I32AddJumpLtUImm", [S, S, S, I, T, TC, NC], JUMP, "dst, a, b, n, target, fuel if taken, fuel if not: dst = a + b, jump if dst < n unsigned (a strided loop's step and test)"],
  ["I32AddImmJumpLtSImm", [S, S, I, I, T, TC, NC], JUMP, "dst, a, k, n, target, fuel if taken, fuel if not: dst = a + k, jump if dst < n signed (a counted loop's step and test as asc and binaryen write it)"],
  ["I32AddJumpLtSImm", [S, S, S, I, T, TC, NC], JUMP, "dst, a, b, n, target, fuel if taken, fuel if not: dst = a + b, jump if dst < n signed (a strided loop's step and test)"],
  ["F64MulAdd", [S, S, S, S], 0, "dst, a, b, c: a * b + c, f64 (f64.mul whose result only feeds f64.add, either side; two roundings as the two ops, one NaN canonicalization: a NaN product stays NaN)"],
  ["F64MulLoads", [S, S, I, I, S, I, I, S, I, I], F.MEM0, "dst, xa, imma, offa, xb, immb, offb, c, meta, refunds: f64 product of two fused f64 loads (each at ((x << shift) + imm, wrapping at 32 bits) + off), plus c when meta has ADD (docs/internal-code.md, \"Products of loads\")"],
  ["Copy2", [S, S, S, S], 0, "dst1, src1, dst2, src2 (two copies in order)"],
  ["I32AddShl", [S, S, S, I], 0, "dst, a, b, k: a + (b << k), i32"],
  ["I32XorRotr", [S, S, S, I], 0, "dst, a, b, k: a ^ rotr(b, k), i32"],
  ["SelectAndImm", [S, S, S, S, I], 0, "dst, a, b, c, imm: select a or b on (c & imm) != 0 (i32.and with a constant, then select)"],
  ["StoreAdd", [S, I, I, I, I, S], F.MEM0, "x, imm, offset, shift, size, val: store size bytes of val at ((x << shift) + imm, wrapping at 32 bits) + offset"],
  ["StoreKAdd", [S, I, I, I, I, I, I], F.MEM0, "x, imm, offset, shift, size, lo, hi: the same with a constant value"],
  ["SelectXorAndImm", [S, S, I, S, I], 0, "dst, x, k, c, m: (c & m) != 0 ? x ^ k : x, i32 (a conditional xor: a CRC or LFSR step)"],
  ["I32AddMulImm", [S, S, S, I], 0, "dst, a, b, k: a + b * k, i32 (row-major indexing: i * n + j)"],
  ["I32AddMul", [S, S, S, S], 0, "dst, a, b, c: a + b * c, i32 (a multiply-accumulate)"],
];
