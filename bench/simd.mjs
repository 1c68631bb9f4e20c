// The SIMD kernel (issue 13): bench/kernels/simd/dot.c built twice with
// clang-14, scalar and -msimd128, run in V8 and in wrt (Node engine in this
// process, warmed up; native engine as `wrt run --engine native`, whose
// process start is measured with run(0) and taken off). Prints per engine
// the time of run(n) for both builds and the scalar/SIMD ratio (> 1: the
// SIMD build is faster). Both builds must return the same checksum.
//   node bench/simd.mjs [--n N] [--rounds R]
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Engine, Module, Instance } from "../host-shims/node/dist/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, d) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : d; };
const n = arg("--n", 100_000), rounds = arg("--rounds", 3);
const out = path.join(root, "build/bench");
mkdirSync(out, { recursive: true });
const FLAGS = ["--target=wasm32", "-O2", "-fno-builtin", "-nostdlib", "-Wl,--no-entry",
  "-Wl,-z,stack-size=4096", "-Wl,--initial-memory=65536", "-Wl,--max-memory=65536"];
const builds = { scalar: [], simd: ["-msimd128"] };
const files = {};
for (const [k, extra] of Object.entries(builds)) {
  files[k] = path.join(out, `dot-${k}.wasm`);
  execFileSync(process.env.CLANG || "clang-14", [...FLAGS, ...extra, path.join(root, "bench/kernels/simd/dot.c"), "-o", files[k]]);
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const time = (f) => { const t = process.hrtime.bigint(); const r = f(); return { r, ms: Number(process.hrtime.bigint() - t) / 1e6 }; };

const results = {};
for (const k of Object.keys(builds)) {
  const bytes = readFileSync(files[k]);
  const v8 = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
  v8.run(n); // warm up
  const engine = new Engine({ log: false });
  const inst = Instance.instantiate(Module.load(engine, bytes), {});
  inst.call("run", [1000], 1n << 62n); // warm up
  const native = (m) => {
    const r = spawnSync(process.execPath, [path.join(root, "host-shims/node/dist/cli.js"), "run", "--engine", "native", files[k], "--invoke", "run", String(m)], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout.trim();
  };
  const rows = { v8: [], node: [], native: [] };
  let sums = new Set();
  for (let i = 0; i < rounds; i++) {
    let t = time(() => v8.run(n)); rows.v8.push(t.ms); sums.add(`i32:${t.r}`);
    t = time(() => inst.call("run", [n], 1n << 62n).results[0]); rows.node.push(t.ms); sums.add(`i32:${t.r}`);
    const start = time(() => native(0)).ms;
    t = time(() => native(n)); rows.native.push(t.ms - start); sums.add(t.r);
  }
  if (sums.size !== 1) throw new Error(`${k}: engines disagree: ${[...sums].join(" ")}`);
  results[k] = { sum: [...sums][0], v8: median(rows.v8), node: median(rows.node), native: median(rows.native) };
}
if (results.scalar.sum !== results.simd.sum) throw new Error(`checksums differ: ${results.scalar.sum} ${results.simd.sum}`);
console.log(`dot.c, run(${n}), median of ${rounds}; checksum ${results.scalar.sum} (both builds, all engines)`);
console.log("| engine | scalar ms | simd ms | scalar / simd |");
console.log("|---|---|---|---|");
for (const e of ["v8", "node", "native"]) {
  const s = results.scalar[e], v = results.simd[e];
  console.log(`| ${e === "v8" ? "V8" : `wrt ${e}`} | ${s.toFixed(1)} | ${v.toFixed(1)} | ${(s / v).toFixed(2)}x |`);
}
