// The `wrt` CLI (host-shims/node/dist/cli.js): run, validate, spec.
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
const dir = mkdtempSync(path.join(tmpdir(), "wrt-cli-"));


let n = 0;
function wasmFile(src, opts) {
  const f = path.join(dir, `m${n++}.wasm`);
  writeFileSync(f, wat(src, opts));
  return f;
}

function wrt(...args) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const MOD = wasmFile(`(module
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "neg64") (param i64) (result i64) i64.const 0 local.get 0 i64.sub)
  (func (export "half") (param f64) (result f64) local.get 0 f64.const 0.5 f64.mul)
  (func (export "third") (result f32) f32.const 1 f32.const 3 f32.div)
  (func (export "two") (result i32 f64) i32.const -1 f64.const 1.5)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_u)
  (func (export "spin") (loop $l br $l))
  (func (export "count") (param $n i32) (result i32)
    (loop $l local.get $n i32.const 1 i32.sub local.tee $n br_if $l)
    local.get $n))`);

test("run prints TYPE:VALUE lines", () => {
  let r = wrt("run", MOD, "--invoke", "add", "40", "2");
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, "i32:42\n");
  r = wrt("run", MOD, "--invoke", "add", "-5", "2");
  assert.equal(r.out, "i32:-3\n");
  r = wrt("run", MOD, "--invoke", "neg64", "9223372036854775807");
  assert.equal(r.out, "i64:-9223372036854775807\n");
  r = wrt("run", MOD, "--invoke", "half", "3");
  assert.equal(r.out, "f64:1.5\n");
  r = wrt("run", MOD, "--invoke", "third");
  assert.equal(r.out, "f32:0.33333334\n");
  r = wrt("run", MOD, "--invoke", "two");
  assert.equal(r.out, "i32:-1\nf64:1.5\n");
});

test("run: a trap prints 'trap: ...' to stderr and exits 1", () => {
  const r = wrt("run", MOD, "--invoke", "div", "1", "0");
  assert.equal(r.code, 1);
  assert.match(r.err, /^trap: integer divide by zero/m);
  assert.equal(r.out, "");
});

test("run --fuel: out of fuel exits 2; enough fuel gives the result", () => {
  let r = wrt("run", MOD, "--invoke", "spin", "--fuel", "1000");
  assert.equal(r.code, 2);
  assert.equal(r.out, "out of fuel\n");
  r = wrt("run", MOD, "--invoke", "count", "1000", "--fuel", "20");
  assert.equal(r.code, 2);
  r = wrt("run", MOD, "--invoke", "count", "10", "--fuel", "100000");
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, "i32:0\n");
});

test("run: wrong argument count is a usage error", () => {
  const r = wrt("run", MOD, "--invoke", "add", "1");
  assert.notEqual(r.code, 0);
  assert.match(r.err, /takes 2 arguments/);
});

test("validate: valid, or the error with its byte offset and exit 1", () => {
  let r = wrt("validate", MOD);
  assert.equal(r.code, 0);
  assert.equal(r.out, "valid\n");
  const bad = wasmFile(`(module (func (result i32) i64.const 1))`, { check: false });
  r = wrt("validate", bad);
  assert.equal(r.code, 1);
  assert.match(r.out + r.err, /type mismatch/);
  assert.match(r.out + r.err, /offset \d+/);
  const junk = path.join(dir, "junk.wasm");
  writeFileSync(junk, new Uint8Array([0, 0x61, 0x73, 0x6d, 9, 0, 0, 0]));
  r = wrt("validate", junk);
  assert.equal(r.code, 1);
  assert.match(r.out + r.err, /offset 4/);
});

function specFile(name, commands) {
  const f = path.join(dir, `${name}.json`);
  writeFileSync(f, JSON.stringify({ source_filename: `${name}.wast`, commands }));
  return f;
}

const spec = () => {
  const base = path.basename(MOD);
  const invalid = path.basename(wasmFile(`(module (func (result i32) i64.const 1))`, { check: false }));
  return [
    { type: "module", line: 1, filename: base, name: "$M" },
    { type: "register", line: 2, as: "M" },
    { type: "assert_return", line: 3, action: { type: "invoke", field: "add", args: [{ type: "i32", value: "4294967295" }, { type: "i32", value: "2" }] }, expected: [{ type: "i32", value: "1" }] },
    { type: "assert_return", line: 4, action: { type: "invoke", module: "$M", field: "half", args: [{ type: "f64", value: "4611686018427387904" }] }, expected: [{ type: "f64", value: "4607182418800017408" }] },
    { type: "assert_trap", line: 5, action: { type: "invoke", field: "div", args: [{ type: "i32", value: "1" }, { type: "i32", value: "0" }] }, text: "integer divide by zero", expected: [{ type: "i32" }] },
    { type: "assert_invalid", line: 6, filename: invalid, text: "type mismatch", module_type: "binary" },
    { type: "assert_malformed", line: 7, filename: "x.1.wat", text: "unexpected token", module_type: "text" },
    { type: "action", line: 8, action: { type: "invoke", field: "count", args: [{ type: "i32", value: "50" }] }, expected: [{ type: "i32" }] },
  ];
};

