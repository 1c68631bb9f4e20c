// The compiler's fused forms (docs/internal-code.md) must keep Wasm's exact
// semantics at the edges: a wrapping i32.add feeding a load, constants on
// either side of commutative and non-commutative ops, negated compares
// under `if`, and positional temporaries.
import { test } from "node:test";
import assert from "node:assert/strict";
import wabtInit from "wabt";
import { readFileSync } from "node:fs";
import { Engine, Module, Instance } from "../../host-shims/node/dist/index.js";
import { imageParts } from "./support.mjs";

const wabt = await wabtInit();
const engine = await Engine.load({});
const inst = Instance.instantiate(Module.load(engine, wabt.parseWat("f.wat", `
(module (memory 1) (data (i32.const 8) "\\2a")
  (global $g (mut i32) (i32.const 0))
  ;; i32.add with a constant feeding a load wraps at 32 bits before the offset is added
  (func (export "load_wrap") (param i32) (result i32) (i32.load8_u (i32.add (local.get 0) (i32.const 16))))
  (func (export "load_wrap_off") (param i32) (result i32) (i32.load8_u offset=65530 (i32.add (local.get 0) (i32.const 16))))
  ;; a shl feeding the address (alone or through an add of a constant) wraps at 32 bits too
  (func (export "load_shl") (param i32) (result i32) (i32.load8_u offset=4 (i32.shl (local.get 0) (i32.const 1))))
  (func (export "load_shl_add") (param i32) (result i32) (i32.load8_u (i32.add (i32.shl (local.get 0) (i32.const 2)) (i32.const 4))))
  (func (export "load_shl_33") (param i32) (result i32) (i32.load8_u (i32.add (i32.shl (local.get 0) (i32.const 33)) (i32.const 6))))
  ;; the shl's value is also kept in a local: it must still be computed
  (func (export "load_shl_tee") (param i32) (result i32) (local i32)
    (i32.add (i32.load8_u (i32.add (local.tee 1 (i32.shl (local.get 0) (i32.const 2))) (i32.const 4))) (local.get 1)))
  ;; x + (y << k) is one op; it wraps like the two
  (func (export "add_shl") (param i32 i32) (result i32) (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 3))))
  (func (export "add_shl_left") (param i32 i32) (result i32) (i32.add (i32.shl (local.get 1) (i32.const 35)) (local.get 0)))
  ;; x ^ rotr(y, k) is one op (SHA-2's sigma functions)
  (func (export "xor_rotr") (param i32 i32) (result i32) (i32.xor (local.get 0) (i32.rotr (local.get 1) (i32.const 8))))
  ;; either op with the shift on its left and a local on its right (row-major indexing: (i << k) + j) is one op as well
  (func (export "xor_rotr_left") (param i32 i32) (result i32) (i32.xor (i32.rotr (local.get 1) (i32.const 40)) (local.get 0)))
  (func (export "row_major") (param i32 i32) (result i32) (i32.load8_u (i32.add (i32.shl (i32.add (i32.shl (local.get 0) (i32.const 2)) (local.get 1)) (i32.const 1)) (i32.const 4))))
  (func (export "sigma") (param i32) (result i32)
    (i32.xor (i32.xor (i32.rotr (local.get 0) (i32.const 2)) (i32.rotr (local.get 0) (i32.const 13))) (i32.rotr (local.get 0) (i32.const 54))))
  ;; copies in a row share an op and still run in order
  (func (export "copies_in_order") (param i32 i32) (result i32) (local i32)
    (local.set 2 (local.get 0)) (local.set 0 (local.get 1)) (local.set 1 (local.get 2))
    (i32.sub (i32.mul (local.get 0) (i32.const 10)) (local.get 1)))
  (func (export "swap_via_stack") (param i32 i32) (result i32)
    (local.get 0) (local.get 1) (local.set 0) (local.set 1)
    (i32.sub (i32.mul (local.get 0) (i32.const 10)) (local.get 1)))
  ;; x - c is compiled as x + (-c); c - x must not be
  (func (export "sub_const") (param i32) (result i32) (i32.sub (local.get 0) (i32.const -2147483648)))
  (func (export "const_sub") (param i32) (result i32) (i32.sub (i32.const 10) (local.get 0)))
  (func (export "const_shl") (param i32) (result i32) (i32.shl (i32.const 1) (local.get 0)))
  ;; a constant on the left of a commutative op next to a temporary (stack.wast's not-quite-a-tree shape)
  (func (export "const_left_temp") (result i32)
    (global.set $g (i32.add (i32.const 1) (global.get $g))) (global.get $g))
  ;; compare + if: the jump takes the negated compare
  (func (export "if_lt_u") (param i32 i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (local.get 1)) (then (i32.const 1)) (else (i32.const 0))))
  (func (export "if_ge_s_imm") (param i32) (result i32)
    (if (result i32) (i32.ge_s (local.get 0) (i32.const -1)) (then (i32.const 1)) (else (i32.const 0))))
  (func (export "brif_eqz") (param i32) (result i32)
    (block (result i32) (br_if 0 (i32.const 7) (i32.eqz (local.get 0))) (drop) (i32.const 9)))
  ;; select on (x & imm): one op; the and's operand and the select's may share slots
  (func (export "crc_step") (param i32) (result i32) (local i32)
    (select (i32.xor (local.tee 1 (i32.shr_u (local.get 0) (i32.const 1))) (i32.const -306674912)) (local.get 1)
      (i32.and (local.get 0) (i32.const 1))))
  (func (export "select_and_temp") (param i32 i32 i32) (result i32)
    (select (i32.add (local.get 0) (i32.const 1)) (i32.mul (local.get 1) (i32.const 3)) (i32.and (i32.add (local.get 2) (i32.const 0)) (i32.const 0x80000000))))
  (func (export "select_and_i64") (param i64 i64 i32) (result i64)
    (select (local.get 0) (local.get 1) (i32.and (local.get 2) (i32.const 6))))
  ;; stores: the address op folds in (wrapping at 32 bits), a constant value is an immediate; read back by loads
  (func (export "store_wrap") (param i32 i32) (result i32) (i32.store8 (i32.add (local.get 0) (i32.const 32)) (local.get 1)) (i32.load8_u (i32.const 24)))
  (func (export "store_wrap_off") (param i32) (i32.store8 offset=65512 (i32.add (local.get 0) (i32.const 32)) (i32.const 1)))
  (func (export "store_shl_k") (param i32) (result i64)
    (i64.store offset=8 (i32.add (i32.shl (local.get 0) (i32.const 3)) (i32.const 64)) (i64.const 0x123456789abcdef0))
    (i64.load (i32.add (i32.shl (local.get 0) (i32.const 3)) (i32.const 72))))
  (func (export "store_k_sizes") (param i32) (result i64)
    (i64.store (local.get 0) (i64.const -1))
    (i32.store16 (i32.add (local.get 0) (i32.const 2)) (i32.const 0x12345))
    (f32.store (i32.add (local.get 0) (i32.const 4)) (f32.const -0.0))
    (i64.load (local.get 0)))
  (func (export "store_k_plain") (param i32) (result i32) (i32.store (local.get 0) (i32.const 7)) (i32.load (local.get 0)))
  ;; (x >>> k) & m is one op (a bit field); k wraps at 32; the constant may be on the left; a teed shift is not fused
  (func (export "shr_and") (param i32) (result i32) (i32.and (i32.shr_u (local.get 0) (i32.const 8)) (i32.const 255)))
  (func (export "shr_and_33") (param i32) (result i32) (i32.and (i32.shr_u (local.get 0) (i32.const 33)) (i32.const -1)))
  (func (export "shr_and_left") (param i32) (result i32) (i32.and (i32.const 0x80000001) (i32.shr_u (local.get 0) (i32.const 31))))
  (func (export "shr_and_tee") (param i32) (result i32) (local i32)
    (i32.add (i32.and (local.tee 1 (i32.shr_u (local.get 0) (i32.const 4))) (i32.const 15)) (local.get 1)))
  ;; a conditional xor on a bit: the xor's operand is the select's other value (one op); mask and constant vary
  (func (export "cond_xor") (param i32 i32) (result i32) (local i32)
    (select (i32.xor (local.tee 2 (i32.shr_u (local.get 0) (i32.const 3))) (i32.const 0x80000001)) (local.get 2)
      (i32.and (local.get 1) (i32.const 0x80000000))))
  ;; the xor reads another slot than the select's second value: not the fused form, the same result
  (func (export "cond_xor_other") (param i32 i32) (result i32) (local i32)
    (local.set 2 (i32.const 9))
    (select (i32.xor (local.get 0) (i32.const 6)) (local.get 2) (i32.and (local.get 1) (i32.const 1))))
  ;; local.tee retargeting must not lose the stacked value
  (func (export "tee_chain") (param i32) (result i32) (local i32)
    (i32.add (local.tee 1 (i32.mul (local.get 0) (i32.const 3))) (local.get 1))))
`).toBinary({}).buffer), {});

