// v128.const, splats, lane extraction and replacement, shuffle and swizzle.
// Scalar slots are 8 bytes: an i32 or f32 result is written zero-extended
// with one 8-byte store (docs/internal-code.md, "Slots are written 8 bytes
// wide"). Float lanes move as bits: extract/replace/splat keep NaN payloads.
// Lane immediates are masked to the lane count: an image's words are not
// validated Wasm, and an index must never reach past the value.

import { out, finish, put } from "./v128";

/** v128.const: the 16 bytes are in the code, right after the op's slot word. */
export function v128Const(d: usize, imm: usize): void {
  put(d, load<u64>(imm), load<u64>(imm, 8));
}

export function i8x16Splat(d: usize, x: usize): void {
  let v = <u64>load<u8>(x) * 0x0101010101010101;
  put(d, v, v);
}
export function i16x8Splat(d: usize, x: usize): void {
  let v = <u64>load<u16>(x) * 0x0001000100010001;
  put(d, v, v);
}
export function i32x4Splat(d: usize, x: usize): void {
  let v = <u64>load<u32>(x) * 0x0000000100000001;
  put(d, v, v);
}
export function i64x2Splat(d: usize, x: usize): void {
  let v = load<u64>(x);
  put(d, v, v);
}

export function i8x16ExtractLaneS(d: usize, a: usize, lane: u32): void {
  store<u64>(d, <u64><u32><i32>load<i8>(a + <usize>(lane & 15)));
}
export function i8x16ExtractLaneU(d: usize, a: usize, lane: u32): void {
  store<u64>(d, <u64>load<u8>(a + <usize>(lane & 15)));
}
export function i16x8ExtractLaneS(d: usize, a: usize, lane: u32): void {
  store<u64>(d, <u64><u32><i32>load<i16>(a + (<usize>(lane & 7) << 1)));
}
export function i16x8ExtractLaneU(d: usize, a: usize, lane: u32): void {
  store<u64>(d, <u64>load<u16>(a + (<usize>(lane & 7) << 1)));
}
/** i32x4 and f32x4 (the bits). */
export function i32x4ExtractLane(d: usize, a: usize, lane: u32): void {
  store<u64>(d, <u64>load<u32>(a + (<usize>(lane & 3) << 2)));
}
/** i64x2 and f64x2 (the bits). */
export function i64x2ExtractLane(d: usize, a: usize, lane: u32): void {
  store<u64>(d, load<u64>(a + (<usize>(lane & 1) << 3)));
}

// replace_lane: d may be a (lane-wise copy) and x sits above a on the stack.
export function i8x16ReplaceLane(d: usize, a: usize, x: usize, lane: u32): void {
  let v = load<u8>(x);
  put(d, load<u64>(a), load<u64>(a, 8));
  store<u8>(d + <usize>(lane & 15), v);
}
export function i16x8ReplaceLane(d: usize, a: usize, x: usize, lane: u32): void {
  let v = load<u16>(x);
  put(d, load<u64>(a), load<u64>(a, 8));
  store<u16>(d + (<usize>(lane & 7) << 1), v);
}
/** i32x4 and f32x4 (the bits). */
export function i32x4ReplaceLane(d: usize, a: usize, x: usize, lane: u32): void {
  let v = load<u32>(x);
  put(d, load<u64>(a), load<u64>(a, 8));
  store<u32>(d + (<usize>(lane & 3) << 2), v);
}
/** i64x2 and f64x2 (the bits). */
export function i64x2ReplaceLane(d: usize, a: usize, x: usize, lane: u32): void {
  let v = load<u64>(x);
  put(d, load<u64>(a), load<u64>(a, 8));
  store<u64>(d + (<usize>(lane & 1) << 3), v);
}

/** i8x16.shuffle: lane i is byte lanes[i] of a ++ b (the 16 indices are in the code). */
export function i8x16Shuffle(d: usize, a: usize, b: usize, lanes: usize): void {
  let r = out();
  for (let i: usize = 0; i < 16; i++) {
    let l = <usize>(load<u8>(lanes + i) & 31);
    store<u8>(r + i, l < 16 ? load<u8>(a + l) : load<u8>(b + l - 16));
  }
  finish(d);
}

/** i8x16.swizzle: lane i is a[b[i]], or 0 when b[i] >= 16. */
export function i8x16Swizzle(d: usize, a: usize, b: usize): void {
  let r = out();
  for (let i: usize = 0; i < 16; i++) {
    let l = <usize>load<u8>(b + i);
    store<u8>(r + i, l < 16 ? load<u8>(a + l) : 0);
  }
  finish(d);
}
