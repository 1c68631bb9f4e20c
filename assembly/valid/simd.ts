// SIMD (0xFD) instruction typing: Wasm 2.0 fixed-width SIMD, plus relaxed
// SIMD (0x100..0x113; the decoder only lets those through when enabled).
//
// Most SIMD instructions are v128 -> v128 in a few shapes, so one class per
// sub-opcode (SHAPE_ROWS, expanded once into `shape`) covers them; memory
// accesses and lane instructions have small tables of their own.

import { ValType } from "../binary/module";
import { Err } from "../errors";
import { rd, fail, popExpect, pushVal, needMemory, readMemArgAlign } from "./stacks";

const V = <u8>ValType.V128;
const I = <u8>ValType.I32, L = <u8>ValType.I64, F = <u8>ValType.F32, D = <u8>ValType.F64;

// Shapes of the plain (immediate-free) SIMD instructions.
const NONE: u8 = 0;
const UN: u8 = 1;     // [v128] -> [v128]
const BIN: u8 = 2;    // [v128 v128] -> [v128]
const TERN: u8 = 3;   // [v128 v128 v128] -> [v128]
const TEST: u8 = 4;   // [v128] -> [i32]     any_true, all_true, bitmask
const SHIFT: u8 = 5;  // [v128 i32] -> [v128]

const SUB_LAST: u32 = 0x113;
/** Runs of sub-opcodes with one shape: [first, last, shape] (u16 each). */
const SHAPE_ROWS: StaticArray<u16> = [
  0x0E, 0x0E, BIN,                                  // i8x16.swizzle
  0x23, 0x4C, BIN,                                  // integer and float compares
  0x4D, 0x4D, UN, 0x4E, 0x51, BIN, 0x52, 0x52, TERN, 0x53, 0x53, TEST, // v128 bitwise, any_true
  0x5E, 0x62, UN,                                   // demote, promote, i8x16.abs/neg/popcnt
  0x63, 0x64, TEST, 0x65, 0x66, BIN,                // i8x16.all_true/bitmask, narrow
  0x67, 0x6A, UN, 0x6B, 0x6D, SHIFT,                // f32x4 rounding, i8x16 shifts
  0x6E, 0x73, BIN, 0x74, 0x75, UN,                  // i8x16 add/sub(_sat), f64x2.ceil/floor
  0x76, 0x79, BIN, 0x7A, 0x7A, UN, 0x7B, 0x7B, BIN, // min/max, f64x2.trunc, avgr_u
  0x7C, 0x81, UN, 0x82, 0x82, BIN,                  // extadd_pairwise, i16x8.abs/neg, q15mulr
  0x83, 0x84, TEST, 0x85, 0x86, BIN,                // i16x8.all_true/bitmask, narrow
  0x87, 0x8A, UN, 0x8B, 0x8D, SHIFT,                // i16x8.extend, shifts
  0x8E, 0x93, BIN, 0x94, 0x94, UN,                  // i16x8 add/sub(_sat), f64x2.nearest
  0x95, 0x99, BIN, 0x9B, 0x9F, BIN,                 // mul, min/max, avgr_u, extmul
  0xA0, 0xA1, UN, 0xA3, 0xA4, TEST,                 // i32x4.abs/neg, all_true/bitmask
  0xA7, 0xAA, UN, 0xAB, 0xAD, SHIFT,                // i32x4.extend, shifts
  0xAE, 0xAE, BIN, 0xB1, 0xB1, BIN, 0xB5, 0xBA, BIN, 0xBC, 0xBF, BIN, // add, sub, mul, min/max, dot, extmul
  0xC0, 0xC1, UN, 0xC3, 0xC4, TEST,                 // i64x2.abs/neg, all_true/bitmask
  0xC7, 0xCA, UN, 0xCB, 0xCD, SHIFT,                // i64x2.extend, shifts
  0xCE, 0xCE, BIN, 0xD1, 0xD1, BIN, 0xD5, 0xDF, BIN, // add, sub, mul, compares, extmul
  0xE0, 0xE1, UN, 0xE3, 0xE3, UN, 0xE4, 0xEB, BIN,  // f32x4 abs/neg, sqrt, arithmetic
  0xEC, 0xED, UN, 0xEF, 0xEF, UN, 0xF0, 0xF7, BIN,  // f64x2 abs/neg, sqrt, arithmetic
  0xF8, 0xFF, UN,                                   // trunc_sat, convert
  0x100, 0x100, BIN, 0x101, 0x104, UN,              // relaxed swizzle, relaxed trunc
  0x105, 0x10C, TERN, 0x10D, 0x112, BIN, 0x113, 0x113, TERN, // madd/nmadd, laneselect, min/max, q15mulr, dot
];
const shape = new StaticArray<u8>(SUB_LAST + 1);

