// Snapshots through the Node API and the CLI: a call stopped at fuel points
// (and at a host call, and between calls) continues in FRESH engines with
// the same results and the same final memory as an uninterrupted run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import {
  Engine, Module, Instance, Func, WrtSnapshotError, WrtTrap, ErrCode, moduleHash, readSnapshotInfo, resealSnapshot,
} from "../../host-shims/node/dist/index.js";
import { GUEST, checkpoint, wat } from "./snapshot-guest.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(root, "host-shims/node/dist/cli.js");
const N = 300;

function setup(cp = checkpoint) {
  const engine = new Engine({ log: false });
  const module = Module.load(engine, GUEST);
  const instance = Instance.instantiate(module, { env: { checkpoint: cp } });
  return { engine, module, instance };
}

function finalState(instance) {
  return {
    mem: instance.memory("mem").read(0, instance.memory("mem").byteLength),
    tab: instance.table("tab").size,
    calls: instance.global("calls").value,
  };
}

function uninterrupted(name, arg) {
  const { instance } = setup();
  const results = instance.invoke(name, [arg]);
  return { results, ...finalState(instance) };
}

/** Runs `name(arg)` in slices of `fuel`; after each, snapshot and continue in a fresh engine. */
function hopping(name, arg, fuels) {
  const { instance } = setup();
  let r = instance.call(name, [arg], fuels[0]);
  let inst = instance;
  let hops = 0;
  const sizes = [];
  while (!r.done) {
    const snap = inst.engine.snapshot();
    sizes.push(snap.length);
    const restored = Engine.restore(snap, { modules: [GUEST], hostFunctions: { 1: checkpoint }, log: false });
    assert.equal(restored.status, "suspended");
    assert.notEqual(restored.engine, inst.engine);
    inst = restored.instances[0];
    r = restored.call.resume(fuels[++hops % fuels.length]);
  }
  return { results: r.results, hops, sizes, ...finalState(inst) };
}

test("a call hops through fresh engines at many fuel points: same result, memory, table, globals", () => {
  const want = uninterrupted("work", N);
  for (const fuels of [[2999], [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 1597], [4096, 17]]) {
    const got = hopping("work", N, fuels);
    assert.ok(got.hops > 3, `hops ${got.hops}`);
    assert.deepEqual(got.results, want.results);
    assert.equal(got.tab, want.tab);
    assert.equal(got.calls, want.calls);
    assert.equal(got.mem.length, 2 * 65536); // memory.grow happened before some snapshot
    assert.ok(Buffer.from(got.mem).equals(Buffer.from(want.mem)), "final memory differs");
  }
});

test("a call with a host call in the middle hops too (host function re-bound by id)", () => {
  const want = uninterrupted("hosted", 100);
  const got = hopping("hosted", 100, [1333]);
  assert.deepEqual(got.results, want.results);
  assert.ok(Buffer.from(got.mem).equals(Buffer.from(want.mem)));
});

test("snapshot at a pending host call: the restoring host answers it", () => {
  const want = uninterrupted("hosted", 50);
  let snap = null;
  const { engine, instance } = setup((x) => {
    snap = engine.snapshot();
    return checkpoint(x);
  });
  assert.deepEqual(instance.invoke("hosted", [50]), want.results); // the original goes on unharmed
  const info = readSnapshotInfo(snap);
  assert.equal(info.status, 2);
  assert.deepEqual(info.hostFuncs.map((h) => h.hostId), [1]);
  let seen = null;
  const restored = Engine.restore(snap, {
    modules: [GUEST],
    hostFunctions: { 1: (x) => ((seen = x), checkpoint(x)) },
    log: false,
  });
  assert.equal(restored.status, "host-call");
  assert.equal(restored.call.atHostCall, true);
  const r = restored.call.resume(1n << 40n);
  assert.equal(r.done, true);
  assert.deepEqual(r.results, want.results);
  assert.equal(typeof seen, "number");
  assert.ok(Buffer.from(finalState(restored.instances[0]).mem).equals(Buffer.from(want.mem)));

  // The same pending host call answered with a trap
  const again = Engine.restore(snap, { modules: [GUEST], hostFunctions: { 1: () => { throw new Error("no"); } }, log: false });
  assert.throws(() => again.call.resume(1000000), WrtTrap);
  // ... and resumed with too little fuel: a Suspended again, then snapshot once more
  const third = Engine.restore(snap, { modules: [GUEST], hostFunctions: { 1: checkpoint }, log: false });
  const s = third.call.resume(10);
  assert.equal(s.done, false);
  const fourth = Engine.restore(third.engine.snapshot(), { modules: [GUEST], hostFunctions: { 1: checkpoint }, log: false });
  assert.deepEqual(fourth.call.resume(1n << 40n).results, want.results);
});

