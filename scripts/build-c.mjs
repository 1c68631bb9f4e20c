// Builds the C translation of the interpreter (docs/firmware.md):
//
//   build/wrt-c.wasm --wasm2c--> build/c/wrt.c, build/c/wrt.h
//   (build/wrt.wasm as Node runs it, without the dispatch loop's successor
//   checks for V8: assembly/c-build.ts)
//   + copies of the wasm2c runtime headers/sources of the installed wabt
//     (build/c/wasm-rt.h, wasm-rt-impl.h, wasm-rt-impl.c; never committed)
//
// Usage: node scripts/build-c.mjs [--native] [--sanitize] [--wasm PATH] [--out DIR]
//   --native  also builds build/wrt-native (host-shims/c/native, gcc -O2)
//   --sanitize  with --native (implied): builds build/wrt-native-asan instead,
//             with AddressSanitizer and UndefinedBehaviorSanitizer (-O1 -g,
//             any report aborts; the wasm2c runtime checks bounds explicitly
//             instead of by guard pages and SIGSEGV, which ASan owns). The
//             fuzzers run the native engine on it (WRT_NATIVE_BIN).
//   --wasm    another interpreter build (default build/wrt-c.wasm); --out its
//             C directory (default build/c). The device build:
//             --wasm build/wrt-device.wasm --out build/c-device
//
// Reproducible: wasm2c's output depends only on its input and version; the
// script records both (sha256 of the input, `wasm2c --version`) in
// build/c/STAMP and skips the translation when they have not changed.
//
// One edit of the output (patchMemAccess below): every load and store of the
// interpreter's memory takes its address through WRT_MEM_AT(mem, base,
// offset) (or WRT_MEM_PTR(mem, addr)), which default to wasm2c's own
// `&mem->data[base + offset]`: the same code unless a build defines them.
// The board build's masked arena (host-shims/c/wrt_masked.h,
// docs/firmware.md) defines them as one AND on the base.
//
// A second edit (patchDispatch below) gives the dispatch loop (w2c_wrt_run)
// two options the native build turns on (docs/internal-code.md, "The native
// build"): WRT_THREADED_DISPATCH (each op jumps to the next op's handler
// through a table of label addresses, instead of back to one `switch`) and
// WRT_RUN_DATA (the loop's loads and stores take the memory's base from a
// local, which needs memory that never moves: guard pages). Off, the code is
// wasm2c's.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const wasmArg = args.indexOf("--wasm");
const wasm = path.resolve(root, wasmArg >= 0 ? args[wasmArg + 1] : "build/wrt-c.wasm");
const outArg = args.indexOf("--out");
const outDir = path.resolve(root, outArg >= 0 ? args[outArg + 1] : "build/c");

// Where Debian's wabt puts the runtime (toolchain.md). WASM2C_RT_DIR overrides.
const RT_SOURCES = [
  [process.env.WASM2C_RT_H ?? "/usr/include/wasm-rt.h", "wasm-rt.h"],
  [path.join(process.env.WASM2C_RT_DIR ?? "/usr/share/wabt/wasm2c", "wasm-rt-impl.h"), "wasm-rt-impl.h"],
  [path.join(process.env.WASM2C_RT_DIR ?? "/usr/share/wabt/wasm2c", "wasm-rt-impl.c"), "wasm-rt-impl.c"],
];

function die(msg) {
  console.error(`build-c: ${msg}`);
  process.exit(1);
}

