// The Node embedding API (host-shims/node) against the real build/wrt.wasm.
// Modules are written in WAT and assembled with the npm `wabt` package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { wat } from "./support.mjs";
import {
  Engine, Module, Instance, Func, Memory, Global, RawValue, Suspended,
  f32ToBits, bitsToF32, f64ToBits, formatTyped, parseTyped,
  WrtDecodeError, WrtValidationError, WrtLinkError, WrtTrap, WrtOutOfFuel, WrtApiError, TrapCode, ErrCode,
} from "../../host-shims/node/dist/index.js";



// One engine for the file, created on first use (so the pure value tests run without build/wrt.wasm).
let engineCache = null;
const lazyEngine = () => (engineCache ??= Engine.load({ log: false }));
const instantiate = (src, imports = {}) => Instance.instantiate(Module.load(lazyEngine(), wat(src)), imports);

test("values: f32/f64 bits, TYPE:VALUE text, argument parsing", () => {
  assert.equal(f32ToBits(1), 0x3f800000n);
  assert.equal(bitsToF32(0x3f800000n), 1);
  assert.equal(f64ToBits(-0), 0x8000000000000000n);
  assert.equal(formatTyped("i32", 0xffffffffn), "i32:-1");
  assert.equal(formatTyped("i64", 0x8000000000000000n), "i64:-9223372036854775808");
  assert.equal(formatTyped("f64", f64ToBits(1.5)), "f64:1.5");
  assert.equal(formatTyped("f32", f32ToBits(0.1)), "f32:0.1");
  assert.equal(parseTyped("i32", "-1"), 0xffffffffn);
  assert.equal(parseTyped("i32", "4294967295"), 0xffffffffn);
  assert.equal(parseTyped("i64", "0x10"), 16n);
  assert.equal(parseTyped("f32", "inf"), 0x7f800000n);
  assert.throws(() => parseTyped("i32", "4294967296"), RangeError);
  assert.throws(() => parseTyped("i32", "abc"), TypeError);
});

const ARITH = `(module
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "add64") (param i64 i64) (result i64) local.get 0 local.get 1 i64.add)
  (func (export "mulf") (param f64 f64) (result f64) local.get 0 local.get 1 f64.mul)
  (func (export "idf32") (param f32) (result f32) local.get 0)
  (func (export "idf64") (param f64) (result f64) local.get 0)
  (func (export "swap") (param i32 i64) (result i64 i32) local.get 1 local.get 0)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "boom") unreachable)
  (func $f (export "f") (result i32) i32.const 7)
  (func (export "getf") (result funcref) ref.func $f)
  (memory (export "mem") 1 2)
  (global (export "g") (mut i32) (i32.const 5))
)`;

test("decode errors carry code, byte offset and message", () => {
  const badVersion = new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]);
  assert.throws(() => Module.load(lazyEngine(), badVersion), (e) => {
    assert.ok(e instanceof WrtDecodeError, `got ${e}`);
    assert.ok(e.code > 0 && e.code < 40);
    assert.equal(e.offset, 4);
    assert.match(e.message, /unknown binary version/);
    return true;
  });
  assert.throws(() => Module.load(lazyEngine(), new Uint8Array([1, 2, 3, 4, 1, 0, 0, 0])), (e) => {
    assert.ok(e instanceof WrtDecodeError);
    assert.match(e.message, /magic header/);
    assert.equal(e.offset, 0);
    return true;
  });
  const truncated = wat(ARITH).slice(0, 30);
  assert.throws(() => Module.load(lazyEngine(), truncated), WrtDecodeError);
});

test("validation errors carry code, byte offset and message", () => {
  const bytes = wat(`(module (func (result i32) i64.const 1))`, { check: false });
  assert.throws(() => Module.load(lazyEngine(), bytes), (e) => {
    assert.ok(e instanceof WrtValidationError, `got ${e}`);
    assert.ok(e.code >= 40 && e.code < 80);
    assert.ok(e.offset > 8 && e.offset < bytes.length, `offset ${e.offset}`);
    assert.match(e.message, /type mismatch/);
    return true;
  });
  const r = Module.validate(lazyEngine(), bytes);
  assert.equal(r.valid, false);
  assert.ok(r.error instanceof WrtValidationError);
  assert.deepEqual(Module.validate(lazyEngine(), wat(ARITH)), { valid: true });
});

