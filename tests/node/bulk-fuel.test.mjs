// Fuel bounds time for bulk operations (docs/fuel.md, "Bulk operations";
// issue 18 part 5): memory.fill/copy/init and table.fill/copy/init pay per
// 64 bytes started (per element), memory.grow/table.grow per page (element)
// added; a long bulk op stops on fuel at a unit boundary and continues,
// sliced or through snapshot and restore, to the memory and the total fuel
// of one run. Expected values: the spec's semantics, computed here in JS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Engine, Module, Instance, WrtOutOfFuel, WrtTrap } from "../../host-shims/node/dist/index.js";
import { wat } from "./support.mjs";

const DATA = Array.from({ length: 1000 }, (_, i) => (i * 7 + 3) & 0xff);
const GUEST = wat(`(module
  (memory (export "mem") 2 64)
  (table $t (export "tab") 300 400 funcref)
  (func $f0) (func $f1) (func $f2)
  (elem $e func $f0 $f1 $f2 $f0 $f1 $f2 $f0 $f1 $f2 $f0 $f1 $f2 $f0 $f1 $f2 $f0 $f1 $f2 $f0 $f1 $f2 $f0 $f1 $f2)
  (elem (i32.const 0) func $f0 $f1 $f2 $f1 $f0 $f2 $f2 $f1 $f0 $f0 $f1 $f2)
  (data $d "${DATA.map((b) => "\\" + b.toString(16).padStart(2, "0")).join("")}")
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32) (memory.init $d (local.get 0) (local.get 1) (local.get 2)))
  (func (export "tfill") (param i32 i32) (table.fill $t (local.get 0) (ref.func $f2) (local.get 1)))
  (func (export "tcopy") (param i32 i32 i32) (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
  (func (export "tinit") (param i32 i32 i32) (table.init $t $e (local.get 0) (local.get 1) (local.get 2)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "tgrow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
  ;; the locals the operands came from are untouched by a stop (the op works on its own temporaries)
  (func (export "fill_keep") (param $d i32) (param $n i32) (result i32)
    (memory.fill (local.get $d) (i32.const 0xAB) (local.get $n))
    (i32.add (local.get $d) (local.get $n)))
  (func (export "ident") (param i32) (result i32) (table.get $t (local.get 0)) (ref.is_null) (if (result i32) (then (i32.const -1)) (else (i32.const 1)))))`,
  { name: "bulk-fuel.wat" });
const BIG = 10n ** 15n;

function fresh() {
  const engine = new Engine({ log: false });
  const inst = Instance.instantiate(Module.load(engine, GUEST), {});
  const pattern = new Uint8Array(2 * 65536);
  for (let i = 0; i < pattern.length; i++) pattern[i] = (i * 31 + (i >> 8)) & 0xff;
  inst.memory("mem").write(0, pattern);
  return { engine, inst };
}

/** Fuel one whole call uses. */
function cost(name, args) {
  const { engine, inst } = fresh();
  inst.invoke(name, args, { fuel: BIG });
  return Number(BIG - engine.raw.wrt_fuel_left());
}

/**
 * Runs a call in slices from `slices` (cycled), optionally hopping through a
 * snapshot at every stop. Like the API's own driver, a slice that pays for
 * nothing (the next op's share is larger) is doubled until it does.
 */
function sliced(name, args, slices, hop = false) {
  let { engine, inst } = fresh();
  let i = 0, used = 0, stops = 0, stalled = 0;
  const slice = () => slices[i % slices.length] * 2 ** stalled;
  let given = slice();
  let r = inst.call(name, args, given);
  while (!r.done) {
    const u = given - Number(engine.raw.wrt_fuel_left());
    used += u;
    stalled = u == 0 ? stalled + 1 : 0;
    stops++;
    i++;
    given = slice();
    if (hop) {
      const restored = Engine.restore(engine.snapshot(), { modules: [GUEST], log: false });
      engine = restored.engine;
      inst = restored.instances[0];
      r = restored.call.resume(given);
    } else {
      r = r.resume(given);
    }
  }
  used += given - Number(r.fuelLeft);
  return { results: r.results, used, stops, mem: inst.memory("mem").read(0, inst.memory("mem").byteLength), inst };
}

