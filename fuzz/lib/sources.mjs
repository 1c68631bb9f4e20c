// Where fuzz modules come from:
//   ttf:  binaryen's translate-to-fuzz (`wasm-opt -ttf`) over seeded random
//         bytes, limited to the Wasm 2.0 features WRT implements (no SIMD,
//         exceptions, threads, GC, tail calls, memory64, multi-memory ...).
//   ttf-simd: the same with SIMD (`--enable-simd`).
//   ttf-relaxed: the same with relaxed SIMD too (`--enable-relaxed-simd`),
//         then more relaxed ops swapped in (fuzz/lib/relaxed.mjs); V8 runs a
//         copy whose relaxed ops check V8's value against the spec and go on
//         with WRT's documented choice.
//   spec: a module of the spec suite (../shared/testsuite/core), a few bytes
//         of one of its sections mutated (types, imports, functions, tables,
//         memories and their limits, globals, exports, start, elements, data
//         count, code, data; now and then a section header) until V8 still
//         validates it (sometimes left as is); the mutants V8 rejects on the
//         way must be rejected by WRT too.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { rng } from "./common.mjs";
import { codeRange, sections } from "./wasm.mjs";

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
export async function ttfModule(seed, { denan = false, simd = false, relaxed = false } = {}) {
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
    const features = [...(simd || relaxed ? ["--enable-simd"] : []), ...(relaxed ? ["--enable-relaxed-simd"] : [])];
    await execFileP(wasmOpt, ["-ttf", inFile, ...TTF_FEATURES, ...features, ...extra, "-o", outFile]);
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

/** Section ids by name, for the labels. */
const SECTION_NAMES = { 0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global", 7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "data count" };

// Bytes that mean something somewhere: 0/1/2/3 (limits flags, kinds,
// mutability, element/data segment flags), value and reference types, the
// function type tag, LEB continuation, a few opcodes.
const TYPICAL = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x7f, 0x7e, 0x7d, 0x7c, 0x70, 0x6f, 0x60, 0x40, 0x0b, 0x80, 0xff, 0x41, 0x45, 0x1a, 0x23, 0xd2];

/**
 * A mutated spec module from `seed`: { name, section, bytes, mutations,
 * rejected } (bytes null when no V8-valid mutation was found; rejected: up
 * to eight mutants V8 did not validate), or null without a spec suite. One
 * module in five stays unmutated. The section is chosen first (the code
 * section for one module in three, any other present section otherwise; a
 * section's header, id and size, one time in ten), then 1-4 bytes in it.
 */
export function specMutant(dir, seed) {
  const pool = specModules(dir);
  if (pool.length === 0) return null;
  const r = rng(seed);
  const base = pool[r() % pool.length];
  if (r() % 5 === 0) return { name: base.name, section: "none", bytes: base.bytes, mutations: 0, rejected: [] };
  const secs = sections(base.bytes).filter((s) => s.end > s.start || s.start > s.headerStart);
  const others = secs.filter((s) => s.id !== 10 && s.id !== 0);
  const code = secs.find((s) => s.id === 10);
  const sec = code && (r() % 3 === 0 || others.length === 0) ? code : others[r() % others.length] ?? code;
  const header = r() % 10 === 0;
  const [start, end] = header ? [sec.headerStart, sec.start] : [sec.start, Math.max(sec.end, sec.start + 1)];
  const section = `${SECTION_NAMES[sec.id] ?? sec.id}${header ? " header" : ""}`;
  const rejected = []; // mutants V8 rejects: wrt must reject them too
  for (let attempt = 0; attempt < 40; attempt++) {
    const bytes = base.bytes.slice();
    const n = 1 + (r() % 4);
    for (let k = 0; k < n; k++) {
      const at = Math.min(start + (r() % (end - start)), bytes.length - 1);
      const how = r() % 4;
      if (how === 0) bytes[at] = r() & 0xff;                 // any byte
      else if (how === 1) bytes[at] ^= 1 << (r() % 8);        // one bit
      else if (how === 2) bytes[at] = (bytes[at] + (r() % 2 ? 1 : 0xff)) & 0xff; // a neighbour: opcode, index, flag
      else bytes[at] = TYPICAL[r() % TYPICAL.length];
    }
    if (WebAssembly.validate(bytes)) return { name: base.name, section, bytes, mutations: n, rejected };
    if (rejected.length < 8) rejected.push(bytes);
  }
  return { name: base.name, section, bytes: null, mutations: 0, rejected };
}
