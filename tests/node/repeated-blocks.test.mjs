// Issue 15's must-show for the dispatch loop: no block of six or more lines
// repeated in assembly/exec/interp.ts (docs/internal-code.md, "The dispatch
// loop's shape"). scripts/repeated-blocks.mjs finds them.
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
