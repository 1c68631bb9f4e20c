// The instruction set as data (docs/internal-code.md, "The instruction set as
// data"): the generated op tables are up to date with scripts/isa/, and the
// operand kinds they give are true of the code the compiler emits: walked
// with nothing but the table, every function of every loadable core spec
// module (as an image) splits into whole ops, and every operand word
// satisfies its kind's rule (scripts/isa/kinds.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Engine, Module } from "../../host-shims/node/dist/index.js";
import { root, imageParts } from "./support.mjs";
import { generate, loadOps } from "../../scripts/isa/gen.mjs";
import { Kind, Flag, Feature } from "../../scripts/isa/kinds.mjs";
import { testsuiteDir } from "../../fuzz/lib/testsuite.mjs";

const CORE = testsuiteDir("core");
const INFO_WORDS = 8;

test("the generated op tables are up to date with scripts/isa/ (npm run gen:isa)", async () => {
  for (const [rel, text] of Object.entries(await generate())) {
    assert.equal(readFileSync(path.join(root, rel), "utf8"), text, `${rel} is stale: run npm run gen:isa`);
  }
});

/** Checks one image's code against the operand kinds; returns the number of ops seen. */
function walkImage(parts, byOp, metered) {
  const { code, info, side } = parts;
  const nfuncs = info.length / INFO_WORDS;
  let ops = 0;
  for (let f = 0; f < nfuncs; f++) {
    const fi = info.slice(f * INFO_WORDS, (f + 1) * INFO_WORDS);
    const [codeOff, frameBytes, paramBytes, , nresults] = fi;
    const start = codeOff / 4;
    const end = f + 1 < nfuncs ? info[(f + 1) * INFO_WORDS] / 4 : code.length;
    const where = (pos) => `function ${f}, word ${pos} (${byOp[code[pos]]?.name ?? code[pos]})`;
    // pass 1: op starts
    const starts = new Set();
    let pos = start, last = -1;
    while (pos < end) {
      const o = byOp[code[pos]];
      assert.ok(o, `${where(pos)}: not an op`);
      assert.ok(!(o.flags & Flag.NOT_IN_CODE), `${where(pos)}: op never stored in code`);
      let len = 1 + o.kinds.length;
      if (o.kinds.at(-1) == Kind.BrCount) len += code[pos + len - 1] + 1;
      starts.add(pos);
      last = pos;
      pos += len;
      ops++;
    }
    assert.equal(pos, end, `function ${f}: the last op runs past the function's code`);
    assert.ok(byOp[code[last]].flags & Flag.NO_FALLTHROUGH, `${where(last)}: a function's last op falls through`);
    const isFuel = (p) => byOp[code[p]]?.name == "Fuel";
    // pass 2: every operand by its kind
    for (const p of starts) {
      const o = byOp[code[p]];
      const fixed = 1 + o.kinds.length;
      const n = o.kinds.at(-1) == Kind.BrCount ? code[p + fixed - 1] + 1 : 0;
      for (let i = 1; i < fixed + n; i++) {
        const k = i < fixed ? o.kinds[i - 1] : Kind.Target;
        const v = code[p + i];
        const at = `${where(p)} operand ${i}`;
        switch (k) {
          case Kind.Slot: assert.ok(v % 8 == 0 && v + 8 <= frameBytes, `${at}: slot ${v} outside frame ${frameBytes}`); break;
          case Kind.Target:
            assert.ok(v % 4 == 0 && starts.has(v / 4), `${at}: target ${v} not an op of the function`);
            if (metered && i < fixed && o.flags & Flag.TARGET_FUEL) assert.ok(starts.has(v / 4 - 3) && isFuel(v / 4 - 3), `${at}: target is not right past a Fuel op`);
            break;
          case Kind.TargetCost: // the Fuel op's cost where the jump lands (the Target word before this one)
            assert.equal(v, metered ? code[code[p + i - 1] / 4 - 2] : 0, `${at}: target cost`);
            break;
          case Kind.NextCost: // the Fuel op's cost after the jump
            assert.equal(v, metered ? code[p + fixed + 1] : 0, `${at}: fallthrough cost`);
            break;
          case Kind.FuncInfo: {
            assert.ok(v % (INFO_WORDS * 4) == 0 && v / 4 < info.length, `${at}: function info ${v}`);
            const callee = info.slice(v / 4, v / 4 + INFO_WORDS);
            const arg = code[p + i + 1];
            assert.ok(arg + Math.max(callee[2], callee[4] * 8) <= frameBytes, `${at}: call arguments outside the frame`);
            break;
          }
          case Kind.ArgBase: assert.ok(v % 8 == 0 && v <= frameBytes, `${at}: argument base ${v}`); break;
          case Kind.ResultSrc: assert.ok(v % 8 == 0 && v + 8 * code[p + i + 1] <= frameBytes, `${at}: results outside the frame`); break;
          case Kind.ResultCount: assert.equal(v, nresults, `${at}: result count`); break;
          case Kind.Side: assert.ok(v < side.length && v + 1 + 3 * side[v] <= side.length, `${at}: side index ${v}`); break;
          case Kind.BrCount: break; // checked by the walk (the targets must be in the function)
          case Kind.Imm: case Kind.Cost: break;
          default: assert.ok(Number.isInteger(v), `${at}: index`); // module indices: checked against the module by the image verifier
        }
      }
      if (metered && o.flags & Flag.NEXT_FUEL) {
        const next = p + fixed + n;
        assert.ok(next < end && isFuel(next), `${where(p)}: the next op is not a Fuel op`);
      }
    }
    assert.ok(paramBytes <= frameBytes, `function ${f}: params outside the frame`);
  }
  return ops;
}

