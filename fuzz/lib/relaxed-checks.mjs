// The relaxed SIMD checks V8 runs in the fuzzer (fuzz/lib/relaxed.mjs): one
// function per relaxed op, with the op's own operands and result type. Each
// runs the relaxed op (V8's choice, the host's), records in a global when
// that value is not one the spec allows for these operands (bit k for the
// k-th op of RELAXED_OPS: V8 outside the spec, reported and not compared),
// and returns WRT's documented choice (docs/determinism.md) computed with
// non-relaxed ops; so V8 goes on with exactly what WRT must compute, and any
// difference downstream is WRT's. The bodies use no calls, memory or
// functions' types, and only the global they are built for, so
// relaxed.mjs copies them into a fuzz module as they are.
//
// Allowed results (the relaxed-simd proposal, Overview.md; where the
// proposal's text and its pseudo-code differ, both are allowed):
//   swizzle      index < 16: a[index]; 16..127: 0 or a[index % 16]; >= 128: 0
//   trunc        in range: the truncation; NaN: 0, INT32_MIN or INT32_MAX
//                (signed), 0 or UINT32_MAX (unsigned); out of range: the
//                saturated value or INT32_MIN (signed) / UINT32_MAX (unsigned)
//   madd/nmadd   a * b + c rounded twice (WRT's) or once (fused); the fused
//                value is computed without fma (f32: the exact product in f64;
//                f64: Dekker's split and a two-sum) and accepted within one
//                unit in the last place; a NaN where either form is a NaN
//   laneselect   per lane: bitselect (WRT's) or the lane of a or b chosen by
//                the mask lane's top bit
//   min/max      an operand is NaN, or the operands are zeros of different
//                signs: either operand (or a NaN if one is); else min/max
//   q15mulr      -32768 * -32768: 32767 (WRT's) or -32768; else q15mulr_sat
//   dot          b read signed (WRT's) or unsigned; each pair of products
//                summed exactly, wrapped (WRT's, i16x8) or saturated to 16 bits
//   dot_add      as dot, pair sums exact (WRT's) or saturated, then + c

/** Relaxed op (0xFD sub-opcode) -> { arity, name }: every relaxed SIMD op has a check. */
export const RELAXED_OPS = new Map([
  [0x100, { arity: 2, name: "swizzle" }],
  [0x101, { arity: 1, name: "trunc_f32x4_s" }], [0x102, { arity: 1, name: "trunc_f32x4_u" }],
  [0x103, { arity: 1, name: "trunc_f64x2_s_zero" }], [0x104, { arity: 1, name: "trunc_f64x2_u_zero" }],
  [0x105, { arity: 3, name: "f32x4_madd" }], [0x106, { arity: 3, name: "f32x4_nmadd" }],
  [0x107, { arity: 3, name: "f64x2_madd" }], [0x108, { arity: 3, name: "f64x2_nmadd" }],
  [0x109, { arity: 3, name: "i8x16_laneselect" }], [0x10a, { arity: 3, name: "i16x8_laneselect" }],
  [0x10b, { arity: 3, name: "i32x4_laneselect" }], [0x10c, { arity: 3, name: "i64x2_laneselect" }],
  [0x10d, { arity: 2, name: "f32x4_min" }], [0x10e, { arity: 2, name: "f32x4_max" }],
  [0x10f, { arity: 2, name: "f64x2_min" }], [0x110, { arity: 2, name: "f64x2_max" }],
  [0x111, { arity: 2, name: "q15mulr" }], [0x112, { arity: 2, name: "dot" }], [0x113, { arity: 3, name: "dot_add" }],
]);

const params = (n) => `(param $a v128)${n > 1 ? " (param $b v128)" : ""}${n > 2 ? " (param $c v128)" : ""}`;
/** Records V8's value as outside the spec (bit BIT, set per function by checksWat) unless every lane of `ok` is set; then `d`. */
const check = (ok, allTrue, d) => `(if (i32.eqz (${allTrue} ${ok})) (then (global.set $outside (i32.or (global.get $outside) (i32.const BIT))))) ${d}`;

