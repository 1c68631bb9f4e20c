// Guest memory bounds at the edges, on both engines: the interpreter checks a
// one-byte access with two 32-bit compares (the address + offset must not
// wrap past 4 GiB, and must be below the memory's size) and a wider one with
// a 64-bit sum (exec/interp.ts `fits`). Expected outcomes by hand from the
// spec: an access traps iff address + offset + size > memory size, computed
// without wrapping.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import wabtInit from "wabt";
import { Engine, Module, Instance } from "../../host-shims/node/dist/index.js";

const wabt = await wabtInit();
const WAT = `
(module (memory 1) (data (i32.const 65535) "\\07") (data (i32.const 16) "\\05")
  ;; plain and fused (address add folded in) byte loads and stores, with large offsets
  (func (export "ld8") (param i32) (result i32) (i32.load8_u offset=0xfffffff0 (local.get 0)))
  (func (export "ld8_add") (param i32) (result i32) (i32.load8_u offset=0xfffffff0 (i32.add (local.get 0) (i32.const 16))))
  (func (export "ld8_end") (param i32) (result i32) (i32.load8_u offset=65534 (i32.add (local.get 0) (i32.const 1))))
  (func (export "st8") (param i32) (i32.store8 offset=0xfffffff0 (local.get 0) (i32.const 9)))
  (func (export "st8_add") (param i32) (i32.store8 offset=0xfffffff0 (i32.add (local.get 0) (i32.const 16)) (i32.const 9)))
  (func (export "st8_addv") (param i32 i32) (i32.store8 offset=0xfffffff0 (i32.add (local.get 0) (i32.const 16)) (local.get 1)))
  (func (export "st8_end") (param i32) (result i32)
    (i32.store8 offset=65534 (i32.add (local.get 0) (i32.const 1)) (i32.const 3)) (i32.load8_u (i32.const 65535)))
  ;; a byte array's element (x + imm, no offset: Load8UAdd, StoreK8Add): the add wraps at 32 bits, then the byte must be below the size
  (func (export "ld8_idx") (param i32) (result i32) (i32.load8_u (i32.add (local.get 0) (i32.const 16))))
  (func (export "st8k_idx") (param i32) (i32.store8 (i32.add (local.get 0) (i32.const 16)) (i32.const 0x1ff)))
  ;; wider accesses at the end: the last whole word fits, one byte further does not
  (func (export "ld32_end") (param i32) (result i32) (i32.load offset=65532 (local.get 0)))
  (func (export "st16_add") (param i32) (i32.store16 offset=65530 (i32.add (local.get 0) (i32.const 4)) (i32.const 1)))
)`;
const EMPTY = `(module (memory 0)
  (func (export "ld8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "st8_add") (param i32) (i32.store8 (i32.add (local.get 0) (i32.const 0)) (i32.const 1))))`;

const engines = [["wasm", {}]];
if (existsSync(new URL("../../build/wrt-native", import.meta.url))) engines.push(["native", { engine: "native" }]);

for (const [name, opts] of engines) {
  test(`${name}: byte and word accesses at the end of memory and past 4 GiB`, () => {
    const engine = new Engine(opts);
    const inst = Instance.instantiate(Module.load(engine, wabt.parseWat("b.wat", WAT).toBinary({}).buffer), {});
    const call = (f, ...a) => inst.invoke(f, a)[0];
    const oob = /out of bounds memory access/;
    // 0x20 + 0xfffffff0 = 2^32 + 0x10: wraps to 16 (which holds 5) in 32 bits, must trap
    assert.throws(() => call("ld8", 0x20), oob);
    assert.throws(() => call("ld8_add", 0x10), oob);            // (0x10 + 16) + 0xfffffff0 = 2^32 + 0x10
    assert.throws(() => call("st8", 0x20), oob);
    assert.throws(() => call("st8_add", 0x10), oob);
    assert.throws(() => call("st8_addv", 0x10, 1), oob);
    assert.throws(() => call("ld8", 0x10), oob);                // exactly 2^32
    assert.throws(() => call("ld8_add", -1), oob);              // (-1 + 16) wraps to 15 first: 15 + 0xfffffff0 < 2^32 but far past 64 KiB
    assert.equal(call("ld8_end", 0), 7);                        // 1 + 65534 = 65535, the last byte
    assert.throws(() => call("ld8_end", 1), oob);               // 65536
    assert.equal(call("st8_end", 0), 3);
    assert.throws(() => call("st8_end", 1), oob);
    assert.equal(call("ld32_end", 0), 0x03000000);              // bytes 65532..65535 (st8_end wrote 3 at 65535)
    assert.throws(() => call("ld32_end", 1), oob);
    assert.throws(() => call("st16_add", 1), oob);              // 5 + 65530 = 65535, two bytes
    call("st16_add", 0);                                        // 65534..65535 fits
    assert.equal(call("ld8_end", 0), 0);                        // and wrote 0x0001 little-endian
    assert.equal(call("ld8_idx", 0), 5);                        // byte 16
    assert.equal(call("ld8_idx", -1), 0);                       // -1 + 16 wraps to 15
    assert.equal(call("ld8_idx", 65519), 0);                    // 65535, the last byte (st16_add left 0 there)
    assert.throws(() => call("ld8_idx", 65520), oob);           // 65536
    assert.throws(() => call("ld8_idx", -17), oob);             // 0xffffffff
    call("st8k_idx", -2);                                       // byte 14 := 0xff (the constant's low byte)
    assert.equal(call("ld8_idx", -2), 0xff);
    assert.throws(() => call("st8k_idx", 65520), oob);
    assert.throws(() => call("st8k_idx", -17), oob);
    const empty = Instance.instantiate(Module.load(engine, wabt.parseWat("e.wat", EMPTY).toBinary({}).buffer), {});
    assert.throws(() => empty.invoke("ld8", [0]), oob);         // a memory of 0 pages: every access traps
    assert.throws(() => empty.invoke("st8_add", [0]), oob);
    engine.close?.();
  });
}
