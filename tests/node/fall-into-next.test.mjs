// The dispatch loop's successor checks (assembly/build-features.ts
// FALL_INTO_NEXT, docs/internal-code.md "Falling into the usual successor"):
// in build/wrt.wasm (Node), I32RotrImm runs straight on into an I32XorRotr
// after it, and I32AddMulImm into an F64LoadAdd, without the shared dispatch.
// Whatever comes next must still be what runs: a Halt planted there by a
// fuel stop (slices of one unit stop at every op), a trap in the successor,
// another op. Results against V8, fuel against the oracle, slices of one
// with a migration at each; the native engine (build/wrt-c.wasm, no checks)
// must agree.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Engine, Module, Instance } from "../../host-shims/node/dist/index.js";
import { instrument } from "../../fuzz/lib/fuel-oracle.mjs";
import { imageParts, wat } from "./support.mjs";

const BYTES = wat(`(module (memory 1)
  ;; SHA-256's big sigma: rotr ^ rotr ^ rotr (I32RotrImm, then I32XorRotr twice), over n words
  (func (export "sigma") (param $n i32) (result i32) (local $i i32) (local $x i32) (local $s i32)
    (block $out (loop $l
      (br_if $out (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $x (i32.add (i32.load (i32.shl (i32.and (local.get $i) (i32.const 255)) (i32.const 2))) (local.get $i)))
      (local.set $s (i32.add (local.get $s)
        (i32.xor (i32.xor (i32.rotr (local.get $x) (i32.const 6)) (i32.rotr (local.get $x) (i32.const 11)))
          (i32.rotr (local.get $x) (i32.const 25)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $s))
  ;; a rotate whose next op is something else: no fall-through
  (func (export "rotr_alone") (param i32) (result i32) (i32.add (i32.rotr (local.get 0) (i32.const 3)) (i32.const 1)))
  ;; a[i * 8 + j] of f64 at 60000 (I32AddMulImm, then F64LoadAdd), rows i < n: out of bounds from row 86
  (func (export "rows") (param $n i32) (result f64) (local $i i32) (local $j i32) (local $s f64)
    (block $out (loop $l
      (br_if $out (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $j (i32.const 0))
      (block $done (loop $m
        (local.set $s (f64.add (local.get $s)
          (f64.load offset=60000 (i32.shl (i32.add (local.get $j) (i32.mul (local.get $i) (i32.const 8))) (i32.const 3)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $m (i32.lt_s (local.get $j) (i32.const 8)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $s))
  (func (export "fill") (param $n i32) (local $i i32)
    (loop $l
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.mul (local.get $i) (i32.const 0x9e3779b1)))
      (f64.store offset=60000 (i32.shl (local.get $i) (i32.const 3)) (f64.convert_i32_s (i32.sub (local.get $i) (i32.const 100))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_s (local.get $i) (local.get $n))))))`);

const opNumber = (name) => Number(new RegExp(`\\b${name} = (\\d+)`).exec(readFileSync(new URL("../../assembly/compile/ir-ops.ts", import.meta.url), "utf8"))[1]);
const CALLS = [["sigma", [0]], ["sigma", [1]], ["sigma", [150]], ["rotr_alone", [-5]], ["rotr_alone", [0x12345678]],
  ["rows", [0]], ["rows", [3]], ["rows", [20]], ["rows", [90]]]; // rows(90) reads past the page: a trap in F64LoadAdd

test("the pairs are adjacent in the compiled code (each op's first word is its number)", () => {
  const { code } = imageParts(Module.load(new Engine({ log: false }), BYTES).image());
  const follows = (a, len, b) => code.some((w, i) => w === opNumber(a) && code[i + len] === opNumber(b));
  assert.ok(follows("I32RotrImm", 4, "I32XorRotr"), "I32RotrImm (4 words), then I32XorRotr");
  assert.ok(follows("I32AddMulImm", 5, "F64LoadAdd"), "I32AddMulImm (5 words), then F64LoadAdd");
});

/** V8's answer: [value] or ["trap"], on an instance filled like the engines'. */
function v8Answers() {
  const ex = new WebAssembly.Instance(new WebAssembly.Module(BYTES)).exports;
  ex.fill(2000 / 8);
  return CALLS.map(([f, args]) => { try { return [ex[f](...args)]; } catch (e) { assert.ok(e instanceof WebAssembly.RuntimeError); return ["trap"]; } });
}

const answer = (fn) => { try { return [fn()[0]]; } catch (e) { assert.match(String(e.message), /out of bounds/); return ["trap"]; } };

for (const engineName of ["node", "native"]) {
  test(`${engineName}: results as V8's, fuel as the oracle counts, and the same in slices of one with migrations`, () => {
    const want = v8Answers();
    assert.deepEqual(want.at(-1), ["trap"], "rows(90) traps in V8");
    const counted = new WebAssembly.Instance(new WebAssembly.Module(instrument(new Uint8Array(BYTES), "count"))).exports;
    counted.fill(2000 / 8);
    const engine = new Engine({ log: false, ...(engineName === "native" ? { engine: "native" } : {}) });
    const whole = Instance.instantiate(Module.load(engine, BYTES), {});
    const sliced = Instance.instantiate(Module.load(engine, BYTES), {});
    for (const inst of [whole, sliced]) inst.invoke("fill", [2000 / 8]);
    const BIG = 10n ** 12n;
    let migrations = 0;
    CALLS.forEach(([f, args], i) => {
      const before = counted.count.value;
      assert.deepEqual(answer(() => [counted[f](...args)]), want[i], `${f}(${args}) instrumented`);
      assert.deepEqual(answer(() => whole.invoke(f, args, { fuel: BIG })), want[i], `${f}(${args})`);
      if (want[i][0] !== "trap") assert.equal(BIG - BigInt(engine.raw.wrt_fuel_left()), BigInt(counted.count.value - before), `${f}(${args}): fuel`);
      let slices = 0;
      const every = engineName === "native" ? 97 : 3;
      const onSlice = (e) => { if (++slices % every === 0) { e.migrate(); migrations++; } };
      assert.deepEqual(answer(() => sliced.invoke(f, args, { fuelSlice: 1, onSlice })), want[i], `${f}(${args}) in slices of one`);
    });
    assert.ok(migrations > (engineName === "native" ? 20 : 1000), `${migrations} migrations`);
  });
}
