// F64MulLoads (docs/internal-code.md, "Products of loads"): `f64.mul` of two
// f64 loads in a row is one op, which may also add a value (`s += a[i] *
// b[j]`). It must keep Wasm's meaning at every edge: results bit for bit as
// V8's (NaNs canonical), addresses that wrap at 32 bits before the offset,
// and a trap in either load charging and reporting what the unfused code
// does. The reference for the traps is the same function with f64.add in the
// mul's place (one byte, same position, same cost; f64.add of two loads is
// not fused), and the independent fuel count (fuzz/lib/fuel-oracle.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import wabtInit from "wabt";
import { Engine, Module, Instance, WrtTrap } from "../../host-shims/node/dist/index.js";
import { instrument } from "../../fuzz/lib/fuel-oracle.mjs";
import { imageParts, buildImage } from "./support.mjs";

const wabt = await wabtInit();
const OP = "f64.mul";
// each function returns its result's bits; `put` fills memory
const wat = (op) => `(module (memory 1)
  (func (export "put") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
  ;; two plain loads, the second with an offset
  (func (export "plain") (param i32 i32) (result i64)
    (i64.reinterpret_f64 (${op} (f64.load (local.get 0)) (f64.load offset=8 (local.get 1)))))
  ;; addresses folded in: x + imm (wrapping at 32 bits), then (i << 3) + imm
  (func (export "folded") (param i32 i32) (result i64)
    (i64.reinterpret_f64 (${op} (f64.load (i32.add (local.get 0) (i32.const 16)))
      (f64.load offset=4 (i32.add (i32.shl (local.get 1) (i32.const 3)) (i32.const 24))))))
  ;; the product added to a local, on either side, and kept in it
  (func (export "acc") (param i32 i32 f64) (result i64)
    (local.set 2 (f64.add (local.get 2) (${op} (f64.load (local.get 0)) (f64.load (local.get 1)))))
    (i64.reinterpret_f64 (local.get 2)))
  (func (export "acc_right") (param i32 i32 f64) (result i64)
    (i64.reinterpret_f64 (f64.add (${op} (f64.load (local.get 0)) (f64.load (local.get 1))) (local.get 2))))
  ;; a dot product: the loop's step is one op plus the add into the sum
  (func (export "dot") (param i32 i32 i32) (result i64) (local f64)
    (block $out (loop $l
      (br_if $out (i32.eqz (local.get 2)))
      (local.set 3 (f64.add (local.get 3) (${op} (f64.load (local.get 0)) (f64.load (local.get 1)))))
      (local.set 0 (i32.add (local.get 0) (i32.const 8)))
      (local.set 1 (i32.add (local.get 1) (i32.const 8)))
      (local.set 2 (i32.sub (local.get 2) (i32.const 1)))
      (br $l)))
    (i64.reinterpret_f64 (local.get 3))))`;
const bytes = (op) => wabt.parseWat("m.wat", wat(op)).toBinary({}).buffer;
const MUL = bytes(OP), ADD = bytes("f64.add");
const CANON = 0x7ff8000000000000n;
const isNaN64 = (b) => (b & 0x7ff0000000000000n) === 0x7ff0000000000000n && (b & 0xfffffffffffffn) !== 0n;

const engines = [["wasm", {}]];
if (existsSync(new URL("../../build/wrt-native", import.meta.url))) engines.push(["native", { engine: "native" }]);

test("f64.mul of two loads is one F64MulLoads (with the add, too)", () => {
  const number = (name) => Number(new RegExp(`\\b${name} = (\\d+)`).exec(readFileSync(new URL("../../assembly/compile/ir-ops.ts", import.meta.url), "utf8"))[1]);
  const engine = new Engine({ log: false });
  const { code } = imageParts(Module.load(engine, MUL).image());
  assert.ok(code.includes(number("F64MulLoads")), "an F64MulLoads op");
  assert.ok(!code.includes(number("F64Mul")) && !code.includes(number("F64MulAdd")), "no F64Mul, no F64MulAdd");
  engine.close?.();
});

// bit patterns: signed zeros, infinities, NaNs with payloads and signs, subnormals, ordinary values
const PATTERNS = [0n, 0x8000000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000001n,
  0xfff4000000000abcn, 0x0000000000000001n, 0x3ff0000000000000n, 0xc00921fb54442d18n, 0x7fefffffffffffffn,
  0x3fb999999999999an, 0xbfe0000000000000n];

