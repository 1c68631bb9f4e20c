// The v128 semantics functions (assembly/exec/simd/*.ts) against V8's own
// SIMD, op by op: every row of scripts/isa/simd.mjs runs in a one-op Wasm
// module in V8 and through its semantics function (a harness built from the
// same rows with asc), on random and special operands, and the results (and
// traps, and memory after stores) must agree bit for bit, except that where
// V8 gives an arithmetic NaN WRT must give the canonical one
// (docs/determinism.md). Relaxed rows are compared with V8 running the
// composition of non-relaxed ops that docs/determinism.md says WRT computes.
//
// (IR-only rows, the v128 global moves, are covered by the spec suites.)
// Each case runs with the operand layouts the compiler produces: operands
// contiguous on the stack with the result on the first one (`stack`), the
// result in a slot of its own (`apart`), and the result on the second v128
// operand (`alias`, a local.set retargeted onto an operand's local).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { root } from "./support.mjs";
import { ops as simdOps } from "../../scripts/isa/simd.mjs";
import { ops as relaxedOps } from "../../scripts/isa/simd-relaxed.mjs";

const CASES = Number(process.env.WRT_SIMD_CASES ?? 60);
const SEED = Number(process.env.WRT_SIMD_SEED ?? 0x5eed);

// ------------------------------------------------------------------ rows

const parseSig = (sig) => {
  const [p, r] = sig.split("->").map((s) => s.trim().split(/\s+/).filter(Boolean));
  return { params: p, results: r };
};
const immOf = (s) => { const [name, arg] = s.split(":"); return { name, arg: Number(arg ?? 0) }; };
const rows = [...simdOps, ...relaxedOps].filter((r) => r.wasm).map((r, x) => ({ ...r, x, ...parseSig(r.sig), imm: (r.imm ?? []).map(immOf) }));
const isMem = (r) => r.imm.some((i) => i.name == "memarg");

// ------------------------------------------------------------------ the harness (asc)

// Harness memory: BUF (256 bytes) holds the slots, IMM the immediates' words,
// and a 64 KiB guest memory (MEM) for the memory rows.
//   set(layout) puts the result and operand slots; run(x) calls row x.
function harnessSource() {
  const lines = [
    `import { Trap } from "../../assembly/exec/trap";`,
    `import * as S from "../../assembly/exec/simd/ops";`,
    `export const BUF: usize = memory.data(256, 16);`,
    `export const IMM: usize = memory.data(64, 16);`,
    `export const MEM: usize = memory.data(65536, 16);`,
    `/** Slot offsets in BUF: result, then operands 0..2. */`,
    `export const SLOTS: usize = memory.data(16, 4);`,
    `@inline function s(i: usize): usize { return BUF + <usize>load<u32>(SLOTS + (i << 2)); }`,
    `export function run(x: i32): i32 {`,
    `  switch (x) {`,
  ];
  for (const r of rows) {
    const args = [];
    if (isMem(r)) args.push("MEM", "65536");
    let slot = 0;
    for (let i = 0; i < r.results.length; i++) args.push(`s(${slot++})`);
    slot = 1;
    for (let i = 0; i < r.params.length; i++) args.push(`s(${slot++})`);
    let w = 0;
    for (const im of r.imm) {
      if (im.name == "v128" || im.name == "lanes16") { args.push(`IMM + ${w * 4}`); w += 4; }
      else { args.push(`load<u32>(IMM, ${w * 4})`); w += 1; }
    }
    const call = `S.${r.sem}(${args.join(", ")})`;
    lines.push(r.traps ? `    case ${r.x}: return <i32>${call};` : `    case ${r.x}: { ${call}; return 0; }`);
  }
  lines.push(`  }`, `  return -1;`, `}`);
  return lines.join("\n") + "\n";
}

