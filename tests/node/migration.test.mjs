// Migration of a running call across engines and machines (docs/firmware.md,
// "Migrating a running instance to a board"): one long call, SHA-256 over
// 128 KiB with recursion, call_indirect through a funcref table and
// memory.grow, is stopped three times by fuel and continued elsewhere:
//
//   Node     wrt run ... --fuel A --snapshot-out s1.bin
//   native   wrt resume s1.bin --engine native --fuel B --snapshot-out s2.bin
//   QEMU     flash-scripts/qemu.sh mps2-an385 g.wasm --snapshot-in s2.bin --fuel C --snapshot-out s3.bin
//   Node     wrt resume s3.bin (and the Node API, to see the final state)
//
// Asserted: every leg ran out of fuel (exit 2, "out of fuel", a snapshot with
// the call in progress); each leg's snapshot is byte for byte the snapshot of
// an uninterrupted Node run stopped at the same total fuel (the whole-state
// comparison of `wrt lockstep`); the finished call has the uninterrupted
// run's result, fuel left and final state digest; the guest's digest is
// node:crypto's SHA-256 of the same bytes.
//
// Needs build/wrt-native, wasm2c, arm-none-eabi-gcc and qemu-system-arm;
// without them the test skips with the reason, under CI=true it fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { root, ci, qemuSh, has, wat } from "./support.mjs";
import { Engine, Instance, Module } from "../../host-shims/node/dist/index.js";
import { readContainer } from "../../host-shims/node/dist/api/container.js";
import { assertSameState, machine, stateDigest } from "./migration-state.mjs";

const cli = path.join(root, "host-shims/node/dist/cli.js");
const need = ["wasm2c", "arm-none-eabi-gcc", "qemu-system-arm"].filter((c) => !has(c));
if (!existsSync(path.join(root, "build/wrt-native"))) need.push("build/wrt-native (npm run build:native)");
const why = need.length ? `missing ${need.join(", ")}` : null;
if (why && !ci) console.log(`migration test skipped: ${why}`);

// ---- the guest ----
// SHA-256 round constants and initial hash value (FIPS 180-4).
const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
/** Words as a WAT data string, little-endian. */
const le = (ws) => ws.map((w) => [0, 8, 16, 24].map((s) => "\\" + ((w >>> s) & 255).toString(16).padStart(2, "0")).join("")).join("");

