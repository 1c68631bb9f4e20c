// The Component Model, part 1 (issue 14): WRT's component decoder and
// validator (assembly/component/, wrt_component_validate) and the
// `wrt component` commands built on jco.
//
//   - exact error texts for hand-assembled binaries (offsets counted by hand);
//   - fixtures built from WIT (fixtures/component/wit) plus WAT (npm wabt)
//     and plus C (clang-14 --target=wasm32 -nostdlib, when installed) with
//     `wrt component new`: they validate, and `wrt component wit` prints the
//     fixture world's functions and round-trips (new from the printed WIT
//     prints the same WIT again);
//   - seeded mutations (bit flips, truncation, overlong LEBs, huge counts,
//     swapped and duplicated sections, byte inserts/deletes) of components
//     never crash the validator: each ends in acceptance or a coded error.
//     WRT_COMPONENT_FUZZ_CASES (default 10000) sets the count;
//   - the device build has no component validator.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import wabtInit from "wabt";
import { ComponentValidator, ErrCode, seededRandom } from "../../host-shims/node/dist/index.js";
import { testsuiteDir } from "../../fuzz/lib/testsuite.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(root, "host-shims/node/dist/cli.js");
const fixtures = path.join(root, "tests/node/fixtures/component");
const ci = /^(1|true|yes)$/i.test(process.env.CI ?? "");
const tmp = mkdtempSync(path.join(tmpdir(), "wrt-component-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));

const v = new ComponentValidator(process.env.WRT_COMPONENT_WASM);
const PRE = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];
const ascii = (s) => [...Buffer.from(s)];

function wrt(...args) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("errors name the section, the item, the byte and the rule", () => {
  const cases = [
    // type section: one record with no fields; 0x72 at byte 11
    [[...PRE, 7, 3, 1, 0x72, 0],
      "invalid component at byte 0xb: in section 7 (type), item 0: record needs at least one field"],
    // resource, borrow of it, func returning the borrow: result tag at byte 18
    [[...PRE, 7, 10, 3, 0x3f, 0x7f, 0x00, 0x68, 0x00, 0x40, 0x00, 0x00, 0x01],
      "invalid component at byte 0x12: in section 7 (type), item 2: function result type contains a borrow handle"],
    // import named "Foo-bar": mixed case in one fragment; name attributes at byte 11
    [[...PRE, 10, 12, 1, 0x00, 7, ...ascii("Foo-bar"), 0x01, 0x00],
      "invalid component at byte 0xb: in section 10 (import), item 0: import name `Foo-bar` is not a valid extern name: not a kebab-case label"],
    // imports "a" and "A" of func type 0: not strongly unique; second import at byte 23
    [[...PRE, 7, 5, 1, 0x40, 0x00, 0x01, 0x00, 10, 11, 2, 0x00, 1, ...ascii("a"), 0x01, 0x00, 0x00, 1, ...ascii("A"), 0x01, 0x00],
      "invalid component at byte 0x17: in section 10 (import), item 1: import name `A` conflicts with a previous import name (names must be strongly unique)"],
    // list of type 5 when no type is defined; index at byte 12
    [[...PRE, 7, 3, 1, 0x70, 0x05],
      "invalid component at byte 0xc: in section 7 (type), item 0: unknown type 5 (0 defined)"],
    // section id 13 does not exist
    [[...PRE, 13, 0], "malformed component at byte 0x8: malformed section id 13"],
    // async is out of scope: (stream u8)
    [[...PRE, 7, 4, 1, 0x66, 0x01, 0x7d], "not supported at byte 0xb: in section 7 (type), item 0: not supported: async (stream)"],
    // the same empty record inside a nested component (section 4): 0x72 at byte 21
    [[...PRE, 4, 13, ...PRE, 7, 3, 1, 0x72, 0],
      "invalid component at byte 0x15: in a component nested 1 deep, in section 7 (type), item 0: record needs at least one field"],
    // a core module is not a component: layer 0 at byte 6
    [[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], "malformed component at byte 0x6: this is a core module, not a component (layer 0)"],
  ];
  for (const [bytes, message] of cases) {
    const r = v.validate(Uint8Array.from(bytes));
    assert.equal(r.ok, false, message);
    assert.equal(r.message, message);
  }
  // and the smallest valid component
  assert.equal(v.validate(Uint8Array.from(PRE)).ok, true);
});

test("the device build has no component validator", () => {
  const dev = new WebAssembly.Module(readFileSync(path.join(root, "build/wrt-device.wasm")));
  const names = WebAssembly.Module.exports(dev).map((e) => e.name);
  assert.ok(names.includes("wrt_io"));
  assert.ok(!names.includes("wrt_component_validate"));
  assert.throws(() => new ComponentValidator(path.join(root, "build/wrt-device.wasm")), /no wrt_component_validate/);
});

// ---------------------------------------------------------------- scale

const leb128 = (n) => { const o = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; o.push(b); } while (n); return o; };
const nameBytes = (s) => [...leb128(s.length), ...Buffer.from(s)];
const section = (id, body) => [id, ...leb128(body.length), ...body];