test("idle snapshot: the restored engine holds the same store and keeps working", () => {
  const { engine, instance } = setup();
  instance.invoke("work", [40]);
  const snap = engine.snapshot();
  const r = Engine.restore(snap, { modules: [GUEST], hostFunctions: { 1: checkpoint }, log: false });
  assert.equal(r.status, "idle");
  assert.equal(r.call, null);
  const i2 = r.instances[0];
  assert.deepEqual(finalState(i2), finalState(instance));
  assert.deepEqual(i2.invoke("work", [25]), instance.invoke("work", [25]));
  assert.deepEqual(i2.invoke("peek", [65600]), instance.invoke("peek", [65600]));
  assert.deepEqual(finalState(i2), finalState(instance));
});

test("idle snapshots do not depend on how the finished call was sliced by fuel", () => {
  const SUM = wat(`(module (func (export "f") (param $n i32) (result i32) (local $s i32)
    (block $d (loop $l (br_if $d (i32.eqz (local.get $n)))
      (local.set $s (i32.add (local.get $s) (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br $l))) (local.get $s)))`);
  const snaps = [undefined, 7, 1].map((fuelSlice) => {
    const engine = new Engine({ log: false });
    const f = Instance.instantiate(Module.load(engine, SUM), {});
    assert.deepEqual(f.invoke("f", [1000], fuelSlice ? { fuelSlice } : {}), [500500]);
    // the budget left over is the host's, not the guest's: mask it and the checksum
    const b = Buffer.from(engine.snapshot());
    const fuelAt = readSnapshotInfo(b).calledFuncAt - 33; // machine section: fuel at +16, calledFunc at +49
    b.fill(0, fuelAt, fuelAt + 8);
    b.fill(0, b.length - 4);
    return b;
  });
  assert.ok(snaps[0].equals(snaps[1]), "unsliced vs fuelSlice 7");
  assert.ok(snaps[0].equals(snaps[2]), "unsliced vs fuelSlice 1");
});

test("engine.migrate: the same engine object continues in a fresh interpreter at every slice", () => {
  const want = uninterrupted("hosted", 120);
  const { engine, instance } = setup();
  const before = engine.instance;
  let migrations = 0;
  const res = instance.func("hosted").invoke([120], {
    fuelSlice: 400,
    onSlice: (e) => {
      e.migrate();
      migrations++;
    },
  });
  assert.deepEqual(res, want.results);
  assert.ok(migrations > 10);
  assert.notEqual(engine.instance, before);
  assert.ok(Buffer.from(finalState(instance).mem).equals(Buffer.from(want.mem)));
});

test("host ids: given in order of creation, so the same program gets the same ids", () => {
  const ids = () => {
    const e = new Engine({ log: false });
    Func.host(e, { params: [], results: [] }, () => {});
    Instance.instantiate(Module.load(e, GUEST), { env: { checkpoint } });
    return readSnapshotInfo(e.snapshot()).hostFuncs.map((h) => h.hostId);
  };
  assert.deepEqual(ids(), [1, 2]);
  assert.deepEqual(ids(), ids());
});

test("refusals: unbound host function, another module, non-idle engine, nested call, version", () => {
  const { engine, instance } = setup();
  const s = instance.call("work", [N], 500);
  const snap = engine.snapshot();
  const code = (f) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof WrtSnapshotError, `${e?.name}: ${e?.message}`);
      return e.code;
    }
    assert.fail("not refused");
  };
  assert.equal(code(() => Engine.restore(snap, { modules: [GUEST], log: false })), ErrCode.SnapshotHostUnbound);
  const other = wat(`(module (import "env" "checkpoint" (func (param i32) (result i32))) (func (export "x")))`);
  assert.equal(code(() => Engine.restore(snap, { modules: [other], hostFunctions: { 1: checkpoint }, log: false })), ErrCode.SnapshotModule);
  assert.equal(code(() => engine.restore(snap)), ErrCode.SnapshotState); // a call is suspended here
  const wrongVersion = snap.slice();
  wrongVersion[4] = 3;
  resealSnapshot(wrongVersion);
  assert.equal(code(() => Engine.restore(wrongVersion, { modules: [GUEST], hostFunctions: { 1: checkpoint }, log: false })), ErrCode.SnapshotVersion);
  s.abandon();
  // inside a nested call (a host function called into the guest, which called the host again)
  const e2 = new Engine({ log: false });
  let inner = null;
  let depth = 0;
  const m2 = Module.load(e2, GUEST);
  const i2 = Instance.instantiate(m2, {
    env: {
      checkpoint: (x) => {
        if (depth++ === 0) i2.invoke("hosted", [1]);
        else inner ??= code(() => e2.snapshot());
        return x;
      },
    },
  });
  i2.invoke("hosted", [1]);
  assert.equal(inner, ErrCode.SnapshotState);
  // the engine still works after every refusal, and the good snapshot restores into it
  assert.deepEqual(instance.invoke("peek", [16]), [0x6c6c6568]); // "hell"
  const fresh = setup();
  const r = fresh.engine.restore(snap);
  assert.equal(r.status, "suspended");
  assert.deepEqual(r.call.resume(1n << 40n).results, uninterrupted("work", N).results);
});

