// Extension proposal tables (docs/internal-code.md, "Ops past 256"): loads
// every scripts/isa/*.mjs that exports `extension`, checks it, and emits
//   assembly/binary/ext-ops.ts  the Wasm side: opcode lookup, immediates, signatures, fuel indices
//   assembly/exec/ext-ops.ts    the second-level dispatch: one case per op calling its semantics
// and gives gen.mjs the IR side (operand kinds per extension op, fuel costs).
//
// An extension op's IR word is Ir.Ext | x << 8, x its index here: tables in
// file-name order, rows in table order.
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Kind, Flag, Imm, ValType, Feature } from "./kinds.mjs";

/** Files in scripts/isa/ that are not proposal tables. */
const NOT_TABLES = new Set(["gen.mjs", "gen-ext.mjs", "kinds.mjs", "fuel.mjs", "core.mjs"]);

/** Wasm opcodes the hand-written core owns, per prefix (0 = single byte): an extension row may not take them. */
const CORE_CODES = {
  0: (c) => c <= 0x11 || (c >= 0x1A && c <= 0x1C) || (c >= 0x20 && c <= 0x26) || (c >= 0x28 && c <= 0xC4)
    || (c >= 0xD0 && c <= 0xD2) || c >= 0xFC,
  0xFC: (c) => c <= 17,
};

/** CamelCase op name from a Wasm mnemonic: "i8x16.extract_lane_s" -> "I8x16ExtractLaneS". */
export function camel(wasm) {
  return wasm.split(/[._]/).map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join("");
}

/** Loads the extension tables of `dir`: { rows, tables }, each row numbered (x) and checked. */
export async function loadExtensions(dir, fuelRanges) {
  const files = readdirSync(dir).filter((f) => f.endsWith(".mjs") && !NOT_TABLES.has(f)).sort();
  const tables = [];
  const rows = [];
  for (const f of files) {
    const t = await import(pathToFileURL(path.join(dir, f)).href);
    if (!t.extension) continue;
    const e = t.extension;
    const where = `scripts/isa/${f}`;
    const prefix = e.prefix ?? 0;
    if (![0, 0xFC, 0xFD, 0xFE].includes(prefix)) throw new Error(`${where}: prefix ${prefix} (null, 0xFC, 0xFD or 0xFE)`);
    const feature = e.feature == null ? 0 : Feature[e.feature];
    if (feature === undefined) throw new Error(`${where}: unknown feature ${e.feature} (scripts/isa/kinds.mjs Feature)`);
    const range = fuelRanges.find((r) => r.name == e.fuel);
    if (!range) throw new Error(`${where}: unknown fuel range ${e.fuel} (scripts/isa/fuel.mjs)`);
    const table = { file: f, proposal: t.proposal ?? f.replace(/\.mjs$/, ""), prefix, feature, range, sem: e.sem ?? null };
    tables.push(table);
    for (const r of t.ops ?? []) rows.push(rowOf(r, table, rows.length, where));
  }
  checkRows(rows);
  return { rows, tables };
}

