// Isolation: a guest cannot read or write outside its own memories and
// tables, whatever path it takes (loads, stores, bulk memory, table ops,
// wasi:logging pointers), nor through the host API's pointers and handles.
// Every out-of-bounds access traps (or is refused) and leaves its own memory
// and every other instance's memory byte-for-byte unchanged; a trap in one
// instance leaves every other instance running and correct.
import { test } from "node:test";
import assert from "node:assert/strict";
import { wat } from "./support.mjs";
import {
  Engine, Module, Instance, Func, WrtTrap, WrtApiError, WrtOutOfFuel, WrtInternalError, TrapCode, ErrCode,
} from "../../host-shims/node/dist/index.js";


const PAGE = 65536;
const records = [];
const engine = new Engine({ log: (level, text, context) => records.push({ level, text, context }) });
const instantiate = (src, imports = {}) => Instance.instantiate(Module.load(engine, wat(src)), imports);
/** The interpreter's own wasi:logging function (raw export; bound like any extern). */
const wasiLog = Func.fromHandle(engine, engine.instance.exports.wrt_wasi_logging());

// The guest that tries every edge. Memory: exactly one page (max 1); table: 4 funcref (max 4).
const ATTACKER = `(module
  (import "wasi:logging/logging" "log" (func $log (param i32 i32 i32 i32 i32)))
  (memory (export "mem") 1 1)
  (table $t (export "tab") 4 4 funcref)
  (type $v (func (result i32)))
  (func $a (type $v) (i32.const 11))
  (func $b (type $v) (i32.const 22))
  (elem $e func $a $b)
  (elem (i32.const 0) $a $b $a $b)
  (data $d "0123456789abcdef")
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load16") (param i32) (result i32) (i32.load16_u (local.get 0)))
  (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "loadf64") (param i32) (result f64) (f64.load (local.get 0)))
  (func (export "load8_off") (param i32) (result i32) (i32.load8_u offset=65535 (local.get 0)))
  (func (export "load32_offmax") (param i32) (result i32) (i32.load offset=0xffffffff (local.get 0)))
  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "store16") (param i32 i32) (i32.store16 (local.get 0) (local.get 1)))
  (func (export "store32") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "store64") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "store32_off") (param i32 i32) (i32.store offset=65532 (local.get 0) (local.get 1)))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32) (memory.init $d (local.get 0) (local.get 1) (local.get 2)))
  (func (export "ddrop") (data.drop $d))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "tget") (param i32) (result funcref) (table.get $t (local.get 0)))
  (func (export "tset") (param i32) (table.set $t (local.get 0) (ref.func $b)))
  (func (export "tfill") (param i32 i32) (table.fill $t (local.get 0) (ref.null func) (local.get 1)))
  (func (export "tcopy") (param i32 i32 i32) (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
  (func (export "tinit") (param i32 i32 i32) (table.init $t $e (local.get 0) (local.get 1) (local.get 2)))
  (func (export "edrop") (elem.drop $e))
  (func (export "tgrow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
  (func (export "icall") (param i32) (result i32) (call_indirect $t (type $v) (local.get 0)))
  (func (export "log") (param i32 i32 i32 i32 i32)
    (call $log (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4))))`;

// The bystander: its own memory (2 pages), table and globals, filled with a pattern.
const VICTIM = `(module
  (memory (export "mem") 2)
  (table (export "tab") 4 funcref)
  (global (export "g") (mut i64) (i64.const 0x0123456789abcdef))
  (func $f (result i32) (i32.const 99))
  (elem (i32.const 0) $f $f $f $f)
  (func (export "sum") (result i32) (local $i i32) (local $s i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (i32.const 131072)))
      (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 31)) (i32.load8_u (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $s)))`;

