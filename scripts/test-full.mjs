// `npm run test:full`: everything `npm test` runs, with the full matrix of
// spec variants, plus the long runs that do not fit in `npm test`'s 20
// minutes. Run it under the shared lock: `flock /tmp/wrt-heavy.lock npm run test:full`.
//
//   1. scripts/test.mjs with every fuel-slice and snapshot variant of the spec
//      suite on both builds (WRT_SPEC_FUEL_SLICES below), the snapshot
//      variants over every file of each suite (WRT_SPEC_SAMPLE=all; npm test
//      runs them on a seeded quarter), and the "broken generation" fuzz
//      check for the full 60 s
//   2. the fuel oracle over the core suite in sliced runs with more seeds
//   3. the differential fuzzer for WRT_FULL_FUZZ_SECONDS (default 600) on the
//      Node engine and a third of that on the native engine, other seeds
//   4. 100,000 crafted images + 100,000 crafted snapshots in one fuzz run,
//      with the ASan+UBSan native build (issue 18's must-show)
//
// The last line is `N passed, M failed, K skipped` like npm test's (parts 2
// and 3 count one pass or fail each).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// Every slicing policy on both builds; snapshots at every slice with the
// "spread" policy (random slices of 1..64 snapshot ~10x as often: hours).
const SLICES = process.env.WRT_FULL_SLICES ?? [
  "1", "2", "7", "random", "spread", "snapshot:spread",
  "device", "device-1", "device-random", "device-spread", "device-snapshot:spread",
].join(",");
const fuzzSeconds = Number(process.env.WRT_FULL_FUZZ_SECONDS ?? 600);

function run(args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    let out = "";
    child.stdout.on("data", (c) => { out += c; process.stdout.write(c); });
    child.stderr.on("data", (c) => { out += c; process.stderr.write(c); });
    child.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
}

const t0 = Date.now();
let passed = 0, failed = 0, skipped = 0;
const summary = [];
let stepStart = Date.now();
const secs = () => { const s = (Date.now() - stepStart) / 1000; stepStart = Date.now(); return `${s.toFixed(0)} s`; };
const step = (name, ok, note = "") => {
  if (ok) passed++; else failed++;
  summary.push(`  ${name.padEnd(48)} ${ok ? "pass" : "FAIL"}  ${secs()}${note ? `  (${note})` : ""}`);
};

// 1. the npm test parts, full matrix
{
  const r = await run([path.join(root, "scripts/test.mjs")], { WRT_SPEC_FUEL_SLICES: SLICES, WRT_SPEC_SAMPLE: "all", WRT_FUZZ_BROKEN_SECONDS: "60" });
  const m = [...r.out.matchAll(/^(\d+) passed, (\d+) failed, (\d+) skipped$/gm)].pop();
  if (!m) { failed++; summary.push("  scripts/test.mjs: no summary line"); }
  else { passed += +m[1]; failed += +m[2]; skipped += +m[3]; summary.push(`  scripts/test.mjs (${SLICES}, every file)  ${m[0]}  ${secs()}`); }
  if (r.code !== 0 && (!m || +m[2] === 0)) failed++;
}

// 2. the fuel oracle, sliced, more seeds
for (const seed of [1, 2, 3]) {
  const r = await run([path.join(root, "scripts/fuel-oracle.mjs"), "--sliced", "--seed", String(seed)]);
  const m = /^fuel oracle: .*$/m.exec(r.out);
  step(`fuel oracle, sliced, seed ${seed}`, r.code === 0, m?.[0]);
}

// 3. long fuzz runs
{
  const r = await run([path.join(root, "fuzz/run.mjs"), "--seconds", String(fuzzSeconds), "--seed", "20261203"]);
  step(`fuzz ${fuzzSeconds} s (node)`, r.code === 0, /^fuzz: .*$/m.exec(r.out)?.[0]);
  if (existsSync(path.join(root, "build/wrt-native"))) {
    const n = await run([path.join(root, "fuzz/run.mjs"), "--seconds", String(Math.round(fuzzSeconds / 3)), "--seed", "31", "--engine", "native"]);
    step(`fuzz ${Math.round(fuzzSeconds / 3)} s (native)`, n.code === 0, /^fuzz: .*$/m.exec(n.out)?.[0]);
  } else {
    step("fuzz (native)", false, "build/wrt-native missing: npm run build:native");
  }
}

// 4. issue 18's must-show, one run: 100,000 crafted images and 100,000 crafted
//    snapshots, loaded/restored in Node and in the native build with
//    AddressSanitizer + UndefinedBehaviorSanitizer (built here if missing),
//    every accepted metered image and every accepted snapshot run on; the
//    run's duration and sanitizer report count are printed (fuzz/run.mjs).
{
  const asan = path.join(root, "build/wrt-native-asan");
  if (!existsSync(asan)) await run([path.join(root, "scripts/build-c.mjs"), "--sanitize"]);
  const r = await run([path.join(root, "fuzz/run.mjs"), "--mode", "images,snapshots", "--modules", "100000", "--native-bin", asan, "--seed", "20261203"]);
  const note = [/^fuzz duration: .*$/m, /^fuzz sanitizer reports: \d+/m, /^fuzz: .*$/m].map((re) => re.exec(r.out)?.[0]).filter(Boolean).join("; ");
  step("fuzz --mode images,snapshots --modules 100000 (ASan)", r.code === 0, note);
}

console.log("========== test:full summary ==========");
for (const s of summary) console.log(s);
console.log(`  time: ${((Date.now() - t0) / 1000).toFixed(0)} s (${((Date.now() - t0) / 60000).toFixed(1)} min)`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
