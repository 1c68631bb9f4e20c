// Which shape of dispatch loop V8 runs fastest, on a toy interpreter
// (docs/internal-code.md, "Dispatch shapes V8 can run"). The same 12
// three-slot i32 ops (dst, a, b: 16-byte ops, slots in linear memory, as
// wrt's) and one loop-back op, interpreted three ways:
//
//   switch      one loop, one br_table over 256 cases (wrt_run's shape)
//   switch xC   C copies of the switch in a row in the loop: each copy's
//               handlers go on to the next copy (C indirect jumps to predict)
//   tail calls  a function per op, each ending in return_call_indirect of the
//               next op's function (threaded code, as wasm3's C is)
//
// over a seeded random program of L ops run `iters` times (L = 8: the next op
// is predictable; L = 256 and 1000: mostly not, as in a long unrolled kernel).
// Medians of 7 interleaved rounds in one process after warm-up calls, so
// every variant runs in TurboFan.
//
//   taskset -c 1 node bench/dispatch-shapes.mjs [--copies 2,4]
import { wat } from "../fuzz/lib/wat.mjs";

const copiesArg = process.argv.indexOf("--copies");
const COPIES = copiesArg > 0 ? process.argv[copiesArg + 1].split(",").map(Number) : [2, 4];
const BINOPS = ["i32.add", "i32.xor", "i32.sub", "i32.and", "i32.or", "i32.rotr", "i32.shl", "i32.shr_u", "i32.mul", "i32.rotl", "i32.add", "i32.xor"];
const LOOP_OP = BINOPS.length; // counter at fp+0: --counter; zero halts, else back to the program's start (1024)

const binop = (op) => `(i32.store (i32.add (local.get $fp) (i32.load offset=4 (local.get $pc)))
   (${op} (i32.load (i32.add (local.get $fp) (i32.load offset=8 (local.get $pc))))
          (i32.load (i32.add (local.get $fp) (i32.load offset=12 (local.get $pc))))))
  (local.set $pc (i32.add (local.get $pc) (i32.const 16)))`;
const loopBack = `(i32.store (local.get $fp) (i32.sub (i32.load (local.get $fp)) (i32.const 1)))
  (if (i32.eqz (i32.load (local.get $fp))) (then (return (local.get $pc))))
  (local.set $pc (i32.const 1024))`;
const handler = (k) => (k < LOOP_OP ? binop(BINOPS[k]) : loopBack);

/** One loop holding `copies` switches in a row; each handler ends by going on to the next copy. */
function switchModule(copies) {
  let body = "";
  for (let c = 0; c < copies; c++) {
    const labels = Array.from({ length: 256 }, (_, i) => (i <= LOOP_OP ? `$o${c}_${i}` : `$halt${c}`));
    body += `(block $end${c} (block $halt${c} `;
    for (let k = LOOP_OP; k >= 0; k--) body += `(block $o${c}_${k} `;
    body += `(br_table ${labels.join(" ")} (i32.load8_u (local.get $pc))))\n`;
    for (let k = 0; k <= LOOP_OP; k++) body += `${handler(k)}\n (br $end${c}))\n`;
    body += `(return (local.get $pc)))\n`;
  }
  return `(module (memory (export "mem") 1)
    (func (export "run") (param $pc i32) (param $fp i32) (result i32) (loop $L ${body} (br $L)) (unreachable)))`;
}

/** A function per op, each tail-calling the next op's through a 256-entry table. */
function tailCallModule() {
  const next = `(return_call_indirect (type $h) (local.get $pc) (local.get $fp) (i32.load8_u (local.get $pc)))`;
  let fns = "";
  for (let k = 0; k <= LOOP_OP; k++) fns += `(func $f${k} (type $h) (param $pc i32) (param $fp i32) (result i32) ${handler(k)} ${next})\n`;
  const elems = Array.from({ length: 256 }, (_, i) => (i <= LOOP_OP ? `$f${i}` : "$halt")).join(" ");
  return `(module (memory (export "mem") 1)
    (type $h (func (param i32 i32) (result i32)))
    (table 256 funcref) (elem (i32.const 0) func ${elems})
    (func $halt (type $h) (local.get 0))
    ${fns}
    (func (export "run") (param $pc i32) (param $fp i32) (result i32)
      (call_indirect (type $h) (local.get $pc) (local.get $fp) (i32.load8_u (local.get $pc)))))`;
}

function program(length) {
  let seed = 12345;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
  const slot = () => 4 + 4 * (rnd() % 30);
  const ops = Array.from({ length }, () => [rnd() % LOOP_OP, slot(), slot(), slot()]);
  return [...ops, [LOOP_OP, 0, 0, 0]];
}

async function variant(name, bytes, prog) {
  const { instance } = await WebAssembly.instantiate(bytes);
  const mem = new Uint32Array(instance.exports.mem.buffer);
  prog.forEach((op, i) => op.forEach((w, j) => (mem[256 + 4 * i + j] = w)));
  const call = (iters) => {
    mem[16] = iters; // fp = 64: the counter, then 31 slots
    for (let s = 1; s < 32; s++) mem[16 + s] = Math.imul(s, 0x9e3779b1) >>> 0;
    const t = performance.now();
    instance.exports.run(1024, 64);
    return { ms: performance.now() - t, check: mem.slice(17, 48).reduce((a, b) => (a ^ b) >>> 0, 0) };
  };
  return { name, call };
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const shapes = [["switch", switchModule(1)], ...COPIES.map((c) => [`switch x${c}`, switchModule(c)]),
  ["tail calls", tailCallModule()]];
console.log(`| program | ops run | ${shapes.map(([n]) => `${n} ns/op`).join(" | ")} |`);
console.log(`|---|---:|${shapes.map(() => "---:").join("|")}|`);
for (const [length, iters] of [[8, 1_000_000], [256, 40_000], [1000, 10_000]]) {
  const prog = program(length);
  const vs = [];
  for (const [name, src] of shapes) vs.push(await variant(name, wat(src, { name: `${name}.wat`, features: { tail_call: true } }), prog));
  for (const v of vs) for (let i = 0; i < 5; i++) v.call(200); // TurboFan from here on
  const times = vs.map(() => []);
  let check = null;
  for (let r = 0; r < 7; r++) {
    vs.forEach((v, i) => {
      const { ms, check: c } = v.call(iters);
      times[i].push(ms);
      if (check === null) check = c;
      else if (c !== check) throw new Error(`${v.name}: result ${c}, expected ${check}`);
    });
  }
  const ops = (length + 1) * iters;
  console.log(`| random, ${length} ops | ${(ops / 1e6).toFixed(1)} M | ${times.map((t) => (median(t) * 1e6 / ops).toFixed(2)).join(" | ")} |`);
}
