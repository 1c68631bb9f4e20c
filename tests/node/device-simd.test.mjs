// SIMD on the device build, a build-time option (issue 13 part 3;
// docs/footprint.md): build/wrt-device-simd.wasm (`node
// scripts/build-wasm.mjs`, entry assembly/device-simd.ts) runs SIMD images;
// build/wrt-device.wasm, without it, refuses them with an error naming SIMD
// (a v128 in a type, or a SIMD op in a body without any v128 type). In Node,
// and on the Cortex-M3 under QEMU (flash-scripts/qemu.sh --device-features
// simd / --device). Expected results come from V8; the finished state after
// a v128 snapshot restored into the device build is the full build's,
// never stopped (its digest). The simd and relaxed-simd spec suites run on
// the device build with SIMD in scripts/test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { root, ci, qemuSh, missingBoard, wat } from "./support.mjs";
import { A, ARGS, GUEST } from "./simd-guest.mjs";
import { machine, stateDigest } from "./migration-state.mjs";
import { Engine, Instance, Module, WrtDecodeError } from "../../host-shims/node/dist/index.js";

const DEVICE = path.join(root, "build/wrt-device.wasm");
const DEVICE_SIMD = path.join(root, "build/wrt-device-simd.wasm");
const missing = [DEVICE, DEVICE_SIMD].filter((f) => !existsSync(f)).map((f) => path.relative(root, f));
const buildWhy = missing.length ? `missing ${missing.join(", ")} (npm run build)` : null;
const TOTAL = 1_000_000_000n;

// SIMD ops only: no v128 in any type, local or global
const OPS_ONLY = wat(`(module (func (export "f") (param i32) (result i32)
  (i32x4.extract_lane 1 (i32x4.mul (i32x4.splat (local.get 0)) (v128.const i32x4 1 3 5 7)))))`, { name: "ops.wat" });

const v8 = async (bytes, name, args) => (await WebAssembly.instantiate(bytes)).instance.exports[name](...args);
const imageOf = (bytes) => Module.load(new Engine({ log: false }), bytes).image();
const device = (wasmPath) => new Engine({ log: false, wasmPath });

test("device build with SIMD: SIMD images run to V8's results; without SIMD they are refused naming SIMD",
  { skip: buildWhy && !ci ? buildWhy : false }, async () => {
    if (buildWhy) assert.fail(buildWhy);
    for (const [bytes, name, args, where] of [[GUEST, "run", ARGS, /section 1 \(type\)/], [OPS_ONLY, "f", [6], /section 10 \(code\)/]]) {
      const image = imageOf(bytes);
      const want = await v8(bytes, name, args);
      const inst = Instance.instantiate(Module.load(device(DEVICE_SIMD), image), {});
      assert.deepEqual(inst.call(name, args, TOTAL).results, [want], `${name} on build/wrt-device-simd.wasm`);
      assert.throws(() => Module.load(device(DEVICE), image), (e) => e instanceof WrtDecodeError
        && /feature disabled/.test(e.message) && /SIMD is not in this build/.test(e.message) && where.test(e.message),
      `${name}: build/wrt-device.wasm refuses it naming SIMD`);
    }
    // the switches exist only where SIMD does (config key 17)
    assert.throws(() => new Engine({ log: false, wasmPath: DEVICE, config: { simd: 1 } }));
    assert.doesNotThrow(() => new Engine({ log: false, wasmPath: DEVICE_SIMD, config: { simd: 1 } }));
  });

test("device build with SIMD: a v128 snapshot taken in the full build finishes there with the uninterrupted run's result and state",
  { skip: buildWhy && !ci ? buildWhy : false }, () => {
    if (buildWhy) assert.fail(buildWhy);
    const image = imageOf(GUEST);
    // the reference: the device build with SIMD, never stopped (its state
    // holds the image's module, as a restored device state does)
    const ref = device(DEVICE_SIMD);
    const whole = Instance.instantiate(Module.load(ref, image), {}).call("run", ARGS, TOTAL);
    assert.equal(whole.done, true);
    // stopped in the full build (Node), restored into the device build
    const full = new Engine({ log: false });
    const stopped = Instance.instantiate(Module.load(full, GUEST), {}).call("run", ARGS, A);
    assert.equal(stopped.done, false);
    const snap = full.snapshot();
    const m = machine(snap);
    assert.equal(m.status, 5);
    const r = Engine.restore(snap, { modules: [image], log: false, wasmPath: DEVICE_SIMD });
    assert.equal(r.status, "suspended");
    const end = r.call.resume(TOTAL - (A - m.fuel));
    assert.equal(end.done, true);
    assert.deepEqual(end.results, whole.results);
    assert.equal(end.fuelLeft, whole.fuelLeft);
    assert.equal(stateDigest(r.engine.snapshot()), stateDigest(ref.snapshot()), "final state digest");
  });

const boardWhy = buildWhy ?? missingBoard("mps2-an385");
test("Cortex-M3 (QEMU): --device-features simd runs a SIMD guest to V8's result; --device refuses it naming SIMD",
  { skip: boardWhy && !ci ? boardWhy : false }, async () => {
    if (boardWhy) assert.fail(`${boardWhy} (CI=true)`);
    const dir = mkdtempSync(path.join(tmpdir(), "wrt-device-simd-"));
    try {
      const wasm = path.join(dir, "simd.wasm");
      writeFileSync(wasm, GUEST);
      const qemu = (...flags) => spawnSync(qemuSh, ["mps2-an385", wasm, ...flags, "--invoke", "run", ...ARGS.map(String), "--timeout", "60"],
        { encoding: "utf8", timeout: 300_000 });
      const on = qemu("--device-features", "simd");
      assert.equal(on.status, 0, on.stdout + on.stderr);
      assert.equal(on.stdout, `i32:${await v8(GUEST, "run", ARGS)}\n`);
      const off = qemu("--device");
      assert.equal(off.status, 3, off.stdout + off.stderr);
      assert.match(off.stdout, /^error: cannot load the guest: feature disabled .*SIMD is not in this build/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