// run(len, seed): len pseudo-random bytes (xorshift32) at 0x10000, after
// growing memory from 1 to 3 pages; SHA-256 of them, blocks hashed in order
// by a recursion that halves the block range (depth log2(blocks)); the four
// sigma functions, Ch and Maj called through the table. Digest words at
// 0x100 (K at 0, the schedule W at 0x200, the IV at 0x300); returns word 0.
const WAT = `(module
  (type $un (func (param i32) (result i32)))
  (type $tri (func (param i32 i32 i32) (result i32)))
  (memory (export "mem") 1 4)
  (table 6 funcref)
  (elem (i32.const 0) $bsig0 $bsig1 $ssig0 $ssig1 $ch $maj)
  (data (i32.const 0x000) "${le(K)}")
  (data (i32.const 0x300) "${le(IV)}")
  ;; 0x000 K, 0x100 H, 0x200 W (64 words), 0x300 IV; message at 0x10000
  (func $bsig0 (type $un) (i32.xor (i32.xor (i32.rotr (local.get 0) (i32.const 2)) (i32.rotr (local.get 0) (i32.const 13))) (i32.rotr (local.get 0) (i32.const 22))))
  (func $bsig1 (type $un) (i32.xor (i32.xor (i32.rotr (local.get 0) (i32.const 6)) (i32.rotr (local.get 0) (i32.const 11))) (i32.rotr (local.get 0) (i32.const 25))))
  (func $ssig0 (type $un) (i32.xor (i32.xor (i32.rotr (local.get 0) (i32.const 7)) (i32.rotr (local.get 0) (i32.const 18))) (i32.shr_u (local.get 0) (i32.const 3))))
  (func $ssig1 (type $un) (i32.xor (i32.xor (i32.rotr (local.get 0) (i32.const 17)) (i32.rotr (local.get 0) (i32.const 19))) (i32.shr_u (local.get 0) (i32.const 10))))
  (func $ch (type $tri) (i32.xor (i32.and (local.get 0) (local.get 1)) (i32.and (i32.xor (local.get 0) (i32.const -1)) (local.get 2))))
  (func $maj (type $tri) (i32.xor (i32.xor (i32.and (local.get 0) (local.get 1)) (i32.and (local.get 0) (local.get 2))) (i32.and (local.get 1) (local.get 2))))
  (func $bswap (param $x i32) (result i32)
    (i32.or (i32.or (i32.shl (local.get $x) (i32.const 24)) (i32.and (i32.shl (local.get $x) (i32.const 8)) (i32.const 0xFF0000)))
            (i32.or (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0xFF00)) (i32.shr_u (local.get $x) (i32.const 24)))))
  (func $w (param $t i32) (result i32) (i32.load offset=0x200 (i32.shl (local.get $t) (i32.const 2))))
  (func $compress (param $blk i32)
    (local $t i32) (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (local $e i32) (local $f i32) (local $g i32) (local $h i32) (local $t1 i32) (local $t2 i32)
    (loop $load
      (i32.store offset=0x200 (i32.shl (local.get $t) (i32.const 2))
        (call $bswap (i32.load (i32.add (local.get $blk) (i32.shl (local.get $t) (i32.const 2))))))
      (br_if $load (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (i32.const 16))))
    (loop $sched
      (i32.store offset=0x200 (i32.shl (local.get $t) (i32.const 2))
        (i32.add (i32.add
          (call_indirect (type $un) (call $w (i32.sub (local.get $t) (i32.const 2))) (i32.const 3))
          (call $w (i32.sub (local.get $t) (i32.const 7))))
          (i32.add
          (call_indirect (type $un) (call $w (i32.sub (local.get $t) (i32.const 15))) (i32.const 2))
          (call $w (i32.sub (local.get $t) (i32.const 16))))))
      (br_if $sched (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (i32.const 64))))
    (local.set $a (i32.load offset=0x100 (i32.const 0)))  (local.set $b (i32.load offset=0x104 (i32.const 0)))
    (local.set $c (i32.load offset=0x108 (i32.const 0)))  (local.set $d (i32.load offset=0x10c (i32.const 0)))
    (local.set $e (i32.load offset=0x110 (i32.const 0)))  (local.set $f (i32.load offset=0x114 (i32.const 0)))
    (local.set $g (i32.load offset=0x118 (i32.const 0)))  (local.set $h (i32.load offset=0x11c (i32.const 0)))
    (local.set $t (i32.const 0))
    (loop $round
      (local.set $t1 (i32.add (i32.add (i32.add (local.get $h) (call_indirect (type $un) (local.get $e) (i32.const 1)))
        (call_indirect (type $tri) (local.get $e) (local.get $f) (local.get $g) (i32.const 4)))
        (i32.add (i32.load (i32.shl (local.get $t) (i32.const 2))) (call $w (local.get $t)))))
      (local.set $t2 (i32.add (call_indirect (type $un) (local.get $a) (i32.const 0))
        (call_indirect (type $tri) (local.get $a) (local.get $b) (local.get $c) (i32.const 5))))
      (local.set $h (local.get $g)) (local.set $g (local.get $f)) (local.set $f (local.get $e))
      (local.set $e (i32.add (local.get $d) (local.get $t1)))
      (local.set $d (local.get $c)) (local.set $c (local.get $b)) (local.set $b (local.get $a))
      (local.set $a (i32.add (local.get $t1) (local.get $t2)))
      (br_if $round (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (i32.const 64))))
    (i32.store offset=0x100 (i32.const 0) (i32.add (i32.load offset=0x100 (i32.const 0)) (local.get $a)))
    (i32.store offset=0x104 (i32.const 0) (i32.add (i32.load offset=0x104 (i32.const 0)) (local.get $b)))
    (i32.store offset=0x108 (i32.const 0) (i32.add (i32.load offset=0x108 (i32.const 0)) (local.get $c)))
    (i32.store offset=0x10c (i32.const 0) (i32.add (i32.load offset=0x10c (i32.const 0)) (local.get $d)))
    (i32.store offset=0x110 (i32.const 0) (i32.add (i32.load offset=0x110 (i32.const 0)) (local.get $e)))
    (i32.store offset=0x114 (i32.const 0) (i32.add (i32.load offset=0x114 (i32.const 0)) (local.get $f)))
    (i32.store offset=0x118 (i32.const 0) (i32.add (i32.load offset=0x118 (i32.const 0)) (local.get $g)))
    (i32.store offset=0x11c (i32.const 0) (i32.add (i32.load offset=0x11c (i32.const 0)) (local.get $h))))
  ;; blocks [lo, hi) in order, halving the range: recursion depth log2(blocks)
  (func $range (param $lo i32) (param $hi i32) (local $mid i32)
    (if (i32.eq (i32.sub (local.get $hi) (local.get $lo)) (i32.const 1))
      (then (call $compress (i32.add (i32.const 0x10000) (i32.shl (local.get $lo) (i32.const 6)))))
      (else
        (local.set $mid (i32.shr_u (i32.add (local.get $lo) (local.get $hi)) (i32.const 1)))
        (call $range (local.get $lo) (local.get $mid))
        (call $range (local.get $mid) (local.get $hi)))))
  ;; sha256 of len pseudo-random bytes (xorshift32 from seed) at 0x10000;
  ;; the digest's words at 0x100; returns the first one
  (func (export "run") (param $len i32) (param $seed i32) (result i32) (local $i i32) (local $x i32) (local $end i32)
    (if (i32.or (i32.gt_u (local.get $len) (i32.const 131000)) (i32.eqz (local.get $seed))) (then unreachable))
    (if (i32.eq (memory.grow (i32.const 2)) (i32.const -1)) (then unreachable))
    (local.set $x (local.get $seed))
    (loop $fill
      (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
      (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
      (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 5))))
      (i32.store (i32.add (i32.const 0x10000) (local.get $i)) (local.get $x))
      (br_if $fill (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $len))))
    ;; padding: 0x80, zeros, the bit length (big-endian) in the last 8 bytes
    (local.set $end (i32.and (i32.add (local.get $len) (i32.const 72)) (i32.const -64)))
    (memory.fill (i32.add (i32.const 0x10000) (local.get $len)) (i32.const 0) (i32.sub (local.get $end) (local.get $len)))
    (i32.store8 (i32.add (i32.const 0x10000) (local.get $len)) (i32.const 0x80))
    (i32.store (i32.add (i32.const 0x10000) (i32.sub (local.get $end) (i32.const 4))) (call $bswap (i32.shl (local.get $len) (i32.const 3))))
    (memory.copy (i32.const 0x100) (i32.const 0x300) (i32.const 32))
    (call $range (i32.const 0) (i32.shr_u (local.get $end) (i32.const 6)))
    (i32.load offset=0x100 (i32.const 0))))`;

