// `npm run bench`: the benchmark kernels in V8 directly and in WRT (Node API).
//
//   node bench/run.mjs [--rounds N] [--scale X] [--only a,b] [--no-wrt] [--no-readme]
//
// 1. Builds bench/kernels/*.ts with asc (`--runtime stub -O3 --noAssert
//    --use abort=`: no imports at all) into build/bench/*.wasm.
// 2. For each of several interleaved rounds, runs every kernel once in V8
//    (the module instantiated directly) and once in WRT (build/wrt.wasm via
//    host-shims/node), timing only the `run(n)` call, and checks that both
//    return the same checksum.
// 3. Writes bench/results/latest.md (medians, ratio WRT/V8, machine, date)
//    and copies the table into README.md between the bench markers.
//
// Sizes aim at ~1-3 s per WRT run at a 50-100x slowdown to V8; --scale
// multiplies them (e.g. --scale 0.1 for a quick look). Exit status 1 if any
// checksum differs or a kernel fails.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const kernelDir = path.join(root, "bench/kernels");
const outDir = path.join(root, "build/bench");
const resultsDir = path.join(root, "bench/results");

// run(n) argument per kernel: 20-100 ms in V8 and about 1 s in wrt on a
// 2-core x86 VM (the first guess of a 50-100x slowdown was pessimistic).
const SIZES = {
  fib: 34,          // fib(34): 18 million calls
  sieve: 300,       // 300 sieves of 65536 bytes
  matmul: 150,      // 150 products of 48x48 f64 matrices
  calls: 750_000,   // 750k rounds of 8 direct + 8 indirect calls
  coremark: 1000,   // 1000 iterations of list + matrix + state machine
  sha256: 1200,     // 1200 chained SHA-256 digests of 4 KiB
  memops: 6000,     // 6000 rounds of 256 KiB fill + 32 overlapping copies/fills (bulk ops run natively in wrt too)
};

/** The size for `--scale`: work grows linearly in n, except fib's (by the golden ratio per step). */
function scaled(name) {
  if (name === "fib") return Math.max(1, Math.round(SIZES.fib + Math.log(scale) / Math.log(1.618)));
  return Math.max(1, Math.round(SIZES[name] * scale));
}

// ---------------- options ----------------
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
};
const rounds = Math.max(1, parseInt(opt("--rounds", "5"), 10));
const scale = parseFloat(opt("--scale", "1"));
const only = opt("--only", "") ? new Set(opt("--only", "").split(",")) : null;
const withWrt = !argv.includes("--no-wrt");
const updateReadme = !argv.includes("--no-readme") && scale === 1 && !only && withWrt;

// ---------------- progress ----------------
const tty = process.stderr.isTTY;
let lastLen = 0;
function progress(text) {
  if (tty) {
    process.stderr.write("\r" + text.padEnd(lastLen) );
    lastLen = text.length;
  } else {
    process.stderr.write(text + "\n");
  }
}
function progressDone() {
  if (tty && lastLen) process.stderr.write("\r" + " ".repeat(lastLen) + "\r");
  lastLen = 0;
}

// ---------------- build ----------------
function buildKernels() {
  mkdirSync(outDir, { recursive: true });
  const names = readdirSync(kernelDir).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3)).sort();
  const asc = path.join(root, "node_modules/.bin/asc");
  const built = [];
  for (const name of names) {
    if (only && !only.has(name)) continue;
    if (!(name in SIZES)) { console.warn(`bench: no size for kernel ${name}, skipped`); continue; }
    progress(`building ${name} ...`);
    const out = path.join(outDir, `${name}.wasm`);
    execFileSync(asc, [
      path.join(kernelDir, `${name}.ts`),
      "--config", path.join(kernelDir, "asconfig.json"),
      "--runtime", "stub", "-O3", "--noAssert", "--use", "abort=",
      "-o", out,
    ], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
    const bytes = readFileSync(out);
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
    if (imports.length) throw new Error(`kernel ${name} has imports: ${JSON.stringify(imports)}`);
    built.push({ name, bytes, n: scaled(name) });
  }
  progressDone();
  return built;
}

// ---------------- engines ----------------
const normalize = (v) => (typeof v === "bigint" ? v.toString() : String(v));

function v8Runner(k) {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(k.bytes), {});
  const run = inst.exports.run;
  for (let i = 0; i < 3; i++) run(k.n); // warm up V8's tiers at full size
  return () => normalize(run(k.n));
}

async function wrtRunnerFactory() {
  const dist = path.join(root, "host-shims/node/dist/index.js");
  if (!existsSync(dist)) throw new Error("host-shims/node/dist/index.js missing: run `npm run build`");
  const api = await import(pathToFileURL(dist).href);
  return (k) => {
    const engine = api.Engine.load({ log: false });
    const module = api.Module.load(engine, k.bytes);
    const instance = api.Instance.instantiate(module, {});
    const run = instance.func("run");
    // warm up: let V8 tier build/wrt.wasm itself up before anything is timed
    const warm = k.name === "fib" ? Math.max(1, k.n - 5) : Math.max(1, Math.round(k.n / 10));
    run.invoke([warm]);
    return () => {
      const [r] = run.invoke([k.n]);
      return normalize(r);
    };
  };
}

