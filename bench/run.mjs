// `npm run bench`: every engine on the benchmark kernels in one run.
//
//   [WASM3=path] [IWASM=path] node bench/run.mjs [--rounds N] [--scale X] [--only a,b]
//                      [--no-native] [--no-wabt] [--no-qemu] [--no-node] [--no-cli]
//                      [--no-fuel] [--no-snapshot] [--no-simd] [--no-wrt] [--no-c] [--no-readme]
//                      [--cachegrind] [--cachegrind-only] [--pin CPU | --no-pin] [--help]
//
// 0. Pins itself (and so every engine it starts) to one CPU with `taskset`
//    (Linux; the CPU that runs a small switch interpreter fastest at the
//    start, unless --pin names one; --no-pin does not pin): on this 2-vCPU
//    VM one vCPU at a time ran interpreters about 1.4x slower, so an
//    unpinned process ran at one of two speeds, switching between processes
//    and even between calls (c-crc32 in wrt native: 68-70 or 100-106 ms).
//    bench/README.md, "Pinning".
// 1. Builds bench/kernels/*.ts with asc (`--runtime stub -O3 --noAssert
//    --use abort=`: no imports at all) into build/bench/*.wasm, and the C
//    twins bench/kernels/c/*.c with clang-14 (`CLANG=`; `--target=wasm32 -O2
//    -fno-builtin -nostdlib`, 4 KiB shadow stack, one 64 KiB page) into
//    build/bench/c-*.wasm (skipped with a warning without clang); for wabt's
//    wasm-interp (which runs only exports without arguments) each kernel is
//    merged (binaryen's wasm-merge) with a wrapper whose `main` calls
//    `run(n)`, and once more with `run(0)` to measure its start-up.
//    Builds build/wrt-native (`npm run build:native`) if it is missing or
//    older than build/wrt-c.wasm.
// 2. Interleaved rounds (engine order rotated every round); per kernel:
//      V8         the kernel instantiated directly (upper bound), warmed up;
//      wrt Node   build/wrt.wasm through host-shims/node, fuel metering on
//                 with a large finite budget (the default configuration),
//                 and again with metering off (`config.fuelMetering: 0`);
//      wrt native build/wrt-native through the same Node API
//                 (`engine: "native"`), metered and unmetered as above:
//                 only the invoke is timed (a few FIFO round trips, ~0.1 ms);
//      wabt       `wasm-interp` whole process with run(n) minus the median
//                 whole process with run(0) (start-up and load subtracted).
//      wrt run    the CLI as a user runs it (`node host-shims/node/dist/cli.js
//                 run k.wasm --invoke run N`, fuel metering on by default),
//                 whole process minus the same with run(0), as wabt; N is
//                 CLI_WORK times n's work (a run of 1-1.5 s against a
//                 start-up of 150-500 ms), its ratio to wrt native per unit.
//    Process pairs (wabt, wrt run, peers): run(n) and run(0) run back to
//    back; the net time is the median over rounds of their difference.
//      wasm3, WAMR  when WASM3= / IWASM= name their binaries (release builds
//                 of the peers, made by the user outside this repository:
//                 bench/README.md): `wasm3 --func run k.wasm n`, `iwasm
//                 --function run k.wasm n`, whole process minus run(0).
//    Every engine must return V8's checksum.
//    --cachegrind: afterwards, each of wrt native (`build/wrt-native run`,
//    metered), wasm3 and WAMR once under `valgrind --tool=cachegrind` per
//    kernel at a tenth of the size: instructions of run(n) minus run(0)
//    (deterministic; the robust figure on a loaded machine).
//    --cachegrind-only: only that (no timed rounds, no QEMU, no snapshots).
//    WRT_BASE=path: another build's wrt-native (e.g. the base commit's, built
//    in a scratch copy) as one more engine, "wrt native base": timed like wrt
//    native (a fresh process per round, metered, next to wrt native) and
//    under cachegrind, with a table of this build / base in time and
//    instructions (a change's cost measured in one interleaved run).
// 3. QEMU Cortex-M3 (mps2-an385, flash-scripts/qemu.sh --icount): the
//    instructions of one guest call at a smaller n (deterministic: once).
// 4. Snapshot/restore: a guest with 1 MiB and 16 MiB of non-zero memory,
//    snapshot time, restore time (into a second engine) and size, in Node
//    and native (Node API; native times include the FIFO transfer).
//    The SIMD kernel (bench/simd.mjs, in a child process; --no-simd skips
//    it): dot.c scalar and -msimd128 on V8, wrt Node and wrt native.
// 5. Writes bench/results/latest.md and latest.svg, and the table and chart
//    link into README.md between the bench markers; a partial run (--scale,
//    --only, --no-...) writes build/bench/latest.md and .svg only.
//
// Progress goes to stderr (`bench: round 2/3 coremark native`). Exit status
// 1 if any checksum differs or anything fails.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  barChartSvg, bytes as fmtBytes, cachegrindIr, div, geomean, mdTable, median, ms, pct, peerResult, ratio, si, workUnits,
} from "./report.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const kernelDir = path.join(root, "bench/kernels");
const outDir = path.join(root, "build/bench");
const resultsDir = path.join(root, "bench/results");
const nativeBin = path.join(root, "build/wrt-native");
const wrtWasm = path.join(root, "build/wrt.wasm");
const interp = "/usr/bin/wasm-interp";

// run(n) argument per kernel: 20-100 ms in V8 and about 1 s in wrt in Node
// on a 2-core x86 VM.
const SIZES = {
  fib: 34,          // fib(34): 18 million calls
  sieve: 300,       // 300 sieves of 65536 bytes
  matmul: 150,      // 150 products of 48x48 f64 matrices
  calls: 750_000,   // 750k rounds of 8 direct + 8 indirect calls
  coremark: 1000,   // 1000 iterations of list + matrix + state machine
  sha256: 1200,     // 1200 chained SHA-256 digests of 4 KiB
  memops: 6000,     // 6000 rounds of 256 KiB fill + 32 overlapping copies/fills (bulk ops run natively in wrt too)
  // C twins (bench/kernels/c, clang-14 -O2), about 0.3 s each in wrt native
  "c-fib": 33,
  "c-sieve": 1000,    // 1000 sieves of 8 KiB
  "c-matmul": 1000,   // 1000 products of 24x24 f64 matrices
  "c-calls": 400_000,
  "c-coremark": 600,
  "c-crc32": 400,     // 400 bitwise CRC-32s of 4 KiB
};
// `wrt run`'s n: the kernel's work times this factor (fib: the n with about
// that many calls), so that its run (1-1.5 s) is several times the CLI's
// start-up (150-500 ms on a loaded 2-core VM), which is subtracted; its
// ratio to wrt native is per unit of work (bench/README.md).
const CLI_WORK = {
  fib: 4, sieve: 4, matmul: 4, calls: 4, coremark: 4, sha256: 4, memops: 6,
  "c-fib": 11, "c-sieve": 8, "c-matmul": 8, "c-calls": 8, "c-coremark": 8, "c-crc32": 30,
};
// run(n) on the Cortex-M3 under QEMU: 50-600 M instructions each.
const QEMU_SIZES = {
  fib: 22, sieve: 4, matmul: 3, calls: 10_000, coremark: 10, sha256: 20, memops: 100,
  // issue 16's board guests: fib(22), one sieve over 8 KiB, one CRC-32 over 4 KiB
  "c-fib": 22, "c-sieve": 1, "c-matmul": 2, "c-calls": 2000, "c-coremark": 2, "c-crc32": 1,
};
/** What one unit of n is (fib: one call of fib). */
/** wasm3 0.9 built for the same board at -Os, its counts on issue 16's three guests (issue 16's table: there is no
 *  wasm3 firmware in this repository, so these are the issue's figures, quoted as the goal, not measured here). */