function rowOf(r, table, x, where) {
  const name = r.name ?? (r.wasm ? camel(r.wasm) : null);
  const at = `${where}: ${r.wasm ?? name}`;
  if (!name || !/^[A-Z]\w*$/.test(name)) throw new Error(`${at}: needs a name (CamelCase)`);
  if (!r.sem && !r.body) throw new Error(`${at}: needs sem (a function of ${table.sem}) or body`);
  if (r.sem && !table.sem) throw new Error(`${at}: sem ${r.sem} but the table names no sem module`);
  const row = { x, name, table, wasm: r.wasm ?? null, sem: r.sem ?? null, body: r.body ?? null,
    traps: !!r.traps, cost: r.cost ?? 1, flags: r.flags ?? 0, comment: r.comment ?? "" };
  if (row.wasm) {
    if (!Number.isInteger(r.code) || r.code < 0) throw new Error(`${at}: code must be a non-negative integer`);
    row.code = r.code;
    row.imm = (r.imm ?? []).map((s) => immOf(s, at));
    const m = /^\s*([\w\s]*?)\s*->\s*([\w\s]*?)\s*$/.exec(r.sig ?? "");
    if (!m) throw new Error(`${at}: sig must read "params -> results"`);
    const types = (s) => s.split(/\s+/).filter(Boolean).map((n) => {
      if (!(n in ValType)) throw new Error(`${at}: unknown value type ${n}`);
      return n;
    });
    row.params = types(m[1]);
    row.results = types(m[2]);
    row.fuel = table.range.base + row.code;
    if (row.code >= table.range.size) throw new Error(`${at}: fuel index ${row.fuel} past range ${table.range.name}`);
    const slot = (t) => (t == "v128" ? Kind.Slot16 : Kind.Slot);
    row.groups = [
      ...row.results.map((t) => ({ what: "r", kind: slot(t), words: 1 })),
      ...row.params.map((t) => ({ what: "p", kind: slot(t), words: 1 })),
      ...row.imm.filter((i) => i.words > 0).map((i) => ({ what: "i", kind: i.kind, words: i.words, imm: i.name })),
    ];
    if (row.imm.some((i) => i.name == "memarg")) row.flags |= Flag.MEM0;
  } else {
    if (!Array.isArray(r.ir)) throw new Error(`${at}: an IR-only row (wasm: null) needs ir: [kinds]`);
    row.groups = r.ir.map((k) => ({ what: k == Kind.Slot || k == Kind.Slot16 ? "s" : "w", kind: k, words: 1 }));
  }
  row.kinds = row.groups.flatMap((g) => Array(g.words).fill(g.kind));
  if (row.kinds.includes(Kind.BrCount)) throw new Error(`${at}: extension ops have a fixed length`);
  if (row.kinds.length > 15) throw new Error(`${at}: at most 15 operand words`);
  return row;
}

function immOf(s, at) {
  const [name, arg] = s.split(":");
  const d = Imm[name];
  if (!d) throw new Error(`${at}: unknown immediate ${s} (scripts/isa/kinds.mjs Imm)`);
  const n = arg === undefined ? 0 : Number(arg);
  if (!Number.isInteger(n) || n < 0 || n > 255) throw new Error(`${at}: immediate ${s}: argument 0..255`);
  if ((name == "memarg" || name == "lane" || name == "lanes16") && arg === undefined) throw new Error(`${at}: ${name} needs :N`);
  return { name, code: d.code, arg: n, words: d.words, kind: d.kind };
}

function checkRows(rows) {
  const names = new Set();
  const codes = new Map();
  const fuel = new Map();
  for (const r of rows) {
    if (names.has(r.name)) throw new Error(`isa: extension op ${r.name} twice`);
    names.add(r.name);
    if (!r.wasm) continue;
    const p = r.table.prefix;
    const key = p * 0x10000 + r.code;
    if (codes.has(key)) throw new Error(`isa: ${r.wasm} and ${codes.get(key)} have the same opcode`);
    codes.set(key, r.wasm);
    if (CORE_CODES[p]?.(r.code)) throw new Error(`isa: ${r.wasm}: opcode ${r.code} belongs to the core`);
    if (p == 0 && r.code > 0xFF) throw new Error(`isa: ${r.wasm}: single-byte opcode past 0xFF`);
    if (fuel.has(r.fuel)) throw new Error(`isa: ${r.wasm} and ${fuel.get(r.fuel)} share fuel index ${r.fuel}`);
    fuel.set(r.fuel, r.wasm);
  }
  if (rows.length > 0xFFFFFF) throw new Error("isa: too many extension ops");
}

// ------------------------------------------------------------------ emitters

