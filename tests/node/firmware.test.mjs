// Firmware under QEMU (docs/firmware.md): guests built into a firmware for
// each QEMU board by flash-scripts/qemu.sh and run with a time bound; the
// UART text and the exit status are asserted.
//
// Needs the Debian packages wabt (wasm2c), gcc-arm-none-eabi,
// libnewlib-arm-none-eabi, qemu-system-arm, gcc-riscv64-unknown-elf,
// picolibc-riscv64-unknown-elf, qemu-system-misc. Without them the tests
// skip with a message; under CI=true they fail instead.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { root, ci, qemuSh, BOARDS, has, missingBoard as missing, guestDir } from "./support.mjs";

const { dir, guest } = guestDir("wrt-fw-");

const FIB = guest("fib", `(module
  (func $fib (export "fib") (param i32) (result i32)
    local.get 0 i32.const 2 i32.lt_u
    if (result i32) local.get 0
    else local.get 0 i32.const 1 i32.sub call $fib local.get 0 i32.const 2 i32.sub call $fib i32.add end)
  (func (export "fib64") (param i64) (result i64)
    (local $a i64) (local $b i64) (local.set $b (i64.const 1))
    (block $done (loop $next
      (br_if $done (i64.eqz (local.get 0)))
      (local.set $b (i64.add (local.get $a) (local.tee $a (local.get $b))))
      (local.set 0 (i64.sub (local.get 0) (i64.const 1)))
      (br $next)))
    local.get $a))`);
// A guest whose memory (8 pages) cannot fit in a small arena.
const BIG = guest("big", `(module (memory 8) (func (export "main") (result i32) (i32.const 1)))`);
const TRAP = guest("trap", `(module
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "boom") unreachable))`);
const HOST = guest("host", `(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (import "env" "log" (func $log (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello from the guest")
  (func (export "main") (result i32)
    (call $log (i32.const 16) (i32.const 20))
    (call $print (i32.const 42))
    (i32.const 7))
  (func (export "bad_log") (call $log (i32.const 65530) (i32.const 100))))`);

const MIN_GUEST = guest("min", `(module (func (export "main") (result i32) i32.const 1))`);
function armWhyNow() {
  const m = ["arm-none-eabi-gcc", "wasm2c"].filter((c) => !has(c));
  return m.length ? `missing ${m.join(", ")}` : null;
}

