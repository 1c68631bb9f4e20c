// Ops that change the lane shape: narrowing, widening (extend, extmul,
// extadd_pairwise, dot), and the float/integer conversions. Output lanes
// read other input lanes, so results are built in SCRATCH (out/finish).

import { out, finish, canon32, canon64, satS8, satU8, satS16, satU16, truncSatS32, truncSatU32 } from "./v128";

// ---------------------------------------------------------------- narrow (lanes of a, then of b, saturated)

export function i8x16NarrowI16x8S(d: usize, a: usize, b: usize): void {
  let r = out();
  for (let i: usize = 0; i < 8; i++) {
    store<i8>(r + i, <i8>satS8(<i32>load<i16>(a + (i << 1))));
    store<i8>(r + 8 + i, <i8>satS8(<i32>load<i16>(b + (i << 1))));
  }
  finish(d);
}
export function i8x16NarrowI16x8U(d: usize, a: usize, b: usize): void {
  let r = out();
  for (let i: usize = 0; i < 8; i++) {
    store<u8>(r + i, <u8>satU8(<i32>load<i16>(a + (i << 1))));
    store<u8>(r + 8 + i, <u8>satU8(<i32>load<i16>(b + (i << 1))));
  }
  finish(d);
}
export function i16x8NarrowI32x4S(d: usize, a: usize, b: usize): void {
  let r = out();
  for (let i: usize = 0; i < 4; i++) {
    store<i16>(r + (i << 1), <i16>satS16(load<i32>(a + (i << 2))));
    store<i16>(r + 8 + (i << 1), <i16>satS16(load<i32>(b + (i << 2))));
  }
  finish(d);
}
export function i16x8NarrowI32x4U(d: usize, a: usize, b: usize): void {
  let r = out();
  for (let i: usize = 0; i < 4; i++) {
    store<u16>(r + (i << 1), <u16>satU16(load<i32>(a + (i << 2))));
    store<u16>(r + 8 + (i << 1), <u16>satU16(load<i32>(b + (i << 2))));
  }
  finish(d);
}

// ---------------------------------------------------------------- extend (low = lanes 0..n/2-1, high = the rest)

@inline function ext8to16S(d: usize, a: usize): void {
  let r = out();
  for (let i: usize = 0; i < 8; i++) store<i16>(r + (i << 1), <i16>load<i8>(a + i));
  finish(d);
}
@inline function ext8to16U(d: usize, a: usize): void {
  let r = out();
  for (let i: usize = 0; i < 8; i++) store<u16>(r + (i << 1), <u16>load<u8>(a + i));
  finish(d);
}
@inline function ext16to32S(d: usize, a: usize): void {
  let r = out();
  for (let i: usize = 0; i < 4; i++) store<i32>(r + (i << 2), <i32>load<i16>(a + (i << 1)));
  finish(d);
}
@inline function ext16to32U(d: usize, a: usize): void {
  let r = out();
  for (let i: usize = 0; i < 4; i++) store<u32>(r + (i << 2), <u32>load<u16>(a + (i << 1)));
  finish(d);
}
@inline function ext32to64S(d: usize, a: usize): void {
  let lo = <i64>load<i32>(a), hi = <i64>load<i32>(a, 4);
  store<i64>(d, lo); store<i64>(d, hi, 8);
}
@inline function ext32to64U(d: usize, a: usize): void {
  let lo = <u64>load<u32>(a), hi = <u64>load<u32>(a, 4);
  store<u64>(d, lo); store<u64>(d, hi, 8);
}
export function i16x8ExtendLowI8x16S(d: usize, a: usize): void { ext8to16S(d, a); }
export function i16x8ExtendHighI8x16S(d: usize, a: usize): void { ext8to16S(d, a + 8); }
export function i16x8ExtendLowI8x16U(d: usize, a: usize): void { ext8to16U(d, a); }
export function i16x8ExtendHighI8x16U(d: usize, a: usize): void { ext8to16U(d, a + 8); }
export function i32x4ExtendLowI16x8S(d: usize, a: usize): void { ext16to32S(d, a); }
export function i32x4ExtendHighI16x8S(d: usize, a: usize): void { ext16to32S(d, a + 8); }
export function i32x4ExtendLowI16x8U(d: usize, a: usize): void { ext16to32U(d, a); }
export function i32x4ExtendHighI16x8U(d: usize, a: usize): void { ext16to32U(d, a + 8); }
export function i64x2ExtendLowI32x4S(d: usize, a: usize): void { ext32to64S(d, a); }
export function i64x2ExtendHighI32x4S(d: usize, a: usize): void { ext32to64S(d, a + 8); }
export function i64x2ExtendLowI32x4U(d: usize, a: usize): void { ext32to64U(d, a); }
export function i64x2ExtendHighI32x4U(d: usize, a: usize): void { ext32to64U(d, a + 8); }