const call = (name, ...args) => inst.invoke(name, args)[0];

test("a wrapping address add feeding a load", () => {
  assert.equal(call("load_wrap", -8), 42);
  assert.equal(call("load_wrap", -16), 0);
  assert.throws(() => call("load_wrap_off", -8), /out of bounds memory access/);
});

test("a shl (and add) feeding a load", () => {
  assert.equal(call("load_shl", 2), 42);                 // (2 << 1) + 4 = 8
  assert.equal(call("load_shl", 2 + 0x80000000), 42);    // the shl drops the top bit
  assert.equal(call("load_shl_add", 1), 42);             // (1 << 2) + 4
  assert.equal(call("load_shl_add", 0x40000001), 42);    // (0x40000001 << 2) wraps to 4
  assert.equal(call("load_shl_33", 1), 42);              // shift counts are taken mod 32: (1 << 1) + 6
  assert.equal(call("load_shl_tee", 1), 42 + 4);
  assert.throws(() => call("load_shl_add", 0x3fff), /out of bounds memory access/);
});

test("add of a shl, and copies in a row", () => {
  assert.equal(call("add_shl", 5, 2), 21);
  assert.equal(call("add_shl", 1, 0x20000001), 9);        // the shl wraps: 0x20000001 << 3 = 8
  assert.equal(call("add_shl", 0x7fffffff, 1), -2147483641); // the add wraps
  assert.equal(call("add_shl_left", 5, 2), 21);           // 35 mod 32 = 3
  assert.equal(call("xor_rotr", 0x0f, 0x12345678), (0x78123456 ^ 0x0f) | 0);
  assert.equal(call("xor_rotr_left", 0x0f, 0x12345678), (0x78123456 ^ 0x0f) | 0); // 40 mod 32 = 8
  assert.equal(call("row_major", 0, 2), 42);              // ((0 << 2) + 2 << 1) + 4 = 8
  assert.equal(call("row_major", 0x40000000, 2), 42);     // the inner shl wraps to 0
  assert.equal(call("row_major", 1, -2), 42);             // (4 - 2) << 1 + 4: the add wraps
  assert.throws(() => call("row_major", 0x2000, 0), /out of bounds memory access/);
  const rotr = (x, k) => ((x >>> (k & 31)) | (x << (32 - (k & 31)))) | 0;
  for (const x of [1, 0x80000000, 0x6a09e667, -1]) assert.equal(call("sigma", x), rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 54), `sigma(${x})`);
  assert.equal(call("copies_in_order", 3, 4), 37);        // (a, b) = (b, a): 4 * 10 - 3
  assert.equal(call("swap_via_stack", 3, 4), 37);
});

