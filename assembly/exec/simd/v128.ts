// v128 values as the semantics functions see them: 16 bytes in a frame,
// two 8-byte slots (docs/internal-code.md, "v128 values"), lanes in
// little-endian order as in linear memory:
//
//   byte    0       4       8       12      16
//           +-------+-------+-------+-------+
//           |   lo slot     |   hi slot     |   (v: usize, 8-aligned)
//           +-------+-------+-------+-------+
//   i8x16   lane i at byte i
//   i16x8   lane i at byte 2i
//   i32x4 / f32x4   lane i at byte 4i
//   i64x2 / f64x2   lane i at byte 8i
//
// Everything is scalar AssemblyScript: the interpreter's own build uses no
// host SIMD, so wasm2c's C and SIMD-less MCUs run it.
//
// A result pointer may be an operand pointer (the compiler retargets a
// result to a local): a lane-wise op reads lane i of every input before it
// writes lane i; an op whose output lanes read other input lanes builds
// its result in SCRATCH and copies it out last (out/finish).

/** 16 bytes where cross-lane ops build their result. */
const SCRATCH: usize = memory.data(16);

/** Where a cross-lane op writes its result lanes (then `finish`). */
@inline export function out(): usize { return SCRATCH; }

/** Copies the result built in SCRATCH to d. */
@inline export function finish(d: usize): void {
  store<u64>(d, load<u64>(SCRATCH));
  store<u64>(d, load<u64>(SCRATCH, 8), 8);
}

@inline export function put(d: usize, lo: u64, hi: u64): void {
  store<u64>(d, lo);
  store<u64>(d, hi, 8);
}

// Determinism (docs/determinism.md): arithmetic NaNs are the canonical ones,
// as in the scalar ops of exec/interp.ts.
const CANON_NAN32: u32 = 0x7FC00000;
const CANON_NAN64: u64 = 0x7FF8000000000000;
@inline export function canon32(x: f32): u32 { return x != x ? CANON_NAN32 : reinterpret<u32>(x); }
@inline export function canon64(x: f64): u64 { return x != x ? CANON_NAN64 : reinterpret<u64>(x); }

/** A lane mask: all ones when true. */
@inline export function mask8(c: bool): u8 { return c ? <u8>0xFF : 0; }
@inline export function mask16(c: bool): u16 { return c ? <u16>0xFFFF : 0; }
@inline export function mask32(c: bool): u32 { return c ? 0xFFFFFFFF : 0; }
@inline export function mask64(c: bool): u64 { return c ? 0xFFFFFFFFFFFFFFFF : 0; }

// Saturation to a narrower integer.
@inline export function satS8(x: i32): i32 { return x < -128 ? -128 : x > 127 ? 127 : x; }
@inline export function satU8(x: i32): i32 { return x < 0 ? 0 : x > 255 ? 255 : x; }
@inline export function satS16(x: i32): i32 { return x < -32768 ? -32768 : x > 32767 ? 32767 : x; }
@inline export function satU16(x: i32): i32 { return x < 0 ? 0 : x > 65535 ? 65535 : x; }

// Saturating float -> i32 conversions (trunc_sat; written out, never left to the C compiler).
@inline export function truncSatS32(x: f64): i32 {
  if (x != x) return 0;
  if (x <= -2147483648.0) return i32.MIN_VALUE;
  if (x >= 2147483647.0) return i32.MAX_VALUE;
  return <i32>x;
}
@inline export function truncSatU32(x: f64): u32 {
  if (x != x || x <= 0) return 0;
  if (x >= 4294967295.0) return u32.MAX_VALUE;
  return <u32>x;
}
