// Differential fuzzing of WRT against V8 (`npm run fuzz -- --seconds N`).
//
//   node fuzz/run.mjs [--seconds N] [--seed S] [--engine node|native]
//                     [--fuel F] [--modules M] [--only I] [--replay file.wasm --index I]
//                     [--sources ttf,spec] [--spec-dir D] [--verbose] [--mode diff|...]
//                     (sources: ttf, ttf-simd, ttf-relaxed, spec)
//                     [--min-modules N] [--min-calls N] [--strict-nan] [--strict-fuel]
//                     [--native-bin PATH]
//
// Each module (binaryen translate-to-fuzz, or a mutated spec module; see
// fuzz/lib/sources.mjs) gets an export of its memory 0 added and is run in
// wrt (fresh Engine, every top-level call bounded by --fuel) and in V8 (a
// worker thread, killed after a timeout), with the same imports and the
// same deterministic arguments: every exported function in export order,
// twice with different arguments. Compared: instantiation outcome, each
// call's outcome (results / trap class / JS exception), the log calls, and
// at the end the memory and the exported globals. fuzz/README.md says
// what is compared how (NaNs, trap classes, skips).
//
// Each call's fuel is compared with the count of an instrumented copy of the
// module that V8 runs (fuzz/lib/fuel-oracle.mjs). A call WRT cannot finish
// (out of fuel, call stack) makes the module run again with 16x the fuel and
// 8x the stacks.
//
// Any difference saves the module under fuzz/failures/ and prints a one-line
// reproduction. The last line is `fuzz: N modules, M calls, K differences`;
// exit status 1 if K > 0 or if fewer modules or calls were compared than the
// minimum (printed: one module per 12 s asked for, or --modules, and 5 calls
// per module). Other fuzz modes (images, snapshots) plug in via fuzz/modes.mjs.
//
// Several modes in one run: `--mode images,snapshots --modules 100000` runs
// each mode in turn with the same options (--modules N each); each mode has
// its own minimums and details line, the last line sums them, the exit
// status fails if any mode fails. --native-bin PATH (e.g.
// build/wrt-native-asan, `npm run build:native -- --sanitize`) makes the
// modes run that native binary too (images: a third load of each image;
// snapshots: the engine); sanitizer reports are written to files in a
// fresh directory, counted at the end (`fuzz sanitizer reports: N`), and
// any report fails the run.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { spawnSync } from "node:child_process";
import { makeArgs, mix, rng } from "./lib/common.mjs";
import { compareRuns } from "./lib/compare.mjs";
import { denanModule, specMutant, ttfModule } from "./lib/sources.mjs";
import { exportMemory } from "./lib/wasm.mjs";
import { BIG_STACKS, load, makeEngine, runWrt } from "./lib/wrt-side.mjs";
import { instrument } from "./lib/fuel-oracle.mjs";
import { RELAXED_NAMES, checkedModule, relaxModule } from "./lib/relaxed.mjs";
import { wat } from "./lib/wat.mjs";
import { EXTRA_MODES } from "./modes.mjs";
import { testsuiteDir } from "./lib/testsuite.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");

function parseArgs(argv) {
  const o = { mode: "diff", minModules: null, minCalls: null, strictNan: false, seconds: 60, seed: 1, engine: "node", fuel: 2_000_000, modules: Infinity, only: null, replay: null, index: 0, sources: ["ttf", "spec"], verbose: false, specDir: testsuiteDir("core") };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--seconds") o.seconds = Number(next());
    else if (a === "--seed") o.seed = Number(next()) >>> 0;
    else if (a === "--engine") o.engine = next();
    else if (a === "--fuel") o.fuel = Number(next());
    else if (a === "--modules") o.modules = Number(next());
    else if (a === "--only") o.only = Number(next());
    else if (a === "--replay") o.replay = next();
    else if (a === "--index") o.index = Number(next());
    else if (a === "--sources") o.sources = next().split(",");
    else if (a === "--spec-dir") o.specDir = path.resolve(next());
    else if (a === "--verbose" || a === "-v") o.verbose = true;
    else if (a === "--strict-nan") o.strictNan = true;
    else if (a === "--strict-fuel") o.strictFuel = true;
    else if (a === "--mode") o.mode = next();
    else if (a === "--min-modules") o.minModules = Number(next());
    else if (a === "--min-calls") o.minCalls = Number(next());
    else if (a === "--native-bin") o.nativeBin = path.resolve(next());
    else throw new Error(`unknown option ${a}`);
  }
  if (!["node", "native"].includes(o.engine)) throw new Error("--engine must be node or native");
  if (!(o.seconds > 0) || !(o.fuel > 0)) throw new Error("--seconds and --fuel must be positive");
  return o;
}