const attacker = instantiate(ATTACKER, { "wasi:logging/logging": { log: wasiLog } });
const victim = instantiate(VICTIM);
const victimMem = victim.memory("mem");
for (let i = 0; i < victimMem.byteLength; i++) victimMem.bytes()[i] = (i * 7 + 3) & 0xff;
const victimBytes = victimMem.bytes().slice();
const victimSum = victim.invoke("sum")[0];
const attackerMem = attacker.memory("mem");
for (let i = 0; i < PAGE; i++) attackerMem.bytes()[i] = (i * 13 + 5) & 0xff;

/** The victim is untouched: bytes, size, table, global, and it still computes the same. */
function victimIntact() {
  assert.equal(victimMem.byteLength, victimBytes.length);
  assert.ok(Buffer.from(victimMem.bytes()).equals(Buffer.from(victimBytes)), "victim memory changed");
  const tab = victim.table("tab");
  assert.equal(tab.size, 4);
  for (let i = 0; i < 4; i++) assert.notEqual(tab.getRaw(i), 0n);
  assert.equal(victim.global("g").value, 0x0123456789abcdefn);
  assert.deepEqual(victim.invoke("sum"), [victimSum]);
}

/** `fn` traps with `code` and changes no byte of the attacker's memory (nor the victim's). */
function trapsCleanly(code, fn, what) {
  const before = attackerMem.bytes().slice();
  assert.throws(fn, (e) => {
    assert.ok(e instanceof WrtTrap, `${what}: expected a trap, got ${e?.name}: ${e?.message}`);
    if (Array.isArray(code)) assert.ok(code.includes(e.code), `${what}: trap ${e.code} ${e.message}`);
    else assert.equal(e.code, code, `${what}: ${e.message}`);
    return true;
  }, what);
  assert.ok(Buffer.from(attackerMem.bytes()).equals(Buffer.from(before)), `${what}: the trapping access wrote bytes`);
}
const call = (name, ...args) => attacker.invoke(name, args);
const MEM = TrapCode.MemoryOutOfBounds;
const TAB = TrapCode.TableOutOfBounds;

test("loads at the edges of memory: last bytes readable, one byte beyond traps", () => {
  // expected values by hand: byte i of the memory is (i * 13 + 5) & 0xff, loads are little-endian
  const byte = (i) => BigInt(((i * 13) + 5) & 0xff);
  const le = (at, n) => { let v = 0n; for (let k = n - 1; k >= 0; k--) v = (v << 8n) | byte(at + k); return v; };
  assert.deepEqual(call("load8", PAGE - 1), [Number(byte(PAGE - 1))]);
  assert.deepEqual(call("load16", PAGE - 2), [Number(le(PAGE - 2, 2))]);
  assert.deepEqual(call("load32", PAGE - 4), [Number(BigInt.asIntN(32, le(PAGE - 4, 4)))]);
  assert.deepEqual(call("load64", PAGE - 8), [BigInt.asIntN(64, le(PAGE - 8, 8))]);
  assert.deepEqual(call("load8_off", 0), [Number(byte(65535))]);
  for (const a of [PAGE, PAGE + 1, -1, 0x7fffffff, 0x80000000 | 0]) trapsCleanly(MEM, () => call("load8", a), `load8 ${a}`);
  for (const a of [PAGE - 1, PAGE]) trapsCleanly(MEM, () => call("load16", a), `load16 ${a}`);
  for (const a of [PAGE - 3, PAGE - 2, PAGE - 1, -4, -1]) trapsCleanly(MEM, () => call("load32", a), `load32 ${a}`);
  for (const a of [PAGE - 7, PAGE - 1, -8]) trapsCleanly(MEM, () => call("load64", a), `load64 ${a}`);
  trapsCleanly(MEM, () => call("loadf64", PAGE - 4), "f64.load straddling the end");
  trapsCleanly(MEM, () => call("load8_off", 1), "offset 65535 + 1");
  for (const a of [0, 1, -1]) trapsCleanly(MEM, () => call("load32_offmax", a), `offset 0xffffffff + ${a} (no wrap-around)`);
  victimIntact();
});

