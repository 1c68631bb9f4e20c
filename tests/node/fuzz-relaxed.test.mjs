// Relaxed SIMD in the differential fuzzer (fuzz/README.md "Relaxed SIMD";
// fuzz/lib/relaxed.mjs, relaxed-checks.mjs). The checks V8 runs in place of
// each relaxed op must (1) return exactly what WRT's relaxed op computes
// (docs/determinism.md; NaN bits aside: V8's are the CPU's), checked here op
// by op on random and special operands against WRT itself, and (2) notice a
// value outside the spec's set: fed a wrong op instead of the relaxed one,
// each check raises its bit. Then a short seeded `ttf-relaxed` run: 0
// differences, and relaxed ops really compared.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import v8 from "node:v8";
import path from "node:path";
import { root, wat } from "./support.mjs";
import { RELAXED_OPS, checksWat } from "../../fuzz/lib/relaxed-checks.mjs";
import { Engine, Instance, Module } from "../../host-shims/node/dist/index.js";

// This Node's V8 (20) validates relaxed SIMD only with the flag (the fuzzer sets it in a child process).
v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
const RELAXED = { relaxed_simd: true };

// The relaxed op of each check, by its name in relaxed-checks.mjs.
const OP_TEXT = {
  swizzle: "i8x16.relaxed_swizzle", trunc_f32x4_s: "i32x4.relaxed_trunc_f32x4_s", trunc_f32x4_u: "i32x4.relaxed_trunc_f32x4_u",
  trunc_f64x2_s_zero: "i32x4.relaxed_trunc_f64x2_s_zero", trunc_f64x2_u_zero: "i32x4.relaxed_trunc_f64x2_u_zero",
  f32x4_madd: "f32x4.relaxed_madd", f32x4_nmadd: "f32x4.relaxed_nmadd", f64x2_madd: "f64x2.relaxed_madd", f64x2_nmadd: "f64x2.relaxed_nmadd",
  i8x16_laneselect: "i8x16.relaxed_laneselect", i16x8_laneselect: "i16x8.relaxed_laneselect",
  i32x4_laneselect: "i32x4.relaxed_laneselect", i64x2_laneselect: "i64x2.relaxed_laneselect",
  f32x4_min: "f32x4.relaxed_min", f32x4_max: "f32x4.relaxed_max", f64x2_min: "f64x2.relaxed_min", f64x2_max: "f64x2.relaxed_max",
  q15mulr: "i16x8.relaxed_q15mulr_s", dot: "i16x8.relaxed_dot_i8x16_i7x16_s", dot_add: "i32x4.relaxed_dot_i8x16_i7x16_add_s",
};
const OPS = [...RELAXED_OPS.values()];

/** Export fK: op K (or its check, imported from "c") on the v128s at 16, 32, 48; the result to 0. */
function driver(useChecks) {
  const operands = (n) => Array.from({ length: n }, (_, j) => `(v128.load (i32.const ${16 * (j + 1)}))`).join(" ");
  const imports = useChecks ? OPS.map((o) => `(import "c" "${o.name}" (func $${o.name} (param${" v128".repeat(o.arity)}) (result v128)))`) : [];
  const funcs = OPS.map((o, k) => `(func (export "f${k}") (v128.store (i32.const 0) (${useChecks ? `call $${o.name}` : OP_TEXT[o.name]} ${operands(o.arity)})))`);
  return wat(`(module ${imports.join("\n")} (memory (export "m") 1) ${funcs.join("\n")})`, { features: RELAXED });
}

// Operand words: random bits, and values at the edges (float infinities, NaNs, 2^31, -0, 0x80 bytes, ...).
const SPECIAL = [0, 0x80000000, 0x7fffffff, 0x7f800000, 0xff800000, 0x7fc00000, 0x4f000000, 0xcf000000, 0x4f800000, 0x3f800000,
  0xbf800000, 1, 0x80808080, 0x7f7f7f7f, 0xffffffff, 0x41f00000, 0xc1e00000, 0x80008000, 0x00ff00ff];

