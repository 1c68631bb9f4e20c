// The call_indirect cache (exec/call-cache.ts): within one run a call of a
// table element may use what an earlier call of the same funcref learnt.
// Whatever the guest does to its tables between calls, each call must reach
// the function the element holds now, with the type check and traps of
// Wasm. Expected values are hand-computed; both engines run every case.
import { test } from "node:test";
import assert from "node:assert/strict";
import wabtInit from "wabt";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Engine, Module, Instance } from "../../host-shims/node/dist/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ci = process.env.CI === "true";
const haveNative = existsSync(path.join(root, "build/wrt-native"));
const wabt = await wabtInit();

// $a..$d return 1..4; $e has another type. Table 0 has 130 elements (element
// i and i + 64 share a cache entry), table 1 has 2.
const WAT = `
(module
  (type $t (func (result i32)))
  (type $u (func (param i32) (result i32)))
  (table $T 130 funcref)
  (table $T1 2 funcref)
  (func $a (type $t) (i32.const 1))
  (func $b (type $t) (i32.const 2))
  (func $c (type $t) (i32.const 3))
  (func $d (type $t) (i32.const 4))
  (func $e (type $u) (local.get 0))
  (elem (table $T) (i32.const 0) func $a $b)
  (elem (table $T) (i32.const 64) func $c)
  (elem (table $T1) (i32.const 0) func $d $a)
  (elem declare func $a $b $c $d $e)
  (func $call (param i32) (result i32) (call_indirect $T (type $t) (local.get 0)))
  ;; call element 0, replace it with $b, call it again: 1 * 10 + 2
  (func (export "set_between") (result i32)
    (local i32)
    (local.set 0 (call $call (i32.const 0)))
    (table.set $T (i32.const 0) (ref.func $b))
    (i32.add (i32.mul (local.get 0) (i32.const 10)) (call $call (i32.const 0))))
  ;; elements 0 and 64 share an entry: $a, $c, $a, $c -> 1313
  (func (export "collide") (result i32)
    (i32.add
      (i32.add (i32.mul (call $call (i32.const 0)) (i32.const 1000)) (i32.mul (call $call (i32.const 64)) (i32.const 100)))
      (i32.add (i32.mul (call $call (i32.const 0)) (i32.const 10)) (call $call (i32.const 64)))))
  ;; the same element called through a call site of another type traps
  (func (export "type_after_hit") (result i32)
    (drop (call $call (i32.const 0)))
    (call_indirect $T (type $u) (i32.const 7) (i32.const 0)))
  ;; element 1 called (cached), then set to $e (another type): the next call traps
  (func (export "retyped") (result i32)
    (drop (call $call (i32.const 1)))
    (table.set $T (i32.const 1) (ref.func $e))
    (call $call (i32.const 1)))
  ;; element 0 called, then set to null: the next call traps
  (func (export "nulled") (result i32)
    (drop (call $call (i32.const 0)))
    (table.set $T (i32.const 0) (ref.null func))
    (call $call (i32.const 0)))
  ;; table 1's element 0 ($d) shares table 0's entry of element 0 ($a): 4 * 10 + 1, twice
  (func (export "two_tables") (result i32)
    (i32.add
      (i32.mul (i32.add (i32.mul (call_indirect $T1 (type $t) (i32.const 0)) (i32.const 10)) (call $call (i32.const 0))) (i32.const 100))
      (i32.add (i32.mul (call_indirect $T1 (type $t) (i32.const 0)) (i32.const 10)) (call $call (i32.const 0)))))
  ;; table.copy moves $c onto element 0 between calls: 1 then 3
  (func (export "copied") (result i32)
    (local i32)
    (local.set 0 (call $call (i32.const 0)))
    (table.copy $T $T (i32.const 0) (i32.const 64) (i32.const 1))
    (i32.add (i32.mul (local.get 0) (i32.const 10)) (call $call (i32.const 0))))
  ;; 12 calls of element 5 in a loop, the element set every 3rd call ($b on odd k, $a on even): loopExpected below
  (func (export "loop") (result i32)
    (local $k i32) (local $s i32)
    (table.set $T (i32.const 5) (ref.func $a))
    (loop $l
      (if (i32.eqz (i32.rem_u (local.get $k) (i32.const 3)))
        (then (table.set $T (i32.const 5) (select (result funcref) (ref.func $b) (ref.func $a) (i32.and (local.get $k) (i32.const 1))))))
      (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 3)) (call $call (i32.const 5))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $k) (i32.const 12))))
    (local.get $s))
  (export "T" (table $T))
  (func (export "call") (param i32) (result i32) (call $call (local.get 0))))
`;

function loopExpected() {
  let el = 1, s = 0;
  for (let k = 0; k < 12; k++) {
    if (k % 3 === 0) el = (k & 1) ? 2 : 1;
    s = (Math.imul(s, 3) + el) | 0;
  }
  return s;
}

for (const kind of ["node", "native"]) {
  const skip = kind === "native" && !haveNative && !ci ? "build/wrt-native is missing (npm run build:native)" : false;
  test(`call_indirect after table changes reaches the element's function now (${kind})`, { skip }, () => {
    const fresh = () => {
      const engine = Engine.load({ engine: kind, log: false });
      return Instance.instantiate(Module.load(engine, wabt.parseWat("c.wat", WAT, { reference_types: true, bulk_memory: true }).toBinary({}).buffer), {});
    };
    const run = (name) => fresh().invoke(name, [])[0];
    assert.equal(run("set_between"), 12);
    assert.equal(run("collide"), 1313);
    assert.throws(() => run("type_after_hit"), /indirect call type mismatch/);
    assert.throws(() => run("retyped"), /indirect call type mismatch/);
    assert.throws(() => run("nulled"), /uninitialized element/);
    assert.equal(run("two_tables"), 4141);
    assert.equal(run("copied"), 13);
    assert.equal(run("loop"), loopExpected());
    // across runs: the host replaces element 0 between two calls of the same instance
    const inst = fresh();
    assert.equal(inst.invoke("call", [0])[0], 1);
    const table = inst.exports.T;
    table.set(0, table.get(1));
    assert.equal(inst.invoke("call", [0])[0], 2);
    assert.equal(inst.invoke("call", [64])[0], 3);
    assert.equal(inst.invoke("call", [0])[0], 2);
  });
}