test("import and export descriptors", () => {
  const m = Module.load(lazyEngine(), wat(`(module
    (import "env" "f" (func (param i32 i64) (result f32)))
    (import "env" "mem" (memory 1 3))
    (import "env" "tab" (table 2 funcref))
    (import "env" "g" (global (mut f64)))
    (func (export "run")) (export "m" (memory 0)))`));
  assert.deepEqual(m.imports(), [
    { module: "env", name: "f", kind: "func", type: { params: ["i32", "i64"], results: ["f32"] } },
    { module: "env", name: "mem", kind: "memory", type: { min: 1, max: 3 } },
    { module: "env", name: "tab", kind: "table", type: { element: "funcref", min: 2, max: null } },
    { module: "env", name: "g", kind: "global", type: { type: "f64", mutable: true } },
  ]);
  assert.deepEqual(m.exports(), [{ name: "run", kind: "func" }, { name: "m", kind: "memory" }]);
});

test("invoke with i32, i64, f64, multi-value; raw bits keep NaN payloads", () => {
  const inst = instantiate(ARITH);
  assert.deepEqual(inst.invoke("add", [1, 2]), [3]);
  assert.deepEqual(inst.invoke("add", [0x7fffffff, 1]), [-0x80000000]);
  assert.deepEqual(inst.invoke("add64", [1n << 62n, 1n << 62n]), [-(1n << 63n)]);
  assert.deepEqual(inst.invoke("mulf", [1.5, 3]), [4.5]);
  assert.deepEqual(inst.invoke("swap", [7, 9n]), [9n, 7]);
  assert.deepEqual(inst.func("add").type, { params: ["i32", "i32"], results: ["i32"] });
  const nan32 = 0x7fa00001n;
  const [r32] = inst.invoke("idf32", [new RawValue("f32", nan32)], { raw: true });
  assert.equal(r32.bits, nan32);
  const nan64 = 0xfff0000000000001n;
  assert.deepEqual(inst.func("idf64").invokeRaw([nan64]), [nan64]);
  const [fr] = inst.invoke("getf");
  assert.ok(fr instanceof Func);
  assert.deepEqual(fr.invoke(), [7]);
});

test("memory and global exports", () => {
  const inst = instantiate(ARITH);
  const mem = inst.memory("mem");
  assert.ok(mem instanceof Memory);
  assert.equal(mem.byteLength, 65536);
  mem.write(10, new Uint8Array([1, 2, 3]));
  assert.deepEqual([...mem.read(10, 3)], [1, 2, 3]);
  assert.equal(mem.grow(1), 1);
  assert.equal(mem.byteLength, 2 * 65536);
  const g = inst.global("g");
  assert.ok(g instanceof Global);
  assert.equal(g.value, 5);
  g.value = 6;
  assert.equal(g.value, 6);
  assert.deepEqual(g.globalType, { type: "i32", mutable: true });
});

test("host functions: args, results, multi-value, errors become traps", () => {
  const calls = [];
  const inst = instantiate(`(module
    (import "env" "mix" (func $mix (param i32 i64 f32 f64) (result i64)))
    (import "env" "pair" (func $pair (result i32 i32)))
    (import "env" "fail" (func $fail))
    (func (export "callmix") (result i64) i32.const -3 i64.const 40 f32.const 0.5 f64.const 2.25 call $mix)
    (func (export "callpair") (result i32) call $pair i32.sub)
    (func (export "callfail") call $fail))`, {
    env: {
      mix: (a, b, c, d) => { calls.push([a, b, c, d]); return b + 2n; },
      pair: () => [10, 3],
      fail: () => { throw new Error("nope from JS"); },
    },
  });
  assert.deepEqual(inst.invoke("callmix"), [42n]);
  assert.deepEqual(calls, [[-3, 40n, 0.5, 2.25]]);
  assert.deepEqual(inst.invoke("callpair"), [7]);
  assert.throws(() => inst.invoke("callfail"), (e) => {
    assert.ok(e instanceof WrtTrap, `got ${e}`);
    assert.equal(e.code, TrapCode.HostError);
    assert.match(e.message, /nope from JS/);
    return true;
  });
  assert.deepEqual(inst.invoke("callpair"), [7]);
});

