// Integer lane ops: compares, abs/neg, shifts, min/max, saturating add and
// sub, mul, avgr_u, popcnt, all_true and bitmask, q15mulr_sat. Every op
// here is lane-wise (output lane i reads only input lanes i), so a result
// pointer equal to an operand pointer is fine.

import { mask8, mask16, mask32, mask64, satS8, satU8, satS16, satU16, put } from "./v128";

// ---------------------------------------------------------------- compares (all ones / zero per lane)

export function i8x16Eq(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) store<u8>(d + i, mask8(load<u8>(a + i) == load<u8>(b + i))); }
export function i8x16Ne(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) store<u8>(d + i, mask8(load<u8>(a + i) != load<u8>(b + i))); }
export function i8x16LtS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) store<u8>(d + i, mask8(load<i8>(a + i) < load<i8>(b + i))); }
export function i8x16LtU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) store<u8>(d + i, mask8(load<u8>(a + i) < load<u8>(b + i))); }
export function i8x16GtS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) store<u8>(d + i, mask8(load<i8>(a + i) > load<i8>(b + i))); }
export function i8x16GtU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) store<u8>(d + i, mask8(load<u8>(a + i) > load<u8>(b + i))); }
export function i8x16LeS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) store<u8>(d + i, mask8(load<i8>(a + i) <= load<i8>(b + i))); }
export function i8x16LeU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) store<u8>(d + i, mask8(load<u8>(a + i) <= load<u8>(b + i))); }
export function i8x16GeS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) store<u8>(d + i, mask8(load<i8>(a + i) >= load<i8>(b + i))); }
export function i8x16GeU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) store<u8>(d + i, mask8(load<u8>(a + i) >= load<u8>(b + i))); }

export function i16x8Eq(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, mask16(load<u16>(a + i) == load<u16>(b + i))); }
export function i16x8Ne(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, mask16(load<u16>(a + i) != load<u16>(b + i))); }
export function i16x8LtS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, mask16(load<i16>(a + i) < load<i16>(b + i))); }
export function i16x8LtU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, mask16(load<u16>(a + i) < load<u16>(b + i))); }
export function i16x8GtS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, mask16(load<i16>(a + i) > load<i16>(b + i))); }
export function i16x8GtU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, mask16(load<u16>(a + i) > load<u16>(b + i))); }
export function i16x8LeS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, mask16(load<i16>(a + i) <= load<i16>(b + i))); }
export function i16x8LeU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, mask16(load<u16>(a + i) <= load<u16>(b + i))); }
export function i16x8GeS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, mask16(load<i16>(a + i) >= load<i16>(b + i))); }
export function i16x8GeU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, mask16(load<u16>(a + i) >= load<u16>(b + i))); }

export function i32x4Eq(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, mask32(load<u32>(a + i) == load<u32>(b + i))); }
export function i32x4Ne(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, mask32(load<u32>(a + i) != load<u32>(b + i))); }
export function i32x4LtS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, mask32(load<i32>(a + i) < load<i32>(b + i))); }
export function i32x4LtU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, mask32(load<u32>(a + i) < load<u32>(b + i))); }
export function i32x4GtS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, mask32(load<i32>(a + i) > load<i32>(b + i))); }
export function i32x4GtU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, mask32(load<u32>(a + i) > load<u32>(b + i))); }
export function i32x4LeS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, mask32(load<i32>(a + i) <= load<i32>(b + i))); }
export function i32x4LeU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, mask32(load<u32>(a + i) <= load<u32>(b + i))); }
export function i32x4GeS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, mask32(load<i32>(a + i) >= load<i32>(b + i))); }
export function i32x4GeU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, mask32(load<u32>(a + i) >= load<u32>(b + i))); }

export function i64x2Eq(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, mask64(load<u64>(a + i) == load<u64>(b + i))); }
export function i64x2Ne(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, mask64(load<u64>(a + i) != load<u64>(b + i))); }
export function i64x2LtS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, mask64(load<i64>(a + i) < load<i64>(b + i))); }
export function i64x2GtS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, mask64(load<i64>(a + i) > load<i64>(b + i))); }
export function i64x2LeS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, mask64(load<i64>(a + i) <= load<i64>(b + i))); }
export function i64x2GeS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, mask64(load<i64>(a + i) >= load<i64>(b + i))); }

// ---------------------------------------------------------------- abs, neg, popcnt (wrapping: abs(MIN) = MIN)

