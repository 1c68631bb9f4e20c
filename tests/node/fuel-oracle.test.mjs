// The fuel WRT charges equals a count made outside WRT (docs/fuel.md,
// "Counting"): small functions counted by hand from the rules, then every
// invocation of the core spec suite against an instrumented copy of its
// module run in V8 (fuzz/lib/fuel-oracle.mjs, scripts/fuel-oracle.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { Engine, Instance, Module, WrtTrap } from "../../host-shims/node/dist/index.js";
import { instrument } from "../../fuzz/lib/fuel-oracle.mjs";
import { oracleFile, specFiles } from "../../scripts/fuel-oracle.mjs";
import { ci, root, wat } from "./support.mjs";
import { testsuiteDir } from "../../fuzz/lib/testsuite.mjs";

// [name, function text (export "f", no parameters), fuel by hand, smallest slice that makes progress (default 3)]
const HAND = [
  ["empty body: its end", `(func (export "f"))`, 1],
  ["nop, end", `(func (export "f") nop)`, 2],
  // block, br, end of the function; the block's end is jumped over, the nops are dead
  ["br out of a block", `(func (export "f") (block br 0 nop nop))`, 3],
  // const, local.set; loop once; 3 x (local.get, const, sub, local.tee, br_if); the loop's end; the function's end
  ["a loop of 3 rounds", `(func (export "f") (local i32) i32.const 3 local.set 0 (loop local.get 0 i32.const 1 i32.sub local.tee 0 br_if 0))`, 2 + 1 + 15 + 1 + 1],
  // const, if; the false path skips to after the if's end; the function's end
  ["if, false, no else", `(func (export "f") i32.const 0 (if (then nop)))`, 3],
  // const, if, nop, end of the if, end of the function
  ["if, true, no else", `(func (export "f") i32.const 1 (if (then nop)))`, 5],
  // const, if, nop, else (the then arm falls through to it and jumps past the end), end of the function
  ["if, true, else", `(func (export "f") i32.const 1 (if (then nop) (else nop)) nop)`, 6],
  // const, if, (else not paid) nop, end, nop, end of the function
  ["if, false, else", `(func (export "f") i32.const 0 (if (then nop) (else nop)) nop)`, 6],
  ["return skips the end", `(func (export "f") return nop nop)`, 1],
  // call, the callee's end, the caller's end
  ["a call", `(func $g) (func (export "f") call $g)`, 3],
  // block, block, const, br_table to the outer label (both ends jumped over), the function's end
  ["br_table", `(func (export "f") (block (block i32.const 1 br_table 0 1 0)))`, 5, 4],
  // a trap charges the instructions up to and including the trapping one: const, const, div_u (not the nops and end after it)
  ["trap: up to the trapping instruction", `(func (export "f") (result i32) i32.const 1 i32.const 0 i32.div_u nop nop nop)`, 3],
  // the same when the trapping op is its block's last and free instructions follow it (drop, the end of a block a
  // branch targets): block, const, br_if (not taken), const, const, div_u
  ["trap: the last op of a block", `(func (export "f") (block i32.const 0 br_if 0 i32.const 1 i32.const 0 i32.div_u drop))`, 6],
  // nop, unreachable; the end after it is dead
  ["unreachable", `(func (export "f") nop unreachable)`, 2],
];

function wrtFuel(bytes) {
  const engine = new Engine({ log: false });
  const f = Instance.instantiate(Module.load(engine, bytes), {}).exports.f;
  try {
    return 1000n - f.callRaw([], 1000).fuelLeft;
  } catch (e) {
    assert.ok(e instanceof WrtTrap, String(e));
    return 1000n - BigInt(engine.raw.wrt_fuel_left());
  }
}

function oracleFuel(bytes) {
  const counted = instrument(bytes, "count");
  assert.ok(counted, "the rewriter refused the module");
  const inst = new WebAssembly.Instance(new WebAssembly.Module(counted));
  try { inst.exports.f(); } catch (e) { assert.ok(e instanceof WebAssembly.RuntimeError, String(e)); }
  return inst.exports.count.value;
}

/** The fuel a call of f costs when run in slices of `slice` (resumed until it finishes or traps). */
function wrtFuelSliced(bytes, slice) {
  const engine = new Engine({ log: false });
  const f = Instance.instantiate(Module.load(engine, bytes), {}).exports.f;
  let used = 0n;
  const left = () => BigInt(engine.raw.wrt_fuel_left());
  try {
    let r = f.callRaw([], slice);
    for (let i = 0; !r.done; i++) {
      assert.ok(i < 1000, `slices of ${slice} make no progress`);
      used += BigInt(slice) - left();
      r = r.resume(slice);
    }
    return used + BigInt(slice) - BigInt(r.fuelLeft);
  } catch (e) {
    assert.ok(e instanceof WrtTrap, String(e));
    return used + BigInt(slice) - left();
  }
}

