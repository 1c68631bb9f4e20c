// `npm test`: every test of the project, in order, with one summary line.
//
//   1. as-pect     AssemblyScript unit tests (tests/as/*.spec.ts)
//   2. node:test   host-side tests (tests/node/, tests/as/prove-failing/)
//   3. spec        the Wasm 2.0 core spec suite through the `wrt spec` CLI,
//                  from $WRT_TESTSUITE or ../shared/testsuite (repo-relative):
//                  once as is, then with every invocation cut into fuel
//                  slices and resumed (`--fuel-slice 1`, `--fuel-slice random`),
//                  then with every slice snapshotted and restored into a
//                  fresh interpreter (`--snapshot-every-slice --fuel-slice
//                  spread`, docs/snapshot-format.md); then the device build
//                  on precompiled images, plain and snapshotted at every
//                  slice; every run must pass and skip exactly the
//                  numbers of commands recorded for its suite and engine
//                  in tests/expected-counts.json
//   3b. simd       the simd and relaxed-simd spec suites (issue 13): Node, the
//                  native engine, and Node with a snapshot at every slice of
//                  a seeded spread (fixed seed: a sample, not a search); the
//                  device build with SIMD (build/wrt-device-simd.wasm) on
//                  precompiled images, plain and with a snapshot at every
//                  slice; each run's counts pinned in tests/expected-counts.json too
//   4. component   the component-model spec tests (`wrt component spec`;
//                  comp's part, counts in tests/component-expected-counts.json)
//
// Each part's own output is shown as it runs; its pass/fail/skip counts are
// parsed from that output. The last line is exactly
// `N passed, M failed, K skipped` (the sums; CI parses it) and the exit status
// is non-zero if any part failed. A part that crashes or prints no counts is
// counted as one failure.
//
// Under CI=true nothing skips silently: a skipped node test (a missing tool)
// is also counted as a failure, with its name and reason printed; a missing
// or empty spec suite is a failure. Without CI the spec part is skipped with
// a message when the suite is missing, and skipped node tests are listed. WRT_SPEC_FUEL_SLICES (default
// "1,random,snapshot:spread,device,device-snapshot:spread", empty for none)
// lists the runs after the plain one: "X" is `--fuel-slice X`,
// "snapshot:X" is `--snapshot-every-slice --fuel-slice X`, a "device" prefix
// runs the device build (build/wrt-device.wasm) on precompiled images
// (`--via-image`, docs/image-format.md).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ci = /^(1|true|yes)$/i.test(process.env.CI ?? "");
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");

/** Runs a command, streaming its output, and resolves with {code, out}. */
function run(cmd, args, { timeoutMs = 25 * 60_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: process.env });
    let out = "";
    const take = (stream) => (chunk) => { out += chunk; stream.write(chunk); };
    child.stdout.on("data", take(process.stdout));
    child.stderr.on("data", take(process.stderr));
    const timer = setTimeout(() => { out += `\n[test.mjs] timed out after ${timeoutMs / 1000}s\n`; child.kill("SIGKILL"); }, timeoutMs);
    child.on("error", (e) => { out += `\n[test.mjs] ${e.message}\n`; });
    child.on("close", (code, signal) => { clearTimeout(timer); resolve({ code: code ?? (signal ? 1 : 0), out }); });
  });
}

const results = [];
let partStart = Date.now();
function record(name, passed, failed, note = "", skipped = 0) {
  const secs = (Date.now() - partStart) / 1000;
  partStart = Date.now();
  note = [note, `${secs.toFixed(0)} s`].filter(Boolean).join(", ");
  results.push({ name, passed, failed, skipped, note });
  console.log(`\n[test.mjs] ${name}: pass ${passed}, fail ${failed}, skip ${skipped}${note ? ` (${note})` : ""}\n`);
}
const banner = (t) => console.log(`\n========== ${t} ==========\n`);

