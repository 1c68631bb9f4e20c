// The typed API called from JavaScript with wrong arguments: each is refused
// where it comes in, as WrtApiError (code BadArgument) naming the call and
// the argument, and the engine goes on working (api/args.ts). Before, most of
// these were TypeErrors from deep inside ("Cannot read properties of null"),
// and some were taken: an unknown engine name, a fractional memory offset,
// a page delta of 2^40 (run as 0), a string written as memory bytes, a
// host function of type "i33".
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  Engine, Module, Instance, Memory, Table, Global, Func, WasiPreview1, WrtApiError, WrtSnapshotError, ErrCode,
  readSnapshotInfo, readContainer, moduleHash, resealSnapshot, lockstep,
} from "../../host-shims/node/dist/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const hello = readFileSync(path.join(root, "examples/hello.wasm"));

/** Expects WrtApiError BadArgument whose message starts with `where:` and matches `what`. */
function refused(fn, where, what) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof WrtApiError, `expected WrtApiError, got ${e?.name}: ${e?.message}`);
    assert.equal(e.code, ErrCode.BadArgument, e.message);
    assert.ok(e.message.startsWith(`${where}:`), `message names ${where}: ${e.message}`);
    assert.match(e.message, what);
    return true;
  });
}

function fib(engine) {
  return Instance.instantiate(Module.load(engine, hello), {});
}

