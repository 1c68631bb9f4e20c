// What the host-side tests share: the repository root, CI detection, WAT to
// bytes (the npm wabt), guest files in a temporary directory, and which QEMU
// boards this machine can build and run. Not a test file itself.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { wat } from "../../fuzz/lib/wat.mjs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Under CI a missing tool is a failure, not a skip. */
export const ci = /^(1|true|yes)$/i.test(process.env.CI ?? "");
export const qemuSh = path.join(root, "flash-scripts/qemu.sh");

/** WAT text -> module bytes (`wat(src, { name, check })`; `check: false` skips validation, to build invalid modules). */
export { wat };

/** A directory for one test file's guests: `guest("fib", "(module ...)")` -> its .wasm path. */
export function guestDir(prefix) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return {
    dir,
    guest(name, src) {
      const f = path.join(dir, `${name}.wasm`);
      writeFileSync(f, wat(src, { name: `${name}.wat` }));
      return f;
    },
  };
}

/** The QEMU boards and the tools each needs besides wasm2c. */
export const BOARDS = {
  "mps2-an385": ["arm-none-eabi-gcc", "qemu-system-arm"],
  "qemu-virt-rv32": ["riscv64-unknown-elf-gcc", "qemu-system-riscv32"],
};

// Debian's wabt: its wasm2c runtime sources (the npm wabt's wasm2c.js, first on
// PATH under `npm run`, is another version and cannot translate the interpreter).
export const has = (cmd) => cmd === "wasm2c"
  ? existsSync("/usr/share/wabt/wasm2c/wasm-rt-impl.c")
  : spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;

/** Why these tools (and build/wrt.wasm) are not all here, or null. */
export function missingTools(tools) {
  const need = ["wasm2c", ...tools].filter((c) => !has(c));
  if (!existsSync(path.join(root, "build/wrt.wasm"))) need.push("build/wrt.wasm (npm run build:wasm)");
  return need.length ? `missing ${need.join(", ")}` : null;
}

/** Why a board cannot be tested here, or null. */
export const missingBoard = (board) => missingTools(BOARDS[board]);

/** CRC-32 (IEEE), as snapshots and images use: the Node API's. */
export { crc32 } from "../../host-shims/node/dist/index.js";

// imageParts(image) and buildImage(parts): the image writer shared with the fuzzer.
export { imageParts, buildImage } from "../../fuzz/lib/image-parts.mjs";
