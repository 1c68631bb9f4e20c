// Rewrites the threaded dispatch of the interpreter's loop in gcc's Thumb-2
// assembly (flash-scripts/build.sh, full build on Cortex-M3/M4 boards; docs/firmware.md,
// "The dispatch on Thumb-2").
//
//   node flash-scripts/thumb-dispatch.mjs IN.s OUT.s
//
// gcc compiles each `goto *wrt_ops[op]` of w2c_wrt_run as
//
//   ldr  rX, [rT, rY, lsl #2]     the handler's address from the table
//   orr  rX, rX, #1               Thumb bit (gcc's label addresses lack it)
//   bx   rX
//
// This writes the table's entries with the Thumb bit already set
// (`.word .Lnnn+1`) and each such triple as one `ldr pc, [rT, rY, lsl #2]`
// (a load into pc branches and takes the Thumb bit from the value, as bx
// does); a pair `orr rX, rX, #1; bx rX` without the load right before it
// becomes `mov pc, rX` (a plain branch, which ignores bit 0). Two, resp. one,
// instruction fewer per dispatched op. Nothing else changes: rX is dead after
// the jump (gcc never keeps a value in the register of an indirect jump's
// target), and jumps land where they did.
//
// Fails (exit 1) unless the file has exactly the expected shape: one
// w2c_wrt_run, one wrt_ops table of 256 code labels, at least 200 dispatches
// rewritten and no `bx` left in the loop other than `bx lr`.
import { readFileSync, writeFileSync } from "node:fs";

const [inFile, outFile] = process.argv.slice(2);
const die = (msg) => { console.error(`thumb-dispatch: ${inFile}: ${msg}`); process.exit(1); };
if (!inFile || !outFile) die("usage: thumb-dispatch.mjs IN.s OUT.s");
const lines = readFileSync(inFile, "utf8").split("\n");

// The loop's body: from its label to its .size directive.
const start = lines.indexOf("w2c_wrt_run:");
if (start < 0 || lines.indexOf("w2c_wrt_run:", start + 1) >= 0) die("no single w2c_wrt_run");
const end = lines.findIndex((l, i) => i > start && /^\t\.size\tw2c_wrt_run, /.test(l));
if (end < 0) die("no end of w2c_wrt_run");

const REG = "(?:r\\d+|ip|lr|sl|fp|sb)";
const orrRe = new RegExp(`^\\torr\\t(${REG}), \\1, #1$`);
const ldrRe = new RegExp(`^\\tldr\\t(${REG}), \\[(${REG}), (${REG}), lsl #2\\]$`);
// Lines between two instructions that are not instructions and not code
// labels: assembler directives (.loc, .cfi_*) and debug labels (.LVL, .LBB, .LBE).
const skippable = (l) => /^\t\./.test(l) || /^\.L(?:VL|BB|BE|VU)\d+:$/.test(l) || l === "";
const prevInsn = (i) => { let j = i - 1; while (j > start && skippable(lines[j])) j--; return j; };

let triples = 0, pairs = 0;
for (let i = start; i < end; i++) {
  const bx = /^\tbx\t(\S+)$/.exec(lines[i]);
  if (!bx || bx[1] === "lr") continue;
  const reg = bx[1];
  const o = prevInsn(i);
  const orr = orrRe.exec(lines[o]);
  if (!orr || orr[1] !== reg) die(`line ${i + 1}: a bx ${reg} without its orr #1 right before`);
  const l = prevInsn(o);
  const ldr = ldrRe.exec(lines[l]);
  if (ldr && ldr[1] === reg) {
    lines[l] = `\tldr\tpc, [${ldr[2]}, ${ldr[3]}, lsl #2]`;
    lines[o] = "\t@ thumb-dispatch: orr #1 dropped (the table has the Thumb bit)";
    lines[i] = "\t@ thumb-dispatch: bx dropped (ldr pc above)";
    triples++;
  } else {
    lines[o] = "\t@ thumb-dispatch: orr #1 dropped";
    lines[i] = `\tmov\tpc, ${reg}`;
    pairs++;
  }
}
if (triples + pairs < 200) die(`only ${triples + pairs} dispatches in w2c_wrt_run`);

// The table: `wrt_ops.N:` then 256 `.word .Lnnn`.
const tables = lines.map((l, i) => (/^wrt_ops\.\d+:$/.test(l) ? i : -1)).filter((i) => i >= 0);
if (tables.length !== 1) die(`${tables.length} wrt_ops tables, not 1`);
let words = 0;
for (let i = tables[0] + 1; i < lines.length && /^\t\.word\t/.test(lines[i]); i++) {
  const w = /^\t\.word\t(\.L\d+)$/.exec(lines[i]);
  if (!w) die(`line ${i + 1}: a wrt_ops entry that is not a code label: ${lines[i]}`);
  lines[i] = `\t.word\t${w[1]}+1`;
  words++;
}
if (words !== 256) die(`wrt_ops has ${words} entries, not 256`);

writeFileSync(outFile, lines.join("\n"));
console.error(`thumb-dispatch: ${triples} dispatches as ldr pc, ${pairs} as mov pc`);