const GUEST = wat(WAT, { name: "sha.wat" });

const LEN = 131000, SEED = 12345;
const ARGS = [String(LEN), String(SEED)];
// Fuel of the three stops (the whole call takes about 24 M).
const A = 4_000_000n, B = 3_000_000n, C = 1_500_000n;
// Budget of the uninterrupted run and of the whole migrated run.
const TOTAL = 1_000_000_000n;

// ---- the uninterrupted run (Node) ----

function freshCall(fuel) {
  const engine = new Engine({ log: false });
  const inst = Instance.instantiate(Module.load(engine, GUEST), {});
  const r = inst.call("run", [LEN, SEED], fuel);
  return { engine, inst, r };
}

/** The state of an uninterrupted run stopped after `fuel`. */
function stoppedAt(fuel) {
  const { engine, r } = freshCall(fuel);
  assert.equal(r.done, false);
  return engine.snapshot();
}

function digestWords(inst) {
  const mem = inst.memory("mem").read(0x100, 32);
  const dv = new DataView(mem.buffer, mem.byteOffset, 32);
  return Array.from({ length: 8 }, (_, i) => dv.getUint32(4 * i, true).toString(16).padStart(8, "0")).join("");
}

test("a call migrates Node -> native -> Cortex-M3 (QEMU) -> Node: same result and final state as never stopped",
  { skip: why && !ci ? why : false }, () => {
    if (why) assert.fail(`${why} (CI=true: the migration test must run)`);
    const dir = mkdtempSync(path.join(tmpdir(), "wrt-migrate-"));
    try {
      const wasm = path.join(dir, "sha.wasm");
      writeFileSync(wasm, GUEST);
      const file = (n) => path.join(dir, `s${n}.bin`);

      // The reference: one run, never stopped; its digest is SHA-256's.
      const whole = freshCall(TOTAL);
      assert.equal(whole.r.done, true);
      const data = whole.inst.memory("mem").read(0x10000, LEN);
      assert.equal(digestWords(whole.inst), createHash("sha256").update(data).digest("hex"), "the guest computes SHA-256");
      const wholeDigest = stateDigest(whole.engine.snapshot());

      // Leg 1, Node: wrt run --fuel A --snapshot-out s1.bin
      const node = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000 });
      const l1 = node("run", wasm, "--invoke", "run", ...ARGS, "--fuel", String(A), "--snapshot-out", file(1));
      assert.equal(l1.status, 2, l1.stdout + l1.stderr);
      assert.equal(l1.stdout, "out of fuel\n");
      // Leg 2, native engine: wrt resume s1.bin --engine native --fuel B --snapshot-out s2.bin
      const l2 = node("resume", file(1), "--engine", "native", "--fuel", String(B), "--snapshot-out", file(2));
      assert.equal(l2.status, 2, l2.stdout + l2.stderr);
      assert.equal(l2.stdout, "out of fuel\n");
      // Leg 3, Cortex-M3 under QEMU: the snapshot travels by semihosting both ways.
      const l3 = spawnSync(qemuSh, ["mps2-an385", wasm, "--snapshot-in", file(2), "--fuel", String(C),
        "--snapshot-out", file(3), "--timeout", "60"], { encoding: "utf8", timeout: 300_000 });
      assert.equal(l3.status, 2, l3.stdout + l3.stderr);
      assert.deepEqual(l3.stdout.split("\n").filter((l) => l && !l.startsWith("#")), ["out of fuel"], l3.stderr);
      assert.match(l3.stdout, /^# snapshot: \d+ bytes to /m);

      // Each leg stopped with the call in progress, exactly where an
      // uninterrupted run stops after the same total fuel.
      let spent = 0n;
      const legs = [[1, A], [2, B], [3, C]];
      for (const [n, budget] of legs) {
        const c = readContainer(readFileSync(file(n)));
        assert.ok(c.modules.length === 1 && Buffer.from(c.modules[0]).equals(GUEST), `leg ${n}: the guest travels along`);
        const m = machine(c.snapshot);
        assert.equal(m.status, 5, `leg ${n}: a call in progress`);
        assert.ok(m.fuel < budget, `leg ${n} ran out of fuel`);
        assert.equal(m.pages, 3, `leg ${n}: memory grown before the stop`);
        assert.ok(m.frames >= 10, `leg ${n}: stopped inside the recursion (${m.frames} frames)`);
        // (an uninterrupted run given all fuel spent before plus this leg's
        // budget stops at the same place with the same fuel left over)
        assertSameState(c.snapshot, stoppedAt(spent + budget), `leg ${n}`);
        spent += budget - m.fuel;
      }

      // Leg 4, Node: the rest of the budget; the same result, fuel left and state.
      const last = readContainer(readFileSync(file(3)));
      const restored = Engine.restore(last.snapshot, { modules: last.modules, log: false });
      assert.equal(restored.status, "suspended");
      const end = restored.call.resume(TOTAL - spent);
      assert.equal(end.done, true);
      assert.deepEqual(end.results, whole.r.results);
      assert.equal(end.fuelLeft, whole.r.fuelLeft, "fuel spent in all legs = fuel of the uninterrupted run");
      assert.ok(TOTAL - spent - end.fuelLeft > 1_000_000n, "the last leg still had work to do");
      assert.equal(digestWords(restored.instances[0]), digestWords(whole.inst));
      assert.equal(stateDigest(restored.engine.snapshot()), wholeDigest, "final state digest");

      // The CLI finishes it the same way.
      const l4 = node("resume", file(3));
      assert.equal(l4.status, 0, l4.stderr);
      assert.equal(l4.stdout, `i32:${whole.r.results[0]}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