function buildHarness() {
  const dir = path.join(root, "build", "simd-harness");
  mkdirSync(dir, { recursive: true });
  const src = path.join(dir, "harness.ts");
  writeFileSync(src, harnessSource());
  const out = path.join(dir, "harness.wasm");
  execFileSync(path.join(root, "node_modules/.bin/asc"), [
    path.relative(root, src), "assembly/abort.ts", "--runtime", "minimal", "--use", "abort=assembly/abort/wrtAbort",
    "-O3", "--noAssert", "-o", path.relative(root, out),
  ], { cwd: root, stdio: "pipe" });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(out)), {
    wrt: { abort: () => { throw new Error("harness abort"); }, log: () => {} },
    env: { abort: () => { throw new Error("harness abort"); } },
  });
  return inst.exports;
}

// ------------------------------------------------------------------ V8 modules

const leb = (n) => { const b = []; do { let x = n & 0x7f; n >>>= 7; if (n) x |= 0x80; b.push(x); } while (n); return b; };
/** Signed LEB128 (i32.const). */
const sleb = (n) => { const b = []; for (;;) { const x = n & 0x7f; n >>= 7; if ((n == 0 && !(x & 0x40)) || (n == -1 && (x & 0x40))) { b.push(x); return b; } b.push(x | 0x80); } };
const VT = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };
const LOAD = { i32: [0x28, 2], i64: [0x29, 3], f32: [0x2a, 2], f64: [0x2b, 3] };
const STORE = { i32: [0x36, 2], i64: [0x37, 3], f32: [0x38, 2], f64: [0x39, 3] };
const simd = (code, ...imm) => [0xfd, ...leb(code), ...imm];
const memarg = (align, off) => [...leb(align), ...leb(off)];

// V8 memory: operand k at 32 + 16k, the result at 0; the memory rows address anything.
const OPND = (k) => 32 + 16 * k;
function pushOperand(t, k) {
  if (t == "v128") return [0x41, ...sleb(OPND(k)), ...simd(0x00, ...memarg(4, 0))];
  const [op, al] = LOAD[t];
  return [0x41, ...sleb(OPND(k)), op, al, 0];
}
// ------------------------------------------------------------------ random operands

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}
const F32_SPECIAL = [0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fa00001, 0x3f800000, 0xbf800000,
  0x3f000000, 0x3fc00000, 0x4f000000, 0xcf000000, 0x4f800000, 0x00000001, 0x7f7fffff, 0x4b000001, 0xbf400000];
const F64_SPECIAL = [0n, 0x8000000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n,
  0xfff8000000000000n, 0x7ff4000000000001n, 0x3ff0000000000000n, 0x41e0000000000000n, 0xc1e0000000000000n,
  0x41f0000000000000n, 0x3fe0000000000000n, 0x3ff8000000000000n, 0x0000000000000001n, 0xc1e0000000200000n];
const INT_SPECIAL = [0, 1, 0xff, 0x80, 0x7f, 0xffff, 0x8000, 0x7fff, 0xffffffff, 0x80000000, 0x7fffffff];

/** 16 random bytes, sometimes built from special lane values of one shape. */
function randomV128(next) {
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  const mode = next() % 5;
  for (let i = 0; i < 16; i += 4) dv.setUint32(i, next(), true);
  if (mode == 1) for (let i = 0; i < 16; i += 4) if (next() & 1) dv.setUint32(i, F32_SPECIAL[next() % F32_SPECIAL.length], true);
  if (mode == 2) for (let i = 0; i < 16; i += 8) if (next() & 1) dv.setBigUint64(i, F64_SPECIAL[next() % F64_SPECIAL.length], true);
  if (mode == 3) for (let i = 0; i < 16; i += 4) if (next() & 1) dv.setUint32(i, INT_SPECIAL[next() % INT_SPECIAL.length], true);
  if (mode == 4) for (let i = 0; i < 16; i++) if (next() & 1) b[i] = [0, 0x7f, 0x80, 0xff, 1][next() % 5];
  return b;
}
function randomScalar(next, t, memRow) {
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  if (t == "i32" && memRow) {
    // addresses: low, near the end of the page, past it
    const pick = next() % 4;
    dv.setUint32(0, pick == 0 ? next() % 512 : pick == 1 ? 65536 - (next() % 24) : pick == 2 ? 65536 + (next() % 8) : next(), true);
  } else if (t == "f32") dv.setUint32(0, next() & 1 ? F32_SPECIAL[next() % F32_SPECIAL.length] : next(), true);
  else if (t == "f64") dv.setBigUint64(0, next() & 1 ? F64_SPECIAL[next() % F64_SPECIAL.length] : (BigInt(next()) << 32n) | BigInt(next()), true);
  else if (t == "i32") dv.setUint32(0, next() & 1 ? INT_SPECIAL[next() % INT_SPECIAL.length] : next() % 3 ? next() % 200 : next(), true);
  else { dv.setUint32(0, next(), true); dv.setUint32(4, next(), true); }
  return b;
}

