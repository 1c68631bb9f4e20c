// SIMD at the boundaries (issue 13): v128 values through the Node API and the
// CLI, the feature switches (config keys 17 and 18, --enable/--disable-simd),
// and a v128 snapshot (stack, locals and a global) taken in Node and resumed
// on the native engine. Expected values are hand computations written here;
// the semantics of every op are checked against V8 in simd-semantics.test.mjs
// and by the simd spec suites (scripts/test.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { root, ci, guestDir, wat } from "./support.mjs";
import { Engine, Module, Instance, Global, WrtDecodeError } from "../../host-shims/node/dist/index.js";

const cli = path.join(root, "host-shims/node/dist/cli.js");
const wrt = (...args) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });
const nativeSkip = existsSync(path.join(root, "build/wrt-native")) ? false : ci ? false : "build/wrt-native is missing (npm run build:native)";

/** i32x4 lanes (lane 0 first) -> the v128's bits as the Node API takes them (a 128-bit bigint, lane 0 lowest). */
const i32x4 = (...l) => l.reduce((acc, x, k) => acc | (BigInt(x >>> 0) << BigInt(32 * k)), 0n);

// Hand-encoded so the test needs no SIMD-aware assembler:
//   (func (export "add") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
//   (func (export "relaxed") (param v128 v128) (result v128) (i8x16.relaxed_swizzle (local.get 0) (local.get 1)))
const ADD_MODULE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
  1, 7, 1, 0x60, 2, 0x7b, 0x7b, 1, 0x7b,          // type 0: (v128 v128) -> v128 (the 0x7b at byte 13)
  3, 3, 2, 0, 0,
  7, 17, 2, 3, 0x61, 0x64, 0x64, 0, 0, 7, 0x72, 0x65, 0x6c, 0x61, 0x78, 0x65, 0x64, 0, 1,
  10, 21, 2,
  9, 0, 0x20, 0, 0x20, 1, 0xfd, 0xae, 0x01, 0x0b,  // i32x4.add = 0xfd 0xae 0x01
  9, 0, 0x20, 0, 0x20, 1, 0xfd, 0x80, 0x02, 0x0b,  // i8x16.relaxed_swizzle = 0xfd 0x80 0x02 (0x100)
]);
// byte offsets in ADD_MODULE: the first v128 type byte, and the relaxed op's 0xfd
const V128_TYPE_AT = 13;
const RELAXED_AT = ADD_MODULE.length - 4;

test("Node API: v128 arguments and results are 128-bit bigints, lane 0 in the low bits", () => {
  const engine = new Engine({ log: false });
  const inst = Instance.instantiate(Module.load(engine, ADD_MODULE), {});
  // i32x4.add lane by lane, wrapping: [1+10, 2+20, 3+30, 4+0xffffffff] = [11, 22, 33, 3]
  const r = inst.call("add", [i32x4(1, 2, 3, 4), i32x4(10, 20, 30, 0xffffffff)], 1000);
  assert.equal(r.done, true);
  assert.deepEqual(r.results.map((v) => v.bits), [i32x4(11, 22, 33, 3)]);
  // relaxed_swizzle = swizzle (docs/determinism.md): index 16 and up gives 0, else a[index]
  const a = 0x0f0e0d0c0b0a09080706050403020100n; // byte i = i
  const idx = 0x00_01_02_03_04_05_06_07_08_09_0a_0b_0c_0d_10_ffn; // lane 0: 0xff -> 0, lane 1: 0x10 -> 0, then 13, 12, ...
  const s = inst.call("relaxed", [a, idx], 1000);
  assert.deepEqual(s.results.map((v) => v.bits), [0x00_01_02_03_04_05_06_07_08_09_0a_0b_0c_0d_00_00n]);
});

// A module global and an imported host global, both v128: the host reads and
// writes all 16 bytes, the guest sees what the host wrote and the other way round.
const GLOBALS_WAT = `(module
  (import "host" "g" (global $h (mut v128)))
  (global $m (export "m") (mut v128) (v128.const i32x4 1 2 3 0x80000004))
  (func (export "bump") (global.set $m (i32x4.add (global.get $m) (global.get $h))))
  (func (export "lane3") (result i32) (i32x4.extract_lane 3 (global.get $m))))`;