// ---------------------------------------------------------------- extmul (widened products of the low or high halves)

@inline function mul8to16S(d: usize, a: usize, b: usize): void {
  let r = out();
  for (let i: usize = 0; i < 8; i++) store<i16>(r + (i << 1), <i16>(<i32>load<i8>(a + i) * <i32>load<i8>(b + i)));
  finish(d);
}
@inline function mul8to16U(d: usize, a: usize, b: usize): void {
  let r = out();
  for (let i: usize = 0; i < 8; i++) store<u16>(r + (i << 1), <u16>(<u32>load<u8>(a + i) * <u32>load<u8>(b + i)));
  finish(d);
}
@inline function mul16to32S(d: usize, a: usize, b: usize): void {
  let r = out();
  for (let i: usize = 0; i < 4; i++) store<i32>(r + (i << 2), <i32>load<i16>(a + (i << 1)) * <i32>load<i16>(b + (i << 1)));
  finish(d);
}
@inline function mul16to32U(d: usize, a: usize, b: usize): void {
  let r = out();
  for (let i: usize = 0; i < 4; i++) store<u32>(r + (i << 2), <u32>load<u16>(a + (i << 1)) * <u32>load<u16>(b + (i << 1)));
  finish(d);
}
@inline function mul32to64S(d: usize, a: usize, b: usize): void {
  let lo = <i64>load<i32>(a) * <i64>load<i32>(b), hi = <i64>load<i32>(a, 4) * <i64>load<i32>(b, 4);
  store<i64>(d, lo); store<i64>(d, hi, 8);
}
@inline function mul32to64U(d: usize, a: usize, b: usize): void {
  let lo = <u64>load<u32>(a) * <u64>load<u32>(b), hi = <u64>load<u32>(a, 4) * <u64>load<u32>(b, 4);
  store<u64>(d, lo); store<u64>(d, hi, 8);
}
export function i16x8ExtmulLowI8x16S(d: usize, a: usize, b: usize): void { mul8to16S(d, a, b); }
export function i16x8ExtmulHighI8x16S(d: usize, a: usize, b: usize): void { mul8to16S(d, a + 8, b + 8); }
export function i16x8ExtmulLowI8x16U(d: usize, a: usize, b: usize): void { mul8to16U(d, a, b); }
export function i16x8ExtmulHighI8x16U(d: usize, a: usize, b: usize): void { mul8to16U(d, a + 8, b + 8); }
export function i32x4ExtmulLowI16x8S(d: usize, a: usize, b: usize): void { mul16to32S(d, a, b); }
export function i32x4ExtmulHighI16x8S(d: usize, a: usize, b: usize): void { mul16to32S(d, a + 8, b + 8); }
export function i32x4ExtmulLowI16x8U(d: usize, a: usize, b: usize): void { mul16to32U(d, a, b); }
export function i32x4ExtmulHighI16x8U(d: usize, a: usize, b: usize): void { mul16to32U(d, a + 8, b + 8); }
export function i64x2ExtmulLowI32x4S(d: usize, a: usize, b: usize): void { mul32to64S(d, a, b); }
export function i64x2ExtmulHighI32x4S(d: usize, a: usize, b: usize): void { mul32to64S(d, a + 8, b + 8); }
export function i64x2ExtmulLowI32x4U(d: usize, a: usize, b: usize): void { mul32to64U(d, a, b); }
export function i64x2ExtmulHighI32x4U(d: usize, a: usize, b: usize): void { mul32to64U(d, a + 8, b + 8); }

// ---------------------------------------------------------------- pairwise sums, dot