const WASM3_M3 = { "c-fib": 8.59e6, "c-sieve": 1.84e6, "c-crc32": 3.39e6 };
const UNIT = {
  fib: "fib call", sieve: "64 KiB sieve", matmul: "48x48 f64 product", calls: "round of 16 calls",
  coremark: "iteration", sha256: "4 KiB digest", memops: "256 KiB round",
  "c-fib": "fib call", "c-sieve": "8 KiB sieve", "c-matmul": "24x24 f64 product", "c-calls": "round of 16 calls",
  "c-coremark": "iteration", "c-crc32": "4 KiB CRC-32",
};
/** Result type of each kernel's run(n) (bench/kernels/*.ts, c/*.c). */
const RESULT = { matmul: "i64", "c-matmul": "i64" };
/** The kernel without its "c-" prefix (for workUnits). */
const baseName = (name) => name.replace(/^c-/, "");
const CLANG = process.env.CLANG || "clang-14";
const CLANG_FLAGS = ["--target=wasm32", "-O2", "-fno-builtin", "-nostdlib", "-Wl,--no-entry",
  "-Wl,-z,stack-size=4096", "-Wl,--initial-memory=65536", "-Wl,--max-memory=65536"];
/** Peers, when the environment names their binaries: key, label, env, argv before the file, after. */
const PEERS = [
  ["wasm3", "wasm3", "WASM3", (file, n) => ["--func", "run", file, String(n)]],
  ["wamr", "WAMR fast-interp", "IWASM", (file, n) => ["--function", "run", file, String(n)]],
].filter(([, , env]) => process.env[env]).map(([key, label, env, args]) => ({ key, label, bin: path.resolve(process.env[env]), args }));
const cliJs = path.join(root, "host-shims/node/dist/cli.js");
/** WRT_BASE: another build's wrt-native, compared with this one in the same run. */
const baseBin = process.env.WRT_BASE ? path.resolve(process.env.WRT_BASE) : null;
const FUEL_BUDGET = 10n ** 15n; // large and finite: metered, never runs out here
const QEMU_BOARD = "mps2-an385";

// ---------------- options ----------------
const argv = process.argv.slice(2);
if (argv.includes("--help") || argv.includes("-h")) {
  // The usage is this file's header comment, up to the first import.
  const text = readFileSync(fileURLToPath(import.meta.url), "utf8");
  const head = text.slice(0, text.indexOf("\nimport ")).split("\n").filter((l) => l.startsWith("//"));
  process.stdout.write(head.map((l) => l.replace(/^\/\/ ?/, "")).join("\n") + "\n");
  process.exit(0);
}
const KNOWN = new Set(["--rounds", "--scale", "--only", "--pin", "--no-pin", "--no-native", "--no-wabt", "--no-qemu",
  "--no-node", "--no-cli", "--no-fuel", "--no-snapshot", "--no-simd", "--no-wrt", "--no-c", "--no-readme",
  "--cachegrind", "--cachegrind-only"]);
const WITH_VALUE = new Set(["--rounds", "--scale", "--only", "--pin"]);
for (let i = 0; i < argv.length; i++) {
  if (!KNOWN.has(argv[i])) {
    process.stderr.write(`bench: unknown option ${argv[i]} (node bench/run.mjs --help)\n`);
    process.exit(64);
  }
  if (WITH_VALUE.has(argv[i]) && ++i >= argv.length) {
    process.stderr.write(`bench: ${argv[i - 1]} needs a value\n`);
    process.exit(64);
  }
}
pinToOneCpu();
const opt = (name, def) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
};
const flag = (name) => argv.includes(name);
const rounds = Math.max(1, parseInt(opt("--rounds", "3"), 10));
const scale = parseFloat(opt("--scale", "1"));
const only = opt("--only", "") ? new Set(opt("--only", "").split(",")) : null;
const noWrt = flag("--no-wrt");
const cgOnly = flag("--cachegrind-only");
const timed = !cgOnly;
const use = {
  node: timed && !noWrt && !flag("--no-node"),
  native: !noWrt && !flag("--no-native"),
  cli: timed && !noWrt && !flag("--no-cli"),
  wabt: timed && !flag("--no-wabt"),
  qemu: timed && !noWrt && !flag("--no-qemu"),
  fuel: timed && !noWrt && !flag("--no-fuel"),
  snapshot: timed && !noWrt && !flag("--no-snapshot"),
  c: !flag("--no-c"),
  simd: timed && !noWrt && !only && !flag("--no-simd"),
};
const cachegrind = cgOnly || flag("--cachegrind");
const fullRun = scale === 1 && !only && !process.env.WRT_BASE && Object.values(use).every(Boolean);
const updateReadme = !flag("--no-readme") && fullRun;

/**
 * Runs this script again under `taskset -c CPU` (header, step 0) unless it
 * already is, --no-pin says not to, or there is no taskset; every child
 * inherits the CPU. Returns only in the pinned (or unpinned) process.
 */
function pinToOneCpu() {
  const asked = argv.includes("--pin") ? argv[argv.indexOf("--pin") + 1] : null;
  if (asked !== null && (!/^\d+$/.test(asked) || Number(asked) >= os.cpus().length)) {
    process.stderr.write(`bench: --pin ${asked}: not a CPU of this machine (0-${os.cpus().length - 1})\n`);
    process.exit(64);
  }
  if (process.env.WRT_BENCH_PINNED || argv.includes("--no-pin") || os.platform() !== "linux") return;
  if (spawnSync("taskset", ["--version"]).status !== 0) {
    process.stderr.write("bench: no taskset (util-linux): timings are not pinned to one CPU\n");
    return;
  }
  const cpu = String(asked ?? fastestCpu());
  const r = spawnSync("taskset", ["-c", cpu, process.execPath, ...process.execArgv, fileURLToPath(import.meta.url), ...argv],
    { stdio: "inherit", env: { ...process.env, WRT_BENCH_PINNED: cpu } });
  process.exit(r.status ?? 1);
}

/**
 * The CPU that runs a fixed loop fastest now, by 3 interleaved trials of
 * each: a VM's vCPUs are not equal (here one ran the same interpreter 1.4x
 * slower than the other for minutes at a time, both engines alike).
 */
function fastestCpu() {
  // A small switch interpreter: the slow vCPU showed on indirect-branch-heavy code, not on plain arithmetic.
  const loop = "const c=new Uint8Array(256);let s=12345;for(let i=0;i<256;i++){s=(s*1103515245+12345)>>>0;c[i]=(s>>>16)&7}"
    + "let t=process.hrtime.bigint(),a=1,b=2,p=0;for(let n=0;n<2e7;n++){switch(c[p]){case 0:a+=b;break;case 1:b^=a;break;"
    + "case 2:a=(a<<1)|0;break;case 3:b>>>=1;break;case 4:a-=3;break;case 5:b+=a&7;break;case 6:a^=n;break;default:b=(a-b)|0}"
    + "p=(p+1+(a&1))&255}process.stdout.write(String(process.hrtime.bigint()-t))";
  const best = new Map();
  for (let trial = 0; trial < 3; trial++) {
    for (let c = 0; c < os.cpus().length; c++) {
      const r = spawnSync("taskset", ["-c", String(c), process.execPath, "-e", loop], { encoding: "utf8" });
      const ns = Number(r.stdout);
      if (r.status === 0 && ns > 0) best.set(c, Math.min(best.get(c) ?? Infinity, ns));
    }
  }
  let cpu = os.cpus().length - 1;
  for (const [c, ns] of best) if (ns < best.get(cpu)) cpu = c;
  process.stderr.write(`bench: pinned to CPU ${cpu} (fastest of ${[...best].map(([c, ns]) => `CPU ${c} ${(ns / 1e6).toFixed(0)} ms`).join(", ")})\n`);
  return cpu;
}

