// Soak: instantiate, run, snapshot and drop a guest N times in one process
// (Node engine) and print the interpreter's linear memory at the start
// (after 1,000 warm-up cycles) and at the end. Memory must stay flat.
//
//   node scripts/soak.mjs [--cycles 100000]
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import wabtInit from "wabt";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const cycles = argv.includes("--cycles") ? Number(argv[argv.indexOf("--cycles") + 1]) : 100_000;

const wabt = await wabtInit();
const guest = wabt.parseWat("soak.wat", `(module (memory (export "mem") 1) (table 2 funcref) (elem (i32.const 0) $f $id)
  (global $g (mut i32) (i32.const 0))
  (func $f (export "f") (param i32) (result i32)
    (global.set $g (i32.add (global.get $g) (local.get 0)))
    (i32.store (i32.const 64) (global.get $g))
    (drop (call_indirect (param i32) (result i32) (i32.const 1) (i32.const 1)))
    (global.get $g))
  (func $id (param i32) (result i32) (local.get 0)))`).toBinary({}).buffer;

const wasm = new WebAssembly.Module(readFileSync(path.join(root, "build/wrt.wasm")));
const x = new WebAssembly.Instance(wasm, { wrt: { log() {}, abort(_m, _f, l) { throw new Error(`interpreter abort (line ${l})`); } } }).exports;
const put = (b) => { const p = x.wrt_io(b.length); new Uint8Array(x.memory.buffer).set(b, p); };
put(guest);
const m = x.wrt_module_load(guest.length);
if (m < 0) throw new Error("guest did not load");
const name = new TextEncoder().encode("f");

let start = 0;
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
  if (i === Math.min(999, cycles - 1)) start = x.memory.buffer.byteLength;
  if (i % 10000 === 9999) process.stderr.write(`\r${i + 1} cycles`);
}
process.stderr.write("\n");
const end = x.memory.buffer.byteLength;
console.log(`soak (node): ${cycles} cycles in ${((Date.now() - t0) / 1000).toFixed(1)} s; interpreter memory ${start} bytes after warm-up, ${end} bytes at the end`);
process.exit(end === start ? 0 : 1);
