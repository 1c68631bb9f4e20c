// `wrt run` in Node against wrt native, in executed instructions
// (docs/internal-code.md, "V8's tiers"). Under valgrind, so deterministic up
// to V8's background threads (about 1% of the Node figures).
//
//   node bench/node-native.mjs [K:n ...]            whole process, run(n) minus run(0)
//   node bench/node-native.mjs --handlers K:n ...   the dispatch loop alone, per handler
//
// Whole process: `valgrind --tool=cachegrind` of `build/wrt-native run
// K.wasm --invoke run n` and of `node host-shims/node/dist/cli.js run ...`
// (the CLI as a user runs it), each minus the same with run(0); the kernels
// are build/bench/K.wasm (`npm run bench` builds them). Without K:n, every
// kernel at the sizes below (about a tenth of the bench's).
//
// --handlers: `valgrind --tool=callgrind --dump-instr=yes` of both, counting
// only the loop function: TurboFan's code of wrt_run (printed by the same
// process with --print-wasm-code-function-index) and w2c_wrt_run in
// build/wrt-native (objdump). Both engines run the same ops, so a handler
// executes equally often in both: instructions are grouped by execution
// count, and each group's Node and native instruction counts are printed
// side by side with the listings of the groups that differ most
// (build/bench/handlers-K.txt). Needs valgrind and objdump.
//
// WRT_NODE_FLAGS="--flag ...": V8 flags added to the Node side's command line
// (how a flag's effect on TurboFan's loop is measured: docs/internal-code.md).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const native = path.join(root, "build/wrt-native");
const cli = path.join(root, "host-shims/node/dist/cli.js");
const kernel = (k) => path.join(root, "build/bench", `${k}.wasm`);
const SIZES = {
  fib: 27, sieve: 30, matmul: 15, calls: 75000, coremark: 100, sha256: 120, memops: 600,
  "c-fib": 27, "c-sieve": 100, "c-matmul": 100, "c-calls": 40000, "c-coremark": 60, "c-crc32": 40,
};

const args = process.argv.slice(2);
const handlers = args.includes("--handlers");
const jobs = args.filter((a) => !a.startsWith("--")).map((a) => a.split(":"));
if (!jobs.length) for (const [k, n] of Object.entries(SIZES)) jobs.push([k, String(n)]);

const nodeFlags = (process.env.WRT_NODE_FLAGS ?? "").split(" ").filter(Boolean);
const wrtArgs = (k, n) => ["run", kernel(k), "--invoke", "run", String(n)];
const engines = {
  native: (k, n) => [native, ...wrtArgs(k, n)],
  node: (k, n, extra = []) => [process.execPath, ...nodeFlags, ...extra, cli, ...wrtArgs(k, n)],
};

function valgrind(tool, argv, out = "/dev/null") {
  const r = spawnSync("valgrind", [`--tool=${tool}`, ...(tool === "cachegrind" ? ["--cache-sim=no", `--cachegrind-out-file=${out}`]
    : ["--dump-instr=yes", "--compress-pos=no", "--compress-strings=no", `--callgrind-out-file=${out}`]), ...argv],
  { encoding: "utf8", maxBuffer: 1 << 28 });
  const m = /I\s+refs:\s+([\d,]+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`${argv.join(" ")}: exit ${r.status}: ${r.stderr.slice(-400)}`);
  return { ir: Number(m[1].replace(/,/g, "")), stdout: r.stdout };
}

/** Instruction counts per address from a callgrind file: only `fn` (or every address in [lo, hi)). */
function callgrindCounts(file, keep) {
  const counts = new Map();
  let fn = "", afterCalls = false;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.startsWith("fn=")) { fn = line.slice(3); continue; }
    if (line.startsWith("calls=")) { afterCalls = true; continue; }
    const m = /^0x([0-9a-f]+) (?:\S+ )?(\d+)$/.exec(line);
    if (!m) continue;
    if (afterCalls) { afterCalls = false; continue; } // a call's inclusive cost
    const at = parseInt(m[1], 16);
    if (keep(fn, at)) counts.set(at, (counts.get(at) ?? 0) + Number(m[2]));
  }
  return counts;
}

