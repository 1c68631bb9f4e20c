// Migration of a call that keeps v128 values live (issue 13, "a v128
// snapshot taken in Node resumes on the native engine and on the QEMU
// Cortex-M3 board to the same result and state digest"). The guest
// (simd-guest.mjs) mixes lanes with SIMD ops in a loop under a recursion; at
// the stop, twelve frames deep, v128 values are live in locals ($v, $w,
// $acc), on the operand stack (eight of the nine $walk frames hold a
// shuffled v128 across their recursive call) and in a mutable v128 global ($g).
//
//   Node     wrt run simd.wasm --invoke run K N SEED --fuel A --snapshot-out s1.bin
//   native   wrt resume s1.bin --engine native            (and the Node API on the native engine)
//   QEMU     flash-scripts/qemu.sh mps2-an385 simd.wasm --snapshot-in s1.bin --fuel F --snapshot-out s2.bin
//
// Asserted: the stop in Node is the uninterrupted Node run's state at the
// same fuel, byte for byte, with the call twelve frames deep and the global
// neither its initial nor its final value; the native engine and the
// Cortex-M3 firmware (the full build, which has SIMD) each finish with V8's
// result, the uninterrupted run's fuel left, and its final state digest
// (SHA-256 of the idle snapshot, migration-state.mjs; the firmware writes the
// finished state with --snapshot-out).
//
// Needs build/wrt-native, wasm2c, arm-none-eabi-gcc and qemu-system-arm;
// without them the test skips with the reason, under CI=true it fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { root, ci, qemuSh, has } from "./support.mjs";
import { A, ARGS, GUEST } from "./simd-guest.mjs";
import { assertSameState, machine, stateDigest } from "./migration-state.mjs";
import { Engine, Instance, Module } from "../../host-shims/node/dist/index.js";
import { readContainer } from "../../host-shims/node/dist/api/container.js";

const cli = path.join(root, "host-shims/node/dist/cli.js");
const need = ["wasm2c", "arm-none-eabi-gcc", "qemu-system-arm"].filter((c) => !has(c));
if (!existsSync(path.join(root, "build/wrt-native"))) need.push("build/wrt-native (npm run build:native)");
const why = need.length ? `missing ${need.join(", ")}` : null;
if (why && !ci) console.log(`v128 migration test skipped: ${why}`);

const TOTAL = 1_000_000_000n;

function freshCall(fuel) {
  const engine = new Engine({ log: false });
  const inst = Instance.instantiate(Module.load(engine, GUEST), {});
  return { engine, inst, r: inst.call("run", ARGS, fuel) };
}

test("a call with v128 values live (stack, locals, global) stopped in Node finishes on the native engine and on the Cortex-M3 (QEMU) with the uninterrupted run's result and state",
  { skip: why && !ci ? why : false }, async () => {
    if (why) assert.fail(`${why} (CI=true: the v128 migration test must run)`);
    const dir = mkdtempSync(path.join(tmpdir(), "wrt-migrate-simd-"));
    try {
      const wasm = path.join(dir, "simd.wasm");
      writeFileSync(wasm, GUEST);
      const s1 = path.join(dir, "s1.bin"), s2 = path.join(dir, "s2.bin");

      // The reference: V8's result, and one Node run never stopped.
      const v8 = (await WebAssembly.instantiate(GUEST)).instance.exports.run(...ARGS);
      const whole = freshCall(TOTAL);
      assert.equal(whole.r.done, true);
      assert.deepEqual(whole.r.results, [v8], "wrt's uninterrupted run computes V8's result");
      const wholeDigest = stateDigest(whole.engine.snapshot());
      const initialG = String(Instance.instantiate(Module.load(new Engine({ log: false }), GUEST), {}).global("g").value);

      // Node: the CLI stops the call mid-run.
      const node = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000 });
      const l1 = node("run", wasm, "--invoke", "run", ...ARGS.map(String), "--fuel", String(A), "--snapshot-out", s1);
      assert.equal(l1.status, 2, l1.stdout + l1.stderr);
      assert.equal(l1.stdout, "out of fuel\n");
      const c1 = readContainer(readFileSync(s1));
      const m1 = machine(c1.snapshot);
      assert.equal(m1.status, 5, "a call in progress");
      assert.equal(m1.frames, 12, "stopped in $mix under $leaf under nine $walk frames (eight hold a v128 temporary) under run");
      assert.equal(new DataView(c1.snapshot.buffer, c1.snapshot.byteOffset).getUint32(20, true) & 1, 1, "snapshot header: feature bit simd");
      const stopped = freshCall(A);
      assert.equal(stopped.r.done, false);
      assertSameState(c1.snapshot, stopped.engine.snapshot(), "Node's stop");
      const spent = A - m1.fuel;
      const midG = String(Engine.restore(c1.snapshot, { modules: c1.modules, log: false }).instances[0].global("g").value);
      assert.notEqual(midG, initialG, "the global changed before the stop");
      assert.notEqual(midG, String(whole.inst.global("g").value), "the global is not yet final at the stop");

      // Native engine: the CLI prints the result; the API also gives the final state.
      const l2 = node("resume", s1, "--engine", "native");
      assert.equal(l2.status, 0, l2.stderr);
      assert.equal(l2.stdout, `i32:${v8}\n`);
      const nat = Engine.restore(c1.snapshot, { modules: c1.modules, log: false, engine: "native" });
      assert.equal(nat.status, "suspended");
      const end = nat.call.resume(TOTAL - spent);
      assert.equal(end.done, true);
      assert.deepEqual(end.results, [v8], "native: V8's result");
      assert.equal(end.fuelLeft, whole.r.fuelLeft, "native: fuel spent in both legs = the uninterrupted run's");
      assert.equal(stateDigest(nat.engine.snapshot()), wholeDigest, "native: final state digest");

      // Cortex-M3 under QEMU (the full firmware build): the rest of the budget,
      // the finished state written back by semihosting.
      const l3 = spawnSync(qemuSh, ["mps2-an385", wasm, "--snapshot-in", s1, "--fuel", String(TOTAL - spent),
        "--snapshot-out", s2, "--timeout", "60"], { encoding: "utf8", timeout: 300_000 });
      assert.equal(l3.status, 0, l3.stdout + l3.stderr);
      assert.deepEqual(l3.stdout.split("\n").filter((l) => l && !l.startsWith("#")), [`i32:${v8}`], l3.stderr);
      assert.match(l3.stdout, /^# snapshot: \d+ bytes to /m);
      const c2 = readContainer(readFileSync(s2));
      const m2 = machine(c2.snapshot);
      assert.equal(m2.status, 4, "QEMU: the call finished");
      assert.equal(m2.fuel, BigInt.asUintN(64, whole.r.fuelLeft), "QEMU: fuel left = the uninterrupted run's");
      assert.equal(stateDigest(c2.snapshot), wholeDigest, "QEMU: final state digest");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