function tool(cmd, argv) {
  try {
    return execFileSync(cmd, argv, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  } catch (e) {
    if (e.code === "ENOENT") die(`${cmd} not found (Debian package: ${cmd === "wasm2c" ? "wabt" : cmd})`);
    throw e;
  }
}

if (!existsSync(wasm)) die(`${path.relative(root, wasm)} is missing: run \`npm run build:wasm\` first`);
// Debian's wasm2c (1.0.32, see shared notes), not the npm `wabt` package's
// wasm2c.js that `npm run` puts first on PATH (it is another version and
// runs out of memory on the interpreter).
const WASM2C = existsSync("/usr/bin/wasm2c") ? "/usr/bin/wasm2c" : "wasm2c";
const version = tool(WASM2C, ["--version"]).trim();
for (const [src] of RT_SOURCES) if (!existsSync(src)) die(`wasm2c runtime file ${src} missing (Debian package: wabt)`);

mkdirSync(outDir, { recursive: true });
const sha = createHash("sha256").update(readFileSync(wasm)).digest("hex");
// Bump when the edit of the output changes (a stale translation is then redone).
const MEM_PATCH = 9;
// Static offsets up to this go through WRT_MEM_AT (wrt_masked.h keeps that
// much slack after the arena); larger ones, through WRT_MEM_PTR.
const MEM_AT_MAX_OFFSET = 4088;
const stamp = `wasm2c ${version}\ninput ${path.relative(root, wasm)} sha256 ${sha}\npatch mem-access ${MEM_PATCH}\n`;
const stampFile = path.join(outDir, "STAMP");
const upToDate = existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp &&
  existsSync(path.join(outDir, "wrt.c")) && existsSync(path.join(outDir, "wrt.h"));
if (!upToDate) {
  // Into a private directory, then renamed: concurrent builds never see half a file.
  const tmp = mkdtempSync(path.join(outDir, ".tmp-"));
  try {
    tool(WASM2C, [wasm, "-n", "wrt", "-o", path.join(tmp, "wrt.c")]);
    patchMemAccess(path.join(tmp, "wrt.c"));
    patchDispatch(path.join(tmp, "wrt.c"));
    renameSync(path.join(tmp, "wrt.h"), path.join(outDir, "wrt.h"));
    renameSync(path.join(tmp, "wrt.c"), path.join(outDir, "wrt.c"));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  writeFileSync(stampFile, stamp);
}
for (const [src, name] of RT_SOURCES) writeIfChanged(path.join(outDir, name), readFileSync(src));

/**
 * Writes `data` to `file` unless it already holds exactly that; else into a
 * temporary file renamed over it, so that a compiler reading `file` at the
 * same time (a firmware build of another test) never sees half of it.
 */
function writeIfChanged(file, data) {
  const bytes = Buffer.from(data);
  if (existsSync(file) && readFileSync(file).equals(bytes)) return;
  const tmp = `${file}.tmp${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
}

/**
 * Routes the address of every load and store of the generated code through
 * WRT_MEM_AT(mem, base, offset) (a `NAME_at` twin of each of wasm2c's
 * accessors; call sites `NAME(&instance->w2c_memory, (u64)(x) + Ku` become
 * `NAME_at(&instance->w2c_memory, x, Ku`) or, for offsets past
 * MEM_AT_MAX_OFFSET, WRT_MEM_PTR(mem, addr). Both default to wasm2c's own
 * expression. Fails unless wasm2c's output has exactly the expected shape
 * (another wasm2c version).
 */
function patchMemAccess(file) {
  const fail = (what) => die(`${path.basename(file)}: ${what} (wasm2c ${version}?): the load/store edit needs updating`);
  let text = readFileSync(file, "utf8");
  const site = "&mem->data[addr]";
  if (text.split(site).length - 1 !== 2) fail(`expected 2 uses of ${site} in the load/store macros`);
  text = text.split(site).join("WRT_MEM_PTR(mem, addr)");
  const anchor = '#include "wrt.h"\n';
  if (!text.includes(anchor)) fail(`no ${anchor.trim()} line`);
  text = text.replace(anchor, `${anchor}
/* scripts/build-c.mjs: the address of a load/store (host-shims/c/wrt_masked.h may mask it) */
#ifndef WRT_MEM_PTR
#define WRT_MEM_PTR(mem, addr) (&(mem)->data[addr])
#endif
#ifndef WRT_MEM_AT
#define WRT_MEM_AT(mem, base, off) WRT_MEM_PTR(mem, (u64)(base) + (off))
#endif
#define WRT_MEM_AT_MAX_OFFSET ${MEM_AT_MAX_OFFSET}u
#if defined(WRT_MEM_AT_SLACK) && WRT_MEM_AT_MAX_OFFSET + 8 > WRT_MEM_AT_SLACK
#error "WRT_MEM_AT_SLACK (wrt_masked.h) must cover scripts/build-c.mjs's MEM_AT_MAX_OFFSET + 8"
#endif
`);
  // The accessors: DEFINE_LOAD(name, t1, t2, t3) / DEFINE_STORE(name, t1, t2) lines.
  const defs = [...text.matchAll(/^DEFINE_(LOAD|STORE)\((\w+), [\w, ]+\)$/gm)];
  if (defs.length < 20) fail(`found ${defs.length} DEFINE_LOAD/DEFINE_STORE lines`);
  const last = defs[defs.length - 1];
  const twins = `
/* scripts/build-c.mjs: each accessor again, the address as base + static offset */
#if WABT_BIG_ENDIAN
#error "scripts/build-c.mjs's load/store edit assumes a little-endian target"
#endif
#define DEFINE_LOAD_AT(name, t1, t2, t3)                                       \\
  static inline t3 name##_at(wasm_rt_memory_t* mem, u32 base, u32 off) {      \\
    MEMCHECK(mem, (u64)base + off, t1);                                       \\
    t1 result;                                                                \\
    wasm_rt_memcpy(&result, WRT_MEM_AT(mem, base, off), sizeof(t1));          \\
    wasm_asm("" ::"r"(result));                                               \\
    return (t3)(t2)result;                                                    \\
  }
#define DEFINE_STORE_AT(name, t1, t2)                                          \\
  static inline void name##_at(wasm_rt_memory_t* mem, u32 base, u32 off, t2 value) { \\
    MEMCHECK(mem, (u64)base + off, t1);                                       \\
    t1 wrapped = (t1)value;                                                   \\
    wasm_rt_memcpy(WRT_MEM_AT(mem, base, off), &wrapped, sizeof(t1));         \\
  }
${defs.map((d) => d[0].replace(/^DEFINE_(LOAD|STORE)\(/, "DEFINE_$1_AT(")).join("\n")}
`;
  const at = last.index + last[0].length + 1;
  text = text.slice(0, at) + twins + text.slice(at);
  const names = defs.map((d) => d[2]);
  const call = new RegExp(`\\b(${names.join("|")})\\(&instance->w2c_memory, \\(u64\\)\\((w2c_\\w+)\\)(?: \\+ (\\d+)u?)?(?=[,)])`, "g");
  const all = new RegExp(`\\b(${names.join("|")})\\(&instance->w2c_memory, `, "g");
  const total = (text.match(all) ?? []).length;
  let rewritten = 0, kept = 0;
  text = text.replace(call, (m, name, base, off) => {
    const k = off === undefined ? 0 : Number(off);
    if (k > MEM_AT_MAX_OFFSET) { kept++; return m; }
    rewritten++;
    return `${name}_at(&instance->w2c_memory, ${base}, ${k}u`;
  });
  if (rewritten + kept !== total || rewritten === 0) fail(`${total} load/store calls, ${rewritten + kept} of the expected shape`);
  writeFileSync(file, text);
}

/**
 * Every jump op (Jump, the conditional and fused compare-and-jumps, Return,
 * ...) `break`s out of the switch to one block after it that pays the
 * landing block's fuel and dispatches the op there (interp.ts). Threaded,
 * that block's indirect jump is the one place every taken branch and
 * return of the guest dispatches from, and the CPU predicts each of them
 * from the same jump. With WRT_JUMP_LANDING (the native build) each jump
 * handler gets its own copy of that block in place of its `goto`, so the
 * guest's branches are predicted one by one, as straight-line ops are.
 * The block is found as the label with the most gotos whose code runs to a
 * WRT_NEXT_OP. Its slow path (fuel fell short: binaryen inlines the
 * pay-back loop there) has labels of its own, which C allows once per
 * function: the copies keep only the fast path and `goto` the one original
 * for the slow path (landingFastPath). Finding no such block fails the
 * build, so a change to the loop's shape cannot silently turn this off.
 */
function inlineJumpLanding(body, pc, loop, fail) {
  const next = `WRT_NEXT_OP(${pc}, ${loop});`;
  let best = null;
  for (const m of body.matchAll(/\n(\s*)(w2c_B\d+):;\n/g)) {
    const start = m.index + m[0].length;
    const end = body.indexOf(next, start);
    if (end < 0) continue;
    const code = body.slice(start, end + next.length);
    if (/return|switch|WRT_NEXT_OP\(/.test(code.slice(0, -next.length))) continue;
    const split = landingFastPath(code);
    if (!split || split.fast.split("\n").length > 30) continue;
    const uses = body.split(`goto ${m[2]};`).length - 1;
    if (!best || uses > best.uses) best = { label: m[2], code, uses, ...split };
  }
  if (!best || best.uses < 10) fail(`no shared jump landing block in w2c_wrt_run (most gotos ${best ? best.uses : 0}), so WRT_JUMP_LANDING would do nothing`);
  const copy = `{\n#if WRT_JUMP_LANDING\n${best.fast}\n#else\ngoto ${best.label};\n#endif\n}`;
  const at = body.indexOf(`${best.label}:;\n${best.code}`);
  body = body.slice(0, at) + `${best.label}:;\n${best.original}` + body.slice(at + best.label.length + 3 + best.code.length);
  return body.split(`goto ${best.label};`).join(copy);
}

/**
 * Splits a landing block's code into the fast path that each jump gets a
 * copy of and the original, which keeps the slow path. Straight code (no
 * label, no goto) is copied whole. Otherwise the innermost `{ ... }` that
 * holds every label and goto (the slow path, an `if` body) is the part
 * left out: the copies jump into the original's, at a label put first in
 * it. Null when the labels' gotos leave that region (not a landing block).
 */
function landingFastPath(code) {
  const marks = [...code.matchAll(/(w2c_[BL]\d+):|goto (w2c_[BL]\d+);/g)];
  if (marks.length === 0) return { fast: code, original: code };
  const defined = new Set(marks.filter((m) => m[1]).map((m) => m[1]));
  if (marks.some((m) => m[2] && !defined.has(m[2]))) return null;
  const lo = marks[0].index, hi = marks[marks.length - 1].index;
  let region = null;
  const open = [];
  for (let i = 0; i < code.length; i++) {
    if (code[i] === "{") open.push(i);
    else if (code[i] === "}") {
      const o = open.pop();
      if (o === undefined) return null;
      if (o < lo && i > hi && (!region || o > region.o)) region = { o, c: i };
    }
  }
  if (!region || open.length) return null;
  const slow = "wrt_jump_landing_slow";
  return {
    fast: code.slice(0, region.o + 1) + `\n  goto ${slow};\n` + code.slice(region.c),
    original: code.slice(0, region.o + 1) + `\n  ${slow}:;` + code.slice(region.o + 1),
  };
}

/**
 * The dispatch loop's two options (see the header). In w2c_wrt_run: the
 * `switch` on the op byte at the loop head gets a table of its 256 targets'
 * label addresses, every `goto` to the loop head becomes WRT_NEXT_OP (the
 * next op's dispatch, right there), and every load/store of the
 * interpreter's memory goes through WRT_RUN_ACCESS(name)(WRT_RUN_MEM, ...).
 * A translation without the dense switch (the device build, asc -O0) is
 * left as it is; otherwise fails unless the loop has exactly the expected
 * shape, and the native build fails if its translation was not edited.
 */
function patchDispatch(file) {
  const fail = (what) => die(`${path.basename(file)}: ${what} (wasm2c ${version}?): the dispatch edit needs updating`);
  let text = readFileSync(file, "utf8");
  const head = "static u32 w2c_wrt_run(Z_wrt_instance_t* instance, u64 w2c_p0) {\n";
  const a = text.indexOf(head);
  if (a < 0 || text.indexOf(head, a + 1) >= 0) fail("no single w2c_wrt_run definition");
  const b = text.indexOf("\n}\n", a) + 3;
  let body = text.slice(a, b);
  const sw = /\n(\s*)(w2c_L\d+): \n\s*w2c_i0 = (w2c_l\d+);\n\s*w2c_i0 = i32_load8_u_at\(&instance->w2c_memory, w2c_i0, 0u\);\n\s*switch \(w2c_i0\) \{\n((?:\s*case \d+: goto w2c_B\d+;\n)+)(\s*default: goto w2c_B\d+;\n)\s*\}\n/.exec(body);
  if (!sw) return; // the device build (asc -O0: no dense switch) keeps wasm2c's code; the native build checks below
  const [whole, ind, loop, pc, cases] = sw;
  const targets = [...cases.matchAll(/case (\d+): goto (w2c_B\d+);/g)];
  if (targets.length !== 256 || targets.some((t, i) => Number(t[1]) !== i)) fail(`the dispatch switch has ${targets.length} cases, not 0..255`);
  const jumps = body.split(`goto ${loop};`).length - 1;
  if (jumps < 200) fail(`only ${jumps} jumps to the loop head`);
  const threaded = `\n#if WRT_THREADED_DISPATCH\n${ind}${loop}: \n${ind}  WRT_NEXT_OP(${pc}, ${loop});\n#else` +
    whole.replace(/\n$/, "").replace("i32_load8_u_at(&instance->w2c_memory, ", "WRT_RUN_ACCESS(i32_load8_u)(WRT_RUN_MEM, ") + "\n#endif\n";
  body = body.replace(whole, threaded);
  body = body.split(`goto ${loop};`).join(`WRT_NEXT_OP(${pc}, ${loop});`);
  body = inlineJumpLanding(body, pc, loop, fail);
  const table = `#if WRT_THREADED_DISPATCH\n  static void* const wrt_ops[256] = {${targets.map((t) => `&&${t[2]}`).join(", ")}};\n#endif\n`;
  const prologue = "  FUNC_PROLOGUE;\n";
  if (!body.includes(prologue)) fail("no FUNC_PROLOGUE in w2c_wrt_run");
  body = body.replace(prologue, `${prologue}  WRT_RUN_DATA_DECL\n${table}`);
  const names = [...text.matchAll(/^DEFINE_(?:LOAD|STORE)\((\w+),/gm)].map((m) => m[1]);
  const access = new RegExp(`\\b(${names.join("|")})_at\\(&instance->w2c_memory, `, "g");
  let n = 0;
  body = body.replace(access, (m, name) => { n++; return `WRT_RUN_ACCESS(${name})(WRT_RUN_MEM, `; });
  if (n < 1000) fail(`only ${n} loads and stores in w2c_wrt_run`);
  // A load whose address is a sum just computed (a slot: fp + its offset)
  // takes both terms: with WRT_RUN_DATA they are added in 64 bits, which
  // saves the 32-bit wrap's zero extension per operand (the interpreter's
  // own addresses never wrap; past 4 GiB is a guard page).
  // (The loaded value goes to the temporary of the same stack depth, of
  // any type: the address's temporary is dead after the load.)
  const sum = /(w2c_i(\d+)) \+= (w2c_i\d+);\n(\s*)(w2c_[ijfd]\2) = WRT_RUN_ACCESS\((\w+)\)\(WRT_RUN_MEM, \1, (\d+)u\);/g;
  let sums = 0;
  body = body.replace(sum, (m, x, depth, y, ind, dst, name, off) => { sums++; return `${dst} = WRT_RUN_ACCESS2(${name})(WRT_RUN_MEM, ${x}, ${y}, ${off}u);`; });
  if (sums < 100) fail(`only ${sums} loads of a just computed sum in w2c_wrt_run`);
  // A store whose address is such a sum (`x += y;`, then x stays untouched
  // until the store takes it as its address) gets the sum in 64 bits too:
  // the sum is kept in a u64 beside x, and the store uses it (with
  // WRT_RUN_DATA only: otherwise WRT_RUN_SUM64 is the plain 32-bit add and
  // the store takes x, as wasm2c wrote them, for the boards).
  let storeSums = 0;
  const lines = body.split("\n");
  const storeAt = /^(\s*)WRT_RUN_ACCESS\((\w+_store\w*)\)\(WRT_RUN_MEM, (w2c_i\d+), (\d+)u, (.*)$/;
  for (let i = 0; i < lines.length; i++) {
    const s = storeAt.exec(lines[i]);
    if (!s) continue;
    const x = s[3];
    for (let j = i - 1; j > i - 30 && j > 0; j--) {
      const l = lines[j].trim();
      const add = new RegExp(`^${x} \\+= (w2c_i\\d+);$`).exec(l);
      if (add) {
        const t = `wrt_a${x.slice(5)}`;
        lines[j] = lines[j].replace(l, `WRT_RUN_SUM64(${t}, ${x}, ${add[1]});`);
        lines[i] = `${s[1]}WRT_RUN_STORE64(${s[2]})(WRT_RUN_MEM, ${t}, ${x}, ${s[4]}u, ${s[5]}`;
        storeSums++;
        break;
      }
      // anything that may write x or leave straight-line code ends the search
      if (new RegExp(`^${x} [^=\\s]*=(?!=)`).test(l) || /:;$|goto|^if|^[{}]|^}/.test(l)) break;
    }
  }
  body = lines.join("\n");
  if (storeSums < 100) fail(`only ${storeSums} stores to a just computed sum in w2c_wrt_run`);
  const temps = [...new Set([...body.matchAll(/\bwrt_a(\d+)\b/g)].map((m) => Number(m[1])))].sort((p, q) => p - q);
  const sumDecl = `u64 ${temps.map((k) => `wrt_a${k} = 0`).join(", ")};`;
  // The loop's u32 locals (pc, fp, ...) declared u64 (WRT_LOOP_LOCAL; u32
  // without WRT_RUN_DATA: a 32-bit board keeps them 32-bit): wasm2c only ever
  // assigns them from u32 temporaries and reads them into u32 temporaries,
  // so their values stay below 2^32 and the code means the same, but gcc then
  // knows they are zero-extended and indexes memory with them directly
  // instead of zero-extending pc and re-adding fp in every handler.
  const localDecl = "  u32 w2c_l1 = 0,";
  if (!body.includes(localDecl)) fail("no u32 locals in w2c_wrt_run");
  body = body.replace(localDecl, "  WRT_LOOP_LOCAL w2c_l1 = 0,");
  // the accessors on a base pointer (little-endian: checked by patchMemAccess)
  const defs = [...text.matchAll(/^DEFINE_(LOAD|STORE)\((\w+), (\w+), (\w+)(?:, (\w+))?\)$/gm)];
  // wasm2c's loads keep their read with an empty asm taking the value in a
  // general register; for a float that is a move out of an SSE register on
  // every f32/f64 slot read. The loop's float loads are never dead (and its
  // own memory is not where a guest's traps come from): no asm for them.
  const forceRead = (d) => /^f(32|64)$/.test(d[3]) ? "" : 'wasm_asm("" ::"r"(r)); ';
  const sumFns = defs.filter((d) => d[1] === "LOAD").flatMap((d) => [
    `static inline ${d[5]} ${d[2]}_d2(u8* data, u32 a, u32 b, u32 off) { ${d[3]} r; wasm_rt_memcpy(&r, data + (u64)a + (u64)b + off, sizeof(r)); ${forceRead(d)}return (${d[5]})(${d[4]})r; }`,
  ]);
  const sumAtFns = defs.filter((d) => d[1] === "LOAD").map((d) =>
    `static inline ${d[5]} ${d[2]}_at2(wasm_rt_memory_t* mem, u32 a, u32 b, u32 off) { return ${d[2]}_at(mem, a + b, off); }`);
  body = body.replace(prologue, `${prologue}  ${sumDecl}\n`);
  const store64Fns = defs.filter((d) => d[1] === "STORE").map((d) =>
    `static inline void ${d[2]}_d64(u8* data, u64 ea, u32 x, u32 off, ${d[4]} v) { ${d[3]} w = (${d[3]})v; wasm_rt_memcpy(data + ea + off, &w, sizeof(w)); }`);
  const store64AtFns = defs.filter((d) => d[1] === "STORE").map((d) =>
    `static inline void ${d[2]}_at64(wasm_rt_memory_t* mem, u64 ea, u32 x, u32 off, ${d[4]} v) { ${d[2]}_at(mem, x, off, v); }`);
  const dataFns = defs.map((d) => d[1] === "LOAD"
    ? `static inline ${d[5]} ${d[2]}_d(u8* data, u32 base, u32 off) { ${d[3]} r; wasm_rt_memcpy(&r, data + (u64)base + off, sizeof(r)); ${forceRead(d)}return (${d[5]})(${d[4]})r; }`
    : `static inline void ${d[2]}_d(u8* data, u32 base, u32 off, ${d[4]} v) { ${d[3]} w = (${d[3]})v; wasm_rt_memcpy(data + (u64)base + off, &w, sizeof(w)); }`);
  const macros = `
/* scripts/build-c.mjs: the dispatch loop's options (both off unless the build defines them) */
#if WRT_RUN_DATA
#if !WASM_RT_MEMCHECK_SIGNAL_HANDLER || defined(WRT_MEM_AT_SLACK)
#error "WRT_RUN_DATA needs guard-page memory (its base never moves) and wasm2c's own addressing"
#endif
${dataFns.join("\n")}
${sumFns.join("\n")}
${store64Fns.join("\n")}
#define WRT_RUN_DATA_DECL u8* const wrt_data = instance->w2c_memory.data;
#define WRT_RUN_ACCESS(name) name##_d
#define WRT_RUN_ACCESS2(name) name##_d2
#define WRT_RUN_STORE64(name) name##_d64
#define WRT_RUN_SUM64(s, x, y) (s = (u64)x + y, x = (u32)s)
#define WRT_LOOP_LOCAL u64
#define WRT_RUN_MEM wrt_data
#else
${sumAtFns.join("\n")}
${store64AtFns.join("\n")}
#define WRT_RUN_DATA_DECL
#define WRT_RUN_ACCESS(name) name##_at
#define WRT_RUN_ACCESS2(name) name##_at2
#define WRT_RUN_STORE64(name) name##_at64
#define WRT_RUN_SUM64(s, x, y) (x += y)
#define WRT_LOOP_LOCAL u32
#define WRT_RUN_MEM &instance->w2c_memory
#endif
#if WRT_THREADED_DISPATCH
#define WRT_NEXT_OP(pc, loop) { w2c_i0 = WRT_RUN_ACCESS(i32_load8_u)(WRT_RUN_MEM, pc, 0u); goto *wrt_ops[w2c_i0]; }
#else
#define WRT_NEXT_OP(pc, loop) goto loop;
#endif
`;
  text = text.slice(0, a) + macros + body + text.slice(b);
  writeFileSync(file, text);
}

// host-shims/c/wrt.h shares the generated header's name: the embedding
// includes the generated one through this file (quoted includes search the
// including file's directory first).
writeIfChanged(path.join(outDir, "wrt_gen.h"), '/* Generated by scripts/build-c.mjs */\n#include "wrt.h"\n');
const cSize = readFileSync(path.join(outDir, "wrt.c")).length;
console.log(`${path.relative(root, outDir)}/wrt.c: ${cSize} bytes (${upToDate ? "up to date" : "translated"}, wasm2c ${version})`);

const sanitize = args.includes("--sanitize");
if (args.includes("--native") || sanitize) {
  // Generated code and wasm-rt without warnings (not ours), our code with -Wall.
  const out = path.join(root, sanitize ? "build/wrt-native-asan" : "build/wrt-native");
  const objDir = path.join(outDir, sanitize ? "native-asan" : "native");
  mkdirSync(objDir, { recursive: true });
  const c = (p) => path.join(root, p);
  const cc = process.env.CC ?? "gcc";
  // -O2 with the x86-64-v2 baseline (every x86-64 CPU since 2009).
  //
  // The dispatch loop (w2c_wrt_run) runs 1.7x slower on this machine (AMD
  // EPYC) when its entry is 64-byte aligned, and at one speed at every other
  // offset tried (8 to 2864 bytes past a page start, 16 offsets; same
  // instruction counts): docs/internal-code.md, "The native build". Where
  // the linker put it used to depend on everything linked before it, so
  // unrelated changes moved the kernels by tens of percent. pin.h fixes its
  // place: 64-byte aligned, entry 16 bytes in (the nops before the entry
  // never run), whatever else changes.
  const pin = path.join(objDir, "pin.h");
  writeIfChanged(pin, `/* Generated by scripts/build-c.mjs: the dispatch loop's placement (see there). */
#include <stdint.h>
#include "wrt_gen.h" /* build/c: the generated header */
static uint32_t w2c_wrt_run(Z_wrt_instance_t*, uint64_t) __attribute__((aligned(64), patchable_function_entry(16, 16)));
`);
  const sanitizers = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer", "-g"];
  // The dispatch loop's options (patchDispatch): threaded always; the
  // memory base in a local only with guard pages (not under ASan).
  const loopOpts = ["-DWRT_THREADED_DISPATCH=1", "-DWRT_JUMP_LANDING=1", ...(sanitize ? [] : ["-DWRT_RUN_DATA=1"])];
  if (!readFileSync(path.join(outDir, "wrt.c"), "utf8").includes("WRT_NEXT_OP(")) die("wrt.c: the dispatch loop was not edited (patchDispatch): the native build needs it");
  // -ffp-contract=off: gcc must not fuse an f64 multiply and add into one FMA (F64MulAdd rounds twice, as Wasm does).
  const common = ["-std=gnu11", sanitize ? "-O1" : "-O2", "-ffp-contract=off", ...loopOpts,
    ...(process.arch === "x64" ? ["-march=x86-64-v2"] : []), "-DNDEBUG", "-DWRT_FORMAT_FLOATS=1", "-I", c("host-shims/c"), "-I", outDir,
    ...(sanitize ? [...sanitizers, "-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0"] : [])];
  const units = [
    [path.join(outDir, "wrt.c"), ["-w", "-include", pin]],
    [path.join(outDir, "wasm-rt-impl.c"), ["-w"]],
    [c("host-shims/c/wrt.c"), ["-Wall", "-Wextra", "-DWRT_SIGNATURES=1"]],
    [c("host-shims/c/wrt_log_posix.c"), ["-Wall", "-Wextra"]],
    [c("host-shims/c/native/main.c"), ["-Wall", "-Wextra"]],
    [c("host-shims/c/wasi.c"), ["-Wall", "-Wextra"]],
    // Ed25519 signature trailers (docs/signing.md): Monocypher 4.0.3, third party (BSD-2-Clause or CC0)
    [c("host-shims/c/wrt_sign.c"), ["-Wall", "-Wextra"]],
    [c("host-shims/c/third_party/monocypher/monocypher.c"), ["-w"]],
    [c("host-shims/c/third_party/monocypher/monocypher-ed25519.c"), ["-w"]],
  ];
  const t0 = Date.now();
  // Incremental: an object is compiled again only when its key changes: the
  // compiler and its version, the flags, the source and every header it may
  // include (all of host-shims/c, build/c and pin.h: contents, not times).
  // Without a compiler version (no compiler) everything is compiled (and
  // fails as before).
  let ccVersion = null;
  try { ccVersion = execFileSync(cc, ["-dumpfullversion", "-dumpversion"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim(); } catch { /* no key */ }
  const headers = createHash("sha256");
  const addHeaders = (dir, deep) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) { if (deep) addHeaders(f, deep); }
      else if (e.name.endsWith(".h")) headers.update(`${path.relative(root, f)}\0`).update(readFileSync(f));
    }
  };
  addHeaders(c("host-shims/c"), true);
  addHeaders(outDir, false);
  addHeaders(objDir, false);
  const headersId = headers.digest("hex");
  let compiled = 0;
  const objs = units.map(([src, flags]) => {
    const obj = path.join(objDir, path.basename(src).replace(/\.c$/, "") + (src.includes("host-shims") ? ".shim.o" : ".o"));
    const argv = [...common, ...flags, "-c", src, "-o", obj];
    const key = ccVersion === null ? null : createHash("sha256").update(JSON.stringify([cc, ccVersion, argv, headersId])).update(readFileSync(src)).digest("hex");
    if (key !== null && existsSync(obj) && existsSync(`${obj}.key`) && readFileSync(`${obj}.key`, "utf8") === key) return obj;
    rmSync(`${obj}.key`, { force: true });
    tool(cc, argv);
    if (key !== null) writeFileSync(`${obj}.key`, key);
    compiled++;
    return obj;
  });
  const linkArgv = [...objs, ...(sanitize ? sanitizers : []), "-lm", "-lpthread", "-o", out];
  const linkKey = ccVersion === null ? null
    : createHash("sha256").update(JSON.stringify([cc, ccVersion, linkArgv, objs.map((o) => readFileSync(`${o}.key`, "utf8"))])).digest("hex");
  const linkStamp = path.join(objDir, "link.key");
  if (compiled === 0 && linkKey !== null && existsSync(out) && existsSync(linkStamp) && readFileSync(linkStamp, "utf8") === linkKey) {
    console.log(`${path.relative(root, out)}: up to date`);
  } else {
    rmSync(linkStamp, { force: true });
    tool(cc, linkArgv);
    if (linkKey !== null) writeFileSync(linkStamp, linkKey);
    console.log(`${path.relative(root, out)}: ${cc} ${sanitize ? "-O1 ASan+UBSan" : "-O2"} in ${((Date.now() - t0) / 1000).toFixed(1)} s (${compiled} of ${objs.length} objects compiled)`);
  }
}
