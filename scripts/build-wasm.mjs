// Builds build/wrt.wasm (asc release target -> wasm-opt -O3) and
// build/wrt-device.wasm (asc device target -> wasm-opt -Oz).
// Usage: node scripts/build-wasm.mjs [--debug]
import { execFileSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { readFileSync, writeFileSync } from "node:fs";
import { mergeDataSegments } from "./merge-data-segments.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: "inherit" });

mkdirSync(path.join(root, "build"), { recursive: true });
const debug = process.argv.includes("--debug");
if (debug) {
  run(bin("asc"), ["assembly/index.ts", "--config", "wrt.asconfig.json", "--target", "debug"]);
} else {
  build("assembly/index.ts", "release", "build/wrt.raw.wasm", "build/wrt.wasm", "-O3");
  // The device build (docs/image-format.md): images only, no validator or
  // compiler, optimized for size (docs/footprint.md).
  build("assembly/device.ts", "device", "build/wrt-device.raw.wasm", "build/wrt-device.wasm", "-fimfs", "0", "-ocimfs", "0", "-O3");
}

function build(entry, target, raw, outFile, ...level) {
  // The interpreter's asc config is wrt.asconfig.json, not asconfig.json: `npx asc guest.ts` from the
  // repository root (an AssemblyScript guest, README) must not pick up the interpreter's settings.
  run(bin("asc"), [entry, "--config", "wrt.asconfig.json", "--target", target]);
  // The features asc emits by default; SIMD stays off so wasm2c can translate it.
  run(bin("wasm-opt"), [
    raw, ...level,
    "--enable-bulk-memory", "--enable-nontrapping-float-to-int",
    "--enable-sign-ext", "--enable-mutable-globals",
    "-o", outFile,
  ]);
  // One data segment instead of hundreds: much less C after wasm2c (see the script).
  const out = path.join(root, outFile);
  writeFileSync(out, mergeDataSegments(new Uint8Array(readFileSync(out)), 64));
  console.log(`${outFile}: ${statSync(out).size} bytes`);
}