export function i16x8ExtaddPairwiseI8x16S(d: usize, a: usize): void {
  let r = out();
  for (let i: usize = 0; i < 8; i++) store<i16>(r + (i << 1), <i16>(<i32>load<i8>(a + (i << 1)) + <i32>load<i8>(a + (i << 1) + 1)));
  finish(d);
}
export function i16x8ExtaddPairwiseI8x16U(d: usize, a: usize): void {
  let r = out();
  for (let i: usize = 0; i < 8; i++) store<u16>(r + (i << 1), <u16>(<u32>load<u8>(a + (i << 1)) + <u32>load<u8>(a + (i << 1) + 1)));
  finish(d);
}
export function i32x4ExtaddPairwiseI16x8S(d: usize, a: usize): void {
  let r = out();
  for (let i: usize = 0; i < 4; i++) store<i32>(r + (i << 2), <i32>load<i16>(a + (i << 2)) + <i32>load<i16>(a + (i << 2) + 2));
  finish(d);
}
export function i32x4ExtaddPairwiseI16x8U(d: usize, a: usize): void {
  let r = out();
  for (let i: usize = 0; i < 4; i++) store<u32>(r + (i << 2), <u32>load<u16>(a + (i << 2)) + <u32>load<u16>(a + (i << 2) + 2));
  finish(d);
}
/** Lane i: a[2i] * b[2i] + a[2i+1] * b[2i+1] over i16 lanes, wrapping at 32 bits. */
export function i32x4DotI16x8S(d: usize, a: usize, b: usize): void {
  let r = out();
  for (let i: usize = 0; i < 16; i += 4) {
    let p0 = <i32>load<i16>(a + i) * <i32>load<i16>(b + i);
    let p1 = <i32>load<i16>(a + i + 2) * <i32>load<i16>(b + i + 2);
    store<i32>(r + i, p0 + p1);
  }
  finish(d);
}

// ---------------------------------------------------------------- float <-> integer

export function i32x4TruncSatF32x4S(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 4) store<i32>(d + i, truncSatS32(<f64>load<f32>(a + i))); }
export function i32x4TruncSatF32x4U(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 4) store<u32>(d + i, truncSatU32(<f64>load<f32>(a + i))); }
export function f32x4ConvertI32x4S(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 4) store<f32>(d + i, <f32>load<i32>(a + i)); }
export function f32x4ConvertI32x4U(d: usize, a: usize): void { for (let i: usize = 0; i < 16; i += 4) store<f32>(d + i, <f32>load<u32>(a + i)); }
/** Lanes 0 and 1 from the two f64 lanes, lanes 2 and 3 zero. */
export function i32x4TruncSatF64x2SZero(d: usize, a: usize): void {
  let x = truncSatS32(load<f64>(a)), y = truncSatS32(load<f64>(a, 8));
  store<u64>(d, <u64><u32>x | (<u64><u32>y << 32)); store<u64>(d, 0, 8);
}
export function i32x4TruncSatF64x2UZero(d: usize, a: usize): void {
  let x = truncSatU32(load<f64>(a)), y = truncSatU32(load<f64>(a, 8));
  store<u64>(d, <u64>x | (<u64>y << 32)); store<u64>(d, 0, 8);
}
export function f64x2ConvertLowI32x4S(d: usize, a: usize): void {
  let x = <f64>load<i32>(a), y = <f64>load<i32>(a, 4);
  store<f64>(d, x); store<f64>(d, y, 8);
}
export function f64x2ConvertLowI32x4U(d: usize, a: usize): void {
  let x = <f64>load<u32>(a), y = <f64>load<u32>(a, 4);
  store<f64>(d, x); store<f64>(d, y, 8);
}
export function f32x4DemoteF64x2Zero(d: usize, a: usize): void {
  let x = canon32(<f32>load<f64>(a)), y = canon32(<f32>load<f64>(a, 8));
  store<u64>(d, <u64>x | (<u64>y << 32)); store<u64>(d, 0, 8);
}
export function f64x2PromoteLowF32x4(d: usize, a: usize): void {
  let x = canon64(<f64>load<f32>(a)), y = canon64(<f64>load<f32>(a, 4));
  store<u64>(d, x); store<u64>(d, y, 8);
}
