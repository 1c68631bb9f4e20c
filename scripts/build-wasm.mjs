// Builds build/wrt.wasm: asc (release target) -> wasm-opt.
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
  run(bin("asc"), ["assembly/index.ts", "--target", "debug"]);
} else {
  run(bin("asc"), ["assembly/index.ts", "--target", "release"]);
  // The features asc emits by default; SIMD stays off so wasm2c can translate it.
  run(bin("wasm-opt"), [
    "build/wrt.raw.wasm", "-O3",
    "--enable-bulk-memory", "--enable-nontrapping-float-to-int",
    "--enable-sign-ext", "--enable-mutable-globals",
    "-o", "build/wrt.wasm",
  ]);
  // One data segment instead of hundreds: much less C after wasm2c (see the script).
  const out = path.join(root, "build/wrt.wasm");
  writeFileSync(out, mergeDataSegments(new Uint8Array(readFileSync(out)), 64));
  const size = statSync(out).size;
  console.log(`build/wrt.wasm: ${size} bytes`);
}
