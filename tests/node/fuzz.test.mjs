// A short, seeded run of the differential fuzzer (fuzz/run.mjs) as part of
// `npm test`: a fixed number of modules (binaryen translate-to-fuzz and
// mutated spec modules), each run in wrt and in V8; no difference allowed,
// and enough modules and calls must really have been compared.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const run = path.join(root, "fuzz/run.mjs");

function fuzz(args, timeoutMs) {
  const r = spawnSync(process.execPath, [run, ...args], { cwd: root, encoding: "utf8", timeout: timeoutMs });
  const out = `${r.stdout}${r.stderr}`;
  const m = /^fuzz: (\d+) modules, (\d+) calls, (\d+) differences$/m.exec(r.stdout);
  assert.ok(m, `no fuzz line (status ${r.status}, signal ${r.signal}):\n${out.slice(-3000)}`);
  return { modules: +m[1], calls: +m[2], differences: +m[3], status: r.status, out };
}

test("differential fuzzing against V8: 80 seeded modules, 0 differences", { timeout: 480_000 }, () => {
  const r = fuzz(["--seed", "20261121", "--modules", "80", "--seconds", "400"], 460_000);
  assert.equal(r.differences, 0, r.out.slice(-4000));
  assert.equal(r.status, 0, r.out.slice(-2000));
  assert.ok(r.modules >= 80, `only ${r.modules} modules compared (time cap hit?):\n${r.out.slice(-1000)}`);
  assert.ok(r.calls >= 1000, `only ${r.calls} calls compared`);
});

const native = path.join(root, "build/wrt-native");
const ci = /^(1|true|yes)$/i.test(process.env.CI ?? "");
test("differential fuzzing against V8 through the native engine: 20 modules", { timeout: 200_000, skip: existsSync(native) || ci ? false : "no build/wrt-native (npm run build:native)" }, () => {
  assert.ok(existsSync(native), "no build/wrt-native (CI=true: npm test builds it; gcc and wasm2c must be installed)");
  const r = fuzz(["--seed", "5", "--modules", "20", "--seconds", "150", "--engine", "native"], 180_000);
  assert.equal(r.differences, 0, r.out.slice(-4000));
  assert.ok(r.modules >= 20, `only ${r.modules} modules compared`);
  assert.ok(r.calls >= 300, `only ${r.calls} calls compared`);
});