for (const [name, opts] of engines) {
  test(`${name}: results bit for bit as V8's, NaNs canonical`, () => {
    const engine = new Engine({ ...opts, log: false });
    const wrt = Instance.instantiate(Module.load(engine, MUL), {});
    const v8 = new WebAssembly.Instance(new WebAssembly.Module(MUL)).exports;
    let seed = 7;
    const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed; };
    // memory: words 0..63 hold the patterns and random bits
    for (let i = 0; i < 64; i++) {
      const v = i < PATTERNS.length ? PATTERNS[i] : (BigInt(rnd()) << 32n | BigInt(rnd())) & 0xffffffffffffffffn;
      const signed = BigInt.asIntN(64, v);
      wrt.invoke("put", [i * 8, signed]);
      v8.put(i * 8, signed);
    }
    const norm = (b) => (isNaN64(b) ? CANON : b);
    const bits = (x) => BigInt.asUintN(64, BigInt(x));
    let n = 0;
    for (let i = 0; i < 30; i++) {
      for (let j = 0; j < 30; j++) {
        const a = i * 8, b = j * 8;
        const sum = [0, -0, 1.5, Infinity, NaN][(i + j) % 5];
        for (const [f, args] of [["plain", [a, b]], ["folded", [a, j]], ["acc", [a, b, sum]], ["acc_right", [a, b, sum]]]) {
          const want = norm(bits(v8[f](...args)));
          assert.equal(bits(wrt.invoke(f, args)[0]), want, `${f}(${args.join(", ")})`);
          n++;
        }
      }
    }
    assert.equal(bits(wrt.invoke("dot", [0, 256, 24])[0]), norm(bits(v8.dot(0, 256, 24))));
    // an address that wraps: (0xfffffff8 + 16) is 8 in 32 bits
    assert.equal(bits(wrt.invoke("folded", [-8, 0])[0]), norm(bits(v8.folded(-8, 0))));
    assert.ok(n > 3000);
    engine.close?.();
  });

  test(`${name}: a trap in either load charges and reports what the unfused code does, however sliced`, () => {
    const raw = (f, args) => args.map((x, k) => (k === 2 && f.startsWith("acc") ? 0x3ff0000000000000n : BigInt(x >>> 0)));
    // the call in slices of `slice` fuel, resumed until it traps: the trap's offset and the fuel it used in all
    const run = (buf, f, args, slice) => {
      const engine = new Engine({ ...opts, log: false });
      const inst = Instance.instantiate(Module.load(engine, buf), {});
      let used = 0n;
      try {
        let r = inst.exports[f].callRaw(raw(f, args), slice);
        for (let i = 0; ; i++) {
          assert.ok(!r.done, `${f}(${args}) did not trap`);
          assert.ok(i < 1000, `${f}(${args}): slices of ${slice} make no progress`);
          used += BigInt(slice) - BigInt(engine.raw.wrt_fuel_left());
          r = r.resume(slice);
        }
      } catch (e) {
        assert.ok(e instanceof WrtTrap, String(e));
        assert.match(e.message, /out of bounds memory access/);
        used += BigInt(slice) - BigInt(engine.raw.wrt_fuel_left());
        engine.close?.();
        return { offset: e.pc, func: e.func, used };
      }
    };
    const oracle = (buf, f, args) => {
      const counted = instrument(new Uint8Array(buf), "count");
      const inst = new WebAssembly.Instance(new WebAssembly.Module(counted));
      assert.throws(() => inst.exports[f](...args), WebAssembly.RuntimeError);
      return inst.exports.count.value;
    };
    const far = 70000; // past the one page
    const cases = [
      ["plain", [far, 0]], ["plain", [0, far]], ["plain", [far, far]], ["plain", [0, 65536 - 12]],
      ["folded", [65536 - 16, 0]], ["folded", [0, 8190]], ["folded", [-8, 8190]],
      ["acc", [far, 0, 1]], ["acc", [0, far, 1]], ["acc_right", [0, far, 1]],
      ["dot", [65536 - 24, 0, 8]], ["dot", [0, 65536 - 16, 8]],
    ];
    const offsets = new Set();
    for (const [f, args] of cases) {
      const fused = run(MUL, f, args, 1000), plain = run(ADD, f, args, 1000);
      assert.equal(fused.offset, plain.offset, `${f}(${args}): the trapping instruction's offset`);
      assert.equal(fused.used, plain.used, `${f}(${args}): fuel charged`);
      assert.equal(fused.used, oracle(MUL, f, args), `${f}(${args}): the fuel oracle's count`);
      offsets.add(`${fused.func}:${fused.offset}`);
      assert.ok(fused.offset > 0, `${f}(${args}): a trap offset`);
      // a slice may stop before the fused op (its instructions are paid together), never changing the total
      for (const slice of [12, 13, 15, 17, 23]) { // at least the fused op's cost, or no slice makes progress
        const sliced = run(MUL, f, args, slice);
        assert.deepEqual(sliced, fused, `${f}(${args}) in slices of ${slice}`);
      }
    }
    assert.ok(offsets.size >= 8, `traps in both loads of several functions: offsets ${[...offsets]}`);
  });
}

test("a crafted image's refunds and meta words give back no more fuel than the op paid", () => {
  const number = Number(/\bF64MulLoads = (\d+)/.exec(readFileSync(new URL("../../assembly/compile/ir-ops.ts", import.meta.url), "utf8"))[1]);
  const parts = imageParts(Module.load(new Engine({ log: false }), MUL).image());
  const at = parts.code.indexOf(number); // "plain": [op dst xa imma offa xb immb offb c meta refunds]
  assert.ok(at >= 0);
  const budget = 1000;
  const trap = (code, args) => {
    const engine = new Engine({ log: false, allowImages: true });
    const inst = Instance.instantiate(Module.load(engine, buildImage({ ...parts, code })), {});
    assert.throws(() => inst.exports.plain.callRaw(args, budget), (e) => e instanceof WrtTrap && /out of bounds/.test(e.message));
    const left = BigInt(engine.raw.wrt_fuel_left());
    engine.close?.();
    return left;
  };
  const honest = [trap(parts.code, [70000n, 0n]), trap(parts.code, [0n, 70000n])];
  const code = parts.code.slice();
  code[at + 10] = 0xffffffff; // refunds: far more than the op's share
  code[at + 9] = 0xfffffc00;  // meta: ADD and the largest offset distance (shifts 0: the same addresses)
  for (const [k, args] of [[0, [70000n, 0n]], [1, [0n, 70000n]]]) {
    const left = trap(code, args);
    assert.ok(left <= BigInt(budget), `fuel left ${left} is within the budget`);
    assert.ok(left - honest[k] <= 5n, `at most the op's own share (5) more than the honest image gives back: ${left} vs ${honest[k]}`);
  }
});