function time(fn) {
  const t0 = process.hrtime.bigint();
  const result = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, result };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---------------- main ----------------
const kernels = buildKernels();
const makeWrt = withWrt ? await wrtRunnerFactory() : null;
const rows = kernels.map((k) => ({ ...k, v8: [], wrt: [], v8Sum: null, wrtSum: null, error: null }));
for (const row of rows) {
  try {
    row.runV8 = v8Runner(row);
    row.runWrt = makeWrt ? makeWrt(row) : null;
  } catch (e) {
    row.error = `set-up failed: ${e.message}`;
  }
}

const started = Date.now();
for (let r = 0; r < rounds; r++) {
  for (const row of rows) {
    if (row.error) continue;
    const engines = [["V8", row.runV8, row.v8, "v8Sum"]];
    if (row.runWrt) engines.push(["wrt", row.runWrt, row.wrt, "wrtSum"]);
    if (r % 2 === 1) engines.reverse(); // alternate the order within a round
    for (const [label, run, times, key] of engines) {
      progress(`[round ${r + 1}/${rounds}] ${row.name} (n=${row.n}) ${label} ... ${((Date.now() - started) / 1000).toFixed(0)} s`);
      try {
        const { ms, result } = time(run);
        times.push(ms);
        if (row[key] !== null && row[key] !== result) row.error = `${label} checksum changed between rounds: ${row[key]} then ${result}`;
        row[key] = result;
      } catch (e) {
        row.error = `${label} failed: ${e.name}: ${e.message}`;
      }
    }
    if (!row.error && row.runWrt && row.v8Sum !== row.wrtSum) {
      row.error = `checksum mismatch: V8 ${row.v8Sum}, wrt ${row.wrtSum}`;
    }
  }
}
progressDone();

// ---------------- report ----------------
const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const cpu = os.cpus()[0]?.model?.trim() ?? "unknown CPU";
const machine = `${cpu}, ${os.cpus().length} cores, ${os.platform()} ${os.release()}, Node ${process.version}`
  + `, load average at the end ${os.loadavg().map((x) => x.toFixed(1)).join(" / ")}`;
const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");
const lines = [
  "| kernel | n | checksum | V8 (ms) | wrt (ms) | wrt / V8 |",
  "|---|---:|---|---:|---:|---:|",
];
let failed = false;
const ratios = [];
for (const row of rows) {
  const v8 = row.v8.length ? median(row.v8) : null;
  const wrt = row.wrt.length ? median(row.wrt) : null;
  const ratio = v8 && wrt ? wrt / v8 : null;
  if (ratio) ratios.push(ratio);
  if (row.error) failed = true;
  const sum = row.error ? `**${row.error}**` : `\`${row.v8Sum}\``;
  lines.push(`| ${row.name} | ${row.n} | ${sum} | ${v8 !== null ? fmt(v8) : "-"} | ${wrt !== null ? fmt(wrt) : "-"} | ${ratio ? ratio.toFixed(1) + "x" : "-"} |`);
}
const geo = ratios.length ? Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length) : null;
if (geo) lines.push(`| **geometric mean** | | | | | **${geo.toFixed(1)}x** |`);
const table = lines.join("\n");
const about = [
  `Machine: ${machine}.`,
  `Date: ${date}. Median of ${rounds} interleaved rounds; times are one \`run(n)\` call each`
    + ` (V8: the kernel instantiated directly; wrt: build/wrt.wasm through host-shims/node, unbounded fuel; both warmed up first).`,
  scale !== 1 ? `Sizes scaled by ${scale}.` : "",
].filter(Boolean).join("\n");

console.log(table);
console.log("\n" + about);

mkdirSync(resultsDir, { recursive: true });
const md = `# Benchmark results\n\nWritten by \`npm run bench\` (bench/run.mjs). Kernels: bench/kernels/*.ts,\nbuilt by asc with \`--runtime stub -O3\`; both engines must return the same checksum.\n\n${table}\n\n${about}\n`;
writeFileSync(path.join(resultsDir, "latest.md"), md);
console.log(`\nwrote ${path.relative(process.cwd(), path.join(resultsDir, "latest.md"))}`);

if (updateReadme) {
  const readme = path.join(root, "README.md");
  const text = readFileSync(readme, "utf8");
  const begin = "<!-- bench:begin -->", end = "<!-- bench:end -->";
  const a = text.indexOf(begin), b = text.indexOf(end);
  if (a >= 0 && b > a) {
    writeFileSync(readme, text.slice(0, a + begin.length) + `\n${table}\n\n${about}\n` + text.slice(b));
    console.log("updated the Benchmarks section of README.md");
  }
}
process.exitCode = failed ? 1 : 0;
