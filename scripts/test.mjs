// `npm test`: every test of the project, with one summary line, in under 20
// minutes on a 2-core machine (10-12 min idle, estimated; the full matrix of
// spec variants is `npm run test:full`, scripts/test-full.mjs).
//
//   1. as-pect     AssemblyScript unit tests (tests/as/*.spec.ts); then the
//                  native engine is built (scripts/build-c.mjs --native,
//                  incremental) for the tests that compare engines
//   2. node:test   host-side tests (tests/node/, tests/as/prove-failing/), as
//                  two processes: the "boards" group (files that build
//                  firmware or run QEMU, flash-scripts/: one process, so each
//                  firmware variant is compiled once) and the "host" group
//   3. spec        the Wasm 2.0 core spec suite through the `wrt spec` CLI,
//                  from $WRT_TESTSUITE or ../shared/testsuite (repo-relative):
//                  once as is, then with every invocation cut into fuel
//                  slices and resumed (`--fuel-slice 1`, `--fuel-slice random`),
//                  then with every slice snapshotted and restored into a
//                  fresh interpreter (`--snapshot-every-slice --fuel-slice
//                  spread`, docs/snapshot-format.md); then the device build
//                  on precompiled images, plain and snapshotted at every
//                  slice. Runs over the whole suite must pass and skip exactly
//                  the numbers of commands recorded for its suite and engine
//                  in tests/expected-counts.json. The runs with a snapshot at
//                  every slice (~6 min each over the whole suite, most of it
//                  in memory_grow and memory_copy) go over a
//                  seeded sample of the suite's files (WRT_SPEC_SAMPLE,
//                  default 0.25; the Node and the device runs' samples
//                  disjoint) and must give, file by file, the counts of
//                  the plain run of the same engine
//   3b. simd       the simd and relaxed-simd spec suites (issue 13): Node, the
//                  native engine, and Node with a snapshot at every slice of
//                  a seeded spread (fixed slicing seed 13); the device build
//                  with SIMD (build/wrt-device-simd.wasm) on precompiled
//                  images, plain and with a snapshot at every slice; plain
//                  runs' counts pinned in tests/expected-counts.json, the
//                  snapshot runs sampled and compared like the core ones
//   4. component   the component-model spec tests (`wrt spec` on the
//                  component-model directory; counts in
//                  tests/component-expected-counts.json)
//
// Steps 2 to 4 run two at a time (WRT_TEST_JOBS, default 2; 1 runs them one
// by one with live output), longest first; each step's output is printed
// when it ends, with its pass/fail/skip counts (parsed from that output) and
// its duration; the summary lists every step with its duration, the total
// time and the seed. The last line is exactly `N passed, M failed, K skipped`
// (the sums; CI parses it) and the exit status is non-zero if any part
// failed. A part that crashes or prints no counts is counted as one failure.
//
// WRT_TEST_SEED=N repeats a run's random choices (the sampled files and the
// core runs' slice seeds); it is printed first and in the summary.
// WRT_SPEC_SAMPLE=all runs the snapshot variants over every file.
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
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { testsuiteDir } from "../fuzz/lib/testsuite.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ci = /^(1|true|yes)$/i.test(process.env.CI ?? "");
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");

// ---- the knobs: seed, sample, parallel jobs ----------------------------------
/**
 * One seed per run (printed at the start and in the summary): it picks the
 * spec files of the sampled variants and seeds every random/spread slicing
 * policy of the core runs. WRT_TEST_SEED=N repeats a run's choices.
 */
const seedEnv = process.env.WRT_TEST_SEED;
if (seedEnv !== undefined && !/^\d+$/.test(seedEnv)) { console.error(`WRT_TEST_SEED must be a non-negative integer, not '${seedEnv}'`); process.exit(64); }
const seed = seedEnv !== undefined ? Number(BigInt(seedEnv) & 0xffffffffn) : Math.floor(Math.random() * 0x100000000);
/**
 * WRT_SPEC_SAMPLE: the share of a suite's files that the expensive spec
 * variants (a snapshot at every slice) run on, 0 < x <= 1; "all" (or 1) runs
 * them on every file, as `npm run test:full` does. Default 0.25.
 */
