// build/wrt.wasm's branch hints for V8 (scripts/branch-hints.mjs,
// docs/internal-code.md "V8's tiers"): the section is well formed, names
// wrt_run, and every hint sits on an `if` or `br_if` of that body as wabt's
// own decoder (wasm-objdump) lists them; the CLI's V8 compiles wrt_run
// differently with the hints than without them (so they are read), and both
// give the same result.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const wasmPath = path.join(root, "build/wrt.wasm");
const cli = path.join(root, "host-shims/node/dist/cli.js");

function uleb(b, p) {
  let v = 0, shift = 0, byte;
  do { byte = b[p++]; v += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return [v, p];
}

/** The module's sections in order: { id, name (custom), start (payload), end }. */
function sections(b) {
  const out = [];
  let p = 8;
  while (p < b.length) {
    const id = b[p];
    const [size, q] = uleb(b, p + 1);
    const s = { id, start: q, end: q + size };
    if (id === 0) {
      const [len, r] = uleb(b, q);
      s.name = Buffer.from(b.subarray(r, r + len)).toString();
      s.start = r + len;
    }
    out.push(s);
    p = q + size;
  }
  return out;
}

/** wasm-objdump's listing of one function: its body's first byte and each instruction's address and text. */
function objdumpFunc(func) {
  const text = execFileSync("wasm-objdump", ["-d", wasmPath], { encoding: "utf8", maxBuffer: 1 << 28 });
  const lines = text.split("\n");
  const head = lines.findIndex((l) => new RegExp(`^[0-9a-f]+ func\\[${func}\\]`).test(l));
  assert.ok(head >= 0, `wasm-objdump lists func[${func}]`);
  const bodyStart = parseInt(lines[head].split(" ")[0], 16);
  const ins = new Map();
  for (let i = head + 1; i < lines.length && !/^[0-9a-f]+ func\[/.test(lines[i]); i++) {
    const m = /^\s*([0-9a-f]+): [0-9a-f ]+\|\s*(\S+)/.exec(lines[i]);
    if (m) ins.set(parseInt(m[1], 16), m[2]);
  }
  return { bodyStart, ins };
}

test("build/wrt.wasm: branch hints on wrt_run's if/br_if instructions", () => {
  const b = new Uint8Array(readFileSync(wasmPath));
  const secs = sections(b);
  const hintsAt = secs.findIndex((s) => s.name === "metadata.code.branch_hint");
  assert.ok(hintsAt >= 0, "a metadata.code.branch_hint section");
  assert.ok(hintsAt < secs.findIndex((s) => s.id === 10), "before the code section (the proposal's rule)");
  const exports = new WebAssembly.Module(b);
  assert.ok(WebAssembly.Module.exports(exports).some((e) => e.name === "wrt_run"));
  const exportSec = secs.find((s) => s.id === 7);
  let [n, p] = uleb(b, exportSec.start);
  let runIdx = -1;
  for (let k = 0; k < n; k++) {
    const [len, r] = uleb(b, p);
    const name = Buffer.from(b.subarray(r, r + len)).toString();
    const kind = b[r + len];
    let idx;
    [idx, p] = uleb(b, r + len + 1);
    if (kind === 0 && name === "wrt_run") runIdx = idx;
  }
  const hs = secs[hintsAt];
  let q = hs.start;
  let funcs, func, count;
  [funcs, q] = uleb(b, q);
  assert.equal(funcs, 1, "one hinted function");
  [func, q] = uleb(b, q);
  assert.equal(func, runIdx, "the hinted function is wrt_run");
  [count, q] = uleb(b, q);
  assert.ok(count >= 20, `${count} hints`);
  const { bodyStart, ins } = objdumpFunc(func);
  let last = -1;
  const dirs = [0, 0];
  for (let k = 0; k < count; k++) {
    let off, size;
    [off, q] = uleb(b, q);
    [size, q] = uleb(b, q);
    const dir = b[q++];
    assert.ok(off > last, "offsets ascend");
    last = off;
    assert.equal(size, 1);
    assert.ok(dir === 0 || dir === 1, `direction ${dir}`);
    dirs[dir]++;
    const op = ins.get(bodyStart + off);
    assert.ok(op === "if" || op === "br_if", `hint ${k} at body+${off} is on ${op}, not an if/br_if`);
  }
  assert.equal(q, hs.end, "nothing after the hints");
  assert.ok(dirs[0] > 0, "some branches marked unlikely");
});

test("wrt run: V8 reads the hints (wrt_run compiles differently) and the result is the same", { skip: !/^11\./.test(process.versions.v8) && "the flag is set for V8 11 (Node 20) only" }, () => {
  // (module (func (export "f") (param i32) (result i32) local.get 0 i32.const 3 i32.mul))
  const guest = Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 127, 1, 127, 3, 2, 1, 0,
    7, 5, 1, 1, 102, 0, 0, 10, 9, 1, 7, 0, 32, 0, 65, 3, 108, 11]);
  const dir = mkdtempSync(path.join(os.tmpdir(), "wrt-hints-"));
  const file = path.join(dir, "g.wasm");
  writeFileSync(file, guest);
  const b = new Uint8Array(readFileSync(wasmPath));
  const hs = sections(b).find((s) => s.name === "metadata.code.branch_hint");
  const func = uleb(b, uleb(b, hs.start)[1])[0];
  const codeSize = (extra) => {
    const r = spawnSync(process.execPath, [...extra, `--print-wasm-code-function-index=${func}`, cli, "run", file, "--invoke", "f", "14"],
      { encoding: "utf8", maxBuffer: 1 << 28 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /42/);
    const m = /compiler: TurboFan[\s\S]*?Instructions \(size = (\d+)\)/.exec(r.stdout);
    assert.ok(m, "TurboFan code of wrt_run printed");
    return Number(m[1]);
  };
  const hinted = codeSize([]);
  const plain = codeSize(["--no-experimental-wasm-branch-hinting"]);
  assert.notEqual(hinted, plain, "the hints change TurboFan's code of wrt_run");
});