export function i8x16Abs(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i++) { let x = <i32>load<i8>(a + i); store<u8>(d + i, <u8>(x < 0 ? -x : x)); } }
export function i8x16Neg(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i++) store<u8>(d + i, <u8>(0 - <i32>load<u8>(a + i))); }
export function i8x16Popcnt(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i++) store<u8>(d + i, <u8>popcnt<u32>(<u32>load<u8>(a + i))); }
export function i16x8Abs(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 2) { let x = <i32>load<i16>(a + i); store<u16>(d + i, <u16>(x < 0 ? -x : x)); } }
export function i16x8Neg(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, <u16>(0 - <i32>load<u16>(a + i))); }
export function i32x4Abs(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 4) { let x = load<i32>(a + i); store<i32>(d + i, x < 0 ? 0 - x : x); } }
export function i32x4Neg(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, 0 - load<u32>(a + i)); }
export function i64x2Abs(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 8) { let x = load<i64>(a + i); store<i64>(d + i, x < 0 ? 0 - x : x); } }
export function i64x2Neg(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, 0 - load<u64>(a + i)); }

// ---------------------------------------------------------------- all_true, bitmask (i32 results, 8-byte stores)

export function i8x16AllTrue(d: usize, a: usize): void {
  let ok = true;
  for (let i: usize = 0; i < 16; i++) ok = ok && load<u8>(a + i) != 0;
  store<u64>(d, <u64>ok);
}
export function i16x8AllTrue(d: usize, a: usize): void {
  let ok = true;
  for (let i: usize = 0; i < 16; i += 2) ok = ok && load<u16>(a + i) != 0;
  store<u64>(d, <u64>ok);
}
export function i32x4AllTrue(d: usize, a: usize): void {
  let ok = true;
  for (let i: usize = 0; i < 16; i += 4) ok = ok && load<u32>(a + i) != 0;
  store<u64>(d, <u64>ok);
}
export function i64x2AllTrue(d: usize, a: usize): void {
  store<u64>(d, <u64>(load<u64>(a) != 0 && load<u64>(a, 8) != 0));
}
export function i8x16Bitmask(d: usize, a: usize): void {
  let m: u32 = 0;
  for (let i: usize = 0; i < 16; i++) m |= (<u32>load<u8>(a + i) >> 7) << <u32>i;
  store<u64>(d, <u64>m);
}
export function i16x8Bitmask(d: usize, a: usize): void {
  let m: u32 = 0;
  for (let i: usize = 0; i < 8; i++) m |= (<u32>load<u16>(a + (i << 1)) >> 15) << <u32>i;
  store<u64>(d, <u64>m);
}
export function i32x4Bitmask(d: usize, a: usize): void {
  let m: u32 = 0;
  for (let i: usize = 0; i < 4; i++) m |= (load<u32>(a + (i << 2)) >> 31) << <u32>i;
  store<u64>(d, <u64>m);
}
export function i64x2Bitmask(d: usize, a: usize): void {
  store<u64>(d, (load<u64>(a) >> 63) | ((load<u64>(a, 8) >> 63) << 1));
}

// ---------------------------------------------------------------- shifts (count modulo the lane width)

export function i8x16Shl(d: usize, a: usize, s: usize): void { let k = load<u32>(s) & 7; for (let i: usize = 0; i < 16; i++) store<u8>(d + i, <u8>(<u32>load<u8>(a + i) << k)); }
export function i8x16ShrS(d: usize, a: usize, s: usize): void { let k = load<u32>(s) & 7; for (let i: usize = 0; i < 16; i++) store<u8>(d + i, <u8>(<i32>load<i8>(a + i) >> k)); }
export function i8x16ShrU(d: usize, a: usize, s: usize): void { let k = load<u32>(s) & 7; for (let i: usize = 0; i < 16; i++) store<u8>(d + i, <u8>(<u32>load<u8>(a + i) >> k)); }
export function i16x8Shl(d: usize, a: usize, s: usize): void { let k = load<u32>(s) & 15; for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, <u16>(<u32>load<u16>(a + i) << k)); }
export function i16x8ShrS(d: usize, a: usize, s: usize): void { let k = load<u32>(s) & 15; for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, <u16>(<i32>load<i16>(a + i) >> k)); }
export function i16x8ShrU(d: usize, a: usize, s: usize): void { let k = load<u32>(s) & 15; for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, <u16>(<u32>load<u16>(a + i) >> k)); }
export function i32x4Shl(d: usize, a: usize, s: usize): void { let k = load<u32>(s) & 31; for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, load<u32>(a + i) << k); }
export function i32x4ShrS(d: usize, a: usize, s: usize): void { let k = load<u32>(s) & 31; for (let i: usize = 0; i < 16; i += 4) store<i32>(d + i, load<i32>(a + i) >> k); }
export function i32x4ShrU(d: usize, a: usize, s: usize): void { let k = load<u32>(s) & 31; for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, load<u32>(a + i) >>> k); }
export function i64x2Shl(d: usize, a: usize, s: usize): void { let k = <u64>(load<u32>(s) & 63); for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, load<u64>(a + i) << k); }
export function i64x2ShrS(d: usize, a: usize, s: usize): void { let k = <i64>(load<u32>(s) & 63); for (let i: usize = 0; i < 16; i += 8) store<i64>(d + i, load<i64>(a + i) >> k); }
export function i64x2ShrU(d: usize, a: usize, s: usize): void { let k = <u64>(load<u32>(s) & 63); for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, load<u64>(a + i) >>> k); }