test("readSnapshotInfo names the module by the FNV-1a 64 hash of its bytes", () => {
  const { engine } = setup();
  const info = readSnapshotInfo(engine.snapshot());
  assert.equal(info.modules[0].hash, moduleHash(GUEST));
});

// ---- CLI ----

const dir = mkdtempSync(path.join(tmpdir(), "wrt-snap-"));
function wrt(...args) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", cwd: dir, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const LOOP = path.join(dir, "loop.wasm");
writeFileSync(LOOP, wat(`(module (import "spectest" "print_i32" (func $p (param i32)))
  (memory 1)
  (func (export "sum") (param $n i32) (result i64) (local $acc i64)
    (loop $l
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $n))))
      (i32.store (i32.const 0) (local.get $n))
      (if (i32.eqz (i32.rem_u (local.get $n) (i32.const 1000))) (then (call $p (local.get $n))))
      (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l))
    (local.get $acc)))`));

test("CLI: run --fuel --snapshot-out, then resume (chained) prints what an uninterrupted run prints", () => {
  const whole = wrt("run", LOOP, "--invoke", "sum", "5000");
  assert.equal(whole.code, 0, whole.err);
  let r = wrt("run", LOOP, "--invoke", "sum", "5000", "--fuel", "3000", "--snapshot-out", "s0.bin");
  assert.equal(r.code, 2, r.err);
  let printed = r.out.replace(/out of fuel\n$/, "");
  let hops = 0;
  for (;;) {
    r = wrt("resume", `s${hops}.bin`, "--fuel", "12000", "--snapshot-out", `s${hops + 1}.bin`, "--engine", "node");
    if (r.code !== 2) break;
    printed += r.out.replace(/out of fuel\n$/, "");
    hops++;
  }
  assert.equal(r.code, 0, r.err);
  printed += r.out;
  assert.ok(hops >= 3, `hops ${hops}`);
  assert.equal(printed, whole.out);
  // resume without --fuel runs to the end
  const last = wrt("resume", "s1.bin");
  assert.equal(last.code, 0, last.err);
  assert.ok(whole.out.endsWith(last.out));
});

test("CLI: a damaged container or snapshot is refused with a message, exit 1", () => {
  const good = readFileSync(path.join(dir, "s0.bin"));
  const flip = Buffer.from(good);
  flip[flip.length - 100] ^= 0x10;
  writeFileSync(path.join(dir, "bad1.bin"), flip);
  let r = wrt("resume", "bad1.bin");
  assert.equal(r.code, 1);
  assert.match(r.err, /checksum/);
  writeFileSync(path.join(dir, "bad2.bin"), good.subarray(0, 100));
  r = wrt("resume", "bad2.bin");
  assert.equal(r.code, 1);
  assert.match(r.err, /container/);
  r = wrt("run", LOOP, "--invoke", "sum", "5", "--snapshot-out", "x.bin");
  assert.equal(r.code, 64);
});

test("after a nested call from a host function, a snapshot still names the outer call's function (calledFunc)", () => {
  const src = wat(`(module
    (import "env" "cb" (func $cb (param i32) (result i32)))
    (func (export "inner") (param i32) (result i64) (i64.extend_i32_u (i32.mul (local.get 0) (i32.const 3))))
    (func (export "outer") (param $n i32) (result i32) (local $i i32) (local $acc i32)
      (local.set $acc (call $cb (local.get $n)))
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (local.get $acc)))`);
  const snapAfter = (nested) => {
    const engine = new Engine({ log: false });
    let inst;
    const cb = (x) => (nested ? Number(inst.invoke("inner", [x])[0]) : x * 3);
    inst = Instance.instantiate(Module.load(engine, src), { env: { cb } });
    const r = inst.call("outer", [1000], 2000);
    assert.ok(!r.done);
    return engine.snapshot();
  };
  const plain = snapAfter(false), nested = snapAfter(true);
  assert.equal(readSnapshotInfo(nested).calledFunc, readSnapshotInfo(plain).calledFunc);
  // and the restored call has the outer function's type and finishes
  const restored = Engine.restore(nested, { modules: [src], hostFunctions: { 1: () => 0 }, log: false });
  assert.deepEqual(restored.callType, { params: ["i32"], results: ["i32"] });
  const done = restored.call.resume(10_000_000n);
  assert.deepEqual(done.results, [3000 + (999 * 1000) / 2]);
});
