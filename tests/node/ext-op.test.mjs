// Issue 15 must-show: "a test adds a throw-away op to a table (in a temporary
// build) and shows it decoded, validated, compiled, verified, dispatched and
// charged fuel with no other file edited" (docs/internal-code.md, "Ops past
// 256", has the same op as its worked example).
//
// A scratch copy of the interpreter's sources gets one new extension table,
// scripts/isa/throwaway.mjs, with one row: `i32.mul_add_imm` (0xFC 0x7F, an
// i32 immediate, [i32 i32] -> [i32], a + b... = a * b + imm, fuel cost 7),
// its semantics a one-line body in the row. `npm run gen:isa` there, then the
// release build (asc only, ~20-40 s: that is this test's cost), and the
// Node API runs guests on that build. Only the table and generated files
// differ from this tree. Expected values are computed here in JS and by hand
// (fuel: docs/fuel.md, one unit per instruction unless the table says more).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Engine, Module, Instance, WrtOutOfFuel, WrtImageError, WrtDecodeError, WrtValidationError, ErrCode } from "../../host-shims/node/dist/index.js";
import { root, imageParts, buildImage } from "./support.mjs";

const TABLE = `// A throw-away extension proposal (tests/node/ext-op.test.mjs).
export const proposal = "throwaway";
export const extension = { prefix: 0xFC, feature: null, fuel: "FC" };
export const ops = [
  { wasm: "i32.mul_add_imm", code: 0x7F, imm: ["i32"], sig: "i32 i32 -> i32", cost: 7,
    body: "store<u64>(r0, <u64>(load<u32>(p0) * load<u32>(p1) + i0));" },
];
`;
const OPCODE = [0xFC, 0x7F];
const COST = 7;

const scratch = mkdtempSync(path.join(tmpdir(), "wrt-ext-op-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
for (const p of ["assembly", "scripts", "package.json", "wrt.asconfig.json"]) cpSync(path.join(root, p), path.join(scratch, p), { recursive: true });
symlinkSync(path.join(root, "node_modules"), path.join(scratch, "node_modules"));
writeFileSync(path.join(scratch, "scripts/isa/throwaway.mjs"), TABLE);
const gen = execFileSync(process.execPath, [path.join(scratch, "scripts/isa/gen.mjs"), "--root", scratch], { encoding: "utf8" });
execFileSync(path.join(root, "node_modules/.bin/asc"), ["assembly/index.ts", "--config", "wrt.asconfig.json", "--target", "release"],
  { cwd: scratch, stdio: ["ignore", "ignore", "pipe"] });
const WASM = path.join(scratch, "build/wrt.raw.wasm");
const withOp = (config, more = {}) => new Engine({ log: false, wasmPath: WASM, config, ...more });

// ---- a guest, encoded by hand (wabt does not know the op) ----
const leb = (v) => { const b = []; do { let x = v & 0x7f; v >>>= 7; if (v) x |= 0x80; b.push(x); } while (v); return b; };
const sleb = (v) => { const b = []; for (;;) { const x = v & 0x7f; v >>= 7; if ((v == 0 && !(x & 0x40)) || (v == -1 && x & 0x40)) { b.push(x); return b; } b.push(x | 0x80); } };
const vec = (items) => [...leb(items.length), ...items.flat()];
const section = (id, bytes) => [id, ...leb(bytes.length), ...bytes];
const name = (s) => vec([...Buffer.from(s)]);
const I32 = 0x7f, I64 = 0x7e;
/** funcs: [{ params, body }] each -> i32, exported as f0, f1, ... */
function guest(funcs) {
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec(funcs.map((f) => [0x60, ...vec(f.params), ...vec([I32])]))),
    ...section(3, vec(funcs.map((_, i) => leb(i)))),
    ...section(7, vec(funcs.map((_, i) => [...name(`f${i}`), 0, ...leb(i)]))),
    ...section(10, vec(funcs.map((f) => { const b = [0, ...f.body, 0x0b]; return [...leb(b.length), ...b]; })))]);
}
const GET = (i) => [0x20, i];
// f0(a, b) = a * b + 5 with the new op; f1 the same with core ops (the fuel baseline: 6 instructions)
const GUEST = guest([
  { params: [I32, I32], body: [...GET(0), ...GET(1), ...OPCODE, ...sleb(5)] },
  { params: [I32, I32], body: [...GET(0), ...GET(1), 0x6c, 0x41, ...sleb(5), 0x6a] },
]);
const expected = (a, b) => (Math.imul(a, b) + 5) | 0;

