// Where fuzz modules come from:
//   ttf:  binaryen's translate-to-fuzz (`wasm-opt -ttf`) over seeded random
//         bytes, limited to the Wasm 2.0 features WRT implements (no SIMD,
//         exceptions, threads, GC, tail calls, memory64, multi-memory ...).
//   spec: a module of the spec suite (../shared/testsuite/core), its code
//         section mutated a few bytes at a time until V8 still validates it
//         (sometimes left as is).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { rng } from "./common.mjs";
import { codeRange } from "./wasm.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// binaryen's wasm-opt from the npm package (pinned in package.json), so that a seed gives
// the same modules everywhere; WRT_FUZZ_WASM_OPT may name another (e.g. a native build).
const wasmOpt = process.env.WRT_FUZZ_WASM_OPT || path.join(root, "node_modules/.bin/wasm-opt");
const execFileP = promisify(execFile);

/** Features for -ttf: MVP plus exactly the Wasm 2.0 proposals except SIMD. */
export const TTF_FEATURES = [
  "--mvp-features",
  "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
  "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue",
];

const tmp = mkdtempSync(path.join(tmpdir(), "wrt-fuzz-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));

/** A translate-to-fuzz module from `seed` (deterministic for one binaryen version); async: runs wasm-opt. */
export async function ttfModule(seed, { denan = false } = {}) {
  const r = rng(seed);
  const size = 256 + (r() % 24000);
  const input = new Uint8Array(size);
  for (let i = 0; i < size; i += 4) {
    const x = r();
    input[i] = x; input[i + 1] = x >>> 8; input[i + 2] = x >>> 16; input[i + 3] = x >>> 24;
  }
  const inFile = path.join(tmp, `in-${seed}.dat`);
  const outFile = path.join(tmp, `out-${seed}.wasm`);
  writeFileSync(inFile, input);
  const extra = [];
  if (r() % 3 === 0) extra.push("--fuzz-passes"); // reshapes the module with a random set of passes
  if (denan) extra.push("--denan");
  try {
    await execFileP(wasmOpt, ["-ttf", inFile, ...TTF_FEATURES, ...extra, "-o", outFile]);
    return new Uint8Array(readFileSync(outFile));
  } finally {
    rmSync(inFile, { force: true });
    rmSync(outFile, { force: true });
  }
}

/** Applies binaryen's --denan to a module (NaNs become 0 after every float operation). */
export async function denanModule(bytes) {
  const inFile = path.join(tmp, "dn-in.wasm");
  const outFile = path.join(tmp, "dn-out.wasm");
  writeFileSync(inFile, bytes);
  await execFileP(wasmOpt, [inFile, ...TTF_FEATURES, "--denan", "-o", outFile]);
  return new Uint8Array(readFileSync(outFile));
}

let specPool = null;
const SUPPORTED_IMPORTS = new Set(["spectest"]);

/** The spec modules usable as seeds: valid in V8, importing only from spectest. */
export function specModules(dir) {
  if (specPool) return specPool;
  specPool = [];
  if (!existsSync(dir)) return specPool;
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith(".wasm")) continue;
    const bytes = new Uint8Array(readFileSync(path.join(dir, f)));
    if (!WebAssembly.validate(bytes)) continue;
    const m = new WebAssembly.Module(bytes);
    if (!WebAssembly.Module.imports(m).every((i) => SUPPORTED_IMPORTS.has(i.module))) continue;
    if (!WebAssembly.Module.exports(m).some((e) => e.kind === "function")) continue;
    if (!codeRange(bytes)) continue;
    specPool.push({ name: f, bytes });
  }
  return specPool;
}

/**
 * A mutated spec module from `seed`: { name, bytes, mutations, rejected }
 * (bytes null when no V8-valid mutation was found; rejected: up to three
 * mutants V8 did not validate), or null without a spec suite. One module in
 * five stays unmutated.
 */
export function specMutant(dir, seed) {
  const pool = specModules(dir);
  if (pool.length === 0) return null;
  const r = rng(seed);
  const base = pool[r() % pool.length];
  if (r() % 5 === 0) return { name: base.name, bytes: base.bytes, mutations: 0, rejected: [] };
  const [start, end] = codeRange(base.bytes);
  const rejected = []; // a few mutants V8 rejects: wrt must reject them too
  for (let attempt = 0; attempt < 40; attempt++) {
    const bytes = base.bytes.slice();
    const n = 1 + (r() % 4);
    for (let k = 0; k < n; k++) {
      const at = start + (r() % (end - start));
      const how = r() % 4;
      if (how === 0) bytes[at] = r() & 0xff;                 // any byte
      else if (how === 1) bytes[at] ^= 1 << (r() % 8);        // one bit
      else if (how === 2) bytes[at] = (bytes[at] + 1) & 0xff; // neighbouring opcode / immediate
      else bytes[at] = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x41, 0x45, 0x1a][r() % 8];
    }
    if (WebAssembly.validate(bytes)) return { name: base.name, bytes, mutations: n, rejected };
    if (rejected.length < 3) rejected.push(bytes);
  }
  return { name: base.name, bytes: null, mutations: 0, rejected };
}
