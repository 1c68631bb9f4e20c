// Writes docs/footprint.md: flash and RAM of the firmware per QEMU board at
// -Os and -O2, for the full build and the device build (--device,
// docs/image-format.md) of the interpreter (docs/firmware.md), and at -Os
// for the device build with SIMD (--device-features simd). For each, flash-scripts/qemu.sh builds a
// firmware with a minimal guest and runs it with --stats (C stack
// high-water, arena pages used); `size -A` gives the sections.
//
//   node scripts/footprint.mjs [--check]    (--check: print, do not write)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BOARDS = ["mps2-an385", "qemu-virt-rv32"];
const OPTS = ["-Os", "-O2"];
const ARENA = 32;

// (module (func (export "main") (result i32) i32.const 1))
const MIN_GUEST = Buffer.from("0061736d010000000105016000017f03020100070801046d61696e00000a0601040041010b", "hex");
const dir = mkdtempSync(path.join(tmpdir(), "wrt-footprint-"));
const guest = path.join(dir, "min.wasm");
writeFileSync(guest, MIN_GUEST);

const env = (board) => {
  const text = readFileSync(path.join(root, "boards", board, "board.env"), "utf8");
  return Object.fromEntries([...text.matchAll(/^(\w+)="?([^"\n]*)"?$/gm)].map((m) => [m[1], m[2]]));
};
/**
 * [opt, unchecked, device] with device false, "device" or "device-simd":
 * the full build at both levels, the device build too (real boards: -Os
 * only), the device build with SIMD at -Os (real boards: unchecked only).
 */
const VARIANTS = (real) => [
  ...OPTS.flatMap((o) => [[o, false, false], [o, true, false]]),
  ...(real ? ["-Os"] : OPTS).flatMap((o) => [[o, false, "device"], [o, true, "device"]]),
  ...(real ? [["-Os", true, "device-simd"]] : [["-Os", false, "device-simd"], ["-Os", true, "device-simd"]]),
];
const label = (opt, unchecked, device) => `${device ? `${device === "device-simd" ? "device+simd" : "device"} ` : ""}${opt}${unchecked ? " unchecked" : ""}`;
const suffix = (opt, unchecked, device) => `${opt.slice(1)}${device ? `-${device}` : ""}${unchecked ? "-unchecked" : ""}`;
const flagsOf = (unchecked, device) => [...(unchecked ? ["--unchecked"] : []),
  ...(device === "device" ? ["--device"] : device === "device-simd" ? ["--device-features", "simd"] : [])];
/** .text and .rodata of the interpreter's translated code (wrt_core.o, before --gc-sections). */
const coreOf = (e, board, opt, unchecked, device) => {
  const s = sections(e.SIZE, path.join(root, "build/boards", board, suffix(opt, unchecked, device), "wrt_core.o"));
  const sum = (re) => Object.entries(s).filter(([k]) => re.test(k)).reduce((a, [, v]) => a + v, 0);
  return { text: sum(/^\.text/), rodata: sum(/^\.rodata/) };
};
const sections = (size, elf) => {
  const out = execFileSync(size, ["-A", elf], { encoding: "utf8" });
  return Object.fromEntries([...out.matchAll(/^(\.\S+)\s+(\d+)\s+\d+$/gm)].map((m) => [m[1], Number(m[2])]));
};
const objText = (size, objs) => {
  const out = execFileSync(size, ["-t", ...objs], { encoding: "utf8" });
  const total = out.trim().split("\n").pop().trim().split(/\s+/);
  return Number(total[0]);
};
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

const rows = [];
for (const board of BOARDS) {
  const e = env(board);
  for (const [opt, unchecked, device] of VARIANTS(false)) {
    const elf = path.join(dir, `${board}-${suffix(opt, unchecked, device)}.elf`);
    const r = spawnSync(path.join(root, "flash-scripts/qemu.sh"),
      [board, guest, "--invoke", "main", "--opt", opt, "--arena", String(ARENA), "--stats", "--out", elf, ...flagsOf(unchecked, device)], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${board} ${opt}: qemu.sh failed (${r.status}): ${r.stdout}${r.stderr}`);
    const stack = Number(/# stack high-water: (\d+)/.exec(r.stdout)?.[1]);
    const pages = Number(/# arena pages used: (\d+)/.exec(r.stdout)?.[1]);
    const s = sections(e.SIZE, elf);
    const flash = (s[".text"] ?? 0) + (s[".rodata"] ?? 0) + (s[".ARM.exidx"] ?? 0) + (s[".data"] ?? 0);
    const objDir = path.join(root, "build/boards", board, suffix(opt, unchecked, device));
    const core = coreOf(e, board, opt, unchecked, device);
    const shim = objText(e.SIZE, [path.join(objDir, "wrt_api.o"), path.join(objDir, `wrt_rt_bare_${ARENA}.o`)]);
    rows.push({ board, opt: label(opt, unchecked, device), flash, core, shim, data: s[".data"] ?? 0, bss: s[".bss"] ?? 0, stack, pages });
  }
}

// Real boards: build only (no emulator), sizes from the ELF.
const REAL = ["nrf52840-dk", "stm32f429-nucleo", "rp2040-pico"];
const real = [];
for (const board of REAL) {
  const e = env(board);
  for (const [opt, unchecked, device] of VARIANTS(true)) {
    const elf = path.join(dir, `${board}-${suffix(opt, unchecked, device)}.elf`);
    const r = spawnSync(path.join(root, "flash-scripts/build.sh"),
      [board, guest, "--invoke", "main", "--opt", opt, "--out", elf, ...flagsOf(unchecked, device)], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${board} ${opt}: build.sh failed (${r.status}): ${r.stderr}`);
    const s = sections(e.SIZE, elf);
    const flash = (s[".boot2"] ?? 0) + (s[".text"] ?? 0) + (s[".ARM.exidx"] ?? 0) + (s[".data"] ?? 0);
    real.push({ board, cpu: /-mcpu=(\S+)/.exec(e.ARCH_CFLAGS)?.[1], opt: label(opt, unchecked, device), flash,
      core: coreOf(e, board, opt, unchecked, device), static: (s[".data"] ?? 0) + (s[".bss"] ?? 0), arena: Number(e.ARENA_DEFAULT) });
  }
}

const md = `# Footprint

Produced by \`node scripts/footprint.mjs\` (do not edit by hand). Firmware:
\`boards/<board>\` + \`boards/common/firmware.c\` + the interpreter (wasm2c
translation of build/wrt-c.wasm, ${wasmKib("build/wrt-c.wasm")} of wasm, of
build/wrt-device.wasm, ${wasmKib("build/wrt-device.wasm")}, or of build/wrt-device-simd.wasm, ${wasmKib("build/wrt-device-simd.wasm")}) + host-shims/c,
with a minimal guest (\`main\` returns 1), linked with --gc-sections.

- **device**: the device build (\`--device\`, docs/image-format.md): the
  guest arrives as a precompiled image, so the validator and the compiler
  are not linked in; built with asc -O0 and wasm-opt -O3 with small-function
  inlining off (scripts/build-wasm.mjs). Without SIMD and relaxed SIMD: a
  guest using v128 is refused with an error naming SIMD.
- **device+simd**: the device build with SIMD and relaxed SIMD compiled in,
  a build-time option (\`--device-features simd\` of flash-scripts/build.sh
  and qemu.sh; build/wrt-device-simd.wasm from assembly/device-simd.ts).
- **unchecked**: built with \`flash-scripts/qemu.sh --unchecked\` (no wasm2c bounds
  checks on the interpreter's own memory accesses; see docs/firmware.md).
- **flash**: .text + .rodata (+ .ARM.exidx) + .data initializers of the whole firmware.
- **core .text / .rodata**: the interpreter's translated code alone (the
  build/c/wrt.c, build/c-device/wrt.c or build/c-device-simd/wrt.c object, before --gc-sections);
  .rodata is its data segment (mostly error texts, UTF-16) and wasm2c's tables.
- **shim**: host-shims/c/wrt.c + wrt_rt_bare.c objects.
- **RAM**: .data + .bss + arena pages the run used (of ${ARENA} reserved) x 64 KiB + C stack high-water.

| board | build | flash | core .text | core .rodata | shim | .data+.bss | arena used | C stack high-water | RAM total |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.map((r) => `| ${r.board} | ${r.opt} | ${kib(r.flash)} | ${kib(r.core.text)} | ${kib(r.core.rodata)} | ${kib(r.shim)} | ${r.data + r.bss} B | ${r.pages} pages | ${r.stack} B | ${kib(r.data + r.bss + r.pages * 65536 + r.stack)} |`).join("\n")}

Real boards (built, not run here: no emulator): flash of the same firmware;
RAM reserved = .data + .bss + the board's default arena (pages x 64 KiB) +
8 KiB C stack.

| board | CPU | build | flash | core .text | .data+.bss | arena (default) |
|---|---|---|---:|---:|---:|---:|
${real.map((r) => `| ${r.board} | ${r.cpu} | ${r.opt} | ${kib(r.flash)} | ${kib(r.core.text)} | ${r.static} B | ${r.arena} pages |`).join("\n")}

Budget (issue 3): interpreter core on Cortex-M4 -Os under 64 KiB of .text,
C stack high-water under 4 KiB. ${budgetLine()} ${simdLine()} The arena use is dominated by the
interpreter's default stacks, allocated at start-up before \`wrt_config\`
can shrink them (docs/firmware.md, "Known limits").

What the device build leaves out to fit: the decoder's load limits and
load-cost estimate (a board loads images, and its arena bounds a load), the
"name" custom section, and in restore the match of instances against their
module's types and limits and the funcref typing of locals and host-call
slots (docs/snapshot-format.md, "What restore checks"). Nor SIMD, unless
built with it: \`EXT_ON\` (binary/ext-ops.ts) is false at the device
target's optimize level 0 unless the entry is device-simd.ts, so the
extension ops' decoding, the loop's \`Ir.Ext\` case and their tables compile
out, and build-features.ts \`SIMD_BUILT\` leaves out v128 in types,
globals and snapshots.
`;
function wasmKib(f) {
  return `${(readFileSync(path.join(root, f)).length / 1024).toFixed(1)} KiB`;
}
function simdLine() {
  const m4 = real.find((r) => r.cpu === "cortex-m4" && r.opt === "device+simd -Os unchecked");
  const base = real.find((r) => r.board === m4.board && r.opt === "device -Os unchecked");
  return `SIMD on the device is a build-time option because it does not fit: with SIMD and relaxed
SIMD the device core is ${kib(m4.core.text)} (${m4.core.text} bytes, +${m4.core.text - base.core.text}) on ${m4.board} -Os unchecked, the whole firmware
${kib(m4.flash)} of flash (+${kib(m4.flash - base.flash)}).`;
}
function budgetLine() {
  const m4 = real.find((r) => r.cpu === "cortex-m4" && r.opt === "device -Os unchecked");
  const full = real.find((r) => r.cpu === "cortex-m4" && r.opt === "-Os unchecked");
  const stack = Math.max(...rows.filter((r) => r.opt.startsWith("device ")).map((r) => r.stack));
  return `The device build meets it: ${m4.board} (Cortex-M4) -Os unchecked, core .text ${kib(m4.core.text)}
(${m4.core.text} bytes; checked by tests/node/firmware.test.mjs); C stack high-water at most ${stack} B.
The full build, which also validates and compiles .wasm on the board, does not: ${kib(full.core.text)}
at -Os unchecked. wasm3's core is 61 KB here (shared/notes/anchors.md) and includes its compiler;
ours moves to the host (\`wrt compile\`). On Cortex-M0+ and RV32 every build is larger and
\`--unchecked\` saves little: without unaligned loads, each of wasm2c's memory accesses (a
\`memcpy\`) compiles to byte loads and shifts (a 4-byte load: 16 bytes of Thumb code on the
M0+, 4 on the M4).`;
}
if (process.argv.includes("--check")) process.stdout.write(md);
else {
  writeFileSync(path.join(root, "docs/footprint.md"), md);
  console.log("docs/footprint.md written");
}