test("constants on either side", () => {
  assert.equal(call("sub_const", 1), 1 - -2147483648 | 0);
  assert.equal(call("const_sub", 3), 7);
  assert.equal(call("const_shl", 33), 2);
  assert.equal(call("const_left_temp"), 1);
  assert.equal(call("const_left_temp"), 2);
});

test("fused compare and branch", () => {
  assert.equal(call("if_lt_u", 1, -1), 1);
  assert.equal(call("if_lt_u", -1, 1), 0);
  assert.equal(call("if_ge_s_imm", -1), 1);
  assert.equal(call("if_ge_s_imm", -2), 0);
  assert.equal(call("brif_eqz", 0), 7);
  assert.equal(call("brif_eqz", 5), 9);
  assert.equal(call("tee_chain", 5), 30);
});

test("select on an i32.and with a constant", () => {
  // it is compiled as one op (compile/ir-ops.ts SelectAndImm), not an and and a select
  const number = (name) => Number(new RegExp(`\\b${name} = (\\d+)`).exec(readFileSync(new URL("../../assembly/compile/ir-ops.ts", import.meta.url), "utf8"))[1]);
  const crc = wabt.parseWat("crc.wat", `(module (func (export "f") (param i32) (result i32) (local i32)
    (select (i32.xor (local.tee 1 (i32.shr_u (local.get 0) (i32.const 1))) (i32.const -306674912)) (local.get 1)
      (i32.and (local.get 0) (i32.const 1)))))`).toBinary({}).buffer;
  const { code } = imageParts(Module.load(engine, crc).image());
  // the CRC step's select whose first value is the second xor a constant: one SelectXorAndImm
  assert.ok(code.includes(number("SelectXorAndImm")), "a SelectXorAndImm op");
  assert.ok(!code.includes(number("Select")) && !code.includes(number("I32AndImm")) && !code.includes(number("I32XorImm")), "no Select, no I32AndImm, no I32XorImm");
  // a select on an and whose first value is not such an xor stays a SelectAndImm
  const other = wabt.parseWat("sel.wat", `(module (func (export "f") (param i32 i32) (result i32)
    (select (i32.add (local.get 1) (i32.const 5)) (local.get 1) (i32.and (local.get 0) (i32.const 2)))))`).toBinary({}).buffer;
  assert.ok(imageParts(Module.load(engine, other).image()).code.includes(number("SelectAndImm")), "a SelectAndImm op");
  // one bitwise CRC-32 step by hand: x & 1 ? (x >>> 1) ^ 0xEDB88320 : x >>> 1
  const step = (x) => ((x & 1) ? ((x >>> 1) ^ 0xEDB88320) : (x >>> 1)) | 0;
  for (const x of [0, 1, 2, 3, 0xffffffff | 0, 0x80000001 | 0, 0x12345678]) assert.equal(call("crc_step", x), step(x), `crc_step(${x})`);
  for (const x of [0, 8, 0x12345678, 0xffffffff | 0]) {
    for (const c of [0, 1, 0x80000000 | 0, 0x7fffffff]) {
      const t = x >>> 3;
      assert.equal(call("cond_xor", x, c), ((c & 0x80000000) ? (t ^ 0x80000001) : t) | 0, `cond_xor(${x}, ${c})`);
      assert.equal(call("cond_xor_other", x, c), (c & 1) ? (x ^ 6) : 9, `cond_xor_other(${x}, ${c})`);
    }
  }
  assert.equal(call("select_and_temp", 4, 5, 0x80000000 | 0), 5);  // top bit set: the first
  assert.equal(call("select_and_temp", 4, 5, 0x7fffffff), 15);     // clear: the second
  assert.equal(inst.invoke("select_and_i64", [1n << 40n, -1n, 4])[0], 1n << 40n); // 8 bytes move
  assert.equal(inst.invoke("select_and_i64", [1n << 40n, -1n, 9])[0], -1n);
});

