// Restore as a verifier (issue 18 part 3): one test per finding, each a
// well-formed snapshot with its checksum recomputed that the interpreter
// must refuse (it accepted each before): frame words, the instance's
// objects against its module, unknown global types, funcrefs handed to the
// host, a pc in another function, and a memory too large to allocate.
// Every refusal is a WrtSnapshotError (never an interpreter fault), leaves
// the engine usable, and the unmodified snapshot still restores and runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Engine, Module, Instance, Func, Global, Memory, WrtSnapshotError } from "../../host-shims/node/dist/index.js";
import { GUEST, checkpoint, wat } from "./snapshot-guest.mjs";
import { rawRestore, rawFinish } from "./snapshot-raw.mjs";
import { decode, encode, clone, slot, setSlot, HOST_FRAME } from "../../fuzz/snapshots-codec.mjs";

const hostCp = (id, args) => [BigInt(checkpoint(Number(BigInt.asIntN(32, args[0]))) >>> 0)];

/** Writes i64 args into the I/O buffer and calls `handle` through the raw ABI. */
function rawCall(engine, handle, args) {
  const dv = engine.io(Math.max(8, args.length * 8));
  args.forEach((a, i) => dv.setBigUint64(i * 8, BigInt(a), true));
  assert.equal(engine.raw.wrt_call(handle, args.length), 0);
  return engine.raw.wrt_run(1_000_000_000n);
}

/** Raw restore must refuse `s` (decoded) with a snapshot error; the engine then still restores `good`. */
function refused(s, modules, good, pattern) {
  const bytes = s instanceof Uint8Array ? s : encode(s);
  const { engine, rc, error } = rawRestore(bytes, modules);
  assert.notEqual(rc, "fault", `interpreter fault: ${error?.message}`);
  assert.equal(rc, -1, "the snapshot was accepted");
  assert.ok(error.code >= 120 && error.code <= 127, `snapshot error code, got ${error.code} ${error.message}`);
  if (pattern) assert.match(error.message, pattern);
  // nothing changed: the good snapshot restores into the same engine
  engine.writeBytes(good);
  assert.equal(engine.raw.wrt_restore(good.length), 0, engine.lastError?.()?.message);
  return error;
}

function accepted(bytes, modules) {
  const r = rawRestore(bytes, modules);
  assert.equal(r.rc, 0, r.error?.message);
  return r.engine;
}

// ---- snapshots to start from ----

/** Inside a nested call: hosted -> checkpoint (pending) -> host calls hosted again -> checkpoint (pending). */
function nestedSnapshot() {
  const engine = new Engine({ log: false });
  const inst = Instance.instantiate(Module.load(engine, GUEST), { env: { checkpoint } });
  const hosted = inst.func("hosted").handle;
  assert.equal(rawCall(engine, hosted, [3]), 2);
  assert.equal(rawCall(engine, hosted, [2]), 2);
  const n = engine.raw.wrt_snapshot();
  return engine.io(n) && new Uint8Array(engine.memory.buffer, engine.ioAddress(n), n).slice();
}

/** Suspended by fuel inside `work` (called from the host). */
function suspendedSnapshot(fuel = 2000) {
  const engine = new Engine({ log: false });
  const inst = Instance.instantiate(Module.load(engine, GUEST), { env: { checkpoint } });
  assert.equal(inst.call("work", [50], fuel).done, false);
  return { bytes: engine.snapshot(), engine, inst };
}

test("the nested-call snapshot restores and finishes as the uninterrupted run (raw ABI)", () => {
  const snap = nestedSnapshot();
  const s = decode(snap);
  assert.deepEqual(s.mach.frames.map((f) => (f[0] === HOST_FRAME ? `H${f[3]}` : "W")), ["H0", "W", "H1"]);
  const engine = accepted(snap, [GUEST]);
  // finish the inner call, then the outer
  const inner = rawFinish(engine, hostCp);
  assert.equal(inner.status, "done");
  assert.equal(engine.raw.wrt_host_id(), 1);
});

