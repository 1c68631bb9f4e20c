// The image verifier (assembly/image/verify.ts, docs/image-format.md "Trust"),
// from issue 18's finding: "a precompiled image with one changed operand of a
// copy op reads another guest's memory and writes outside its own". Each case
// changes one word of a real image's code, function table or fuel side
// table, makes the CRC right again, and expects both builds to refuse it with
// the reason; the interpreter stays usable. Op boundaries come from the
// image's own fuel side table (every op but the Fuel ops is an entry there),
// not from the verifier's table.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { readFileSync, readdirSync } from "node:fs";
import { Engine, Module, Instance, WrtImageError, ErrCode } from "../../host-shims/node/dist/index.js";
import { root, wat, imageParts, buildImage } from "./support.mjs";
import { testsuiteDir } from "../../fuzz/lib/testsuite.mjs";

const DEVICE = path.join(root, "build/wrt-device.wasm");
const full = (config) => new Engine({ log: false, config, allowImages: true });
const device = (config) => new Engine({ log: false, wasmPath: DEVICE, config });

// IR op numbers (docs/internal-code.md, compile/ir.ts)
const OP = { Fuel: 2, Halt: 3, Jump: 4, JumpIf: 5, BrTable: 7, Return: 8, Call: 9, CallImport: 10, CallIndirect: 11,
  Copy: 12, GlobalGet: 15, GlobalSet: 16, MemoryCopy: 20, MemoryInit: 21, TableGet: 23, ElemDrop: 30, RefFunc: 32,
  I32Load: 33, I32Add: 57 + 0x6a - 0x45, I32AddImm: 199, I32SubImm: 200 };

const GUEST = wat(`(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (type $t (func (param i32) (result i32)))
  (memory 1)
  (table $tab 4 funcref)
  (global $k i32 (i32.const 7))
  (global $g (mut i32) (i32.const 0))
  (elem (i32.const 1) func $sq)
  (elem $e func $sq)
  (data $d "abc")
  (func $sq (type $t) (i32.mul (local.get 0) (local.get 0)))
  (func (export "main") (param $n i32) (result i32) (local $i i32) (local $x i32)
    (memory.copy (i32.const 100) (i32.const 0) (local.get $n))
    (memory.init $d (i32.const 0) (i32.const 0) (i32.const 3))
    (elem.drop $e)
    (drop (table.get $tab (i32.const 0)))
    (drop (ref.func $sq))
    (global.set $g (i32.add (global.get $k) (global.get $g)))
    (local.set $x (i32.load (local.get $n)))
    (block $out (loop $l
      (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $x (i32.add (local.get $x) (call $sq (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (block $a (block $b (br_table $a $b (local.get $n))))
    (local.set $x (i32.add (local.get $x) (call_indirect (type $t) (local.get $n) (i32.const 1))))
    (local.set $x (i32.add (local.get $x) (call $f (local.get $x))))
    (local.get $x)))`);

const imageOf = (config) => Module.load(new Engine({ log: false, config }), GUEST).image();
const METERED = imageOf();
const UNMETERED = imageOf({ fuelMetering: 0 });

/** Op start word -> [op, length in words], from the side table's entries and the Fuel ops before them. */
function opsOf(parts) {
  const { code, side } = parts;
  const starts = new Set();
  for (let i = 0; i < side.length; i += 1 + 3 * side[i]) {
    for (let k = 0; k < side[i]; k++) starts.add(side[i + 1 + 3 * k] / 4);
  }
  for (let w = 0; w + 2 < code.length; w++) {
    // a Fuel op: [2, cost, side index] whose record's first entry is right after it
    const s = code[w + 2];
    if (code[w] === OP.Fuel && starts.has(w + 3) && side[s + 1] === (w + 3) * 4) starts.add(w);
  }
  const sorted = [...starts].sort((a, b) => a - b);
  return sorted.map((w, i) => ({ at: w, op: code[w], len: (sorted[i + 1] ?? code.length) - w }));
}

function refused(image, pattern, what) {
  for (const [name, e] of [["device", device], ["full", full]]) {
    if (process.env.SHOW) try { Module.load(e({ fuelMetering: imageParts(image).header[16] & 1 }), image); console.log(what, "ACCEPTED"); } catch (err) { console.log(what, "->", err.message); }
    const metered = imageParts(image).header[16] & 1;
    const engine = e({ fuelMetering: metered });
    assert.throws(() => Module.load(engine, image), (err) =>
      err instanceof WrtImageError && err.code === ErrCode.ImageCorrupt && pattern.test(err.message),
    `${what}: ${name} build must refuse it with ${pattern}`);
    if (process.env.SHOW) console.log(what); if (process.env.SHOW) try { Module.load(engine, image); } catch (err) { console.log(what, "->", err.message); }
    assert.ok(!engine.dead, `${what}: ${name} build still alive`);
  }
}