// ---- the bodies, by op: (local $x v128) holds the relaxed result ----

const truncF32 = (op, sat, inRange, nanOk) => `(local $x v128) (local $d v128)
  (local.set $x (${op} (local.get $a)))
  (local.set $d (${sat} (local.get $a)))
  ${check(`(v128.or (v128.or (i32x4.eq (local.get $x) (local.get $d))
      (v128.andnot ${nanOk} ${inRange}))
      (v128.and (f32x4.ne (local.get $a) (local.get $a)) (i32x4.eq (local.get $x) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))))`, "i32x4.all_true", "(local.get $d)")}`;

// f64x2 masks (64-bit lanes) -> i32x4 lanes 0 and 1; lanes 2 and 3 from `rest`
const narrowMask = (m, rest) => `(i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 20 21 22 23 ${m} ${rest})`;
const truncF64 = (op, sat, inRange, other) => `(local $x v128) (local $d v128)
  (local.set $x (${op} (local.get $a)))
  (local.set $d (${sat} (local.get $a)))
  ${check(`(v128.or (v128.or (i32x4.eq (local.get $x) (local.get $d))
      (v128.andnot (i32x4.eq (local.get $x) ${other}) ${narrowMask(inRange, "(v128.const i32x4 -1 -1 -1 -1)")}))
      (v128.and ${narrowMask("(f64x2.ne (local.get $a) (local.get $a))", "(v128.const i32x4 0 0 0 0)")} (i32x4.eq (local.get $x) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))))`, "i32x4.all_true", "(local.get $d)")}`;

const MIN32 = "(v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000)";
const MAX32U = "(v128.const i32x4 -1 -1 -1 -1)";

/** `a`, or its negation (sa: "f32x4.neg" / "f64x2.neg", or "" for a itself). */
const signed = (sa) => (sa ? `(${sa} (local.get $a))` : "(local.get $a)");

/** f32x4 fused a * b + c (sa: the sign op for a), from the exact f64 product: lanes lo (0, 1) and hi (2, 3). */
const fusedF32 = (sa) => {
  const half = (sel) => `(f32x4.demote_f64x2_zero (f64x2.add
      (f64x2.mul (f64x2.promote_low_f32x4 ${sel(signed(sa))}) (f64x2.promote_low_f32x4 ${sel("(local.get $b)")}))
      (f64x2.promote_low_f32x4 ${sel("(local.get $c)")})))`;
  const high = (v) => `(i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 ${v} ${v})`;
  return `(i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 ${half((v) => v)} ${half(high)})`;
};

const maddF32 = (op, sa) => `(local $x v128) (local $u v128) (local $f v128) (local $diff v128)
  (local.set $x (${op} (local.get $a) (local.get $b) (local.get $c)))
  (local.set $u (f32x4.add (f32x4.mul ${signed(sa)} (local.get $b)) (local.get $c)))
  (local.set $f ${fusedF32(sa)})
  (local.set $diff (i32x4.abs (i32x4.sub (local.get $x) (local.get $f))))
  ${check(`(v128.or (v128.or (i32x4.eq (local.get $x) (local.get $u)) (i32x4.le_u (local.get $diff) (v128.const i32x4 1 1 1 1)))
      (v128.and (f32x4.ne (local.get $x) (local.get $x))
        (v128.or (f32x4.ne (local.get $u) (local.get $u)) (f32x4.ne (local.get $f) (local.get $f)))))`, "i32x4.all_true", "(local.get $u)")}`;