function immBytes(next, r) {
  const insn = [];
  const words = [];
  for (const im of r.imm) {
    if (im.name == "memarg") {
      const off = [0, 1, 7, 16, 65520, next() % 4096][next() % 6];
      insn.push(...memarg(0, off)); words.push(off);
    } else if (im.name == "lane") {
      const l = next() % im.arg; insn.push(l); words.push(l);
    } else {
      const b = [];
      for (let i = 0; i < 16; i++) b.push(im.name == "lanes16" ? next() % im.arg : next() & 0xff);
      insn.push(...b);
      for (let i = 0; i < 16; i += 4) words.push((b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0);
    }
  }
  return { insn, words };
}

// ------------------------------------------------------------------ the oracle per row

/** Rows whose float results are arithmetic NaNs in V8 and canonical in WRT: the result's lane width. */
const CANON = new Map();
for (const w of ["add", "sub", "mul", "div", "min", "max", "sqrt", "ceil", "floor", "trunc", "nearest", "relaxed_madd", "relaxed_nmadd", "relaxed_min", "relaxed_max"]) {
  CANON.set(`f32x4.${w}`, 4); CANON.set(`f64x2.${w}`, 8);
}
CANON.set("f32x4.demote_f64x2_zero", 4);
CANON.set("f64x2.promote_low_f32x4", 8);

/** V8 instruction bytes computing what WRT's row computes (for relaxed rows: the documented composition). */
function oracleInsn(r, imm) {
  if (r.code < 0x100) return simd(r.code, ...imm);
  const shuf = (lanes) => simd(0x0d, ...lanes);
  const even16 = [0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29];
  const odd16 = even16.map((b) => b + 2);
  const even32 = [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27];
  const odd32 = even32.map((b) => b + 4);
  // operands are reloaded from memory (32, 48, 64) where a composition needs them twice
  const op = (k) => pushOperand("v128", k);
  switch (r.wasm) {
    case "i8x16.relaxed_swizzle": return simd(0x0e);
    case "i32x4.relaxed_trunc_f32x4_s": return simd(0xf8);
    case "i32x4.relaxed_trunc_f32x4_u": return simd(0xf9);
    case "i32x4.relaxed_trunc_f64x2_s_zero": return simd(0xfc);
    case "i32x4.relaxed_trunc_f64x2_u_zero": return simd(0xfd);
    case "f32x4.relaxed_madd": return [0x1a, 0x1a, 0x1a, ...op(0), ...op(1), ...simd(0xe6), ...op(2), ...simd(0xe4)];
    case "f32x4.relaxed_nmadd": return [0x1a, 0x1a, 0x1a, ...op(0), ...simd(0xe1), ...op(1), ...simd(0xe6), ...op(2), ...simd(0xe4)];
    case "f64x2.relaxed_madd": return [0x1a, 0x1a, 0x1a, ...op(0), ...op(1), ...simd(0xf2), ...op(2), ...simd(0xf0)];
    case "f64x2.relaxed_nmadd": return [0x1a, 0x1a, 0x1a, ...op(0), ...simd(0xed), ...op(1), ...simd(0xf2), ...op(2), ...simd(0xf0)];
    case "i8x16.relaxed_laneselect": case "i16x8.relaxed_laneselect":
    case "i32x4.relaxed_laneselect": case "i64x2.relaxed_laneselect": return simd(0x52);
    case "f32x4.relaxed_min": return simd(0xe8);
    case "f32x4.relaxed_max": return simd(0xe9);
    case "f64x2.relaxed_min": return simd(0xf4);
    case "f64x2.relaxed_max": return simd(0xf5);
    case "i16x8.relaxed_q15mulr_s": return simd(0x82);
    case "i16x8.relaxed_dot_i8x16_i7x16_s":
      // i8 products (exact in i16), then adjacent pairs added with 16-bit wrap
      return [0x1a, 0x1a, ...op(0), ...op(1), ...simd(0x9c), ...op(0), ...op(1), ...simd(0x9d), 0x21, 0, 0x22, 1,
        0x20, 0, ...shuf(even16), 0x20, 1, 0x20, 0, ...shuf(odd16), ...simd(0x8e)];
    case "i32x4.relaxed_dot_i8x16_i7x16_add_s":
      // i8 products (i16), pairs summed exactly (i32 extadd), then adjacent i32 pairs, then + c
      return [0x1a, 0x1a, 0x1a, ...op(0), ...op(1), ...simd(0x9c), ...simd(0x7e), ...op(0), ...op(1), ...simd(0x9d), ...simd(0x7e),
        0x21, 0, 0x22, 1, 0x20, 0, ...shuf(even32), 0x20, 1, 0x20, 0, ...shuf(odd32), ...simd(0xae), ...op(2), ...simd(0xae)];
  }
  throw new Error(`no oracle for ${r.wasm}`);
}

/** The V8 module of a row; relaxed compositions need two v128 scratch locals (0, 1). */
function v8ModuleFor(r, imm) {
  const insn = oracleInsn(r, imm);
  const body = [];
  for (let k = 0; k < r.params.length; k++) body.push(...pushOperand(r.params[k], k));
  body.push(...insn);
  const res = r.results[0];
  // locals: 0, 1 v128 scratch (relaxed compositions), 2 the result
  const locals = res ? [2, 2, VT.v128, 1, VT[res]] : [1, 2, VT.v128];
  if (res) {
    body.push(0x21, 2, 0x41, 0, 0x20, 2);
    if (res == "v128") body.push(...simd(0x0b, ...memarg(4, 0)));
    else { const [op, al] = STORE[res]; body.push(op, al, 0); }
  }
  const fn = [...locals, ...body, 0x0b];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    1, 4, 1, 0x60, 0, 0,
    3, 2, 1, 0,
    5, 3, 1, 0, 1,
    7, 9, 2, 1, 0x66, 0, 0, 1, 0x6d, 2, 0,
    10, ...leb(1 + leb(fn.length).length + fn.length), 1, ...leb(fn.length), ...fn,
  ];
  return new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes))).exports;
}

