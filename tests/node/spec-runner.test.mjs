// The spec runner checks what each assertion means (host-shims/node/src/spec.ts,
// spec-expect.ts): a wrong trap, the wrong kind of rejection, an unknown
// command, a failed register or an empty suite must fail. Expected outcomes
// are the spec's (the texts of ../shared/testsuite) or written here by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runSpec, runSpecFile } from "../../host-shims/node/dist/index.js";
import { ci, root, wat } from "./support.mjs";
import { testsuiteDir } from "../../fuzz/lib/testsuite.mjs";

const dir = mkdtempSync(path.join(tmpdir(), "wrt-spec-runner-"));
let n = 0;
function wasm(src, opts) {
  const name = `m${n++}.wasm`;
  writeFileSync(path.join(dir, name), wat(src, opts));
  return name;
}
function run(name, commands) {
  const f = path.join(dir, `${name}.json`);
  writeFileSync(f, JSON.stringify({ source_filename: `${name}.wast`, commands }));
  return runSpecFile(f, { failLimit: 100 });
}

const MOD = wasm(`(module
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_u)
  (func (export "trap") unreachable)
  (func $f (export "deep") call $f))`);
const INVALID = wasm(`(module (func (result i32) i64.const 1))`, { check: false });
// a memory with limits flags 2: malformed (shared memories need flags 3 and threads)
const MALFORMED = (() => {
  const name = `m${n++}.wasm`;
  writeFileSync(path.join(dir, name), new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 3, 1, 2, 1]));
  return name;
})();
const invoke = (field, args = []) => ({ type: "invoke", field, args: args.map((v) => ({ type: "i32", value: String(v) })) });

test("assert_trap: the trap must be the one the text names (code and text)", () => {
  const ok = run("trap-ok", [
    { type: "module", line: 1, filename: MOD },
    { type: "assert_trap", line: 2, action: invoke("div", [1, 0]), text: "integer divide by zero" },
    { type: "assert_trap", line: 3, action: invoke("trap"), text: "unreachable" },
  ]);
  assert.deepEqual([ok.passed, ok.failed], [3, 0], ok.failures.join("\n"));
  const bad = run("trap-bad", [
    { type: "module", line: 1, filename: MOD },
    { type: "assert_trap", line: 2, action: invoke("div", [1, 0]), text: "integer overflow" },
    { type: "assert_trap", line: 3, action: invoke("trap"), text: "no such trap text" },
    { type: "assert_trap", line: 4, action: invoke("div", [1, 1]), text: "integer divide by zero" },
  ]);
  assert.deepEqual([bad.passed, bad.failed], [1, 3]);
  assert.match(bad.failures[0], /line 2: .*integer overflow.*code 7/);
  assert.match(bad.failures[1], /line 3: .*no trap code for the spec text/);
  assert.match(bad.failures[2], /line 4: .*returned/);
});

test("assert_exhaustion: only call stack exhaustion passes", () => {
  const r = run("exhaustion", [
    { type: "module", line: 1, filename: MOD },
    { type: "assert_exhaustion", line: 2, action: invoke("deep"), text: "call stack exhausted" },
    { type: "assert_exhaustion", line: 3, action: invoke("trap"), text: "call stack exhausted" },
  ]);
  assert.deepEqual([r.passed, r.failed], [2, 1]);
  assert.match(r.failures[0], /line 3: .*call stack exhausted.*got code 1: unreachable/);
});

test("assert_invalid needs a validation error, assert_malformed a decode error", () => {
  const r = run("rejections", [
    { type: "assert_invalid", line: 1, filename: INVALID, text: "type mismatch", module_type: "binary" },
    { type: "assert_malformed", line: 2, filename: MALFORMED, text: "integer too large", module_type: "binary" },
    { type: "assert_invalid", line: 3, filename: MALFORMED, text: "integer too large", module_type: "binary" },
    { type: "assert_malformed", line: 4, filename: INVALID, text: "type mismatch", module_type: "binary" },
    { type: "assert_invalid", line: 5, filename: INVALID, text: "unknown global", module_type: "binary" },
    { type: "assert_invalid", line: 6, filename: MOD, text: "type mismatch", module_type: "binary" },
  ]);
  assert.deepEqual([r.passed, r.failed], [2, 4], r.failures.join("\n"));
  assert.match(r.failures[0], /line 3: .*a validation error, got WrtDecodeError/);
  assert.match(r.failures[1], /line 4: .*a decode error, got WrtValidationError/);
  assert.match(r.failures[2], /line 5: .*unknown global.*got WrtValidationError: type mismatch/);
  assert.match(r.failures[3], /line 6: .*module is not invalid/);
});

test("an unknown command and a failed register are failures; skips have reasons", () => {
  const r = run("commands", [
    { type: "module", line: 1, filename: MOD },
    { type: "assert_frobnicated", line: 2 },
    { type: "register", line: 3, name: "$nope", as: "x" },
    { type: "assert_malformed", line: 4, filename: "x.wat", text: "unexpected token", module_type: "text" },
  ]);
  assert.deepEqual([r.passed, r.failed, r.skipped], [1, 2, 1]);
  assert.match(r.failures.join("\n"), /line 2: .*unknown command type "assert_frobnicated"/);
  assert.match(r.failures.join("\n"), /line 3: register x: no such module \$nope/);
  assert.deepEqual(r.skips, { "assert_malformed of a text module (WRT reads binaries only)": 1 });
  const lines = [];
  runSpec([path.join(dir, "commands.json")], { out: (l) => lines.push(l) });
  assert.ok(lines.includes("skipped by reason:"), lines.join("\n"));
  assert.ok(lines.some((l) => /^\s+1 {2}assert_malformed of a text module/.test(l)), lines.join("\n"));
});

test("no files: a failure, not an empty success", () => {
  const lines = [];
  const t = runSpec([], { out: (l) => lines.push(l) });
  assert.equal(t.failed, 1);
  assert.equal(lines.at(-1), "spec: 0 passed, 1 failed, 0 skipped");
});

const core = testsuiteDir("core");
test("the core suite's own expectations, one of them altered, fail", { skip: !existsSync(core) && !ci ? `no spec suite at ${core}` : false }, () => {
  // i32.json with its first "integer divide by zero" turned into "integer overflow",
  // and memory.json with its first assert_invalid made an assert_malformed
  const copy = path.join(dir, "altered");
  mkdirSync(copy);
  for (const f of ["i32", "memory"]) {
    const j = JSON.parse(readFileSync(path.join(core, `${f}.json`), "utf8"));
    const c = f === "i32"
      ? j.commands.find((x) => x.type === "assert_trap" && x.text === "integer divide by zero")
      : j.commands.find((x) => x.type === "assert_invalid");
    if (f === "i32") c.text = "integer overflow";
    else c.type = "assert_malformed";
    for (const x of j.commands) if (x.filename && !existsSync(path.join(copy, x.filename))) symlinkSync(path.join(core, x.filename), path.join(copy, x.filename));
    writeFileSync(path.join(copy, `${f}.json`), JSON.stringify(j));
    const plain = runSpecFile(path.join(core, `${f}.json`));
    const altered = runSpecFile(path.join(copy, `${f}.json`));
    assert.equal(plain.failed, 0, plain.failures.join("\n"));
    assert.equal(altered.failed, 1, `${f}: ${altered.failures.join("\n")}`);
    assert.equal(altered.passed, plain.passed - 1);
    assert.match(altered.failures[0], new RegExp(`line ${c.line}: `));
  }
});