// f64x2: Dekker's split (Veltkamp, 2^27 + 1) makes the product's error exact, a two-sum the addition's
const maddF64 = (op, sa) => `(local $x v128) (local $u v128) (local $f v128) (local $diff v128)
  (local $na v128) (local $p v128) (local $e v128) (local $s v128) (local $t v128)
  (local $ah v128) (local $al v128) (local $bh v128) (local $bl v128) (local $bb v128)
  (local.set $na ${signed(sa)})
  (local.set $x (${op} (local.get $a) (local.get $b) (local.get $c)))
  (local.set $u (f64x2.add (f64x2.mul (local.get $na) (local.get $b)) (local.get $c)))
  (local.set $t (f64x2.mul (local.get $na) (v128.const f64x2 134217729 134217729)))
  (local.set $ah (f64x2.sub (local.get $t) (f64x2.sub (local.get $t) (local.get $na))))
  (local.set $al (f64x2.sub (local.get $na) (local.get $ah)))
  (local.set $t (f64x2.mul (local.get $b) (v128.const f64x2 134217729 134217729)))
  (local.set $bh (f64x2.sub (local.get $t) (f64x2.sub (local.get $t) (local.get $b))))
  (local.set $bl (f64x2.sub (local.get $b) (local.get $bh)))
  (local.set $p (f64x2.mul (local.get $na) (local.get $b)))
  (local.set $e (f64x2.add (f64x2.add (f64x2.add
      (f64x2.sub (f64x2.mul (local.get $ah) (local.get $bh)) (local.get $p))
      (f64x2.mul (local.get $ah) (local.get $bl))) (f64x2.mul (local.get $al) (local.get $bh)))
      (f64x2.mul (local.get $al) (local.get $bl))))
  (local.set $s (f64x2.add (local.get $p) (local.get $c)))
  (local.set $bb (f64x2.sub (local.get $s) (local.get $p)))
  (local.set $t (f64x2.add (f64x2.sub (local.get $p) (f64x2.sub (local.get $s) (local.get $bb)))
      (f64x2.sub (local.get $c) (local.get $bb))))
  (local.set $f (f64x2.add (local.get $s) (f64x2.add (local.get $t) (local.get $e))))
  (local.set $diff (i64x2.abs (i64x2.sub (local.get $x) (local.get $f))))
  ${check(`(v128.or (v128.or (i64x2.eq (local.get $x) (local.get $u))
        (v128.and (i64x2.ge_s (local.get $diff) (v128.const i64x2 0 0)) (i64x2.le_s (local.get $diff) (v128.const i64x2 1 1))))
      (v128.and (f64x2.ne (local.get $x) (local.get $x))
        (v128.or (f64x2.ne (local.get $u) (local.get $u)) (f64x2.ne (local.get $f) (local.get $f)))))`, "i64x2.all_true", "(local.get $u)")}`;

const laneselect = (op, shape, bits) => `(local $x v128) (local $d v128)
  (local.set $x (${op} (local.get $a) (local.get $b) (local.get $c)))
  (local.set $d (v128.bitselect (local.get $a) (local.get $b) (local.get $c)))
  ${check(`(v128.or (${shape}.eq (local.get $x) (local.get $d))
      (${shape}.eq (local.get $x) (v128.bitselect (local.get $a) (local.get $b) (${shape}.shr_s (local.get $c) (i32.const ${bits - 1})))))`, `${shape}.all_true`, "(local.get $d)")}`;

const minMax = (op, det, f, i) => `(local $x v128) (local $d v128) (local $special v128) (local $nan v128)
  (local.set $x (${op} (local.get $a) (local.get $b)))
  (local.set $d (${det} (local.get $a) (local.get $b)))
  (local.set $nan (v128.or (${f}.ne (local.get $a) (local.get $a)) (${f}.ne (local.get $b) (local.get $b))))
  (local.set $special (v128.or (local.get $nan)
    (v128.and (v128.and (${f}.eq (local.get $a) (${f}.splat (${f === "f32x4" ? "f32" : "f64"}.const 0))) (${f}.eq (local.get $b) (${f}.splat (${f === "f32x4" ? "f32" : "f64"}.const 0))))
      (v128.not (${i}.eq (local.get $a) (local.get $b))))))
  ${check(`(v128.or (${i}.eq (local.get $x) (local.get $d))
      (v128.and (local.get $special)
        (v128.or (v128.or (${i}.eq (local.get $x) (local.get $a)) (${i}.eq (local.get $x) (local.get $b)))
          (v128.and (local.get $nan) (${f}.ne (local.get $x) (local.get $x))))))`, `${i}.all_true`, "(local.get $d)")}`;