const size = (t) => (t == "v128" ? 16 : 8);

/** Slot offsets in BUF for a layout: [result, operand 0, 1, 2]. */
function layoutOf(r, kind) {
  if (kind == "stack") {
    const o = [0];
    let at = 0;
    for (const t of r.params) { o.push(at); at += size(t); }
    return o;
  }
  const o = [128];
  let at = 0;
  for (const t of r.params) { o.push(at); at += 16; }
  if (kind == "alias") { const k = r.params.indexOf("v128", 1); if (k < 0 || r.results[0] != "v128") return null; o[0] = o[k + 1]; }
  return o;
}

function checkLanes(r, got, want, what) {
  const w = CANON.get(r.wasm);
  if (w) {
    for (let i = 0; i < 16; i += w) {
      const g = got.subarray(i, i + w), e = want.subarray(i, i + w);
      const isNan = (b) => (w == 4 ? Number.isNaN(new DataView(b.buffer, b.byteOffset).getFloat32(0, true))
        : Number.isNaN(new DataView(b.buffer, b.byteOffset).getFloat64(0, true)));
      if (isNan(e)) {
        const canon = w == 4 ? [0, 0, 0xc0, 0x7f] : [0, 0, 0, 0, 0, 0, 0xf8, 0x7f];
        assert.deepEqual([...g], canon, `${what}: lane at byte ${i} must be the canonical NaN`);
      } else assert.deepEqual([...g], [...e], `${what}: lane at byte ${i}`);
    }
  } else assert.deepEqual([...got], [...want], what);
}