test("stores at the edges: a store that does not fit writes nothing", () => {
  call("store8", PAGE - 1, 0x5a);
  assert.deepEqual(call("load8", PAGE - 1), [0x5a]);
  call("store64", PAGE - 8, 0x1122334455667788n);
  assert.deepEqual(call("load64", PAGE - 8), [0x1122334455667788n]);
  for (const a of [PAGE, -1]) trapsCleanly(MEM, () => call("store8", a, 1), `store8 ${a}`);
  trapsCleanly(MEM, () => call("store16", PAGE - 1, 0xffff), "store16 straddling");
  for (const a of [PAGE - 3, PAGE - 1, -2]) trapsCleanly(MEM, () => call("store32", a, -1), `store32 ${a}`);
  for (const a of [PAGE - 7, PAGE - 4, PAGE - 1]) trapsCleanly(MEM, () => call("store64", a, -1n), `store64 ${a}`);
  call("store32_off", 0, 0);
  assert.deepEqual(call("load32", PAGE - 4), [0]);
  trapsCleanly(MEM, () => call("store32_off", 1, -1), "store offset straddling");
  trapsCleanly(MEM, () => call("store32_off", -65532, -1), "store offset wrapping to 0");
  victimIntact();
});

test("bulk memory at the edges: fill, copy, init trap before writing anything", () => {
  call("fill", PAGE, 1, 0);
  call("fill", PAGE - 4, 0x77, 4);
  assert.deepEqual(call("load32", PAGE - 4), [0x77777777]);
  trapsCleanly(MEM, () => call("fill", PAGE + 1, 1, 0), "fill beyond, length 0");
  trapsCleanly(MEM, () => call("fill", PAGE - 1, 1, 2), "fill straddling the end");
  trapsCleanly(MEM, () => call("fill", 0, 1, PAGE + 1), "fill longer than memory");
  trapsCleanly(MEM, () => call("fill", -1, 1, 2), "fill with wrap-around");
  call("copy", 0, PAGE - 16, 16);
  call("copy", PAGE, PAGE, 0);
  call("copy", 0, 1, PAGE - 1);
  trapsCleanly(MEM, () => call("copy", PAGE - 1, 0, 2), "copy destination straddling");
  trapsCleanly(MEM, () => call("copy", 0, PAGE - 1, 2), "copy source straddling");
  trapsCleanly(MEM, () => call("copy", PAGE + 1, 0, 0), "copy destination beyond, length 0");
  trapsCleanly(MEM, () => call("copy", 0, PAGE + 1, 0), "copy source beyond, length 0");
  trapsCleanly(MEM, () => call("copy", 0, -1, 2), "copy source wrapping");
  trapsCleanly(MEM, () => call("copy", 16, 0, -1), "copy huge length");
  call("init", PAGE - 16, 0, 16);
  assert.deepEqual(call("load8", PAGE - 1), ["f".charCodeAt(0)]);
  call("init", PAGE, 16, 0);
  trapsCleanly(MEM, () => call("init", PAGE - 15, 0, 16), "init destination straddling");
  trapsCleanly(MEM, () => call("init", 0, 1, 16), "init beyond the segment");
  trapsCleanly(MEM, () => call("init", 0, 17, 0), "init segment offset beyond, length 0");
  trapsCleanly(MEM, () => call("init", PAGE + 1, 0, 0), "init destination beyond, length 0");
  trapsCleanly(MEM, () => call("init", 0, -1, 2), "init segment offset wrapping");
  call("ddrop");
  call("init", 0, 0, 0);
  trapsCleanly(MEM, () => call("init", 0, 0, 1), "init from a dropped segment");
  assert.deepEqual(call("grow", 1), [-1]); // max 1: no way to grow into someone else's bytes
  victimIntact();
});