/** The image with word `j` of the n-th op `op` (in code order) set to `v`. */
function withOperand(image, op, j, v, n = 0) {
  const parts = imageParts(image);
  const o = opsOf(parts).filter((x) => x.op === op)[n];
  assert.ok(o, `the guest has op ${op}`);
  const code = parts.code.slice();
  code[o.at + j] = typeof v === "function" ? v(code[o.at + j], parts, o) : v;
  return buildImage({ ...parts, code });
}

const frameOf = (parts, at) => {
  // the function holding word `at`: the last whose codeOff <= at*4
  let f = 0;
  for (let i = 0; i < parts.info.length / 8; i++) if (parts.info[i * 8] <= at * 4) f = i;
  return parts.info[f * 8 + 1];
};

test("the guest's images load and run in both builds (the verifier accepts the compiler's code)", () => {
  const run = (e, img) => Instance.instantiate(Module.load(e, img), { env: { f: (x) => x + 1 } }).invoke("main", [40]);
  const want = run(new Engine({ log: false }), GUEST);
  assert.deepEqual(run(device(), METERED), want);
  assert.deepEqual(run(full(), METERED), want);
  assert.deepEqual(run(device({ fuelMetering: 0 }), UNMETERED), want);
  // the side-table walk of this test finds every op: the lengths add up and each is an op of the guest
  for (const img of [METERED, UNMETERED]) {
    const ops = opsOf(imageParts(img));
    assert.ok(ops.some((o) => o.op === OP.Copy) && ops.some((o) => o.op === OP.MemoryCopy) && ops.some((o) => o.op === OP.BrTable));
  }
});

test("issue 18: one changed slot operand of a copy op (Copy, memory.copy) is refused with the reason", () => {
  for (const img of [METERED, UNMETERED]) {
    // Copy dst, src: src far outside the frame (it read the host's memory), then just past the frame's end
    refused(withOperand(img, OP.Copy, 2, 0x10000), /operand 2 of op 12 out of range: 65536/, "Copy src");
    refused(withOperand(img, OP.Copy, 1, (v, p, o) => frameOf(p, o.at)), /operand 1 of op 12 out of range/, "Copy dst at the frame's end");
    refused(withOperand(img, OP.Copy, 1, (v) => v + 4), /operand 1 of op 12 out of range/, "Copy dst not on a slot");
    // memory.copy d, s, n: the length slot outside the frame
    refused(withOperand(img, OP.MemoryCopy, 3, 0xfffffff8), /operand 3 of op 20 out of range/, "memory.copy n");
    refused(withOperand(img, OP.I32Load, 2, 1 << 20), /operand 2 of op 33 out of range/, "i32.load address slot");
  }
});

