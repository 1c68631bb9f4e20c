// Fixed-width SIMD (Wasm 2.0, prefix 0xFD): one row per instruction
// (docs/internal-code.md, "Ops past 256"). The semantics are in
// assembly/exec/simd/*.ts (re-exported by simd/ops.ts); a row's `sem` is the
// mnemonic in camelCase ("i8x16.add_sat_s" -> i8x16AddSatS) unless it
// names a shared function (the f32/f64 lane moves are the i32/i64 ones).
// v128 values take two slots (Slot16); scalar operands one.

import { Kind, Flag } from "./kinds.mjs";

export const proposal = "simd";
export const extension = { prefix: 0xFD, feature: "SIMD", fuel: "FD", sem: "simd/ops" };

/** "i8x16.add_sat_s" -> "i8x16AddSatS" */
const semOf = (wasm) => wasm.split(/[._]/).map((s, i) => (i ? s.charAt(0).toUpperCase() + s.slice(1) : s)).join("");
const row = (wasm, code, sig, more = {}) => ({ wasm, code, sig, sem: semOf(wasm), ...more });
const un = (wasm, code, more) => row(wasm, code, "v128 -> v128", more);
const bin = (wasm, code, more) => row(wasm, code, "v128 v128 -> v128", more);
const test = (wasm, code) => row(wasm, code, "v128 -> i32");
const shift = (wasm, code) => row(wasm, code, "v128 i32 -> v128");
const load = (wasm, code, align) => row(wasm, code, "i32 -> v128", { imm: [`memarg:${align}`], traps: true });
const loadLane = (wasm, code, align, lanes) => row(wasm, code, "i32 v128 -> v128", { imm: [`memarg:${align}`, `lane:${lanes}`], traps: true });
const storeLane = (wasm, code, align, lanes) => row(wasm, code, "i32 v128 ->", { imm: [`memarg:${align}`, `lane:${lanes}`], traps: true });
/** Ten integer compares eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u from `code`. */
const intCompares = (shape, code) => ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"]
  .map((c, i) => bin(`${shape}.${c}`, code + i));
const floatCompares = (shape, code) => ["eq", "ne", "lt", "gt", "le", "ge"].map((c, i) => bin(`${shape}.${c}`, code + i));

