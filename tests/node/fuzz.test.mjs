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
  // the fuel oracle (fuzz/lib/fuel-oracle.mjs) compared most calls' fuel too
  const fuel = /(\d+) calls' fuel agreed with the oracle/.exec(r.out);
  assert.ok(fuel && +fuel[1] >= 500, `fuel compared for only ${fuel?.[1]} calls`);
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

// A run that compares too little fails: with generation broken (wasm-opt
// replaced by /bin/false, no spec suite) nothing is compared, and the
// minimum (one module per 12 s asked for, 5 calls per module) is not met.
// `npm run test:full` runs the same for the full 60 s (WRT_FUZZ_BROKEN_SECONDS).
test("the fuzzer fails when generation is broken (0 modules compared)", { timeout: 200_000 }, () => {
  const seconds = process.env.WRT_FUZZ_BROKEN_SECONDS ?? "13";
  const r = spawnSync(process.execPath, [run, "--seconds", seconds, "--spec-dir", "/nonexistent"], {
    cwd: root, encoding: "utf8", timeout: 180_000, env: { ...process.env, WRT_FUZZ_WASM_OPT: "/bin/false" },
  });
  assert.equal(r.status, 1, `${r.stdout}${r.stderr}`.slice(-2000));
  assert.match(r.stdout, /^fuzz minimum: \d+ modules, \d+ calls: NOT MET \(0 modules, 0 calls compared\)$/m);
  assert.match(r.stdout, /^fuzz: 0 modules, 0 calls, 0 differences$/m);
});
