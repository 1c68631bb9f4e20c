// Loads and stores, the fused compare-and-jumps and the i32 ops with a
// constant operand, each in one function for the device build only: there
// the 37 load, store and fused-load cases, the 20 compare-and-jump cases
// and the 20 immediate-operand cases of the dispatch loop call these instead
// of carrying their own bodies, which saves about 1.4 KB of Cortex-M .text
// (docs/footprint.md: the 64 KiB budget) at the cost of a call and a switch
// per such op. The full build keeps one body per op (exec/interp.ts gates
// on ASC_OPTIMIZE_LEVEL, which is 0 only for the device target). Same
// semantics: effective address in 64 bits, bounds checked against the
// memory's 32-bit size (interp.ts, memSize32), results written
// as one zero- or sign-extended 8-byte store.

import { Ir } from "../compile/ir";

/** Runs the load, store or fused load at `pc`; false if it is out of bounds (nothing written). */
export function deviceMemOp(pc: usize, fp: usize, memBase: usize, memBytes: u32): bool {
  let op = <u32>load<u8>(pc);
  if (op >= <u32>Ir.StoreBase && op < <u32>Ir.NumBase) {
    let k = op - <u32>Ir.StoreBase;  // i32 i64 f32 f64 i32_8 i32_16 i64_8 i64_16 i64_32
    let ea = <u64>load<u32>(fp + load<u32>(pc, 4)) + <u64>load<u32>(pc, 12);
    let size: u64 = k == 1 || k == 3 ? 8 : k == 4 || k == 6 ? 1 : k == 5 || k == 7 ? 2 : 4;
    if (ea + size > <u64>memBytes) return false;
    let p = memBase + <usize>ea;
    let v = load<u64>(fp + load<u32>(pc, 8));
    if (size == 8) store<u64>(p, v);
    else if (size == 4) store<u32>(p, <u32>v);
    else if (size == 2) store<u16>(p, <u16>v);
    else store<u8>(p, <u8>v);
    return true;
  }
  let k: u32;
  let ea: u64;
  if (op >= <u32>Ir.LoadAddBase) {
    k = op - <u32>Ir.LoadAddBase;
    let base: u32 = (load<u32>(fp + load<u32>(pc, 8)) << load<u32>(pc, 20)) + load<u32>(pc, 12); // wraps at 32 bits
    ea = <u64>base + <u64>load<u32>(pc, 16);
  } else {
    k = op - <u32>Ir.LoadBase;
    ea = <u64>load<u32>(fp + load<u32>(pc, 8)) + <u64>load<u32>(pc, 12);
  }
  // i32 i64 f32 f64 i32_8s i32_8u i32_16s i32_16u i64_8s i64_8u i64_16s i64_16u i64_32s i64_32u
  let size: u64 = k == 1 || k == 3 ? 8 : k <= 2 || k >= 12 ? 4 : k <= 5 || k == 8 || k == 9 ? 1 : 2;
  if (ea + size > <u64>memBytes) return false;
  let p = memBase + <usize>ea;
  let v: u64;
  switch (k) {
    case 4: v = <u64><u32><i32>load<i8>(p); break;
    case 6: v = <u64><u32><i32>load<i16>(p); break;
    case 8: v = <u64>load<i8>(p); break;
    case 10: v = <u64>load<i16>(p); break;
    case 12: v = <u64>load<i32>(p); break;
    default:
      v = size == 8 ? load<u64>(p) : size == 4 ? <u64>load<u32>(p) : size == 2 ? <u64>load<u16>(p) : <u64>load<u8>(p);
  }
  store<u64>(fp + load<u32>(pc, 4), v);
  return true;
}

/** The fused compare-and-jump at `pc` (JumpCmpBase, JumpCmpImmBase forms): the next pc. Device build only, as above. */
export function deviceJumpCmp(pc: usize, fp: usize, codeBase: usize, skip: usize): usize {
  let op = <u32>load<u8>(pc);
  let imm = op >= <u32>Ir.JumpCmpImmBase;
  let k = op - (imm ? <u32>Ir.JumpCmpImmBase : <u32>Ir.JumpCmpBase);
  let a = load<i32>(fp + load<u32>(pc, 4));
  let b = imm ? load<i32>(pc, 8) : load<i32>(fp + load<u32>(pc, 8));
  let c: bool;
  switch (k) {   // eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u
    case 0: c = a == b; break;
    case 1: c = a != b; break;
    case 2: c = a < b; break;
    case 3: c = <u32>a < <u32>b; break;
    case 4: c = a > b; break;
    case 5: c = <u32>a > <u32>b; break;
    case 6: c = a <= b; break;
    case 7: c = <u32>a <= <u32>b; break;
    case 8: c = a >= b; break;
    default: c = <u32>a >= <u32>b;
  }
  jumpCost = load<u32>(pc + (c ? 16 : 20));
  return c ? codeBase + load<u32>(pc, 12) : pc + 24 + skip;
}

/** The fuel the last deviceJumpCmp's jump pays where it lands (its TargetCost or NextCost word). */
export let jumpCost: u32 = 0;

/** The i32 op with a constant right operand at `pc` (ImmBase forms: dst, a, imm). Device build only, as above. */
export function deviceImmOp(pc: usize, fp: usize): void {
  let a = load<i32>(fp + load<u32>(pc, 8));
  let b = load<i32>(pc, 12);
  let r: i32;
  switch (<u32>load<u8>(pc)) {
    case Ir.I32EqImm: r = <i32>(a == b); break;
    case Ir.I32NeImm: r = <i32>(a != b); break;
    case Ir.I32LtSImm: r = <i32>(a < b); break;
    case Ir.I32LtUImm: r = <i32>(<u32>a < <u32>b); break;
    case Ir.I32GtSImm: r = <i32>(a > b); break;
    case Ir.I32GtUImm: r = <i32>(<u32>a > <u32>b); break;
    case Ir.I32AddImm: r = a + b; break;
    case Ir.I32MulImm: r = a * b; break;
    case Ir.I32AndImm: r = a & b; break;
    case Ir.I32OrImm: r = a | b; break;
    case Ir.I32XorImm: r = a ^ b; break;
    case Ir.I32ShlImm: r = a << b; break;
    case Ir.I32ShrSImm: r = a >> b; break;
    case Ir.I32ShrUImm: r = <i32>(<u32>a >>> <u32>b); break;
    case Ir.I32RotlImm: r = rotl<i32>(a, b); break;
    default: r = rotr<i32>(a, b); // I32RotrImm: the dispatch loop calls this for these 16 ops only
  }
  store<u64>(fp + load<u32>(pc, 4), <u64><u32>r);
}