const sampleEnv = process.env.WRT_SPEC_SAMPLE ?? "0.25";
const sample = sampleEnv === "all" ? 1 : Number(sampleEnv);
if (!(sample > 0 && sample <= 1)) { console.error(`WRT_SPEC_SAMPLE must be 'all' or a number in (0, 1], not '${sampleEnv}'`); process.exit(64); }
/** WRT_TEST_JOBS: steps run at once (default 2); 1 runs them one by one with live output. */
const jobsEnv = process.env.WRT_TEST_JOBS ?? "2";
const jobs = Number(jobsEnv);
if (!(Number.isInteger(jobs) && jobs >= 1)) { console.error(`WRT_TEST_JOBS must be a positive integer, not '${jobsEnv}'`); process.exit(64); }
const live = jobs === 1;

/** A PRNG (mulberry32) for the samples: a stream per label, all from `seed`. */
function rng(label) {
  let h = seed ^ 0x9e3779b9;
  for (const c of label) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/**
 * `share` of `items` (at least one), in their order: part `part` of a
 * shuffle drawn with `label`'s stream, so that the samples of one suite
 * (its Node and its device snapshot runs) are disjoint while they fit:
 * together they cover more files, and at most one of them draws the
 * suite's costliest file (core: memory_grow, half of a whole run).
 */
function pick(items, share, label, part = 0) {
  if (share >= 1) return items;
  const k = Math.max(1, Math.round(items.length * share));
  const r = rng(label), idx = items.map((_, i) => i);
  for (let i = 0; i < idx.length - 1; i++) { const j = i + Math.floor(r() * (idx.length - i)); [idx[i], idx[j]] = [idx[j], idx[i]]; }
  const chosen = Array.from({ length: Math.min(k, idx.length) }, (_, i) => idx[(part * k + i) % idx.length]);
  return chosen.sort((a, b) => a - b).map((i) => items[i]);
}

/**
 * Runs a command and resolves with {code, out}. Its output is streamed when
 * `live` (one step at a time), else kept and printed when the step ends, so
 * the output of steps that run at once does not interleave.
 */
function run(cmd, args, { timeoutMs = 25 * 60_000, env = process.env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env });
    let out = "";
    const take = (stream) => (chunk) => { out += chunk; if (live) stream.write(chunk); };
    child.stdout.on("data", take(process.stdout));
    child.stderr.on("data", take(process.stderr));
    const timer = setTimeout(() => { out += `\n[test.mjs] timed out after ${timeoutMs / 1000}s\n`; child.kill("SIGKILL"); }, timeoutMs);
    child.on("error", (e) => { out += `\n[test.mjs] ${e.message}\n`; });
    child.on("close", (code, signal) => { clearTimeout(timer); resolve({ code: code ?? (signal ? 1 : 0), out }); });
  });
}

const results = [];
const banner = (t) => console.log(`\n========== ${t} ==========\n`);
/**
 * A step: prints its banner (live: first; else with its output at its end),
 * runs `fn(log)` (which returns {name?, passed, failed, note?, skipped?}, or
 * null for a step that did not apply), prints its result line with its
 * duration. `order` places it in the summary. `log(text)` prints a line of
 * the step's own; `log.output(text)` keeps a command's output (already
 * streamed when live).
 */
async function step(order, title, fn) {
  const t = Date.now();
  if (live) banner(title);
  else console.log(`[test.mjs] started: ${title}`);
  const out = [];
  const log = (s) => (live ? console.log(s) : out.push(s));
  log.output = (s) => { if (!live) out.push(s); };
  let r;
  try { r = await fn(log); } catch (e) { r = { name: title, passed: 0, failed: 1, note: `crashed: ${e?.stack ?? e}` }; }
  const secs = (Date.now() - t) / 1000;
  if (!live) { banner(title); if (out.length) console.log(out.join("\n")); }
  if (!r) { console.log(`[test.mjs] ${title}: did not run (${secs.toFixed(0)} s)`); return; }
  const { name = title, passed, failed, note = "", skipped = 0 } = r;
  results.push({ order, name, passed, failed, skipped, note, secs });
  console.log(`\n[test.mjs] ${name}: pass ${passed}, fail ${failed}, skip ${skipped}${note ? ` (${note})` : ""} [${secs.toFixed(0)} s]\n`);
}