test("a shr_u by a constant under an and with a constant (a bit field)", () => {
  const number = (name) => Number(new RegExp(`\\b${name} = (\\d+)`).exec(readFileSync(new URL("../../assembly/compile/ir-ops.ts", import.meta.url), "utf8"))[1]);
  const f = wabt.parseWat("field.wat", `(module (func (export "f") (param i32) (result i32)
    (i32.and (i32.shr_u (local.get 0) (i32.const 8)) (i32.const 255))))`).toBinary({}).buffer;
  const { code } = imageParts(Module.load(engine, f).image());
  assert.ok(code.includes(number("I32ShrUAndImm")), "an I32ShrUAndImm op");
  assert.ok(!code.includes(number("I32ShrUImm")) && !code.includes(number("I32AndImm")), "no I32ShrUImm, no I32AndImm");
  // by hand: unsigned shift, count mod 32, then the mask
  for (const x of [0, 1, 0x1234abcd, 0xffffffff | 0, 0x80000000 | 0]) {
    assert.equal(call("shr_and", x), (x >>> 8) & 255, `shr_and(${x})`);
    assert.equal(call("shr_and_33", x), (x >>> 1) | 0, `shr_and_33(${x})`);
    assert.equal(call("shr_and_left", x), (x >>> 31) & 1, `shr_and_left(${x})`);
    assert.equal(call("shr_and_tee", x), (((x >>> 4) & 15) + (x >>> 4)) | 0, `shr_and_tee(${x})`);
  }
});