/** [{ count, text }] per instruction of TurboFan's printed wrt_run, with its executed count. */
function nodeLoop(k, n, tmp) {
  const dump = execFileSync("wasm-objdump", ["-x", "-j", "Export", path.join(root, "build/wrt.wasm")], { encoding: "utf8" });
  const func = /func\[(\d+)\][^\n]*"wrt_run"/.exec(dump)?.[1];
  if (!func) throw new Error("build/wrt.wasm exports no wrt_run");
  const out = path.join(tmp, "node.cg");
  const { stdout } = valgrind("callgrind", engines.node(k, n, [`--print-wasm-code-function-index=${func}`]), out);
  const ins = [];
  for (const line of stdout.split("\n")) {
    const m = /^0x([0-9a-f]+)\s+[0-9a-f]+\s+[0-9a-f]+\s+(.*)$/.exec(line);
    if (m) ins.push({ at: parseInt(m[1], 16), text: m[2] });
  }
  if (!ins.length) throw new Error("no TurboFan code of wrt_run printed");
  const lo = ins[0].at, hi = ins[ins.length - 1].at + 16;
  const counts = callgrindCounts(out, (_, at) => at >= lo && at < hi);
  return ins.map((x) => ({ count: counts.get(x.at) ?? 0, text: x.text }));
}

function nativeLoop(k, n, tmp) {
  const out = path.join(tmp, "native.cg");
  valgrind("callgrind", engines.native(k, n), out);
  const counts = callgrindCounts(out, (fn) => fn === "w2c_wrt_run");
  const dis = execFileSync("objdump", ["-d", "--no-show-raw-insn", "-M", "intel", native], { encoding: "utf8", maxBuffer: 1 << 28 });
  const ins = [];
  let inside = false;
  for (const line of dis.split("\n")) {
    if (/^[0-9a-f]+ <w2c_wrt_run>:/.test(line)) { inside = true; continue; }
    if (inside && /^[0-9a-f]+ </.test(line)) break;
    const m = inside && /^\s*([0-9a-f]+):\s+(.*)$/.exec(line);
    if (m) ins.push({ at: parseInt(m[1], 16), text: m[2] });
  }
  // a position-independent build runs at valgrind's load address (0x108000)
  for (const base of [0, 0x108000]) {
    const found = ins.map((x) => ({ count: counts.get(x.at + base) ?? 0, text: x.text }));
    if (found.some((x) => x.count)) return found;
  }
  throw new Error("no counts for w2c_wrt_run in build/wrt-native");
}

const fmt = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(1)} M` : String(x));
if (!handlers) {
  console.log("| kernel (n) | native | `wrt run` | `wrt run` / native |\n|---|---:|---:|---:|");
  for (const [k, n] of jobs) {
    const d = {};
    for (const [name, argv] of Object.entries(engines)) {
      const hi = valgrind("cachegrind", argv(k, n)), lo = valgrind("cachegrind", argv(k, 0));
      d[name] = hi.ir - lo.ir;
      d[`${name}Out`] = hi.stdout.trim();
    }
    if (d.nativeOut !== d.nodeOut) throw new Error(`${k}: native printed ${d.nativeOut}, Node ${d.nodeOut}`);
    console.log(`| ${k} (${n}) | ${fmt(d.native)} | ${fmt(d.node)} | ${(d.node / d.native).toFixed(2)} |`);
  }
} else {
  mkdirSync(path.join(root, "build/bench"), { recursive: true });
  for (const [k, n] of jobs) {
    const tmp = path.join(os.tmpdir(), `wrt-handlers-${process.pid}`);
    mkdirSync(tmp, { recursive: true });
    const v = nodeLoop(k, n, tmp), c = nativeLoop(k, n, tmp);
    rmSync(tmp, { recursive: true, force: true });
    const groups = new Map();
    for (const [side, list] of [["node", v], ["native", c]]) {
      for (const x of list) {
        if (!x.count) continue;
        const g = groups.get(x.count) ?? { count: x.count, node: [], native: [] };
        g[side].push(x.text);
        groups.set(x.count, g);
      }
    }
    const total = (side) => [...groups.values()].reduce((s, g) => s + g.count * g[side].length, 0);
    const rows = [...groups.values()].map((g) => ({ ...g, extra: g.count * (g.node.length - g.native.length) }))
      .sort((a, b) => b.extra - a.extra);
    const tn = total("node"), tc = total("native");
    const lines = [`${k} ${n}: loop instructions Node ${fmt(tn)}, native ${fmt(tc)}, ratio ${(tn / tc).toFixed(3)}`,
      "extra instructions | executions | Node per execution | native per execution"];
    for (const r of rows.slice(0, 20)) lines.push(`${r.extra} | ${r.count} | ${r.node.length} | ${r.native.length}`);
    console.log(lines.join("\n"));
    const listing = rows.slice(0, 12).map((r) => `== executed ${r.count} times: Node ${r.node.length}, native ${r.native.length}\n` +
      `-- Node\n${r.node.join("\n")}\n-- native\n${r.native.join("\n")}`).join("\n\n");
    const file = path.join(root, "build/bench", `handlers-${k}.txt`);
    writeFileSync(file, `${lines.join("\n")}\n\n${listing}\n`);
    console.log(`(listings: ${path.relative(root, file)})\n`);
  }
}
