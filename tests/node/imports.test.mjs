// The built interpreter imports exactly the host ABI of docs/host-abi.md:
// `wrt.log (i32, i32, i32) -> ()` and `wrt.abort (i32, i32, i32, i32) -> ()`.
// Anything else (env.abort, env.seed, WASI, ...) means a dependency crept in.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const wasmPath = path.join(root, "build/wrt.wasm");

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

test("build/wrt.wasm imports exactly wrt.log and wrt.abort", { skip: false }, () => {
  assert.ok(existsSync(wasmPath), "build/wrt.wasm is missing: run `npm run build` (npm ci does it)");
  const bytes = new Uint8Array(readFileSync(wasmPath));
  const module = new WebAssembly.Module(bytes);
  const imports = WebAssembly.Module.imports(module);
  const names = imports.map((i) => `${i.module}.${i.name}`).sort();
  assert.deepEqual(names, Object.keys(EXPECTED).sort(), `unexpected import list: ${JSON.stringify(imports)}`);
  for (const i of imports) assert.equal(i.kind, "function", `${i.module}.${i.name} must be a function`);
  const sigs = importSignatures(bytes);
  for (const [key, sig] of Object.entries(EXPECTED)) assert.deepEqual(sigs[key], sig, `signature of ${key}`);
});