for (const [name, src, fuel, minSlice = 3] of HAND) {
  test(`fuel by hand: ${name} = ${fuel}`, () => {
    const bytes = wat(`(module ${src})`);
    assert.equal(wrtFuel(bytes), BigInt(fuel), "WRT");
    assert.equal(oracleFuel(bytes), BigInt(fuel), "the oracle");
    // however it is sliced (from the largest op's share: a fused const, const, div_u is paid at once)
    for (let slice = minSlice; slice <= fuel + 1; slice++) assert.equal(wrtFuelSliced(bytes, slice), BigInt(fuel), `WRT in slices of ${slice}`);
  });
}

test("the rewriter refuses what it does not know (SIMD) instead of guessing", () => {
  // (func (result v128) v128.const 0): 0xfd 0x0c + 16 bytes
  const simd = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7b, 3, 2, 1, 0,
    10, 22, 1, 20, 0, 0xfd, 0x0c, ...new Array(16).fill(0), 0x0b]);
  assert.ok(WebAssembly.validate(simd));
  assert.equal(instrument(simd), null);
});

const core = testsuiteDir("core");
test("the core suite: every invocation costs in WRT what the oracle counts", { skip: !existsSync(core) && !ci ? `no spec suite at ${core}` : false }, () => {
  let agreed = 0, trapped = 0, skipped = 0;
  const functions = new Set();
  const disagreed = [];
  const files = specFiles([core]);
  for (const f of files) {
    const r = oracleFile(f);
    agreed += r.agreed; trapped += r.trapped; skipped += r.skipped;
    r.functions.forEach((x) => functions.add(x));
    disagreed.push(...r.disagreed);
  }
  console.log(`fuel oracle: ${agreed} calls agreed (${trapped} trapped), ${disagreed.length} disagreed, ${skipped} not compared, ${functions.size} functions, ${files.length} files`);
  assert.deepEqual(disagreed.slice(0, 20), []);
  // floors from today's suite (23,951 calls, 3,219 functions): a suite or rewriter that compares little fails
  assert.ok(agreed >= 23000, `only ${agreed} calls compared`);
  assert.ok(trapped >= 2000, `only ${trapped} trapping calls compared`);
  assert.ok(functions.size >= 3000, `only ${functions.size} functions`);
  assert.ok(skipped <= 50, `${skipped} calls not compared`);
});

test("the core suite in random fuel slices: a call costs the same however it is sliced", { skip: !existsSync(core) && !ci ? `no spec suite at ${core}` : false }, () => {
  // Calls that trap are compared too: a trap pays up to and including the
  // trapping instruction on every path (docs/fuel.md).
  let agreed = 0, skipped = 0;
  const disagreed = [];
  for (const f of specFiles([core])) {
    const r = oracleFile(f, { sliced: true, seed: 20261203 });
    agreed += r.agreed; skipped += r.skipped;
    disagreed.push(...r.disagreed);
  }
  console.log(`fuel oracle, sliced: ${agreed} calls agreed, ${disagreed.length} disagreed, ${skipped} not compared`);
  assert.deepEqual(disagreed.slice(0, 20), []);
  assert.ok(agreed >= 21000, `only ${agreed} calls compared`);
});

test("fuel left survives a snapshot and restore: a stop leaves less than the next instruction's cost", async () => {
  // (loop br 0): every instruction costs 1, so a stop leaves exactly 0 (by
  // hand, docs/fuel.md); the restored interpreter must report the same
  const bytes = wat(`(module (func (export "spin") (loop br 0)))`);
  const engine = new Engine({ log: false });
  const inst = Instance.instantiate(Module.load(engine, bytes), {});
  const r = inst.exports.spin.callRaw([], 1001);
  assert.equal(r.done, false);
  assert.equal(BigInt(engine.raw.wrt_fuel_left()), 0n);
  const snap = engine.snapshot();
  const fresh = new Engine({ log: false });
  Module.load(fresh, bytes);
  fresh.restore(snap);
  assert.equal(BigInt(fresh.raw.wrt_fuel_left()), 0n, "fuel left after restore");
});