/** One long-lived V8 worker; replaced when a job times out. */
class V8Runner {
  constructor() { this.spawn(); this.nextId = 1; }
  spawn() {
    this.worker = new Worker(path.join(here, "lib/v8-worker.mjs"));
    this.worker.unref();
    this.worker.on("error", (e) => { this.lastError = e; });
  }
  run(job, timeoutMs) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const worker = this.worker;
      const finish = (result) => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("exit", onExit);
        resolve(result);
      };
      const timer = setTimeout(() => {
        worker.terminate();
        this.spawn();
        finish({ timeout: true });
      }, timeoutMs);
      // A worker that dies (e.g. out of memory) is replaced; its job is a harness error.
      const onExit = () => {
        this.spawn();
        finish({ died: `${this.lastError?.message ?? "exit"}` });
      };
      const onMessage = (m) => {
        if (m.id === id) finish(m.result);
      };
      worker.on("message", onMessage);
      worker.on("exit", onExit);
      worker.postMessage({ id, ...job });
    });
  }
  close() { return this.worker.terminate(); }
}

let wabt = null;
/** True if wabt (Wasm 2.0 features, no SIMD) validates the module: a third opinion when wrt and V8 disagree. */
async function wabtValid(bytes) {
  wabt ??= await (await import("wabt")).default();
  let m = null;
  try {
    m = wabt.readWasm(bytes, { readDebugNames: false, simd: false });
    m.validate();
    return true;
  } catch {
    return false;
  } finally {
    m?.destroy();
  }
}

/** The calls of a module: every exported function in export order, two rounds of arguments. */
function planFor(modSeed) {
  return (exports) => {
    const calls = [];
    for (let round = 0; round < 2; round++) {
      exports.forEach((e, i) => {
        // a v128 cannot cross the JS boundary in V8 (TypeError): such exports are called only from inside the module
        if (e.kind === "func" && ![...e.type.params, ...e.type.results].includes("v128")) calls.push({ name: e.name, args: makeArgs(e.type.params, mix(modSeed, round, i)) });
      });
    }
    return calls;
  };
}

/** Generates module `index` of a run: { source, label, bytes } or null (async: wasm-opt runs in a child process). */
async function generate(opts, index) {
  const modSeed = mix(opts.seed, index);
  const pick = rng(modSeed)();
  const source = opts.sources[pick % opts.sources.length];
  if (source === "spec") {
    const m = specMutant(opts.specDir, mix(modSeed, 0x5bec));
    if (!m) return null;
    return { source, label: `spec ${m.name} (${m.mutations} mutations in ${m.section})`, bytes: m.bytes, rejected: m.rejected };
  }
  // SIMD: denan too. A lane's NaN bits (free for V8, canonical in WRT) read back
  // through another lane shape (f32x4 lanes as an f64x2 lane) change whether
  // that value is a NaN at all, which the NaN-tolerant comparison cannot see.
  const simd = source === "ttf-simd", relaxed = source === "ttf-relaxed";
  const bytes = await ttfModule(mix(modSeed, 0x77f), { simd, relaxed, denan: simd || relaxed });
  // relaxed: more relaxed ops swapped in (-ttf emits few); V8 runs checkedModule's copy (runModule)
  return { source, label: source, bytes: relaxed ? relaxModule(bytes, mix(modSeed, 0x4e1a)) ?? bytes : bytes };
}

/** Per relaxed op (RELAXED_NAMES): modules in which V8's value fell outside the spec's set (not compared). */
const relaxedOutside = new Map();
const stats = { relaxedModules: 0, knownFuel: 0, reruns: 0, fuelAgreed: 0, fuelModules: 0, nanReported: 0, v8Died: 0, rejectChecks: 0, modules: 0, calls: 0, differences: 0, skippedCalls: 0, v8Timeouts: 0, nanOnly: 0, ungenerated: 0, wrtRejected: 0, bothRejected: 0, traps: 0 };

