// Builds build/wrt.wasm (asc release target -> wasm-opt -O3, then branch hints
// for V8: scripts/branch-hints.mjs), build/wrt-c.wasm (the same from
// assembly/c-build.ts, without the dispatch loop's successor checks: what
// wasm2c translates for wrt-native and the boards),
// build/wrt-device.wasm (asc device target -> wasm-opt -O3, small-function
// inlining off) and build/wrt-device-simd.wasm (the same from
// assembly/device-simd.ts: the device build with SIMD and relaxed SIMD,
// docs/footprint.md).
// Usage: node scripts/build-wasm.mjs [--debug] [--device-features simd]
//   --device-features simd   only the device build with SIMD (what
//                            flash-scripts/build.sh --device-features simd uses)
//   --release-only           only build/wrt.wasm (what Node runs; for quick
//                            measurements of the dispatch loop in V8), not
//                            build/wrt-c.wasm
import { execFileSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { readFileSync, writeFileSync } from "node:fs";
import { mergeDataSegments } from "./merge-data-segments.mjs";
import { addBranchHints } from "./branch-hints.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: "inherit" });

mkdirSync(path.join(root, "build"), { recursive: true });
const debug = process.argv.includes("--debug");
const releaseOnly = process.argv.includes("--release-only");
const featuresAt = process.argv.indexOf("--device-features");
const deviceFeatures = featuresAt >= 0 ? process.argv[featuresAt + 1] ?? "" : null;
if (deviceFeatures !== null && deviceFeatures !== "simd") {
  console.error(`build-wasm: --device-features takes "simd" (SIMD and relaxed SIMD), not ${JSON.stringify(deviceFeatures)}`);
  process.exit(2);
}
// The device build (docs/image-format.md): images only, no validator or
// compiler, optimized for size (docs/footprint.md); SIMD only on request.
const DEVICE_OPT = ["-fimfs", "0", "-ocimfs", "0", "-O3"];
if (debug) {
  run(bin("asc"), ["assembly/index.ts", "--config", "wrt.asconfig.json", "--target", "debug"]);
} else if (deviceFeatures === "simd") {
  build("assembly/device-simd.ts", "device", "build/wrt-device-simd.raw.wasm", "build/wrt-device-simd.wasm", ...DEVICE_OPT);
} else {
  build("assembly/index.ts", "release", "build/wrt.raw.wasm", "build/wrt.wasm", "-O3");
  hintDispatchLoop("build/wrt.wasm");
  if (releaseOnly) process.exit(0);
  // What wasm2c translates (wrt-native, board firmware): the same without the
  // dispatch loop's successor checks (assembly/c-build.ts)
  build("assembly/c-build.ts", "release", "build/wrt-c.raw.wasm", "build/wrt-c.wasm", "-O3");
  build("assembly/device.ts", "device", "build/wrt-device.raw.wasm", "build/wrt-device.wasm", ...DEVICE_OPT);
  build("assembly/device-simd.ts", "device", "build/wrt-device-simd.raw.wasm", "build/wrt-device-simd.wasm", ...DEVICE_OPT);
}

// V8's branch hints for the dispatch loop (scripts/branch-hints.mjs): only
// the build Node runs for speed; wasm2c ignores the section.
function hintDispatchLoop(file) {
  const out = path.join(root, file);
  const r = addBranchHints(new Uint8Array(readFileSync(out)));
  if (!r.hints) throw new Error(`build-wasm: no branch hints found for ${file}'s dispatch loop`);
  writeFileSync(out, r.bytes);
  console.log(`${file}: ${r.hints} branch hints (function ${r.funcs.join(", ")}), ${r.bytes.length} bytes`);
}

function build(entry, target, raw, outFile, ...level) {
  // The interpreter's asc config is wrt.asconfig.json, not asconfig.json: `npx asc guest.ts` from the
  // repository root (an AssemblyScript guest, README) must not pick up the interpreter's settings.
  // The target's outFile and textFile are overridden: two entries share the device target.
  run(bin("asc"), [entry, "--config", "wrt.asconfig.json", "--target", target, "--outFile", raw, "--textFile", raw.replace(/\.raw\.wasm$/, ".wat")]);
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
