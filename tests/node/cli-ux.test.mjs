// The `wrt` CLI as a user meets it (issue 12 part 4, issue 18 part 7): help
// per command, --version, one exit-code table, results in every integer
// style, `run` without --invoke, and every bad path or device answered with
// one line and exit 1 or 64: never a stack trace, never a hang. --fuel takes
// 0..2^63-1 and refuses the rest, the same in Node and wrt-native.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { wat } from "./support.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = process.env.WRT_CLI_UNDER_TEST ?? path.join(root, "host-shims/node/dist/cli.js");
const native = path.join(root, "build/wrt-native");
const dir = mkdtempSync(path.join(tmpdir(), "wrt-cli-ux-"));
const version = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).version;

function wrt(args, opts = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 30_000, ...opts });
  return { code: r.status, out: r.stdout, err: r.stderr, signal: r.signal };
}

/** One line on stderr, no JS stack, an exit code of 1 or 64, and no hang. */
function assertOneLineError(r, code, pattern) {
  assert.equal(r.signal, null, "killed by the timeout: the CLI hung");
  assert.equal(r.code, code, `exit ${r.code}: ${r.err}`);
  assert.doesNotMatch(r.err, /^\s+at .*\(?.*:\d+:\d+\)?$/m, `stack trace printed:\n${r.err}`);
  const lines = r.err.trimEnd().split("\n").filter((l) => !l.startsWith("wrt: see `wrt --help`"));
  assert.equal(lines.length, 1, `expected one line, got:\n${r.err}`);
  assert.match(lines[0], pattern);
}

function wasmFile(name, src) {
  const f = path.join(dir, name);
  writeFileSync(f, wat(src));
  return f;
}

const MOD = wasmFile("m.wasm", `(module
  (func (export "neg") (result i32) i32.const -1)
  (func (export "neg64") (result i64) i64.const -2)
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "count") (param $n i32) (result i32)
    (loop $l local.get $n i32.const 1 i32.sub local.tee $n br_if $l)
    local.get $n))`);

const COMMANDS = ["run", "resume", "validate", "compile", "lockstep", "spec"];

test("wrt <cmd> --help: description, arguments, options and the exit codes; exit 0", () => {
  for (const cmd of COMMANDS) {
    const r = wrt([cmd, "--help"]);
    assert.equal(r.code, 0, `${cmd} --help: ${r.err}`);
    assert.match(r.out, new RegExp(`^Usage: wrt ${cmd} `), cmd);
    assert.match(r.out, /Arguments:\n/, cmd);
    assert.match(r.out, /Exit codes:\n\s+0  success/, cmd);
    assert.match(r.out, /64  usage error/, cmd);
  }
  const run = wrt(["run", "--help"]).out;
  for (const o of ["--invoke <name>", "--fuel <n>", "--snapshot-out <file>", "--engine <engine>", "--results <style>"]) assert.ok(run.includes(o), o);
  assert.match(run, /2  out of fuel/);
  const top = wrt(["--help"]);
  assert.equal(top.code, 0);
  for (const cmd of COMMANDS) assert.match(top.out, new RegExp(`\\n  ${cmd} `), cmd);
  assert.match(top.out, /\n  component \[args\.\.\.\] +Component Model tools/, "wrt component (passes its words to host-shims/node/src/component/cli.ts)");
  assert.equal(wrt(["help", "run"]).out, wrt(["run", "--help"]).out);
});

test("wrt --version prints the package version", () => {
  for (const flag of ["--version", "-V"]) {
    const r = wrt([flag]);
    assert.equal(r.code, 0);
    assert.equal(r.out.trim(), version);
  }
});

test("usage errors all exit 64: wrong count, wrong type, unknown option or command, no command", () => {
  assertOneLineError(wrt(["run", MOD, "--invoke", "add", "1"]), 64, /add takes 2 arguments \(i32 i32\), got 1/);
  assertOneLineError(wrt(["run", MOD, "--invoke", "add", "1", "x"]), 64, /argument 2 of add: .*"x"/);
  assertOneLineError(wrt(["run", MOD, "--invoke", "add", "1", "99999999999"]), 64, /argument 2 of add: i32 out of range/);
  assertOneLineError(wrt(["run", MOD, "--bogus"]), 64, /unknown option '--bogus'/);
  assertOneLineError(wrt(["frobnicate"]), 64, /unknown command 'frobnicate'/);
  assertOneLineError(wrt(["run", MOD, "--invoke", "nope"]), 64, /exports no function "nope" \(exported functions: neg, neg64, add, count\)/);
  assertOneLineError(wrt(["run", MOD, "--engine", "jvm"]), 64, /'jvm' is invalid/);
  assertOneLineError(wrt(["compile", MOD]), 64, /missing -o/);
  assertOneLineError(wrt(["run", MOD, "--invoke", "neg", "--snapshot-out", path.join(dir, "x.bin")]), 64, /--snapshot-out needs --fuel/);
  const none = wrt([]);
  assert.equal(none.code, 64);
  assert.match(none.err, /Usage: wrt/);
});