test("finding: the host-args word of a nested host frame is checked (was: the host-call window reads and writes interpreter memory)", () => {
  const snap = nestedSnapshot();
  const s = decode(snap);
  for (const v of [0x7ffffff8, s.stack.length, s.stack.length - 8, 4, 0xfffffff8]) {
    const bad = clone(s);
    bad.mach.frames[2][2] = v;
    refused(bad, [GUEST], snap, /frame 2/);
  }
});

test("finding: a Wasm frame's fourth word is checked (was: a Wasm frame read as host flags ran instance 0xFFFFFFFF)", () => {
  const snap = nestedSnapshot();
  const s = decode(snap);
  const bad = clone(s);
  bad.mach.frames[1][3] = 1;
  refused(bad, [GUEST], snap, /frame 1: word 12/);
  // the attack itself: a direct host call on top of a Wasm frame whose fourth word says "nested"
  const { bytes } = suspendedSnapshot();
  const t = decode(bytes);
  const cp = t.funcs.findIndex((f) => f.kind === 1);
  const attack = clone(s);
  attack.mach.status = 2; attack.mach.hostDirect = 1; attack.mach.hostFunc = cp; attack.mach.hostArgsOff = 0;
  attack.mach.frames = [s.mach.frames[0], [...s.mach.frames[1].slice(0, 3), 1]];
  refused(attack, [GUEST], snap);
});

test("finding: frame 0's calledFunc is checked (was: any word, read back as the outermost call's function)", () => {
  const snap = nestedSnapshot();
  const s = decode(snap);
  for (const v of [s.funcs.length, s.funcs.length + 100, 0xfffffff0]) {
    const bad = clone(s);
    bad.mach.frames[0][1] = v;
    refused(bad, [GUEST], snap, /frame 0/);
  }
  // another real function than the one the frames show running is refused too
  const other = clone(s);
  other.mach.frames[0][1] = s.funcs.findIndex((f) => f.kind === 0);
  refused(other, [GUEST], snap);
  const bad = clone(s);
  bad.mach.calledFunc = s.funcs.length + 3;
  refused(bad, [GUEST], snap, /calledFunc/);
});

test("finding: an instance's tables and memories must have the type and size its module declares", () => {
  const { bytes } = suspendedSnapshot();
  const s = decode(bytes);
  // GUEST: (memory 1 10), (table 4 16 funcref)
  const cases = [
    (b) => { b.mems[0].max = 20; },
    (b) => { b.mems[0].max = 0xffffffff; },
    (b) => { b.mems[0].max = b.mems[0].pages; },
    (b) => { b.tables[0].max = 100; },
    (b) => { b.tables[0].max = 0xffffffff; },
    (b) => { b.tables[0].elems = b.tables[0].elems.slice(0, 2); },
    (b) => { b.tables[0].elemType = 0x6f; b.tables[0].elems = b.tables[0].elems.map(() => 0n); },
  ];
  for (const edit of cases) {
    const bad = clone(s);
    edit(bad);
    refused(bad, [GUEST], bytes, /differs from its type in the module/);
  }
});

test("finding: a global of an unknown type is refused (was: accepted when no instance used it)", () => {
  const engine = new Engine({ log: false });
  Instance.instantiate(Module.load(engine, GUEST), { env: { checkpoint } });
  Global.create(engine, { type: "i64", mutable: true }, 5n);
  const snap = engine.snapshot();
  const s = decode(snap);
  for (const t of [0x00, 0x42, 0x69, 0xff]) {
    const bad = clone(s);
    bad.globals[bad.globals.length - 1].type = t;
    refused(bad, [GUEST], snap, /unknown type/);
  }
  // v128 (0x7b) is a type since SIMD, but only under the snapshot's simd feature bit (16 value bytes then)
  const v128 = clone(s);
  v128.globals[v128.globals.length - 1].type = 0x7b;
  refused(v128, [GUEST], snap, /v128 without the simd feature bit/);
});

