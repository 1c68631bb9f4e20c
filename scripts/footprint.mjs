// Writes docs/footprint.md: flash and RAM of the firmware per QEMU board at
// -Os and -O2 (docs/firmware.md). For each, flash-scripts/qemu.sh builds a
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
  for (const [opt, unchecked] of OPTS.flatMap((o) => [[o, false], [o, true]])) {
    const elf = path.join(dir, `${board}${opt}${unchecked ? "-unchecked" : ""}.elf`);
    const r = spawnSync(path.join(root, "flash-scripts/qemu.sh"),
      [board, guest, "--invoke", "main", "--opt", opt, "--arena", String(ARENA), "--stats", "--out", elf, ...(unchecked ? ["--unchecked"] : [])], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${board} ${opt}: qemu.sh failed (${r.status}): ${r.stdout}${r.stderr}`);
    const stack = Number(/# stack high-water: (\d+)/.exec(r.stdout)?.[1]);
    const pages = Number(/# arena pages used: (\d+)/.exec(r.stdout)?.[1]);
    const s = sections(e.SIZE, elf);
    const flash = (s[".text"] ?? 0) + (s[".rodata"] ?? 0) + (s[".ARM.exidx"] ?? 0) + (s[".data"] ?? 0);
    const objDir = path.join(root, "build/boards", board, opt.slice(1) + (unchecked ? "-unchecked" : ""));
    const core = objText(e.SIZE, [path.join(objDir, "wrt_core.o")]);
    const shim = objText(e.SIZE, [path.join(objDir, "wrt_api.o"), path.join(objDir, `wrt_rt_bare_${ARENA}.o`)]);
    rows.push({ board, opt: opt + (unchecked ? " unchecked" : ""), flash, core, shim, data: s[".data"] ?? 0, bss: s[".bss"] ?? 0, stack, pages });
  }
}

// Real boards: build only (no emulator), sizes from the ELF.
const REAL = ["nrf52840-dk", "stm32f429-nucleo", "rp2040-pico"];
const real = [];
for (const board of REAL) {
  const e = env(board);
  for (const [opt, unchecked] of OPTS.flatMap((o) => [[o, false], [o, true]])) {
    const elf = path.join(dir, `${board}${opt}${unchecked ? "-unchecked" : ""}.elf`);
    const r = spawnSync(path.join(root, "flash-scripts/build.sh"),
      [board, guest, "--invoke", "main", "--opt", opt, "--out", elf, ...(unchecked ? ["--unchecked"] : [])], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${board} ${opt}: build.sh failed (${r.status}): ${r.stderr}`);
    const s = sections(e.SIZE, elf);
    const flash = (s[".boot2"] ?? 0) + (s[".text"] ?? 0) + (s[".ARM.exidx"] ?? 0) + (s[".data"] ?? 0);
    real.push({ board, cpu: /-mcpu=(\S+)/.exec(e.ARCH_CFLAGS)?.[1], opt: opt + (unchecked ? " unchecked" : ""), flash, static: (s[".data"] ?? 0) + (s[".bss"] ?? 0), arena: Number(e.ARENA_DEFAULT) });
  }
}

const md = `# Footprint

Produced by \`node scripts/footprint.mjs\` (do not edit by hand). Firmware:
\`boards/<board>\` + \`boards/common/firmware.c\` + the interpreter (wasm2c
translation of build/wrt.wasm, ${(readFileSync(path.join(root, "build/wrt.wasm")).length / 1024).toFixed(1)} KiB of wasm) + host-shims/c,
with a minimal guest (\`main\` returns 1), linked with --gc-sections.

- **unchecked**: built with \`flash-scripts/qemu.sh --unchecked\` (no wasm2c bounds
  checks on the interpreter's own memory accesses; see docs/firmware.md).
- **flash**: .text + .rodata (+ .ARM.exidx) + .data initializers of the whole firmware.
- **core .text**: the interpreter's translated code alone (build/c/wrt.c object, before --gc-sections).
- **shim**: host-shims/c/wrt.c + wrt_rt_bare.c objects.
- **RAM**: .data + .bss + arena pages the run used (of ${ARENA} reserved) x 64 KiB + C stack high-water.

| board | opt | flash | core .text | shim | .data+.bss | arena used | C stack high-water | RAM total |
|---|---|---:|---:|---:|---:|---:|---:|---:|
${rows.map((r) => `| ${r.board} | ${r.opt} | ${kib(r.flash)} | ${kib(r.core)} | ${kib(r.shim)} | ${r.data + r.bss} B | ${r.pages} pages | ${r.stack} B | ${kib(r.data + r.bss + r.pages * 65536 + r.stack)} |`).join("\n")}

Real boards (built, not run here: no emulator): flash of the same firmware;
RAM reserved = .data + .bss + the board's default arena (pages x 64 KiB) +
8 KiB C stack.

| board | CPU | opt | flash | .data+.bss | arena (default) |
|---|---|---|---:|---:|---:|
${real.map((r) => `| ${r.board} | ${r.cpu} | ${r.opt} | ${kib(r.flash)} | ${r.static} B | ${r.arena} pages |`).join("\n")}

Budget (issue 3): interpreter core on Cortex-M -Os under 64 KiB of .text,
C stack high-water under 4 KiB. The arena use is dominated by the
interpreter's default stacks, allocated at start-up before \`wrt_config\`
can shrink them (docs/firmware.md, "Known limits").
`;
if (process.argv.includes("--check")) process.stdout.write(md);
else {
  writeFileSync(path.join(root, "docs/footprint.md"), md);
  console.log("docs/footprint.md written");
}