test("Engine.load: options of the wrong type or value", () => {
  refused(() => Engine.load(null), "Engine.load", /options must be an object, got null/);
  refused(() => Engine.load({ engine: "quantum" }), "Engine.load", /engine must be "node" or "native", got "quantum"/);
  refused(() => Engine.load({ wasmPath: 5 }), "Engine.load", /wasmPath must be a string/);
  refused(() => Engine.load({ log: "stderr" }), "Engine.load", /log must be a function or false/);
  refused(() => Engine.load({ config: 7 }), "Engine.load", /config must be an object/);
  refused(() => Engine.load({ config: { nope: 1 } }), "config", /unknown key "nope" \(known: valueStackBytes/);
  refused(() => Engine.load({ config: { toString: 1 } }), "config", /unknown key "toString"/);
  refused(() => Engine.load({ config: { valueStackBytes: "big" } }), "config", /valueStackBytes takes an integer .*got a string/);
  refused(() => Engine.load({ config: { valueStackBytes: 1.5 } }), "config", /valueStackBytes takes an integer/);
  // a value the interpreter refuses names the key and the value
  refused(() => Engine.load({ config: { valueStackBytes: -5 } }), "config valueStackBytes = -5", /bad config key or value/);
});

test("Module.load and Module.validate: the engine and the bytes", () => {
  const engine = Engine.load();
  refused(() => Module.load("node", hello), "Module.load", /engine must be an Engine .*got a string/);
  refused(() => Module.load(null, hello), "Module.load", /engine must be an Engine .*got null/);
  refused(() => Module.load(engine, "\0asm"), "Module.load", /bytes must be a Uint8Array .*got a string/);
  refused(() => Module.load(engine, null), "Module.load", /got null/);
  refused(() => Module.load(engine, [0, 97, 115, 109]), "Module.load", /got an Array/);
  refused(() => Module.load(engine, hello, null), "Module.load", /options must be an object/);
  // a bad argument is not a verdict on the bytes
  refused(() => Module.validate(engine, 42), "Module.validate", /got number 42/);
  refused(() => Module.validate({}, hello), "Module.validate", /engine must be an Engine/);
  // an ArrayBuffer, or another view of the bytes, is taken as the bytes
  const copy = hello.buffer.slice(hello.byteOffset, hello.byteOffset + hello.byteLength);
  assert.deepEqual(Instance.instantiate(Module.load(engine, copy), {}).invoke("fib", [10]), [55]);
  assert.deepEqual(Instance.instantiate(Module.load(engine, new DataView(copy)), {}).invoke("fib", [11]), [89]);
  assert.deepEqual(fib(engine).invoke("fib", [12]), [144]);
});

test("Instance.instantiate and calls: the module, imports and arguments", () => {
  const engine = Engine.load();
  refused(() => Instance.instantiate(null, {}), "Instance.instantiate", /module must be a Module .*got null/);
  refused(() => Instance.instantiate(hello, {}), "Instance.instantiate", /module must be a Module .*got a Buffer/);
  refused(() => Instance.instantiate(Module.load(engine, hello), 5), "Instance.instantiate", /imports must be an object/);
  const inst = fib(engine);
  refused(() => inst.call("fib", null, 1000), "Func call", /args must be an array, got null/);
  refused(() => inst.func("fib").invoke("7"), "Func call", /args must be an array, got a string/);
  assert.deepEqual(inst.invoke("fib", [20]), [6765]);
});

test("Memory, Table and Global: offsets, indices, deltas and types", () => {
  const engine = Engine.load();
  const m = Memory.create(engine, { min: 1, max: 3 });
  refused(() => m.read(0.5, 4), "Memory.read", /offset must be an integer, got 0.5/);
  refused(() => m.read(NaN, 4), "Memory.read", /got NaN/);
  refused(() => m.read(0, "4"), "Memory.read", /length must be an integer/);
  refused(() => m.write(0, "str"), "Memory.write", /data must be a Uint8Array .*got a string/);
  refused(() => m.write(0.25, new Uint8Array(1)), "Memory.write", /offset must be an integer/);
  // an integer out of range is out of bounds, a RangeError (isolation.test)
  assert.throws(() => m.write(-1, new Uint8Array(1)), RangeError);
  assert.throws(() => m.read(-1, 1), RangeError);
  assert.throws(() => m.read(65532, 8), /out of bounds memory read: \[65532, 65540\) of 65536 bytes/);
  refused(() => m.grow(2 ** 40), "Memory.grow", /delta \(pages\) must be an integer from 0 to 4294967295, got 1099511627776/);
  refused(() => m.grow(1.5), "Memory.grow", /got 1.5/);
  refused(() => m.grow(-1), "Memory.grow", /got -1/);
  assert.equal(m.pages, 1, "no refused grow grew the memory");
  assert.equal(m.grow(1), 1);
  m.write(65536 + 10, new Uint8Array([1, 2, 3]));
  assert.deepEqual([...m.read(65536 + 10, 3)], [1, 2, 3]);
  refused(() => Memory.create(engine, null), "Memory.create", /type must be an object/);
  refused(() => Memory.create(engine, { min: -1 }), "Memory.create", /type.min must be/);
  refused(() => Memory.create(engine, { min: 1, max: "2" }), "Memory.create", /type.max must be/);

  const t = Table.create(engine, { element: "funcref", min: 2, max: 4 });
  refused(() => t.get(0.5), "Table.get", /index must be an integer/);
  assert.throws(() => t.get(-1), RangeError);
  assert.throws(() => t.get(4), RangeError);
  refused(() => t.set(1.5, null), "Table.set", /index must be an integer/);
  assert.equal(t.get(1), null);
  refused(() => Table.create(engine, { element: "i32", min: 1 }), "Table.create", /type.element must be "funcref" or "externref"/);

  refused(() => Global.create(engine, { type: "i33", mutable: true }, 1), "Global.create", /type.type must be one of i32, .*got "i33"/);
  refused(() => Global.create(engine, undefined, 1), "Global.create", /type must be/);
  assert.equal(Global.create(engine, { type: "i32", mutable: false }, 7).value, 7);

  refused(() => Func.host(engine, { params: ["i33"], results: [] }, () => {}), "Func.host", /type.params\[0\] must be one of/);
  refused(() => Func.host(engine, { params: [], results: "i32" }, () => {}), "Func.host", /type.results must be an array/);
  refused(() => Func.host(engine, null, () => {}), "Func.host", /type must be an object/);
  refused(() => Func.host(engine, { params: [], results: [] }, null), "Func.host", /fn must be a function, got null/);
  assert.deepEqual(fib(engine).invoke("fib", [15]), [610]);
});

test("snapshots: restore arguments and the snapshot readers", () => {
  const engine = Engine.load();
  const r = fib(engine).call("fib", [25], 500);
  assert.equal(r.done, false);
  const snap = engine.snapshot();
  refused(() => Engine.restore("abc", { modules: [hello] }), "Engine.restore", /snapshot must be a Uint8Array .*got a string/);
  refused(() => Engine.restore(snap), "Engine.restore", /modules \(.*\) must be an array, got undefined/);
  refused(() => Engine.restore(snap, { modules: null }), "Engine.restore", /must be an array, got null/);
  refused(() => Engine.restore(snap, { modules: ["x"] }), "Engine.restore", /modules\[0\] must be a Uint8Array/);
  refused(() => engine.restore(7), "engine.restore", /snapshot must be a Uint8Array/);
  refused(() => readSnapshotInfo(null), "readSnapshotInfo", /snapshot must be a Uint8Array/);
  refused(() => readContainer({}), "readContainer", /container must be a Uint8Array .*got an Object/);
  refused(() => moduleHash("m"), "moduleHash", /module must be a Uint8Array/);
  refused(() => resealSnapshot(new Uint8Array(2)), "resealSnapshot", /4-byte checksum; got 2 bytes/);
  // readSnapshotInfo refuses non-snapshots as WrtSnapshotError, with the format's codes
  assert.throws(() => readSnapshotInfo(new Uint8Array(64)), (e) => e instanceof WrtSnapshotError && e.code === ErrCode.SnapshotMagic);
  const bent = snap.slice();
  bent[bent.length - 1] ^= 1;
  assert.throws(() => readSnapshotInfo(bent), (e) => e instanceof WrtSnapshotError && e.code === ErrCode.SnapshotChecksum);
  // and the call goes on, in a restored engine as in this one
  const back = Engine.restore(snap, { modules: [hello] });
  assert.deepEqual(back.call.resume(10_000_000).results, [75025]);
  assert.deepEqual(r.resume(10_000_000).results, [75025]);
});

test("WasiPreview1 and lockstep: options", () => {
  refused(() => new WasiPreview1({ args: 5 }), "WasiPreview1", /args must be an array, got number 5/);
  refused(() => new WasiPreview1({ args: ["main", 3] }), "WasiPreview1", /args\[1\] must be a string/);
  refused(() => new WasiPreview1({ env: "A=1" }), "WasiPreview1", /env must be an array/);
  refused(() => new WasiPreview1({ preopens: { "/": 5 } }), "WasiPreview1", /preopens\["\/"\] must be a host directory path/);
  refused(() => new WasiPreview1({ preopens: { "/": "/no/such/dir/here" } }), "WasiPreview1", /preopen "\/": cannot open host directory \/no\/such\/dir\/here: ENOENT/);
  refused(() => new WasiPreview1({ stdout: "file.txt" }), "WasiPreview1", /stdout must be a function/);
  assert.deepEqual(new WasiPreview1({ args: ["a", "b"] }).args, ["a", "b"]);
  refused(() => lockstep(null, "fib", [], 1), "lockstep", /module must be a Uint8Array/);
  refused(() => lockstep(hello, "fib", [5n], 0), "lockstep", /every \(fuel per step\) must be an integer of at least 1, got number 0/);
  refused(() => lockstep(hello, "fib", [5], 1), "lockstep", /args\[0\] must be a bigint/);
  refused(() => lockstep(hello, "fib", [5n], 1, { engines: ["node", "jit"] }), "lockstep", /engines must be two of "node" and "native"/);
});