/**
 * An instance type with `n` func exports, imported as "i", and a nested
 * component importing such an instance, instantiated `times` times with "i".
 */
function bigComponent(n, times) {
  const decls = [0x01, 0x40, 0x00, 0x01, 0x00];          // type 0: func () -> ()
  for (let i = 0; i < n; i++) decls.push(0x04, 0x00, ...nameBytes("f" + i), 0x01, 0x00);
  const types = section(7, [2, 0x40, 0x00, 0x01, 0x00, 0x42, ...leb128(n + 1), ...decls]);
  const imp = section(10, [1, 0x00, ...nameBytes("i"), 0x05, 0x01]);
  const nested = [...PRE, ...section(6, [1, 0x03, 0x02, 1, 1]), ...section(10, [1, 0x00, ...nameBytes("i"), 0x05, 0x00])];
  const inst = [...leb128(times)];
  for (let k = 0; k < times; k++) inst.push(0x00, 0x00, 1, ...nameBytes("i"), 0x05, 0x00);
  return Uint8Array.from([...PRE, ...types, ...imp, ...section(4, nested), ...section(5, inst)]);
}

test("checks are linear: 100,000 exports matched by name at instantiation", () => {
  const bytes = bigComponent(100000, 1);
  const t0 = performance.now();
  const r = v.validate(bytes);
  const ms = performance.now() - t0;
  assert.equal(r.ok, true, r.message);
  // a list search per name took about a minute here; maps take well under a second
  assert.ok(ms < 10000, `${ms.toFixed(0)} ms for ${bytes.length} bytes`);
});

test("many instantiations of a big component end at the work budget, with an error", () => {
  const bytes = bigComponent(2000, 5000);
  const t0 = performance.now();
  const r = v.validate(bytes);
  assert.equal(r.ok, false);
  assert.match(r.message, /^invalid component at byte 0x[0-9a-f]+: in section 5 \(instance\), item \d+: type checking exceeds the work limit$/);
  assert.ok(performance.now() - t0 < 10000);
});

// ---------------------------------------------------------------- fixtures

const wabt = await wabtInit();
const watCore = path.join(tmp, "calc-wat.wasm");
writeFileSync(watCore, Buffer.from(wabt.parseWat("calc.wat", readFileSync(path.join(fixtures, "calc.wat"), "utf8")).toBinary({}).buffer));

const clang = spawnSync("clang-14", ["--version"]).status === 0 && spawnSync("wasm-ld-14", ["--version"]).status === 0;
const cCore = path.join(tmp, "calc-c.wasm");
if (clang) {
  execFileSync("clang-14", ["--target=wasm32", "-nostdlib", "-O2", "-Wl,--no-entry", "-o", cCore, path.join(fixtures, "calc.c")]);
}

/** The `func` lines of a WIT text, without package and world names. */
const funcs = (wit) => wit.split("\n").map((l) => l.trim()).filter((l) => /^(import|export) [a-z-]+: func/.test(l)).sort();
const sourceFuncs = funcs(readFileSync(path.join(fixtures, "wit/calc.wit"), "utf8"));