const hex = (x, n = 8) => "0x" + x.toString(16).padStart(n, "0");
const chunk = (a, n, f = String) => {
  const out = [];
  for (let i = 0; i < a.length; i += n) out.push("  " + a.slice(i, i + n).map(f).join(", ") + ",");
  return out.length ? out.join("\n") : "  0,";
};

/** assembly/binary/ext-ops.ts: what the decoder, validator and compiler read of each row. */
export function emitBinaryExt({ rows }, header) {
  const wasm = rows.filter((r) => r.wasm);
  const maps = {};
  for (const p of [0, 0xFC, 0xFD, 0xFE]) {
    const mine = wasm.filter((r) => r.table.prefix == p);
    const len = mine.length ? Math.max(...mine.map((r) => r.code)) + 1 : 0;
    const m = new Array(len).fill(0);
    for (const r of mine) m[r.code] = r.x + 1;
    maps[p] = m;
  }
  // pool: per row its immediates (code, arg pairs), then params, then results (value type bytes)
  const pool = [];
  const recs = [];
  for (const r of rows) {
    if (!r.wasm) { recs.push(0, 0); continue; }
    const off = pool.length;
    for (const i of r.imm) pool.push(i.code, i.arg);
    for (const t of r.params) pool.push(ValType[t]);
    for (const t of r.results) pool.push(ValType[t]);
    if (off > 0xFFFF || r.imm.length > 15 || r.params.length > 15 || r.results.length > 15) throw new Error(`isa: ${r.wasm}: too large`);
    // word 0: pool offset | immediates << 16 | params << 20 | results << 24 | 1 << 28 (a Wasm op)
    recs.push((off | (r.imm.length << 16) | (r.params.length << 20) | (r.results.length << 24) | (1 << 28)) >>> 0);
    // word 1: fuel index | feature bits << 16
    recs.push((r.fuel | (r.table.feature << 16)) >>> 0);
  }
  const immEnum = Object.entries(Imm).map(([k, v]) => `  ${k.charAt(0).toUpperCase() + k.slice(1)} = ${v.code},`).join("\n");
  const mapDecl = (p, name) => `const ${name}_LEN: u32 = ${maps[p].length};\nconst ${name}: usize = EXT_ON ? memory.data<u16>([\n${chunk(maps[p], 16)}\n]) : 0;`;
  return `${header("The Wasm side of the extension proposals' ops (docs/internal-code.md, \"Ops past 256\"):\n// opcode lookup, immediates, signatures, fuel indices. Read by binary/ext.ts, valid/code.ts and the compiler.")}
/** Extension ops (IR: Ir.Ext | x << 8). */
export const EXT_COUNT: u32 = ${rows.length};
/** Extension ops are compiled in: some table has rows, and this is not the device build (optimize level 0,
 *  as exec/memops.ts) unless built with SIMD (device-simd.ts; all rows are SIMD's today). Every hook tests
 *  it first, so without them the build is the core's alone. */
export const EXT_ON: bool = (ASC_OPTIMIZE_LEVEL != 0 || isDefined(WRT_DEVICE_SIMD)) && EXT_COUNT != 0;

/** Immediate kinds (scripts/isa/kinds.mjs Imm): what follows the opcode, in byte order. */
export const enum ExtImm {
${immEnum}
}

// Per prefix, opcode -> x + 1 (0: not an extension op). No data at all when compiled out.
${mapDecl(0, "MAP_00")}
${mapDecl(0xFC, "MAP_FC")}
${mapDecl(0xFD, "MAP_FD")}
${mapDecl(0xFE, "MAP_FE")}

// Two u32 per op: [pool offset | immediates << 16 | params << 20 | results << 24 | 1 << 28 (a Wasm op),
//                  fuel index | feature bits << 16]
const RECS: usize = EXT_ON ? memory.data<u32>([
${chunk(recs, 6, (v) => hex(v))}
]) : 0;

// Per op: its immediates as (kind, argument) byte pairs, then its params' and results' value types.
const POOL: usize = EXT_ON ? memory.data<u8>([
${chunk(pool, 24)}
]) : 0;

@inline function mapAt(map: usize, len: u32, code: u32): i32 {
  return code < len ? <i32>load<u16>(map + (<usize>code << 1)) - 1 : -1;
}

/** The extension op of Wasm opcode \`code\` after prefix \`prefix\` (0 for a single-byte opcode); -1 if none. */
export function extFind(prefix: u32, code: u32): i32 {
  switch (prefix) {
    case 0: return mapAt(MAP_00, MAP_00_LEN, code);
    case 0xFC: return mapAt(MAP_FC, MAP_FC_LEN, code);
    case 0xFD: return mapAt(MAP_FD, MAP_FD_LEN, code);
    case 0xFE: return mapAt(MAP_FE, MAP_FE_LEN, code);
  }
  return -1;
}

/** Does any extension op use prefix \`prefix\` (0xFC, 0xFD, 0xFE; 0: single-byte opcodes)? */
export function extPrefixUsed(prefix: u32): bool {
  switch (prefix) {
    case 0: return MAP_00_LEN != 0;
    case 0xFC: return MAP_FC_LEN != 0;
    case 0xFD: return MAP_FD_LEN != 0;
    case 0xFE: return MAP_FE_LEN != 0;
  }
  return false;
}

@inline function rec(x: i32): u32 { return load<u32>(RECS + (<usize>x << 3)); }

/** Decoder Feature bits that enable op x (0: always on). */
export function extFeature(x: i32): u32 { return load<u32>(RECS + (<usize>x << 3), 4) >>> 16; }
/** Fuel cost table index of op x (docs/fuel.md). */
export function extFuelIndex(x: i32): u32 { return load<u32>(RECS + (<usize>x << 3), 4) & 0xFFFF; }
export function extImmCount(x: i32): u32 { return (rec(x) >>> 16) & 15; }
export function extImmKind(x: i32, i: u32): u32 { return load<u8>(POOL + <usize>(rec(x) & 0xFFFF) + (<usize>i << 1)); }
export function extImmArg(x: i32, i: u32): u32 { return load<u8>(POOL + <usize>(rec(x) & 0xFFFF) + (<usize>i << 1) + 1); }
export function extParamCount(x: i32): u32 { return (rec(x) >>> 20) & 15; }
export function extResultCount(x: i32): u32 { return (rec(x) >>> 24) & 15; }
/** Value type of param i of op x. */
export function extParam(x: i32, i: u32): u8 {
  let r = rec(x);
  return load<u8>(POOL + <usize>(r & 0xFFFF) + <usize>(((r >>> 16) & 15) << 1) + <usize>i);
}
/** Value type of result i of op x. */
export function extResult(x: i32, i: u32): u8 {
  let r = rec(x);
  return load<u8>(POOL + <usize>(r & 0xFFFF) + <usize>(((r >>> 16) & 15) << 1) + <usize>((r >>> 20) & 15) + <usize>i);
}
`;
}