test("spec: counts passed/failed/skipped, the final line, exit status", () => {
  const f = specFile("good", spec());
  let r = wrt("spec", f);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^good: 6 passed, 0 failed, 1 skipped$/m);
  assert.match(r.out, /^spec: 6 passed, 0 failed, 1 skipped$/m);
  r = wrt("spec", "--fuel-slice", "random", f);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^seed: \d+$/m);
  assert.match(r.out, /^spec: 6 passed, 0 failed, 1 skipped$/m);
  r = wrt("spec", "--fuel-slice", "3", "--seed", "7", f);
  assert.match(r.out, /^spec: 6 passed, 0 failed, 1 skipped$/m);

  const cmds = spec();
  cmds[2].expected = [{ type: "i32", value: "2" }];
  const bad = specFile("bad", cmds);
  r = wrt("spec", bad, f);
  assert.equal(r.code, 1);
  assert.match(r.out, /^bad: 5 passed, 1 failed, 1 skipped$/m);
  assert.match(r.out, /line 3/);
  assert.match(r.out, /^spec: 11 passed, 1 failed, 2 skipped$/m);
});

// A fake interpreter: every export of docs/embedding-api.md, answering "empty
// module, no imports/exports"; the second wrt_module_load calls wrt.abort.
function fakeInterpreter() {
  const sig = {
    wrt_config: ["i32 i64", "i32"], wrt_global_new: ["i32 i32 i64", "i32"], wrt_run: ["i64", "i32"],
    wrt_global_set: ["i32 i64", "i32"], wrt_table_set: ["i32 i32 i64", "i32"],
    wrt_fuel_left: ["", "i64"], wrt_global_get: ["i32", "i64"], wrt_table_get: ["i32 i32", "i64"],
    wrt_collect: ["", ""], wrt_module_drop: ["i32", ""], wrt_instance_drop: ["i32", ""], wrt_abandon: ["", ""],
    wrt_abi_version: ["", "i32"], wrt_io: ["i32", "i32"], wrt_error_code: ["", "i32"], wrt_error_offset: ["", "i32"],
    wrt_error_text: ["", "i32"], wrt_module_imports: ["i32", "i32"], wrt_module_import: ["i32 i32", "i32"],
    wrt_module_exports: ["i32", "i32"], wrt_module_export: ["i32 i32", "i32"], wrt_func_new_host: ["i32", "i32"],
    wrt_memory_new: ["i32 i32", "i32"], wrt_table_new: ["i32 i32 i32", "i32"], wrt_instantiate: ["i32 i32", "i32"],
    wrt_start: ["i32", "i32"], wrt_instance_export: ["i32 i32", "i32"], wrt_func_type: ["i32", "i32"],
    wrt_call: ["i32 i32", "i32"], wrt_results: ["", "i32"], wrt_host_id: ["", "i32"], wrt_host_args: ["", "i32"],
    wrt_host_return: ["i32", "i32"], wrt_host_trap: ["i32", "i32"], wrt_trap_code: ["", "i32"], wrt_trap_text: ["", "i32"],
    wrt_trap_func: ["", "i32"], wrt_trap_pc: ["", "i32"], wrt_memory_base: ["i32", "i32"], wrt_memory_bytes: ["i32", "i32"],
    wrt_memory_grow: ["i32 i32", "i32"], wrt_table_size: ["i32", "i32"], wrt_fuel_costs: ["i32", "i32"],
    wrt_module_load: ["i32", "i32"],
  };
  const funcs = Object.entries(sig).map(([name, [p, r]]) => {
    const params = p ? `(param ${p})` : "";
    const result = r ? `(result ${r})` : "";
    let body = r === "i64" ? "i64.const 0" : r ? "i32.const 0" : "";
    if (name === "wrt_io") body = "i32.const 1024";
    if (name === "wrt_module_load") {
      body = `global.get $loads i32.const 1 i32.add global.set $loads
              (if (i32.ge_u (global.get $loads) (i32.const 2))
                (then (call $abort (i32.const 16) (i32.const 0) (i32.const 7) (i32.const 1))))
              i32.const 0`;
    }
    return `(func (export "${name}") ${params} ${result} ${body})`;
  });
  return `(module
    (import "wrt" "log" (func $log (param i32 i32 i32)))
    (import "wrt" "abort" (func $abort (param i32 i32 i32 i32)))
    (memory (export "memory") 1)
    (global $loads (mut i32) (i32.const 0))
    (data (i32.const 12) "\\08\\00\\00\\00b\\00o\\00o\\00m\\00")
    ${funcs.join("\n")})`;
}

test("spec: an interpreter abort fails the rest of that file only; the next file gets a fresh interpreter", () => {
  const fake = wasmFile(fakeInterpreter());
  const base = path.basename(MOD);
  const a = specFile("aborts", [
    { type: "module", line: 1, filename: base },
    { type: "module", line: 2, filename: base },
    { type: "register", line: 3, as: "x" },
    { type: "assert_return", line: 4, action: { type: "invoke", field: "add", args: [] }, expected: [] },
    { type: "assert_malformed", line: 5, filename: "x.wat", text: "x", module_type: "text" },
  ]);
  const b = specFile("fresh", [{ type: "module", line: 1, filename: base }]);
  const r = wrt("spec", "--wasm", fake, a, b);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /^aborts: 1 passed, 3 failed, 0 skipped$/m);
  assert.match(r.out, /interpreter aborted at line 2.*boom/);
  assert.match(r.out, /^fresh: 1 passed, 0 failed, 0 skipped$/m);
  assert.match(r.out, /^spec: 2 passed, 3 failed, 0 skipped$/m);
});
