// Loop back edges (compile/compiler.ts loopBackEdge, docs/internal-code.md):
// a `br` to a loop whose header is one conditional exit is compiled as the
// negated test jumping straight into the body. Results, the exit path (to an
// outer block, an if's end, an if's else arm) and the exact fuel must be
// those of the plain shape: every iteration costs its instructions, a budget
// one unit short of the need stops the call, and slicing changes nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import wabtInit from "wabt";
import { Engine, Module, Instance, WrtOutOfFuel } from "../../host-shims/node/dist/index.js";
import { instrument } from "../../fuzz/lib/fuel-oracle.mjs";

const wabt = await wabtInit();
const m = wabt.parseWat("loops.wat", `(module
  ;; asc's for-loop shape: loop (if (cond) (then body (br $l)))
  (func (export "if_header") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (loop $l
      (if (i32.lt_s (local.get $i) (local.get $n))
        (then
          (local.set $s (i32.add (local.get $s) (local.get $i)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l))))
    (local.get $s))
  ;; the exit goes to the else arm, which must run exactly once
  (func (export "if_else_header") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (loop $l
      (if (i32.lt_s (local.get $i) (local.get $n))
        (then
          (local.set $s (i32.add (local.get $s) (local.get $i)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l))
        (else (local.set $s (i32.add (local.get $s) (i32.const 1000))))))
    (local.get $s))
  ;; block + loop with br_if $out at the top (fused compare against a local)
  (func (export "brif_header") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $out
      (loop $l
        (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.add (local.get $s) (i32.mul (local.get $i) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $s))
  ;; a plain local as the condition (JumpIf), exit to an outer block two levels up
  (func (export "local_cond") (param $n i32) (result i32) (local $s i32)
    (block $outer
      (block $inner
        (loop $l
          (br_if $outer (i32.eqz (local.get $n)))
          (local.set $s (i32.add (local.get $s) (local.get $n)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $l)))
      (local.set $s (i32.const -1)))
    (local.get $s))
  ;; nested loops, both rewritten; the inner exit leads to the outer body's rest
  (func (export "nested") (param $n i32) (result i32) (local $i i32) (local $j i32) (local $s i32)
    (loop $a
      (if (i32.lt_s (local.get $i) (local.get $n))
        (then
          (local.set $j (i32.const 0))
          (loop $b
            (if (i32.lt_s (local.get $j) (local.get $i))
              (then
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $b))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $a))))
    (local.get $s)))`);
m.resolveNames();
m.validate();
const GUEST = m.toBinary({}).buffer;
m.destroy();

const engine = new Engine({ log: false });
const inst = Instance.instantiate(Module.load(engine, GUEST), {});
const BIG = 10n ** 12n;

// The fuel a call costs, counted outside WRT: the module rewritten to count
// its instructions (fuzz/lib/fuel-oracle.mjs, docs/fuel.md "Counting"), run in V8.
const counted = new WebAssembly.Instance(new WebAssembly.Module(instrument(new Uint8Array(GUEST), "count")));
function oracleFuel(name, n) {
  const before = counted.exports.count.value;
  counted.exports[name](n);
  return Number(counted.exports.count.value - before);
}

/** [result, fuel used] with a generous budget. */
function run(name, n) {
  const [r] = inst.invoke(name, [n], { fuel: BIG });
  return [r, Number(BIG - engine.raw.wrt_fuel_left())];
}

const expect = {
  if_header: (n) => ((n * (n - 1)) / 2) | 0,
  if_else_header: (n) => ((n * (n - 1)) / 2 + 1000) | 0,
  brif_header: (n) => { let s = 0; for (let i = 0; i < n; i++) s += i * i; return s; },
  local_cond: (n) => ((n * (n + 1)) / 2) | 0,
  nested: (n) => ((n * (n - 1)) / 2) | 0,
};
// instructions per iteration: header test + body + br (each costs 1 by default)
const perIteration = { if_header: 13, if_else_header: 13, brif_header: 15, local_cond: 12 };

test("results for 0, 1 and many iterations", () => {
  for (const [name, f] of Object.entries(expect)) {
    for (const n of [0, 1, 2, 37]) assert.equal(run(name, n)[0], f(n), `${name}(${n})`);
  }
});

test("every iteration costs exactly its instructions", () => {
  for (const [name, k] of Object.entries(perIteration)) {
    const base = oracleFuel(name, 0);
    for (const n of [0, 1, 2, 10, 100]) {
      const fuel = run(name, n)[1];
      assert.equal(fuel, oracleFuel(name, n), `${name}(${n}): WRT against the oracle`);
      assert.equal(fuel - base, k * n, `${name}(${n}): ${k} per iteration, by hand`);
    }
  }
});

test("a budget one unit short stops the call; the exact budget finishes it", () => {
  for (const name of Object.keys(expect)) {
    for (const n of [0, 3, 9]) {
      const need = oracleFuel(name, n); // counted outside WRT
      assert.deepEqual(inst.invoke(name, [n], { fuel: need }), [expect[name](n)], `${name}(${n}) with ${need}`);
      assert.throws(() => inst.invoke(name, [n], { fuel: need - 1 }), WrtOutOfFuel, `${name}(${n}) with ${need - 1}`);
    }
  }
});

test("halting at every unit of fuel and resuming gives the same result", () => {
  for (const [name, f] of Object.entries(expect)) {
    assert.deepEqual(inst.invoke(name, [12], { fuelSlice: 1 }), [f(12)], name);
  }
});
