// bench/run.mjs checks its command line before it builds, pins or times
// anything: a bad option is refused (exit 64) with a message naming it, and
// --help prints the usage. Every case here must end in well under a second
// of work; were a check missing, the case would start a whole bench (and
// time out).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bench = (...args) => spawnSync(process.execPath, [path.join(root, "bench/run.mjs"), ...args],
  { cwd: root, encoding: "utf8", timeout: 30_000, env: { ...process.env, WRT_BENCH_PINNED: "" } });

test("--help prints the usage and exits 0", () => {
  const r = bench("--help");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /node bench\/run\.mjs \[--rounds N\]/);
  assert.match(r.stdout, /--pin CPU \| --no-pin/);
});

for (const [args, message] of [
  [["--bogus"], /unknown option --bogus/],
  [["--rounds"], /--rounds needs a value/],
  [["--only", "c-fib", "--pin"], /--pin needs a value/],
  [["--pin", String(os.cpus().length)], /--pin \d+: not a CPU of this machine/],
  [["--pin", "-1"], /--pin -1: not a CPU of this machine/],
  [["--pin", "0x1"], /--pin 0x1: not a CPU of this machine/],
  [["--no-pin", "--pin", "99999"], /--pin 99999: not a CPU of this machine/],
]) {
  test(`bench ${args.join(" ")}: refused with exit 64`, () => {
    const r = bench(...args);
    assert.equal(r.error, undefined, `did not stop at once: ${r.error}`);
    assert.equal(r.status, 64, r.stderr);
    assert.match(r.stderr, message);
  });
}