function whole(name, args) {
  const { engine, inst } = fresh();
  const results = inst.invoke(name, args, { fuel: BIG });
  return { results, used: Number(BIG - engine.raw.wrt_fuel_left()), mem: inst.memory("mem").read(0, inst.memory("mem").byteLength), inst };
}

test("memory ops cost their block plus one unit per 64 bytes started; table ops one per element", () => {
  for (const [name, args, units] of [
    ["fill", (n) => [100, 7, n], (n) => Math.ceil(n / 64)],
    ["copy", (n) => [5000, 100, n], (n) => Math.ceil(n / 64)],
    ["init", (n) => [10, 0, n], (n) => Math.ceil(n / 64)],
    ["tfill", (n) => [10, n], (n) => n],
    ["tcopy", (n) => [50, 0, n], (n) => n],
    ["tinit", (n) => [100, 0, n], (n) => n],
  ]) {
    const base = cost(name, args(0));
    for (const n of name == "tinit" ? [1, 2, 23, 24] : [1, 2, 63, 64, 65, 128, 129, 24]) {
      assert.equal(cost(name, args(n)) - base, units(n), `${name} n=${n}`);
    }
  }
  // memory.grow: 1,024 per page added; refused by the maximum (64 pages): no units
  const g0 = cost("grow", [0]);
  assert.equal(cost("grow", [3]) - g0, 3 * 1024);
  assert.equal(cost("grow", [100]) - g0, 0, "a grow past the maximum pays nothing extra");
  assert.equal(cost("tgrow", [50]) - cost("tgrow", [0]), 50);
  assert.equal(cost("tgrow", [500]) - cost("tgrow", [0]), 0, "a table grow past the maximum pays nothing extra");
});

test("sliced at every unit and at odd sizes, each bulk op ends as one run: same memory, table and total fuel", () => {
  const cases = [
    ["fill", [1000, 0x5c, 70000]],
    ["copy", [300, 4000, 20000]],      // d < s, overlapping: forward
    ["copy", [4000, 300, 20000]],      // d > s, overlapping: from the end
    ["copy", [65536, 0, 65536]],       // disjoint
    ["init", [12345, 17, 900]],
    ["tfill", [20, 250]],
    ["tcopy", [0, 5, 200]],
    ["tcopy", [5, 0, 200]],
    ["tinit", [30, 2, 20]],
    ["grow", [5]],
  ];
  for (const [name, args] of cases) {
    const want = whole(name, args);
    const tab = (inst) => Array.from({ length: 310 }, (_, i) => i < inst.table("tab").size ? inst.invoke("ident", [i])[0] : 0);
    for (const slices of [[1], [3, 1, 7], [50, 2], [1023, 5]]) {
      const got = sliced(name, args, slices);
      assert.deepEqual(got.results, want.results, `${name} ${args} slices ${slices}`);
      assert.equal(got.used, want.used, `${name} ${args} slices ${slices}: total fuel`);
      assert.ok(Buffer.from(got.mem).equals(Buffer.from(want.mem)), `${name} ${args} slices ${slices}: memory`);
      assert.deepEqual(tab(got.inst), tab(want.inst), `${name} ${args}: table`);
      if (slices[0] == 1 && name != "grow") assert.ok(got.stops > 10, `${name}: only ${got.stops} stops`);
    }
  }
});

test("through a snapshot and restore at every stop, a bulk op ends as one run", () => {
  for (const [name, args] of [["fill", [7, 0x11, 9000]], ["copy", [100, 50, 5000]], ["copy", [50, 100, 5000]], ["init", [0, 0, 1000]], ["tcopy", [3, 0, 60]], ["grow", [2]]]) {
    const want = whole(name, args);
    const got = sliced(name, args, [8, 2, 2, 40], true);
    assert.ok(got.stops >= 3, `${name}: ${got.stops} stops`);
    assert.deepEqual(got.results, want.results, name);
    assert.equal(got.used, want.used, `${name}: total fuel`);
    assert.ok(Buffer.from(got.mem).equals(Buffer.from(want.mem)), `${name}: memory`);
  }
});