test("only the table and generated files differ from this tree", () => {
  const generated = new Set(gen.split("\n").filter(Boolean).map((l) => l.replace(/^wrote /, "")));
  const differ = [];
  const walk = (rel) => {
    for (const e of readdirSync(path.join(scratch, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) { walk(r); continue; }
      let mine = null;
      try { mine = readFileSync(path.join(root, r)); } catch {}
      if (!mine || !mine.equals(readFileSync(path.join(scratch, r)))) differ.push(r);
    }
  };
  walk("assembly");
  walk("scripts");
  assert.deepEqual(differ.filter((f) => !generated.has(f)), ["scripts/isa/throwaway.mjs"]);
  for (const f of ["assembly/binary/ext-ops.ts", "assembly/exec/ext-ops.ts", "assembly/compile/operands.ts"]) {
    assert.ok(generated.has(f), `${f} regenerated`);
  }
});

test("decoded, validated, compiled and dispatched: the op computes a * b + imm", () => {
  const inst = Instance.instantiate(Module.load(withOp(), GUEST), {});
  for (const [a, b] of [[0, 0], [3, 4], [-7, 9], [0x12345, 0x6789], [-1, -1], [0x7fffffff, 2]]) {
    assert.deepEqual(inst.invoke("f0", [a, b]), [expected(a, b)], `f0(${a}, ${b})`);
    assert.deepEqual(inst.invoke("f1", [a, b]), [expected(a, b)], `f1(${a}, ${b}): the core-op twin agrees`);
  }
});

test("this tree's own build does not know the op: illegal opcode", () => {
  assert.throws(() => Module.load(new Engine({ log: false }), GUEST), (e) => e instanceof WrtDecodeError && /illegal opcode/.test(e.message));
});

test("the decoder reads its immediate: a body cut inside it is malformed", () => {
  const cut = guest([{ params: [I32, I32], body: [...GET(0), ...GET(1), ...OPCODE, 0x85] }]); // a LEB that never ends
  assert.throws(() => Module.load(withOp(), cut), WrtDecodeError);
});

test("the validator checks its signature: an i64 operand is a type mismatch", () => {
  const bad = guest([{ params: [I64, I32], body: [...GET(0), ...GET(1), ...OPCODE, ...sleb(5)] }]);
  assert.throws(() => Module.load(withOp(), bad), (e) => e instanceof WrtValidationError && /type mismatch/.test(e.message));
  const short = guest([{ params: [I32], body: [...GET(0), ...OPCODE, ...sleb(5)] }]);
  assert.throws(() => Module.load(withOp(), short), (e) => e instanceof WrtValidationError && /type mismatch/.test(e.message));
});

test("verified in an image: it runs from one, and a slot operand out of the frame is refused", () => {
  const image = Module.load(withOp(), GUEST).image();
  const fromImage = Instance.instantiate(Module.load(withOp(undefined, { allowImages: true }), image), {});
  assert.deepEqual(fromImage.invoke("f0", [6, 7]), [47]);
  const parts = imageParts(image);
  const at = parts.code.findIndex((w) => (w & 0xff) == 255); // Ir.Ext: the only extension op
  assert.ok(at >= 0, "the image holds an extension op word");
  const word = parts.code[at];
  assert.equal(parts.code[at + 4], 5, "its words: dst, a, b, then the immediate");
  const code = [...parts.code];
  code[at + 2] = 0x10000; // operand a: a slot far outside the frame
  assert.throws(() => Module.load(withOp(undefined, { allowImages: true }), buildImage({ ...parts, code })),
    (e) => e instanceof WrtImageError && e.code === ErrCode.ImageCorrupt && new RegExp(`operand 2 of op ${word} out of range`).test(e.message));
  // the device build has no extension ops (compiled out): with the same cost table (the row's 7 at 256 + 0x7F),
  // the same image is refused there: its decoder does not know the opcode in the image's module bytes
  const device = new Engine({ log: false, wasmPath: path.join(root, "build/wrt-device.wasm") });
  const costs = new Uint32Array(256 + 0x80).fill(1);
  costs[256 + 0x7f] = COST;
  device.writeBytes(new Uint8Array(costs.buffer));
  assert.equal(device.raw.wrt_fuel_costs(costs.length), 0);
  assert.throws(() => Module.load(device, image), (e) => e instanceof WrtDecodeError && /illegal opcode/.test(e.message), "device build");
  const unknown = [...parts.code];
  unknown[at] = word + 0x100; // Ir.Ext with an index past the table
  assert.throws(() => Module.load(withOp(undefined, { allowImages: true }), buildImage({ ...parts, code: unknown })), WrtImageError);
});

test("charged its fuel cost (7): exact budget finishes, one short stops", () => {
  const engine = withOp();
  const inst = Instance.instantiate(Module.load(engine, GUEST), {});
  const BIG = 10n ** 9n;
  const used = (f) => { inst.invoke(f, [3, 4], { fuel: BIG }); return Number(BIG - engine.raw.wrt_fuel_left()); };
  // by hand: local.get, local.get, the op, end = 1 + 1 + 7 + 1; the twin: 6 instructions of 1
  assert.equal(used("f0"), 3 + COST);
  assert.equal(used("f1"), 6);
  assert.deepEqual(inst.invoke("f0", [3, 4], { fuel: 3 + COST }), [17]);
  assert.throws(() => inst.invoke("f0", [3, 4], { fuel: 2 + COST }), WrtOutOfFuel);
  // sliced at every unit: the same result and the same total
  assert.deepEqual(inst.invoke("f0", [3, 4], { fuelSlice: 1 }), [17]);
});

test("the scratch build's fuel table gives the row's cost at FC base + 0x7F", () => {
  const src = readFileSync(path.join(scratch, "assembly/exec/fuel-index.ts"), "utf8");
  assert.match(src, new RegExp(`case ${256 + 0x7f}: return ${COST};`));
  assert.ok(statSync(WASM).size > 100_000);
});
