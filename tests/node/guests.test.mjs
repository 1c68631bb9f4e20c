// Guests as toolchains make them (issue 12 parts 2 and 3): an AssemblyScript
// guest compiled with this repository's asc, from the repository root, runs
// with `wrt run` and no flags (env.abort, env.trace, env.seed bound by
// default); `--unknown-imports trap` links missing function imports to a
// stub that traps only when called; otherwise the error names every
// missing import.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { wat } from "./support.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(root, "host-shims/node/dist/cli.js");
const { Engine, Module, Instance, WrtLinkError, assemblyScriptEnv } = await import(path.join(root, "host-shims/node/dist/index.js"));
const dir = mkdtempSync(path.join(tmpdir(), "wrt-guests-"));

const wrt = (args) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test("an AssemblyScript guest built with the repo's asc from the repo root runs without flags", () => {
  const src = path.join(dir, "guest.ts");
  writeFileSync(src, `
export function add(a: i32, b: i32): i32 { return a + b; }
export function checked(x: i32): i32 { assert(x > 0, "x must be positive"); return x * 2; }
export function traced(x: f64): void { trace("value", 2, x, x + 1); }
export function random(): i32 { const r = Math.random(); return r >= 0 && r < 1 ? 1 : 0; }
export function greet(): string { return "hi"; }
`);
  const out = path.join(dir, "guest.wasm");
  // from the repository root, as the README says: the interpreter's own asc config must not apply
  const c = spawnSync(path.join(root, "node_modules/.bin/asc"), [src, "-o", out], { cwd: root, encoding: "utf8" });
  assert.equal(c.status, 0, c.stderr + c.stdout);
  assert.equal(wrt(["run", out, "--invoke", "add", "2", "3"]).out, "i32:5\n");
  assert.equal(wrt(["run", out, "--invoke", "checked", "21"]).out, "i32:42\n");
  const bad = wrt(["run", out, "--invoke", "checked", "0"]);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /^trap: abort: x must be positive \(.*guest\.ts:3:\d+\)$/m);
  const tr = wrt(["run", out, "--invoke", "traced", "1.5"]);
  assert.equal(tr.code, 0, tr.err);
  assert.equal(tr.err, "trace: value 1.5, 2.5\n");
  assert.equal(wrt(["run", out, "--invoke", "random"]).out, "i32:1\n");
});

test("embedders bind AssemblyScript's env with assemblyScriptEnv()", () => {
  const bytes = wat(`(module (import "env" "abort" (func $abort (param i32 i32 i32 i32)))
    (memory (export "memory") 1)
    (data (i32.const 12) "\\08\\00\\00\\00b\\00o\\00o\\00m\\00")
    (func (export "f") i32.const 16 i32.const 0 i32.const 7 i32.const 9 call $abort))`);
  const engine = new Engine({ log: false });
  const m = Module.load(engine, bytes);
  const { env, imports } = assemblyScriptEnv(engine, m.imports());
  const inst = Instance.instantiate(m, { env: imports });
  env.bind(inst);
  assert.throws(() => inst.invoke("f"), /abort: boom/);
});

const NEEDS = wat(`(module
  (import "env" "missing_a" (func $a (param i32) (result i32)))
  (import "env" "missing_b" (func $b))
  (import "other" "g" (global i32))
  (func (export "safe") (result i32) i32.const 7)
  (func (export "calls") (result i32) i32.const 1 call $a))`);
const FUNCS_ONLY = wat(`(module
  (import "env" "missing_a" (func $a (param i32) (result i32)))
  (import "env" "missing_b" (func $b))
  (func (export "safe") (result i32) i32.const 7)
  (func (export "calls") (result i32) i32.const 1 call $a))`);

test("a link error names every missing import", () => {
  const f = path.join(dir, "needs.wasm");
  writeFileSync(f, NEEDS);
  const r = wrt(["run", f, "--invoke", "safe"]);
  assert.equal(r.code, 1);
  assert.equal(r.err.trim().split("\n").length, 1, r.err);
  assert.match(r.err, /unknown imports \(3\): env\.missing_a \(func \[i32\] -> \[i32\]\), env\.missing_b \(func \[\] -> \[\]\), other\.g \(global i32\)/);
  const engine = new Engine({ log: false });
  assert.throws(() => Instance.instantiate(Module.load(engine, NEEDS), {}), (e) => e instanceof WrtLinkError && /missing_a.*missing_b.*other\.g/.test(e.message));
});

test("--unknown-imports trap: links, runs what does not call them, traps when one is called", () => {
  const f = path.join(dir, "funcs.wasm");
  writeFileSync(f, FUNCS_ONLY);
  assert.equal(wrt(["run", f, "--invoke", "safe"]).code, 1, "refused without the option");
  const ok = wrt(["run", f, "--invoke", "safe", "--unknown-imports", "trap"]);
  assert.equal(ok.code, 0, ok.err);
  assert.equal(ok.out, "i32:7\n");
  const t = wrt(["run", f, "--invoke", "calls", "--unknown-imports", "trap"]);
  assert.equal(t.code, 1);
  assert.match(t.err, /^trap: unknown import env\.missing_a called/m);
  // a missing global cannot be stubbed: still a link error naming it
  const g = path.join(dir, "needs2.wasm");
  writeFileSync(g, NEEDS);
  const r = wrt(["run", g, "--invoke", "safe", "--unknown-imports", "trap"]);
  assert.equal(r.code, 1);
  assert.match(r.err, /unknown import: other\.g \(global i32\)/);
});