// Loads and stores with a plain memarg: sub-opcode -> log2 of natural alignment.
//   0x00 v128.load, 0x01..0x06 load8x8/16x4/32x2_s/u, 0x07..0x0A loadN_splat, 0x0B v128.store
const MEM_ALIGN: StaticArray<u8> = [4, 3, 3, 3, 3, 3, 3, 0, 1, 2, 3, 4];

// Extract/replace lane 0x15..0x22: [lane count, scalar type, 1 = replace].
const LANE_ROWS: StaticArray<u8> = [
  16, I, 0, 16, I, 0, 16, I, 1,   // i8x16.extract_lane_s/u, replace_lane
  8, I, 0, 8, I, 0, 8, I, 1,      // i16x8
  4, I, 0, 4, I, 1,               // i32x4
  2, L, 0, 2, L, 1,               // i64x2
  4, F, 0, 4, F, 1,               // f32x4
  2, D, 0, 2, D, 1,               // f64x2
];

let ready = false;
function init(): void {
  if (ready) return;
  for (let r = 0; r < SHAPE_ROWS.length; r += 3) {
    for (let s = <u32>SHAPE_ROWS[r]; s <= <u32>SHAPE_ROWS[r + 1]; s++) shape[s] = <u8>SHAPE_ROWS[r + 2];
  }
  ready = true;
}

function splatType(sub: u32): u32 {
  switch (sub) {
    case 0x12: return ValType.I64;
    case 0x13: return ValType.F32;
    case 0x14: return ValType.F64;
  }
  return ValType.I32; // 0x0F..0x11: i8x16, i16x8, i32x4
}

/** Read a lane index immediate; false (error recorded) if not below `lanes`. */
function lane(lanes: u32): bool {
  let l = rd.u8();
  if (rd.failed) return false;
  if (l >= lanes) return fail(Err.InvalidLaneIndex);
  return true;
}

/** One 0xFD instruction, the prefix byte already read. */
export function prefixFD(): void {
  init();
  let sub = rd.u32leb();
  if (rd.failed) return;
  if (sub <= 0x0B) {                                   // loads, v128.store
    if (!readMemArgAlign(MEM_ALIGN[sub])) return;
    if (sub == 0x0B) { popExpect(ValType.V128); popExpect(ValType.I32); return; }
    popExpect(ValType.I32);
    pushVal(ValType.V128);
    return;
  }
  if (sub == 0x5C || sub == 0x5D) {                    // v128.load32_zero, load64_zero
    if (!readMemArgAlign(sub == 0x5C ? 2 : 3)) return;
    popExpect(ValType.I32);
    pushVal(ValType.V128);
    return;
  }
  if (sub >= 0x54 && sub <= 0x5B) {                    // load/store lane
    let align = (sub - 0x54) & 3;
    if (!readMemArgAlign(align) || !lane(16 >> align)) return;
    popExpect(ValType.V128);
    popExpect(ValType.I32);
    if (sub <= 0x57) pushVal(ValType.V128);
    return;
  }
  if (sub == 0x0C) { rd.skip(16); pushVal(ValType.V128); return; }   // v128.const
  if (sub == 0x0D) {                                   // i8x16.shuffle
    for (let i = 0; i < 16; i++) if (!lane(32)) return;
    popExpect(ValType.V128); popExpect(ValType.V128); pushVal(ValType.V128);
    return;
  }
  if (sub >= 0x0F && sub <= 0x14) { popExpect(splatType(sub)); pushVal(ValType.V128); return; }
  if (sub >= 0x15 && sub <= 0x22) {                    // extract/replace lane
    let row = (sub - 0x15) * 3;
    if (!lane(LANE_ROWS[row])) return;
    let t = <u32>LANE_ROWS[row + 1];
    if (LANE_ROWS[row + 2]) { popExpect(t); popExpect(ValType.V128); pushVal(ValType.V128); }
    else { popExpect(ValType.V128); pushVal(t); }
    return;
  }
  let s = sub <= SUB_LAST ? shape[sub] : NONE;
  switch (s) {
    case UN: popExpect(ValType.V128); pushVal(ValType.V128); return;
    case BIN: popExpect(ValType.V128); popExpect(ValType.V128); pushVal(ValType.V128); return;
    case TERN: popExpect(ValType.V128); popExpect(ValType.V128); popExpect(ValType.V128); pushVal(ValType.V128); return;
    case TEST: popExpect(ValType.V128); pushVal(ValType.I32); return;
    case SHIFT: popExpect(ValType.I32); popExpect(ValType.V128); pushVal(ValType.V128); return;
  }
  fail(Err.IllegalOpcode);
}