/** Runs `fns` (async functions), at most `jobs` at once, in the given order. */
async function parallel(fns) {
  const queue = [...fns];
  await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    while (queue.length) await queue.shift()();
  }));
}

// ---- 1. as-pect -------------------------------------------------------------
async function asPect(log) {
  const asp = path.join(root, "node_modules/@as-pect/cli/bin/asp.js");
  const { code, out } = await run(process.execPath, [asp, "--config", "as-pect.config.js"]);
  log.output(out);
  const m = /\[Tests\]:\s*(\d+)\s*\/\s*(\d+)/.exec(stripAnsi(out));
  if (!m) return { passed: 0, failed: 1, note: `no result line, exit ${code}` };
  const passed = +m[1], total = +m[2];
  let failed = total - passed;
  if (code !== 0 && failed === 0) failed = 1; // e.g. a compile error after some files ran
  return { passed, failed };
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
  const t = Date.now();
  const { code, out } = await run(process.execPath, [path.join(root, "scripts/build-c.mjs"), "--native"]);
  if (!live) process.stdout.write(out);
  if (code !== 0) console.log("[test.mjs] building the native engine failed (its tests will say so)");
  console.log(`[test.mjs] native engine build: ${((Date.now() - t) / 1000).toFixed(0)} s`);
}

// ---- 2. node:test, in two processes -------------------------------------------
/**
 * Every *.test.mjs under tests/node and tests/as/prove-failing, in two
 * groups run as two `node --test` processes at once: "boards" (the files
 * that build firmware or run QEMU: flash-scripts/, one process so that each
 * firmware variant is compiled once, its objects cached in build/boards) and
 * "host" (everything else). Every file is in exactly one group.
 */
function nodeTestGroups() {
  const files = [];
  for (const dir of ["tests/node", "tests/as/prove-failing"]) {
    for (const f of readdirSync(path.join(root, dir)).sort()) if (f.endsWith(".test.mjs")) files.push(`${dir}/${f}`);
  }
  const boards = (f) => /flash-scripts\/|\bqemuSh\b/.test(readFileSync(path.join(root, f), "utf8"));
  return { boards: files.filter(boards), host: files.filter((f) => !boards(f)) };
}