test("results: signed by default; --results unsigned, hex and all", () => {
  assert.equal(wrt(["run", MOD, "--invoke", "neg"]).out, "i32:-1\n");
  assert.equal(wrt(["run", MOD, "--invoke", "neg", "--results", "unsigned"]).out, "i32:4294967295\n");
  assert.equal(wrt(["run", MOD, "--invoke", "neg", "--results", "hex"]).out, "i32:0xffffffff\n");
  assert.equal(wrt(["run", MOD, "--invoke", "neg", "--results", "all"]).out, "i32:-1 (4294967295, 0xffffffff)\n");
  assert.equal(wrt(["run", MOD, "--invoke", "neg64", "--results", "unsigned"]).out, "i64:18446744073709551614\n");
  // negative arguments are arguments, not options
  assert.equal(wrt(["run", MOD, "--invoke", "add", "-5", "3"]).out, "i32:-2\n");
  assert.equal(wrt(["run", MOD, "--invoke", "add", "-5", "-0x10"]).out, "i32:-21\n");
});

test("run without --invoke: runs _start, or says there is none and lists the exports", () => {
  const start = wasmFile("start.wasm", `(module (import "spectest" "print_i32" (func $p (param i32)))
    (func (export "_start") i32.const 77 call $p))`);
  const r = wrt(["run", start]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, "77 : i32\n");
  const noStart = wrt(["run", MOD]);
  assert.equal(noStart.code, 0);
  assert.equal(noStart.out, "");
  assert.match(noStart.err, /has no _start .*exported functions: neg, neg64, add, count.*--invoke NAME/);
});

test("bad input paths and devices: one line naming the file, exit 1, no hang", () => {
  const cases = [
    [["run", dir], /cannot read module .*: is a directory/],
    [["run", "/dev/zero"], /cannot read module \/dev\/zero: is a device/],
    [["run", "/dev/full"], /cannot read module \/dev\/full: is a device/],
    [["run", path.join(dir, "missing.wasm")], /cannot read module .*missing\.wasm: no such file or directory/],
    [["validate", dir], /is a directory/],
    [["compile", "/dev/zero", "-o", path.join(dir, "z.wrti")], /is a device/],
    [["resume", "/dev/zero"], /cannot read snapshot \/dev\/zero: is a device/],
    [["resume", dir], /cannot read snapshot .*: is a directory/],
    [["resume", path.join(dir, "missing.bin")], /no such file or directory/],
    [["lockstep", "/dev/full", "--invoke", "f"], /is a device|native engine/],
  ];
  for (const [args, pattern] of cases) assertOneLineError(wrt(args, { timeout: 20_000 }), 1, pattern);
  for (const r of cases.map(([a]) => wrt(a))) assert.doesNotMatch(r.err, /ENOENT|EISDIR|node:internal/);
});

test("a non-Wasm file: the file name and the offset once", () => {
  const txt = path.join(dir, "notes.txt");
  writeFileSync(txt, "hello\n");
  const r = wrt(["run", txt]);
  assertOneLineError(r, 1, /notes\.txt: malformed: magic header not detected at byte offset 0$/);
  assert.equal(r.err.match(/offset|byte 0x/g).length, 1, r.err);
  const snap = wrt(["resume", txt]);
  assertOneLineError(snap, 1, /notes\.txt: not a snapshot file/);
});

test("bad output paths: /dev/full, a directory, a missing directory: one line, exit 1", () => {
  const cases = [
    [["compile", MOD, "-o", "/dev/full"], /cannot write image \/dev\/full: no space left on device/],
    [["compile", MOD, "-o", dir], /cannot write image .*: is a directory/],
    [["compile", MOD, "-o", path.join(dir, "no", "such", "x.wrti")], /cannot write image .*: no such file or directory/],
    [["run", MOD, "--invoke", "count", "1000", "--fuel", "50", "--snapshot-out", "/dev/full"], /cannot write snapshot \/dev\/full: no space left on device/],
  ];
  for (const [args, pattern] of cases) assertOneLineError(wrt(args), 1, pattern);
});

