// An `if`/`else` that is a function's last instruction returns from each arm
// (compile/compiler.ts tailReturn): results, exact fuel (each path costs the
// instructions it runs, as before the rewrite), and the shapes that must keep
// the plain form (a branch to the if's end, an arm that never falls out,
// values beneath the if).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Engine, Module, Instance, WrtOutOfFuel } from "../../host-shims/node/dist/index.js";
import { wat } from "./support.mjs";

const GUEST = wat(`(module
  ;; then: local.get const lt_s if | local.get | else | end(func) = 7
  ;; else: local.get const lt_s if | local.get const add | end(if) end(func) = 9
  (func (export "pick") (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (local.get 0) (i32.const 100)))))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  ;; nested: an if/else that is the last thing in an arm of such an if returns too
  (func $pp (export "pingpong") (param i32 i32) (result i32)
    (if (result i32) (local.get 1)
      (then
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (if (result i32) (i32.sub (local.get 1) (i32.const 1))
          (then (call $pp (i32.mul (local.get 0) (i32.const 3)) (i32.sub (local.get 1) (i32.const 2))))
          (else (local.get 0))))
      (else
        (if (result i32) (i32.gt_s (local.get 0) (i32.const 10))
          (then (i32.const -1))
          (else (local.get 0))))))
  ;; a br to the if's end from the then arm: the else arm must fall into the end
  (func (export "br_to_end") (param i32) (result i32)
    (if (result i32) (local.get 0)
      (then (br 0 (i32.const 7)))
      (else (i32.const 9))))
  ;; the else arm never falls out
  (func (export "else_traps") (param i32) (result i32)
    (if (result i32) (local.get 0) (then (i32.const 5)) (else (unreachable))))
  ;; two results, and a value beneath the if (not the rewritten shape)
  (func (export "two") (param i32) (result i32 i32)
    (if (result i32 i32) (local.get 0) (then (i32.const 1) (i32.const 2)) (else (i32.const 3) (i32.const 4))))
  (func (export "beneath") (param i32) (result i32)
    (i32.const 1000)
    (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))
    (i32.add)))`);

const engine = new Engine({ log: false });
const inst = Instance.instantiate(Module.load(engine, GUEST), {});
const BIG = 10n ** 12n;
const PP = [10, 10, 14, 54]; // pingpong fuel, from the plain form (see the test below)
const fuelOf = (name, args) => {
  const r = inst.invoke(name, args, { fuel: BIG });
  return [r, Number(BIG - engine.raw.wrt_fuel_left())];
};

test("results of every shape", () => {
  assert.deepEqual(inst.invoke("pick", [1]), [1]);
  assert.deepEqual(inst.invoke("pick", [5]), [105]);
  assert.deepEqual(inst.invoke("fib", [15]), [610]);
  assert.deepEqual(inst.invoke("pingpong", [1, 5]), [22]);
  assert.deepEqual(inst.invoke("pingpong", [1, 4]), [-1]);
  assert.deepEqual(inst.invoke("pingpong", [20, 0]), [-1]);
  assert.deepEqual(inst.invoke("pingpong", [3, 0]), [3]);
  assert.deepEqual(inst.invoke("br_to_end", [1]), [7]);
  assert.deepEqual(inst.invoke("br_to_end", [0]), [9]);
  assert.deepEqual(inst.invoke("else_traps", [1]), [5]);
  assert.throws(() => inst.invoke("else_traps", [0]), /unreachable/);
  assert.deepEqual(inst.invoke("two", [1]), [1, 2]);
  assert.deepEqual(inst.invoke("two", [0]), [3, 4]);
  assert.deepEqual(inst.invoke("beneath", [1]), [1001]);
  assert.deepEqual(inst.invoke("beneath", [0]), [1002]);
});

test("each arm costs exactly the instructions it runs", () => {
  assert.deepEqual(fuelOf("pick", [1]), [[1], 7]);
  assert.deepEqual(fuelOf("pick", [5]), [[105], 9]);
  // fib(n): a leaf costs 7, an inner call 4 + 2 * (local.get const sub call) + add + end(if) + end(func) = 15
  const calls = (n) => (n < 2 ? 1 : 1 + calls(n - 1) + calls(n - 2));
  const leaves = (n) => (n < 2 ? 1 : leaves(n - 1) + leaves(n - 2));
  for (const n of [0, 1, 2, 10]) {
    const inner = calls(n) - leaves(n);
    assert.deepEqual(fuelOf("fib", [n]), [[[0, 1, 1, 55][[0, 1, 2, 10].indexOf(n)]], 7 * leaves(n) + 15 * inner], `fib(${n})`);
  }
});

test("nested arms cost what the plain nesting did (else/end markers and the function's end)", () => {
  // measured with the plain form (before this rewrite): every path, every depth
  assert.deepEqual(fuelOf("pingpong", [3, 0]), [[3], PP[0]]);
  assert.deepEqual(fuelOf("pingpong", [20, 0]), [[-1], PP[1]]);
  assert.deepEqual(fuelOf("pingpong", [1, 1]), [[2], PP[2]]);
  assert.deepEqual(fuelOf("pingpong", [1, 5]), [[22], PP[3]]);
});

test("a budget one unit short stops the call; slicing at every unit changes nothing", () => {
  for (const [name, args] of [["pick", [1]], ["pick", [5]], ["fib", [6]], ["br_to_end", [1]], ["two", [0]], ["pingpong", [1, 5]], ["pingpong", [1, 4]]]) {
    const [want, need] = fuelOf(name, args);
    assert.deepEqual(inst.invoke(name, args, { fuel: need }), want, name);
    assert.throws(() => inst.invoke(name, args, { fuel: need - 1 }), WrtOutOfFuel, name);
    assert.deepEqual(inst.invoke(name, args, { fuelSlice: 1, onSlice: (e) => e.migrate() }), want, `${name} sliced`);
  }
});
