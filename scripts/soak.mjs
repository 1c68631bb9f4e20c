// Soak: instantiate, run, snapshot and drop a guest N times in one process
// and print the interpreter's linear memory at the start (after 1,000
// warm-up cycles) and at the end. Memory must stay flat. Two engines: Node
// (build/wrt.wasm in V8) and native (build/wrt-native, the wasm2c
// translation, in its own process: its memory size comes with every
// response of the serve protocol; its RSS from /proc is printed too).
//
//   node scripts/soak.mjs [--cycles 100000] [--engine node|native|both]
//
// Without build/wrt-native (npm run build:native) the native run is skipped
// with a message, unless --engine native was asked for.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import wabtInit from "wabt";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const opt = (name, def) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : def);
const cycles = Number(opt("--cycles", 100_000));
const engines = opt("--engine", "both");
if (!(cycles > 0) || !["node", "native", "both"].includes(engines)) {
  console.error("usage: node scripts/soak.mjs [--cycles N] [--engine node|native|both]");
  process.exit(64);
}

const wabt = await wabtInit();
const guest = wabt.parseWat("soak.wat", `(module (memory (export "mem") 1) (table 2 funcref) (elem (i32.const 0) $f $id)
  (global $g (mut i32) (i32.const 0))
  (func $f (export "f") (param i32) (result i32)
    (global.set $g (i32.add (global.get $g) (local.get 0)))
    (i32.store (i32.const 64) (global.get $g))
    (drop (call_indirect (param i32) (result i32) (i32.const 1) (i32.const 1)))
    (global.get $g))
  (func $id (param i32) (result i32) (local.get 0)))`).toBinary({}).buffer;

const imports = { wrt: { log() {}, abort(_m, _f, l) { throw new Error(`interpreter abort (line ${l})`); } } };
const name = new TextEncoder().encode("f");

/** The soak loop over raw exports `x`; `probe()` gives the figures to compare. */
function soak(x, probe) {
  const put = (b) => { const p = x.wrt_io(b.length); new Uint8Array(x.memory.buffer).set(b, p); };
  put(guest);
  const m = x.wrt_module_load(guest.length);
  if (m < 0) throw new Error("guest did not load");
  let start = null;
  const t0 = Date.now();
  for (let i = 0; i < cycles; i++) {
    x.wrt_io(4);
    const h = x.wrt_instantiate(m, 0);
    if (h < 0) throw new Error(`instantiate failed at cycle ${i}`);
    put(name);
    const f = x.wrt_instance_export(h, name.length);
    new DataView(x.memory.buffer).setInt32(x.wrt_io(8), i, true);
    if (x.wrt_call(f, 1) < 0 || x.wrt_run(1_000_000n) !== 0) throw new Error(`run failed at cycle ${i}`);
    if (x.wrt_snapshot() < 0) throw new Error(`snapshot failed at cycle ${i}`);
    x.wrt_instance_drop(h);
    if (i % 1000 === 999) x.wrt_collect();
    if (i === Math.min(999, cycles - 1)) start = probe();
    if (i % 10000 === 9999) process.stderr.write(`\r${i + 1} cycles`);
  }
  process.stderr.write("\n");
  return { start, end: probe(), seconds: (Date.now() - t0) / 1000 };
}

let ok = true;
if (engines !== "native") {
  const wasm = new WebAssembly.Module(readFileSync(path.join(root, "build/wrt.wasm")));
  const x = new WebAssembly.Instance(wasm, imports).exports;
  const r = soak(x, () => x.memory.buffer.byteLength);
  console.log(`soak (node): ${cycles} cycles in ${r.seconds.toFixed(1)} s; interpreter memory ${r.start} bytes after warm-up, ${r.end} bytes at the end`);
  ok &&= r.end === r.start;
}
const nativeBin = path.join(root, "build/wrt-native");
if (engines !== "node" && !existsSync(nativeBin)) {
  console.log("soak (native): skipped, build/wrt-native is missing (npm run build:native)");
  ok &&= engines === "both";
} else if (engines !== "node") {
  const { instantiateNative } = await import(pathToFileURL(path.join(root, "host-shims/node/dist/engines/native.js")).href);
  const inst = instantiateNative(imports, { binary: nativeBin });
  /** Resident set of the wrt-native process (kB -> bytes), from /proc. */
  const rss = () => {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${inst.pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : NaN;
  };
  try {
    const r = soak(inst.exports, () => ({ mem: inst.memoryPages() * 65536, rss: rss() }));
    console.log(`soak (native): ${cycles} cycles in ${r.seconds.toFixed(1)} s; interpreter memory ${r.start.mem} bytes after warm-up, ${r.end.mem} bytes at the end; process RSS ${r.start.rss} bytes after warm-up, ${r.end.rss} bytes at the end`);
    // RSS is informative (the C heap, stdio and page cache move a little);
    // the interpreter's memory must not grow.
    ok &&= r.end.mem === r.start.mem && r.start.mem > 0;
  } finally {
    inst.close();
  }
}
process.exit(ok ? 0 : 1);
