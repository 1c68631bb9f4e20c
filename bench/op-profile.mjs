// How often each IR op, and each pair of ops in a row, runs on a kernel:
// where fused ops would pay (docs/internal-code.md, "Shifted operands" and after).
//
//   node bench/op-profile.mjs K:n [K:n ...] [--top N]
//
// Builds build/bench/op-profile/wrt-opcount: build/c/wrt.c (the native
// build's C, `node scripts/build-c.mjs --native` first) with a counter in
// WRT_NEXT_OP, the threaded dispatch every handler ends with, linked with
// the native build's other objects. Kernels are build/bench/K.wasm (`npm run
// bench` builds them). Counts are of dispatches: an extension op counts
// once, under IrExt. The first op after each entry into the loop is not
// counted (it is dispatched by the loop's head).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { irOps } from "../scripts/isa/core.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const topAt = args.indexOf("--top");
const top = topAt >= 0 ? Number(args[topAt + 1]) : 20;
const jobs = args.filter((a, i) => !a.startsWith("--") && (topAt < 0 || i !== topAt + 1)).map((a) => a.split(":"));
if (!jobs.length || jobs.some((j) => j.length !== 2)) {
  console.error("usage: node bench/op-profile.mjs K:n [K:n ...] [--top N]");
  process.exit(2);
}

const names = [];
for (const r of irOps) {
  if (r === null) names.push(null);
  else if (Array.isArray(r)) names.push(r[0]);
  else for (const x of r.rows) names.push(x[0]);
}
const opName = (op) => names[op] ?? `op${op}`;

const src = path.join(root, "build/c/wrt.c");
const objDir = path.join(root, "build/c/native");
const outDir = path.join(root, "build/bench/op-profile");
const bin = path.join(outDir, "wrt-opcount");
if (!existsSync(src) || !existsSync(path.join(objDir, "main.shim.o"))) {
  console.error("build/c/wrt.c or build/c/native missing: run `node scripts/build-c.mjs --native` first");
  process.exit(1);
}

// The counter goes into the threaded dispatch's macro; everything else is the native build.
const DISPATCH = "#define WRT_NEXT_OP(pc, loop) { w2c_i0 = WRT_RUN_ACCESS(i32_load8_u)(WRT_RUN_MEM, pc, 0u); goto *wrt_ops[w2c_i0]; }";
const COUNTING = `#include <stdio.h>
#include <stdlib.h>
static unsigned long long wrt_op_count[256], wrt_pair_count[256 * 256];
static unsigned wrt_op_prev;
__attribute__((destructor)) static void wrt_op_dump(void) {
  FILE* f = fopen(getenv("WRT_OP_PROFILE"), "w");
  if (!f) return;
  for (int i = 0; i < 256; i++) if (wrt_op_count[i]) fprintf(f, "op %d %llu\\n", i, wrt_op_count[i]);
  for (int i = 0; i < 256 * 256; i++) if (wrt_pair_count[i]) fprintf(f, "pair %d %d %llu\\n", i >> 8, i & 255, wrt_pair_count[i]);
  fclose(f);
}
#define WRT_NEXT_OP(pc, loop) { w2c_i0 = WRT_RUN_ACCESS(i32_load8_u)(WRT_RUN_MEM, pc, 0u); \\
  wrt_op_count[w2c_i0]++; wrt_pair_count[wrt_op_prev << 8 | w2c_i0]++; wrt_op_prev = w2c_i0; goto *wrt_ops[w2c_i0]; }`;

mkdirSync(outDir, { recursive: true });
if (!existsSync(bin) || statSync(bin).mtimeMs < statSync(src).mtimeMs) {
  const c = readFileSync(src, "utf8");
  if (!c.includes(DISPATCH)) {
    console.error("build/c/wrt.c: the threaded dispatch macro is not the one this tool edits (scripts/build-c.mjs changed it?)");
    process.exit(1);
  }
  const counted = path.join(outDir, "wrt.c");
  writeFileSync(counted, c.replace(DISPATCH, COUNTING));
  // The native build's flags for the loop (scripts/build-c.mjs), its pin.h (placement, and the generated header) included.
  const flags = ["-include", path.join(objDir, "pin.h"), "-std=gnu11", "-O2", "-ffp-contract=off", "-DWRT_THREADED_DISPATCH=1", "-DWRT_JUMP_LANDING=1", "-DWRT_RUN_DATA=1",
    "-DNDEBUG", "-DWRT_FORMAT_FLOATS=1", "-I", path.join(root, "host-shims/c"), "-I", path.join(root, "build/c"), "-w"];
  const obj = path.join(outDir, "wrt.o");
  console.error("building build/bench/op-profile/wrt-opcount (about a minute)");
  execFileSync(process.env.CC ?? "gcc", [...flags, "-c", counted, "-o", obj], { stdio: "inherit" });
  const others = ["wasm-rt-impl.o", "wrt.shim.o", "wrt_log_posix.shim.o", "main.shim.o", "wasi.shim.o", "wrt_sign.shim.o",
    "monocypher.shim.o", "monocypher-ed25519.shim.o"].map((o) => path.join(objDir, o));
  execFileSync(process.env.CC ?? "gcc", [obj, ...others, "-lm", "-lpthread", "-o", bin], { stdio: "inherit" });
}

const pct = (c, total) => `${((100 * c) / total).toFixed(1).padStart(5)}%`;
for (const [k, n] of jobs) {
  const wasm = path.join(root, "build/bench", `${k}.wasm`);
  if (!existsSync(wasm)) { console.error(`${wasm} missing (npm run bench builds the kernels)`); process.exit(1); }
  const out = path.join(outDir, `${k}-${n}.txt`);
  const result = execFileSync(bin, ["run", wasm, "--invoke", "run", n], { encoding: "utf8", env: { ...process.env, WRT_OP_PROFILE: out } }).trim();
  const ops = [], pairs = [];
  for (const line of readFileSync(out, "utf8").trim().split("\n")) {
    const f = line.split(" ");
    if (f[0] === "op") ops.push([Number(f[1]), Number(f[2])]);
    else pairs.push([Number(f[1]), Number(f[2]), Number(f[3])]);
  }
  const total = ops.reduce((a, r) => a + r[1], 0);
  ops.sort((a, b) => b[1] - a[1]);
  pairs.sort((a, b) => b[2] - a[2]);
  console.log(`${k} run(${n}) = ${result}: ${total} ops`);
  console.log("  ops:");
  for (const [op, c] of ops.slice(0, top)) console.log(`    ${opName(op).padEnd(24)} ${pct(c, total)}  ${c}`);
  console.log("  pairs (op, then op):");
  for (const [a, b, c] of pairs.slice(0, top)) console.log(`    ${`${opName(a)} ${opName(b)}`.padEnd(40)} ${pct(c, total)}  ${c}`);
}