/** Runs one module on both sides; returns a list of differences (strings). */
async function runModule(opts, v8, bytes, modSeed, source, count = true) {
  const withMem = exportMemory(bytes);
  const engine = await makeEngine(opts.engine);
  let loaded;
  try {
    loaded = load(engine, withMem);
  } catch (e) {
    return [`interpreter fault while loading: ${e.message}`];
  }
  const v8Valid = WebAssembly.validate(withMem);
  if (!loaded.ok) {
    if (!v8Valid) { stats.bothRejected++; return []; }
    if (!(await wabtValid(withMem))) { stats.wrtRejected++; return []; } // beyond Wasm 2.0 (V8 has more)
    return [`wrt rejects a module V8 and wabt accept: ${loaded.why}`];
  }
  if (!v8Valid) return ["wrt accepts a module V8 rejects"];
  let w;
  // One module in four runs its calls in random fuel slices (resumed): the same results are expected.
  const sliceSeed = mix(modSeed, 0x51ce) % 4 === 0 ? mix(modSeed, 0x51cf) | 1 : 0;
  const runOnce = (eng, fuel) => runWrt(eng, load(eng, withMem), planFor(modSeed), { fuel, readMemory: opts.engine !== "native", sliceSeed });
  try {
    w = runWrt(engine, loaded, planFor(modSeed), { fuel: opts.fuel, readMemory: opts.engine !== "native", sliceSeed });
    // WRT ran out of fuel or call stack: the whole module again with 16x the
    // fuel and 8x the stacks, so that a false exhaustion does not end the
    // comparison (and shows as a difference below if V8 completes the call).
    const exhausted = (x) => x.calls.some((c) => c.outcome === "skip" && /out of fuel|call stack/.test(c.why ?? ""));
    if (exhausted(w)) {
      if (count) stats.reruns++;
      w = runOnce(await makeEngine(opts.engine, { big: true }), opts.fuel * 16);
      w.bigStacks = true;
    }
  } catch (e) {
    return [`interpreter fault: ${e.message}`];
  }
  const firstSkip = w.calls.findIndex((c) => c.outcome === "skip");
  // A call stack exhausted even with the big stacks goes to V8 too: if V8 completes it, that is a difference.
  const stackSkip = firstSkip >= 0 && w.bigStacks && /call stack/.test(w.calls[firstSkip].why ?? "");
  const upTo = firstSkip < 0 ? w.calls.length : firstSkip + (stackSkip ? 1 : 0);
  const counted = instrument(withMem);
  // relaxed SIMD: V8 runs a copy whose relaxed ops check V8's value and go on with WRT's documented choice
  const v8Bytes = source === "ttf-relaxed" ? checkedModule(withMem) : withMem;
  if (!v8Bytes) return [`relaxed: the check rewriter cannot read a module wrt and V8 load`];
  if (count && v8Bytes !== withMem) stats.relaxedModules++;
  const job = {
    bytes: v8Bytes,
    counted,
    imports: loaded.imports,
    exports: w.exports,
    calls: w.calls.slice(0, upTo).map((c) => ({ name: c.name, args: c.args })),
  };
  const v = await v8.run(job, 20_000);
  if (v.timeout) {
    stats.v8Timeouts++;
    if (opts.verbose) console.log(`V8 timed out (${job.calls.length} calls, wrt: ${w.calls.map((c) => c.outcome).join(" ")})`);
    return [];
  }
  if (v.died) {
    stats.v8Died++; // V8 itself gave out (e.g. its heap): nothing to compare
    if (opts.verbose) console.log(`V8 worker died: ${v.died}`);
    return [];
  }
  if (v.error) return [`V8 harness error: ${v.error}`];
  if (count) {
    stats.lastOutside = v.relaxedOutside;
    RELAXED_NAMES.forEach((name, k) => { if (v.relaxedOutside & (1 << k)) relaxedOutside.set(name, (relaxedOutside.get(name) ?? 0) + 1); });
  }
  const res = compareRuns(w, v, { compareMemory: opts.engine !== "native", strictFuel: opts.strictFuel });
  if (count && res.knownFuel.length) {
    stats.knownFuel += res.knownFuel.length;
    console.log(`known issue (fuel of a trap after a fuel stop; board 09:15, --strict-fuel makes it a failure): ${res.knownFuel[0]}${res.knownFuel.length > 1 ? ` and ${res.knownFuel.length - 1} more` : ""}`);
  }
  if (stackSkip && res.diffs.length === 0) {
    const b = v.calls[firstSkip];
    if (b && (b.outcome === "ok" || b.outcome === "trap")) {
      res.diffs.push(`call ${firstSkip} ${b.name}: wrt exhausted its call stack (${BIG_STACKS.callStackFrames} frames, ${BIG_STACKS.valueStackBytes} value-stack bytes), V8 completed it (${b.outcome})`);
    }
  }
  if (count) {
    stats.modules++;
    stats.calls += res.calls;
    stats.traps += res.traps;
    stats.fuelAgreed += res.fuelAgreed;
    if (counted) stats.fuelModules++;
    stats.skippedCalls += w.calls.length - res.calls;
  }
  return res.diffs;
}