test("operand kinds hold for the code compiled from every loadable core spec module", async (t) => {
  const { ops } = await loadOps();
  const byOp = [];
  for (const o of ops) byOp[o.op] = o;
  let files;
  try { files = readdirSync(CORE).filter((f) => f.endsWith(".wasm")).sort(); } catch { return t.skip("no spec suite"); }
  const engine = new Engine({ log: false });
  let modules = 0, total = 0;
  const seen = new Set();
  for (const f of files) {
    let m;
    try { m = Module.load(engine, new Uint8Array(readFileSync(path.join(CORE, f)))); } catch { continue; }
    const parts = imageParts(m.image());
    m.free?.();
    total += walkImage(parts, byOp, true);
    for (const w of parts.code) if (byOp[w]) seen.add(w);
    modules++;
  }
  assert.ok(modules > 500, `only ${modules} modules loaded`);
  assert.ok(total > 10000, `only ${total} ops`);
  t.diagnostic(`${modules} modules, ${total} ops, ${seen.size} distinct op numbers`);
});

test("fuel index ranges do not overlap and the bulk amounts stay in their range", async () => {
  const { checkFuelRanges } = await import("../../scripts/isa/gen.mjs");
  const { FUEL_RANGES, BULK_COSTS, COST_TABLE_SIZE } = await import("../../scripts/isa/fuel.mjs");
  checkFuelRanges(FUEL_RANGES, BULK_COSTS, COST_TABLE_SIZE);
  // the check itself fails on what it must refuse: the old plan (relaxed SIMD at 512 + 0x113 runs into threads at 768)
  const old = [{ name: "FD", base: 512, size: 0x114 }, { name: "FE", base: 768, size: 0x4F }, ...FUEL_RANGES.filter((r) => r.base < 512)];
  assert.throws(() => checkFuelRanges(old, BULK_COSTS, 2048), /overlap/);
  assert.throws(() => checkFuelRanges(FUEL_RANGES, [...BULK_COSTS, { name: "X", index: 500 }], COST_TABLE_SIZE), /outside/);
  assert.throws(() => checkFuelRanges(FUEL_RANGES.map((r) => ({ ...r, planned: false })), BULK_COSTS, COST_TABLE_SIZE), /past the cost table/);
  // every prefix's opcodes fit their range: 0xFC subs 0..17, SIMD up to 0x113, threads up to 0x4E
  const size = (n) => FUEL_RANGES.find((r) => r.name == n).size;
  assert.ok(size("FC") > 17 && size("FD") > 0x113 && size("FE") > 0x4E);
});