for (const engineName of ["node", "native"]) {
  test(`Node API (${engineName}): v128 globals, module and host, read and written as 128-bit bigints`, { skip: engineName === "native" ? nativeSkip : false }, () => {
    const engine = new Engine({ log: false, engine: engineName });
    const h = Global.create(engine, { type: "v128", mutable: true }, i32x4(10, 20, 30, 0x7ffffffc));
    assert.equal(h.getRaw(), i32x4(10, 20, 30, 0x7ffffffc)); // both halves kept, not only the low 64 bits
    const inst = Instance.instantiate(Module.load(engine, wat(GLOBALS_WAT)), { host: { g: h } });
    const m = inst.exports.m;
    assert.equal(m.getRaw(), i32x4(1, 2, 3, 0x80000004)); // the initialiser's upper lanes
    assert.equal(inst.call("bump", [], 1000).done, true);
    // [1+10, 2+20, 3+30, 0x80000004+0x7ffffffc wraps to 0]
    assert.equal(m.getRaw(), i32x4(11, 22, 33, 0));
    m.value = i32x4(0, 0, 0, 0xdeadbeef); // the host writes the upper half; the guest reads lane 3
    assert.equal(inst.call("lane3", [], 1000).results[0] >>> 0, 0xdeadbeef);
    h.value = i32x4(0, 0, 0, 1);
    inst.call("bump", [], 1000);
    assert.equal(m.getRaw(), i32x4(0, 0, 0, 0xdeadbef0));
    assert.equal(m.value.bits, m.getRaw()); // `value` gives a v128 as { type: "v128", bits }
    const frozen = Global.create(engine, { type: "v128", mutable: false }, 5n);
    assert.throws(() => { frozen.value = 6n; }, /immutable/);
    // crafted calls at the raw ABI: each refused, nothing changed
    const i32g = Global.create(engine, { type: "i32", mutable: true }, 7);
    assert.equal(engine.raw.wrt_global_set_v128(i32g.handle, 1n, 2n), -1); // not a v128 global
    assert.equal(engine.raw.wrt_global_set(m.handle, 1n), -1); // half a v128
    assert.equal(engine.raw.wrt_global_set_v128(0x7ffffff, 1n, 2n), -1); // names no global
    assert.equal(engine.raw.wrt_global_get_hi(0x7ffffff), 0n);
    assert.equal(engine.raw.wrt_global_new_v128(2, 0n, 0n), -1); // mutable is 0 or 1
    assert.equal(i32g.value, 7);
    assert.equal(m.getRaw(), i32x4(0, 0, 0, 0xdeadbef0));
  });
}

test("feature switches: SIMD and relaxed SIMD on by default; off refuses the module naming the feature and the byte", () => {
  assert.ok(Module.load(new Engine({ log: false }), ADD_MODULE));
  assert.throws(() => Module.load(new Engine({ log: false, config: { simd: 0 } }), ADD_MODULE), (e) => {
    assert.ok(e instanceof WrtDecodeError, String(e));
    assert.equal(e.code, 30); // Err.FeatureDisabled
    assert.equal(e.offset, V128_TYPE_AT);
    assert.match(e.message, /feature disabled.*SIMD is off/);
    return true;
  });
  assert.throws(() => Module.load(new Engine({ log: false, config: { relaxedSimd: 0 } }), ADD_MODULE), (e) => {
    assert.ok(e instanceof WrtDecodeError, String(e));
    assert.equal(e.code, 30);
    assert.equal(e.offset, RELAXED_AT);
    assert.match(e.message, /relaxed SIMD is off/);
    return true;
  });
  assert.throws(() => new Engine({ log: false, config: { simd: 2 } }), /config|bad|value/i);
});

test("CLI: v128 arguments as lanes or the 128-bit integer, results as i32x4 lanes; --disable-simd refuses", () => {
  const { dir } = guestDir("wrt-simd-cli-");
  const file = path.join(dir, "add.wasm");
  spawnSync("sh", ["-c", `cat > ${file}`], { input: ADD_MODULE });
  let r = wrt("run", file, "--invoke", "add", "i32x4:1 2 3 4", "v128:i32x4:10,20,30,-1");
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "v128:i32x4:11 22 33 3");
  // the integer form: lane 0 is the low 32 bits; --results hex prints the integer back
  r = wrt("run", file, "--invoke", "add", "0x00000004000000030000000200000001", "v128:0x0000000a000000140000001e00000028", "--results", "hex");
  assert.equal(r.status, 0, r.stderr);
  // [1 2 3 4] + [0x28 0x1e 0x14 0x0a] = [41 32 23 14] = 0x29, 0x20, 0x17, 0x0e from lane 0 up
  assert.equal(r.stdout.trim(), "v128:0x0000000e000000170000002000000029");
  r = wrt("run", file, "--invoke", "add", "i32x4:1 2 3", "0");
  assert.equal(r.status, 64, r.stdout + r.stderr);
  assert.match(r.stderr, /i32x4 needs 4 lanes, got 3/);
  r = wrt("run", "--disable-simd", file, "--invoke", "add", "0", "0");
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /feature disabled at byte 0xd.*SIMD is off/);
  r = wrt("validate", "--disable-relaxed-simd", file);
  assert.equal(r.status, 1);
  assert.match(r.stdout + r.stderr, /relaxed SIMD is off/);
  r = wrt("run", "--enable-simd", "--disable-simd", file, "--invoke", "add", "0", "0");
  assert.equal(r.status, 64);
});

