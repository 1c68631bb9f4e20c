// Deep guest recursion: 100,000 nested guest calls complete when the
// embedder configures large stacks (wrt_config keys 1 and 2), trap cleanly
// with "call stack exhausted" when the stacks are small, and leave the
// interpreter usable afterwards. The host stack does not grow with guest
// depth: the deep run also succeeds in a Node process whose own stack is
// made tiny (--stack-size), where any host recursion per guest call would
// overflow.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import wabtInit from "wabt";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const distIndex = path.join(root, "host-shims/node/dist/index.js");
const DEPTH = 100_000;
const CALL_STACK_EXHAUSTED = 10; // Trap.CallStackExhausted (assembly/exec/trap.ts)

// $down(n): recursion depth n, not a tail position, with an i64 and an f64
// local live across the call so that every frame holds real values.
// $sum(n) = n + (n-1) + ... + 1 computed by the same recursion.
const WAT = `
(module
  (func $down (export "down") (param $n i32) (result i32)
    (local $wide i64) (local $real f64)
    (local.set $wide (i64.extend_i32_u (local.get $n)))
    (local.set $real (f64.convert_i32_u (local.get $n)))
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else
        (i32.add
          (call $down (i32.sub (local.get $n) (i32.const 1)))
          (i32.wrap_i64 (i64.sub (local.get $wide) (i64.trunc_f64_u (f64.sub (local.get $real) (f64.const 1)))))))))
  (func $sum (export "sum") (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 0))
      (else (i64.add (local.get $n) (call $sum (i64.sub (local.get $n) (i64.const 1))))))))
`;

async function wasmBytes() {
  const wabt = await wabtInit();
  const mod = wabt.parseWat("recursion.wat", WAT);
  mod.resolveNames();
  mod.validate();
  const { buffer } = mod.toBinary({});
  mod.destroy();
  return buffer;
}

async function api() {
  assert.ok(existsSync(distIndex), "host-shims/node/dist/index.js is missing: run `npm run build`");
  return import(pathToFileURL(distIndex).href);
}

/** A fresh engine with the given stack limits and the test module instantiated in it. */
function instantiate(wrt, bytes, config) {
  const engine = wrt.Engine.load({ log: false, config });
  const module = wrt.Module.load(engine, bytes);
  return { engine, instance: wrt.Instance.instantiate(module, {}) };
}

const LARGE = { valueStackBytes: 64 * 1024 * 1024, callStackFrames: 4 * DEPTH };
const SMALL = { valueStackBytes: 64 * 1024, callStackFrames: 1000 };

test("100,000-deep recursion completes with large configured stacks", async () => {
  const wrt = await api();
  const { instance } = instantiate(wrt, await wasmBytes(), LARGE);
  assert.deepEqual(instance.invoke("down", [DEPTH]), [DEPTH]);
  assert.deepEqual(instance.invoke("sum", [BigInt(DEPTH)]), [BigInt(DEPTH) * BigInt(DEPTH + 1) / 2n]);
  // the same depth again, cut into fuel slices and resumed at every stop
  assert.deepEqual(instance.invoke("down", [DEPTH], { fuelSlice: 997 }), [DEPTH]);
});

test("a small call stack traps cleanly with 'call stack exhausted', then the interpreter still works", async () => {
  const wrt = await api();
  const { engine, instance } = instantiate(wrt, await wasmBytes(), SMALL);
  assert.throws(
    () => instance.invoke("down", [DEPTH]),
    (e) => {
      assert.ok(e instanceof wrt.WrtTrap, `expected a WrtTrap, got ${e?.name}: ${e?.message}`);
      assert.ok(!(e instanceof wrt.WrtInternalError));
      assert.match(e.message, /call stack exhausted/);
      assert.equal(e.code, CALL_STACK_EXHAUSTED);
      return true;
    },
  );
  assert.equal(engine.dead, false, "a guest trap must not kill the interpreter");
  // the interpreter is idle again and runs further calls, shallow and deep-ish
  assert.deepEqual(instance.invoke("down", [10]), [10]);
  assert.deepEqual(instance.invoke("sum", [100n]), [5050n]);
  // exhaustion again (in the other function), and recovery again
  assert.throws(() => instance.invoke("sum", [BigInt(DEPTH)]), /call stack exhausted/);
  assert.deepEqual(instance.invoke("down", [500]), [500]);
});

test("the value stack limit alone also traps cleanly", async () => {
  const wrt = await api();
  // plenty of frames, but a value stack far too small for 100,000 frames of locals
  const { instance } = instantiate(wrt, await wasmBytes(), { valueStackBytes: 64 * 1024, callStackFrames: 4 * DEPTH });
  assert.throws(() => instance.invoke("down", [DEPTH]), (e) => e instanceof wrt.WrtTrap && /call stack exhausted/.test(e.message));
  assert.deepEqual(instance.invoke("down", [100]), [100]);
});

test("guest depth does not use the host stack (deep run under node --stack-size=200)", async () => {
  await api();
  const bytes = Buffer.from(await wasmBytes()).toString("base64");
  const script = `
    const wrt = await import(${JSON.stringify(pathToFileURL(distIndex).href)});
    const bytes = Buffer.from(${JSON.stringify(bytes)}, "base64");
    const engine = wrt.Engine.load({ log: false, config: ${JSON.stringify(LARGE)} });
    const inst = wrt.Instance.instantiate(wrt.Module.load(engine, bytes), {});
    const [r] = inst.invoke("down", [${DEPTH}]);
    console.log("depth-result:" + r);
    // control: the same guest run by V8 itself recurses on the host stack and overflows here
    const direct = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    try { direct.exports.down(${DEPTH}); console.log("v8-direct:completed"); }
    catch (e) { console.log("v8-direct:" + (e instanceof RangeError ? "overflow" : e.name)); }
  `;
  // 200 KB of host stack: ~100,000 host frames would need far more than that.
  const r = spawnSync(process.execPath, ["--stack-size=200", "--input-type=module", "-e", script], {
    cwd: root, encoding: "utf8", timeout: 120_000,
  });
  assert.equal(r.status, 0, `child failed:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, new RegExp(`depth-result:${DEPTH}\\b`));
  assert.match(r.stdout, /v8-direct:overflow/, "control: this host stack must be too small for host recursion");
});
