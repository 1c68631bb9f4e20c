// fuzz/run.mjs runs several modes in one run (`--mode images,snapshots`):
// each mode meets its own minimum, the last line sums them, the run's
// duration is printed, and a mode that compares too little fails the run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const fuzz = (...args) => spawnSync(process.execPath, [path.join(root, "fuzz/run.mjs"), ...args], { cwd: root, encoding: "utf8", timeout: 240_000 });

test("one fuzz run does images and snapshots: per-mode minimums, summed last line, duration", () => {
  const r = fuzz("--mode", "images,snapshots", "--modules", "150", "--seed", "7");
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.match(r.stdout, /^images: 150 crafted, /m);
  assert.match(r.stdout, /^snapshots: 150 crafted /m);
  assert.match(r.stdout, /^fuzz minimum \(images\): 150 modules, 600 calls: met$/m);
  assert.match(r.stdout, /^fuzz minimum \(snapshots\): 150 modules, 8 calls: met$/m);
  assert.match(r.stdout, /^fuzz duration: \d+\.\d s for modes images, snapshots$/m);
  const last = /^fuzz: (\d+) modules, (\d+) calls, 0 differences$/.exec(lines.at(-1));
  assert.ok(last, lines.at(-1));
  assert.equal(Number(last[1]), 300); // 150 + 150
});

test("a mode below its minimum fails the combined run; an unknown mode is refused", () => {
  const r = fuzz("--mode", "images,snapshots", "--modules", "40", "--min-modules", "41", "--seed", "7");
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^fuzz minimum \(images\): 41 modules, 164 calls: NOT MET \(40 modules, /m);
  const u = fuzz("--mode", "images,nosuch", "--modules", "1");
  assert.equal(u.status, 2);
  assert.match(u.stderr, /unknown --mode nosuch/);
});