async function asPect() {
  banner("as-pect (tests/as)");
  partStart = Date.now();
  const asp = path.join(root, "node_modules/@as-pect/cli/bin/asp.js");
  const { code, out } = await run(process.execPath, [asp, "--config", "as-pect.config.js"]);
  const m = /\[Tests\]:\s*(\d+)\s*\/\s*(\d+)/.exec(stripAnsi(out));
  if (!m) return record("as-pect", 0, 1, `no result line, exit ${code}`);
  const passed = +m[1], total = +m[2];
  let failed = total - passed;
  if (code !== 0 && failed === 0) failed = 1; // e.g. a compile error after some files ran
  record("as-pect", passed, failed);
}

/**
 * The native engine (build/wrt-native) for the tests that compare engines:
 * built here when gcc and wasm2c are present (incremental), so `npm test`
 * on a fresh machine needs no extra step. Without them those tests skip
 * (and fail under CI=true).
 */
async function buildNative() {
  const has = (c) => spawnSync("sh", ["-c", `command -v ${c}`]).status === 0;
  if (!has("gcc") || !(has("wasm2c") || existsSync("/usr/bin/wasm2c"))) {
    console.log("[test.mjs] gcc or wasm2c missing: the native engine is not built");
    return;
  }
  const { code } = await run(process.execPath, [path.join(root, "scripts/build-c.mjs"), "--native"]);
  if (code !== 0) console.log("[test.mjs] building the native engine failed (its tests will say so)");
}