test("table ops at the edges: get, set, fill, copy, init, grow, call_indirect", () => {
  assert.notEqual(call("tget", 3)[0], null);
  for (const i of [4, 5, -1]) trapsCleanly(TAB, () => call("tget", i), `table.get ${i}`);
  for (const i of [4, -1]) trapsCleanly(TAB, () => call("tset", i), `table.set ${i}`);
  const tab = attacker.table("tab");
  const entries = () => [0, 1, 2, 3].map((i) => tab.getRaw(i));
  const before = entries();
  call("tfill", 4, 0);
  trapsCleanly(TAB, () => call("tfill", 5, 0), "table.fill beyond, length 0");
  trapsCleanly(TAB, () => call("tfill", 3, 2), "table.fill straddling");
  trapsCleanly(TAB, () => call("tfill", -1, 2), "table.fill wrapping");
  trapsCleanly(TAB, () => call("tcopy", 3, 0, 2), "table.copy destination straddling");
  trapsCleanly(TAB, () => call("tcopy", 0, 3, 2), "table.copy source straddling");
  trapsCleanly(TAB, () => call("tcopy", 0, 0, -1), "table.copy huge length");
  trapsCleanly(TAB, () => call("tinit", 3, 0, 2), "table.init destination straddling");
  trapsCleanly(TAB, () => call("tinit", 0, 1, 2), "table.init beyond the segment");
  trapsCleanly(TAB, () => call("tinit", 0, 3, 0), "table.init segment offset beyond, length 0");
  assert.deepEqual(entries(), before, "a trapping table op changed entries");
  assert.deepEqual(call("tgrow", 1), [-1]);
  assert.deepEqual(call("tgrow", -1), [-1]);
  assert.deepEqual(call("icall", 1), [22]);
  for (const i of [4, -1, 0x7fffffff]) {
    trapsCleanly([TrapCode.UndefinedElement, TAB], () => call("icall", i), `call_indirect ${i}`);
  }
  call("tfill", 0, 1);
  trapsCleanly([TrapCode.UninitializedElement, TrapCode.NullReference], () => call("icall", 0), "call_indirect null");
  call("edrop");
  trapsCleanly(TAB, () => call("tinit", 0, 0, 1), "table.init from a dropped segment");
  assert.equal(tab.size, 4);
  victimIntact();
});

test("wasi:logging pointers at the edges: in-bounds strings log, anything beyond traps and logs nothing", () => {
  const text = new TextEncoder().encode("hi");
  attackerMem.write(PAGE - 2, text);
  attackerMem.write(0, new TextEncoder().encode("ctx"));
  records.length = 0;
  call("log", 2, 0, 3, PAGE - 2, 2);
  call("log", 2, PAGE, 0, PAGE, 0);
  const logged = records.filter((r) => r.context === "ctx" || r.text === "hi" || r.text === "");
  assert.equal(logged.length, 2, JSON.stringify(records));
  assert.equal(logged[0].text, "hi");
  assert.equal(logged[0].context, "ctx");
  records.length = 0;
  const bad = [
    [PAGE - 1, 2, /message .*outside guest memory/], [PAGE + 1, 0, /message .*outside guest memory/],
    [-1, 1, /message .*outside guest memory/], [1, -1, /message .*outside guest memory/], [-1, -1, /outside guest memory/],
  ];
  for (const [ptr, len, re] of bad) {
    assert.throws(() => call("log", 2, 0, 3, ptr, len), (e) => e instanceof WrtTrap && e.code === TrapCode.HostError && re.test(e.message), `message ${ptr},${len}`);
    assert.throws(() => call("log", 2, ptr, len, 0, 3), (e) => e instanceof WrtTrap && e.code === TrapCode.HostError && /context .*outside guest memory/.test(e.message), `context ${ptr},${len}`);
  }
  assert.throws(() => call("log", 6, 0, 3, 0, 3), (e) => e instanceof WrtTrap && /unknown level/.test(e.message));
  assert.throws(() => call("log", -1, 0, 3, 0, 3), (e) => e instanceof WrtTrap && /unknown level/.test(e.message));
  assert.equal(records.length, 0, `a trapping log call logged: ${JSON.stringify(records)}`);
  // The host cannot call it with its own pointers.
  assert.throws(() => wasiLog.invoke([2, 0, 0, 0, 0]), (e) => e instanceof WrtApiError && e.code === ErrCode.BadState && /called by guests only/.test(e.message));
  victimIntact();
});

