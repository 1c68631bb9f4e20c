// The README's quick start runs as written (issue 12 parts 6 and 7): every
// line of its "Quick start: Node" shell block, in one bash session from the
// repository root, prints what its comment says (the text before " (") and
// exits 0 (2 where the comment says so); the JavaScript snippet runs as is
// inside the repository (`import ... from "wrt"` resolves through the
// package's exports map) and prints the results it promises. Nothing is
// left in the repository root.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const readme = readFileSync(path.join(root, "README.md"), "utf8");
const haveNative = existsSync(path.join(root, "build/wrt-native"));
/**
 * The environment of a user's shell: npm test sets npm_config_* and puts
 * node_modules/.bin first on PATH, where a dependency brings an old npm/npx.
 */
const userEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
userEnv.PATH = (process.env.PATH ?? "").split(path.delimiter).filter((d) => !d.includes(`node_modules${path.sep}.bin`)).join(path.delimiter);


/** The first fenced block of `lang` after `heading`. */
function block(heading, lang) {
  const at = readme.indexOf(heading);
  assert.ok(at >= 0, `README has no ${heading}`);
  const m = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(readme.slice(at));
  assert.ok(m, `no ${lang} block after ${heading}`);
  return m[1];
}

test("README quick start: every shell line runs as written and prints what its comment says", { skip: !haveNative && "build/wrt-native missing (its commands need it)" }, () => {
  const lines = block("## Quick start: Node", "sh").split("\n").filter((l) => l.trim());
  const before = new Set(readdirSync(root));
  // one bash session: each line, then a marker with its exit status
  const script = lines.map((l, i) => `${l.replace(/\s+#.*$/, "")}\necho "@@ ${i} $?"`).join("\n");
  const r = spawnSync("bash", ["-c", script], { cwd: root, encoding: "utf8", timeout: 240_000, env: userEnv });
  assert.equal(r.signal, null, "timed out");
  const outputs = r.stdout.split(/^@@ (\d+) (\d+)$/m);
  // outputs: [out0, i0, rc0, out1, i1, rc1, ...]
  const seen = new Map();
  for (let k = 0; k + 2 < outputs.length; k += 3) seen.set(Number(outputs[k + 1]), { out: outputs[k], rc: Number(outputs[k + 2]) });
  lines.forEach((line, i) => {
    const res = seen.get(i);
    assert.ok(res, `line ${i + 1} did not run: ${line}\n${r.stderr}`);
    const comment = /#\s*(.*)$/.exec(line)?.[1] ?? "";
    const want = comment.replace(/ \(.*$/, "").trim();
    if (want) assert.ok(res.out.includes(want), `${line}\nprinted:\n${res.out}\nstderr:\n${r.stderr}`);
    assert.equal(res.rc, /exit 2/.test(comment) ? 2 : 0, `${line}: exit ${res.rc}\n${r.stderr}`);
  });
  assert.deepEqual([...new Set(readdirSync(root))].filter((f) => !before.has(f)), [], "the quick start left files in the repository root");
});

test("README JavaScript snippet runs inside the repository and prints its results", () => {
  const js = block("From JavaScript", "js");
  const dir = mkdtempSync(path.join(root, "build", "readme-"));
  try {
    const file = path.join(dir, "snippet.mjs");
    writeFileSync(file, js);
    const r = spawnSync(process.execPath, [file], { cwd: root, encoding: "utf8", env: userEnv });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "[ 75025 ]\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
