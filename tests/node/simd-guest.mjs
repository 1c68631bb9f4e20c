// The SIMD guest of migration-simd.test.mjs and device-simd.test.mjs: four
// 32-bit lanes mixed with SIMD ops (shifts, xor, swizzle, shuffles,
// saturating i16x8 arithmetic, i64x2 adds, v128.store) in a loop under a
// recursion, with v128 values in locals, on the operand stack (eight of the
// nine $walk frames hold a shuffled v128 across their recursive call) and in
// a mutable v128 global ($g). Not a test file itself.
import { wat } from "./support.mjs";

// run(k, n, seed): k walks, each 8 calls deep, each ending in a leaf loop of
// n rounds; returns the lanes of the accumulated vector and of $g folded.
export const WAT = `(module
  (memory (export "mem") 1)
  (global $g (export "g") (mut v128) (v128.const i32x4 0x9e3779b9 0x7f4a7c15 0x85ebca6b 0xc2b2ae35))
  ;; xorshift32 on each lane, plus the global's bytes picked by the low nibbles
  (func $mix (param $v v128) (result v128)
    (local.set $v (v128.xor (local.get $v) (i32x4.shl (local.get $v) (i32.const 13))))
    (local.set $v (v128.xor (local.get $v) (i32x4.shr_u (local.get $v) (i32.const 17))))
    (local.set $v (v128.xor (local.get $v) (i32x4.shl (local.get $v) (i32.const 5))))
    (i32x4.add (local.get $v)
      (i8x16.swizzle (global.get $g) (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))))
  ;; n rounds: each round's vector to memory (a ring of 4096 vectors) and into the global
  (func $leaf (param $v v128) (param $n i32) (result v128) (local $i i32) (local $w v128)
    (local.set $w (i16x8.splat (local.get $n)))
    (loop $round
      (local.set $v (call $mix (local.get $v)))
      (v128.store (i32.and (i32.shl (local.get $i) (i32.const 4)) (i32.const 0xFFF0)) (local.get $v))
      (local.set $w (i16x8.add_sat_u (i16x8.mul (local.get $w) (i16x8.splat (i32.const 3))) (local.get $v)))
      (global.set $g (i64x2.add (global.get $g) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $v) (local.get $w))))
      (br_if $round (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (v128.xor (local.get $v) (local.get $w)))
  ;; d levels of recursion: each keeps a v128 on the operand stack across its call
  (func $walk (param $v v128) (param $d i32) (param $n i32) (result v128)
    (if (result v128) (i32.eqz (local.get $d))
      (then (call $leaf (local.get $v) (local.get $n)))
      (else
        (i32x4.sub
          (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0 (local.get $v) (global.get $g))
          (call $walk (call $mix (local.get $v)) (i32.sub (local.get $d) (i32.const 1)) (local.get $n))))))
  (func (export "run") (param $k i32) (param $n i32) (param $seed i32) (result i32) (local $acc v128) (local $j i32)
    (local.set $acc (i32x4.splat (local.get $seed)))
    (loop $walks
      (local.set $acc (i64x2.add (local.get $acc)
        (call $walk (i32x4.add (local.get $acc) (i32x4.splat (local.get $j))) (i32.const 8) (local.get $n))))
      (br_if $walks (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $k))))
    (i32.xor (i32.xor (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
      (i32.xor (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (global.get $g))))))`;

export const GUEST = wat(WAT, { name: "simd.wat" });
/** run's arguments: k = 8 walks, n = 2000 leaf rounds, the seed. */
export const ARGS = [8, 2000, 12345];
// The whole call takes about 0.9 M fuel; Node stops it in the fourth walk's leaf loop.
export const A = 400_000n;