export const ops = [
  // memory
  load("v128.load", 0x00, 4),
  load("v128.load8x8_s", 0x01, 3), load("v128.load8x8_u", 0x02, 3),
  load("v128.load16x4_s", 0x03, 3), load("v128.load16x4_u", 0x04, 3),
  load("v128.load32x2_s", 0x05, 3), load("v128.load32x2_u", 0x06, 3),
  load("v128.load8_splat", 0x07, 0), load("v128.load16_splat", 0x08, 1),
  load("v128.load32_splat", 0x09, 2), load("v128.load64_splat", 0x0A, 3),
  row("v128.store", 0x0B, "i32 v128 ->", { imm: ["memarg:4"], traps: true }),
  // constants, shuffles, splats, lanes
  row("v128.const", 0x0C, " -> v128", { imm: ["v128"] }),
  row("i8x16.shuffle", 0x0D, "v128 v128 -> v128", { imm: ["lanes16:32"] }),
  bin("i8x16.swizzle", 0x0E),
  row("i8x16.splat", 0x0F, "i32 -> v128"), row("i16x8.splat", 0x10, "i32 -> v128"),
  row("i32x4.splat", 0x11, "i32 -> v128"), row("i64x2.splat", 0x12, "i64 -> v128"),
  row("f32x4.splat", 0x13, "f32 -> v128", { sem: "i32x4Splat" }), row("f64x2.splat", 0x14, "f64 -> v128", { sem: "i64x2Splat" }),
  row("i8x16.extract_lane_s", 0x15, "v128 -> i32", { imm: ["lane:16"] }),
  row("i8x16.extract_lane_u", 0x16, "v128 -> i32", { imm: ["lane:16"] }),
  row("i8x16.replace_lane", 0x17, "v128 i32 -> v128", { imm: ["lane:16"] }),
  row("i16x8.extract_lane_s", 0x18, "v128 -> i32", { imm: ["lane:8"] }),
  row("i16x8.extract_lane_u", 0x19, "v128 -> i32", { imm: ["lane:8"] }),
  row("i16x8.replace_lane", 0x1A, "v128 i32 -> v128", { imm: ["lane:8"] }),
  row("i32x4.extract_lane", 0x1B, "v128 -> i32", { imm: ["lane:4"] }),
  row("i32x4.replace_lane", 0x1C, "v128 i32 -> v128", { imm: ["lane:4"] }),
  row("i64x2.extract_lane", 0x1D, "v128 -> i64", { imm: ["lane:2"] }),
  row("i64x2.replace_lane", 0x1E, "v128 i64 -> v128", { imm: ["lane:2"] }),
  row("f32x4.extract_lane", 0x1F, "v128 -> f32", { imm: ["lane:4"], sem: "i32x4ExtractLane" }),
  row("f32x4.replace_lane", 0x20, "v128 f32 -> v128", { imm: ["lane:4"], sem: "i32x4ReplaceLane" }),
  row("f64x2.extract_lane", 0x21, "v128 -> f64", { imm: ["lane:2"], sem: "i64x2ExtractLane" }),
  row("f64x2.replace_lane", 0x22, "v128 f64 -> v128", { imm: ["lane:2"], sem: "i64x2ReplaceLane" }),
  // compares
  ...intCompares("i8x16", 0x23), ...intCompares("i16x8", 0x2D), ...intCompares("i32x4", 0x37),
  ...floatCompares("f32x4", 0x41), ...floatCompares("f64x2", 0x47),
  // bitwise
  un("v128.not", 0x4D), bin("v128.and", 0x4E), bin("v128.andnot", 0x4F), bin("v128.or", 0x50), bin("v128.xor", 0x51),
  row("v128.bitselect", 0x52, "v128 v128 v128 -> v128"), test("v128.any_true", 0x53),
  loadLane("v128.load8_lane", 0x54, 0, 16), loadLane("v128.load16_lane", 0x55, 1, 8),
  loadLane("v128.load32_lane", 0x56, 2, 4), loadLane("v128.load64_lane", 0x57, 3, 2),
  storeLane("v128.store8_lane", 0x58, 0, 16), storeLane("v128.store16_lane", 0x59, 1, 8),
  storeLane("v128.store32_lane", 0x5A, 2, 4), storeLane("v128.store64_lane", 0x5B, 3, 2),
  load("v128.load32_zero", 0x5C, 2), load("v128.load64_zero", 0x5D, 3),
  un("f32x4.demote_f64x2_zero", 0x5E), un("f64x2.promote_low_f32x4", 0x5F),
  // i8x16
  un("i8x16.abs", 0x60), un("i8x16.neg", 0x61), un("i8x16.popcnt", 0x62),
  test("i8x16.all_true", 0x63), test("i8x16.bitmask", 0x64),
  bin("i8x16.narrow_i16x8_s", 0x65), bin("i8x16.narrow_i16x8_u", 0x66),
  un("f32x4.ceil", 0x67), un("f32x4.floor", 0x68), un("f32x4.trunc", 0x69), un("f32x4.nearest", 0x6A),
  shift("i8x16.shl", 0x6B), shift("i8x16.shr_s", 0x6C), shift("i8x16.shr_u", 0x6D),
  bin("i8x16.add", 0x6E), bin("i8x16.add_sat_s", 0x6F), bin("i8x16.add_sat_u", 0x70),
  bin("i8x16.sub", 0x71), bin("i8x16.sub_sat_s", 0x72), bin("i8x16.sub_sat_u", 0x73),
  un("f64x2.ceil", 0x74), un("f64x2.floor", 0x75),
  bin("i8x16.min_s", 0x76), bin("i8x16.min_u", 0x77), bin("i8x16.max_s", 0x78), bin("i8x16.max_u", 0x79),
  un("f64x2.trunc", 0x7A), bin("i8x16.avgr_u", 0x7B),
  un("i16x8.extadd_pairwise_i8x16_s", 0x7C), un("i16x8.extadd_pairwise_i8x16_u", 0x7D),
  un("i32x4.extadd_pairwise_i16x8_s", 0x7E), un("i32x4.extadd_pairwise_i16x8_u", 0x7F),
  // i16x8
  un("i16x8.abs", 0x80), un("i16x8.neg", 0x81), bin("i16x8.q15mulr_sat_s", 0x82),
  test("i16x8.all_true", 0x83), test("i16x8.bitmask", 0x84),
  bin("i16x8.narrow_i32x4_s", 0x85), bin("i16x8.narrow_i32x4_u", 0x86),
  un("i16x8.extend_low_i8x16_s", 0x87), un("i16x8.extend_high_i8x16_s", 0x88),
  un("i16x8.extend_low_i8x16_u", 0x89), un("i16x8.extend_high_i8x16_u", 0x8A),
  shift("i16x8.shl", 0x8B), shift("i16x8.shr_s", 0x8C), shift("i16x8.shr_u", 0x8D),
  bin("i16x8.add", 0x8E), bin("i16x8.add_sat_s", 0x8F), bin("i16x8.add_sat_u", 0x90),
  bin("i16x8.sub", 0x91), bin("i16x8.sub_sat_s", 0x92), bin("i16x8.sub_sat_u", 0x93),
  un("f64x2.nearest", 0x94),
  bin("i16x8.mul", 0x95), bin("i16x8.min_s", 0x96), bin("i16x8.min_u", 0x97), bin("i16x8.max_s", 0x98), bin("i16x8.max_u", 0x99),
  bin("i16x8.avgr_u", 0x9B),
  bin("i16x8.extmul_low_i8x16_s", 0x9C), bin("i16x8.extmul_high_i8x16_s", 0x9D),
  bin("i16x8.extmul_low_i8x16_u", 0x9E), bin("i16x8.extmul_high_i8x16_u", 0x9F),
  // i32x4
  un("i32x4.abs", 0xA0), un("i32x4.neg", 0xA1), test("i32x4.all_true", 0xA3), test("i32x4.bitmask", 0xA4),
  un("i32x4.extend_low_i16x8_s", 0xA7), un("i32x4.extend_high_i16x8_s", 0xA8),
  un("i32x4.extend_low_i16x8_u", 0xA9), un("i32x4.extend_high_i16x8_u", 0xAA),
  shift("i32x4.shl", 0xAB), shift("i32x4.shr_s", 0xAC), shift("i32x4.shr_u", 0xAD),
  bin("i32x4.add", 0xAE), bin("i32x4.sub", 0xB1), bin("i32x4.mul", 0xB5),
  bin("i32x4.min_s", 0xB6), bin("i32x4.min_u", 0xB7), bin("i32x4.max_s", 0xB8), bin("i32x4.max_u", 0xB9),
  bin("i32x4.dot_i16x8_s", 0xBA),
  bin("i32x4.extmul_low_i16x8_s", 0xBC), bin("i32x4.extmul_high_i16x8_s", 0xBD),
  bin("i32x4.extmul_low_i16x8_u", 0xBE), bin("i32x4.extmul_high_i16x8_u", 0xBF),
  // i64x2
  un("i64x2.abs", 0xC0), un("i64x2.neg", 0xC1), test("i64x2.all_true", 0xC3), test("i64x2.bitmask", 0xC4),
  un("i64x2.extend_low_i32x4_s", 0xC7), un("i64x2.extend_high_i32x4_s", 0xC8),
  un("i64x2.extend_low_i32x4_u", 0xC9), un("i64x2.extend_high_i32x4_u", 0xCA),
  shift("i64x2.shl", 0xCB), shift("i64x2.shr_s", 0xCC), shift("i64x2.shr_u", 0xCD),
  bin("i64x2.add", 0xCE), bin("i64x2.sub", 0xD1), bin("i64x2.mul", 0xD5),
  bin("i64x2.eq", 0xD6), bin("i64x2.ne", 0xD7), bin("i64x2.lt_s", 0xD8), bin("i64x2.gt_s", 0xD9),
  bin("i64x2.le_s", 0xDA), bin("i64x2.ge_s", 0xDB),
  bin("i64x2.extmul_low_i32x4_s", 0xDC), bin("i64x2.extmul_high_i32x4_s", 0xDD),
  bin("i64x2.extmul_low_i32x4_u", 0xDE), bin("i64x2.extmul_high_i32x4_u", 0xDF),
  // f32x4, f64x2
  un("f32x4.abs", 0xE0), un("f32x4.neg", 0xE1), un("f32x4.sqrt", 0xE3),
  bin("f32x4.add", 0xE4), bin("f32x4.sub", 0xE5), bin("f32x4.mul", 0xE6), bin("f32x4.div", 0xE7),
  bin("f32x4.min", 0xE8), bin("f32x4.max", 0xE9), bin("f32x4.pmin", 0xEA), bin("f32x4.pmax", 0xEB),
  un("f64x2.abs", 0xEC), un("f64x2.neg", 0xED), un("f64x2.sqrt", 0xEF),
  bin("f64x2.add", 0xF0), bin("f64x2.sub", 0xF1), bin("f64x2.mul", 0xF2), bin("f64x2.div", 0xF3),
  bin("f64x2.min", 0xF4), bin("f64x2.max", 0xF5), bin("f64x2.pmin", 0xF6), bin("f64x2.pmax", 0xF7),
  // conversions
  un("i32x4.trunc_sat_f32x4_s", 0xF8), un("i32x4.trunc_sat_f32x4_u", 0xF9),
  un("f32x4.convert_i32x4_s", 0xFA), un("f32x4.convert_i32x4_u", 0xFB),
  un("i32x4.trunc_sat_f64x2_s_zero", 0xFC), un("i32x4.trunc_sat_f64x2_u_zero", 0xFD),
  un("f64x2.convert_low_i32x4_s", 0xFE), un("f64x2.convert_low_i32x4_u", 0xFF),
  // IR-only: global.get/set of a v128 global (the compiler emits these; fuel is global.get's and global.set's)
  { wasm: null, name: "GlobalGet16", ir: [Kind.Slot16, Kind.Global], sem: "globalGet16" },
  { wasm: null, name: "GlobalSet16", ir: [Kind.GlobalMut, Kind.Slot16], sem: "globalSet16" },
  // v128.load of ((x << shift) + imm) + offset: the i32.add/shl of a constant before it folded in, as the
  // core's LoadAdd (compile/compiler.ts ext; docs/internal-code.md "Address arithmetic in loads")
  { wasm: null, name: "V128LoadAdd", ir: [Kind.Slot16, Kind.Slot, Kind.Imm, Kind.Imm, Kind.Imm], flags: Flag.MEM0, traps: true, sem: "v128LoadAdd" },
];