function fixtureRoundTrip(core, label) {
  const comp = path.join(tmp, `${label}.component.wasm`);
  const made = wrt("component", "new", core, "--wit", path.join(fixtures, "wit"), "--world", "calc", "-o", comp);
  assert.equal(made.code, 0, made.err);
  assert.match(made.out, /valid component/);
  const checked = wrt("component", "validate", comp);
  assert.equal(checked.code, 0, checked.err);
  const bytes = readFileSync(comp);
  const verdict = v.validate(bytes);
  assert.equal(verdict.ok, true);
  // custom sections are kept: wit-component records itself in "producers"
  const producers = verdict.customs.find((c) => c.name === "producers");
  assert.ok(producers, JSON.stringify(verdict.customs));
  assert.ok(Buffer.from(bytes.subarray(producers.start, producers.end)).includes("processed-by"));
  assert.match(checked.out, /custom sections: .*producers \(\d+ bytes\)/);

  const wit = wrt("component", "wit", comp);
  assert.equal(wit.code, 0, wit.err);
  assert.deepEqual(funcs(wit.out), sourceFuncs);
  assert.equal(sourceFuncs.length, 4);

  // round trip: a component made from the printed WIT prints the same WIT
  const witDir = path.join(tmp, `${label}-printed`);
  execFileSync("mkdir", ["-p", witDir]);
  writeFileSync(path.join(witDir, "printed.wit"), wit.out);
  const world = /world ([a-z-]+)/.exec(wit.out)[1];
  const again = path.join(tmp, `${label}.again.wasm`);
  const remade = wrt("component", "new", core, "--wit", witDir, "--world", world, "-o", again);
  assert.equal(remade.code, 0, remade.err);
  assert.equal(wrt("component", "wit", again).out, wit.out);
  return readFileSync(comp);
}

test("a component from WIT + WAT validates and round-trips its WIT", () => {
  fixtureRoundTrip(watCore, "wat");
});

test("a component from WIT + C (clang-14) validates and round-trips its WIT", { skip: !clang && !ci && "clang-14 / wasm-ld-14 not installed" }, () => {
  assert.ok(clang, "clang-14 and wasm-ld-14 are required under CI=true");
  fixtureRoundTrip(cCore, "c");
});

