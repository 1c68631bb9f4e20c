// Snapshots (and images) carry program counters into the internal code, and
// name the code only by IR_VERSION (compile/ir.ts). So any change to what the
// compiler emits must come with a new IR_VERSION, or a snapshot taken by one
// build would restore into another build's different code. This test pins
// the compiler's output for a few guests to the IR version: when it fails,
// bump IR_VERSION and record the new digest here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Engine, Module } from "../../host-shims/node/dist/index.js";
import { GUEST } from "./snapshot-guest.mjs";
import { wat, imageParts } from "./support.mjs";

/** IR_VERSION -> SHA-256 of the guests' internal code, function tables and side tables (from their images). */
const DIGESTS = {
  7: "980e75fe1cc88159e019f3a22d693a969e4762094e68a88e6ceb8af0128f08a2",
  8: "eb684e54ed71f938e9790e530986b300ce30237ea7ca1260060a046387915030",
  9: "8354e7c18814d36f5a22e4efb7c039b5684cb8878bb8c2b007467ee22b2833c1", // trailing side entry for the trap rule (trust) + Ir.Ext extension ops (ext)
  10: "70e91bad220d75f4ed1d5d19d717626de1a70d64a1c9a41c26f7e45704f65848", // SelectAndImm, StoreAdd, StoreKAdd (and the crc guest added)
  11: "378e47c09220f097ff64ca62fd26a8975d0b54e11b459466c28fdf84b8f55bc1", // V128LoadAdd (and the SIMD guest added)
  12: "8e97ea6a66376d9e381d37fe12aea0e08d9d8a381cbc36e0807613e7c606a1b7", // local.set retargets a v128 result (and the SIMD guest's "acc")
  13: "792d4633b7ff51a8bf63e8a021b143038394f699fe091cc286cba2050480688d", // I32AddShl/I32XorRotr with the shift on the left (and the rowmajor guest added), on top of 12
  14: "641df4d89661f1cc7177d7c0d79f5dec267db7676f745a0dbc7acd09f9a5b43f", // I32ShrUAndImm (and the field guest added), SelectXorAndImm (the crc guest), on top of 13
  15: "01f21201928f8ef29f49f81fd7c9ec48a2f6aa66de9de8ed8d00b4a1feffbe81", // jumps carry the fuel of where they land (TargetCost, NextCost) and land past its Fuel op
  16: "0bd3ac37a64479b3dcd8f6d38c3b1eb239a67731af283942f168739e3bc8227e", // a call zeroes only the locals read before written (compile/zero-locals.ts), on top of 14 (15: branch fuel)
  17: "609aac24fe912bf506af466e88b1618fe1b8783e7c75fa7bed40689fbf099c16", // Load8UAdd, StoreK8Add on the numbers of the i64 narrow LoadAdd forms, which no longer fold (and the bytes guest added), on top of 16
  18: "3882c34571777276734bb92f313211a59a5e98c928a65d58a0aadc70908dd490", // batch merge: 15 (branch fuel) and 17 (zero-locals, byte-array ops) together
  19: "2b89a2ac7574d7fc4aa94da8f885414e7db19bbffbaeb3e9a486c3b6c7e84557", // I32AddImmJumpNeImm, I32AddJumpLtUImm (and the steps guest added), on top of 18
  20: "f5bba5f33939a729e6748c6dcca0b2e4d535092defc6f69d59b1c95e1a0405bb", // F64MulAdd: f64.mul feeding f64.add (and the muladd guest added), on top of 19
  21: "34648ade95e674b2c6168442e3ce6dcdeb70c7f65284705c2b01882b2433cf16", // a block of free instructions only pays through the next block's Fuel op (no Nop), a return of a local reads it in place (and the early guest added), on top of 20
  22: "b199884b60e30583ec1f78593995b0f1a10a4a3d470dedca8aba4304878a7f58", // F64MulLoads on the free number 247: f64.mul of two f64 loads in a row, optionally plus an add (and the dot2 guest added), on top of 21
  23: "554a5273ca1dff7432115d8c44f2ce8b9d87521e121d2aa28d23a58e0623e1e7", // le/ge against a constant as lt/gt of k+-1 (I32Le/GeS/UImm gone), a loop step fused with its signed test (I32AddImmJumpLtSImm, I32AddJumpLtSImm), multiply-adds (I32AddMulImm, I32AddMul), on top of 22
};