test("host API pointers and handles: out-of-range requests are refused, nothing is corrupted", () => {
  const raw = engine.raw;
  const attackerBefore = attackerMem.bytes().slice();
  const memH = attackerMem.handle;
  const tab = attacker.table("tab");
  const tabH = tab.handle;
  assert.throws(() => attackerMem.read(PAGE - 1, 2), RangeError);
  assert.throws(() => attackerMem.write(PAGE, new Uint8Array(1)), RangeError);
  assert.throws(() => attackerMem.read(-1, 1), RangeError);
  assert.equal(raw.wrt_memory_grow(memH, 1), -1);
  assert.equal(raw.wrt_memory_grow(memH, -1), -1);
  assert.equal(raw.wrt_table_get(tabH, 4), -1n);
  assert.equal(raw.wrt_table_get(tabH, -1), -1n);
  assert.ok(raw.wrt_table_set(tabH, 4, 0n) < 0);
  assert.ok(raw.wrt_table_set(tabH, -1, 0n) < 0);
  // A funcref that names no function is refused, and the slot keeps its value.
  for (const bits of [0x7fffffffn, 0xffffffffn, -1n, 1n << 40n]) {
    const before = tab.getRaw(0);
    assert.ok(raw.wrt_table_set(tabH, 0, bits) < 0, `funcref bits ${bits} accepted`);
    assert.match(engine.lastError().message, /funcref names no function/);
    assert.equal(tab.getRaw(0), before);
    assert.ok(!engine.dead, `funcref bits ${bits} killed the interpreter`);
  }
  // Handles that name nothing, or the wrong kind of thing.
  const bogus = [0x0fffffff, 0x1fffffff, 0x2fffffff, 0x3fffffff, 0x7fffffff, -1, memH + 1000];
  for (const h of bogus) {
    assert.ok(raw.wrt_memory_base(h) <= 0 || raw.wrt_memory_bytes(h) <= 0, `memory handle ${h}`);
    assert.ok(raw.wrt_memory_grow(h, 1) < 0, `grow handle ${h}`);
    assert.ok(raw.wrt_table_size(h) < 0, `table size handle ${h}`);
    assert.ok(raw.wrt_table_set(h, 0, 0n) < 0, `table set handle ${h}`);
    assert.ok(raw.wrt_global_set(h, 1n) < 0, `global set handle ${h}`);
    engine.writeSlots([]);
    assert.ok(raw.wrt_call(h, 0) < 0, `call handle ${h}`);
    assert.ok(raw.wrt_func_type(h) < 0, `func type handle ${h}`);
  }
  assert.ok(raw.wrt_table_size(memH) < 0, "a memory handle used as a table");
  assert.ok(raw.wrt_memory_grow(tabH, 1) < 0, "a table handle used as a memory");
  assert.ok(raw.wrt_global_set(victim.global("g").handle + 1000, 5n) < 0);
  for (const inst of [-1, 999999]) {
    const len = engine.writeText("mem");
    assert.ok(raw.wrt_instance_export(inst, len) < 0, `instance ${inst}`);
  }
  assert.ok(raw.wrt_module_load(1 << 30) < 0, "module length beyond the I/O buffer");
  assert.ok(raw.wrt_module_load(-1) < 0, "negative module length");
  assert.ok(raw.wrt_host_return(0) < 0, "host return without a host call");
  assert.ok(raw.wrt_host_trap(0) < 0, "host trap without a host call");
  assert.ok(raw.wrt_run(1000n) < 0, "run with nothing to run");
  assert.ok(raw.wrt_call(attacker.func("load8").handle, 1 << 28) < 0, "argument count beyond the I/O buffer");
  assert.ok(raw.wrt_fuel_costs(1 << 30) < 0, "cost table beyond the I/O buffer");
  assert.ok(!engine.dead, "the interpreter faulted");
  assert.ok(Buffer.from(attackerMem.bytes()).equals(Buffer.from(attackerBefore)), "refused host calls changed guest memory");
  assert.deepEqual(call("load8", 3), [attackerBefore[3]]);
  victimIntact();
});