function qemu(board, wasm, ...args) {
  const r = spawnSync(qemuSh, [board, wasm, ...args], { encoding: "utf8", timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
/** UART lines without the '#' statistics lines. */
const lines = (out) => out.split("\n").filter((l) => l !== "" && !l.startsWith("#"));

for (const board of Object.keys(BOARDS)) {
  const why = missing(board);
  const skip = why && !ci ? `${board}: ${why}` : false;
  const t = (name, fn) => test(`${board}: ${name}`, { skip }, () => {
    if (why) assert.fail(`${board}: ${why} (CI=true: the firmware tests must run)`);
    fn();
  });

  t("fib: result on the UART, exit 0", () => {
    const r = qemu(board, FIB, "--invoke", "fib", "20");
    assert.deepEqual(lines(r.out), ["i32:6765"], r.err);
    assert.equal(r.code, 0);
    const r64 = qemu(board, FIB, "--invoke", "fib64", "90");
    assert.deepEqual(lines(r64.out), ["i64:2880067194370816120"], r64.err);
  });

  t("a trap: its text, exit 1", () => {
    const r = qemu(board, TRAP, "--invoke", "div", "1", "0");
    assert.deepEqual(lines(r.out), ["trap: integer divide by zero"], r.err);
    assert.equal(r.code, 1);
    const u = qemu(board, TRAP, "--invoke", "boom");
    assert.equal(u.code, 1);
    assert.match(u.out, /^trap: unreachable/m);
  });

  t("fuel slices resume to the same result; a total budget runs out (exit 2)", () => {
    const whole = qemu(board, FIB, "--invoke", "fib", "23", "--stats");
    const sliced = qemu(board, FIB, "--invoke", "fib", "23", "--slice", "500", "--stats");
    assert.equal(whole.code, 0, whole.out + whole.err);
    assert.equal(sliced.code, 0, sliced.out + sliced.err);
    assert.deepEqual(lines(sliced.out), ["i32:28657"]);
    assert.deepEqual(lines(sliced.out), lines(whole.out));
    assert.match(whole.out, /^# slices: 1$/m);
    const n = Number(/^# slices: (\d+)$/m.exec(sliced.out)?.[1]);
    assert.ok(n > 100, `expected many slices, got ${n}`);
    const out = qemu(board, FIB, "--invoke", "fib", "23", "--fuel", "1000");
    assert.deepEqual(lines(out.out), ["out of fuel"]);
    assert.equal(out.code, 2);
  });

  t("a guest calling host functions that print to the UART", () => {
    const r = qemu(board, HOST, "--invoke", "main");
    assert.deepEqual(lines(r.out), ["log: hello from the guest", "42 : i32", "i32:7"], r.err);
    assert.equal(r.code, 0);
    const bad = qemu(board, HOST, "--invoke", "bad_log");
    assert.deepEqual(lines(bad.out), ["trap: env.log: string out of bounds"], bad.err);
    assert.equal(bad.code, 1);
  });

  t("a too-small arena: a clear message and exit 3, no hang", () => {
    // too small to start the interpreter at all
    const r = qemu(board, FIB, "--invoke", "fib", "20", "--arena", "1", "--timeout", "30");
    assert.equal(r.code, 3, r.out + r.err);
    assert.match(r.out, /^error: .*arena too small for the interpreter's initial memory \(raise WRT_ARENA_PAGES\)/m);
    // starts, but the guest's memory does not fit: refused at instantiation, saying why
    const g = qemu(board, BIG, "--invoke", "main", "--arena", "6", "--timeout", "30");
    assert.equal(g.code, 3, g.out + g.err);
    assert.match(g.out, /^error: cannot instantiate the guest: .*pages do not fit in the interpreter's memory .*raise WRT_ARENA_PAGES/m);
  });

  t("--unchecked build (no wasm2c bounds checks): same results, traps, slices", () => {
    const r = qemu(board, FIB, "--invoke", "fib", "23", "--slice", "700", "--unchecked");
    assert.deepEqual(lines(r.out), ["i32:28657"], r.err);
    assert.equal(r.code, 0);
    const h = qemu(board, HOST, "--invoke", "main", "--unchecked");
    assert.deepEqual(lines(h.out), ["log: hello from the guest", "42 : i32", "i32:7"], h.err);
    const d = qemu(board, TRAP, "--invoke", "div", "1", "0", "--unchecked");
    assert.deepEqual(lines(d.out), ["trap: integer divide by zero"]);
    assert.equal(d.code, 1);
  });

  t("--icount: instructions of the guest call under QEMU -icount", () => {
    const count = (n) => {
      const r = qemu(board, FIB, "--invoke", "fib", String(n), "--icount");
      assert.equal(r.code, 0, r.out + r.err);
      return Number(/^# instructions: (\d+)$/m.exec(r.out)?.[1]);
    };
    const a = count(15), b = count(20);
    assert.ok(a > 10000 && b > 5 * a, `fib 15: ${a}, fib 20: ${b} instructions`);
  });

  t("--device build (precompiled image, no compiler): results, traps, slices, host calls, snapshots both ways", () => {
    const r = qemu(board, FIB, "--device", "--invoke", "fib", "23", "--slice", "500", "--stats");
    assert.deepEqual(lines(r.out), ["i32:28657"], r.err);
    assert.equal(r.code, 0);
    assert.ok(Number(/^# slices: (\d+)$/m.exec(r.out)?.[1]) > 100, r.out);
    const stack = Number(/^# stack high-water: (\d+) bytes$/m.exec(r.out)?.[1]);
    assert.ok(stack > 0 && stack < 4096, `C stack high-water ${stack} bytes (budget 4 KiB)`);
    const h = qemu(board, HOST, "--device", "--invoke", "main");
    assert.deepEqual(lines(h.out), ["log: hello from the guest", "42 : i32", "i32:7"], h.err);
    const d = qemu(board, TRAP, "--device", "--unchecked", "--invoke", "div", "1", "0");
    assert.deepEqual(lines(d.out), ["trap: integer divide by zero"], d.err);
    assert.equal(d.code, 1);
    // Node -> board: a call stopped in Node continues on the device build
    const snap = path.join(dir, `${board}-in.bin`);
    const n = spawnSync(process.execPath, [path.join(root, "host-shims/node/dist/cli.js"), "run", FIB, "--invoke", "fib", "23",
      "--fuel", "20000", "--snapshot-out", snap], { encoding: "utf8" });
    assert.equal(n.status, 2, n.stderr);
    const c = qemu(board, FIB, "--device", "--snapshot-in", snap);
    assert.deepEqual(lines(c.out), ["i32:28657"], c.err);
    // board -> Node: a call stopped on the device build continues in Node
    const out = path.join(dir, `${board}-out.bin`);
    const b = qemu(board, FIB, "--device", "--invoke", "fib", "23", "--fuel", "30000", "--snapshot-out", out);
    assert.equal(b.code, 2, b.out + b.err);
    const res = spawnSync(process.execPath, [path.join(root, "host-shims/node/dist/cli.js"), "resume", out], { encoding: "utf8" });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /^i32:28657$/m);
  });

  t("an invalid guest for the device build: the compile step says why, exit 3", () => {
    const f = path.join(dir, "junk-device.wasm");
    writeFileSync(f, Buffer.from("\0asm\x01\0\0\0\x05\x01", "latin1"));
    const r = qemu(board, f, "--device", "--invoke", "x");
    assert.equal(r.code, 3, r.out + r.err);
    assert.match(r.err, /malformed: .*\n.*wrt compile .* failed/);
  });

  t("an invalid guest: error text, exit 3", () => {
    const f = path.join(dir, "junk.wasm");
    writeFileSync(f, Buffer.from("\0asm\x01\0\0\0\x05\x01", "latin1"));
    const r = qemu(board, f, "--invoke", "x");
    assert.equal(r.code, 3, r.out + r.err);
    assert.match(r.out, /^error: cannot load the guest: /m);
  });
}

// The flash budget of issue 3 (docs/footprint.md): the device build's
// interpreter core, Cortex-M4 at -Os, under 64 KiB of .text.
test("device build: interpreter core under 64 KiB of .text on Cortex-M4 -Os", { skip: armWhyNow() && !ci ? armWhyNow() : false }, () => {
  if (armWhyNow()) assert.fail(`${armWhyNow()} (CI=true)`);
  const r = spawnSync(path.join(root, "flash-scripts/build.sh"), ["nrf52840-dk", MIN_GUEST, "--device", "--unchecked", "--invoke", "main"],
    { encoding: "utf8", timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  const obj = path.join(root, "build/boards/nrf52840-dk/Os-device-unchecked/wrt_core.o");
  const sections = spawnSync("arm-none-eabi-size", ["-A", obj], { encoding: "utf8" }).stdout;
  const text = [...sections.matchAll(/^\.text\S*\s+(\d+)/gm)].reduce((a, m) => a + Number(m[1]), 0);
  assert.ok(text > 20_000, `implausible .text ${text}`);
  assert.ok(text < 64 * 1024, `device core .text ${text} bytes, budget 65536`);
});

// Real boards: no emulator here; the firmware must build to ELF + HEX (+ UF2)
// with a vector table that points into the board's flash and RAM.
const REAL = {
  "nrf52840-dk": { flash: [0x00000000, 0x100000], ram: [0x20000000, 0x40000] },
  "stm32f429-nucleo": { flash: [0x08000000, 0x200000], ram: [0x20000000, 0x30000] },
  "rp2040-pico": { flash: [0x10000000, 0x200000], ram: [0x20000000, 0x42000], vectors: 0x10000100, uf2: 0xe48bff56 },
};
const MIN = MIN_GUEST;
const armWhy = ["arm-none-eabi-gcc", "wasm2c"].filter((c) => !has(c));
for (const [board, m] of Object.entries(REAL)) {
  const why = armWhy.length ? `missing ${armWhy.join(", ")}` : null;
  test(`${board}: builds to ELF and HEX${m.uf2 ? " and UF2 (with boot2 CRC)" : ""}`, { skip: why && !ci ? why : false }, () => {
    if (why) assert.fail(`${board}: ${why} (CI=true)`);
    const r = spawnSync(path.join(root, "flash-scripts/build.sh"), [board, MIN, "--invoke", "main"], { encoding: "utf8", timeout: 300_000 });
    assert.equal(r.status, 0, r.stderr);
    const elf = r.stdout.trim().split("\n").pop();
    const hex = readFileSync(elf.replace(/\.elf$/, ".hex"), "utf8");
    assert.match(hex, /^:00000001FF\s*$/m);
    const binFile = elf.replace(/\.elf$/, ".text.bin");
    assert.equal(spawnSync("arm-none-eabi-objcopy", ["-O", "binary", "-j", ".text", elf, binFile]).status, 0);
    const bin = readFileSync(binFile);
    const sp = bin.readUInt32LE(0), reset = bin.readUInt32LE(4);
    const inside = (a, [base, len]) => a >= base && a <= base + len;
    assert.ok(inside(sp, m.ram), `initial SP 0x${sp.toString(16)} in RAM`);
    assert.ok(inside(reset & ~1, m.flash) && (reset & 1) === 1, `reset 0x${reset.toString(16)}: Thumb, in flash`);
    if (m.uf2) {
      const uf2 = readFileSync(elf.replace(/\.elf$/, ".uf2"));
      assert.equal(uf2.length % 512, 0);
      assert.equal(uf2.readUInt32LE(0), 0x0a324655);
      assert.equal(uf2.readUInt32LE(28), m.uf2);
      assert.equal(uf2.readUInt32LE(12), m.flash[0], "first block: boot2 at the start of flash");
      const boot2 = uf2.subarray(32, 32 + 256);
      let crc = 0xffffffff;
      for (const b of boot2.subarray(0, 252)) {
        crc ^= b << 24;
        for (let i = 0; i < 8; i++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
        crc >>>= 0;
      }
      assert.equal(boot2.readUInt32LE(252), crc, "boot2 CRC32");
      assert.equal(uf2.readUInt32LE(512 + 12), m.vectors, "vector table after boot2");
    }
  });
}
