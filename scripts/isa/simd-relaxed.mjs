// Relaxed SIMD (prefix 0xFD, 0x100..0x113), each op with ONE deterministic
// result (docs/determinism.md, "Relaxed SIMD"): where the proposal allows
// several, WRT gives its non-relaxed twin's, so those rows name the twin's
// semantics; madd/nmadd (unfused) and the i7 dot products are in
// assembly/exec/simd/relaxed.ts.

export const proposal = "relaxed-simd";
export const extension = { prefix: 0xFD, feature: "RelaxedSIMD", fuel: "FD", sem: "simd/ops" };

const un = (wasm, code, sem) => ({ wasm, code, sig: "v128 -> v128", sem });
const bin = (wasm, code, sem) => ({ wasm, code, sig: "v128 v128 -> v128", sem });
const tern = (wasm, code, sem) => ({ wasm, code, sig: "v128 v128 v128 -> v128", sem });

export const ops = [
  bin("i8x16.relaxed_swizzle", 0x100, "i8x16Swizzle"),
  un("i32x4.relaxed_trunc_f32x4_s", 0x101, "i32x4TruncSatF32x4S"),
  un("i32x4.relaxed_trunc_f32x4_u", 0x102, "i32x4TruncSatF32x4U"),
  un("i32x4.relaxed_trunc_f64x2_s_zero", 0x103, "i32x4TruncSatF64x2SZero"),
  un("i32x4.relaxed_trunc_f64x2_u_zero", 0x104, "i32x4TruncSatF64x2UZero"),
  tern("f32x4.relaxed_madd", 0x105, "f32x4RelaxedMadd"),
  tern("f32x4.relaxed_nmadd", 0x106, "f32x4RelaxedNmadd"),
  tern("f64x2.relaxed_madd", 0x107, "f64x2RelaxedMadd"),
  tern("f64x2.relaxed_nmadd", 0x108, "f64x2RelaxedNmadd"),
  tern("i8x16.relaxed_laneselect", 0x109, "v128Bitselect"),
  tern("i16x8.relaxed_laneselect", 0x10A, "v128Bitselect"),
  tern("i32x4.relaxed_laneselect", 0x10B, "v128Bitselect"),
  tern("i64x2.relaxed_laneselect", 0x10C, "v128Bitselect"),
  bin("f32x4.relaxed_min", 0x10D, "f32x4Min"),
  bin("f32x4.relaxed_max", 0x10E, "f32x4Max"),
  bin("f64x2.relaxed_min", 0x10F, "f64x2Min"),
  bin("f64x2.relaxed_max", 0x110, "f64x2Max"),
  bin("i16x8.relaxed_q15mulr_s", 0x111, "i16x8Q15mulrSatS"),
  bin("i16x8.relaxed_dot_i8x16_i7x16_s", 0x112, "i16x8RelaxedDotI8x16I7x16S"),
  tern("i32x4.relaxed_dot_i8x16_i7x16_add_s", 0x113, "i32x4RelaxedDotI8x16I7x16AddS"),
];