test("scripts/isa/kinds.mjs Feature bits are the decoder's Feature enum", () => {
  const src = readFileSync(path.join(root, "assembly/binary/decoder.ts"), "utf8");
  const body = /export const enum Feature \{([^}]*)\}/.exec(src)[1];
  const fromDecoder = Object.fromEntries([...body.matchAll(/^\s*(\w+) = (\d+),/gm)].map((m) => [m[1], Number(m[2])]));
  assert.deepEqual(fromDecoder, { ...Feature });
});

test("extension tables: the generator refuses a clash, a core opcode, a fuel index past its range", async () => {
  const { loadExtensions } = await import("../../scripts/isa/gen-ext.mjs");
  const { FUEL_RANGES } = await import("../../scripts/isa/fuel.mjs");
  const dir = mkdtempSync(path.join(tmpdir(), "wrt-isa-"));
  const kinds = path.join(root, "scripts/isa/kinds.mjs");
  let n = 0;
  const tables = async (...rowLists) => {
    const d = path.join(dir, `t${n++}`);
    mkdirSync(d);
    writeFileSync(path.join(d, "kinds.mjs"), readFileSync(kinds));
    rowLists.forEach((rows, i) => writeFileSync(path.join(d, `p${i}.mjs`), rows.fc
      ? `export const extension = { prefix: 0xFC, feature: null, fuel: "FC" };\nexport const ops = ${JSON.stringify(rows.fc)};\n`
      : `export const extension = { prefix: 0xFD, feature: "SIMD", fuel: "FD" };\nexport const ops = ${JSON.stringify(rows)};\n`));
    return loadExtensions(d, FUEL_RANGES);
  };
  const row = (wasm, code, more = {}) => ({ wasm, code, sig: "v128 v128 -> v128", body: "return;", ...more });
  try {
    const ok = await tables([row("a.x", 1), row("a.y", 2, { imm: ["lane:16"], sig: "v128 -> i32" })]);
    assert.deepEqual(ok.rows.map((r) => [r.name, r.x, r.fuel]), [["AX", 0, 513], ["AY", 1, 514]]);
    assert.deepEqual(ok.rows[1].kinds, [1, 2, 3], "results, params, immediates: Slot (i32), Slot16 (v128), Imm (lane)");
    // an IR-only form (wasm: null): its kinds as given, a number and a dispatch case like the others
    const ir = await tables([row("a.x", 1), { wasm: null, name: "GlobalGet16", ir: [Kind.Slot16, Kind.Global], body: "return;" }]);
    assert.deepEqual(ir.rows.map((r) => [r.name, r.x, r.kinds]), [["AX", 0, [2, 2, 2]], ["GlobalGet16", 1, [Kind.Slot16, Kind.Global]]]);
    await assert.rejects(tables([{ wasm: null, name: "Bad", body: "return;" }]), /needs ir/);
    await assert.rejects(tables([row("a.x", 1)], [row("b.x", 1)]), /same opcode/);
    await assert.rejects(tables([row("a.x", 0x200)]), /past range FD/);
    await assert.rejects(tables({ fc: [row("a.x", 11)] }), /belongs to the core/); // memory.fill
    assert.equal((await tables({ fc: [row("a.x", 18)] })).rows[0].fuel, 256 + 18);
    await assert.rejects(tables([row("a.x", 1, { imm: ["lane"] })]), /lane needs :N/);
    await assert.rejects(tables([row("a.x", 1, { sig: "v256 -> i32" })]), /unknown value type/);
    await assert.rejects(tables([{ wasm: "a.x", code: 1, sig: "-> i32" }]), /needs sem/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
