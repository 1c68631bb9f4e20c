// Where a Cortex-M firmware's instructions go, per op of the interpreter's
// loop: runs a firmware ELF (flash-scripts/qemu.sh --build-only) under QEMU
// with `-d in_asm,exec,nochain` (every translation block's code once, every
// execution of one) and counts the instructions executed at each address.
//
//   node flash-scripts/qemu-profile.mjs FIRMWARE.elf [BASE.elf] [--top N] [--hot MIN]
//
// BASE.elf (e.g. the same guest with `run 0`) is subtracted address by
// address. Prints per op of the full build's loop (w2c_wrt_run, the handler
// addresses from its 256-entry table wrt_ops): how often its handler was
// entered and the instructions from there up to the next handler's address
// (shared tails of gcc's code land in the handler before them), then the
// other functions; with --hot MIN, the loop's instructions executed at
// least MIN times with their counts (handler starts marked).
// Slow (the log is a line per block executed): use small guests.
import { spawnSync, execFileSync } from "node:child_process";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const opt = (n, d) => { const i = argv.indexOf(n); if (i < 0) return d; const v = argv[i + 1]; argv.splice(i, 2); return v; };
const top = parseInt(opt("--top", "40"), 10);
const hot = parseInt(opt("--hot", "0"), 10);
const [elf, baseElf] = argv;
if (!elf) { console.error("usage: qemu-profile.mjs FIRMWARE.elf [BASE.elf] [--top N] [--hot MIN]"); process.exit(3); }

/** Op names by number, from the generated enum (assembly/compile/ir-ops.ts). */
function opNames() {
  const ts = createRequire(path.join(root, "package.json"))("typescript");
  const src = readFileSync(path.join(root, "assembly/compile/ir-ops.ts"), "utf8").replace("export const enum Ir", "enum Ir");
  const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  const Ir = new Function("exports", js + "; return Ir;")({});
  const names = [];
  for (const [k, v] of Object.entries(Ir)) if (typeof v === "number" && names[v] === undefined) names[v] = k;
  return names;
}

/** Executed instructions per address of one run. */
function profile(file) {
  const dir = mkdtempSync(path.join(tmpdir(), "wrt-prof-"));
  const log = path.join(dir, "qemu.log");
  const r = spawnSync("qemu-system-arm", ["-M", "mps2-an385", "-nographic", "-monitor", "none", "-semihosting",
    "-d", "in_asm,exec,nochain", "-D", log, "-kernel", file], { stdio: ["ignore", "pipe", "inherit"], timeout: 600_000 });
  if (r.status === null) throw new Error(`qemu: ${r.signal}`);
  const tbs = new Map(); // start pc -> [insn addresses] (the last translation)
  const execs = new Map(); // start pc -> count
  const text = readFileSync(log, "latin1");
  rmSync(dir, { recursive: true });
  let cur = null;
  for (const line of text.split("\n")) {
    if (line.startsWith("Trace ")) {
      const m = /\[[0-9a-f]+\/([0-9a-f]+)\//.exec(line);
      const pc = parseInt(m[1], 16);
      execs.set(pc, (execs.get(pc) || 0) + 1);
      cur = null;
    } else if (line.startsWith("IN:")) {
      cur = [];
    } else if (cur && line.startsWith("0x")) {
      const a = parseInt(line.slice(2, 10), 16);
      if (cur.length === 0) tbs.set(a, cur);
      cur.push(a);
    } else if (line === "") cur = null;
  }
  const counts = new Map();
  for (const [pc, n] of execs) for (const a of tbs.get(pc) || []) counts.set(a, (counts.get(a) || 0) + n);
  return { counts, execs, out: r.stdout.toString() };
}

const names = opNames();
const syms = execFileSync("arm-none-eabi-nm", ["-S", "-n", elf], { encoding: "utf8" }).split("\n")
  .map((l) => l.split(" ")).filter((p) => p.length === 4 && /[tT]/.test(p[2]))
  .map(([a, s, , n]) => ({ a: parseInt(a, 16), end: parseInt(a, 16) + parseInt(s, 16), n }));
const run = syms.find((s) => s.n === "w2c_wrt_run");
const table = syms.find((s) => s.n.startsWith("wrt_ops"));
/** handler start -> op names */
const handlers = new Map();
if (table) {
  const dump = execFileSync("arm-none-eabi-objdump", ["-s", "--start-address=" + table.a, "--stop-address=" + (table.a + 1024), elf], { encoding: "utf8" });
  const words = [];
  for (const l of dump.split("\n")) {
    const m = /^ [0-9a-f]+ ((?:[0-9a-f]{8} ?){1,4})/.exec(l);
    if (m) for (const w of m[1].trim().split(" ")) words.push(parseInt(w.match(/../g).reverse().join(""), 16) & ~1);
  }
  words.forEach((a, op) => { if (!handlers.has(a)) handlers.set(a, []); handlers.get(a).push(names[op] || `op${op}`); });
}
const starts = [...handlers.keys()].sort((x, y) => x - y);
const where = (a) => {
  if (run && a >= run.a && a < run.end) {
    let lo = 0, hi = starts.length - 1, best = -1;
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (starts[mid] <= a) { best = mid; lo = mid + 1; } else hi = mid - 1; }
    return best < 0 ? "run (prologue)" : handlers.get(starts[best]).slice(0, 3).join("/");
  }
  const s = syms.find((x) => a >= x.a && a < x.end);
  return s ? s.n : "?";
};

