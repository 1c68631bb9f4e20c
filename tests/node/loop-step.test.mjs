// Compares against a constant with no op of their own, loop steps fused with
// their signed test, and multiply-adds (docs/internal-code.md, "Branches", "Loop back edges", "Multiply-add"):
// - `x <= k` / `x >= k` compile to `x < k + 1` / `x > k - 1`, except at the
//   ends of the range (always true), as values and as branches;
// - a loop's `i += k` (or `i += step`) and its `i < n` test are one op
//   (I32AddImmJumpLtSImm, I32AddJumpLtSImm), whether the test is the loop's
//   header moved to the back edge or a `br_if` at the end;
// - `a + b * k` and `a + b * c` are one op (I32AddMulImm, I32AddMul).
// Every result is checked against V8 running the same module, every fuel
// count against the independent oracle (fuzz/lib/fuel-oracle.mjs), and every
// call again in slices of one unit of fuel with a snapshot and restore at
// each (a wrong op length or fuel share fails there).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import wabtInit from "wabt";
import { Engine, Module, Instance } from "../../host-shims/node/dist/index.js";
import { instrument } from "../../fuzz/lib/fuel-oracle.mjs";
import { imageParts } from "./support.mjs";

const wabt = await wabtInit();
const MIN = -2147483648, MAX = 2147483647;
const EDGES = [MIN, MIN + 1, -2, -1, 0, 1, 2, MAX - 1, MAX];

// value and branch forms of each le/ge against each edge constant
const compares = [];
for (const op of ["le_s", "le_u", "ge_s", "ge_u"]) {
  for (const k of EDGES) {
    const name = `${op}_${k < 0 ? "m" + -k : k}`;
    compares.push(`(func (export "${name}") (param i32) (result i32) (i32.${op} (local.get 0) (i32.const ${k})))`);
    compares.push(`(func (export "${name}_if") (param i32) (result i32)
      (if (result i32) (i32.${op} (local.get 0) (i32.const ${k})) (then (i32.const 10)) (else (i32.const 20))))`);
    compares.push(`(func (export "${name}_br") (param i32) (result i32)
      (block $b (result i32) (br_if $b (i32.const 30) (i32.${op} (local.get 0) (i32.const ${k}))) (drop) (i32.const 40)))`);
  }
}

const WAT = `(module (memory 1)
  ${compares.join("\n  ")}
  ;; asc's and binaryen's for loop: the header tests i >= n and leaves; the back edge takes the test
  ;; (i < n) and the step; a second exit bounds the trips when i wraps
  (func (export "for_imm") (param $i i32) (param $cap i32) (result i32) (local $s i32) (local $t i32)
    (block $out (loop $l
      (br_if $out (i32.ge_s (local.get $i) (i32.const 1000)))
      (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 31)) (local.get $i)))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br_if $out (i32.ge_u (local.get $t) (local.get $cap)))
      (local.set $i (i32.add (local.get $i) (i32.const 7)))
      (br $l)))
    (i32.add (local.get $s) (local.get $t)))
  ;; a step in a local (the sieve's j += p)
  (func (export "for_step") (param $i i32) (param $p i32) (param $cap i32) (result i32) (local $s i32) (local $t i32)
    (block $out (loop $l
      (br_if $out (i32.ge_s (local.get $i) (i32.const 5000)))
      (i32.store8 (i32.and (local.get $i) (i32.const 0xffff)) (i32.const 1))
      (local.set $s (i32.xor (i32.mul (local.get $s) (i32.const 3)) (local.get $i)))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br_if $out (i32.ge_u (local.get $t) (local.get $cap)))
      (local.set $i (i32.add (local.get $i) (local.get $p)))
      (br $l)))
    (i32.add (local.get $s) (local.get $t)))
  ;; a do-while: the step, then br_if back while i < n
  (func (export "do_while") (param $i i32) (param $k i32) (result i32) (local $t i32)
    (loop $l
      (local.set $t (i32.add (local.get $t) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 3)))
      (br_if $l (i32.lt_s (local.get $i) (i32.const 100))))
    (loop $m
      (local.set $t (i32.xor (local.get $t) (local.get $k)))
      (local.set $k (i32.add (local.get $k) (local.get $i)))
      (br_if $m (i32.lt_s (local.get $k) (i32.const 200))))
    (i32.add (local.get $t) (local.get $k)))
  ;; a + b * k and a + b * c, either side, wrapping
  (func (export "mad_imm") (param i32 i32) (result i32) (i32.add (local.get 0) (i32.mul (local.get 1) (i32.const 48))))
  (func (export "mad_imm_left") (param i32 i32) (result i32) (i32.add (i32.mul (local.get 1) (i32.const -7)) (local.get 0)))
  (func (export "mad") (param i32 i32 i32) (result i32) (i32.add (local.get 0) (i32.mul (local.get 1) (local.get 2))))
  (func (export "mad_left") (param i32 i32 i32) (result i32) (i32.add (i32.mul (local.get 1) (local.get 2)) (local.get 0)))
  ;; the product also kept in a local: it must still be written
  (func (export "mad_tee") (param i32 i32) (result i32) (local i32)
    (i32.sub (i32.add (local.get 0) (local.tee 2 (i32.mul (local.get 1) (i32.const 5)))) (local.get 2)))
  ;; row-major indexing in a loop: a[i * 16 + j]
  (func (export "row_major") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $out (loop $l
      (br_if $out (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $s (i32.add (local.get $s)
        (i32.load8_u (i32.add (i32.mul (local.get $i) (i32.const 16)) (i32.and (local.get $i) (i32.const 15))))))
      (i32.store8 (i32.add (i32.mul (local.get $i) (i32.const 16)) (i32.const 3)) (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $s)))`;
