// The dispatch loop's shape (docs/internal-code.md, "The dispatch loop's
// shape"): issue 15's must-show, no block of six or more lines repeated in
// assembly/exec/interp.ts (scripts/repeated-blocks.mjs finds them), and only
// jumps leave the switch with `break` (to the next block's fuel payment).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { repeatedBlocks } from "../../scripts/repeated-blocks.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

test("exec/interp.ts repeats no block of six or more lines", () => {
  const blocks = repeatedBlocks(readFileSync(path.join(root, "assembly/exec/interp.ts"), "utf8"), 6);
  assert.deepEqual(blocks.map((b) => `${b.lines} lines at ${b.at.join(", ")}: ${b.text.split("\n")[0]}`), []);
});

test("the finder reports a repeated block once, at each copy, across blank and comment lines", () => {
  const body = ["let a = 1;", "let b = 2;", "", "// why", "a += b;", "b += a;", "store(a);", "store(b);"];
  const text = ["function f() {", ...body, "}", "function g() {", "let x = 0;", ...body, "}"].join("\n");
  const blocks = repeatedBlocks(text, 6);
  assert.equal(blocks.length, 1);
  assert.equal(blocks[0].lines, 7); // six body lines and the closing brace
  assert.deepEqual(blocks[0].at, [2, 13]);
  // five lines in common are not a block of six
  assert.deepEqual(repeatedBlocks(text.replace(/store\(b\);/g, (m, off) => (off < 100 ? "store(c);" : m)), 6), []);
});

test("only jumps break out of the dispatch switch (every other op continues the loop)", () => {
  // A `break` pays `cost`, the fuel of the block a jump lands on, which only
  // the jumps set (docs/fuel.md, "Jumps carry what they land on"). A jump's
  // name says so: Jump..., or a fused op ending in one (I32AddImmJumpNeImm).
  const lines = readFileSync(path.join(root, "assembly/exec/interp.ts"), "utf8").split("\n");
  const from = lines.findIndex((l) => l.includes("switch (load<u8>(pc))"));
  const to = lines.findIndex((l, i) => i > from && /^ {4}\}$/.test(l));
  assert.ok(from > 0 && to > from, "the dispatch switch");
  let labels = [];
  const wrong = [];
  let jumps = 0;
  for (let i = from + 1; i < to; i++) {
    const m = [...lines[i].matchAll(/\bcase (Ir\.\w+|\d+):/g)].map((x) => x[1]);
    if (m.length) labels = m;
    if (!/\bbreak;/.test(lines[i])) continue;
    if (labels.every((l) => /^Ir\.\w*Jump/.test(l)) || lines[i].includes("pay it below")) jumps++;
    else wrong.push(`line ${i + 1} (${labels.join(" ")})`);
  }
  assert.deepEqual(wrong, []);
  assert.ok(jumps >= 44, `${jumps} jump exits`);
});