/** The semantics call of row r: its argument list and the generated inline function for a body row. */
function semCall(r) {
  const args = [];
  const params = [];
  if (r.flags & Flag.MEM0) { args.push("memBase", "memBytes"); params.push("mem: usize", "memBytes: u64"); }
  let off = 4;
  const count = { r: 0, p: 0, i: 0, s: 0, w: 0 };
  for (const g of r.groups) {
    const n = `${g.what}${count[g.what]++}`;
    if (g.kind == Kind.Slot || g.kind == Kind.Slot16) { args.push(`fp + load<u32>(pc, ${off})`); params.push(`${n}: usize`); }
    else if (g.kind == Kind.Global || g.kind == Kind.GlobalMut) { // the global's cell (runtime/store.ts), as the loop's GlobalGet
      args.push(`load<usize>(globalCells + (<usize>load<u32>(pc, ${off}) << alignof<usize>()))`); params.push(`${n}: usize`);
    }
    else if (g.words == 1) { args.push(`load<u32>(pc, ${off})`); params.push(`${n}: u32`); }
    else if (g.words == 2) { args.push(`load<u64>(pc, ${off})`); params.push(`${n}: u64`); }
    else { args.push(`pc + ${off}`); params.push(`${n}: usize`); }
    off += 4 * g.words;
  }
  return { args, params, bytes: off };
}