test("stores with a folded address or a constant value", () => {
  assert.equal(call("store_wrap", -8, 0x1ff), 0xff);          // (-8 + 32) wraps to 24; one byte stored
  assert.throws(() => call("store_wrap_off", -8), /out of bounds memory access/); // 24 + 65512 + 1 > 65536
  assert.equal(inst.invoke("store_shl_k", [2])[0], 0x123456789abcdef0n);  // (2 << 3) + 64 + 8 = 88
  assert.equal(inst.invoke("store_shl_k", [0x20000002])[0], 0x123456789abcdef0n); // the shl wraps
  assert.throws(() => inst.invoke("store_shl_k", [8190]), /out of bounds memory access/);
  // bytes 0-1 of -1, 2-3 = 0x2345 (16 bits of 0x12345), 4-7 = -0.0f's bits 0x80000000
  assert.equal(inst.invoke("store_k_sizes", [256])[0], BigInt.asIntN(64, 0x800000002345ffffn));
  assert.equal(call("store_k_plain", 300), 7);
});

test("every fused form survives a snapshot and restore into a fresh interpreter at every unit of fuel", () => {
  // restore checks that the position is an op boundary (irWords): a wrong
  // length for any fused op would refuse these snapshots
  // [name, args, the result by hand (as in the test above)]
  const rotr = (x, k) => ((x >>> (k & 31)) | (x << (32 - (k & 31)))) | 0;
  const cases = [
    ["load_shl_add", [1], 42], ["load_shl_tee", [1], 42 + 4], ["add_shl", [5, 2], 21], ["add_shl_left", [5, 2], 21], ["xor_rotr", [0x0f, 0x12345678], (0x78123456 ^ 0x0f) | 0],
    ["xor_rotr_left", [0x0f, 0x12345678], (0x78123456 ^ 0x0f) | 0], ["row_major", [1, -2], 42],
    ["sigma", [0x6a09e667], rotr(0x6a09e667, 2) ^ rotr(0x6a09e667, 13) ^ rotr(0x6a09e667, 54)],
    ["copies_in_order", [3, 4], 37], ["swap_via_stack", [3, 4], 37], ["if_lt_u", [1, -1], 1],
    ["crc_step", [3], ((3 >>> 1) ^ 0xEDB88320) | 0], ["select_and_temp", [4, 5, 0x7fffffff], 15],
    ["store_wrap", [-8, 0x1ff], 0xff], ["store_k_plain", [300], 7],
    ["shr_and", [0x1234abcd], 0xab], ["shr_and_left", [-1], 1], ["cond_xor", [0x12345678, -1], ((0x12345678 >>> 3) ^ 0x80000001) | 0],
  ];
  let migrations = 0;
  for (const [name, args, want] of cases) {
    const got = inst.invoke(name, args, { fuelSlice: 1, onSlice: (e) => { e.migrate(); migrations++; } })[0];
    assert.equal(got, want, name);
  }
  assert.ok(migrations > 20, `${migrations} migrations`);
});