test("--fuel: 0 .. 2^63-1 accepted, anything else refused with 64 (Node CLI)", () => {
  const max = ((1n << 63n) - 1n).toString();
  assert.equal(wrt(["run", MOD, "--invoke", "count", "1000", "--fuel", max]).out, "i32:0\n");
  const zero = wrt(["run", MOD, "--invoke", "count", "1000", "--fuel", "0"]);
  assert.equal(zero.code, 2);
  assert.equal(zero.out, "out of fuel\n");
  for (const bad of [(1n << 63n).toString(), (1n << 64n).toString(), "18446744073709551617", "-1", "1e3", "0x10", ""]) {
    assertOneLineError(wrt(["run", MOD, "--invoke", "count", "1000", "--fuel", bad]), 64, /--fuel/);
  }
});

test("--fuel: the same range in wrt-native run", { skip: !existsSync(native) && "build/wrt-native missing (npm run build:native)" }, () => {
  const nat = (args) => spawnSync(native, ["run", ...args], { encoding: "utf8", timeout: 30_000 });
  const max = ((1n << 63n) - 1n).toString();
  let r = nat([MOD, "--invoke", "count", "1000", "--fuel", max]);
  assert.equal(r.stdout, "i32:0\n", r.stderr);
  r = nat([MOD, "--invoke", "count", "1000", "--fuel", "0"]);
  assert.equal(r.status, 2);
  for (const bad of [(1n << 63n).toString(), (1n << 64n).toString(), "18446744073709551617", "-1"]) {
    r = nat([MOD, "--invoke", "count", "1000", "--fuel", bad]);
    assert.equal(r.status, 64, `${bad}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /--fuel takes an integer from 0 to 9223372036854775807/);
  }
  for (const bad of [dir, "/dev/zero", "/dev/full", path.join(dir, "missing.wasm")]) {
    r = nat([bad, "--invoke", "f"]);
    assert.equal(r.signal, null, `${bad}: hung`);
    assert.equal(r.status, 1, `${bad}: ${r.stderr}`);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /cannot read/);
  }
});

test("a progress line on long runs when asked (stderr a terminal, or WRT_PROGRESS=1)", () => {
  const env = { ...process.env, WRT_PROGRESS: "1", WRT_PROGRESS_AFTER_MS: "0" };
  const r = wrt(["run", MOD, "--invoke", "count", "20000000"], { env });
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, "i32:0\n");
  assert.match(r.err, /\r\x1b\[2Kwrt: running count: [\d,]+ fuel \(\d+\.\d s\)/);
  assert.match(r.err, /\r\x1b\[2K$/, "the line is erased at the end");
  const quiet = wrt(["run", MOD, "--invoke", "count", "20000000"], { env: { ...process.env, WRT_PROGRESS: "0" } });
  assert.equal(quiet.err, "");
});

test("wrt spec over several files: a progress line between the per-file lines (terminal or WRT_PROGRESS=1), none otherwise", () => {
  const files = ["a", "b", "c"].map((name) => {
    const f = path.join(dir, `spec-${name}.json`);
    writeFileSync(f, JSON.stringify({ source_filename: `${name}.wast`, commands: [
      { type: "module", line: 1, filename: "m.wasm" },
      { type: "assert_return", line: 2, action: { type: "invoke", field: "add", args: [{ type: "i32", value: "2" }, { type: "i32", value: "3" }] }, expected: [{ type: "i32", value: "5" }] },
    ] }));
    return f;
  });
  const env = { ...process.env, WRT_PROGRESS: "1", WRT_PROGRESS_AFTER_MS: "0" };
  const r = wrt(["spec", ...files], { env });
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /\r\x1b\[2Kwrt: spec: 1\/3 files/);
  assert.match(r.err, /\r\x1b\[2Kwrt: spec: 3\/3 files/);
  assert.match(r.out, /^spec: 6 passed, 0 failed/m);
  const quiet = wrt(["spec", ...files], { env: { ...process.env, WRT_PROGRESS: "0" } });
  assert.equal(quiet.err, "");
  assert.equal(quiet.out, r.out);
});
