// On boards the interpreter's arena never overflows into other data
// (docs/firmware.md, "The arena never overflows"). Firmware built by
// flash-scripts/qemu.sh with a small arena (8 pages) for each QEMU board:
//
// - a guest grows its memory page by page until memory.grow returns -1 (the
//   firmware's page budget, --max-pages), writes a canary into every word of
//   every page; then a second call finds every canary and the firmware finds
//   the guard words on both sides of the arena intact;
// - without a budget the same guest grows until the interpreter's own memory
//   cannot grow: a clear error, exit 3, no hang, guards intact (also without
//   wasm2c's bounds checks, --unchecked);
// - a store past the guest's last byte traps, guards intact;
// - the guard check fires when a byte next to the arena is overwritten
//   (--test-smash-guard), so "intact" means something;
// - in the ELF the arena sits between .bss and the stack, guards included.
//
// Needs what tests/node/firmware.test.mjs needs (skips without it; under
// CI=true fails instead).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { qemuSh, ci, BOARDS, missingBoard as missing, guestDir } from "./support.mjs";

const ARENA = "8"; // pages; the interpreter starts with 2
const { guest } = guestDir("wrt-arena-");
const GROW = guest("grow", `(module
  (memory (export "memory") 1)
  ;; grows one page at a time until memory.grow says -1, then writes
  ;; address ^ 0x5a5a5a5a into every word of every page; the page count
  (func $fill (export "fill") (result i32)
    (local $a i32) (local $end i32)
    (block $full (loop $more
      (br_if $full (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
      (br $more)))
    (local.set $end (i32.mul (memory.size) (i32.const 65536)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
      (i32.store (local.get $a) (i32.xor (local.get $a) (i32.const 0x5a5a5a5a)))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (br $next)))
    (memory.size))
  ;; the page count if every canary is in place, else -1 - (first bad address)
  (func (export "check") (result i32)
    (local $a i32) (local $end i32)
    (local.set $end (i32.mul (memory.size) (i32.const 65536)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
      (if (i32.ne (i32.load (local.get $a)) (i32.xor (local.get $a) (i32.const 0x5a5a5a5a)))
        (then (return (i32.sub (i32.const -1) (local.get $a)))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (br $next)))
    (memory.size))
  ;; fills, then stores 4 bytes at the last 2 bytes of the memory (a trap)
  (func (export "poke") (result i32)
    (drop (call $fill))
    (i32.store (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 2)) (i32.const -1))
    (i32.const 0)))`);

function qemu(board, ...args) {
  const r = spawnSync(qemuSh, [board, GROW, "--arena", ARENA, "--stats", "--timeout", "30", ...args], { encoding: "utf8", timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr, all: `${r.stdout}\n${r.stderr}` };
}
const lines = (out) => out.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
/** "# arena pages used: P of N" -> [P, N]. */
const used = (out) => (/^# arena pages used: (\d+) of (\d+)$/m.exec(out) ?? []).slice(1).map(Number);

for (const board of Object.keys(BOARDS)) {
  const why = missing(board);
  const skip = why && !ci ? `${board}: ${why}` : false;
  const t = (name, fn) => test(`${board}: ${name}`, { skip }, () => {
    if (why) assert.fail(`${board}: ${why} (CI=true: the arena tests must run)`);
    fn();
  });

  t("memory.grow reaches -1 (page budget), canaries in every page survive, a second call answers", () => {
    // budgets below what the arena holds: since the SIMD extension tables (on by
    // default in the full build) the interpreter's own static data is ~70 KB, one
    // 64 KiB wasm page more than before, so 8 arena pages hold 4 guest pages, not 5
    for (const pages of [3, 4]) {
      const r = qemu(board, "--invoke", "fill", "--then", "check", "--max-pages", String(pages));
      assert.equal(r.code, 0, r.all);
      assert.deepEqual(lines(r.out), [`i32:${pages}`, `i32:${pages}`], r.all);
      assert.match(r.out, /^# arena guards: intact$/m);
      const [p, n] = used(r.out);
      assert.ok(p <= n && n === Number(ARENA), r.out);
    }
  });

  for (const unchecked of [false, true]) {
    t(`no page budget: memory.grow answers -1 before the arena runs out${unchecked ? " (--unchecked)" : ""}; the interpreter lives on, guards intact`, () => {
      // The interpreter asks its allocator before growing guest memory
      // (assembly/runtime/heap-room.ts, ceiling = the arena): -1, not a crash.
      // (a hang would end in "error: QEMU timed out after 30 s", exit 3)
      const r = qemu(board, "--invoke", "fill", "--then", "check", ...(unchecked ? ["--unchecked"] : []));
      assert.equal(r.code, 0, r.all);
      const out = lines(r.out);
      assert.equal(out.length, 2, r.all);
      assert.match(out[0], /^i32:\d+$/, r.all);
      const pages = Number(out[0].slice(4));
      assert.ok(pages >= 2 && pages < Number(ARENA), `${pages} pages\n${r.all}`);
      assert.equal(out[1], out[0], r.all); // every canary in place after the second call
      assert.match(r.out, /^# arena guards: intact$/m);
    });
  }

  t("a store past the guest memory's last byte traps; guards intact", () => {
    const r = qemu(board, "--invoke", "poke", "--max-pages", "3");
    assert.equal(r.code, 1, r.all);
    assert.deepEqual(lines(r.out), ["trap: out of bounds memory access"], r.all);
    assert.match(r.out, /^# arena guards: intact$/m);
  });

  t("the guard check fires when the byte after the arena is overwritten (--test-smash-guard)", () => {
    const r = qemu(board, "--invoke", "fill", "--then", "check", "--max-pages", "3", "--test-smash-guard");
    assert.equal(r.code, 3, r.all);
    assert.deepEqual(lines(r.out), ["i32:3", "i32:3", "error: memory next to the arena was overwritten"], r.all);
    assert.match(r.out, /^# arena guards: overwritten$/m);
  });

  t("ELF: the arena (guards included) lies between .bss and the stack", () => {
    const b = spawnSync(qemuSh, [board, GROW, "--arena", ARENA, "--invoke", "fill", "--build-only"], { encoding: "utf8", timeout: 300_000 });
    assert.equal(b.status, 0, b.stderr);
    const elf = b.stdout.trim().split("\n").pop();
    const cc = BOARDS[board][0];
    const nm = spawnSync(cc.replace(/gcc$/, "nm"), ["-S", elf], { encoding: "utf8" });
    assert.equal(nm.status, 0, nm.stderr);
    const sym = (name) => {
      const m = new RegExp(`^([0-9a-f]+) (?:([0-9a-f]+) )?\\w ${name.replace("$", "\\$")}$`, "m").exec(nm.stdout);
      assert.ok(m, `symbol ${name} in ${elf}`);
      return { at: parseInt(m[1], 16), size: m[2] ? parseInt(m[2], 16) : 0 };
    };
    const arena = sym("wrt_arena");
    // the default (masked) build: 4 KiB of slack after the pages, before the guard (wrt_masked.h)
    assert.equal(arena.size, 16 + Number(ARENA) * 65536 + 4096 + 16, "guard + pages + slack + guard");
    assert.ok(sym("__bss_end").at <= arena.at, "arena after .bss");
    assert.ok(arena.at + arena.size <= sym("__stack_bottom").at, "stack after the arena");
  });
}