/** assembly/exec/ext-ops.ts: the second-level dispatch. */
export function emitExecExt({ rows, tables }, header) {
  const imports = new Map();
  for (const r of rows) {
    if (!r.sem) continue;
    const mod = "./" + r.table.sem;
    if (!imports.has(mod)) imports.set(mod, new Set());
    imports.get(mod).add(r.sem);
  }
  const lines = [header("The second-level dispatch of the extension proposals' ops (docs/internal-code.md, \"Ops past 256\"):\n// the loop's Ir.Ext case calls extOp; each case calls the row's semantics function.")];
  lines.push(`import { Trap } from "./trap";`);
  if (rows.length) lines.push(`import { Ir } from "../compile/ir-ops";`);
  for (const [mod, names] of [...imports].sort()) lines.push(`import { ${[...names].sort().join(", ")} } from "${mod}";`);
  lines.push("");
  for (const r of rows.filter((r) => r.body)) {
    const { params } = semCall(r);
    lines.push(`// ${r.table.file}: ${r.wasm ?? r.name}`);
    lines.push(`@inline function sem${r.name}(${params.join(", ")}): ${r.traps ? "Trap" : "void"} {`);
    for (const l of r.body.trim().split("\n")) lines.push("  " + l.trim());
    lines.push("}", "");
  }
  lines.push("/** Where the last extension op that trapped is (extOp returned -trap): the loop reports that position. */");
  lines.push("export let extTrapPc: usize = 0;");
  lines.push("");
  lines.push("/**");
  lines.push(" * Runs the extension op at pc (word Ir.Ext | x << 8) and the extension ops");
  lines.push(" * straight after it, up to the first other op: the bytes they take, or -trap");
  lines.push(" * with extTrapPc at the op that trapped (docs/internal-code.md, \"Runs of");
  lines.push(" * extension ops\": fuel is paid per block, so the run stops exactly where a");
  lines.push(" * planted Halt or any core op is).");
  lines.push(" */");
  lines.push("export function extOp(pc: usize, fp: usize, memBase: usize, memBytes: u64, globalCells: usize): i32 {");
  if (rows.length) {
    lines.push("  let start = pc;");
    lines.push("  while (true) {");
    lines.push("    let n: usize = 0;");
    lines.push("    switch (load<u32>(pc) >>> 8) {");
    for (const r of rows) {
      const { args, bytes } = semCall(r);
      const fn = r.sem ?? `sem${r.name}`;
      const call = `${fn}(${args.join(", ")})`;
      const what = `${r.name}${r.wasm ? ` (${r.wasm})` : ""}`;
      if (r.traps) lines.push(`      case ${r.x}: { let t = ${call}; if (t != Trap.None) { extTrapPc = pc; return -<i32>t; } n = ${bytes}; break; } // ${what}`);
      else lines.push(`      case ${r.x}: { ${call}; n = ${bytes}; break; } // ${what}`);
    }
    lines.push("      default: { extTrapPc = pc; return -<i32>Trap.Unreachable; }");
    lines.push("    }");
    lines.push("    pc += n;");
    lines.push(`    if (load<u8>(pc) != <u8>Ir.Ext) return <i32>(pc - start); // the next op is not an extension op`);
    lines.push("  }");
    lines.push("  return 0; // not reached");
    lines.push("}", "");
  } else {
    lines.push("  extTrapPc = pc;");
    lines.push("  return -<i32>Trap.Unreachable;", "}", "");
  }
  return lines.join("\n");
}