// ---------------------------------------------------------------- saturating add/sub

export function i8x16AddSatS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) store<u8>(d + i, <u8>satS8(<i32>load<i8>(a + i) + <i32>load<i8>(b + i))); }
export function i8x16AddSatU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) store<u8>(d + i, <u8>satU8(<i32>load<u8>(a + i) + <i32>load<u8>(b + i))); }
export function i8x16SubSatS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) store<u8>(d + i, <u8>satS8(<i32>load<i8>(a + i) - <i32>load<i8>(b + i))); }
export function i8x16SubSatU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) store<u8>(d + i, <u8>satU8(<i32>load<u8>(a + i) - <i32>load<u8>(b + i))); }
export function i16x8AddSatS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, <u16>satS16(<i32>load<i16>(a + i) + <i32>load<i16>(b + i))); }
export function i16x8AddSatU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, <u16>satU16(<i32>load<u16>(a + i) + <i32>load<u16>(b + i))); }
export function i16x8SubSatS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, <u16>satS16(<i32>load<i16>(a + i) - <i32>load<i16>(b + i))); }
export function i16x8SubSatU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, <u16>satU16(<i32>load<u16>(a + i) - <i32>load<u16>(b + i))); }

// ---------------------------------------------------------------- min, max, avgr_u

export function i8x16MinS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) { let x = load<i8>(a + i), y = load<i8>(b + i); store<i8>(d + i, x < y ? x : y); } }
export function i8x16MinU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) { let x = load<u8>(a + i), y = load<u8>(b + i); store<u8>(d + i, x < y ? x : y); } }
export function i8x16MaxS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) { let x = load<i8>(a + i), y = load<i8>(b + i); store<i8>(d + i, x > y ? x : y); } }
export function i8x16MaxU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) { let x = load<u8>(a + i), y = load<u8>(b + i); store<u8>(d + i, x > y ? x : y); } }
export function i16x8MinS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) { let x = load<i16>(a + i), y = load<i16>(b + i); store<i16>(d + i, x < y ? x : y); } }
export function i16x8MinU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) { let x = load<u16>(a + i), y = load<u16>(b + i); store<u16>(d + i, x < y ? x : y); } }
export function i16x8MaxS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) { let x = load<i16>(a + i), y = load<i16>(b + i); store<i16>(d + i, x > y ? x : y); } }
export function i16x8MaxU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) { let x = load<u16>(a + i), y = load<u16>(b + i); store<u16>(d + i, x > y ? x : y); } }
export function i32x4MinS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) { let x = load<i32>(a + i), y = load<i32>(b + i); store<i32>(d + i, x < y ? x : y); } }
export function i32x4MinU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) { let x = load<u32>(a + i), y = load<u32>(b + i); store<u32>(d + i, x < y ? x : y); } }
export function i32x4MaxS(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) { let x = load<i32>(a + i), y = load<i32>(b + i); store<i32>(d + i, x > y ? x : y); } }
export function i32x4MaxU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 4) { let x = load<u32>(a + i), y = load<u32>(b + i); store<u32>(d + i, x > y ? x : y); } }
export function i8x16AvgrU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i++) store<u8>(d + i, <u8>((<u32>load<u8>(a + i) + <u32>load<u8>(b + i) + 1) >> 1)); }
export function i16x8AvgrU(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, <u16>((<u32>load<u16>(a + i) + <u32>load<u16>(b + i) + 1) >> 1)); }

// ---------------------------------------------------------------- mul, q15mulr_sat_s

export function i16x8Mul(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, <u16>(<u32>load<u16>(a + i) * <u32>load<u16>(b + i))); }
export function i32x4Mul(d: usize, a: usize, b: usize): void { put(d, mul32x2(load<u64>(a), load<u64>(b)), mul32x2(load<u64>(a, 8), load<u64>(b, 8))); }
/** Two i32 lanes in a u64 multiplied lane by lane: the low lane's product is the low half of the full one. */
@inline function mul32x2(x: u64, y: u64): u64 { return ((x * y) & 0xFFFFFFFF) | (((x >>> 32) * (y >>> 32)) << 32); }
export function i64x2Mul(d: usize, a: usize, b: usize): void { for (let i: usize = 0; i < 16; i += 8) store<u64>(d + i, load<u64>(a + i) * load<u64>(b + i)); }
/** (a * b + 0x4000) >> 15, saturated (only -32768 * -32768 overflows). */
export function i16x8Q15mulrSatS(d: usize, a: usize, b: usize): void {
  for (let i: usize = 0; i < 16; i += 2) store<u16>(d + i, <u16>satS16((<i32>load<i16>(a + i) * <i32>load<i16>(b + i) + 0x4000) >> 15));
}