// A loop that keeps v128 state in a local, on the operand stack and in a global:
//   acc (global) += v; v += 1 (each lane), n times; returns acc.
// With n = 100 and v starting at [1 2 3 4]: lane i = sum_{k<100} (i + 1 + k) = 100 (i + 1) + 4950.
const LOOP_WAT = `(module
  (global $acc (mut v128) (v128.const i32x4 0 0 0 0))
  (func (export "run") (param $n i32) (result v128)
    (local $v v128)
    (local.set $v (v128.const i32x4 1 2 3 4))
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (global.set $acc (i32x4.add (global.get $acc) (local.get $v)))
        (local.set $v (i32x4.add (local.get $v) (v128.const i32x4 1 1 1 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (global.get $acc)))`;

test("a v128 snapshot (local, stack, global) taken in Node resumes on the native engine to the hand-computed result", { skip: nativeSkip }, () => {
  const { dir } = guestDir("wrt-simd-snap-");
  const wasm = path.join(dir, "loop.wasm");
  const w = spawnSync("wat2wasm", ["-", "-o", wasm], { input: LOOP_WAT, encoding: "utf8" });
  if (w.status !== 0) assert.fail(`wat2wasm: ${w.stderr}`);
  const want = "v128:i32x4:5050 5150 5250 5350";
  for (const engine of ["node", "native"]) {
    const r = wrt("run", "--engine", engine, wasm, "--invoke", "run", "100");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), want, engine);
  }
  const snap = path.join(dir, "s.bin");
  const r = wrt("run", wasm, "--invoke", "run", "100", "--fuel", "500", "--snapshot-out", snap);
  assert.equal(r.status, 2, r.stdout + r.stderr); // out of fuel part way
  // the snapshot holds a v128 global: feature bit 0 (simd) in the snapshot header
  const bytes = readFileSync(snap);
  const at = bytes.indexOf(Buffer.from("WRTS")); // the snapshot inside the container
  assert.ok(at >= 0, "snapshot magic");
  assert.equal(bytes.readUInt32LE(at + 20) & 1, 1, "feature bit simd");
  for (const engine of ["native", "node"]) {
    const s = wrt("resume", "--engine", engine, snap);
    assert.equal(s.status, 0, s.stderr);
    assert.equal(s.stdout.trim(), want, engine);
  }
});

test("C API: wrt_v128 (16 bytes, lane 0 first) to and from the two 8-byte slots", { skip: spawnSync("gcc", ["--version"]).status === 0 ? false : ci ? false : "gcc missing" }, () => {
  const { dir } = guestDir("wrt-simd-c-");
  const src = path.join(dir, "v128.c");
  spawnSync("sh", ["-c", `cat > ${src}`], { input: `#include "wrt.h"
#include <stdio.h>
int main(void) {
  wrt_v128 v; for (int i = 0; i < 16; i++) v.bytes[i] = (uint8_t)i;
  uint64_t s[2]; wrt_v128_to_slots(&v, s);
  wrt_v128 w = wrt_v128_from_slots(s);
  int same = 1; for (int i = 0; i < 16; i++) same &= w.bytes[i] == v.bytes[i];
  printf("%016llx %016llx %d\\n", (unsigned long long)s[0], (unsigned long long)s[1], same);
  return 0;
}
` });
  const exe = path.join(dir, "v128");
  const cc = spawnSync("gcc", ["-Wall", "-Wextra", "-Werror", "-std=c99", "-I", path.join(root, "host-shims/c"), src, "-o", exe], { encoding: "utf8" });
  assert.equal(cc.status, 0, cc.stderr);
  // bytes 0..7 read little-endian are slot 0, bytes 8..15 slot 1 (as the interpreter's memory holds them)
  assert.equal(spawnSync(exe, { encoding: "utf8" }).stdout.trim(), "0706050403020100 0f0e0d0c0b0a0908 1");
});