test("branch targets must be op starts of the same function (right past a Fuel op where metered code pays it inline)", () => {
  const parts = imageParts(METERED);
  const ops = opsOf(parts);
  const jump = ops.find((o) => o.op === OP.JumpIf || (o.op >= 214 && o.op < 234));
  assert.ok(jump, "a conditional jump");
  const j = jump.len - 3; // target, then what it pays taken, then not taken
  refused(withOperand(METERED, jump.op, j, (v) => v + 4), /out of range/, "target inside an op");
  refused(withOperand(METERED, jump.op, j, 0), /out of range: 0/, "target in another function");
  refused(withOperand(METERED, jump.op, j, parts.code.length * 4 + 8), /out of range/, "target past the code");
  // metered: a conditional jump must land right past its target block's Fuel op, not on it (IR 14's form) ...
  refused(withOperand(METERED, jump.op, j, (v) => v - 12), /out of range/, "target on the Fuel op");
  // ... nor past any other op
  const notFuel = ops.find((o) => o.at > jump.at + 3 && parts.code[o.at - 3] !== OP.Fuel && o.at * 4 !== parts.code[jump.at + j]);
  refused(withOperand(METERED, jump.op, j, notFuel.at * 4), /out of range/, "target not past a Fuel op");
  // br_table: a count that runs past the function, a target outside it
  refused(withOperand(METERED, OP.BrTable, 2, (v) => v + 1000), /op crosses the function's end|unknown op or op past the end/, "br_table count");
  refused(withOperand(METERED, OP.BrTable, 3, 4), /operand 3 of op 7 out of range: 4/, "br_table target");
});

test("a jump carries exactly the fuel of the Fuel op where it lands, taken and not (0 unmetered)", () => {
  const parts = imageParts(METERED);
  const ops = opsOf(parts);
  const jump = ops.find((o) => o.op === OP.JumpIf || (o.op >= 214 && o.op < 234));
  const tc = jump.len - 2, nc = jump.len - 1;
  // what the compiler wrote: the costs of the Fuel ops at the target and after the jump
  const target = parts.code[jump.at + tc - 1] / 4;
  assert.equal(parts.code[target - 3], OP.Fuel);
  assert.equal(parts.code[jump.at + tc], parts.code[target - 2]);
  assert.equal(parts.code[jump.at + jump.len], OP.Fuel);
  assert.equal(parts.code[jump.at + nc], parts.code[jump.at + jump.len + 1]);
  refused(withOperand(METERED, jump.op, tc, (v) => v + 1), new RegExp(`operand ${tc} of op ${jump.op} out of range`), "taken cost one more");
  refused(withOperand(METERED, jump.op, tc, (v) => v - 1), new RegExp(`operand ${tc} of op ${jump.op} out of range`), "taken cost one less");
  refused(withOperand(METERED, jump.op, tc, 0), new RegExp(`operand ${tc} of op ${jump.op} out of range: 0`), "taken cost 0");
  refused(withOperand(METERED, jump.op, nc, (v) => v + 1), new RegExp(`operand ${nc} of op ${jump.op} out of range`), "fallthrough cost one more");
  refused(withOperand(METERED, jump.op, nc, 0xffffffff), new RegExp(`operand ${nc} of op ${jump.op} out of range`), "fallthrough cost huge");
  refused(withOperand(METERED, OP.Jump, 2, (v) => v + 1), /operand 2 of op 4 out of range/, "a plain jump's cost");
  // unmetered code pays nothing where it lands: any cost is refused
  const u = opsOf(imageParts(UNMETERED)).find((o) => o.op === jump.op);
  refused(withOperand(UNMETERED, jump.op, u.len - 2, 1), new RegExp(`operand ${u.len - 2} of op ${jump.op} out of range: 1`), "unmetered taken cost");
  refused(withOperand(UNMETERED, jump.op, u.len - 1, 1), new RegExp(`operand ${u.len - 1} of op ${jump.op} out of range: 1`), "unmetered fallthrough cost");
  refused(withOperand(UNMETERED, OP.Jump, 2, 1), /operand 2 of op 4 out of range: 1/, "unmetered jump cost");
});

test("function, import, type, table, memory, global, data and element indices must be in range", () => {
  for (const img of [METERED, UNMETERED]) {
    refused(withOperand(img, OP.Call, 1, 2 * 32), /operand 1 of op 9 out of range: 64/, "call: no such function");
    refused(withOperand(img, OP.Call, 1, 4), /operand 1 of op 9 out of range: 4/, "call: not a function table entry");
    refused(withOperand(img, OP.CallImport, 1, 1), /operand 1 of op 10 out of range: 1/, "call of import 1 (there is one)");
    refused(withOperand(img, OP.CallIndirect, 1, 99), /operand 1 of op 11 out of range: 99/, "call_indirect type");
    refused(withOperand(img, OP.CallIndirect, 2, 1), /operand 2 of op 11 out of range: 1/, "call_indirect table");
    refused(withOperand(img, OP.GlobalGet, 2, 2), /operand 2 of op 15 out of range: 2/, "global.get 2 of 2");
    refused(withOperand(img, OP.GlobalSet, 1, 0), /operand 1 of op 16 out of range: 0/, "global.set of an immutable global");
    refused(withOperand(img, OP.MemoryInit, 1, 1), /operand 1 of op 21 out of range: 1/, "memory.init data 1 of 1");
    refused(withOperand(img, OP.ElemDrop, 1, 2), /operand 1 of op 30 out of range: 2/, "elem.drop 2 of 2");
    refused(withOperand(img, OP.TableGet, 2, 1), /operand 2 of op 23 out of range: 1/, "table.get table 1 of 1");
    refused(withOperand(img, OP.RefFunc, 2, 3), /operand 2 of op 32 out of range: 3/, "ref.func 3 of 3");
  }
});

test("call areas and returns must fit the frame; function table entries must match their types", () => {
  for (const img of [METERED, UNMETERED]) {
    refused(withOperand(img, OP.Call, 2, (v, p, o) => frameOf(p, o.at)), /operand 2 of op 9 out of range/, "call arguments past the frame");
    refused(withOperand(img, OP.Return, 2, 2), /operand 2 of op 8 out of range: 2/, "return count");
    refused(withOperand(img, OP.Return, 1, (v, p, o) => frameOf(p, o.at)), /operand 1 of op 8 out of range/, "return source past the frame");
    const parts = imageParts(img);
    const shrink = (k, v) => { const info = parts.info.slice(); info[8 + k] = v; return buildImage({ ...parts, info }); };
    refused(shrink(1, parts.info[10] + parts.info[11]), /out of range/, "a frame of its locals only, smaller than its slots");
    refused(shrink(1, 8), /frame does not fit the type of function 1/, "a frame smaller than its locals");
    refused(shrink(1, 1 << 25), /frame does not fit the type of function 1/, "a frame past the limit");
    refused(shrink(2, 16), /frame does not fit the type of function 1/, "parameter bytes not the type's");
    refused(shrink(4, 2), /frame does not fit the type of function 1/, "result count not the type's");
    refused(shrink(7, parts.info[8] + 4), /entry block of function 1/, "entry inside an op");
  }
});

test("op numbers: unknown, never stored (Halt, I32SubImm), or a function that falls off its end", () => {
  const parts = imageParts(METERED);
  const ops = opsOf(parts);
  const code = parts.code.slice();
  code[ops.find((o) => o.op === OP.Copy).at] = OP.Halt + 0x100; // low byte would dispatch as Halt
  refused(buildImage({ ...parts, code }), /unknown op or op past the end: 259/, "op word past the table");
  refused(withOperand(METERED, OP.Copy, 0, OP.Halt), /op never stored in code: 3|out of range/, "Halt in code");
  // I32SubImm has the operands of I32AddImm but the compiler never emits it (x - k is x + (-k))
  const addImm = ops.find((o) => o.op === OP.I32AddImm);
  assert.ok(addImm, "the guest compiles an i32.add of a constant");
  const c1 = parts.code.slice();
  c1[addImm.at] = OP.I32SubImm;
  refused(buildImage({ ...parts, code: c1 }), /op never stored in code: 200/, "I32SubImm in code");
  // the last op of function 0 ($sq, a Return) becomes a Copy of the same length: it would run into function 1
  const sqEnd = parts.info[8] / 4;
  const last = ops.filter((o) => o.at < sqEnd).at(-1);
  assert.equal(last.op, OP.Return);
  const c2 = parts.code.slice();
  c2[last.at] = OP.Copy;
  c2[last.at + 2] = 0;
  refused(buildImage({ ...parts, code: c2 }), /function falls off its end/, "fallthrough into the next function");
});

// IR 23's fused ops: a loop's step with its signed test, and the multiply-adds
const FUSED = wat(`(module
  (func $step_imm (param $i i32) (result i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 3)))
      (br_if $l (i32.lt_s (local.get $i) (i32.const 100))))
    (local.get $s))
  (func $step (param $i i32) (param $p i32) (result i32) (local $s i32)
    (loop $l
      (local.set $s (i32.xor (local.get $s) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (local.get $p)))
      (br_if $l (i32.lt_s (local.get $i) (i32.const 200))))
    (local.get $s))
  (func (export "main") (param $n i32) (result i32)
    (i32.add (i32.add (call $step_imm (local.get $n)) (call $step (local.get $n) (i32.const 7)))
      (i32.add (i32.add (local.get $n) (i32.mul (local.get $n) (i32.const 48)))
        (i32.add (call $step_imm (i32.const 1)) (i32.mul (local.get $n) (call $step (i32.const 2) (i32.const 5))))))))`);
const FUSED_OP = { I32AddImmJumpLtSImm: 242, I32AddJumpLtSImm: 243, I32AddMulImm: 253, I32AddMul: 254 };

test("the fused loop-step and multiply-add ops: every slot, target and cost operand checked", () => {
  for (const config of [undefined, { fuelMetering: 0 }]) {
    const img = Module.load(new Engine({ log: false, config }), FUSED).image();
    const ops = opsOf(imageParts(img));
    for (const op of Object.values(FUSED_OP)) assert.ok(ops.some((o) => o.op === op), `the guest compiles to op ${op}`);
    const want = Instance.instantiate(Module.load(new Engine({ log: false }), FUSED)).invoke("main", [9]);
    assert.deepEqual(Instance.instantiate(Module.load(device(config), img)).invoke("main", [9]), want);
    // slots: dst, a and (but for the immediate forms) b/c, far outside the frame
    const slots = { 242: [1, 2], 243: [1, 2, 3], 253: [1, 2, 3], 254: [1, 2, 3, 4] };
    for (const [op, js] of Object.entries(slots)) {
      for (const j of js) refused(withOperand(img, +op, j, 0x10000), new RegExp(`operand ${j} of op ${op} out of range: 65536`), `op ${op} slot ${j}`);
    }
    // the jumps: a target inside an op, in another function; taken and fallthrough costs not the landing blocks'
    for (const op of [FUSED_OP.I32AddImmJumpLtSImm, FUSED_OP.I32AddJumpLtSImm]) {
      refused(withOperand(img, op, 5, (v) => v + 4), new RegExp(`operand 5 of op ${op} out of range`), `op ${op} target inside an op`);
      // (the ops are in $step_imm and $step, functions 0 and 1; main is the last: its first op)
      refused(withOperand(img, op, 5, (v, p) => p.info[p.info.length - 8] + 12), new RegExp(`operand 5 of op ${op} out of range`), `op ${op} target in another function`);
      refused(withOperand(img, op, 6, (v) => v + 1), new RegExp(`operand 6 of op ${op} out of range`), `op ${op} taken cost`);
      refused(withOperand(img, op, 7, (v) => v + 1), new RegExp(`operand 7 of op ${op} out of range`), `op ${op} fallthrough cost`);
    }
  }
});

test("the fuel side table: records tile it, belong to one Fuel op each, lie straight after it, add up", () => {
  const parts = imageParts(METERED);
  const fuel = opsOf(parts).filter((o) => o.op === OP.Fuel);
  const s0 = parts.code[fuel[0].at + 2], s1 = parts.code[fuel[1].at + 2];
  refused(withOperand(METERED, OP.Fuel, 2, s1), /Fuel op names no free record|fuel record entry out of place/, "two Fuel ops, one record");
  refused(withOperand(METERED, OP.Fuel, 2, parts.side.length + 3), /Fuel op names no free record/, "side index past the table");
  // (the last Fuel op: not a function's entry block, whose cost the function table repeats)
  refused(withOperand(METERED, OP.Fuel, 1, (v) => v + 1, fuel.length - 1), /costs do not add up/, "block cost not the entries' sum");
  const side = (f) => { const s = parts.side.slice(); f(s); return buildImage({ ...parts, side: s }); };
  refused(side((s) => { s[s0] += 1000; }), /fuel record runs past the side table/, "record count");
  refused(side((s) => { s[s0 + 1] += 4; }), /fuel record entry out of place/, "entry pc inside an op");
  refused(side((s) => { s[s0 + 1] = 0; }), /fuel record entry out of place/, "entry pc elsewhere");
  // entries must be the ops straight after the Fuel op: the second entry moved onto the third op
  const rec = fuel.map((f) => parts.code[f.at + 2]).find((s) => parts.side[s] >= 3);
  refused(side((s) => { s[rec + 4] = s[rec + 7]; }), /fuel record entry out of place/, "an entry skipping an op");
});

test("memory ops need a memory", () => {
  const m = wat(`(module (func (export "f") (param i32) (result i32) (i32.add (local.get 0) (local.get 0))))`);
  const img = Module.load(new Engine({ log: false }), m).image();
  // i32.add dst, a, b -> i32.load dst, addr, offset: same length, valid slots, but no memory to read
  refused(withOperand(img, OP.I32Add, 0, OP.I32Load), /memory op without a memory/, "load without memory");
});

test("every core spec module's image is accepted by both builds, metered and not", () => {
  const dir = testsuiteDir("core");
  const files = readdirSync(dir).filter((f) => f.endsWith(".wasm"));
  let n = 0;
  for (const metering of [1, 0]) {
    const compiler = new Engine({ log: false, config: { fuelMetering: metering } });
    const dev = device({ fuelMetering: metering });
    const fu = full({ fuelMetering: metering });
    for (const f of files) {
      let img;
      try { img = Module.load(compiler, readFileSync(path.join(dir, f))).image(); } catch { continue; }
      for (const e of [dev, fu]) Module.load(e, img).drop();
      n++;
    }
  }
  assert.ok(n > 2000, `${n} images`);
});