const hex = (b) => Buffer.from(b).toString("hex");

test("every SIMD and relaxed SIMD semantics function agrees with V8 (random and special operands, three slot layouts)", () => {
  const h = buildHarness();
  const mem = () => new Uint8Array(h.memory.buffer);
  const next = rng(SEED);
  const pattern = new Uint8Array(65536);
  for (let i = 0; i < 65536; i += 4) new DataView(pattern.buffer).setUint32(i, (i * 2654435761) >>> 0, true);
  let ran = 0;
  for (const r of rows) {
    for (let c = 0; c < CASES; c++) {
      const { insn, words } = immBytes(next, r);
      const v8 = v8ModuleFor(r, insn);
      const vm = new Uint8Array(v8.m.buffer);
      const memRow = isMem(r);
      if (memRow) vm.set(pattern);
      const operands = r.params.map((t) => (t == "v128" ? randomV128(next) : randomScalar(next, t, memRow)));
      operands.forEach((b, k) => vm.set(b, OPND(k)));
      const before = vm.slice();
      let v8Trap = null;
      try { v8.f(); } catch (e) { v8Trap = String(e.message); }
      const want = vm.slice(0, size(r.results[0] ?? "i64"));
      for (const kind of ["stack", "apart", "alias"]) {
        const lay = layoutOf(r, kind);
        if (!lay) continue;
        const what = `${r.wasm} case ${c} (${kind}) operands ${operands.map(hex).join(" ")} imm ${words.join(",")}`;
        const m = mem();
        m.fill(0xAA, h.BUF.value, h.BUF.value + 256);
        operands.forEach((b, k) => m.set(b.subarray(0, size(r.params[k])), h.BUF.value + lay[k + 1]));
        const dv = new DataView(h.memory.buffer);
        for (let i = 0; i < 4; i++) dv.setUint32(h.SLOTS.value + 4 * i, lay[i] ?? 0, true);
        words.forEach((w, i) => dv.setUint32(h.IMM.value + 4 * i, w, true));
        if (memRow) m.set(before, h.MEM.value);
        const t = h.run(r.x);
        if (v8Trap) {
          assert.match(v8Trap, /out of bounds/, `${what}: V8 trapped with ${v8Trap}`);
          assert.equal(t, 2, `${what}: V8 trapped (${v8Trap}), WRT returned trap ${t}`);
          if (memRow) assert.ok(Buffer.from(mem().subarray(h.MEM.value, h.MEM.value + 65536)).equals(before), `${what}: memory changed on a trap`);
          continue;
        }
        assert.equal(t, 0, `${what}: WRT trapped (${t}), V8 did not`);
        if (r.results[0]) {
          const got = mem().slice(h.BUF.value + lay[0], h.BUF.value + lay[0] + size(r.results[0]));
          if (r.results[0] != "v128" && (r.results[0] == "i32" || r.results[0] == "f32")) {
            // a 4-byte result is written zero-extended into its 8-byte slot
            assert.deepEqual([...got.subarray(4)], [0, 0, 0, 0], `${what}: upper half of the i32/f32 slot`);
            checkLanes(r, got.subarray(0, 4), want.subarray(0, 4), what);
          } else checkLanes(r, got, want, what);
        } else if (memRow) {
          // a store: the whole memory as V8 left it (the operand area differs: V8 keeps operands there)
          const after = mem().subarray(h.MEM.value, h.MEM.value + 65536);
          assert.ok(Buffer.from(after).equals(Buffer.from(vm)), `${what}: memory after the store`);
        }
        ran++;
      }
    }
  }
  assert.ok(ran > rows.length * CASES, `ran ${ran} comparisons`);
});