test("a host function can call back into the guest", () => {
  let inst;
  inst = instantiate(`(module
    (import "env" "cb" (func $cb (param i32) (result i32)))
    (func (export "sq") (param i32) (result i32) local.get 0 local.get 0 i32.mul)
    (func (export "outer") (param i32) (result i32) local.get 0 call $cb i32.const 1 i32.add))`, {
    env: { cb: (x) => inst.invoke("sq", [x])[0] },
  });
  assert.deepEqual(inst.invoke("outer", [5]), [26]);
});

test("traps are WrtTrap with the right code; the next call works", () => {
  const inst = instantiate(ARITH);
  assert.throws(() => inst.invoke("div", [1, 0]), (e) => {
    assert.ok(e instanceof WrtTrap, `got ${e}`);
    assert.equal(e.code, TrapCode.IntegerDivideByZero);
    assert.match(e.message, /integer divide by zero/);
    assert.equal(typeof e.func, "number");
    assert.equal(typeof e.pc, "number");
    return true;
  });
  assert.throws(() => inst.invoke("div", [-0x80000000, -1]), (e) => e instanceof WrtTrap && e.code === TrapCode.IntegerOverflow);
  assert.throws(() => inst.invoke("boom"), (e) => e instanceof WrtTrap && e.code === TrapCode.Unreachable);
  assert.deepEqual(inst.invoke("div", [7, 2]), [3]);
});

const LOOP = `(module
  (import "env" "tick" (func $tick (param i32)))
  (func (export "sum") (param $n i32) (result i32) (local $acc i32)
    (block $done (loop $l
      local.get $n i32.eqz br_if $done
      local.get $n call $tick
      local.get $acc local.get $n i32.add local.set $acc
      local.get $n i32.const 1 i32.sub local.set $n
      br $l))
    local.get $acc)
  (func (export "spin") (loop $l br $l)))`;

test("fuel: out of fuel, then resume to the same result", () => {
  let ticks = 0;
  const inst = instantiate(LOOP, { env: { tick: () => { ticks++; } } });
  assert.deepEqual(inst.invoke("sum", [100]), [5050]);
  assert.equal(ticks, 100);
  ticks = 0;
  let r = inst.call("sum", [100], 10);
  assert.ok(r instanceof Suspended);
  assert.equal(r.done, false);
  let rounds = 0;
  while (!r.done) {
    r = r.resume(10);
    rounds++;
    assert.ok(rounds < 100000);
  }
  assert.ok(rounds > 5, `only ${rounds} rounds`);
  assert.deepEqual(r.results, [5050]);
  assert.equal(ticks, 100);
  // Seeded random slices and fixed slices give the same result.
  assert.deepEqual(inst.invoke("sum", [300], { fuelSlice: "random", seed: 42 }), [45150]);
  assert.deepEqual(inst.invoke("sum", [300], { fuelSlice: 1 }), [45150]);
});

test("fuel: a budget stops an endless loop; abandon makes the engine idle again", () => {
  const inst = instantiate(LOOP, { env: { tick: () => {} } });
  assert.throws(() => inst.invoke("spin", [], { fuel: 1000 }), WrtOutOfFuel);
  const r = inst.call("spin", [], 500);
  assert.equal(r.done, false);
  const again = r.resume(500);
  assert.equal(again.done, false);
  again.abandon();
  assert.deepEqual(inst.invoke("sum", [3]), [6]);
});

test("linking: externs from another instance, unknown and incompatible imports", () => {
  const a = instantiate(ARITH);
  const b = instantiate(`(module
    (import "a" "mem" (memory 1))
    (import "a" "add" (func $add (param i32 i32) (result i32)))
    (import "a" "g" (global (mut i32)))
    (func (export "run") (result i32) i32.const 0 i32.load8_u i32.const 1 call $add global.get 0 i32.add))`, { a: a.exports });
  a.memory("mem").write(0, new Uint8Array([40]));
  a.global("g").value = 100;
  assert.deepEqual(b.invoke("run"), [141]);
  const m = Module.load(lazyEngine(), wat(`(module (import "a" "add" (func (param i64))))`));
  assert.throws(() => Instance.instantiate(m, { a: a.exports }), WrtLinkError);
  assert.throws(() => Instance.instantiate(m, {}), (e) => e instanceof WrtLinkError && /unknown import/.test(e.message));
});