const BYTES = wabt.parseWat("loop-step.wat", WAT).toBinary({}).buffer;

const v8 = () => new WebAssembly.Instance(new WebAssembly.Module(BYTES)).exports;
const LOOPS = {
  for_imm: [[0, 1000], [990, 1000], [1000, 1000], [-50, 1000], [MAX - 20, 10], [MIN, 3], [MAX, 1000]],
  for_step: [[0, 7, 1000], [0, 1, 100], [4990, 3, 100], [MAX - 10, 4, 6], [0, -1, 5], [100, 0, 9], [MIN, MAX, 4]],
  do_while: [[0, 0], [99, 150], [100, 300], [97, 1], [-10, -5], [-1000, 199]],
  mad_imm: [[1, 2], [MAX, 1], [0, MAX], [-1, MIN], [12345, -678]],
  mad_imm_left: [[1, 2], [MAX, -1], [0, MIN], [5, 0x12345678]],
  mad: [[1, 2, 3], [MAX, MAX, MAX], [0, MIN, -1], [-5, 0x10000, 0x10000], [7, -3, 11]],
  mad_left: [[1, 2, 3], [MIN, MAX, 2], [0, 0x12345, 0x6789]],
  mad_tee: [[1, 2], [MAX, MAX], [MIN, -1]],
  row_major: [[0], [1], [17], [200]],
};
const ARGS = { ...LOOPS };
for (const c of compares) {
  const name = /export "(\w+)"/.exec(c)[1];
  ARGS[name] = EDGES.map((x) => [x]);
}

/** Every export with its argument lists, run on a fresh V8 instance (memory state matters). */
function expected() {
  const out = {};
  for (const [f, list] of Object.entries(ARGS)) {
    const ex = v8();
    out[f] = list.map((args) => ex[f](...args));
  }
  return out;
}

const opNumber = (name) => Number(new RegExp(`\\b${name} = (\\d+)`).exec(readFileSync(new URL("../../assembly/compile/ir-ops.ts", import.meta.url), "utf8"))[1]);

test("each new fused op is in the compiled code, and no le/ge-with-a-constant op exists", () => {
  const { code } = imageParts(Module.load(new Engine({ log: false }), BYTES).image());
  for (const op of ["I32AddImmJumpLtSImm", "I32AddJumpLtSImm", "I32AddMulImm", "I32AddMul"]) {
    assert.ok(code.includes(opNumber(op)), `an ${op} op`);
  }
  const ops = readFileSync(new URL("../../assembly/compile/ir-ops.ts", import.meta.url), "utf8");
  assert.doesNotMatch(ops, /\bI32(Le|Ge)[SU]Imm\b/);
});

for (const engineName of ["node", "native"]) {
  test(`${engineName}: results as V8's at the edges, fuel as the oracle counts, and the same in slices of one with a migration at each`, () => {
    const want = expected();
    const options = { log: false, ...(engineName === "native" ? { engine: "native" } : {}) };
    const counted = new WebAssembly.Module(instrument(new Uint8Array(BYTES), "count"));
    const BIG = 10n ** 12n;
    let calls = 0, migrations = 0;
    // An engine per loop export, one for all the compares (which leave memory
    // alone): a migration moves every instance of its engine, so fewer is faster.
    let shared = null;
    for (const [f, list] of Object.entries(ARGS)) {
      const compare = !(f in LOOPS);
      if (!compare || !shared) {
        const engine = new Engine(options);
        shared = { engine, inst: Instance.instantiate(Module.load(engine, BYTES), {}), sliced: Instance.instantiate(Module.load(engine, BYTES), {}) };
      }
      const { engine, inst, sliced } = shared;
      const oracle = new WebAssembly.Instance(counted).exports;
      list.forEach((args, i) => {
        const before = oracle.count.value;
        assert.equal(oracle[f](...args), want[f][i], `${f}(${args}) instrumented`);
        const got = inst.invoke(f, args, { fuel: BIG })[0];
        assert.equal(got, want[f][i], `${f}(${args})`);
        const used = oracle.count.value - before;
        assert.equal(BIG - BigInt(engine.raw.wrt_fuel_left()), BigInt(used), `${f}(${args}): fuel`);
        // A migration costs about a millisecond in Node, more natively (a
        // process each): at every unit for short calls in Node, else every
        // `every`th unit (the call still stops at every unit).
        let slices = 0;
        const every = engineName === "native" ? 211 : used <= 600n ? 1 : 29;
        const onSlice = (e) => { if (++slices % every === 0) { e.migrate(); migrations++; } };
        assert.equal(sliced.invoke(f, args, { fuelSlice: 1, onSlice })[0], want[f][i], `${f}(${args}) in slices of one`);
        calls++;
      });
    }
    assert.ok(calls > 400 && migrations > (engineName === "native" ? 100 : 3000), `${calls} calls, ${migrations} migrations`);
  });
}
