// Dropped instances give their memory back (assembly/runtime/reclaim.ts):
// repeated instantiate / run / snapshot / drop keeps the interpreter's
// linear memory from growing, and an instance whose function is still in a
// live table is kept (the table's reference keeps working).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import wabtInit from "wabt";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const wabt = await wabtInit();
const wasm = (wat) => wabt.parseWat("t.wat", wat).toBinary({}).buffer;

function rawEngine() {
  const mod = new WebAssembly.Module(readFileSync(path.join(root, "build/wrt.wasm")));
  const inst = new WebAssembly.Instance(mod, { wrt: { log() {}, abort(_m, _f, line) { throw new Error(`interpreter abort (line ${line})`); } } });
  const x = inst.exports;
  const bytes = () => new Uint8Array(x.memory.buffer);
  const put = (b) => { const p = x.wrt_io(b.length); bytes().set(b, p); };
  const text = (n) => new TextDecoder().decode(bytes().slice(x.wrt_io(0), x.wrt_io(0) + n));
  const load = (b) => { put(b); const m = x.wrt_module_load(b.length); assert.ok(m >= 0, text(x.wrt_error_text())); return m; };
  const exp = (h, name) => { const n = new TextEncoder().encode(name); put(n); return x.wrt_instance_export(h, n.length); };
  const call = (f, args) => {
    const dv = () => new DataView(x.memory.buffer);
    x.wrt_io(8 * Math.max(1, args.length));
    args.forEach((a, i) => dv().setInt32(x.wrt_io(8) + i * 8, a, true));
    assert.equal(x.wrt_call(f, args.length), 0);
    const st = x.wrt_run(1n << 40n);
    assert.equal(st, 0, st === 3 ? text(x.wrt_trap_text()) : `status ${st}`);
    x.wrt_results();
    return dv().getInt32(x.wrt_io(8), true);
  };
  return { x, load, exp, call, put };
}

const GUEST = wasm(`(module (memory (export "mem") 1) (table 2 funcref) (elem (i32.const 0) $f $id)
  (global $g (mut i32) (i32.const 0))
  (func $f (export "f") (param i32) (result i32)
    (global.set $g (i32.add (global.get $g) (local.get 0)))
    (i32.store (i32.const 64) (global.get $g))
    (drop (call_indirect (param i32) (result i32) (i32.const 7) (i32.const 1)))
    (global.get $g))
  (func $id (param i32) (result i32) (local.get 0)))`);

test("instantiate, run, snapshot, drop 5,000 times: interpreter memory does not grow", () => {
  const e = rawEngine();
  const m = e.load(GUEST);
  let after = 0;
  for (let i = 0; i < 5000; i++) {
    e.x.wrt_io(4);
    const h = e.x.wrt_instantiate(m, 0);
    assert.ok(h >= 0);
    assert.equal(e.call(e.exp(h, "f"), [i]), i);
    assert.ok(e.x.wrt_snapshot() > 0);
    e.x.wrt_instance_drop(h);
    if (i % 500 === 499) e.x.wrt_collect();
    if (i === 499) after = e.x.memory.buffer.byteLength;
  }
  assert.equal(e.x.memory.buffer.byteLength, after, "linear memory grew after warm-up");
});

test("without drops the store grows: the check above can fail", () => {
  const e = rawEngine();
  const m = e.load(GUEST);
  const before = e.x.memory.buffer.byteLength;
  for (let i = 0; i < 300; i++) { e.x.wrt_io(4); assert.ok(e.x.wrt_instantiate(m, 0) >= 0); }
  assert.ok(e.x.memory.buffer.byteLength > before, "300 live instances with a page each must take memory");
});

test("a dropped instance whose function sits in a live table is kept and still callable", () => {
  const e = rawEngine();
  const host = e.load(wasm(`(module (table (export "t") 1 funcref)
    (func (export "callit") (param i32) (result i32) (call_indirect (param i32) (result i32) (local.get 0) (i32.const 0))))`));
  const guest = e.load(wasm(`(module (import "h" "t" (table 1 funcref)) (elem (i32.const 0) $dbl)
    (func $dbl (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))`));
  e.x.wrt_io(4);
  const a = e.x.wrt_instantiate(host, 0);
  const table = e.exp(a, "t");
  new DataView(e.x.memory.buffer).setUint32(e.x.wrt_io(4), table, true);
  const b = e.x.wrt_instantiate(guest, 1);
  assert.ok(b >= 0);
  e.x.wrt_instance_drop(b);
  e.x.wrt_collect();
  assert.equal(e.call(e.exp(a, "callit"), [21]), 42);
});
