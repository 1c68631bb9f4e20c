// Issue 18 on the board: "a precompiled image with one changed operand of a
// copy op ... on the QEMU Cortex-M3 board with `--unchecked` (it read the
// vector table at flash address 0 and overwrote memory next to the arena)".
// Crafted images whose operands point outside their frame, function or
// memory are refused by the device build's verifier on mps2-an385, checked
// and --unchecked (no wasm2c bounds checks), with the reason on the UART and
// exit 3; the untouched image still runs. Heavy (QEMU): run under the lock.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { Engine, Module } from "../../host-shims/node/dist/index.js";
import { ci, qemuSh, missingBoard, guestDir, wat, imageParts, buildImage } from "./support.mjs";

const BOARD = "mps2-an385";
const why = missingBoard(BOARD);
const skip = why && !ci ? `${BOARD}: ${why}` : false;
const { dir } = guestDir("wrt-image-fw-");

// memory.copy (a copy op) and a loop: Copy slots, a memory op, a branch
const GUEST = wat(`(module (memory 1)
  (func (export "main") (result i32) (local $i i32) (local $s i32)
    (memory.copy (i32.const 64) (i32.const 0) (i32.const 16))
    (block $out (loop $l
      (br_if $out (i32.ge_u (local.get $i) (i32.const 10)))
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (i32.add (local.get $s) (i32.const 5))))`);
const IMAGE = Module.load(new Engine({ log: false }), GUEST).image();

/** The image with operand j of the first op `op` (found through the side table's op starts) set to v. */
function patched(op, j, v) {
  const p = imageParts(IMAGE);
  const starts = new Set();
  for (let i = 0; i < p.side.length; i += 1 + 3 * p.side[i]) for (let k = 0; k < p.side[i]; k++) starts.add(p.side[i + 1 + 3 * k] / 4);
  const at = [...starts].sort((a, b) => a - b).find((w) => p.code[w] === op);
  assert.ok(at !== undefined, `op ${op} in the guest`);
  const code = p.code.slice();
  code[at + j] = v;
  return buildImage({ ...p, code });
}

const CASES = [
  // [name, image, expected reason]
  ["memory.copy's length slot far outside the frame", () => patched(20, 3, 0x100000), /operand 3 of op 20 out of range: 1048576/],
  ["i32.load's address slot below the frame (wraps)", () => patched(33, 2, 0xfffffff8), /operand 2 of op 33 out of range/],
  ["a branch target outside the function", () => patched(4, 1, 0x7ffffff0), /operand 1 of op 4 out of range/],
];

function run(file, ...extra) {
  const r = spawnSync(qemuSh, [BOARD, file, "--device", "--invoke", "main", "--timeout", "60", ...extra], { encoding: "utf8", timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

for (const unchecked of [false, true]) {
  const flag = unchecked ? ["--unchecked"] : [];
  const label = unchecked ? " (--unchecked)" : "";
  test(`${BOARD}${label}: crafted images are refused by the device build, the reason on the UART`, { skip }, () => {
    if (why) assert.fail(`${BOARD}: ${why} (CI=true: the firmware tests must run)`);
    const good = path.join(dir, `good${unchecked ? "-u" : ""}.wrti`);
    writeFileSync(good, IMAGE);
    const g = run(good, ...flag);
    assert.equal(g.code, 0, g.out + g.err);
    assert.match(g.out, /^i32:5$/m, "the untouched image runs (memory is zero: sum 0, + 5)");
    CASES.forEach(([name, make, reason], i) => {
      const f = path.join(dir, `bad${i}${unchecked ? "-u" : ""}.wrti`);
      writeFileSync(f, make());
      const r = run(f, ...flag);
      assert.equal(r.code, 3, `${name}: exit 3\n${r.out}${r.err}`);
      assert.match(r.out, /^error: cannot load the guest: image is inconsistent/m, name);
      assert.match(r.out, reason, name);
      assert.doesNotMatch(r.out, /^i32:/m, `${name}: nothing ran`);
    });
  });
}