/** Lanes equal, a NaN lane matching any NaN (f32x4/f64x2 ops): WRT's NaNs are canonical, V8's the CPU's. */
function sameModNan(a, b, name) {
  if (a.equals(b)) return true;
  if (!/madd|min|max/.test(name)) return false;
  const w = name.startsWith("f64") ? 8 : 4;
  for (let i = 0; i < 16; i += w) {
    const x = w === 4 ? a.readFloatLE(i) : a.readDoubleLE(i), y = w === 4 ? b.readFloatLE(i) : b.readDoubleLE(i);
    if (!(Number.isNaN(x) && Number.isNaN(y)) && !a.subarray(i, i + w).equals(b.subarray(i, i + w))) return false;
  }
  return true;
}

test("relaxed checks: each returns WRT's relaxed result (its documented choice) for random and special operands", async () => {
  const checks = (await WebAssembly.instantiate(wat(checksWat(0), { features: RELAXED }))).instance;
  const inV8 = (await WebAssembly.instantiate(driver(true), { c: checks.exports })).instance.exports;
  const wrt = Instance.instantiate(Module.load(new Engine({ log: false }), driver(false)), {});
  let seed = 20261203;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const mem = new Uint8Array(inV8.m.buffer);
  for (let round = 0; round < 400; round++) {
    const operands = new Uint8Array(48);
    const dv = new DataView(operands.buffer);
    for (let i = 0; i < 48; i += 4) dv.setUint32(i, next() % 3 === 0 ? SPECIAL[next() % SPECIAL.length] : next(), true);
    mem.set(operands, 16);
    wrt.memory("m").write(16, operands);
    OPS.forEach((o, k) => {
      inV8[`f${k}`]();
      wrt.call(`f${k}`, [], 100_000n);
      const want = Buffer.from(mem.subarray(0, 16)), got = Buffer.from(wrt.memory("m").read(0, 16));
      assert.ok(sameModNan(got, want, o.name), `${OP_TEXT[o.name]} of ${Buffer.from(operands).toString("hex")}: WRT ${got.toString("hex")}, the check's choice ${want.toString("hex")}`);
    });
  }
});

test("relaxed checks: a value outside the spec's set raises the op's bit", async () => {
  // each relaxed op's value replaced by a wrong one (the bits of a, inverted): the check must see it
  const call = (op) => new RegExp(`\\(${op.replace(".", "\\.")} \\(local\\.get \\$a\\)(?: \\(local\\.get \\$[bc]\\))*\\)`);
  const broken = OPS.reduce((src, o) => src.replace(call(OP_TEXT[o.name]), "(v128.not (local.get $a))"), checksWat(0));
  assert.ok(OPS.every((o) => !broken.includes(OP_TEXT[o.name])), "every relaxed op replaced");
  const checks = (await WebAssembly.instantiate(wat(broken, { features: RELAXED }))).instance.exports;
  const inV8 = (await WebAssembly.instantiate(driver(true), { c: checks })).instance.exports;
  const operands = [0x3f800000, 0x40000000, 0xc0400000, 0x4f800000, 0x01020304, 0x7f7f7f7f, 0x80000000, 0x12345678, 5, 6, 7, 8];
  new Uint8Array(inV8.m.buffer).set(new Uint8Array(new Uint32Array(operands).buffer), 16);
  OPS.forEach((o, k) => {
    checks.outside.value = 0;
    inV8[`f${k}`]();
    assert.equal(checks.outside.value, 1 << k, `${o.name}: a wrong value not noticed`);
  });
});

test("differential fuzzing with relaxed SIMD (ttf-relaxed): 16 seeded modules, 0 differences", { timeout: 200_000 }, () => {
  const r = spawnSync(process.execPath, [path.join(root, "fuzz/run.mjs"), "--sources", "ttf-relaxed", "--seed", "20261203", "--modules", "16", "--seconds", "150"],
    { cwd: root, encoding: "utf8", timeout: 180_000 });
  const out = `${r.stdout}${r.stderr}`;
  const m = /^fuzz: (\d+) modules, (\d+) calls, (\d+) differences$/m.exec(r.stdout);
  assert.ok(m, out.slice(-3000));
  assert.equal(+m[3], 0, out.slice(-4000));
  assert.equal(r.status, 0, out.slice(-2000));
  assert.ok(+m[1] >= 16 && +m[2] >= 200, `only ${m[1]} modules, ${m[2]} calls`);
  const relaxed = /relaxed SIMD: (\d+) modules with relaxed ops/.exec(r.stdout);
  assert.ok(relaxed && +relaxed[1] >= 4, `relaxed ops in only ${relaxed?.[1]} modules`);
});
