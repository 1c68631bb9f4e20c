// Every limit the embedder sets (docs/embedding-api.md, config keys 1-7, and
// fuel) is enforced with a clear error or trap, and the interpreter keeps
// working afterwards. Each test gets a fresh Engine with its own limits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { wat } from "./support.mjs";
import {
  Engine, Module, Instance, Memory, Table, Suspended, WrtTrap, WrtApiError, WrtOutOfFuel, WrtSnapshotError, TrapCode, ErrCode,
} from "../../host-shims/node/dist/index.js";

const engineWith = (config) => new Engine({ log: false, config });
const inst = (engine, src, imports = {}) => Instance.instantiate(Module.load(engine, wat(src)), imports);

/** A clear limit error: WrtApiError with code LimitExceeded and a message naming the limit. */
function limitError(re) {
  return (e) => {
    assert.ok(e instanceof WrtApiError, `expected WrtApiError, got ${e?.name}: ${e?.message}`);
    assert.equal(e.code, ErrCode.LimitExceeded, e.message);
    assert.match(e.message, re);
    return true;
  };
}
const trapWith = (code, re) => (e) => {
  assert.ok(e instanceof WrtTrap, `expected WrtTrap, got ${e?.name}: ${e?.message}`);
  assert.equal(e.code, code, e.message);
  assert.match(e.message, re);
  return true;
};

const RECURSE = `(module
  (func $deep (export "deep") (param $n i32) (result i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get $n) (i32.const 1)))))))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`;

/** Checks the engine still runs guests correctly: a fresh module and an existing instance. */
function stillWorks(engine, old) {
  const fresh = inst(engine, `(module (func (export "mul") (param i32 i32) (result i32) (i32.mul (local.get 0) (local.get 1))))`);
  assert.deepEqual(fresh.invoke("mul", [6, 7]), [42]);
  if (old) assert.deepEqual(old.invoke("add", [2, 3]), [5]);
}

/** A refused config value: WrtApiError BadArgument (docs/embedding-api.md, wrt_config). */
const badArgument = (e) => {
  assert.ok(e instanceof WrtApiError, `expected WrtApiError, got ${e?.name}: ${e?.message}`);
  assert.equal(e.code, ErrCode.BadArgument, e.message);
  assert.match(e.message, /bad config key or value/);
  return true;
};

test("config: values out of range are refused", () => {
  const e = engineWith({});
  assert.throws(() => e.configure("valueStackBytes", 16), badArgument);
  assert.throws(() => e.configure("callStackFrames", 1), badArgument);
  assert.throws(() => e.configure("maxPagesPerInstance", 65537), badArgument);
  assert.throws(() => e.configure("maxModuleBytes", -1), badArgument);
  // the edge of the range is accepted (4 GiB of pages: 65536)
  e.configure("maxPagesPerInstance", 65536);
  stillWorks(e);
});