const p = profile(elf);
const b = baseElf ? profile(baseElf) : { counts: new Map(), execs: new Map() };
process.stdout.write(p.out.split("\n").filter((l) => l.startsWith("#") || /^[a-z0-9]+:/.test(l)).join("\n") + "\n");
const per = new Map(); // where -> { insns, entries }
let total = 0;
const delta = new Map();
for (const a of new Set([...p.counts.keys(), ...b.counts.keys()])) {
  const d = (p.counts.get(a) || 0) - (b.counts.get(a) || 0);
  if (!d) continue;
  delta.set(a, d);
  total += d;
  const w = where(a);
  const e = per.get(w) || { insns: 0, entries: 0 };
  e.insns += d;
  if (handlers.has(a)) e.entries += (p.execs.get(a) || 0) - (b.execs.get(a) || 0);
  per.set(w, e);
}
console.log(`total ${total} instructions${baseElf ? " (minus the base)" : ""}`);
console.log("where".padEnd(40) + "insns".padStart(11) + "   share  entries  per entry");
for (const [w, e] of [...per].sort((x, y) => y[1].insns - x[1].insns).slice(0, top)) {
  console.log(w.padEnd(40) + String(e.insns).padStart(11) + (100 * e.insns / total).toFixed(1).padStart(7) + "%" +
    String(e.entries || "").padStart(9) + (e.entries ? (e.insns / e.entries).toFixed(1) : "").padStart(11));
}
if (hot) {
  // every address of the loop executed at least `hot` times (net), in address order, handler starts marked
  const dis = execFileSync("arm-none-eabi-objdump", ["-d", "--no-show-raw-insn", "--start-address=" + run.a, "--stop-address=" + run.end, elf],
    { encoding: "utf8", maxBuffer: 1 << 28 }).split("\n");
  let gap = false;
  for (const l of dis) {
    const m = /^\s+([0-9a-f]+):\s+(.*)$/.exec(l);
    if (!m) continue;
    const a = parseInt(m[1], 16);
    const n = delta.get(a) || 0;
    if (n < hot) { gap = true; continue; }
    if (gap) console.log("   ...");
    gap = false;
    if (handlers.has(a)) console.log(`  <${handlers.get(a).slice(0, 4).join("/")}>`);
    console.log(String(n).padStart(9) + "  " + m[1] + ": " + m[2]);
  }
}
