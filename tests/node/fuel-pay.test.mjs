// How a block's fuel is paid (docs/fuel.md, "How it is cheap"): as
// `fuel -= cost; if (fuel < 0)`, and when that falls short the cost is given
// back and the block's Fuel op takes the slow path. Every way into a block
// pays this way: a taken jump, a compare-and-jump's fallthrough, a br_table
// target, a return to a call's continuation, a call's entry block, a
// fallthrough into a label. (And a memory.grow mid-block, after which the
// loop runs again: a stop planted further on in that block must hold.)
// This guest goes through each, and a stop at any
// unit of fuel, on either engine, must cost in total what the fuel oracle
// counts in V8 (fuzz/lib/fuel-oracle.mjs) and give V8's result.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Engine, Module, Instance } from "../../host-shims/node/dist/index.js";
import { instrument } from "../../fuzz/lib/fuel-oracle.mjs";
import { wat } from "./support.mjs";

const GUEST = wat(`(module
  (memory 1)
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $pick (param i32) (result i32)
    (block $c (block $b (block $a (br_table $a $b $c (local.get 0)))
      (return (i32.const 3)))          ;; $a
      (return (call $sq (i32.const 5)))) ;; $b
    (i32.const 7))                      ;; $c, default
  (func (export "f") (result i32) (local $i i32) (local $s i32) (local $x f64)
    (block $out
      (loop $top
        (br_if $out (i32.ge_u (local.get $i) (i32.const 9)))
        ;; memory.grow in the middle of a block (the loop runs again after it, with a Halt maybe planted further on)
        (local.set $s (i32.add (local.get $s) (memory.grow (i32.const 0))))
        (local.set $s (i32.mul (local.get $s) (i32.const 3)))
        ;; if/else, then a fallthrough into the join label
        (if (i32.and (local.get $i) (i32.const 1))
          (then (local.set $s (i32.add (local.get $s) (call $sq (local.get $i)))))
          (else (local.set $s (i32.xor (local.get $s) (i32.const 0x55)))))
        ;; a br_if that is not taken, a block fallen into
        (block $skip
          (br_if $skip (i32.eq (local.get $i) (i32.const 4)))
          (local.set $s (i32.add (local.get $s) (call $pick (i32.rem_u (local.get $i) (i32.const 4))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
    ;; a loop's step and test fused into one op (I32AddImmJumpNeImm, I32AddJumpLtUImm)
    (local.set $i (i32.const 0))
    (loop $c (local.set $s (i32.add (local.get $s) (local.get $i)))
      (br_if $c (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 5))))
    (loop $d (local.set $s (i32.xor (local.get $s) (local.get $i)))
      (br_if $d (i32.lt_u (local.tee $i (i32.add (local.get $i) (local.get $i))) (i32.const 200))))
    ;; a multiply-add (F64MulAdd: f64.mul feeding f64.add, both fuel shares on one op)
    (local.set $i (i32.const 0))
    (loop $e (local.set $x (f64.add (f64.mul (f64.convert_i32_u (local.get $i)) (f64.const 1.5)) (local.get $x)))
      (br_if $e (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 6))))
    (local.set $s (i32.add (local.get $s) (i32.trunc_f64_u (local.get $x))))
    (local.get $s)))`, { name: "fuel-pay.wat" });

const BIG = 10n ** 12n;

function v8() {
  const counted = instrument(GUEST, "count");
  assert.ok(counted, "the rewriter refused the guest");
  const inst = new WebAssembly.Instance(new WebAssembly.Module(counted));
  return { result: inst.exports.f(), fuel: inst.exports.count.value };
}

function fresh(kind) {
  const engine = new Engine({ log: false, engine: kind });
  return { engine, inst: Instance.instantiate(Module.load(engine, GUEST), {}) };
}

for (const kind of ["node", "native"]) {
  test(`${kind}: a stop at every unit of fuel costs in total what the oracle counts, with V8's result`, () => {
    const want = v8();
    const { engine, inst } = fresh(kind);
    const whole = inst.call("f", [], BIG);
    assert.ok(whole.done);
    assert.deepEqual(whole.results, [want.result]);
    assert.equal(BIG - whole.fuelLeft, want.fuel, "a whole run");
    for (let b = 0n; b <= want.fuel; b++) {
      let r = inst.call("f", [], b);
      let total;
      if (b < want.fuel) {
        assert.ok(!r.done, `stopped with ${b}`);
        const left = BigInt(engine.raw.wrt_fuel_left());
        assert.ok(left >= 0n && left <= b, `fuel left ${left} of ${b}`);
        r = r.resume(BIG);
        total = b - left + BIG - r.fuelLeft;
      } else {
        total = b - r.fuelLeft;
      }
      assert.ok(r.done);
      assert.deepEqual(r.results, [want.result], `stopped with ${b}`);
      assert.equal(total, want.fuel, `total when stopped with ${b}`);
    }
  });

  test(`${kind}: in slices of one unit, and through a snapshot at every stop, the total is the oracle's`, () => {
    const want = v8();
    for (const hop of [false, true]) {
      let { engine, inst } = fresh(kind);
      let used = 0n, given = 1n, stops = 0;
      let r = inst.call("f", [], given);
      while (!r.done) {
        const u = given - BigInt(engine.raw.wrt_fuel_left());
        used += u;
        given = u == 0n ? given * 2n : 1n; // a fused op's share may be more than one unit
        stops++;
        if (hop) {
          const restored = Engine.restore(engine.snapshot(), { modules: [GUEST], log: false, engine: kind });
          engine = restored.engine;
          r = restored.call.resume(given);
        } else {
          r = r.resume(given);
        }
      }
      used += given - r.fuelLeft;
      assert.deepEqual(r.results, [want.result]);
      assert.equal(used, want.fuel, hop ? "through snapshots" : "sliced");
      assert.ok(stops > Number(want.fuel) / 4, `stopped ${stops} times`);
    }
  });

  test(`${kind}: a negative budget stops before the first instruction; the call then finishes as one run`, () => {
    const want = v8();
    const { engine, inst } = fresh(kind);
    // below -2^62 the budget is taken as -2^62 (the loop pays as fuel -= cost, which must not wrap)
    for (const [b, left] of [[-1n, -1n], [-(2n ** 63n), -(2n ** 62n)]]) {
      const r = inst.call("f", [], b);
      assert.ok(!r.done);
      assert.equal(BigInt(engine.raw.wrt_fuel_left()), left);
      const end = r.resume(BIG);
      assert.deepEqual(end.results, [want.result]);
      assert.equal(BIG - end.fuelLeft, want.fuel);
    }
  });
}
