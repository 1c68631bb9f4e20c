// Relaxed SIMD with one deterministic result per instruction
// (docs/determinism.md, "Relaxed SIMD"): where the proposal allows several
// results, WRT gives the one its non-relaxed twin gives, on every engine.
// Ops identical to a twin are rows naming the twin's function in
// scripts/isa/simd-relaxed.mjs (relaxed_swizzle = swizzle, relaxed_trunc =
// trunc_sat, laneselect = bitselect, relaxed_min/max = min/max,
// relaxed_q15mulr_s = q15mulr_sat_s); the rest are here.

import { out, finish, canon32, canon64 } from "./v128";

// madd / nmadd: NOT fused. a * b rounds, then + c rounds (wasm has no
// scalar fma to build a fused result from cheaply; both are allowed).
export function f32x4RelaxedMadd(d: usize, a: usize, b: usize, c: usize): void {
  for (let i: usize = 0; i < 16; i += 4) {
    let p: f32 = load<f32>(a + i) * load<f32>(b + i);
    store<u32>(d + i, canon32(p + load<f32>(c + i)));
  }
}
/** -(a * b) + c, unfused. */
export function f32x4RelaxedNmadd(d: usize, a: usize, b: usize, c: usize): void {
  for (let i: usize = 0; i < 16; i += 4) {
    let p: f32 = -load<f32>(a + i) * load<f32>(b + i);
    store<u32>(d + i, canon32(p + load<f32>(c + i)));
  }
}
export function f64x2RelaxedMadd(d: usize, a: usize, b: usize, c: usize): void {
  for (let i: usize = 0; i < 16; i += 8) {
    let p: f64 = load<f64>(a + i) * load<f64>(b + i);
    store<u64>(d + i, canon64(p + load<f64>(c + i)));
  }
}
export function f64x2RelaxedNmadd(d: usize, a: usize, b: usize, c: usize): void {
  for (let i: usize = 0; i < 16; i += 8) {
    let p: f64 = -load<f64>(a + i) * load<f64>(b + i);
    store<u64>(d + i, canon64(p + load<f64>(c + i)));
  }
}

// dot_i8x16_i7x16: b's lanes read as SIGNED (the i7 domain agrees either
// way), products summed exactly, no intermediate saturation.
/** Lane i (i16): a[2i] * b[2i] + a[2i+1] * b[2i+1], wrapped to 16 bits. */
export function i16x8RelaxedDotI8x16I7x16S(d: usize, a: usize, b: usize): void {
  let r = out();
  for (let i: usize = 0; i < 16; i += 2) {
    let s = <i32>load<i8>(a + i) * <i32>load<i8>(b + i) + <i32>load<i8>(a + i + 1) * <i32>load<i8>(b + i + 1);
    store<i16>(r + i, <i16>s);
  }
  finish(d);
}
/** Lane i (i32): c[i] + the four products a[4i+k] * b[4i+k], wrapping at 32 bits. */
export function i32x4RelaxedDotI8x16I7x16AddS(d: usize, a: usize, b: usize, c: usize): void {
  let r = out();
  for (let i: usize = 0; i < 16; i += 4) {
    let s = load<i32>(c + i);
    for (let k: usize = 0; k < 4; k++) s += <i32>load<i8>(a + i + k) * <i32>load<i8>(b + i + k);
    store<i32>(r + i, s);
  }
  finish(d);
}
