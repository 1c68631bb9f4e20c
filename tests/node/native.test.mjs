// The native engine (docs/firmware.md): the wasm2c translation of the
// interpreter built for the host. `wrt-native run` must print what `wrt run`
// prints, and the Node embedding driven through it (engines/native.ts) must
// pass the same spec tests as the wasm engine.
//
// Needs gcc and the Debian package wabt (wasm2c); skips without them
// (fails under CI=true).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { root, ci, missingTools, guestDir } from "./support.mjs";
import { testsuiteDir } from "../../fuzz/lib/testsuite.mjs";

const cli = path.join(root, "host-shims/node/dist/cli.js");
const nativeBin = path.join(root, "build/wrt-native");
const suite = testsuiteDir("core");

const why = missingTools(["gcc"]);
const skip = why && !ci ? why : false;

let built = false;
function build() {
  if (why) assert.fail(`${why} (CI=true: the native tests must run)`);
  if (built) return;
  const r = spawnSync(process.execPath, [path.join(root, "scripts/build-c.mjs"), "--native"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  built = true;
}

const { dir, guest } = guestDir("wrt-native-");

const MOD = guest("m", `(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (func $fib (export "fib") (param i32) (result i32)
    local.get 0 i32.const 2 i32.lt_u
    if (result i32) local.get 0
    else local.get 0 i32.const 1 i32.sub call $fib local.get 0 i32.const 2 i32.sub call $fib i32.add end)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "floats") (param f64 f32) (result f64 f32 f64 f64 f32)
    local.get 0 local.get 1 f64.const 1e21 f64.const 1.5e-7 f32.const 0.1)
  (func (export "wide") (param i64) (result i64 i32) local.get 0 i32.const -1)
  (func (export "show") (param i32) local.get 0 call $print))`);

const runBoth = (...args) => {
  const n = spawnSync(nativeBin, ["run", ...args], { encoding: "utf8" });
  const j = spawnSync(process.execPath, [cli, "run", ...args], { encoding: "utf8" });
  return { n, j };
};

test("wrt-native run prints what wrt run prints (results, traps, fuel, floats, spectest)", { skip }, () => {
  build();
  const cases = [
    ["--invoke", "fib", "20"],
    ["--invoke", "div", "7", "0"],
    ["--invoke", "div", "-7", "2"],
    ["--invoke", "fib", "25", "--fuel", "1000"],
    ["--invoke", "fib", "25", "--fuel", "100000000"],
    ["--invoke", "floats", "-0.000001", "3.5"],
    ["--invoke", "floats", "nan", "-inf"],
    ["--invoke", "floats", "123456789012", "1e-40"],
    ["--invoke", "wide", "-9223372036854775808"],
    ["--invoke", "wide", "0xffffffffffffffff"],
    ["--invoke", "show", "-5"],
  ];
  for (const c of cases) {
    const { n, j } = runBoth(MOD, ...c);
    assert.equal(n.stdout, j.stdout, `stdout of ${c.join(" ")}`);
    assert.equal(n.status, j.status, `status of ${c.join(" ")}`);
    assert.equal(n.stderr, j.stderr, `stderr of ${c.join(" ")}`);
  }
});

// Until `wrt spec --engine native` is wired in cli.ts/engine.ts, the harness
// routes the Engine's instantiation of build/wrt.wasm to instantiateNative.
const HARNESS = `
import { instantiateNative } from ${JSON.stringify(path.join(root, "host-shims/node/dist/engines/native.js"))};
const Orig = WebAssembly.Instance;
WebAssembly.Instance = function (m, imports) {
  return imports?.wrt?.abort ? instantiateNative(imports) : new Orig(m, imports);
};
process.argv.splice(1, 0, "cli");
await import(${JSON.stringify(cli)});
`;

test("the spec suite through the native engine: same counts as the wasm engine", { skip: skip || (!existsSync(suite) && !ci ? `no spec suite at ${suite}` : false) }, () => {
  build();
  const files = ["i32.json", "call_indirect.json", "memory_grow.json", "linking.json", "imports.json", "fac.json"]
    .map((f) => path.join(suite, f)).filter(existsSync);
  assert.ok(files.length > 0, "spec files");
  for (const slice of [[], ["--fuel-slice", "random", "--seed", "3"]]) {
    const j = spawnSync(process.execPath, [cli, "spec", ...slice, ...files], { encoding: "utf8" });
    const n = spawnSync(process.execPath, ["--input-type=module", "-e", HARNESS, "spec", ...slice, ...files], { encoding: "utf8" });
    const total = (out) => /^spec: .*$/m.exec(out)?.[0];
    assert.ok(total(j.stdout), j.stdout + j.stderr);
    assert.equal(total(n.stdout), total(j.stdout), n.stdout + n.stderr);
    assert.match(total(n.stdout), / 0 failed/);
  }
});