async function nodeTests(group, files, log) {
  const name = `node:test (${group}: ${files.length} files)`;
  const dir = mkdtempSync(path.join(tmpdir(), "wrt-test-"));
  const tap = path.join(dir, "node.tap");
  const { code, out } = await run(process.execPath, [
    "--test",
    "--test-reporter=spec", "--test-reporter-destination=stdout",
    "--test-reporter=tap", `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  log.output(out);
  const text = existsSync(tap) ? readFileSync(tap, "utf8") : "";
  rmSync(dir, { recursive: true, force: true });
  const count = (k) => { const m = new RegExp(`^# ${k} (\\d+)$`, "m").exec(text); return m ? +m[1] : null; };
  const pass = count("pass"), fail = count("fail"), cancelled = count("cancelled") ?? 0;
  const skipped = (count("skipped") ?? 0) + (count("todo") ?? 0);
  if (pass === null || fail === null) return { name, passed: 0, failed: 1, note: `no TAP summary, exit ${code}: ${out.slice(-200)}` };
  let failed = fail + cancelled;
  if (code !== 0 && failed === 0) failed = 1;
  // Every skipped or todo test, by name and reason (TAP: `ok N - name # SKIP why`).
  const skips = [...text.matchAll(/^\s*(?:not )?ok \d+ - (.*?) # (SKIP|TODO)\b ?(.*)$/gm)].map((m) => `${m[1]}: ${m[3] || m[2].toLowerCase()}`);
  if (skips.length) log(`[test.mjs] ${skips.length} node tests skipped:\n${skips.map((x) => `  ${x}`).join("\n")}`);
  let note = "";
  if (ci && skipped > 0) {
    failed += skipped; // under CI a skip is a missing tool: a failure
    note = `${skipped} skipped under CI=true, counted as failed`;
  }
  return { name, passed: pass, failed, note, skipped };
}

// ---- 3. the spec suites ---------------------------------------------------------
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

const suiteRoot = testsuiteDir();
const cli = path.join(root, "host-shims/node/dist/cli.js");
/** The plain run of each suite/engine ("core/node"): its per-file counts, for the sampled runs to match. */
const plainRuns = new Map();
/** Suite/engine keys that have a plain run in this test run. */
const plainKeys = new Set();
function plainRun(key) {
  if (!plainRuns.has(key)) { let resolve; const p = new Promise((r) => { resolve = r; }); plainRuns.set(key, { p, resolve }); }
  return plainRuns.get(key);
}

/**
 * Runs `wrt spec ARGS` over `suite`'s files (or `files`, a sample of them):
 * the counts of its last `spec: N passed, M failed, K skipped` line. A
 * non-zero exit and nothing passed (an empty or unreadable suite is never a
 * success) each add a failure. A run over the whole suite must match
 * tests/expected-counts.json for `suite`/`engine`; a sampled run, file by
 * file, the plain run of the same suite and engine (which itself matched
 * tests/expected-counts.json): a command skipped only when sliced, a growing
 * skip count or a shrinking suite fail either way.
 */
async function specRun(name, flags, dir, suite, engine, { files = null, plain = false, log }) {
  const { code, out } = await run(process.execPath, [cli, "spec", ...flags, ...(files ?? [dir])]);
  log.output(out);
  const text = stripAnsi(out);
  const all = [...text.matchAll(/^spec: (\d+) passed, (\d+) failed, (\d+) skipped$/gm)];
  const perFile = new Map([...text.matchAll(/^(\S+): (\d+) passed, (\d+) failed, (\d+) skipped$/gm)]
    .filter((m) => m[1] !== "spec").map((m) => [m[1], { passed: +m[2], skipped: +m[4] }]));
  if (all.length === 0) {
    if (plain) plainRun(`${suite}/${engine}`).resolve(null);
    return { name, passed: 0, failed: 1, note: `no 'spec: ...' line, exit ${code}` };
  }
  const m = all[all.length - 1];
  const passed = +m[1], skipped = +m[3];
  let failed = +m[2];
  if (code !== 0 && failed === 0) failed = 1;
  const notes = [];
  const s = /^seed: (\d+)$/m.exec(text);
  if (s) notes.push(`seed ${s[1]}`);
  if (passed === 0) { failed += 1; notes.push("nothing passed (empty suite?)"); }
  if (files) {
    notes.push(`sample: ${files.length} of ${specFiles(dir).length} files`);
    const ref = plainKeys.has(`${suite}/${engine}`) ? await plainRun(`${suite}/${engine}`).p : null;
    if (!ref) { failed += 1; notes.push(`no passing plain ${suite}/${engine} run (same suite, same engine, no slices) to compare the sample with`); }
    else {
      const bad = [];
      for (const f of files) {
        const n = path.basename(f).replace(/\.json$/, "");
        const got = perFile.get(n), want = ref.get(n);
        if (!got || !want || got.passed !== want.passed || got.skipped !== want.skipped) {
          bad.push(`${n}: ${got ? `${got.passed} passed, ${got.skipped} skipped` : "no result"}, plain run ${want ? `${want.passed} passed, ${want.skipped} skipped` : "no result"}`);
        }
      }
      if (bad.length) { failed += 1; notes.push(`not what the plain run gave: ${bad.slice(0, 5).join("; ")}${bad.length > 5 ? `; ${bad.length - 5} more` : ""}`); }
    }
  } else {
    const bad = checkExpected(suite, engine, passed, skipped);
    if (bad) { failed += 1; notes.push(bad); }
  }
  if (plain) plainRun(`${suite}/${engine}`).resolve(failed === 0 ? perFile : null);
  return { name, passed, failed, note: notes.join("; "), skipped };
}
const specFiles = (dir) => readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => path.join(dir, f));

/**
 * The spec steps. Core: the plain run, then WRT_SPEC_FUEL_SLICES; simd and
 * relaxed-simd: Node, native, device with SIMD, and both with a snapshot at
 * every slice. Runs with a snapshot at every slice go over a seeded sample
 * of the suite's files (WRT_SPEC_SAMPLE); all others over every file.
 */
function specSteps() {
  const steps = [], later = [];
  const parts = new Map(); // suite -> sampled runs so far
  const core = path.join(suiteRoot, "core");
  const missing = (order, title, dir, what) => steps.push(() => step(order, title, async () => {
    if (ci) return { passed: 0, failed: 1, note: `${what} not found at ${dir} (required under CI=true; set WRT_TESTSUITE)` };
    console.log(`[test.mjs] ${what} not found at ${dir}: skipping (set WRT_TESTSUITE to run it)`);
    return null;
  }));
  const add = (order, flags, dir, suite, engine, snapshot) => {
    let files = null;
    if (snapshot && sample < 1) {
      const part = parts.get(suite) ?? 0;
      parts.set(suite, part + 1);
      files = pick(specFiles(dir), sample, suite, part);
    }
    const name = ["spec", ...flags, ...(suite === "core" ? [] : [suite])].join(" ");
    const plain = !flags.some((f) => f === "--fuel-slice" || f === "--snapshot-every-slice");
    if (plain) plainKeys.add(`${suite}/${engine}`);
    // plain runs first: a sampled run waits for its plain run's per-file counts
    (plain ? steps : later).push(() => step(order, `${name} (${files ? `${files.length} sampled files of ${dir}` : dir})`, async (log) => {
      try {
        if (!existsSync(cli)) return { name, passed: 0, failed: 1, note: "host-shims/node/dist/cli.js missing: run `npm run build`" };
        return await specRun(name, flags, dir, suite, engine, { files, plain, log });
      } finally {
        if (plain) plainRun(`${suite}/${engine}`).resolve(null); // (no-op when already resolved)
      }
    }));
  };
  if (!existsSync(core)) missing(30, "spec suite", core, "the spec suite");
  else {
    const slices = [null, ...(process.env.WRT_SPEC_FUEL_SLICES ?? "1,random,snapshot:spread,device,device-snapshot:spread").split(",").map((s) => s.trim()).filter(Boolean)];
    slices.forEach((slice, i) => {
      const device = slice?.startsWith("device") ?? false;
      const rest = device ? slice.slice("device".length).replace(/^-/, "") || null : slice;
      const snapshot = rest?.startsWith("snapshot:") ?? false;
      const fuelSlice = snapshot ? rest.slice("snapshot:".length) : rest;
      const flags = [...(device ? ["--via-image", "--wasm", "build/wrt-device.wasm"] : []),
        ...(snapshot ? ["--snapshot-every-slice"] : []), ...(fuelSlice ? ["--fuel-slice", fuelSlice] : []),
        ...(fuelSlice === "random" || fuelSlice === "spread" ? ["--seed", String(seed)] : [])];
      add(30 + i, flags, core, "core", device ? "device" : "node", snapshot);
    });
  }
  // simd (issue 13): the simd and relaxed-simd suites
  const native = existsSync(path.join(root, "build/wrt-native"));
  const simdRuns = [
    { engine: "node", flags: [] },
    { engine: "native", flags: ["--engine", "native"] },
    { engine: "node", flags: ["--snapshot-every-slice", "--fuel-slice", "spread", "--seed", "13"], snapshot: true },
    // the device build with SIMD (--device-features simd, docs/footprint.md) on precompiled images
    { engine: "device", flags: ["--via-image", "--wasm", "build/wrt-device-simd.wasm"] },
    { engine: "device", flags: ["--via-image", "--wasm", "build/wrt-device-simd.wasm", "--snapshot-every-slice", "--fuel-slice", "spread", "--seed", "13"], snapshot: true },
  ];
  ["simd", "relaxed-simd"].forEach((suite, k) => {
    const dir = path.join(suiteRoot, suite);
    simdRuns.forEach(({ engine, flags, snapshot }, i) => {
      const order = 60 + 10 * k + i;
      if (!existsSync(dir)) return missing(order, `spec ${flags.join(" ")} ${suite}`, dir, `the ${suite} suite`);
      if (engine === "native" && !native) {
        return steps.push(() => step(order, `spec ${flags.join(" ")} ${suite}`, async () => {
          if (ci) return { passed: 0, failed: 1, note: "the native engine (build/wrt-native) is missing (required under CI=true)" };
          console.log("[test.mjs] no native engine: skipping");
          return null;
        }));
      }
      add(order, flags, dir, suite, engine, snapshot ?? false);
    });
  });
  return [...steps, ...later];
}

// ---- 4. comp (issue 14): the component-model spec tests --------------------------
// `wrt spec` over $WRT_TESTSUITE/component-model (the same command as the
// core suites: a directory of .wast scripts goes to the component runner) (or
// ../shared/testsuite/component-model): validation assertions only
// (execution is part 2). Its pass/skip counts must equal
// tests/component-expected-counts.json; without the suite the part is
// skipped with a message (a failure under CI=true).
async function componentSpec(log) {
  const dir = path.join(suiteRoot, "component-model");
  if (!existsSync(dir)) {
    if (ci) return { passed: 0, failed: 1, note: `suite not found at ${dir} (required under CI=true)` };
    console.log(`[test.mjs] component-model suite not found at ${dir}: skipping the component spec tests`);
    return null;
  }
  const { code, out } = await run(process.execPath, [cli, "spec", dir]);
  log.output(out);
  const m = /^spec: (\d+) passed, (\d+) failed, (\d+) skipped$/m.exec(stripAnsi(out));
  if (!m) return { passed: 0, failed: 1, note: `no 'spec: ...' line, exit ${code}` };
  const want = JSON.parse(readFileSync(path.join(root, "tests/component-expected-counts.json"), "utf8"));
  let failed = +m[2];
  let note = "";
  if (code !== 0 && failed === 0) failed = 1;
  if (+m[1] !== want.passed || +m[3] !== want.skipped) {
    failed += 1;
    note = `expected ${want.passed} passed, ${want.skipped} skipped (tests/component-expected-counts.json)`;
  }
  return { passed: +m[1], failed, note, skipped: +m[3] };
}

// ---- the run ------------------------------------------------------------------------
const t0 = Date.now();
const settings = `seed ${seed} (WRT_TEST_SEED), sample ${sample === 1 ? "all" : sample} (WRT_SPEC_SAMPLE), jobs ${jobs} (WRT_TEST_JOBS)`;
console.log(`[test.mjs] ${settings}`);
await step(10, "as-pect (tests/as)", asPect);
await buildNative();
const groups = nodeTestGroups();
// Longest first: the boards group (~9 min) on one core, the host group and
// the spec runs (plain ones before the sampled ones that compare with them)
// on the other.
await parallel([
  () => step(20, `node:test boards group (${groups.boards.length} files)`, (log) => nodeTests("boards", groups.boards, log)),
  () => step(21, `node:test host group (${groups.host.length} files)`, (log) => nodeTests("host", groups.host, log)),
  ...specSteps(),
  () => step(90, "component spec", componentSpec),
]);

console.log("========== summary ==========");
results.sort((a, b) => a.order - b.order);
const width = Math.max(24, ...results.map((r) => r.name.length));
for (const r of results) console.log(`  ${r.name.padEnd(width)} pass ${String(r.passed).padStart(7)}  fail ${String(r.failed).padStart(5)}  skip ${String(r.skipped).padStart(5)}  ${r.secs.toFixed(0).padStart(5)} s${r.note ? `  (${r.note})` : ""}`);
const wall = (Date.now() - t0) / 1000;
console.log(`  time: ${wall.toFixed(1)} s (${(wall / 60).toFixed(1)} min) wall, ${results.reduce((a, r) => a + r.secs, 0).toFixed(0)} s in steps; ${settings}`);
const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
const skipped = results.reduce((a, r) => a + r.skipped, 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
