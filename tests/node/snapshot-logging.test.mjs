// A guest that logs through wasi:logging can be snapshotted mid-run and
// restored in a fresh engine: the built-in log function needs no host
// binding, and the records continue in the new engine's sink.
import { test } from "node:test";
import assert from "node:assert/strict";
import wabtInit from "wabt";
import { Engine, Module, Instance } from "../../host-shims/node/dist/index.js";

const wabt = await wabtInit();
const bin = wabt.parseWat("l.wat", `(module (import "wasi:logging/logging" "log" (func $log (param i32 i32 i32 i32 i32)))
  (memory 1) (data (i32.const 16) "ctxhello")
  (func (export "go") (param i32) (result i32) (local $i i32)
    (loop (call $log (i32.const 2) (i32.const 16) (i32.const 3) (i32.const 19) (i32.const 5))
      (br_if 0 (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get 0))))
    (local.get $i)))`).toBinary({}).buffer;

test("snapshot mid-run of a logging guest, restore in a fresh engine, finish there", () => {
  const before = [], after = [];
  const engine = Engine.load({ log: (_l, text, ctx) => before.push(`${ctx}:${text}`) });
  const inst = Instance.instantiate(Module.load(engine, bin), {});
  const r = inst.call("go", [40], 100);
  assert.equal(r.done, false);
  const restored = Engine.restore(engine.snapshot(), { modules: [bin], log: (_l, text, ctx) => after.push(`${ctx}:${text}`) });
  const done = restored.call.resume(1_000_000);
  assert.equal(done.done, true);
  assert.deepEqual(done.results, [40]);
  assert.ok(before.length > 0 && after.length > 0);
  assert.equal(before.length + after.length, 40);
  assert.ok([...before, ...after].every((l) => l === "ctx:hello"));
});
