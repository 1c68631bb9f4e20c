// A call zeroes only the declared locals some path may read before writing
// them (compile/zero-locals.ts). Each guest first calls $dirty, which fills
// the same frame slots with non-zero values, then a function whose local is
// read unwritten on one path: that read must see 0 on both engines; and the
// function table entries say how many bytes a call zeroes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { Engine, Module, Instance } from "../../host-shims/node/dist/index.js";
import { wat, imageParts } from "./support.mjs";

const engines = [["wasm", {}]];
if (existsSync(new URL("../../build/wrt-native", import.meta.url))) engines.push(["native", { engine: "native" }]);

// $dirty and every $fN: one i32 parameter, eight declared locals (i32 then i64 ...), same frame layout
const L = "(local i32 i32 i32 i32 i32 i32 i32 i32)";
const dirty = `(func $dirty (param i32) ${L}
  (local.set 1 (i32.const 0x5a5a)) (local.set 2 (i32.const 0x5a5a)) (local.set 3 (i32.const 0x5a5a)) (local.set 4 (i32.const 0x5a5a))
  (local.set 5 (i32.const 0x5a5a)) (local.set 6 (i32.const 0x5a5a)) (local.set 7 (i32.const 0x5a5a)) (local.set 8 (i32.const 0x5a5a))
  (drop (i32.add (i32.add (i32.add (local.get 1) (local.get 2)) (i32.add (local.get 3) (local.get 4)))
                 (i32.add (i32.add (local.get 5) (local.get 6)) (i32.add (local.get 7) (local.get 8))))))`;

/** name -> [body of (func (param i32) (result i32) L ...), zeroed locals expected, [[arg, result]...]] */
const CASES = {
  // read before any write
  first: ["(local.get 3)", 3, [[0, 0]]],
  // written on every path first: nothing to zero
  written: ["(local.set 1 (i32.const 7)) (local.set 2 (local.get 1)) (local.get 2)", 0, [[0, 7]]],
  // if without else: written only when the condition holds
  ifNoElse: ["(if (local.get 0) (then (local.set 2 (i32.const 5)))) (local.get 2)", 2, [[0, 0], [1, 5]]],
  // if/else writing on both arms: written
  ifElse: ["(if (local.get 0) (then (local.set 2 (i32.const 5))) (else (local.set 2 (i32.const 6)))) (local.get 2)", 0, [[0, 6], [1, 5]]],
  // else arm reads what only the then arm writes
  elseReads: ["(if (result i32) (local.get 0) (then (local.set 4 (i32.const 5)) (local.get 4)) (else (local.get 4)))", 4, [[0, 0], [1, 5]]],
  // br_if out of the block before the write
  brIf: ["(block (br_if 0 (local.get 0)) (local.set 5 (i32.const 9))) (local.get 5)", 5, [[1, 0], [0, 9]]],
  // br_table out before the write
  brTable: ["(block (block (br_table 0 1 (local.get 0)) ) (local.set 6 (i32.const 3))) (local.get 6)", 6, [[1, 0], [0, 3]]],
  // a write in dead code counts for nothing
  dead: ["(block (br 0) (local.set 7 (i32.const 4))) (local.get 7)", 7, [[0, 0]]],
  // a loop reads on its first round what it writes later
  loop: [`(local.set 1 (local.get 0))
    (loop $l (local.set 3 (i32.add (local.get 2) (i32.const 1))) (local.set 2 (i32.const 10))
      (br_if $l (local.tee 1 (i32.sub (local.get 1) (i32.const 1))))) (local.get 3)`, 2, [[1, 1], [2, 11]]],
  // written in a loop body, read after the loop: written (fib's shape)
  loopAfter: [`(loop $l (local.set 8 (i32.add (local.get 0) (i32.const 2))) (br_if $l (i32.const 0))) (local.get 8)`, 0, [[1, 3]]],
  // written in a block that a branch leaves early: not written after it
  blockEarly: ["(block (br_if 0 (local.get 0)) (local.set 1 (i32.const 2))) (local.set 2 (i32.const 1)) (i32.add (local.get 1) (local.get 2))", 1, [[1, 1], [0, 3]]],
};

const src = `(module
  ${dirty}
  ${Object.entries(CASES).map(([n, [body]]) => `(func $${n} (param i32) (result i32) ${L} ${body})
  (func (export "${n}") (param i32) (result i32) (call $dirty (i32.const 0)) (call $${n} (local.get 0)))`).join("\n  ")})`;
const bytes = wat(src, { name: "zero-locals.wat" });

for (const [name, opts] of engines) {
  test(`${name}: a local read before it is written is 0`, () => {
    const e = new Engine({ log: false, ...opts });
    const inst = Instance.instantiate(Module.load(e, bytes), {});
    for (const [f, [, , calls]] of Object.entries(CASES)) {
      for (const [arg, want] of calls) assert.equal(inst.invoke(f, [arg])[0], want, `${f}(${arg})`);
    }
    e.close?.();
  });
}

test("a call zeroes the declared locals up to the last one read before written", () => {
  const image = Module.load(new Engine({ log: false }), bytes).image();
  const { info } = imageParts(image);
  // functions: $dirty, then per case $fN and its export wrapper; 8 words each, localBytes at +3
  const names = Object.keys(CASES);
  assert.equal(info[3], 0, "$dirty writes every local first");
  names.forEach((n, i) => assert.equal(info[(1 + 2 * i) * 8 + 3], CASES[n][1] * 8, n));
});

test("more than 64 declared locals: a read of one beyond the 64th zeroes them all", async () => {
  const b = wat(`(module (func (export "f") (result i32) (local i64 i64) (local ${"i32 ".repeat(68)})
    (local.set 0 (i64.const 1)) (local.get 69)))`, { name: "zero-locals-wide.wat" });
  const { info } = imageParts(Module.load(new Engine({ log: false }), b).image());
  assert.equal(info[3], 2 * 8 + 68 * 8);
});