test("an out-of-bounds bulk op traps before writing and pays no units; the locals it read stay as they were", () => {
  const { engine, inst } = fresh();
  const before = inst.memory("mem").read(0, 2 * 65536);
  assert.throws(() => inst.invoke("fill", [131000, 1, 1000], { fuel: BIG }), WrtTrap);
  assert.ok(Buffer.from(inst.memory("mem").read(0, 2 * 65536)).equals(Buffer.from(before)), "nothing written");
  // three local.get and the memory.fill, not the function's end after it (a trap charges up to and including the trapping instruction)
  assert.equal(Number(BIG - engine.raw.wrt_fuel_left()), 4, "the instructions up to the fill, no units");
  assert.throws(() => inst.invoke("copy", [0, 131000, 1000], { fuel: BIG }), WrtTrap);
  assert.throws(() => inst.invoke("tcopy", [250, 0, 100], { fuel: BIG }), WrtTrap);
  // fill_keep returns d + n from its locals after a sliced fill
  const r = sliced("fill_keep", [64, 5000], [2]);
  assert.deepEqual(r.results, [5064]);
  assert.ok(r.mem.subarray(64, 5064).every((b) => b == 0xab));
});

// 1 GiB less one page: the largest block the interpreter's allocator (TLSF) holds
test("a fill of 1 GiB stops within the fuel given, at a 64-byte boundary", () => {
  const engine = new Engine({ log: false });
  const inst = Instance.instantiate(Module.load(engine, wat(`(module (memory (export "mem") 16383 16383)
    (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2))))`, { name: "gib.wat" })), {});
  const t0 = process.hrtime.bigint();
  const r = inst.call("fill", [0, 0xEE, 16383 * 65536], 1000);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.equal(r.done, false, "1,000 fuel cannot fill 1 GiB");
  assert.equal(engine.raw.wrt_fuel_left(), 0n, "every unit it could pay for was used");
  assert.ok(ms < 1000, `stopped after ${ms} ms`);
  const mem = inst.memory("mem");
  // the block (3 units for the local.gets and the fill, 1 for end) then 64 bytes per unit
  const done = (1000 - Number(engine.raw.wrt_fuel_left()) - cost2(engine)) * 64;
  assert.ok(done > 60000 && done <= 64000, `${done} bytes done`);
  assert.ok(mem.read(0, done).every((b) => b == 0xEE));
  assert.ok(mem.read(done, 64).every((b) => b == 0), "stopped at the boundary");
  r.abandon();
});

/** The fill function's block cost: a zero-length fill's fuel. */
function cost2() {
  const engine = new Engine({ log: false });
  const inst = Instance.instantiate(Module.load(engine, wat(`(module (memory 1)
    (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2))))`, { name: "gib0.wat" })), {});
  inst.invoke("fill", [0, 0, 0], { fuel: 1000 });
  return 1000 - Number(engine.raw.wrt_fuel_left());
}

test("a grow costing more than every slice still finishes: the fuel paid adds up across stops", () => {
  // one page is 1,024 by default (docs/fuel.md): none of these slices covers it at once (each covers
  // the block's own ops, which a run must pay whole)
  const whole = cost("grow", [2]);
  assert.ok(whole >= 2 * 1024, `a 2-page grow costs ${whole}`);
  for (const s of [997, 100, 7]) {
    const { engine, inst } = fresh();
    let used = 0, stops = 0;
    let r = inst.call("grow", [2], s);
    while (!r.done && stops <= whole) {
      used += s - Number(engine.raw.wrt_fuel_left());
      stops++;
      r = r.resume(s);
    }
    assert.ok(r.done, `slices of ${s}: no progress after ${stops} stops`);
    used += s - Number(r.fuelLeft);
    assert.deepEqual(r.results, [2], "the old size in pages");
    assert.equal(used, whole, `slices of ${s}: the same total as one run`);
    assert.equal(inst.memory("mem").byteLength, 4 * 65536);
  }
});