test("stack sizes: at most 1 GiB each; configured too large for the interpreter's memory, a call is refused cleanly", () => {
  const e = engineWith({});
  assert.throws(() => e.configure("valueStackBytes", 2 ** 30 + 8), badArgument);
  assert.throws(() => e.configure("callStackFrames", 2 ** 26 + 1), badArgument);
  // 2^28 frames of 16 bytes wrapped to a 0-byte allocation in 32 bits: refused before that
  assert.throws(() => e.configure("callStackFrames", 2 ** 28), badArgument);
  stillWorks(e);
  // 1 GiB is accepted, but one block of the interpreter's heap holds less:
  // the call is refused (out of memory), where the allocation ended the interpreter
  const big = engineWith({ valueStackBytes: 2 ** 30 });
  const i = inst(big, `(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`);
  assert.throws(() => i.invoke("add", [1, 2]), (err) => {
    assert.ok(err instanceof WrtApiError, `${err?.name}: ${err?.message}`);
    assert.equal(err.code, ErrCode.OutOfMemory, err.message);
    assert.match(err.message, /stacks .* do not fit in the interpreter's memory/);
    return true;
  });
  big.configure("valueStackBytes", 65536);
  assert.deepEqual(i.invoke("add", [1, 2]), [3]);
  // a restore into such an engine is refused the same way
  const snap = big.snapshot();
  assert.throws(() => Engine.restore(snap, { log: false, modules: big.setupLog.filter((c) => c.op === "wrt_module_load").map((c) => c.bytes), config: { valueStackBytes: 2 ** 30 } }),
    (err) => err instanceof WrtSnapshotError && err.code === ErrCode.SnapshotLimit && /do not fit/.test(err.message));
});

test("value stack bytes: deep recursion with big frames traps 'call stack exhausted', then runs again", () => {
  const engine = engineWith({ valueStackBytes: 8192, callStackFrames: 100000 });
  const i = inst(engine, RECURSE);
  assert.deepEqual(i.invoke("deep", [10]), [10]); // ~10 frames of > 128 bytes fit
  assert.throws(() => i.invoke("deep", [1000]), trapWith(TrapCode.CallStackExhausted, /call stack exhausted/));
  assert.deepEqual(i.invoke("deep", [10]), [10]);
  // One function whose locals alone exceed the stack.
  const locals = Array.from({ length: 1100 }, () => "i64").join(" ");
  const big = inst(engine, `(module (func (export "big") (result i32) (local ${locals}) (i32.const 1)))`);
  // The frame does not fit at entry: wrt_call itself refuses (code BadState,
  // text "... call stack exhausted"); inside a running call it is trap 10.
  assert.throws(() => big.invoke("big"), (e) => {
    assert.ok(e instanceof WrtTrap ? e.code === TrapCode.CallStackExhausted : e instanceof WrtApiError, `${e?.name}: ${e?.message}`);
    assert.match(e.message, /call stack exhausted/);
    return true;
  });
  stillWorks(engine, i);
});

test("call stack frames: recursion deeper than the frame limit traps, shallower runs", () => {
  const engine = engineWith({ callStackFrames: 64 });
  const i = inst(engine, `(module
    (func $r (export "r") (param $n i32) (result i32)
      (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 7)) (else (call $r (i32.sub (local.get $n) (i32.const 1))))))
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`);
  assert.deepEqual(i.invoke("r", [50]), [7]);
  assert.throws(() => i.invoke("r", [64]), trapWith(TrapCode.CallStackExhausted, /call stack exhausted/));
  assert.throws(() => i.invoke("r", [100000]), trapWith(TrapCode.CallStackExhausted, /call stack exhausted/));
  assert.deepEqual(i.invoke("r", [50]), [7]);
  stillWorks(engine, i);
});

const GROW = `(module (memory (export "mem") MIN)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`;
const grower = (engine, min) => inst(engine, GROW.replace("MIN", String(min)));

test("memory pages per instance: memory.grow returns -1 past the limit, a bigger minimum fails to instantiate", () => {
  const engine = engineWith({ maxPagesPerInstance: 4 });
  const i = grower(engine, 2);
  assert.deepEqual(i.invoke("grow", [2]), [2]);
  assert.deepEqual(i.invoke("grow", [1]), [-1]);
  assert.deepEqual(i.invoke("grow", [0x7fffffff]), [-1]);
  assert.deepEqual(i.invoke("size"), [4]);
  // The memory still works up to its last byte, and not beyond.
  i.invoke("poke", [4 * 65536 - 1, 9]);
  assert.deepEqual(i.invoke("peek", [4 * 65536 - 1]), [9]);
  assert.throws(() => i.invoke("peek", [4 * 65536]), trapWith(TrapCode.MemoryOutOfBounds, /out of bounds memory access/));
  assert.throws(() => grower(engine, 5), limitError(/per-memory page limit/));
  assert.throws(() => Memory.create(engine, { min: 5, max: null }), WrtApiError);
  assert.equal(i.memory("mem").grow(1), -1);
  stillWorks(engine, i);
  assert.deepEqual(grower(engine, 4).invoke("size"), [4]);
});

test("host memory ceiling (key 13): guest growth answers -1 before the interpreter's own memory would run out", () => {
  // On a board the interpreter's memory is a fixed arena (wrt_open sets this
  // key from it); past it the allocator would trap and end the interpreter.
  const engine = engineWith({});
  const i = grower(engine, 1);
  const ownPages = () => engine["memory"].buffer.byteLength / 65536;
  assert.deepEqual(i.invoke("size"), [1]); // the first call allocates the interpreter's stacks
  const ceiling = ownPages() + 6;
  engine.configure("hostMemoryPages", ceiling);
  let pages = 1;
  while (i.invoke("grow", [1])[0] !== -1) pages++;
  assert.ok(pages >= 3, `only ${pages} pages`);
  assert.ok(ownPages() <= ceiling, `interpreter memory ${ownPages()} pages > ceiling ${ceiling}`);
  assert.deepEqual(i.invoke("size"), [pages]);
  i.invoke("poke", [pages * 65536 - 1, 7]);
  assert.deepEqual(i.invoke("peek", [pages * 65536 - 1]), [7]);
  // a bigger request fails the same way, and everything else still runs
  assert.deepEqual(i.invoke("grow", [0x1000]), [-1]);
  stillWorks(engine, i);
  // a module whose memory or table cannot fit is refused at instantiation, saying why
  assert.throws(() => grower(engine, 64), limitError(/64 pages do not fit in the interpreter's memory/));
  assert.throws(() => inst(engine, `(module (table 2000000 funcref))`), limitError(/2000000 elements do not fit in the interpreter's memory/));
  stillWorks(engine, i);
  // docs/embedding-api.md: key 13 takes 1..65536
  assert.throws(() => engine.configure("hostMemoryPages", 0), badArgument);
  assert.throws(() => engine.configure("hostMemoryPages", 65537), badArgument);
});

test("memory pages in total: the budget over all instances, given back when an instance is dropped", () => {
  const engine = engineWith({ maxPagesTotal: 6 });
  const a = grower(engine, 4);
  const b = grower(engine, 2);
  assert.throws(() => grower(engine, 1), limitError(/total page budget/));
  assert.deepEqual(a.invoke("grow", [1]), [-1]);
  assert.deepEqual(b.invoke("grow", [1]), [-1]);
  assert.throws(() => Memory.create(engine, { min: 1, max: null }), WrtApiError);
  stillWorks(engine, a);
  // A memory without pages still instantiates.
  assert.deepEqual(grower(engine, 0).invoke("grow", [1]), [-1]);
});

test("memory pages in total: reclaimed after drop + collect", () => {
  const engine = engineWith({ maxPagesTotal: 6 });
  const a = grower(engine, 4);
  const b = grower(engine, 2);
  assert.throws(() => grower(engine, 2), limitError(/total page budget/));
  b.drop();
  engine.collect();
  const c = grower(engine, 2);
  assert.deepEqual(c.invoke("size"), [2]);
  assert.deepEqual(a.invoke("add", [1, 1]), [2]);
});

test("table elements: table.grow returns -1 past the limit, a bigger table fails to instantiate", () => {
  const engine = engineWith({ maxTableElements: 100 });
  const TABLE = `(module (table (export "t") MIN funcref)
    (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0)))
    (func (export "size") (result i32) (table.size))
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`;
  const i = inst(engine, TABLE.replace("MIN", "50"));
  assert.deepEqual(i.invoke("grow", [50]), [50]);
  assert.deepEqual(i.invoke("grow", [1]), [-1]);
  assert.deepEqual(i.invoke("grow", [-1]), [-1]);
  assert.deepEqual(i.invoke("size"), [100]);
  assert.throws(() => inst(engine, TABLE.replace("MIN", "101")), limitError(/table size limit/));
  assert.throws(() => Table.create(engine, { element: "funcref", min: 101, max: null }));
  assert.equal(i.table("t").size, 100);
  stillWorks(engine, i);
});

test("number of instances: the next one fails with 'too many instances', dropping one makes room", () => {
  const engine = engineWith({ maxInstances: 5 });
  const m = Module.load(engine, wat(RECURSE));
  const list = [];
  for (let k = 0; k < 5; k++) list.push(Instance.instantiate(m));
  assert.throws(() => Instance.instantiate(m), limitError(/too many instances/));
  assert.throws(() => Instance.instantiate(m), limitError(/too many instances/));
  for (const i of list) assert.deepEqual(i.invoke("add", [40, 2]), [42]);
  list.pop().drop();
  engine.collect();
  const again = Instance.instantiate(m);
  assert.deepEqual(again.invoke("deep", [3]), [3]);
});

test("module bytes: a larger module is refused before decoding, smaller ones still load", () => {
  const small = wat(`(module (func (export "one") (result i32) (i32.const 1)))`);
  const big = wat(RECURSE);
  assert.ok(big.length > small.length);
  const engine = engineWith({ maxModuleBytes: small.length });
  assert.throws(() => Module.load(engine, big), limitError(/module larger than the configured limit/));
  assert.throws(() => Module.load(engine, new Uint8Array(10 << 20)), limitError(/module larger/));
  const i = Instance.instantiate(Module.load(engine, small));
  assert.deepEqual(i.invoke("one"), [1]);
});

test("fuel: an endless loop stops at its budget (out of fuel), can be resumed or abandoned, engine stays usable", () => {
  const engine = engineWith({});
  const i = inst(engine, `(module (global $n (export "n") (mut i32) (i32.const 0))
    (func (export "spin") (loop $l (global.set $n (i32.add (global.get $n) (i32.const 1))) (br $l)))
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`);
  assert.throws(() => i.invoke("spin", [], { fuel: 10_000 }), (e) => e instanceof WrtOutOfFuel && /out of fuel/.test(e.message));
  const spun = i.global("n").value;
  assert.ok(spun > 100 && spun < 10_000, `loop ran ${spun} times on 10,000 fuel`);
  let r = i.call("spin", [], 5_000);
  assert.ok(r instanceof Suspended);
  const before = i.global("n").value;
  r = r.resume(5_000);
  assert.ok(r instanceof Suspended);
  assert.ok(i.global("n").value > before, "resumed where it stopped");
  // While suspended, another top-level call is refused (clear error), not mixed in.
  assert.throws(() => i.invoke("add", [1, 2]), (e) => e instanceof WrtApiError && /suspended/.test(e.message));
  r.abandon();
  assert.deepEqual(i.invoke("add", [1, 2]), [3]);
  const done = i.call("add", [2, 2], 1_000);
  assert.equal(done.done, true);
  assert.deepEqual(done.results, [4]);
  assert.ok(done.fuelLeft < 1_000n && done.fuelLeft > 0n, `fuel left ${done.fuelLeft}`);
  stillWorks(engine, i);
});