async function nodeTests() {
  await buildNative();
  banner("node:test (tests/node, tests/as/prove-failing)");
  partStart = Date.now();
  const dir = mkdtempSync(path.join(tmpdir(), "wrt-test-"));
  const tap = path.join(dir, "node.tap");
  const { code, out } = await run(process.execPath, [
    "--test",
    "--test-reporter=spec", "--test-reporter-destination=stdout",
    "--test-reporter=tap", `--test-reporter-destination=${tap}`,
    "tests/node/", "tests/as/prove-failing/",
  ]);
  const text = existsSync(tap) ? readFileSync(tap, "utf8") : "";
  rmSync(dir, { recursive: true, force: true });
  const count = (k) => { const m = new RegExp(`^# ${k} (\\d+)$`, "m").exec(text); return m ? +m[1] : null; };
  const pass = count("pass"), fail = count("fail"), cancelled = count("cancelled") ?? 0;
  const skipped = (count("skipped") ?? 0) + (count("todo") ?? 0);
  if (pass === null || fail === null) return record("node:test", 0, 1, `no TAP summary, exit ${code}: ${out.slice(-200)}`);
  let failed = fail + cancelled;
  if (code !== 0 && failed === 0) failed = 1;
  // Every skipped or todo test, by name and reason (TAP: `ok N - name # SKIP why`).
  const skips = [...text.matchAll(/^\s*(?:not )?ok \d+ - (.*?) # (SKIP|TODO)\b ?(.*)$/gm)].map((m) => `${m[1]}: ${m[3] || m[2].toLowerCase()}`);
  if (skips.length) console.log(`[test.mjs] ${skips.length} node tests skipped:\n${skips.map((x) => `  ${x}`).join("\n")}`);
  let note = "";
  if (ci && skipped > 0) {
    failed += skipped; // under CI a skip is a missing tool: a failure
    note = `${skipped} skipped under CI=true, counted as failed`;
  }
  record("node:test", pass, failed, note, skipped);
}

/**
 * tests/expected-counts.json: for each spec suite (folder name) and engine
 * ("node": build/wrt.wasm, "device": build/wrt-device.wasm on images), the
 * number of commands that pass and that skip. Returns null if the run
 * matches, else what differs. Update the file by hand when a change is meant
 * to change the counts (say why in the commit).
 */
function checkExpected(suite, engine, passed, skipped) {
  const file = path.join(root, "tests/expected-counts.json");
  const want = JSON.parse(readFileSync(file, "utf8"))[suite]?.[engine];
  const got = `"${suite}": { "${engine}": { "passed": ${passed}, "skipped": ${skipped} } }`;
  if (!want) return `no expected counts for ${suite}/${engine} in tests/expected-counts.json (this run: ${got})`;
  if (want.passed === passed && want.skipped === skipped) return null;
  return `expected ${want.passed} passed, ${want.skipped} skipped (tests/expected-counts.json), got ${passed} passed, ${skipped} skipped`;
}

async function spec() {
  const suite = process.env.WRT_TESTSUITE
    ? path.resolve(root, process.env.WRT_TESTSUITE)
    : path.resolve(root, "../shared/testsuite");
  const core = path.join(suite, "core");
  if (!existsSync(core)) {
    banner("spec suite");
    if (ci) return record("spec", 0, 1, `spec suite not found at ${core} (required under CI=true; set WRT_TESTSUITE)`);
    console.log(`[test.mjs] spec suite not found at ${core}: skipping the spec tests (set WRT_TESTSUITE to run them)`);
    return;
  }
  const cli = path.join(root, "host-shims/node/dist/cli.js");
  const slices = [null, ...(process.env.WRT_SPEC_FUEL_SLICES ?? "1,random,snapshot:spread,device,device-snapshot:spread").split(",").map((s) => s.trim()).filter(Boolean)];
  const suiteName = path.basename(core);
  for (const slice of slices) {
    const device = slice?.startsWith("device") ?? false;
    const rest = device ? slice.slice("device".length).replace(/^-/, "") || null : slice;
    const snapshot = rest?.startsWith("snapshot:") ?? false;
    const fuelSlice = snapshot ? rest.slice("snapshot:".length) : rest;
    const flags = [...(device ? ["--via-image", "--wasm", "build/wrt-device.wasm"] : []),
      ...(snapshot ? ["--snapshot-every-slice"] : []), ...(fuelSlice ? ["--fuel-slice", fuelSlice] : [])];
    const name = ["spec", ...flags].join(" ");
    banner(`${name} (${core})`);
    partStart = Date.now();
    if (!existsSync(cli)) { record(name, 0, 1, "host-shims/node/dist/cli.js missing: run `npm run build`"); continue; }
    await specRun(name, cli, [...flags, core], suiteName, device ? "device" : "node");
  }
}

/**
 * Runs `wrt spec ARGS` and records it as `name`: the counts of its last
 * `spec: N passed, M failed, K skipped` line. A non-zero exit, nothing
 * passed (an empty or unreadable suite is never a success) or counts other
 * than tests/expected-counts.json's for `suite`/`engine` (a command skipped
 * only when sliced, a growing skip count or a shrinking suite would
 * otherwise pass) each add a failure.
 */
async function specRun(name, cli, args, suite, engine) {
  const { code, out } = await run(process.execPath, [cli, "spec", ...args]);
  const text = stripAnsi(out);
  const all = [...text.matchAll(/^spec: (\d+) passed, (\d+) failed, (\d+) skipped$/gm)];
  if (all.length === 0) return record(name, 0, 1, `no 'spec: ...' line, exit ${code}`);
  const m = all[all.length - 1];
  const passed = +m[1], skipped = +m[3];
  let failed = +m[2];
  if (code !== 0 && failed === 0) failed = 1;
  const notes = [];
  const seed = /^seed: (\d+)$/m.exec(text);
  if (seed) notes.push(`seed ${seed[1]}`);
  if (passed === 0) { failed += 1; notes.push("nothing passed (empty suite?)"); }
  const bad = checkExpected(suite, engine, passed, skipped);
  if (bad) { failed += 1; notes.push(bad); }
  record(name, passed, failed, notes.join("; "), skipped);
}

// ---- simd (issue 13): the simd and relaxed-simd suites ------------------------
async function simdSpec() {
  const suite = process.env.WRT_TESTSUITE
    ? path.resolve(root, process.env.WRT_TESTSUITE)
    : path.resolve(root, "../shared/testsuite");
  const cli = path.join(root, "host-shims/node/dist/cli.js");
  const native = existsSync(path.join(root, "build/wrt-native"));
  const runs = [
    { engine: "node", flags: [] },
    { engine: "native", flags: ["--engine", "native"] },
    { engine: "node", flags: ["--snapshot-every-slice", "--fuel-slice", "spread", "--seed", "13"] },
    // the device build with SIMD (--device-features simd, docs/footprint.md) on precompiled images
    { engine: "device", flags: ["--via-image", "--wasm", "build/wrt-device-simd.wasm"] },
    { engine: "device", flags: ["--via-image", "--wasm", "build/wrt-device-simd.wasm", "--snapshot-every-slice", "--fuel-slice", "spread", "--seed", "13"] },
  ];
  for (const suiteName of ["simd", "relaxed-simd"]) {
    const dir = path.join(suite, suiteName);
    for (const { engine, flags } of runs) {
      const name = ["spec", ...flags, suiteName].join(" ");
      banner(`${name} (${dir})`);
      partStart = Date.now();
      if (!existsSync(dir)) {
        if (ci) record(name, 0, 1, `suite not found at ${dir} (required under CI=true)`);
        else console.log(`[test.mjs] ${dir} not found: skipping`);
        continue;
      }
      if (engine == "native" && !native) {
        if (ci) record(name, 0, 1, "the native engine (build/wrt-native) is missing (required under CI=true)");
        else console.log("[test.mjs] no native engine: skipping");
        continue;
      }
      await specRun(name, cli, [...flags, dir], suiteName, engine);
    }
  }
}

// ---- comp (issue 14): the component-model spec tests ----------------------
// `wrt spec` over $WRT_TESTSUITE/component-model (the same command as the
// core suites: a directory of .wast scripts goes to the component runner) (or
// ../shared/testsuite/component-model): validation assertions only
// (execution is part 2). Its pass/skip counts must equal
// tests/component-expected-counts.json; without the suite the part is
// skipped with a message (a failure under CI=true).
async function componentSpec() {
  const suite = process.env.WRT_TESTSUITE
    ? path.resolve(root, process.env.WRT_TESTSUITE)
    : path.resolve(root, "../shared/testsuite");
  const dir = path.join(suite, "component-model");
  banner(`component spec (${dir})`);
  partStart = Date.now();
  if (!existsSync(dir)) {
    if (ci) return record("component spec", 0, 1, `suite not found at ${dir} (required under CI=true)`);
    console.log(`[test.mjs] component-model suite not found at ${dir}: skipping the component spec tests`);
    return;
  }
  const cli = path.join(root, "host-shims/node/dist/cli.js");
  const { code, out } = await run(process.execPath, [cli, "spec", dir]);
  const m = /^spec: (\d+) passed, (\d+) failed, (\d+) skipped$/m.exec(stripAnsi(out));
  if (!m) return record("component spec", 0, 1, `no 'spec: ...' line, exit ${code}`);
  const want = JSON.parse(readFileSync(path.join(root, "tests/component-expected-counts.json"), "utf8"));
  let failed = +m[2];
  let note = "";
  if (code !== 0 && failed === 0) failed = 1;
  if (+m[1] !== want.passed || +m[3] !== want.skipped) {
    failed += 1;
    note = `expected ${want.passed} passed, ${want.skipped} skipped (tests/component-expected-counts.json)`;
  }
  record("component spec", +m[1], failed, note, +m[3]);
}

const t0 = Date.now();
await asPect();
await nodeTests();
await spec();
await simdSpec();
await componentSpec();

console.log("========== summary ==========");
const width = Math.max(24, ...results.map((r) => r.name.length));
for (const r of results) console.log(`  ${r.name.padEnd(width)} pass ${String(r.passed).padStart(7)}  fail ${String(r.failed).padStart(5)}  skip ${String(r.skipped).padStart(5)}${r.note ? `  (${r.note})` : ""}`);
console.log(`  time: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
const skipped = results.reduce((a, r) => a + r.skipped, 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