// Lengths and counts the host passes for data in the I/O buffer must be
// checked against the buffer: each case in a fresh engine, so that one
// failure cannot hide another.
const IO_CASES = {
  "wrt_io(1 GiB)": (e) => (e.raw.wrt_io(1 << 30), -1), // refusing (0/-1) or allocating are both fine; aborting is not
  "wrt_instance_export with a negative name length": (e, i) => e.raw.wrt_instance_export(i.handle, -1),
  "wrt_instance_export with a name longer than the I/O buffer": (e, i) => e.raw.wrt_instance_export(i.handle, 1 << 30),
  "wrt_func_new_host with 0x7fffffff params in the type descriptor": (e) => {
    const v = e.io(8);
    v.setUint32(0, 0x7fffffff, true);
    v.setUint32(4, 0, true);
    return e.raw.wrt_func_new_host(1);
  },
  "wrt_host_trap with a negative message length": (e, i) => {
    let r = 0;
    const g = Instance.instantiate(Module.load(e, wat(`(module (import "h" "f" (func $f)) (func (export "g") call $f))`)), {
      h: { f: () => { r = e.raw.wrt_host_trap(-1); throw new Error("refused"); } },
    });
    try { g.invoke("g"); } catch (err) { if (err instanceof WrtInternalError) throw err; }
    return r;
  },
};
for (const [what, fn] of Object.entries(IO_CASES)) {
  test(`host ABI: ${what} is refused (-1), the interpreter lives on`, () => {
    const e = new Engine({ log: false });
    const i = Instance.instantiate(Module.load(e, wat(`(module (memory (export "mem") 1) (func (export "one") (result i32) (i32.const 1)))`)));
    let r;
    try {
      r = fn(e, i);
    } catch (err) {
      assert.fail(`${what}: ${err.message}`);
    }
    assert.ok(r === false || r < 0, `${what} returned ${r}`);
    assert.ok(!e.dead);
    assert.deepEqual(i.invoke("one"), [1]);
  });
}

// A module whose state is a running hash in a global and in memory: any
// corruption by another instance shows in its results.
const WORKER = (seed) => `(module
  (import "host" "poke" (func $poke (param i32) (result i32)))
  (memory (export "mem") 1)
  (global $acc (export "acc") (mut i32) (i32.const ${seed}))
  (func (export "step") (param $x i32) (result i32)
    (global.set $acc (i32.add (i32.mul (global.get $acc) (i32.const 31)) (local.get $x)))
    (i32.store (i32.and (global.get $acc) (i32.const 0xfffc)) (global.get $acc))
    (global.get $acc))
  (func (export "via_host") (param $x i32) (result i32)
    (i32.add (call $poke (local.get $x)) (global.get $acc))))`;

const TRAPPER = `(module
  (import "host" "fail" (func $fail))
  (memory 1 1)
  (table 2 funcref)
  (type $v (func))
  (func $rec (export "rec") (call $rec))
  (func (export "unreachable") unreachable)
  (func (export "oob") (drop (i32.load (i32.const 65536))))
  (func (export "div0") (drop (i32.div_s (i32.const 1) (i32.const 0))))
  (func (export "overflow") (drop (i32.div_s (i32.const 0x80000000) (i32.const -1))))
  (func (export "conv") (drop (i32.trunc_f32_s (f32.const nan))))
  (func (export "null") (call_indirect (type $v) (i32.const 0)))
  (func (export "undef") (call_indirect (type $v) (i32.const 7)))
  (func (export "host") (call $fail))
  (func (export "spin") (loop $l (br $l))))`;