// SIMD: a v128.load's address add/shl folds in (V128LoadAdd), and extOp runs
// a whole run of consecutive extension ops in one call (docs/internal-code.md
// "Runs of extension ops"): a trap inside a run is reported at its own op.
const simdEngine = new Engine({ log: false });
const simdBytes = wabt.parseWat("simd.wat", `
(module (memory 1) (data (i32.const 8) "\\2a\\00\\00\\00\\07")
  (func (export "v_wrap") (param i32) (result i32) (i32x4.extract_lane 0 (v128.load (i32.add (local.get 0) (i32.const 16)))))
  (func (export "v_wrap_off") (param i32) (result i32) (i32x4.extract_lane 0 (v128.load offset=65520 (i32.add (local.get 0) (i32.const 16)))))
  (func (export "v_shl") (param i32) (result i32) (i32x4.extract_lane 1 (v128.load (i32.add (i32.shl (local.get 0) (i32.const 2)) (i32.const 4)))))
  ;; a run of four extension ops, the third traps when the address is high: fuel up to and including it
  (func (export "v_run") (param i32) (result i32)
    (i32x4.extract_lane 0 (i32x4.add (v128.load offset=8 (i32.const 0)) (v128.load (local.get 0)))))
  ;; local.set/tee of a v128 result: the op writes the local itself (no Copy), unless the local is still read lazily below
  (func (export "v_acc") (param i32) (result i32) (local v128 v128)
    (local.set 2 (v128.const i32x4 1 2 3 4))
    (local.set 1 (i32x4.add (local.get 1) (v128.load (i32.add (local.get 0) (i32.const 8)))))
    (local.set 1 (i32x4.mul (local.get 1) (local.get 2)))
    (local.set 1 (v128.load (i32.add (local.get 0) (i32.const 4))))
    (i32x4.extract_lane 1 (local.get 1)))
  (func (export "v_acc2") (param i32) (result i32) (local v128)
    (local.set 1 (v128.load offset=8 (local.get 0)))
    (local.set 1 (i32x4.mul (local.get 1) (local.get 1)))
    (i32x4.extract_lane 0 (local.get 1)))
  (func (export "v_tee") (result i32) (local v128)
    (i32x4.extract_lane 1 (i32x4.add (local.tee 0 (i32x4.mul (v128.const i32x4 1 2 3 4) (v128.const i32x4 5 6 7 8))) (local.get 0))))
  (func (export "v_lazy") (result i32) (local v128)
    (local.set 0 (v128.const i32x4 10 20 30 40))
    (local.get 0)
    (local.set 0 (i32x4.add (local.get 0) (local.get 0)))
    (i32x4.extract_lane 2 (i32x4.sub (local.get 0))))
  (func (export "i_run") (param i32) (result i32)
    (i32.add (i32.load offset=8 (i32.const 0)) (i32.load (local.get 0)))))
`, { simd: true }).toBinary({}).buffer;
const simdInst = Instance.instantiate(Module.load(simdEngine, simdBytes), {});
const vcall = (name, ...args) => simdInst.invoke(name, args)[0];

