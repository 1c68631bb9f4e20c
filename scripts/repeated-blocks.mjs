// Repeated blocks of source lines (issue 15's must-show for the dispatch
// loop: no block of six or more lines repeated in exec/interp.ts).
//
//   node scripts/repeated-blocks.mjs [--min N] file...     (default N = 6)
//
// Lines are compared with their leading and trailing white space removed;
// blank lines and lines holding only a comment are skipped (they neither
// make nor break a block). A block is N or more consecutive such lines that
// occur again, identically, elsewhere in the same file. Prints each
// maximal block once with the line numbers of its copies; exit status 1 if
// there is any. Exported for the tests: repeatedBlocks(text, min).

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The significant lines of `text`: [{ n: 1-based line number, s: trimmed text }]. */
function significant(text) {
  const out = [];
  text.split("\n").forEach((line, i) => {
    const s = line.trim();
    if (s === "" || s.startsWith("//") || s.startsWith("/*") || s.startsWith("*")) return;
    out.push({ n: i + 1, s });
  });
  return out;
}

/**
 * Maximal runs of at least `min` significant lines that occur more than
 * once: [{ lines: count, at: [first line number of each copy], text }].
 */
export function repeatedBlocks(text, min = 6) {
  const lines = significant(text);
  const key = (i) => lines.slice(i, i + min).map((l) => l.s).join("\n");
  const where = new Map();
  for (let i = 0; i + min <= lines.length; i++) {
    const k = key(i);
    if (!where.has(k)) where.set(k, []);
    where.get(k).push(i);
  }
  // a window repeated -> extend it while the copies keep agreeing
  const covered = new Set();
  const blocks = [];
  for (let i = 0; i + min <= lines.length; i++) {
    if (covered.has(i)) continue;
    const copies = where.get(key(i));
    if (copies.length < 2 || copies[0] !== i) continue;
    let len = min;
    const same = (a, b) => a < lines.length && b < lines.length && lines[a].s === lines[b].s;
    while (copies.every((c) => c + len < lines.length && same(c + len, i + len))) len++;
    for (const c of copies) for (let j = 0; j <= len - min; j++) covered.add(c + j);
    blocks.push({ lines: len, at: copies.map((c) => lines[c].n), text: lines.slice(i, i + len).map((l) => l.s).join("\n") });
  }
  return blocks;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let min = 6;
  const mi = args.indexOf("--min");
  if (mi >= 0) { min = Number(args[mi + 1]); args.splice(mi, 2); }
  let found = 0;
  for (const file of args) {
    for (const b of repeatedBlocks(readFileSync(file, "utf8"), min)) {
      found++;
      console.log(`${file}: ${b.lines} lines repeated at lines ${b.at.join(", ")}:\n${b.text.split("\n").map((l) => "    " + l).join("\n")}`);
    }
  }
  if (found) { console.log(`repeated-blocks: ${found} block(s) of ${min}+ lines repeated`); process.exit(1); }
  console.log(`repeated-blocks: no block of ${min}+ lines repeated in ${args.length} file(s)`);
}