test("a trap in one instance leaves every other instance running and correct (interleaved, repeated)", () => {
  const model = (acc, x) => (Math.imul(acc, 31) + x) | 0;
  const trapper = instantiate(TRAPPER, { host: { fail: () => { throw new Error("host says no"); } } });
  const kinds = ["rec", "unreachable", "oob", "div0", "overflow", "conv", "null", "undef", "host", "spin"];
  const nested = { trapsSeen: 0 };
  // Each worker's host import calls into the trapper (a nested call that traps) and carries on.
  const workers = [];
  const accs = [];
  for (let w = 0; w < 5; w++) {
    const poke = (x) => {
      try {
        trapper.invoke(kinds[(x >>> 0) % (kinds.length - 1)]);
      } catch (e) {
        if (!(e instanceof WrtTrap)) throw e;
        nested.trapsSeen++;
      }
      return x;
    };
    workers.push(instantiate(WORKER(1000 + w), { host: { poke } }));
    accs.push(1000 + w);
  }
  const shadow = workers.map(() => new Map());
  let traps = 0;
  for (let round = 0; round < 300; round++) {
    for (let w = 0; w < workers.length; w++) {
      const x = (round * 7919 + w * 104729) | 0;
      accs[w] = model(accs[w], x);
      shadow[w].set(accs[w] & 0xfffc, accs[w]);
      assert.deepEqual(workers[w].invoke("step", [x]), [accs[w]], `worker ${w} round ${round}`);
      const kind = kinds[(round + w) % kinds.length];
      assert.throws(() => trapper.invoke(kind, [], { fuel: 100_000 }), (e) => {
        assert.ok(e instanceof WrtTrap || e instanceof WrtOutOfFuel, `${kind}: ${e?.name} ${e?.message}`);
        return true;
      });
      traps++;
      if (round % 10 === 0) {
        assert.deepEqual(workers[w].invoke("via_host", [round]), [(round + accs[w]) | 0], `nested trap, worker ${w}`);
      }
    }
  }
  assert.equal(traps, 1500);
  assert.ok(nested.trapsSeen >= 150, `nested traps ${nested.trapsSeen}`);
  for (let w = 0; w < workers.length; w++) {
    assert.equal(workers[w].global("acc").value, accs[w]);
    const bytes = workers[w].memory("mem").bytes();
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let a = 0; a < PAGE; a += 4) assert.equal(dv.getInt32(a, true), shadow[w].get(a) ?? 0, `worker ${w} memory at ${a}`);
  }
  assert.ok(!engine.dead);
  victimIntact();
});

test("a mutable funcref global refuses bits that name no function; null and real functions are accepted", () => {
  const inst = instantiate(`(module
    (func $f (result i32) (i32.const 7))
    (global $g (export "g") (mut funcref) (ref.func $f))
    (table $t 1 funcref)
    (type $r (func (result i32)))
    (func (export "callg") (result i32)
      (table.set $t (i32.const 0) (global.get $g))
      (call_indirect $t (type $r) (i32.const 0))))`);
  const g = inst.global("g");
  const good = g.getRaw();
  assert.deepEqual(inst.invoke("callg"), [7]);
  for (const bits of [0xffffffn, -1n, 1n << 40n]) {
    assert.ok(engine.raw.wrt_global_set(g.handle, bits) < 0, `bits ${bits} accepted`);
    assert.match(engine.lastError().message, /funcref names no function/);
    assert.equal(g.getRaw(), good);
  }
  assert.equal(engine.raw.wrt_global_set(g.handle, 0n), 0, "null is a funcref");
  assert.equal(engine.raw.wrt_global_set(g.handle, good), 0);
  assert.deepEqual(inst.invoke("callg"), [7]);
});