test("a v128.load with its address add or shl folded in", () => {
  const irExt = (name) => Number(new RegExp(`\\b${name} = (\\d+)`).exec(readFileSync(new URL("../../assembly/compile/ir-ops.ts", import.meta.url), "utf8"))[1]);
  const { code } = imageParts(Module.load(simdEngine, simdBytes).image());
  assert.ok(code.includes((255 | irExt("V128LoadAdd") << 8) >>> 0), "a V128LoadAdd op");
  assert.equal(vcall("v_wrap", -8), 42);                  // (-8 + 16) wraps to 8
  assert.equal(vcall("v_wrap", -4), 7);                   // 12: lane 0 = bytes 12..15
  assert.throws(() => vcall("v_wrap_off", -8), /out of bounds memory access/); // 8 + 65520 + 16 > 65536
  assert.equal(vcall("v_wrap_off", -16), 0);              // 0 + 65520: the last 16 bytes
  assert.equal(vcall("v_shl", 1), 7);                     // (1 << 2) + 4 = 8, lane 1 = bytes 12..15
  assert.equal(vcall("v_shl", 0x40000001), 7);            // the shl wraps
});

test("a trap inside a run of extension ops charges fuel up to its own op", () => {
  const BIG = 10n ** 9n;
  const used = (f, a) => {
    try { simdInst.invoke(f, [a], { fuel: BIG }); } catch (e) { assert.match(e.message, /out of bounds memory access/); }
    return Number(BIG - simdEngine.raw.wrt_fuel_left());
  };
  // by hand: i32.const, v128.load, local.get, v128.load (traps) = 4; finishing adds i32x4.add, extract_lane, end = 7
  assert.equal(used("v_run", 65530), 4);
  assert.equal(used("v_run", 0), 7);
  assert.equal(used("i_run", 65534), 4);                  // the core twin, the same count
  assert.equal(vcall("v_run", 0), 42);                    // 42 + bytes 0..3
  assert.equal(vcall("v_run", 8), 42 + 42);
  // sliced at every unit with a snapshot and restore each time: the run stops at every Halt
  let migrations = 0;
  assert.equal(simdInst.invoke("v_run", [9], { fuelSlice: 1, onSlice: (e) => { e.migrate(); migrations++; } })[0], 42 + (7 << 24)); // bytes 9..12
  assert.ok(migrations >= 6, `${migrations} migrations`);
});

test("local.set and local.tee of a v128 result", () => {
  const number = (name) => Number(new RegExp(`\\b${name} = (\\d+)`).exec(readFileSync(new URL("../../assembly/compile/ir-ops.ts", import.meta.url), "utf8"))[1]);
  const one = wabt.parseWat("acc.wat", `(module (memory 1) (func (export "f") (param i32) (result i32) (local v128)
    (local.set 1 (i32x4.add (local.get 1) (v128.load (local.get 0))))
    (local.set 1 (i32x4.mul (local.get 1) (local.get 1)))
    (i32x4.extract_lane 0 (local.get 1))))`, { simd: true }).toBinary({}).buffer;
  const { code } = imageParts(Module.load(simdEngine, one).image());
  // the add's and the mul's result word (the word after the op word) is local 1's slot, byte 8 (after the i32 param)
  for (const op of ["I32x4Add", "I32x4Mul"]) {
    const at = code.indexOf((255 | number(op) << 8) >>> 0);
    assert.ok(at > 0 && code[at + 1] == 8, `${op} writes local 1 itself`);
  }
  assert.equal(vcall("v_acc", 0), 42);                  // (0, 42, 7, 0) loaded from 4 last, lane 1
  assert.equal(vcall("v_acc2", 0), 42 * 42);            // (42, 7, 0, 0) squared, lane 0
  assert.equal(vcall("v_tee"), 2 * 12);                 // tee'd (5, 12, 21, 32), lane 1 doubled
  assert.equal(vcall("v_lazy"), 30 - 60);               // the stacked local.get sees the old value
});