test("wrt component validate refuses a core module and a damaged component, naming why", () => {
  let r = wrt("component", "validate", watCore);
  assert.equal(r.code, 1);
  assert.match(r.err, /this is a core module, not a component/);
  const comp = readFileSync(path.join(tmp, "wat.component.wasm"));
  const cut = path.join(tmp, "cut.wasm");
  writeFileSync(cut, comp.subarray(0, comp.length - 3));
  r = wrt("component", "validate", cut);
  assert.equal(r.code, 1);
  assert.match(r.err, /at byte 0x[0-9a-f]+: in section \d+ \(/);
});

test("a core module with a wrong canon lift signature is refused with both types named", async () => {
  const { parseComponentText } = await import("../../host-shims/node/dist/component/jco.js");
  const bytes = await parseComponentText(`(component
    (core module $m (func (export "f") (param i64) (result i32) unreachable))
    (core instance $i (instantiate $m))
    (func (param "a" u32) (result u32) (canon lift (core func $i "f"))))`);
  const r = v.validate(bytes);
  assert.equal(r.ok, false);
  assert.match(r.message, /in section 8 \(canon\), item 0: canon lift: core function 0 has type \[i64\] -> \[i32\], the lifted type needs \[i32\] -> \[i32\]/);
});

// ---------------------------------------------------------------- mutations

const SEED_TEXTS = [
  `(component
    (type $r (resource (rep i32)))
    (export $r2 "r" (type $r))
    (core module $m
      (memory (export "mem") 1)
      (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable)
      (func (export "f") (param i32 i32) (result i32) unreachable)
      (func (export "new") (param i32) (result i32) unreachable))
    (core instance $i (instantiate $m))
    (type $rec (record (field "a" u8) (field "b" (list string)) (field "c" (option (tuple u32 f64)))))
    (export $rec2 "rec" (type $rec))
    (type $v (variant (case "x" s64) (case "y") (case "z" (result u8 (error string)))))
    (export $v2 "v" (type $v))
    (type $fl (flags "p" "q" "r"))
    (export $fl2 "fl" (type $fl))
    (type $e (enum "one" "two"))
    (export $e2 "e" (type $e))
    (func $f (param "s" string) (result $rec2)
      (canon lift (core func $i "f") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
    (export "f" (func $f))
    (core func $new (canon resource.new $r))
    (core func $drop (canon resource.drop $r)))`,
  `(component
    (import "wasi:cli/environment@0.2.0" (instance $env
      (export "get-arguments" (func (result (list string))))))
    (alias export $env "get-arguments" (func $ga))
    (core module $mem (memory (export "m") 1) (func (export "r") (param i32 i32 i32 i32) (result i32) unreachable))
    (core instance $mi (instantiate $mem))
    (core func $lowered (canon lower (func $ga) (memory (core memory $mi "m")) (realloc (core func $mi "r"))))
    (core module $user (import "env" "ga" (func (param i32))))
    (core instance $exp (export "ga" (func $lowered)))
    (core instance (instantiate $user (with "env" (instance $exp))))
    (core func $lowered2 (canon lower (func $ga) (memory (core memory $mi "m")) (realloc (core func $mi "r"))))
    (func $ga2 (param "a" u32) (canon lift (core func $lowered2)))
    (component $inner
      (import "x" (func $x (param "a" u32)))
      (export "y" (func $x)))
    (instance $ii (instantiate $inner (with "x" (func $ga2))))
    (type $it (instance (export "t" (type (sub resource))) (export "g" (func))))
    (type $ct (component (import "i" (instance (type $it))) (export "k" (func))))
    (core type $mt (module (import "a" "b" (func)) (export "c" (memory 1)))))`,
];

function leb(n) {
  const out = [];
  do { let b = n & 0x7f; n = Math.floor(n / 128); if (n) b |= 0x80; out.push(b); } while (n);
  return out;
}

/** Top-level sections of a component: [{start, end}] (header excluded); null if it does not parse. */
function sections(b) {
  const out = [];
  let p = 8;
  while (p < b.length) {
    const start = p;
    p++;
    let size = 0, shift = 0, byte;
    do { byte = b[p++]; size += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80 && p < b.length);
    p += size;
    if (p > b.length) return null;
    out.push({ start, end: p });
  }
  return out;
}

function mutate(src, rnd) {
  const b = Array.from(src);
  const at = () => Math.floor(rnd() * b.length);
  switch (Math.floor(rnd() * 8)) {
    case 0: { const i = at(); b[i] ^= 1 << Math.floor(rnd() * 8); return b; }                  // bit flip
    case 1: return b.slice(0, at());                                                            // truncation
    case 2: { const i = at(); if (b[i] < 0x80) b.splice(i, 1, b[i] | 0x80, 0x80, 0x80, 0x80, 0x80, 0x00); return b; } // overlong LEB
    case 3: { const i = Math.max(8, at()); b.splice(i, 1, 0xff, 0xff, 0xff, 0xff, 0x0f); return b; } // huge count/index
    case 4: {                                                                                   // swapped sections
      const s = sections(src);
      if (!s || s.length < 2) return b;
      const i = Math.floor(rnd() * s.length), j = Math.floor(rnd() * s.length);
      const [x, y] = i < j ? [s[i], s[j]] : [s[j], s[i]];
      return [...b.slice(0, x.start), ...b.slice(y.start, y.end), ...b.slice(x.end, y.start), ...b.slice(x.start, x.end), ...b.slice(y.end)];
    }
    case 5: {                                                                                   // duplicated section
      const s = sections(src);
      if (!s || !s.length) return b;
      const x = s[Math.floor(rnd() * s.length)];
      return [...b.slice(0, x.end), ...b.slice(x.start, x.end), ...b.slice(x.end)];
    }
    case 6: { const i = at(); b.splice(i, 1); return b; }                                       // delete a byte
    default: { const i = at(); b.splice(i, 0, Math.floor(rnd() * 256), ...leb(Math.floor(rnd() * 300))); return b; } // insert
  }
}

test("mutated components never crash the decoder or validator", async () => {
  const { parseComponentText } = await import("../../host-shims/node/dist/component/jco.js");
  const seeds = [readFileSync(path.join(tmp, "wat.component.wasm"))];
  for (const t of SEED_TEXTS) seeds.push(await parseComponentText(t));
  for (const s of seeds) assert.equal(v.validate(s).ok, true, "every seed is valid: " + v.validate(s).message);
  // more seeds: the valid components of the suite's validation/ scripts (when the suite is there)
  const { parseWast, head } = await import("../../host-shims/node/dist/component/wast.js");
  const suiteDir = testsuiteDir("component-model/validation");
  if (existsSync(suiteDir)) {
    for (const f of readdirSync(suiteDir).filter((n) => n.endsWith(".wast")).sort()) {
      const src = readFileSync(path.join(suiteDir, f), "utf8");
      for (const form of parseWast(src)) {
        if (head(form) !== "component") continue;
        let bytes;
        try { bytes = await parseComponentText(src.slice(form.start, form.end).replace(/^\(component\s+definition/, "(component")); } catch { continue; }
        if (v.validate(bytes).ok) seeds.push(bytes);
      }
    }
  }
  const cases = parseInt(process.env.WRT_COMPONENT_FUZZ_CASES ?? "10000", 10);
  const seed = parseInt(process.env.WRT_FUZZ_SEED ?? "0x5eed", 16) >>> 0;
  const outcomes = { accepted: 0, malformed: 0, invalid: 0, unsupported: 0, core: 0 };
  const only = process.env.WRT_FUZZ_ONLY !== undefined ? parseInt(process.env.WRT_FUZZ_ONLY, 10) : null;
  for (let i = only ?? 0; i < (only === null ? cases : only + 1); i++) {
    const rnd = seededRandom((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
    let bytes = seeds[i % seeds.length];
    const rounds = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < rounds; k++) bytes = Uint8Array.from(mutate(bytes, rnd));
    let r;
    try {
      r = v.validate(bytes);
    } catch (e) {
      const keep = path.join(tmpdir(), `wrt-component-crash-${seed.toString(16)}-${i}.wasm`);
      writeFileSync(keep, bytes);
      assert.fail(`case ${i} (WRT_FUZZ_SEED=${seed.toString(16)} WRT_FUZZ_ONLY=${i}) crashed the validator: ${e.message}; input kept in ${keep}`);
    }
    if (r.ok) { outcomes.accepted++; continue; }
    assert.ok(r.message.length > 0 && r.offset >= 0, `case ${i}: a refusal names where (${JSON.stringify(r)})`);
    if (r.code === 140) outcomes.malformed++;
    else if (r.code === 141) outcomes.invalid++;
    else if (r.code === 142) outcomes.unsupported++;
    // an embedded core module's own error: a decode/validation code, or a load limit (a count past V8's limits)
    else { assert.ok((r.code > 0 && r.code < 100) || r.code === ErrCode.LimitExceeded, `case ${i}: unexpected code ${r.code}: ${r.message}`); outcomes.core++; }
  }
  // every class of outcome occurs (the mutations reach past the header)
  if (only === null) assert.ok(outcomes.accepted > 0 && outcomes.malformed > 0 && outcomes.invalid > 0 && outcomes.core > 0, JSON.stringify(outcomes));
  console.log(`component mutations: ${cases} cases from ${seeds.length} seeds: ${JSON.stringify(outcomes)}`);
});

test("wrt spec routes a directory of component .wast scripts to the component runner", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "wrt-cm-spec-"));
  try {
    mkdirSync(path.join(dir, "validation"));
    // one valid component, one assert_invalid that WRT must refuse, one that it must accept (a failure)
    writeFileSync(path.join(dir, "validation", "t.wast"), [
      '(component (import "f" (func)))',
      '(assert_invalid (component (import "f" (func)) (import "f" (func))) "conflicts with previous name")',
      '(assert_invalid (component (import "g" (func))) "not really invalid")',
    ].join("\n"));
    const r = spawnSync(process.execPath, [cli, "spec", dir], { encoding: "utf8" });
    assert.match(r.stdout, /^spec: 2 passed, 1 failed, 0 skipped$/m, r.stdout + r.stderr);
    assert.equal(r.status, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