const GUESTS = [
  GUEST,
  wat(`(module (memory 1)
    (func $fib (export "fib") (param i32) (result i32)
      local.get 0 i32.const 2 i32.lt_u
      if (result i32) local.get 0
      else local.get 0 i32.const 1 i32.sub call $fib local.get 0 i32.const 2 i32.sub call $fib i32.add end)
    (func (export "sum") (param $n i32) (result i64) (local $i i32) (local $s i64)
      (block $out (loop $top
        (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i64.add (local.get $s) (i64.load (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
      (local.get $s))
    (func (export "crc") (param i32) (result i32) (local i32)
      (select (i32.xor (local.tee 1 (i32.shr_u (local.get 0) (i32.const 1))) (i32.const -306674912)) (local.get 1)
        (i32.and (local.get 0) (i32.const 1))))
    (func (export "rowmajor") (param i32 i32) (result i32)
      (i32.load16_s offset=2 (i32.add (i32.shl (i32.add (i32.shl (local.get 0) (i32.const 4)) (local.get 1)) (i32.const 1)) (i32.const 64))))
    (func (export "field") (param i32) (result i32) (i32.and (i32.shr_u (local.get 0) (i32.const 8)) (i32.const 255)))
    (func (export "steps") (param i32) (result i32) (local i32 i32)
      (loop $a (local.set 2 (i32.add (local.get 2) (local.get 1)))
        (br_if $a (i32.ne (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (i32.const 10))))
      (loop $b (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br_if $b (i32.lt_u (local.tee 1 (i32.add (local.get 1) (local.get 0))) (i32.const 100))))
      (local.get 2))
    (func (export "bytes") (param i32) (result i32)
      (i32.store8 (i32.add (local.get 0) (i32.const 1024)) (i32.const 1)) (i32.load8_u (i32.add (local.get 0) (i32.const 1024))))
    (func (export "muladd") (param f64 f64 f64) (result f64)
      (f64.add (local.get 2) (f64.mul (local.get 0) (local.get 1))))
    (func (export "pick") (param i32) (result i32)
      (block (block (block (br_table 0 1 2 (local.get 0))) (return (i32.const 10))) (return (i32.const 20)))
      (i32.const 30))
    ;; clang's fib: an early return of a local, then a loop that the if's end falls into (IR_VERSION 21)
    (func (export "early") (param i32) (result i32) (local i32)
      (if (i32.lt_s (local.get 0) (i32.const 2)) (then (return (local.get 0))))
      (loop $l (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (br_if $l (i32.gt_u (local.tee 0 (i32.sub (local.get 0) (i32.const 2))) (i32.const 3))))
      (local.get 1))
    ;; a product of two loads, and one added to a sum (F64MulLoads, IR_VERSION 22)
    (func (export "dot2") (param i32 i32 f64) (result f64)
      (f64.add (f64.mul (f64.load (i32.add (local.get 0) (i32.const 8))) (f64.load offset=16 (local.get 1)))
        (f64.add (local.get 2) (f64.mul (f64.load (local.get 0)) (f64.load (i32.add (i32.shl (local.get 1) (i32.const 3)) (i32.const 64))))))))`, { name: "ir-version.wat" }),
  // SIMD: a v128.load whose address add folds in (V128LoadAdd, IR_VERSION 11), one that does not, a run of Ext ops,
  // v128 results that local.set retargets (IR_VERSION 12)
  wat(`(module (memory 1)
    (func (export "dot4") (param i32) (result i32)
      (i32x4.extract_lane 0 (i32x4.add (i32x4.mul (v128.load (i32.add (local.get 0) (i32.const 16))) (v128.load offset=32 (local.get 0)))
        (v128.const i32x4 1 2 3 4))))
    (func (export "acc") (param i32) (result i32) (local v128)
      (local.set 1 (i32x4.add (local.get 1) (v128.load (local.get 0))))
      (local.set 1 (v128.load offset=16 (i32.add (local.get 0) (i32.const 4))))
      (i32x4.extract_lane 0 (local.get 1))))`, { name: "ir-version-simd.wat" }),
];

test("the compiler's output is pinned to IR_VERSION (bump it when this changes)", () => {
  const h = createHash("sha256");
  let version = null;
  for (const bytes of GUESTS) {
    for (const metering of [1, 0]) {
      const image = Module.load(new Engine({ log: false, config: { fuelMetering: metering } }), bytes).image();
      version = new DataView(image.buffer, image.byteOffset).getUint32(8, true);
      const { code, info, side } = imageParts(image);
      h.update(JSON.stringify([code, info, side]));
    }
  }
  const digest = h.digest("hex");
  assert.ok(version in DIGESTS, `IR_VERSION ${version} has no recorded digest: add ${version}: "${digest}"`);
  assert.equal(digest, DIGESTS[version],
    `the compiler's output changed but IR_VERSION is still ${version}: bump IR_VERSION in assembly/compile/ir.ts and record the new digest`);
});