/** n for `factor` times the work of n: work grows linearly in n, except fib's (by the golden ratio per step). */
function scaled(name, n, factor = scale) {
  if (baseName(name) === "fib") return Math.max(1, Math.round(n + Math.log(factor) / Math.log(1.618)));
  return Math.max(1, Math.round(n * factor));
}

// ---------------- progress ----------------
const tty = process.stderr.isTTY;
let lastLen = 0;
const benchStart = Date.now();
function progress(text) {
  const line = `bench: ${text} (${((Date.now() - benchStart) / 1000).toFixed(0)} s)`;
  if (tty) {
    process.stderr.write("\r" + line.padEnd(lastLen));
    lastLen = line.length;
  } else {
    process.stderr.write(line + "\n");
  }
}
function progressDone() {
  if (tty && lastLen) process.stderr.write("\r" + " ".repeat(lastLen) + "\r");
  lastLen = 0;
}
function warn(text) {
  progressDone();
  process.stderr.write(`bench: ${text}\n`);
}

// ---------------- build ----------------
const asc = path.join(root, "node_modules/.bin/asc");
const wasmMerge = path.join(root, "node_modules/.bin/wasm-merge");

function buildKernels() {
  mkdirSync(outDir, { recursive: true });
  const names = readdirSync(kernelDir).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3)).sort();
  const cDir = path.join(kernelDir, "c");
  let cNames = use.c ? readdirSync(cDir).filter((f) => f.endsWith(".c")).map((f) => `c-${f.slice(0, -2)}`).sort() : [];
  if (cNames.length && spawnSync(CLANG, ["--version"]).status !== 0) {
    warn(`${CLANG} missing (apt-get install clang-14 lld-14, or CLANG=path): the C kernels are skipped`);
    cNames = [];
    use.c = false;
  }
  const built = [];
  for (const name of [...names, ...cNames]) {
    if (only && !only.has(name)) continue;
    if (!(name in SIZES)) { warn(`no size for kernel ${name}, skipped`); continue; }
    progress(`building ${name}`);
    const out = path.join(outDir, `${name}.wasm`);
    if (name.startsWith("c-")) {
      execFileSync(CLANG, [...CLANG_FLAGS, path.join(cDir, `${baseName(name)}.c`), "-o", out],
        { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
    } else {
      execFileSync(asc, [
        path.join(kernelDir, `${name}.ts`),
        "--config", path.join(kernelDir, "asconfig.json"),
        "--runtime", "stub", "-O3", "--noAssert", "--use", "abort=",
        "-o", out,
      ], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
    }
    const bytes = readFileSync(out);
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
    if (imports.length) throw new Error(`kernel ${name} has imports: ${JSON.stringify(imports)}`);
    built.push({ name, file: out, bytes, n: scaled(name, SIZES[name]), cliN: scaled(name, scaled(name, SIZES[name]), CLI_WORK[name] ?? 1), qemuN: scaled(name, QEMU_SIZES[name]) });
  }
  return built;
}

let wabtLib = null;
/** The kernel merged with a wrapper whose `main` calls run(n) (for wasm-interp). */
async function mergedWithMain(k, n) {
  wabtLib ??= await (await import("wabt")).default();
  const dir = path.join(outDir, "wabt");
  mkdirSync(dir, { recursive: true });
  const result = RESULT[k.name] ?? "i32";
  const wrapper = wabtLib.parseWat("w.wat", `(module (import "k" "run" (func $run (param i32) (result ${result})))
    (func (export "main") (result ${result}) (call $run (i32.const ${n}))))`).toBinary({}).buffer;
  const w = path.join(dir, `${k.name}.main${n}.wrapper.wasm`);
  const out = path.join(dir, `${k.name}.main${n}.wasm`);
  writeFileSync(w, wrapper);
  execFileSync(wasmMerge, [k.file, "k", w, "w", "-o", out,
    "--enable-bulk-memory", "--enable-sign-ext", "--enable-nontrapping-float-to-int", "--enable-mutable-globals"]);
  return out;
}

function ensureNative() {
  const cWasm = path.join(root, "build/wrt-c.wasm"); // what wrt-native is translated from
  if (!existsSync(wrtWasm) || !existsSync(cWasm)) throw new Error("build/wrt.wasm or build/wrt-c.wasm missing: run `npm run build`");
  if (existsSync(nativeBin) && statSync(nativeBin).mtimeMs >= statSync(cWasm).mtimeMs) return;
  progress(existsSync(nativeBin) ? "build/wrt-native is older than build/wrt-c.wasm: npm run build:native" : "building build/wrt-native (npm run build:native)");
  execFileSync(process.execPath, [path.join(root, "scripts/build-c.mjs"), "--native"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
}

// ---------------- checksums ----------------
/** A result as a signed decimal of the kernel's result width (V8, Node API, wasm-interp and UART text alike). */
function norm(name, v) {
  const bits = (RESULT[name] ?? "i32") === "i64" ? 64 : 32;
  if (typeof v === "string") v = v.trim().replace(/^.*?(i32|i64):/s, "");
  return BigInt.asIntN(bits, BigInt(v)).toString();
}

// ---------------- engines ----------------
function time(fn) {
  const t0 = process.hrtime.bigint();
  const result = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, result };
}

function v8Runner(k) {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(k.bytes), {});
  const run = inst.exports.run;
  for (let i = 0; i < 3; i++) run(k.n); // warm up V8's tiers at full size
  return { run: () => norm(k.name, run(k.n)), plain: (n) => norm(k.name, run(n)) };
}

let api = null;
async function loadApi() {
  const dist = path.join(root, "host-shims/node/dist/index.js");
  if (!existsSync(dist)) throw new Error("host-shims/node/dist/index.js missing: run `npm run build`");
  api = await import(pathToFileURL(dist).href);
}

/** An engine (node or native, metered or not) shared by all kernels. */
function makeEngine(kind, metered, nativePath = undefined) {
  return api.Engine.load({ engine: kind, nativePath, log: false, config: { fuelMetering: metered ? 1 : 0 } });
}

function closeEngine(engine) {
  engine?.instance?.close?.();
}

/** run(n) in a wrt engine: metered calls get FUEL_BUDGET and report the fuel used. */
function wrtRunner(engine, k, metered) {
  const module = api.Module.load(engine, k.bytes);
  const instance = api.Instance.instantiate(module, {});
  const run = instance.func("run");
  const call = (n) => {
    if (!metered) return { value: run.invoke([n])[0], fuel: null };
    const r = run.call([n], FUEL_BUDGET);
    if (!r.done) throw new Error("ran out of fuel");
    return { value: r.results[0], fuel: FUEL_BUDGET - r.fuelLeft };
  };
  // warm up: let V8 tier build/wrt.wasm itself up (and fault in guest memory natively)
  call(k.name === "fib" ? Math.max(1, k.n - 5) : Math.max(1, Math.round(k.n / 10)));
  return (row) => {
    const r = call(k.n);
    if (r.fuel !== null) row.fuelUsed = r.fuel;
    return norm(k.name, r.value);
  };
}

function wabtRunner(file) {
  return () => {
    const r = spawnSync(interp, [file, "--run-all-exports"], { encoding: "utf8", timeout: 600_000 });
    if (r.status !== 0) throw new Error(`wasm-interp exit ${r.status}: ${r.stderr.trim()}`);
    return r.stdout.trim();
  };
}

/** A whole process that runs run(n) and prints its result (a peer, or `wrt run`): the result as a decimal. */
function processRunner(k, bin, args) {
  return () => {
    const r = spawnSync(bin, args, { encoding: "utf8", timeout: 600_000 });
    if (r.status !== 0) throw new Error(`${path.basename(bin)} exit ${r.status}: ${(r.stderr || r.stdout).trim().split("\n").slice(-2).join(" / ")}`);
    const v = peerResult(`${r.stdout}\n${r.stderr}`, RESULT[k.name] ?? "i32"); // wasm3 prints its result on stderr
    if (v === null) throw new Error(`${path.basename(bin)} printed no result: ${r.stdout.trim().slice(0, 200)}`);
    return v;
  };
}
/** `wrt run` as a user runs it (dist/cli.js; npx adds only its own start-up). */
const cliArgs = (k, n) => [cliJs, "run", k.file, "--invoke", "run", String(n)];

// ---------------- set-up ----------------
const kernels = buildKernels();
if (use.native) {
  try { ensureNative(); } catch (e) { warn(`native engine unavailable: ${e.message}`); use.native = false; }
}
if (use.wabt && !existsSync(interp)) { warn(`${interp} missing (apt-get install wabt): wabt skipped`); use.wabt = false; }
if (baseBin && !existsSync(baseBin)) throw new Error(`WRT_BASE: ${baseBin} does not exist`);
for (const p of PEERS) if (!existsSync(p.bin)) throw new Error(`${p.label}: ${p.bin} does not exist (bench/README.md says how to build it)`);
if (use.cli && !existsSync(cliJs)) { warn(`${cliJs} missing (npm run build): wrt run skipped`); use.cli = false; }
if (use.node || use.native) await loadApi();

const ENGINES = [
  // key, label, enabled
  ["v8", "V8", true],
  ["node", "wrt Node", use.node],
  ["nodeFree", "wrt Node unmetered", use.node && use.fuel],
  ["native", "wrt native", use.native],
  ["nativeFree", "wrt native unmetered", use.native && use.fuel],
  ["base", "wrt native base", use.native && baseBin !== null && timed],
  ["wabt", "wabt", use.wabt],
  ["wabt0", "wabt run(0)", use.wabt],
  ["cli", "wrt run", use.cli],
  ["cli0", "wrt run run(0)", use.cli],
  ...PEERS.flatMap((p) => [[p.key, p.label, timed], [`${p.key}0`, `${p.label} run(0)`, timed]]),
].filter((e) => e[2]);
/** Engines timed as whole processes with run(n) minus run(0): key -> its run(0) key. */
const PROCESS_PAIRS = [["wabt", "wabt0"], ["cli", "cli0"], ...PEERS.map((p) => [p.key, `${p.key}0`])];

const shared = {};
for (const [key] of ENGINES) {
  if (key === "node") shared.node = makeEngine("node", true);
  if (key === "nodeFree") shared.nodeFree = makeEngine("node", false);
}
// The native engine's speed varies from process to process (up to 20%
// between processes running the same binary): every round gets a fresh
// process, so the median is over independent layouts, and that one process
// runs both the metered and the unmetered module (the metering flag applies
// to modules loaded after it is set), so the fuel overhead is a ratio
// within one process.
const nativeKeys = () => ENGINES.filter((e) => e[0] === "native" || e[0] === "nativeFree").length;
const freshNativePair = (k) => {
  let engine = null, runs = null, left = 0;
  return (metered) => () => {
    if (!engine) {
      engine = makeEngine("native", true);
      runs = { metered: wrtRunner(engine, k, true) };
      if (nativeKeys() > 1) {
        engine.configure("fuelMetering", 0);
        runs.free = wrtRunner(engine, k, false);
      }
      left = nativeKeys();
    }
    const run = metered ? runs.metered : runs.free;
    return { run, close: () => { if (--left === 0) { closeEngine(engine); engine = null; } } };
  };
};

const rows = [];
for (const k of kernels) {
  const row = { ...k, times: {}, sums: {}, runners: {}, error: null, fuelUsed: null, fuelRatios: { node: [], native: [] } };
  for (const [key] of ENGINES) row.times[key] = [];
  try {
    progress(`set-up ${k.name}`);
    const v8 = v8Runner(k);
    row.runners.v8 = v8.run;
    row.v8Plain = v8.plain;
    if (shared.node) row.runners.node = wrtRunner(shared.node, k, true);
    if (shared.nodeFree) row.runners.nodeFree = wrtRunner(shared.nodeFree, k, false);
    row.fresh = {};
    const pair = freshNativePair(k);
    if (ENGINES.some((e) => e[0] === "native")) row.fresh.native = pair(true);
    if (ENGINES.some((e) => e[0] === "nativeFree")) row.fresh.nativeFree = pair(false);
    if (ENGINES.some((e) => e[0] === "base")) {
      row.fresh.base = () => {
        const engine = makeEngine("native", true, baseBin);
        return { run: wrtRunner(engine, k, true), close: () => closeEngine(engine) };
      };
    }
    if (use.wabt) {
      row.runners.wabt = wabtRunner(await mergedWithMain(k, k.n));
      row.runners.wabt0 = wabtRunner(await mergedWithMain(k, 0));
    }
    if (use.cli) {
      row.cliWant = v8.plain(k.cliN); // the checksum `wrt run` must print at its own n
      row.runners.cli = processRunner(k, process.execPath, cliArgs(k, k.cliN));
      row.runners.cli0 = processRunner(k, process.execPath, cliArgs(k, 0));
    }
    if (timed) {
      for (const p of PEERS) {
        row.runners[p.key] = processRunner(k, p.bin, p.args(k.file, k.n));
        row.runners[`${p.key}0`] = processRunner(k, p.bin, p.args(k.file, 0));
      }
    }
  } catch (e) {
    row.error = `set-up failed: ${e.message}`;
  }
  rows.push(row);
}

// ---------------- timed rounds ----------------
const roundsStart = Date.now();
for (let r = 0; r < (timed ? rounds : 0); r++) {
  for (const row of rows) {
    if (row.error) continue;
    // Groups rotate every round; metered and unmetered runs of an engine stay
    // back to back (their order swapped every other round) so that the fuel
    // overhead is a ratio of neighbours, less exposed to load from elsewhere.
    const groups = [["v8"], ["node", "nodeFree"], ["native", "nativeFree", "base"], ...PROCESS_PAIRS]
      .map((g) => g.filter((key) => ENGINES.some((e) => e[0] === key)))
      .filter((g) => g.length)
      .map((g) => (r % 2 ? g.reverse() : g));
    for (let i = 0; i < r % groups.length; i++) groups.push(groups.shift());
    const order = groups.flat();
    for (const key of order) {
      const label = ENGINES.find((e) => e[0] === key)[1];
      progress(`round ${r + 1}/${rounds} ${row.name} ${label}`);
      try {
        const fresh = row.fresh[key] ? row.fresh[key]() : null; // set-up and warm-up, not timed
        const runner = fresh ? fresh.run : row.runners[key];
        let timed;
        try { timed = time(() => runner(row)); } finally { fresh?.close(); }
        const { ms: t, result } = timed;
        row.times[key].push(t);
        if (PROCESS_PAIRS.some((p) => p[1] === key)) continue; // run(0): start-up only, its result is not the checksum
        const sum = key === "wabt" ? norm(row.name, result) : result;
        if (row.sums[key] !== undefined && row.sums[key] !== sum) row.error = `${label}: checksum changed between rounds: ${row.sums[key]} then ${sum}`;
        row.sums[key] = sum;
      } catch (e) {
        row.error = `${label} failed: ${e.name}: ${e.message}`;
        break;
      }
    }
    if (row.error) continue;
    for (const [m, f] of [["node", "nodeFree"], ["native", "nativeFree"]]) {
      if (row.times[m]?.length === r + 1 && row.times[f]?.length === r + 1) row.fuelRatios[m].push(row.times[m][r] / row.times[f][r]);
    }
    for (const [key, label] of ENGINES) {
      const want = key === "cli" ? row.cliWant : row.sums.v8;
      if (!PROCESS_PAIRS.some((p) => p[1] === key) && row.sums[key] !== undefined && row.sums[key] !== want) {
        row.error = `checksum mismatch: V8 ${want}, ${label} ${row.sums[key]}`;
      }
    }
  }
}
const roundsSeconds = (Date.now() - roundsStart) / 1000;
for (const key of Object.keys(shared)) closeEngine(shared[key]);

for (const row of rows) {
  row.med = {};
  for (const [key] of ENGINES) row.med[key] = median(row.times[key]);
  // processes: whole process with run(n) minus whole process with run(0),
  // the median of each round's difference (the two ran back to back)
  row.startup = {};
  for (const [key, key0] of PROCESS_PAIRS) {
    if (row.med[key] === null || row.med[key] === undefined) continue;
    row.startup[key] = row.med[key0];
    const diffs = row.times[key].map((t, i) => t - row.times[key0][i]).filter((d) => !Number.isNaN(d));
    row.med[`${key}Net`] = Math.max(0.01, median(diffs));
  }
  if (row.startup.wabt !== undefined) row.wabtStartup = row.startup.wabt;
}

// ---------------- QEMU instruction counts ----------------
const qemuRows = [];
if (use.qemu) {
  const script = path.join(root, "flash-scripts/qemu.sh");
  for (const row of rows) {
    progress(`qemu ${QEMU_BOARD} ${row.name} n=${row.qemuN}`);
    const q = { name: row.name, n: row.qemuN, icount: null, sum: null, error: null };
    try {
      const qemuRun = (n) => {
        const r = spawnSync(script, [QEMU_BOARD, row.file, "--invoke", "run", String(n), "--icount", "--timeout", "300"],
          { cwd: root, encoding: "utf8", timeout: 400_000 });
        const out = `${r.stdout}\n${r.stderr}`;
        const ic = /# instructions: (\d+)/.exec(out);
        const res = /^(i32|i64):(-?\d+)\s*$/m.exec(r.stdout);
        if (r.status !== 0 || !ic || !res) throw new Error(`qemu.sh exit ${r.status}: ${out.trim().split("\n").slice(-3).join(" / ")}`);
        return { icount: Number(ic[1]), res };
      };
      const { icount, res } = qemuRun(row.qemuN);
      q.icount = icount - qemuRun(0).icount; // run(0) subtracted: the kernel's set-up and the call itself
      q.sum = norm(row.name, res[0]);
      const want = row.v8Plain ? row.v8Plain(row.qemuN) : null;
      if (want !== null && want !== q.sum) q.error = `checksum mismatch: V8 ${want}, QEMU ${q.sum}`;
    } catch (e) {
      q.error = e.message;
    }
    qemuRows.push(q);
  }
}

// ---------------- cachegrind instruction counts ----------------
/** The size under cachegrind: about a tenth of the work (fib: 5 steps less). */
const cgSize = (name, n) => (baseName(name) === "fib" ? Math.max(1, n - 5) : Math.max(1, Math.round(n / 10)));
const cgRows = [];
const cgEngines = [];
if (cachegrind) {
  if (spawnSync("valgrind", ["--version"]).status !== 0) throw new Error("--cachegrind needs valgrind (apt-get install valgrind)");
  const wrtArgs = (extra) => (file, n) => ["run", file, "--invoke", "run", String(n), ...extra];
  if (use.native) {
    cgEngines.push({ key: "native", label: "wrt native", bin: nativeBin, args: wrtArgs([]) });
    cgEngines.push({ key: "nativeFree", label: "wrt native unmetered", bin: nativeBin, args: wrtArgs(["--no-fuel-metering"]) });
  }
  if (use.native && baseBin) cgEngines.push({ key: "base", label: "wrt native base", bin: baseBin, args: wrtArgs([]) });
  cgEngines.push(...PEERS);
  for (const row of rows) {
    const c = { name: row.name, n: cgSize(row.name, row.n), ir: {}, error: null };
    const want = row.v8Plain ? row.v8Plain(c.n) : null;
    for (const e of cgEngines) {
      progress(`cachegrind ${row.name} ${e.label}`);
      try {
        const ir = [c.n, 0].map((n) => {
          const r = spawnSync("valgrind", ["--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", e.bin, ...e.args(row.file, n)],
            { encoding: "utf8", timeout: 3_600_000 });
          const count = cachegrindIr(r.stderr);
          if (r.status !== 0 || count === null) throw new Error(`exit ${r.status}: ${r.stderr.trim().split("\n").slice(-2).join(" / ")}`);
          const got = peerResult(`${r.stdout}\n${r.stderr}`, RESULT[row.name] ?? "i32");
          if (n === c.n && want !== null && got !== want) throw new Error(`checksum mismatch: V8 ${want}, ${e.label} ${got}`);
          return count;
        });
        c.ir[e.key] = ir[0] - ir[1];
      } catch (err) {
        c.error = `${e.label}: ${err.message}`;
      }
    }
    cgRows.push(c);
  }
}

// ---------------- snapshot / restore ----------------
const SNAP_WAT = `(module
  (memory (export "memory") 1)
  ;; grows memory to $pages and fills it with xorshift32 words (never zero); returns their sum
  (func (export "fill") (param $pages i32) (result i32)
    (local $i i32) (local $x i32) (local $end i32) (local $sum i32)
    (if (i32.gt_u (local.get $pages) (memory.size))
      (then (drop (memory.grow (i32.sub (local.get $pages) (memory.size))))))
    (local.set $end (i32.shl (local.get $pages) (i32.const 16)))
    (local.set $x (i32.const 0x9E3779B9))
    (loop $l
      (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
      (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
      (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 5))))
      (i32.store (local.get $i) (local.get $x))
      (local.set $sum (i32.add (local.get $sum) (local.get $x)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $end))))
    (local.get $sum))
  ;; the sum of the words of the first $pages pages
  (func (export "sum") (param $pages i32) (result i32)
    (local $i i32) (local $end i32) (local $sum i32)
    (local.set $end (i32.shl (local.get $pages) (i32.const 16)))
    (loop $l
      (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $i))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $end))))
    (local.get $sum)))`;
const SNAP_SIZES = [16, 256]; // pages: 1 MiB, 16 MiB

const snapRows = [];
if (use.snapshot && (use.node || use.native)) {
  wabtLib ??= await (await import("wabt")).default();
  const guest = new Uint8Array(wabtLib.parseWat("snap.wat", SNAP_WAT).toBinary({}).buffer);
  const reps = Math.max(3, rounds);
  for (const kind of ["node", "native"]) {
    if (!use[kind]) continue;
    let src = null, dst = null;
    try {
      src = api.Engine.load({ engine: kind, log: false });
      const srcInst = api.Instance.instantiate(api.Module.load(src, guest), {});
      dst = api.Engine.load({ engine: kind, log: false });
      api.Module.load(dst, guest);
      for (const pages of SNAP_SIZES) {
        const s = { engine: kind, pages, size: null, snap: [], restore: [], error: null };
        progress(`snapshot ${kind} ${pages / 16} MiB`);
        const [want] = srcInst.func("fill").invoke([pages]);
        let snap = null;
        for (let i = 0; i < reps; i++) {
          progress(`snapshot ${kind} ${pages / 16} MiB ${i + 1}/${reps}`);
          const a = time(() => src.snapshot());
          snap = a.result;
          s.snap.push(a.ms);
          const b = time(() => dst.restore(snap));
          s.restore.push(b.ms);
          const inst = b.result.instances.find((x) => x);
          const [got] = inst.func("sum").invoke([pages]);
          if (got !== want) s.error = `restored memory differs: sum ${got}, expected ${want}`;
        }
        s.size = snap.length;
        snapRows.push(s);
      }
    } catch (e) {
      snapRows.push({ engine: kind, pages: 0, size: null, snap: [], restore: [], error: `${e.name}: ${e.message}` });
    } finally {
      closeEngine(src);
      closeEngine(dst);
    }
  }
}
progressDone();
const totalSeconds = (Date.now() - benchStart) / 1000;

// ---------------- report ----------------
function cmd(c, args) {
  try {
    return execFileSync(c, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "?";
  }
}
function cpuModel() {
  try {
    const m = /^model name\s*:\s*(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m) return m[1].trim();
  } catch { /* not Linux */ }
  return os.cpus()[0]?.model?.trim() ?? "unknown CPU";
}
/** The first line a peer prints for --version. */
function peerVersion(p) {
  return cmd(p.bin, ["--version"]).split("\n")[0] || "?";
}
const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");
const machine = {
  cpu: cpuModel(),
  cores: os.cpus().length,
  os: `${os.platform()} ${os.release()}`,
  node: process.version,
  gcc: cmd("gcc", ["-dumpfullversion"]),
  wabt: use.wabt ? cmd(interp, ["--version"]) : "-",
  qemu: use.qemu ? (cmd("qemu-system-arm", ["--version"]).split("\n")[0].replace(/^QEMU emulator version /, "") || "?") : "-",
  load: os.loadavg().map((x) => x.toFixed(1)).join(" / "),
};

let failed = false;
const pick = (row, key) => (row.error ? null : row.med[key] ?? null);

// main table
const mainRows = [];
const ratios = { nativeVsWabt: [], nodeVsNative: [], nativeVsV8: [], nodeVsV8: [] };
for (const row of rows) {
  if (row.error) failed = true;
  const v8 = pick(row, "v8"), node = pick(row, "node"), native = pick(row, "native"), wabt = row.error ? null : row.med.wabtNet ?? null;
  const r = {
    nativeVsWabt: div(wabt, native), nodeVsNative: div(node, native), nativeVsV8: div(native, v8), nodeVsV8: div(node, v8),
  };
  for (const key of Object.keys(ratios)) ratios[key].push(r[key]);
  row.ratios = r;
  row.wabtVsV8 = div(wabt, v8);
  mainRows.push([
    row.name, String(row.n), row.error ? `**${row.error}**` : `\`${row.sums.v8}\``,
    ms(v8), ms(node), ms(native), ms(wabt),
    ratio(r.nativeVsWabt), ratio(r.nodeVsNative), ratio(r.nativeVsV8), ratio(r.nodeVsV8),
  ]);
}
mainRows.push(["**geometric mean**", "", "", "", "", "", "",
  ...Object.keys(ratios).map((key) => `**${ratio(geomean(ratios[key]))}**`)]);
const mainTable = mdTable(
  ["kernel", "n", "checksum", "V8 ms", "wrt Node ms", "wrt native ms", "wabt ms", "native vs wabt (speedup)", "Node / native", "native / V8", "Node / V8"],
  mainRows, ["---", "---:", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]);

// fuel table
const fuelRows = [];
const fuelOver = { node: [], native: [] };
for (const row of rows) {
  const nm = pick(row, "node"), nf = pick(row, "nodeFree"), xm = pick(row, "native"), xf = pick(row, "nativeFree");
  // median of the per-round ratios of neighbouring runs (see the rounds loop)
  const on = row.error ? null : median(row.fuelRatios.node), ox = row.error ? null : median(row.fuelRatios.native);
  if (on !== null) fuelOver.node.push(on);
  if (ox !== null) fuelOver.native.push(ox);
  fuelRows.push([row.name, ms(nm), ms(nf), pct(on === null ? null : on - 1), ms(xm), ms(xf), pct(ox === null ? null : ox - 1), si(row.fuelUsed === null ? null : Number(row.fuelUsed))]);
}
const gmPct = (xs) => { const g = geomean(xs); return `**${pct(g === null ? null : g - 1)}**`; };
fuelRows.push(["**geometric mean**", "", "", gmPct(fuelOver.node), "", "", gmPct(fuelOver.native), ""]);
const fuelTable = mdTable(
  ["kernel", "Node metered ms", "Node unmetered ms", "Node overhead", "native metered ms", "native unmetered ms", "native overhead", "fuel used"],
  fuelRows);

// snapshot table
const snapTable = mdTable(
  ["engine", "used guest memory", "snapshot size", "snapshot ms", "restore ms", "check"],
  snapRows.map((s) => {
    if (s.error) failed = true;
    return [s.engine === "node" ? "wrt Node" : "wrt native", s.pages ? `${s.pages / 16} MiB` : "-", s.size === null ? "-" : fmtBytes(s.size),
      ms(median(s.snap)), ms(median(s.restore)), s.error ? `**${s.error}**` : "memory sum ok"];
  }));

// peers table: wrt native and `wrt run` against wasm3 and WAMR, same rounds
const peerRatios = { cliVsNative: [] };
for (const p of PEERS) peerRatios[p.key] = [];
const peerRows = [];
if (use.cli || PEERS.length) {
  for (const row of rows) {
    if (row.error) failed = true;
    const native = pick(row, "native");
    const cli = row.error ? null : row.med.cliNet ?? null;
    const cells = [row.name, String(row.n), ms(native), String(row.cliN), ms(cli), ms(row.startup?.cli ?? null)];
    const ratiosHere = [];
    for (const p of PEERS) {
      const t = row.error ? null : row.med[`${p.key}Net`] ?? null;
      cells.push(ms(t));
      const r = div(native, t);
      peerRatios[p.key].push(r);
      ratiosHere.push(ratio(r));
    }
    // per unit of work: `wrt run` ran cliN, wrt native n
    const perUnit = (t, n) => (t === null || t === undefined ? null : t / workUnits(baseName(row.name), n));
    const c = div(perUnit(cli, row.cliN), perUnit(native, row.n));
    peerRatios.cliVsNative.push(c);
    peerRows.push([...cells, ...ratiosHere, ratio(c)]);
  }
  peerRows.push(["**geometric mean**", "", "", "", "", "", ...PEERS.map(() => ""),
    ...PEERS.map((p) => `**${ratio(geomean(peerRatios[p.key]))}**`), `**${ratio(geomean(peerRatios.cliVsNative))}**`]);
}
const peerTable = mdTable(
  ["kernel", "n", "wrt native ms", "wrt run n", "wrt run ms", "wrt run start-up ms", ...PEERS.map((p) => `${p.label} ms`),
    ...PEERS.map((p) => `native / ${p.label}`), "wrt run / native"],
  peerRows, ["---", "---:", ...peerRows[0]?.slice(2).map(() => "---:") ?? []]);

// cachegrind table
const cgRatios = Object.fromEntries(PEERS.map((p) => [p.key, []]));
const cgFuel = [];
const cgTable = mdTable(
  ["kernel", "n", ...cgEngines.map((e) => `${e.label} instructions`), ...PEERS.map((p) => `wrt / ${p.label}`), "fuel metering cost"],
  [...cgRows.map((c) => {
    if (c.error) failed = true;
    const ir = (key) => c.ir[key] ?? null;
    const per = PEERS.map((p) => { const r = div(ir("native"), ir(p.key)); cgRatios[p.key].push(r); return ratio(r); });
    const f = div(ir("native"), ir("nativeFree"));
    cgFuel.push(f);
    return [c.name, String(c.n), ...cgEngines.map((e) => si(ir(e.key))), ...per, c.error ? `**${c.error}**` : pct(f === null ? null : f - 1)];
  }),
  ["**geometric mean**", "", ...cgEngines.map(() => ""), ...PEERS.map((p) => `**${ratio(geomean(cgRatios[p.key]))}**`),
    `**${pct(geomean(cgFuel) === null ? null : geomean(cgFuel) - 1)}**`]]);

// this build against WRT_BASE, same rounds and cachegrind runs
const baseRatios = { time: [], ir: [] };
const cgOf = (name) => cgRows.find((c) => c.name === name);
const baseTable = !baseBin ? "" : mdTable(
  ["kernel", "wrt native ms", "base ms", "time / base", "wrt native instructions", "base instructions", "instructions / base"],
  [...rows.map((row) => {
    const t = div(pick(row, "native"), pick(row, "base"));
    const c = cgOf(row.name);
    const i = c ? div(c.ir.native ?? null, c.ir.base ?? null) : null;
    baseRatios.time.push(t);
    baseRatios.ir.push(i);
    const exact = (x) => (x === null || x === undefined ? "-" : String(x));
    return [row.name, ms(pick(row, "native")), ms(pick(row, "base")), t === null ? "-" : t.toFixed(4), exact(c?.ir.native), exact(c?.ir.base), i === null ? "-" : i.toFixed(4)];
  }),
  ["**geometric mean**", "", "", `**${geomean(baseRatios.time)?.toFixed(4) ?? "-"}**`, "", "", `**${geomean(baseRatios.ir)?.toFixed(4) ?? "-"}**`]]);

// QEMU table
const qemuTable = mdTable(
  ["kernel", "n", "checksum", "instructions", "per unit", "unit", "wasm3 (issue 16)", "wrt / wasm3"],
  qemuRows.map((q) => {
    if (q.error) failed = true;
    const per = q.icount === null ? null : q.icount / workUnits(baseName(q.name), q.n);
    const w3 = q.n === QEMU_SIZES[q.name] ? WASM3_M3[q.name] ?? null : null;
    return [q.name, String(q.n), q.error ? `**${q.error}**` : `\`${q.sum}\``, si(q.icount), si(per), UNIT[q.name],
      si(w3), ratio(div(q.icount, w3))];
  }), ["---", "---:", "---", "---:", "---:", "---", "---:", "---:"]);

const machineTable = mdTable(["machine and run", ""], [
  ["CPU", `${machine.cpu}, ${machine.cores} cores`],
  ["OS", machine.os],
  ["date", date],
  ["Node", machine.node],
  ["gcc (wrt-native, -O2)", machine.gcc],
  ["wabt (wasm-interp)", machine.wabt],
  ["QEMU", machine.qemu],
  ...PEERS.map((p) => [p.label, `${p.bin} (${peerVersion(p)})`]),
  ...(use.c ? [["clang (C kernels)", cmd(CLANG, ["--version"]).split("\n")[0]]] : []),
  ["load average at the end", machine.load],
  ["CPU affinity", process.env.WRT_BENCH_PINNED ? `every process pinned to CPU ${process.env.WRT_BENCH_PINNED} (taskset)` : "not pinned"],
  ["rounds", `${rounds} interleaved (medians)${scale !== 1 ? `, sizes scaled by ${scale}` : ""}`],
  ["run time", `${totalSeconds.toFixed(0)} s (timed rounds ${roundsSeconds.toFixed(0)} s)`],
], ["---", "---"]);

const how = [
  "Times are medians of one `run(n)` call each. **V8**: the kernel instantiated directly, warmed up (upper bound).",
  "**wrt Node**: build/wrt.wasm through host-shims/node; **wrt native**: build/wrt-native (wasm2c, gcc -O2) through the same",
  "Node API (`engine: \"native\"`), a fresh process every round (its speed varies between processes), which runs both the metered and the unmetered module, only the invoke timed (start-up and a warm-up call excluded; a few FIFO round trips, about 0.1 ms, included).",
  `Both wrt engines run with fuel metering on and a finite budget of ${FUEL_BUDGET} (the default configuration).`,
  "**wabt**: `wasm-interp` (the kernel merged with a `main` that calls `run(n)`), whole process minus the whole process",
  "of the same module calling `run(0)` run next to it in the same round, median over rounds (start-up and module load subtracted" + (rows.some((r) => r.wabtStartup) ? `; that was ${rows.filter((r) => r.wabtStartup).map((r) => `${r.name} ${ms(r.wabtStartup)}`).join(", ")} ms` : "") + ").",
  "Every engine must return V8's checksum.",
].join("\n");
const peerHow = [
  "Same interleaved rounds as above. **wrt native** as above (invoke only); **wrt run**: `node host-shims/node/dist/cli.js run K.wasm --invoke run N`",
  "(fuel metering on, as a user runs it) at its own N, \"wrt run n\" (the kernel's work times " + "4-30, so that the run, 1-1.5 s, is several times the start-up it subtracts), whole process minus the whole process with `run 0`",
  "run next to it in the same round, median over rounds (the median `run 0` is shown as its start-up); **wrt run / native** is per unit of work (fib: per call), wrt run's time for N against wrt native's for n.",
  PEERS.length ? `${PEERS.map((p) => `**${p.label}**: \`${path.basename(p.bin)} ${p.args("K.wasm", "N").join(" ")}\``).join("; ")}, whole process minus the same with run(0) (start-up and load subtracted). Built from their sources as bench/README.md says.` : "Peers: set `WASM3=path` and `IWASM=path` (bench/README.md) for wasm3 and WAMR columns.",
  "Ratios are times: below 1.00x wrt native is faster.",
].join("\n");

const svg = barChartSvg({
  title: "WRT benchmark kernels: time relative to V8",
  subtitle: `${machine.cpu}, ${machine.cores} cores, ${date}; medians of ${rounds} rounds${scale !== 1 ? `, scale ${scale}` : ""}`,
  kernels: rows.map((r) => r.name),
  series: [
    ["wrt native (wasm2c, gcc -O2)", "#2b8a3e", (r) => r.ratios.nativeVsV8],
    ["wrt in Node", "#1971c2", (r) => r.ratios.nodeVsV8],
    ["wabt wasm-interp", "#c92a2a", (r) => r.wabtVsV8],
  ].map(([label, color, f]) => ({ label, color, values: Object.fromEntries(rows.map((r) => [r.name, r.error ? null : f(r)])) })),
});

// The SIMD kernel (issue 13): bench/simd.mjs in a process of its own (its
// builds, its rounds, its checksum checks), its table taken as printed.
let simdSection = "";
if (use.simd) {
  progress("simd: dot.c scalar and -msimd128 on V8, wrt Node and wrt native");
  const r = spawnSync(process.execPath, [path.join(root, "bench/simd.mjs"), "--rounds", String(rounds)], { encoding: "utf8", timeout: 600_000 });
  if (r.status !== 0) failed = true;
  const out = r.status === 0 ? r.stdout.trim() : `not measured: bench/simd.mjs exited ${r.status}: ${(r.stderr || "").trim().split("\n").slice(-2).join(" / ")}`;
  simdSection = "## SIMD kernel: the same C source with and without -msimd128\n\n`node bench/simd.mjs`: bench/kernels/simd/dot.c built by clang-14 twice (scalar, and `-msimd128`), run(n) on each engine; scalar / simd above 1 means the SIMD build is faster. wrt Node is warmed up in-process, wrt native runs as `wrt run --engine native` minus its run(0).\n\n" + out;
}

const sections = [
  "## Kernels\n\n" + mainTable + "\n\n" + how,
  peerRows.length ? "## wrt against wasm3 and WAMR, and `wrt run` against wrt native\n\n" + peerTable + "\n\n" + peerHow : "",
  cgRows.length ? `## Executed instructions (cachegrind)\n\n\`valgrind --tool=cachegrind --cache-sim=no\`, instructions of the whole process with run(n) minus run(0), n about a tenth of the timed size. **wrt native**: \`build/wrt-native run K.wasm --invoke run N\` (fuel metering on, as \`wrt run\`; unmetered: \`--no-fuel-metering\`). Fuel metering cost = metered / unmetered - 1 in instructions.\n\n` + cgTable : "",
  use.fuel && (use.node || use.native) ? "## Fuel metering cost\n\nSame kernels with fuel metering on (finite budget, as above) and off (`config: { fuelMetering: 0 }`: modules compiled without fuel ops). Overhead = median over the rounds of metered / unmetered - 1, the two run back to back in each round, natively in the same process (so it need not equal the ratio of the medians shown); differences of a few % are within this machine's noise.\n\n" + fuelTable : "",
  snapRows.length ? "## Snapshot and restore\n\nA guest that filled 1 MiB and 16 MiB of its memory with non-zero words. Snapshot = `engine.snapshot()` (bytes in the host), restore = `engine.restore(bytes)` into a second engine that loaded the same module; the restored memory's sum is checked. Native times include moving the bytes through the FIFO.\n\n" + snapTable : "",
  baseTable ? `## This build against the base build (WRT_BASE)\n\n**base**: \`${baseBin}\`, timed like wrt native (fuel metering on, a fresh process per round, next to wrt native in each round)${cgRows.length ? "; instructions as in the cachegrind table" : ""}. Below 1 this build is faster.\n\n` + baseTable : "",
  simdSection,
  qemuRows.length ? `## Cortex-M3 under QEMU (${QEMU_BOARD})\n\nInstructions of one \`run(n)\` guest call minus those of \`run(0)\` (\`flash-scripts/qemu.sh ${QEMU_BOARD} build/bench/K.wasm --invoke run N --icount\`: wrt_call to the end of the last wrt_run, load and instantiation excluded; SysTick at 25 MHz, steps of 40 instructions), the default firmware (masked arena, docs/firmware.md) at -Os, fuel metering on. Deterministic, so run once.\n\n` + qemuTable : "",
].filter(Boolean);

const chartLink = "![time relative to V8 per kernel and engine](bench/results/latest.svg)";
const md = `# Benchmark results\n\nWritten by \`npm run bench\` (bench/run.mjs). Kernels: bench/kernels/*.ts, built by asc with \`--runtime stub -O3\`.\n\n${machineTable}\n\n${sections.join("\n\n")}\n\n![time relative to V8 per kernel and engine](latest.svg)\n`;

console.log(machineTable + "\n\n" + sections.join("\n\n"));
// Partial runs (--scale, --only, --no-...) go to build/bench/ so that they
// do not replace the committed results of a full run.
const writeDir = fullRun ? resultsDir : outDir;
mkdirSync(writeDir, { recursive: true });
writeFileSync(path.join(writeDir, "latest.md"), md);
writeFileSync(path.join(writeDir, "latest.svg"), svg);
const rel = path.relative(root, writeDir);
console.log(`\nwrote ${rel}/latest.md and ${rel}/latest.svg in ${totalSeconds.toFixed(0)} s`);

if (updateReadme) {
  const readme = path.join(root, "README.md");
  const text = readFileSync(readme, "utf8");
  const begin = "<!-- bench:begin -->", end = "<!-- bench:end -->";
  const a = text.indexOf(begin), b = text.indexOf(end);
  if (a >= 0 && b > a) {
    const g = (xs) => pct(geomean(xs) === null ? null : geomean(xs) - 1);
    const snap16 = snapRows.filter((x) => x.pages === 256 && !x.error)
      .map((x) => `${x.engine === "node" ? "Node" : "native"} ${ms(median(x.snap))} ms / ${ms(median(x.restore))} ms`).join(", ");
    const summary = [
      `Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, gcc ${machine.gcc}, wabt ${machine.wabt}; ${date}; medians of ${rounds} interleaved rounds; wrt with fuel metering on.`,
      `Fuel metering cost (geometric mean): ${g(fuelOver.node)} in Node, ${g(fuelOver.native)} native.`,
      cgRows.length ? `Fuel metering cost in executed instructions (native): ${g(cgFuel)} on geometric mean, at most ${pct(Math.max(...cgFuel.filter((f) => f !== null)) - 1)}.` : "",
      ...PEERS.map((p) => `wrt native / ${p.label} (time, geometric mean): ${ratio(geomean(peerRatios[p.key]))}${cgRows.length ? `; instructions (cachegrind) ${ratio(geomean(cgRatios[p.key]))}` : ""}.`),
      use.cli ? `\`wrt run\` in Node (start-up subtracted) / wrt native, geometric mean: ${ratio(geomean(peerRatios.cliVsNative))}.` : "",
      snap16 ? `Snapshot / restore of a guest with 16 MiB of used memory: ${snap16}.` : "",
      `All tables (fuel per kernel, snapshots, Cortex-M3 instruction counts under QEMU): [bench/results/latest.md](bench/results/latest.md).`,
    ].filter(Boolean).map((line) => `- ${line}`).join("\n");
    // The peers' table, the instruction counts and the board's counts go in too when measured: the issue's
    // must-shows are read off the README.
    const extra = [
      peerRows.length ? `**wrt native and \`wrt run\` against wasm3 and WAMR fast-interp** (time, same rounds; below 1 wrt is faster):\n\n${peerTable}` : "",
      cgRows.length ? `**Executed instructions** (cachegrind, run(n) minus run(0) at a tenth of the size; fuel metering cost = metered / unmetered - 1):\n\n${cgTable}` : "",
      qemuRows.length ? `**Cortex-M3 under QEMU** (${QEMU_BOARD}, default masked firmware, fuel metering on: instructions of run(n) minus run(0)):\n\n${qemuTable}` : "",
    ].filter(Boolean).join("\n\n");
    writeFileSync(readme, text.slice(0, a + begin.length) + `\n${mainTable}\n\n${summary}\n\n${extra ? extra + "\n\n" : ""}${chartLink}\n` + text.slice(b));
    console.log("updated the Benchmarks section of README.md");
  }
} else if (!flag("--no-readme")) {
  console.log("README.md not updated (only a full default run does that)");
}
process.exitCode = failed ? 1 : 0;
