// Native peers: wrt-native (the wasm2c build, gcc -O2) against wabt's
// `wasm-interp` (Debian's wabt) on the same kernels, whole processes timed
// (start-up included, the same for both), median of several interleaved
// rounds. Writes bench/results/peers.md.
//
//   node bench/peers.mjs [--rounds 3]
//
// wasm-interp can only run exported functions without arguments, so each
// kernel is merged (binaryen's wasm-merge) with a two-line wrapper whose
// `main` calls `run(n)`; both engines run that same merged module.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import os from "node:os";
import path from "node:path";
import wabtInit from "wabt";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const rounds = argv.includes("--rounds") ? Number(argv[argv.indexOf("--rounds") + 1]) : 3;
const kernels = { fib: 30, sieve: 100, matmul: 100, coremark: 300, sha256: 400, calls: 200_000, memops: 600 };
const native = path.join(root, "build/wrt-native");
const interp = "/usr/bin/wasm-interp";
for (const [p, how] of [[native, "npm run build:native"], [interp, "apt-get install wabt"]]) {
  if (!existsSync(p)) { console.error(`peers: ${p} is missing (${how})`); process.exit(1); }
}
// the kernels as bench/run.mjs builds them
function buildKernel(name) {
  const out = path.join(root, `build/bench/${name}.wasm`);
  mkdirSync(path.dirname(out), { recursive: true });
  execFileSync(path.join(root, "node_modules/.bin/asc"), [path.join(root, `bench/kernels/${name}.ts`),
    "--config", path.join(root, "bench/kernels/asconfig.json"), "--runtime", "stub", "-O3", "--noAssert", "--use", "abort=", "-o", out]);
  return out;
}
/** Result type of each kernel's run(n) (bench/kernels/*.ts). */
const RESULT = { matmul: "i64" };

const wabt = await wabtInit();
const dir = path.join(root, "build/bench/peers");
mkdirSync(dir, { recursive: true });

function merged(name, n) {
  const kernel = buildKernel(name);
  const result = RESULT[name] ?? "i32";
  const wrapper = wabt.parseWat("w.wat", `(module (import "k" "run" (func $run (param i32) (result ${result})))
    (func (export "main") (result ${result}) (call $run (i32.const ${n}))))`).toBinary({}).buffer;
  const w = path.join(dir, `${name}.wrapper.wasm`);
  const out = path.join(dir, `${name}.wasm`);
  writeFileSync(w, wrapper);
  execFileSync(path.join(root, "node_modules/.bin/wasm-merge"), [kernel, "k", w, "w", "-o", out,
    "--enable-bulk-memory", "--enable-sign-ext", "--enable-nontrapping-float-to-int", "--enable-mutable-globals"]);
  return out;
}

function time(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 600_000 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
  return { s, out: r.stdout.trim() };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const [name, n] of Object.entries(kernels)) {
  const mod = merged(name, n);
  const a = [], b = [];
  let outA = "", outB = "";
  for (let r = 0; r < rounds; r++) {
    process.stderr.write(`\r${name}: round ${r + 1}/${rounds}   `);
    const x = time(native, ["run", mod, "--invoke", "main"]); a.push(x.s); outA = x.out;
    const y = time(interp, [mod, "--run-all-exports"]); b.push(y.s); outB = y.out;
  }
  // wasm-interp prints "main() => i32:N" (i64 unsigned); compare the numbers as 64-bit patterns
  const num = (s) => BigInt.asUintN(64, BigInt(s.replace(/^.*:/, "")));
  if (num(outA) !== num(outB)) throw new Error(`${name}: results differ: ${outA} vs ${outB}`);
  rows.push({ name, n, check: outA, wrt: median(a), wabt: median(b) });
}
process.stderr.write("\n");

const fmt = (s) => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);
const gm = Math.exp(rows.reduce((acc, r) => acc + Math.log(r.wabt / r.wrt), 0) / rows.length);
const table = [
  "| kernel | n | result | wrt-native | wabt wasm-interp | wrt faster by |",
  "|---|---:|---|---:|---:|---:|",
  ...rows.map((r) => `| ${r.name} | ${r.n} | \`${r.check}\` | ${fmt(r.wrt)} | ${fmt(r.wabt)} | ${(r.wabt / r.wrt).toFixed(1)}x |`),
  `| **geometric mean** | | | | | **${gm.toFixed(1)}x** |`,
].join("\n");
const load = os.loadavg().map((x) => x.toFixed(1)).join(" / ");
const text = `# Native peers\n\nWritten by \`node bench/peers.mjs\`. Whole processes timed (start-up included),\nmedian of ${rounds} interleaved rounds; both engines must print the same result.\n\n${table}\n\nMachine: ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} cores, load average ${load}.\nDate: ${new Date().toISOString()}.\n`;
mkdirSync(path.join(root, "bench/results"), { recursive: true });
writeFileSync(path.join(root, "bench/results/peers.md"), text);
console.log(table);
