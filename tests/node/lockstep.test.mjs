// Lock-step (host-shims/node/src/tools/lockstep.ts): the Node and native engines
// run the same call with their whole state compared every N units of fuel.
// Identical runs agree to the end; a planted difference in guest memory is
// reported with the fuel count and where it is.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import wabtInit from "wabt";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const native = path.join(root, "build/wrt-native");
const ci = /^(1|true|yes)$/i.test(process.env.CI ?? "");
const skip = existsSync(native) ? false : ci ? false : "build/wrt-native is missing (npm run build:native)";
const { lockstep } = await import("../../host-shims/node/dist/tools/lockstep.js");

const wabt = await wabtInit();
// memory, a table, recursion and memory.grow, with floats: everything a snapshot holds
const GUEST = new Uint8Array(wabt.parseWat("g.wat", `(module (memory 1) (table 2 funcref) (elem (i32.const 0) $mix $fold)
  (type $t (func (param i32) (result i32)))
  (func $mix (type $t) (i32.xor (i32.mul (local.get 0) (i32.const 0x9E3779B1)) (i32.shr_u (local.get 0) (i32.const 15))))
  (func $fold (type $t) (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
     (else (i32.add (call $fold (i32.sub (local.get 0) (i32.const 1))) (call_indirect (type $t) (local.get 0) (i32.const 0))))))
  (func (export "run") (param $n i32) (result i32) (local $i i32) (local $acc i32) (local $f f64)
    (drop (memory.grow (i32.const 1)))
    (loop $l
      (i32.store (i32.and (i32.mul (local.get $i) (i32.const 4)) (i32.const 0x1FFFC)) (local.get $acc))
      (local.set $f (f64.add (local.get $f) (f64.div (f64.convert_i32_u (local.get $i)) (f64.const 3))))
      (local.set $acc (i32.add (local.get $acc) (call_indirect (type $t) (i32.and (local.get $i) (i32.const 31)) (i32.const 1))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i32.add (local.get $acc) (i32.trunc_f64_u (local.get $f)))))`).toBinary({}).buffer);

test("node and native agree at every step to the end", { skip }, () => {
  const r = lockstep(GUEST, "run", [3000n], 997);
  assert.equal(r.status, "done", JSON.stringify(r.divergence));
  assert.ok(r.steps > 50, `only ${r.steps} steps`);
  const again = lockstep(GUEST, "run", [3000n], 1_000_000_000);
  assert.deepEqual(again.results, r.results, "slicing changed the result");
});

test("a planted difference is found at the step it appears, with where it is", { skip }, () => {
  const r = lockstep(GUEST, "run", [3000n], 997, {
    afterStep(step, [node]) {
      if (step !== 5) return;
      // flip one byte of guest memory in the Node engine only (memory handle: kind 2, address 0)
      const base = node.wrt_memory_base((2 << 28) | 0) >>> 0;
      new Uint8Array(node.memory.buffer)[base + 0x1234] ^= 0xff;
    },
  });
  assert.equal(r.status, "diverged");
  assert.equal(r.steps, 5);
  assert.equal(r.divergence.part, "memory");
  assert.match(r.divergence.detail, /memory 0, page 0, address 0x1234/);
  assert.ok(r.divergence.fuel > 0n);
});

test("wrt lockstep (CLI) prints the results and exits 0 when the engines agree", { skip }, async () => {
  const { spawnSync } = await import("node:child_process");
  const { writeFileSync, mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(path.join(tmpdir(), "wrt-lockstep-"));
  const file = path.join(dir, "g.wasm");
  writeFileSync(file, GUEST);
  const r = spawnSync(process.execPath, [path.join(root, "host-shims/node/dist/cli.js"), "lockstep", file, "--invoke", "run", "500", "--every", "1000"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^i32:-?\d+\n$/);
  assert.match(r.stderr, /lockstep: \d+ steps of 1000 fuel/);
});
