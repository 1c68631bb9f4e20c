// The CLI's `--engine native`: the wasm2c build behind the same Engine, so
// `wrt run` and `wrt spec` give the same output as the Node engine.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { testsuiteDir } from "../../fuzz/lib/testsuite.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(root, "host-shims/node/dist/cli.js");
const ci = /^(1|true|yes)$/i.test(process.env.CI ?? "");
const suite = testsuiteDir();
const skip = existsSync(path.join(root, "build/wrt-native")) ? false : ci ? false : "build/wrt-native is missing (npm run build:native)";

const wrt = (...args) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8", timeout: 300_000 });

test("wrt run --engine native prints what the Node engine prints", { skip }, () => {
  for (const engine of ["node", "native"]) {
    const r = wrt("run", "--engine", engine, "examples/hello.wasm", "--invoke", "fib", "20");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), "i32:6765");
  }
});

test("wrt spec --engine native passes what the Node engine passes", { skip: skip || (existsSync(suite) ? false : ci ? false : "spec suite missing") }, () => {
  const files = ["i32.json", "f64.json", "call_indirect.json", "memory_grow.json", "br_table.json", "linking.json"].map((f) => path.join(suite, "core", f));
  const lines = ["node", "native"].map((engine) => {
    const r = wrt("spec", "--engine", engine, ...files);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    return r.stdout.trim().split("\n").at(-1);
  });
  assert.match(lines[0], /^spec: \d+ passed, 0 failed, \d+ skipped$/);
  assert.equal(lines[1], lines[0]);
});