const q15 = `(local $x v128) (local $d v128)
  (local.set $x (i16x8.relaxed_q15mulr_s (local.get $a) (local.get $b)))
  (local.set $d (i16x8.q15mulr_sat_s (local.get $a) (local.get $b)))
  ${check(`(v128.or (i16x8.eq (local.get $x) (local.get $d))
      (v128.and (v128.and (i16x8.eq (local.get $a) (i16x8.splat (i32.const 0x8000))) (i16x8.eq (local.get $b) (i16x8.splat (i32.const 0x8000))))
        (i16x8.eq (local.get $x) (i16x8.splat (i32.const 0x8000)))))`, "i16x8.all_true", "(local.get $d)")}`;

// The 16 products a[i] * b[i] as two i16x8 (bytes 0-7, 8-15), b signed or unsigned; each fits 16 bits.
const products = (ext) => [
  `(i16x8.mul (i16x8.extend_low_i8x16_s (local.get $a)) (i16x8.extend_low_i8x16_${ext} (local.get $b)))`,
  `(i16x8.mul (i16x8.extend_high_i8x16_s (local.get $a)) (i16x8.extend_high_i8x16_${ext} (local.get $b)))`,
];
const ONES16 = "(v128.const i16x8 1 1 1 1 1 1 1 1)";
/** The eight exact pair sums as two i32x4 (pairs 0-3, 4-7). */
const pairSums = (ext) => products(ext).map((p) => `(i32x4.dot_i16x8_s ${p} ${ONES16})`);
const wrap16 = ([lo, hi]) => `(i8x16.shuffle 0 1 4 5 8 9 12 13 16 17 20 21 24 25 28 29 ${lo} ${hi})`;
const sat16 = ([lo, hi]) => `(i16x8.narrow_i32x4_s ${lo} ${hi})`;
const dot = `(local $x v128) (local $d v128)
  (local.set $x (i16x8.relaxed_dot_i8x16_i7x16_s (local.get $a) (local.get $b)))
  (local.set $d ${wrap16(pairSums("s"))})
  ${check(`(v128.or (v128.or (i16x8.eq (local.get $x) (local.get $d)) (i16x8.eq (local.get $x) ${sat16(pairSums("s"))}))
      (v128.or (i16x8.eq (local.get $x) ${wrap16(pairSums("u"))}) (i16x8.eq (local.get $x) ${sat16(pairSums("u"))})))`, "i16x8.all_true", "(local.get $d)")}`;
/** Four-product sums + c: pair sums exact (two i32x4) added pairwise, or saturated to i16 first. */
const quadExact = ([lo, hi]) => `(i32x4.add
    (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 ${lo} ${hi})
    (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 ${lo} ${hi}))`;
const quadSat = (ps) => `(i32x4.extadd_pairwise_i16x8_s ${sat16(ps)})`;
const dotAdd = `(local $x v128) (local $d v128)
  (local.set $x (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get $a) (local.get $b) (local.get $c)))
  (local.set $d (i32x4.add ${quadExact(pairSums("s"))} (local.get $c)))
  ${check(`(v128.or (v128.or (i32x4.eq (local.get $x) (local.get $d)) (i32x4.eq (local.get $x) (i32x4.add ${quadSat(pairSums("s"))} (local.get $c))))
      (v128.or (i32x4.eq (local.get $x) (i32x4.add ${quadExact(pairSums("u"))} (local.get $c)))
        (i32x4.eq (local.get $x) (i32x4.add ${quadSat(pairSums("u"))} (local.get $c)))))`, "i32x4.all_true", "(local.get $d)")}`;

const swizzle = `(local $x v128) (local $d v128)
  (local.set $x (i8x16.relaxed_swizzle (local.get $a) (local.get $b)))
  (local.set $d (i8x16.swizzle (local.get $a) (local.get $b)))
  ${check(`(v128.or (i8x16.eq (local.get $x) (local.get $d))
      (v128.and (i8x16.lt_u (local.get $b) (i8x16.splat (i32.const 128)))
        (i8x16.eq (local.get $x) (i8x16.swizzle (local.get $a) (v128.and (local.get $b) (i8x16.splat (i32.const 15)))))))`, "i8x16.all_true", "(local.get $d)")}`;