/**
 * A difference that vanishes when binaryen's --denan removes every NaN is
 * probably V8's NaN bits showing through (reinterpret, copysign, a store of a
 * NaN that V8's CPU made), not a wrt bug. Such modules are not failures
 * (unless --strict-nan) but are reported, never dropped: each is printed with
 * its differences and saved as fuzz/failures/nan-seed<S>-<I>.wasm, and the
 * count is in the details line (fuzz/README.md). Fuel differences are never
 * NaN-explained (fuel does not depend on NaN bits). Returns the differences
 * that count as failures.
 */
async function unlessNanOnly(opts, v8, bytes, modSeed, source, diffs, index, label) {
  if (diffs.length === 0 || diffs.some((d) => /wrt rejects|interpreter fault|: fuel: |call stack \(/.test(d))) return diffs;
  let again;
  try {
    again = await runModule(opts, v8, await denanModule(bytes), modSeed, source, false);
  } catch (e) {
    return diffs;
  }
  if (again.length > 0 || opts.strictNan) return diffs;
  stats.nanOnly++;
  const file = saveFailure(opts, `nan-seed${opts.seed}-${index}`, bytes, `${label}: NaN-bit differences only (gone after --denan)\n${diffs.join("\n")}`);
  console.log(`NaN-bit differences in module ${index} (${label}; gone after --denan; not a failure, --strict-nan makes it one): ${diffs.slice(0, 3).join("; ")}; saved ${file}`);
  return [];
}

/** Saves a module and a note under fuzz/failures/; returns the path (repo-relative). */
function saveFailure(opts, base, bytes, note) {
  const dir = path.join(here, "failures");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${base}.wasm`);
  writeFileSync(file, bytes);
  writeFileSync(file.replace(/\.wasm$/, ".txt"), `${note}\n`);
  return path.relative(root, file);
}

/** Mutants V8 does not validate must not load in wrt either (unless only V8's own limits reject them). */
async function checkRejected(opts, mutants) {
  const out = [];
  if (mutants.length === 0) return out;
  const engine = await makeEngine(opts.engine);
  for (const bytes of mutants) {
    stats.rejectChecks++;
    let loaded;
    try {
      loaded = load(engine, bytes);
    } catch (e) {
      out.push({ bytes, why: `interpreter fault while loading an invalid module: ${e.message}` });
      continue;
    }
    if (!loaded.ok) continue;
    if (await wabtValid(bytes)) continue; // V8's implementation limits, not the spec
    let why = "";
    try { new WebAssembly.Module(bytes); } catch (e) { why = e.message; }
    out.push({ bytes, why: `wrt accepts a module V8 and wabt reject (${why})` });
  }
  return out;
}

/** The differential mode (the default): modules from the sources, each run in wrt and in V8. */
async function runDiff(opts) {
  if (opts.engine === "native" && !existsSync(path.join(root, "build/wrt-native"))) {
    console.error("fuzz: build/wrt-native not found (npm run build:native)");
    process.exit(2);
  }
  const v8 = new V8Runner();
  const deadline = Date.now() + opts.seconds * 1000;
  const report = (index, label, bytes, diffs) => {
    stats.differences++;
    const file = saveFailure(opts, `seed${opts.seed}-${index}`, bytes, `${label}\n${diffs.join("\n")}`);
    console.log(`DIFFERENCE in module ${index} (${label}):`);
    for (const d of diffs.slice(0, 8)) console.log(`  ${d}`);
    const engine = opts.engine === "native" ? " --engine native" : "";
    console.log(`  saved ${file}; reproduce: node fuzz/run.mjs --replay ${file} --seed ${opts.seed} --index ${index}${engine}`);
  };

  if (opts.replay) {
    const bytes = new Uint8Array(readFileSync(opts.replay));
    let diffs = await runModule(opts, v8, bytes, mix(opts.seed, opts.index), "replay");
    diffs = await unlessNanOnly(opts, v8, bytes, mix(opts.seed, opts.index), "replay", diffs, opts.index, "replay");
    if (diffs.length) {
      stats.differences++;
      for (const d of diffs) console.log(`  ${d}`);
    }
  } else {
    // Modules are generated two ahead (wasm-opt is slow to start) while the current one runs.
    const pending = new Map();
    const ahead = (i) => {
      if (!pending.has(i)) pending.set(i, generate(opts, i).then((g) => ({ g }), (e) => ({ e })));
      return pending.get(i);
    };
    for (let index = opts.only ?? 0; ; index++) {
      if (opts.only !== null && index > opts.only) break;
      if (opts.only === null && (Date.now() >= deadline || stats.modules >= opts.modules)) break;
      if (opts.only === null) { ahead(index + 1); ahead(index + 2); }
      let gen;
      try {
        const got = await ahead(index);
        pending.delete(index);
        if (got.e) throw got.e;
        gen = got.g;
      } catch (e) {
        stats.ungenerated++;
        if (stats.ungenerated <= 3 || opts.verbose) console.log(`module ${index}: not generated: ${e.message.split("\n")[0]}`);
        continue;
      }
      if (!gen) { stats.ungenerated++; continue; }
      const rejectDiffs = await checkRejected(opts, gen.rejected ?? []);
      if (rejectDiffs.length > 0) report(index, `${gen.label}: a mutant V8 rejects`, rejectDiffs[0].bytes, [rejectDiffs[0].why]);
      if (!gen.bytes) { stats.ungenerated++; continue; }
      const modSeed = mix(opts.seed, index);
      stats.lastOutside = 0;
      let diffs = await runModule(opts, v8, gen.bytes, modSeed, gen.source);
      if (stats.lastOutside) {
        const ops = RELAXED_NAMES.filter((_, k) => stats.lastOutside & (1 << k));
        const file = saveFailure(opts, `relaxed-seed${opts.seed}-${index}`, gen.bytes, `${gen.label}: V8's relaxed value outside the spec's set: ${ops.join(", ")}`);
        console.log(`relaxed: V8's value outside the spec's set in module ${index} (${ops.join(", ")}; not compared, not a failure); saved ${file}`);
      }
      diffs = await unlessNanOnly(opts, v8, gen.bytes, modSeed, gen.source, diffs, index, gen.label);
      if (diffs.length > 0) report(index, gen.label, gen.bytes, diffs);
      else if (opts.verbose) console.log(`module ${index} (${gen.label}): ok`);
    }
  }
  await v8.close();
  const details = `${stats.traps} calls trapped (compared), ${stats.fuelAgreed} calls' fuel agreed with the oracle (${stats.fuelModules} modules instrumented), ${stats.knownFuel} known fuel differences after sliced traps, ` +
    `${stats.skippedCalls} calls not compared (out of fuel, call stack, nesting, or after a difference), ${stats.reruns} modules re-run with more fuel and stack, ` +
    `${stats.nanOnly} modules with NaN-bit differences only (reported above), ${stats.rejectChecks} invalid mutants checked, ${stats.v8Timeouts} V8 timeouts, ${stats.v8Died} V8 worker deaths, ` +
    `${stats.wrtRejected} mutants beyond Wasm 2.0, ${stats.bothRejected} rejected by both, ${stats.ungenerated} not generated` +
    (opts.sources.includes("ttf-relaxed") ? `; relaxed SIMD: ${stats.relaxedModules} modules with relaxed ops (checked in V8), V8's value outside the spec's set (not compared) in ${relaxedOutside.size ? [...relaxedOutside].map(([n, c]) => `${c} modules (${n})`).join(", ") : "no module"}` : "");
  return { modules: stats.modules, calls: stats.calls, differences: stats.differences, details };
}

/**
 * Fuzz modes (`--mode NAME`, default diff). A mode is a module exporting
 * `run(opts)` -> Promise<{ modules, calls, differences, details? }>; opts
 * has seconds, seed, modules, verbose and the rest of the options. The
 * common ending (minimums, the last line, the exit status) is run.mjs's.
 * Add a mode with one line in EXTRA_MODES (fuzz/modes.mjs).
 */
const MODES = { diff: async () => ({ run: runDiff }), ...EXTRA_MODES };

/**
 * The minimums of one mode's run (see the header); a mode may export
 * CALLS_PER_MODULE, its own least number of "calls" per "module" when it
 * works (default 5). --min-modules/--min-calls apply to each mode.
 */
function minimums(opts, mode) {
  const single = opts.only !== null || opts.replay !== null;
  const minModules = opts.minModules ?? (single ? 0 : Number.isFinite(opts.modules) ? opts.modules : Math.max(1, Math.floor(opts.seconds / 12)));
  return { minModules, minCalls: opts.minCalls ?? Math.ceil((mode.CALLS_PER_MODULE ?? 5) * minModules) };
}

/**
 * Sanitizer reports of a --native-bin run go to files under a fresh
 * directory (ASAN_OPTIONS / UBSAN_OPTIONS log_path; the child processes
 * inherit the environment); returns a function counting them.
 */
function sanitizerLogs(opts) {
  if (!opts.nativeBin) return null;
  if (!existsSync(opts.nativeBin)) {
    console.error(`fuzz: ${opts.nativeBin} not found (npm run build:native -- --sanitize)`);
    process.exit(2);
  }
  const dir = mkdtempSync(path.join(tmpdir(), "wrt-fuzz-san-"));
  const add = (name, extra) => {
    const prev = process.env[name] ? `${process.env[name]}:` : "";
    process.env[name] = `${prev}log_path=${path.join(dir, "report")}${extra}`;
  };
  add("ASAN_OPTIONS", ":detect_leaks=0");
  add("UBSAN_OPTIONS", ":print_stacktrace=1");
  return () => {
    const files = readdirSync(dir).filter((f) => f.startsWith("report"));
    for (const f of files.slice(0, 3)) console.log(`sanitizer report ${path.join(dir, f)}:\n${readFileSync(path.join(dir, f), "utf8").split("\n").slice(0, 12).join("\n")}`);
    return { count: files.length, dir };
  };
}

/**
 * Relaxed SIMD needs a V8 flag in this Node (20: --experimental-wasm-relaxed-simd):
 * without it, the run starts again in a child process that has it.
 */
function relaxedSimdFlag(opts) {
  if (!opts.sources.includes("ttf-relaxed")) return;
  const probe = wat("(module (func (param v128) (result v128) (i32x4.relaxed_trunc_f32x4_s (local.get 0))))", { features: { relaxed_simd: true } });
  if (WebAssembly.validate(probe)) return;
  const r = spawnSync(process.execPath, ["--experimental-wasm-relaxed-simd", ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  relaxedSimdFlag(opts);
  const names = opts.mode.split(",");
  for (const name of names) {
    if (!MODES[name]) {
      console.error(`fuzz: unknown --mode ${name} (have: ${Object.keys(MODES).join(", ")})`);
      process.exit(2);
    }
  }
  const sanitizer = sanitizerLogs(opts);
  const started = Date.now();
  const total = { modules: 0, calls: 0, differences: 0 };
  let failed = false;
  for (const name of names) {
    const t0 = Date.now();
    const mode = await MODES[name]();
    const r = await mode.run({ ...opts, mode: name });
    // A run that compared too little is a failure (e.g. generation broken): the
    // minimums default to --modules, or one module per 12 s asked for, and 5
    // calls per module; a single-module reproduction (--only, --replay) has none.
    const { minModules, minCalls } = minimums(opts, mode);
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    console.log(`fuzz details: mode ${name}, ${secs} s, seed ${opts.seed}, engine ${opts.engine}${opts.nativeBin ? ` + ${path.relative(root, opts.nativeBin)}` : ""}; ${r.details ?? ""}`);
    const tooLittle = r.modules < minModules || r.calls < minCalls;
    console.log(`fuzz minimum${names.length > 1 ? ` (${name})` : ""}: ${minModules} modules, ${minCalls} calls${tooLittle ? `: NOT MET (${r.modules} modules, ${r.calls} calls compared)` : ": met"}`);
    failed ||= tooLittle || r.differences > 0;
    total.modules += r.modules;
    total.calls += r.calls;
    total.differences += r.differences;
  }
  if (names.length > 1) console.log(`fuzz duration: ${((Date.now() - started) / 1000).toFixed(1)} s for modes ${names.join(", ")}`);
  if (sanitizer) {
    const s = sanitizer();
    console.log(`fuzz sanitizer reports: ${s.count} (${path.relative(root, opts.nativeBin)}, logs in ${s.dir})`);
    if (s.count > 0) { failed = true; total.differences += s.count; }
  }
  console.log(`fuzz: ${total.modules} modules, ${total.calls} calls, ${total.differences} differences`);
  // Exit now: wasm-opt runs generating modules ahead and native engine processes would hold the loop.
  process.exit(failed ? 1 : 0);
}

await main();
