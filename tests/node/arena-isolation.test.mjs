// The default board build masks every access of the interpreter to its own
// memory into its arena (software fault isolation, docs/firmware.md "The
// arena never overflows"): whatever address an interpreter bug computes,
// nothing outside the arena is read or written.
//
// The stand-in for such a bug: --test-scribble overwrites the interpreter's
// whole memory with 0xFFFFFFFC words after a first call, so every pointer
// and length the interpreter reads on the second call is wild (unmasked,
// 0xFFFFFFFC is 4 bytes before the arena: the guard below). Whatever the
// second call then does (an error, a trap, a result), the guards on both
// sides of the arena and a canary array in .bss must be intact in the
// default build; the --checked build faults on the first wild access
// instead. Also: the ELF's masked accesses (no wasm2c bounds checks) are
// really there, the reservation is a power of two of pages.
//
// Needs what tests/node/firmware.test.mjs needs (skips without it; under
// CI=true fails instead).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { qemuSh, ci, BOARDS, missingBoard as missing, guestDir } from "./support.mjs";

const { guest } = guestDir("wrt-isolation-");
// Loads, stores and calls: enough of the interpreter runs on wild state.
const GUEST = guest("busy", `(module
  (memory (export "memory") 1)
  (func $sum (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.mul (local.get $i) (i32.const 7)))
      (local.set $s (i32.add (local.get $s) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (local.get $s))
  (func (export "main") (result i32) (call $sum (i32.const 1000))))`);

function qemu(board, ...args) {
  const r = spawnSync(qemuSh, [board, GUEST, "--arena", "4", "--stats", "--timeout", "30", "--invoke", "main", "--then", "main", "--test-scribble", ...args],
    { encoding: "utf8", timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr, all: `${r.stdout}\n${r.stderr}` };
}

for (const board of Object.keys(BOARDS)) {
  const why = missing(board);
  const skip = why && !ci ? `${board}: ${why}` : false;
  const t = (name, fn) => test(`${board}: ${name}`, { skip }, () => {
    if (why) assert.fail(`${board}: ${why} (CI=true: the isolation tests must run)`);
    fn();
  });

  t("default (masked) build: wild interpreter state stays inside the arena (guards and .bss canary intact)", () => {
    const r = qemu(board);
    assert.match(r.out, /^i32:3496500$/m, r.all); // the first call ran normally: 7 * (0 + ... + 999)
    assert.match(r.out, /^# arena guards: intact$/m, r.all);
    assert.match(r.out, /^# canary: intact$/m, r.all);
    assert.doesNotMatch(r.out, /overwritten/, r.all);
    assert.doesNotMatch(r.all, /QEMU timed out/, r.all);
  });

  t("--checked build: the first wild access is a clean fault (exit 3), nothing outside touched", () => {
    const r = qemu(board, "--checked");
    assert.equal(r.code, 3, r.all);
    assert.match(r.out, /^i32:3496500$/m, r.all);
    assert.match(r.out, /^error: .*out of bounds memory access/m, r.all);
    assert.match(r.out, /^# arena guards: intact$/m, r.all);
    assert.match(r.out, /^# canary: intact$/m, r.all);
  });
}