test("finding: funcref values handed to the host name real functions (host call arguments, locals, results)", () => {
  const mod = wat(`(module
    (import "env" "take" (func $take (param funcref i32)))
    (func $f (export "f") (param i32) (result i32) (local.get 0))
    (elem declare func $f)
    (func (export "go") (param $r funcref) (local $l funcref)
      (local.set $l (ref.func $f))
      (call $take (local.get $l) (i32.const 7))))`);
  const engine = new Engine({ log: false });
  let snap = null;
  const inst = Instance.instantiate(Module.load(engine, mod), {
    env: { take: (ref, x) => { snap ??= engine.snapshot(); } },
  });
  inst.invoke("go", [inst.func("f")]);
  const s = decode(snap);
  assert.equal(s.mach.status, 2);
  const funcs = s.funcs.length;
  // the pending call's funcref argument
  assert.ok(slot(s, s.mach.hostArgsOff) > 0n && slot(s, s.mach.hostArgsOff) <= BigInt(funcs));
  for (const v of [BigInt(funcs + 1), 1n << 40n, 2n ** 64n - 1n]) {
    const bad = clone(s);
    setSlot(bad, bad.mach.hostArgsOff, v);
    refused(bad, [mod], snap, /host/);
  }
  // the caller's funcref param and local (slots 0 and 1 of its frame)
  for (const k of [0, 1]) {
    const bad = clone(s);
    setSlot(bad, bad.mach.fp + 8 * k, BigInt(funcs + 5));
    refused(bad, [mod], snap);
  }
  // an i32 argument may hold any bits: accepted
  const ok = clone(s);
  setSlot(ok, ok.mach.hostArgsOff + 8, 0xffffffffn);
  accepted(encode(ok), [mod]);
});

test("finding: a pc at another function's op is refused", () => {
  const { bytes, inst } = suspendedSnapshot();
  const s = decode(bytes);
  // pc of every other activation point: try the current pc moved to each Fuel-op position of other functions
  // found by restoring snapshots of calls suspended at their first op (fuel 0 stops at the entry block)
  const engine = new Engine({ log: false });
  const i2 = Instance.instantiate(Module.load(engine, GUEST), { env: { checkpoint } });
  const entry = (name) => {
    const r = i2.call(name, [1], 0);
    assert.equal(r.done, false);
    const pc = decode(engine.snapshot()).mach.pc;
    r.abandon();
    return pc;
  };
  for (const name of ["peek", "hosted"]) {
    const bad = clone(s);
    bad.mach.pc = entry(name);
    bad.mach.resumeSide = 0xffffffff; // at a block start: no resume point
    bad.mach.resumeK = 0;
    refused(bad, [GUEST], bytes, /current position|next activation/);
  }
  // the right function, misplaced by a word: refused as before
  const bad = clone(s);
  bad.mach.pc += 4;
  refused(bad, [GUEST], bytes);
  void inst;
});

test("finding: a small snapshot naming a huge memory is refused before allocating (was: 'Allocation too large' abort)", () => {
  const engine = new Engine({ log: false });
  Instance.instantiate(Module.load(engine, GUEST), { env: { checkpoint } });
  Memory.create(engine, { min: 1 });
  const snap = engine.snapshot();
  const s = decode(snap);
  const bad = clone(s);
  const m = bad.mems[bad.mems.length - 1];
  m.pages = 16384; // 1 GiB: within the default page limits, beyond any single block the heap can give
  m.max = 0xffffffff;
  const bytes = encode(bad);
  assert.ok(bytes.length < 80_000);
  const e = refused(bytes, [GUEST], snap, /do not fit in the interpreter's memory/);
  assert.equal(e.code, 125);
});

test("the Node API refuses what the raw ABI refuses", () => {
  const snap = nestedSnapshot();
  const { bytes } = suspendedSnapshot();
  const s = decode(bytes);
  const bad = clone(s);
  bad.mems[0].max = 20;
  assert.throws(() => Engine.restore(encode(bad), { modules: [GUEST], hostFunctions: { 1: checkpoint }, log: false }), WrtSnapshotError);
  void snap;
});