const F32_IN_S = "(v128.and (f32x4.ge (local.get $a) (f32x4.splat (f32.const -2147483648))) (f32x4.lt (local.get $a) (f32x4.splat (f32.const 2147483648))))";
const F32_IN_U = "(v128.and (f32x4.gt (local.get $a) (f32x4.splat (f32.const -1))) (f32x4.lt (local.get $a) (f32x4.splat (f32.const 4294967296))))";
const F64_IN_S = "(v128.and (f64x2.gt (local.get $a) (f64x2.splat (f64.const -2147483649))) (f64x2.lt (local.get $a) (f64x2.splat (f64.const 2147483648))))";
const F64_IN_U = "(v128.and (f64x2.gt (local.get $a) (f64x2.splat (f64.const -1))) (f64x2.lt (local.get $a) (f64x2.splat (f64.const 4294967296))))";
const NEG = (f) => `${f}.neg`;
const SAME = "";

const BODIES = {
  swizzle,
  trunc_f32x4_s: truncF32("i32x4.relaxed_trunc_f32x4_s", "i32x4.trunc_sat_f32x4_s", F32_IN_S, `(i32x4.eq (local.get $x) ${MIN32})`),
  trunc_f32x4_u: truncF32("i32x4.relaxed_trunc_f32x4_u", "i32x4.trunc_sat_f32x4_u", F32_IN_U, `(i32x4.eq (local.get $x) ${MAX32U})`),
  trunc_f64x2_s_zero: truncF64("i32x4.relaxed_trunc_f64x2_s_zero", "i32x4.trunc_sat_f64x2_s_zero", F64_IN_S, MIN32),
  trunc_f64x2_u_zero: truncF64("i32x4.relaxed_trunc_f64x2_u_zero", "i32x4.trunc_sat_f64x2_u_zero", F64_IN_U, MAX32U),
  f32x4_madd: maddF32("f32x4.relaxed_madd", SAME),
  f32x4_nmadd: maddF32("f32x4.relaxed_nmadd", NEG("f32x4")),
  f64x2_madd: maddF64("f64x2.relaxed_madd", SAME),
  f64x2_nmadd: maddF64("f64x2.relaxed_nmadd", NEG("f64x2")),
  i8x16_laneselect: laneselect("i8x16.relaxed_laneselect", "i8x16", 8),
  i16x8_laneselect: laneselect("i16x8.relaxed_laneselect", "i16x8", 16),
  i32x4_laneselect: laneselect("i32x4.relaxed_laneselect", "i32x4", 32),
  i64x2_laneselect: laneselect("i64x2.relaxed_laneselect", "i64x2", 64),
  f32x4_min: minMax("f32x4.relaxed_min", "f32x4.min", "f32x4", "i32x4"),
  f32x4_max: minMax("f32x4.relaxed_max", "f32x4.max", "f32x4", "i32x4"),
  f64x2_min: minMax("f64x2.relaxed_min", "f64x2.min", "f64x2", "i64x2"),
  f64x2_max: minMax("f64x2.relaxed_max", "f64x2.max", "f64x2", "i64x2"),
  q15mulr: q15,
  dot,
  dot_add: dotAdd,
};

/**
 * The checks as one WAT module: function k checks the k-th op of
 * RELAXED_OPS and sets bit k of global `globalIndex` (mutable i32) when V8's
 * value is outside the spec; the globals before it are placeholders, so that
 * the bodies name the index the fuzz module will give it.
 */
export function checksWat(globalIndex = 0) {
  const ops = [...RELAXED_OPS.values()];
  const pad = Array.from({ length: globalIndex }, () => "(global i32 (i32.const 0))").join(" ");
  const funcs = ops.map(({ arity, name }, k) =>
    `(func $${name} ${params(arity)} (result v128)\n  ${BODIES[name].replace("BIT", String(1 << k))})`);
  return `(module ${pad}\n(global $outside (export "outside") (mut i32) (i32.const 0))\n${funcs.join("\n")}\n${ops.map(({ name }) => `(export "${name}" (func $${name}))`).join("\n")})`;
}