test("a trapping start function makes instantiation throw WrtTrap", () => {
  const m = Module.load(lazyEngine(), wat(`(module (func $s unreachable) (start $s))`));
  assert.throws(() => Instance.instantiate(m), (e) => e instanceof WrtTrap && e.code === TrapCode.Unreachable);
  assert.deepEqual(instantiate(ARITH).invoke("add", [2, 2]), [4]);
});

test("a nested call that runs out of its fuel budget ends the outer call too; the engine stays usable", () => {
  let inst;
  inst = instantiate(`(module
    (import "env" "cb" (func $cb))
    (func (export "spin") (loop $l br $l))
    (func (export "outer") (result i32) call $cb i32.const 1)
    (func (export "one") (result i32) i32.const 1))`, {
    env: { cb: () => { inst.invoke("spin", [], { fuel: 100 }); } },
  });
  assert.throws(() => inst.invoke("outer"), WrtOutOfFuel);
  assert.deepEqual(inst.invoke("one"), [1]);
  // caught inside the host function: still no host call to answer, so the error surfaces
  const inst2 = instantiate(`(module
    (import "env" "cb" (func $cb))
    (func (export "spin") (loop $l br $l))
    (func (export "outer") (result i32) call $cb i32.const 1))`, {
    env: { cb: () => { try { inst2.invoke("spin", [], { fuel: 100 }); } catch { /* swallowed */ } } },
  });
  // the abandoned nested call took the outer one with it: wrt_host_return finds no
  // host call pending (BadState, docs/embedding-api.md), not a trap or a result
  assert.throws(() => inst2.invoke("outer"), (e) => {
    assert.ok(e instanceof WrtApiError, `${e?.name}: ${e?.message}`);
    assert.equal(e.code, ErrCode.BadState);
    assert.match(e.message, /no host call is pending/);
    return true;
  });
  assert.deepEqual(inst.invoke("one"), [1]);
});

test("fuel arguments and options are checked: a bad one is a WrtApiError naming it, and nothing is left half-begun", () => {
  const inst = instantiate(`(module
    (func (export "count") (param $n i32) (result i32) (local $i i32)
      (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
      (local.get $i)))`);
  for (const bad of [undefined, 1.5, "100", 2n ** 63n, -(2n ** 63n) - 1n, NaN, 2 ** 53]) {
    assert.throws(() => inst.call("count", [1000], bad), (e) => e instanceof WrtApiError && e.code === ErrCode.BadArgument && /^fuel must be an integer/.test(e.message), String(bad));
  }
  // the engine is idle: a call with a budget runs; a suspended call refuses a bad resume and stays resumable
  assert.deepEqual(inst.call("count", [1000], 1_000_000n).results, [1000]);
  let r = inst.call("count", [1000], 50);
  assert.ok(r instanceof Suspended);
  assert.throws(() => r.resume(0.5), (e) => e instanceof WrtApiError && e.code === ErrCode.BadArgument);
  r = r.resume(2 ** 53 - 1);
  assert.equal(r.done, true);
  assert.deepEqual(r.results, [1000]);
  // invoke's options likewise (they used to throw after the call had begun, leaving the engine "in a call")
  for (const [opts, what] of [[{ fuel: 1.5 }, "fuel"], [{ fuelSlice: 0 }, "fuelSlice"], [{ fuelSlice: 2.5 }, "fuelSlice"], [{ fuelSlice: () => -1 }, "fuelSlice"]]) {
    assert.throws(() => inst.invoke("count", [1000], opts), (e) => e instanceof WrtApiError && e.code === ErrCode.BadArgument && e.message.startsWith(`${what} must be an integer`), JSON.stringify(opts));
    assert.deepEqual(inst.invoke("count", [1000]), [1000]);
  }
  assert.deepEqual(inst.invoke("count", [1000], { fuelSlice: 7n }), [1000]);
});
