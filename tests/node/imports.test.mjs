// Both builds of the interpreter (full and device) import only the host ABI of docs/host-abi.md:
// `wrt.log (i32, i32, i32) -> ()` and `wrt.abort (i32, i32, i32, i32) -> ()`.
// Anything else (env.abort, env.seed, WASI, ...) means a dependency crept in
// and fails the test. `wrt.abort` must be there (every build can fault);
// `wrt.log` may be absent while no interpreter code logs, since the
// optimizer drops unused imports (reported as a diagnostic).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BUILDS = ["build/wrt.wasm", "build/wrt-device.wasm"];

const EXPECTED = {
  "wrt.log": { params: ["i32", "i32", "i32"], results: [] },
  "wrt.abort": { params: ["i32", "i32", "i32", "i32"], results: [] },
};

// Minimal reader for the type and import sections: function signatures of
// imported functions, which WebAssembly.Module.imports does not report.
function importSignatures(bytes) {
  let p = 8;
  const u8 = () => bytes[p++];
  const leb = () => { let r = 0, s = 0, b; do { b = u8(); r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return r >>> 0; };
  const name = () => { const n = leb(); const s = new TextDecoder().decode(bytes.subarray(p, p + n)); p += n; return s; };
  const vt = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128", 0x70: "funcref", 0x6f: "externref" };
  const types = [];
  const sigs = {};
  while (p < bytes.length) {
    const id = u8(), size = leb(), end = p + size;
    if (id === 1) {
      for (let n = leb(); n > 0; n--) {
        assert.equal(u8(), 0x60);
        const params = []; for (let k = leb(); k > 0; k--) params.push(vt[u8()]);
        const results = []; for (let k = leb(); k > 0; k--) results.push(vt[u8()]);
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = leb(); n > 0; n--) {
        const key = name() + "." + name();
        const kind = u8();
        if (kind === 0) { sigs[key] = types[leb()]; continue; }
        sigs[key] = { kind };
        break; // non-function import: reported by the kind check anyway
      }
    }
    p = end;
  }
  return sigs;
}

for (const build of BUILDS) test(`${build} imports only wrt.log and wrt.abort, with their documented signatures`, (t) => {
  const wasmPath = path.join(root, build);
  assert.ok(existsSync(wasmPath), `${build} is missing: run \`npm run build\` (npm ci does it)`);
  const bytes = new Uint8Array(readFileSync(wasmPath));
  const module = new WebAssembly.Module(bytes);
  const imports = WebAssembly.Module.imports(module);
  const names = imports.map((i) => `${i.module}.${i.name}`);
  t.diagnostic(`imports: ${names.join(", ") || "(none)"}`);
  const extra = names.filter((n) => !(n in EXPECTED));
  assert.deepEqual(extra, [], `imports outside the host ABI (docs/host-abi.md): ${JSON.stringify(imports)}`);
  assert.equal(new Set(names).size, names.length, "an import is listed twice");
  assert.ok(names.includes("wrt.abort"), "wrt.abort must be imported (the interpreter's fault path)");
  if (!names.includes("wrt.log")) t.diagnostic("wrt.log is not imported (no interpreter code logs yet)");
  for (const i of imports) assert.equal(i.kind, "function", `${i.module}.${i.name} must be a function`);
  const sigs = importSignatures(bytes);
  for (const name of names) assert.deepEqual(sigs[name], EXPECTED[name], `signature of ${name}`);
  // the exported surface a host relies on
  const exports = WebAssembly.Module.exports(module).map((e) => e.name);
  assert.ok(exports.includes("memory"), `${build} must export its memory`);
});

test("the import check rejects anything else (checked on a module that imports env.abort)", () => {
  // env.abort is what asc adds when --use abort=... is forgotten
  const bad = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x08, 0x01, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x00,             // type 0: (i32 x4) -> ()
    0x02, 0x0d, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x05, 0x61, 0x62, 0x6f, 0x72, 0x74, 0x00, 0x00, // import env.abort
  ]);
  const names = WebAssembly.Module.imports(new WebAssembly.Module(bad)).map((i) => `${i.module}.${i.name}`);
  assert.deepEqual(names.filter((n) => !(n in EXPECTED)), ["env.abort"]);
  assert.deepEqual(importSignatures(bad)["env.abort"], { params: ["i32", "i32", "i32", "i32"], results: [] });
});
