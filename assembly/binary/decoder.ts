// The binary decoder: module bytes -> Module (binary/module.ts).
//
// It checks everything the spec calls *malformed* (assert_malformed): the
// header, section ids, order and sizes, LEB128 lengths and ranges, UTF-8
// names, the encodings of types, limits, imports, exports and segments, the
// structure and immediates of every instruction (bodies and constant
// expressions), and the module-wide counts (function/code, data count).
// Typing (indices in range, stack types, constness) is valid/'s job.
//
// Each section is read through its own Reader bounded to the section, so a
// read past a section's end fails there instead of wandering into the next.
// Errors are sticky in the Reader; decodeModule copies the first one to
// `lastError` with a detail such as "in section 10 (code), function 3".
//
//   magic "\0asm" | version 1 | (id:u8 size:u32 payload[size])*
//
// Code bodies, constant expressions and data payloads stay byte ranges in
// `Module.bytes`; only local declarations are expanded.

import { Reader } from "./reader";
import {
  Module, FuncType, Import, Export, Global, GlobalType, TableType, MemType,
  Limits, ConstExpr, ElemSegment, DataSegment, FuncBody, CustomSection,
  ValType, ExternKind, SectionId, SegmentMode,
} from "./module";
import { Op, OpFC } from "./opcodes";
import { EXT_ON, extFind, extFeature, extPrefixUsed } from "./ext-ops";
import { readExtImmediates } from "./ext";
import { Err, lastError } from "../errors";
import { beginLoad } from "../runtime/load-budget";
import { limits } from "../runtime/limits";
import { SIMD_BUILT } from "../build-features";

/** Most locals (after the parameters) one function may declare. */
export const MAX_LOCALS: u32 = 50000;

// Limits that keep a load linear in time and bounded in memory whatever the
// module's shape (docs/embedding-api.md, "Load limits"). Not in the device
// build (isDefined(WRT_DEVICE)): a board loads images, within its arena. The per-item ones are
// V8's (src/wasm/wasm-limits.h), so a module V8 loads is not refused here
// for its shape; MAX_MODULE_LOCALS bounds what local declarations expand to
// (a few bytes declare 50,000 locals: without it 1 MB of bodies asked for
// gigabytes).
export const MAX_PARAMS: u32 = 1000;
export const MAX_RESULTS: u32 = 1000;
export const MAX_TYPES: u32 = 1000000;
export const MAX_IMPORTS: u32 = 100000;
export const MAX_FUNCTIONS: u32 = 1000000;
export const MAX_TABLES: u32 = 100000;
export const MAX_MEMORIES: u32 = 100000;
export const MAX_GLOBALS: u32 = 1000000;
export const MAX_EXPORTS: u32 = 100000;
export const MAX_ELEM_SEGMENTS: u32 = 10000000;
export const MAX_DATA_SEGMENTS: u32 = 100000;
export const MAX_TAGS: u32 = 1000000;
export const MAX_BODY_BYTES: u32 = 7654321;
export const MAX_MODULE_LOCALS: u32 = 1 << 22;

// What loading costs the interpreter's memory, estimated before it is
// allocated: per item of each section and per byte of it, measured on
// modules made of one kind of item (tests/node/load-limits.test.mjs),
// covering the decoded module and what validation and compilation keep
// or leave behind (the minimal runtime collects no garbage during a load).
// A load estimated above the load budget (limits.loadBudgetBytes, or by
// default the larger of 48 MB and 48 bytes per module byte) is refused
// before it takes the memory.
export const DEFAULT_LOAD_BYTES: u64 = 48 << 20;
export const DEFAULT_LOAD_PER_BYTE: u64 = 48;

// Per section id (0 custom .. 13 tag): most items, estimated bytes per item
// and per byte of the section. Sections without an item vector have 0 items.
const MAX_ITEMS: StaticArray<u32> = [0, MAX_TYPES, MAX_IMPORTS, MAX_FUNCTIONS, MAX_TABLES, MAX_MEMORIES,
  MAX_GLOBALS, MAX_EXPORTS, 0, MAX_ELEM_SEGMENTS, MAX_FUNCTIONS, MAX_DATA_SEGMENTS, 0, MAX_TAGS];
// a function's item (section 3) covers its body, compiled code and the compiler's leftovers
const ITEM_COST: StaticArray<u16> = [0, 600, 400, 1300, 200, 200, 450, 350, 0, 350, 100, 350, 0, 200];
const BYTE_COST: StaticArray<u8> = [1, 2, 3, 1, 1, 1, 2, 3, 1, 16, 24, 1, 1, 1];

/**
 * A section's item count against its limit, and its estimated cost (items
 * and bytes) against the load budget, before the section is read.
 */
function sectionFits(s: Reader, id: u32, size: u32): bool {
  let n: u32 = 0;
  let max = MAX_ITEMS[id];
  if (max != 0) {
    let at = s.pos;
    n = s.u32leb();
    if (s.failed) return false;
    s.pos = at;
    if (overLimit(s, at, n, max, "items")) return false;
  }
  return charge(s, <u64>n * ITEM_COST[id] + <u64>size * BYTE_COST[id]);
}

/** Adds `bytes` to the load's estimated cost; fails `r` (LimitExceeded) past the budget. */
function charge(r: Reader, bytes: u64): bool {
  loadCost += bytes;
  if (loadCost <= loadCostLimit) return true;
  limitText = "loading needs more than " + (<u32>(loadCostLimit >> 10)).toString() + " KiB (estimated; the load budget)";
  r.fail(Err.LimitExceeded);
  return false;
}

/** Optional proposals the decoder accepts (bit set); Wasm 2.0 core is always on. */
export const enum Feature {
  /** 0xFD prefix and v128 (Wasm 2.0; a flag so a build can leave it out). */
  SIMD = 1,
  RelaxedSIMD = 2,
  /** return_call, return_call_indirect. */
  TailCall = 4,
  /** try_table, throw, throw_ref, exnref, the tag section and tag imports/exports. */
  Exceptions = 8,
  /** The legacy try/catch/catch_all/delegate/rethrow (also needs Exceptions for tags). */
  LegacyExceptions = 16,
}

/** Proposals enabled for the next decodeModule / skipInstruction calls (decodeModule sets it from limits). */
export let decoderFeatures: u32 = 0;

/** The embedder's feature switches (config keys 17, 18) as Feature bits; relaxed SIMD needs SIMD. */
function featuresFromLimits(): u32 {
  if (!SIMD_BUILT || !limits.simd) return 0; // a device build without SIMD: refused with featureOff
  return Feature.SIMD | (limits.relaxedSimd ? Feature.RelaxedSIMD : 0);
}

/** Refuses an opcode or type of a proposal that is turned off, naming it; OP_INVALID. */
function featureOff(r: Reader, at: u32, missing: u32): u32 {
  limitText = !SIMD_BUILT ? "SIMD is not in this build (the device build without --device-features simd)"
    : (missing & Feature.SIMD) != 0 || (decoderFeatures & Feature.SIMD) == 0
    ? "SIMD is off (config key 17, Node config simd, CLI --enable-simd)"
    : "relaxed SIMD is off (config key 18, Node config relaxedSimd, CLI --enable-relaxed-simd)";
  r.fail(Err.FeatureDisabled, at);
  return OP_INVALID;
}

/** skipInstruction's result when it failed (the error is in the Reader). */
export const OP_INVALID: u32 = 0xFFFFFFFF;
/** Prefixed opcodes are returned as (prefix << 16) | sub-opcode. */
export const OP_FC: u32 = 0xFC0000;
export const OP_FD: u32 = 0xFD0000;
export const OP_FE: u32 = 0xFE0000;

// ---- decode state of the current call (decodeModule is not re-entrant) ----

/** Length of the whole module, to tell "body too short" from "input ended". */
let moduleLen: u32 = 0;
/** Section being decoded (-1: header / section framing), for error details. */
let curSection: i32 = -1;
/** What the current item is ("function", "segment", ...) and its index. */
let curItemKind: string = "";
let curItem: i64 = -1;
const U32_MAX: u32 = 0xFFFFFFFF;
/** What a LimitExceeded failure exceeded ("100000 parameters, at most 1000"). */
let limitText: string = "";
/** Locals declared so far in this module (against MAX_MODULE_LOCALS). */
let moduleLocals: u64 = 0;
/** Estimated bytes the load takes so far (charge()), and the most it may take. */
let loadCost: u64 = 0;
let loadCostLimit: u64 = 0;
/** Set by skipInstruction when it meets memory.init or data.drop. */
let sawDataIndex: bool = false;
/** Open blocks of the expression being walked (reused between calls). */
let ctlStack: Array<u8> = [];

// Kinds of open blocks on ctlStack: which of else/catch/delegate may follow.
const CTL_BLOCK: u8 = 0;     // block, loop, try_table, if after its else
const CTL_IF: u8 = 1;        // if before else
const CTL_TRY: u8 = 2;       // legacy try before any catch
const CTL_CATCH: u8 = 3;     // legacy try after a catch (catch_all ends the run)

/**
 * Decode a module. The module keeps `bytes` (do not modify them afterwards).
 * On failure returns null with the error in `lastError`.
 */
export function decodeModule(bytes: ArrayBuffer): Module | null {
  let m = new Module();
  m.bytes = bytes;
  moduleLen = <u32>bytes.byteLength;
  curSection = -1;
  curItemKind = "";
  curItem = -1;
  sawDataIndex = false;
  limitText = "";
  moduleLocals = 0;
  loadCost = 0;
  decoderFeatures = featuresFromLimits();
  let budget = <u64>limits.loadBudgetBytes;
  loadCostLimit = budget != 0 ? budget : max<u64>(DEFAULT_LOAD_BYTES, <u64>moduleLen * DEFAULT_LOAD_PER_BYTE);
  beginLoad();
  let r = new Reader(m.base, 0, moduleLen);
  if (!readHeader(r)) return failed(r.err, r.errPos);
  if (!readSections(r, m)) return null;
  curSection = -1;
  curItemKind = "";
  if (!checkCounts(m)) return null;
  return m;
}

/** Record an error for the current section/item in lastError; returns null. */
function failed(code: Err, at: u32): Module | null {
  lastError.set(code, <i64>at, errorDetail());
  return null;
}

function errorDetail(): string {
  if (curSection < 0) return "";
  let s = "in section " + curSection.toString() + " (" + sectionName(curSection) + ")";
  if (curItem >= 0) s += ", " + curItemKind + " " + curItem.toString();
  if (limitText.length > 0) s += ": " + limitText;
  return s;
}

/** Fails `r` at `at` with LimitExceeded if `n` is above `max`; true if it did. */
function overLimit(r: Reader, at: u32, n: u64, max: u32, what: string): bool {
  if (n <= <u64>max) return false;
  limitText = (n > <u64>U32_MAX ? U32_MAX : <u32>n).toString() + " " + what + ", at most " + max.toString();
  r.fail(Err.LimitExceeded, at);
  return true;
}

/** A section's item count, at most `max`. */
function limitedCount(r: Reader, max: u32, what: string): u32 {
  let at = r.pos;
  let n = r.count(1);
  if (r.failed || overLimit(r, at, n, max, what)) return 0;
  return n;
}

export function sectionName(id: i32): string {
  switch (id) {
    case SectionId.Custom: return "custom";
    case SectionId.Type: return "type";
    case SectionId.Import: return "import";
    case SectionId.Function: return "function";
    case SectionId.Table: return "table";
    case SectionId.Memory: return "memory";
    case SectionId.Global: return "global";
    case SectionId.Export: return "export";
    case SectionId.Start: return "start";
    case SectionId.Element: return "element";
    case SectionId.Code: return "code";
    case SectionId.Data: return "data";
    case SectionId.DataCount: return "datacount";
    case SectionId.Tag: return "tag";
  }
  return "unknown";
}

@inline function setItem(kind: string, index: i64): void {
  curItemKind = kind;
  curItem = index;
}

function readHeader(r: Reader): bool {
  if (moduleLen < 4) { r.fail(Err.UnexpectedEnd, moduleLen); return false; }
  if (r.u32le() != 0x6D736100) { r.fail(Err.MagicHeader, 0); return false; }
  if (moduleLen < 8) { r.fail(Err.UnexpectedEnd, moduleLen); return false; }
  if (r.u32le() != 1) { r.fail(Err.UnknownVersion, 4); return false; }
  return true;
}

/**
 * Position of a section id in the required order (0 = not ordered: custom);
 * 0xFF for an id that does not exist (with the enabled features).
 */
function sectionRank(id: u32): u32 {
  switch (id) {
    case SectionId.Custom: return 0;
    case SectionId.Type: return 1;
    case SectionId.Import: return 2;
    case SectionId.Function: return 3;
    case SectionId.Table: return 4;
    case SectionId.Memory: return 5;
    case SectionId.Tag: return (decoderFeatures & Feature.Exceptions) ? 6 : 0xFF;
    case SectionId.Global: return 7;
    case SectionId.Export: return 8;
    case SectionId.Start: return 9;
    case SectionId.Element: return 10;
    case SectionId.DataCount: return 11;
    case SectionId.Code: return 12;
    case SectionId.Data: return 13;
  }
  return 0xFF;
}

/** The section sequence: framing, order, and one decoder per section. */
function readSections(r: Reader, m: Module): bool {
  let lastRank: u32 = 0;
  while (!r.atEnd) {
    curSection = -1;
    setItem("", -1);
    let idAt = r.pos;
    let id = r.u8();
    let rank = sectionRank(id);
    if (rank == 0xFF) { failed(Err.MalformedSectionId, idAt); return false; }
    let size = r.length();
    if (r.failed) { failed(r.err, r.errPos); return false; }
    if (rank != 0) {
      if (rank <= lastRank) { failed(Err.SectionOutOfOrder, idAt); return false; }
      lastRank = rank;
    }
    curSection = <i32>id;
    let s = new Reader(r.base, r.pos, r.pos + size);
    // the load-cost estimate: not on a board, whose arena bounds the memory a load can take
    if (!isDefined(WRT_DEVICE) && !sectionFits(s, id, size)) { failed(s.err, s.errPos); return false; }
    readSection(s, m, id);
    if (s.failed) { failed(s.err, s.errPos); return false; }
    if (s.pos != s.end) {
      setItem("", -1);
      failed(Err.SectionSizeMismatch, s.pos);
      return false;
    }
    r.pos = s.end;
  }
  return true;
}

function readSection(s: Reader, m: Module, id: u32): void {
  switch (id) {
    case SectionId.Custom: readCustomSection(s, m); break;
    case SectionId.Type: readTypeSection(s, m); break;
    case SectionId.Import: readImportSection(s, m); break;
    case SectionId.Function: readFunctionSection(s, m); break;
    case SectionId.Table: readTableSection(s, m); break;
    case SectionId.Memory: readMemorySection(s, m); break;
    case SectionId.Tag: readTagSection(s, m); break;
    case SectionId.Global: readGlobalSection(s, m); break;
    case SectionId.Export: readExportSection(s, m); break;
    case SectionId.Start: readStartSection(s, m); break;
    case SectionId.Element: readElementSection(s, m); break;
    case SectionId.DataCount: readDataCountSection(s, m); break;
    case SectionId.Code: readCodeSection(s, m); break;
    case SectionId.Data: readDataSection(s, m); break;
  }
}

/** Module-wide checks after the last section, in the spec's order. */
function checkCounts(m: Module): bool {
  if (m.funcTypeIdx.length != m.codes.length) {
    failed(Err.FunctionCodeMismatch, moduleLen);
    return false;
  }
  if (m.dataCount >= 0 && m.dataCount != m.datas.length) {
    failed(Err.DataCountMismatch, moduleLen);
    return false;
  }
  if (m.dataCount < 0 && sawDataIndex) {
    failed(Err.DataCountRequired, moduleLen);
    return false;
  }
  return true;
}

// ---- types ----

/** Whether `t` is a value type with the enabled features. */
export function isValTypeByte(t: u32): bool {
  switch (t) {
    case ValType.I32: case ValType.I64: case ValType.F32: case ValType.F64:
    case ValType.FuncRef: case ValType.ExternRef:
      return true;
    case ValType.V128: return (decoderFeatures & Feature.SIMD) != 0;
    case ValType.ExnRef: return (decoderFeatures & Feature.Exceptions) != 0;
  }
  return false;
}

function isRefTypeByte(t: u32): bool {
  if (t == ValType.FuncRef || t == ValType.ExternRef) return true;
  return t == ValType.ExnRef && (decoderFeatures & Feature.Exceptions) != 0;
}

export function readValType(r: Reader): u8 {
  let at = r.pos;
  let t = r.u8();
  if (r.failed) return 0;
  if (t == ValType.V128 && (decoderFeatures & Feature.SIMD) == 0) { featureOff(r, at, Feature.SIMD); return 0; }
  if (!isValTypeByte(t)) { r.fail(t & 0x80 ? Err.IntegerTooLong : Err.MalformedValueType, at); return 0; }
  return <u8>t;
}

export function readRefType(r: Reader): u8 {
  let at = r.pos;
  let t = r.u8();
  if (r.failed) return 0;
  if (!isRefTypeByte(t)) { r.fail(t & 0x80 ? Err.IntegerTooLong : Err.MalformedReferenceType, at); return 0; }
  return <u8>t;
}

/** A vector of value types. */
function readValTypes(r: Reader, max: u32, what: string): Array<u8> {
  let n = isDefined(WRT_DEVICE) ? r.count(1) : limitedCount(r, max, what);
  let types = new Array<u8>(<i32>n);
  for (let i: u32 = 0; i < n && !r.failed; i++) types[i] = readValType(r);
  return types;
}

/**
 * Limits of a table or memory. Wasm 2.0 allows flags 0 (min) and 1 (min,
 * max); the flags byte is a 1-bit LEB, so 0x81 0x00 is "too long" and 2
 * is "too large". (threads and memory64 add flags here.)
 */
function readLimits(r: Reader, lim: Limits): void {
  let at = r.pos;
  let flags = r.u8();
  if (r.failed) return;
  if ((flags & 0x7F) > 1) { r.fail(Err.MalformedLimits, at); return; }
  if (flags & 0x80) { r.fail(Err.IntegerTooLong, at); return; }
  lim.min = r.u32leb();
  if (flags & 1) {
    lim.hasMax = true;
    lim.max = r.u32leb();
  }
}

function readTableType(r: Reader): TableType {
  let t = new TableType();
  t.elem = readRefType(r);
  readLimits(r, t.limits);
  return t;
}

function readMemType(r: Reader): MemType {
  let t = new MemType();
  readLimits(r, t.limits);
  return t;
}

function readGlobalType(r: Reader): GlobalType {
  let g = new GlobalType();
  g.type = readValType(r);
  let at = r.pos;
  let mut = r.u8();
  if (!r.failed && mut > 1) r.fail(Err.MalformedMutability, at);
  g.mutable = mut == 1;
  return g;
}

/** A constant expression: its byte range, found by walking to its `end`. */
function readConstExpr(r: Reader, e: ConstExpr): void {
  // only function bodies need the data count section (the spec's rule);
  // a data index in a constant expression is the validator's "constant expression required"
  let saw = sawDataIndex;
  e.start = r.pos;
  walkExpr(r, false);
  e.end = r.pos;
  sawDataIndex = saw;
}

// ---- sections ----

function readCustomSection(s: Reader, m: Module): void {
  let name = s.name();
  if (s.failed) return;
  let c = new CustomSection();
  c.name = name;
  c.start = s.pos;
  c.end = s.end;
  m.customs.push(c);
  // the "name" section is read when a name is wanted (readFuncNames): the
  // device build never wants one, so it carries no name reader
  s.pos = s.end;
}

/** Function names from the module's "name" section, read on first use (the validator's error texts). */
export function readFuncNames(m: Module): void {
  if (m.funcNames.size > 0) return;
  for (let i = 0; i < m.customs.length; i++) {
    let c = m.customs[i];
    if (c.name == "name") readNameSection(new Reader(m.base, c.start, c.end), m);
  }
}

/**
 * The "name" custom section: only function names (subsection 1) are kept.
 * It is advisory: a malformed name section is ignored, never an error.
 */
function readNameSection(r: Reader, m: Module): void {
  while (!r.atEnd && !r.failed) {
    let id = r.u8();
    let size = r.length();
    if (r.failed) break;
    let sub = new Reader(r.base, r.pos, r.pos + size);
    r.pos += size;
    if (id != 1) continue;
    let n = sub.count(1);
    if (!charge(sub, <u64>n * 100)) { n = 0; }
    for (let i: u32 = 0; i < n && !sub.failed; i++) {
      let idx = sub.u32leb();
      let name = sub.name();
      if (!sub.failed) m.funcNames.set(idx, name);
    }
    if (sub.failed || !sub.atEnd) r.fail(Err.MalformedSection);
  }
  if (r.failed) m.funcNames = new Map<u32, string>();
}

function readTypeSection(s: Reader, m: Module): void {
  let n = s.count(1);
  for (let i: u32 = 0; i < n && !s.failed; i++) {
    setItem("type", i);
    let at = s.pos;
    let form = s.u8();
    if (s.failed) return;
    if (form != 0x60) { s.fail(form & 0x80 ? Err.IntegerTooLong : Err.MalformedFuncType, at); return; }
    let t = new FuncType();
    t.params = readValTypes(s, MAX_PARAMS, "parameters");
    t.results = readValTypes(s, MAX_RESULTS, "results");
    m.types.push(t);
  }
}

function readImportSection(s: Reader, m: Module): void {
  let n = s.count(1);
  for (let i: u32 = 0; i < n && !s.failed; i++) {
    setItem("import", i);
    let imp = new Import();
    imp.offset = s.pos;
    imp.module = s.name();
    imp.name = s.name();
    let kindAt = s.pos;
    imp.kind = <u8>s.u8();
    if (s.failed) return;
    switch (imp.kind) {
      case ExternKind.Func:
        imp.typeIdx = s.u32leb();
        m.funcImports.push(imp);
        m.numImportedFuncs++;
        break;
      case ExternKind.Table:
        imp.table = readTableType(s);
        m.tableImports.push(imp);
        m.numImportedTables++;
        break;
      case ExternKind.Memory:
        imp.mem = readMemType(s);
        m.memImports.push(imp);
        m.numImportedMems++;
        break;
      case ExternKind.Global:
        imp.global = readGlobalType(s);
        m.globalImports.push(imp);
        m.numImportedGlobals++;
        break;
      case ExternKind.Tag:
        if (!(decoderFeatures & Feature.Exceptions)) { s.fail(Err.MalformedImportKind, kindAt); return; }
        imp.typeIdx = readTagType(s);
        m.tagImports.push(imp);
        m.numImportedTags++;
        break;
      default:
        s.fail(Err.MalformedImportKind, kindAt);
        return;
    }
    m.imports.push(imp);
  }
}

function readFunctionSection(s: Reader, m: Module): void {
  let n = s.count(1);
  for (let i: u32 = 0; i < n && !s.failed; i++) {
    setItem("function", i);
    let idx = s.u32leb();
    if (!s.failed) m.funcTypeIdx.push(idx);
  }
}

function readTableSection(s: Reader, m: Module): void {
  let n = s.count(1);
  for (let i: u32 = 0; i < n && !s.failed; i++) {
    setItem("table", i);
    let t = readTableType(s);
    if (!s.failed) m.tables.push(t);
  }
}

function readMemorySection(s: Reader, m: Module): void {
  let n = s.count(1);
  for (let i: u32 = 0; i < n && !s.failed; i++) {
    setItem("memory", i);
    let t = readMemType(s);
    if (!s.failed) m.mems.push(t);
  }
}

/** A tag type: attribute 0 (exception) and a function type index. */
function readTagType(r: Reader): u32 {
  let at = r.pos;
  let attr = r.u8();
  if (!r.failed && attr != 0) { r.fail(Err.MalformedSection, at); return 0; }
  return r.u32leb();
}

function readTagSection(s: Reader, m: Module): void {
  let n = s.count(1);
  for (let i: u32 = 0; i < n && !s.failed; i++) {
    setItem("tag", i);
    let t = readTagType(s);
    if (!s.failed) m.tags.push(t);
  }
}

function readGlobalSection(s: Reader, m: Module): void {
  let n = s.count(1);
  for (let i: u32 = 0; i < n && !s.failed; i++) {
    setItem("global", i);
    let g = new Global();
    g.type = readGlobalType(s);
    if (s.failed) return;
    readConstExpr(s, g.init);
    if (!s.failed) m.globals.push(g);
  }
}

function readExportSection(s: Reader, m: Module): void {
  let n = s.count(1);
  for (let i: u32 = 0; i < n && !s.failed; i++) {
    setItem("export", i);
    let e = new Export();
    e.name = s.name();
    let kindAt = s.pos;
    e.kind = <u8>s.u8();
    if (s.failed) return;
    let maxKind = <u8>((decoderFeatures & Feature.Exceptions) ? ExternKind.Tag : ExternKind.Global);
    if (e.kind > maxKind) { s.fail(Err.MalformedExportKind, kindAt); return; }
    e.index = s.u32leb();
    if (!s.failed) m.exports.push(e);
  }
}

function readStartSection(s: Reader, m: Module): void {
  let idx = s.u32leb();
  if (s.failed) return;
  // a function index the i32 field cannot hold cannot exist either
  m.start = idx > <u32>i32.MAX_VALUE ? i32.MAX_VALUE : <i32>idx;
}

/**
 * Element segments, 8 encodings by a flags value:
 *   bit 0: passive or declarative (else active)
 *   bit 1: active: explicit table index and an element kind/type;
 *          otherwise: declarative (1) instead of passive
 *   bit 2: items are expressions (else function indices)
 */
function readElementSection(s: Reader, m: Module): void {
  let n = s.count(1);
  for (let i: u32 = 0; i < n && !s.failed; i++) {
    setItem("segment", i);
    let seg = readElemSegment(s);
    if (!s.failed) m.elems.push(seg);
  }
}

function readElemSegment(s: Reader): ElemSegment {
  let seg = new ElemSegment();
  seg.offsetInModule = s.pos;
  let at = s.pos;
  let flags = s.u32leb();
  if (s.failed) return seg;
  if (flags > 7) { s.fail(Err.MalformedSegmentKind, at); return seg; }
  if (flags & 1) {
    seg.mode = <u8>((flags & 2) ? SegmentMode.Declarative : SegmentMode.Passive);
  } else {
    seg.mode = <u8>SegmentMode.Active;
    if (flags & 2) seg.table = s.u32leb();
    readConstExpr(s, seg.offset);
  }
  // flags 0 and 4 have no explicit kind/type: funcref
  let explicitType = (flags & 3) != 0;
  if (flags & 4) {
    if (explicitType) seg.type = readRefType(s);
    seg.exprs = readElemExprs(s);
  } else {
    if (explicitType) readElemKind(s);
    seg.funcIndices = readFuncIndices(s);
  }
  return seg;
}

/** The element kind of encodings 1-3: only 0x00 (funcref). */
function readElemKind(r: Reader): void {
  let at = r.pos;
  let k = r.u8();
  if (!r.failed && k != 0) r.fail(Err.MalformedElemKind, at);
}

function readFuncIndices(r: Reader): Array<u32> {
  let n = r.count(1);
  let a = new Array<u32>(<i32>n);
  for (let i: u32 = 0; i < n && !r.failed; i++) a[i] = r.u32leb();
  return a;
}

function readElemExprs(r: Reader): Array<ConstExpr> {
  let n = r.count(1);
  let a = new Array<ConstExpr>();
  for (let i: u32 = 0; i < n && !r.failed; i++) {
    let e = new ConstExpr();
    readConstExpr(r, e);
    a.push(e);
  }
  return a;
}

function readDataCountSection(s: Reader, m: Module): void {
  let n = s.u32leb();
  if (s.failed) return;
  // more segments than the module has bytes can never match
  if (n > moduleLen) { s.fail(Err.DataCountMismatch); return; }
  m.dataCount = <i32>n;
}

/** Data segments: flags 0 (active, memory 0), 1 (passive), 2 (active, explicit memory). */
function readDataSection(s: Reader, m: Module): void {
  let n = s.count(1);
  for (let i: u32 = 0; i < n && !s.failed; i++) {
    setItem("segment", i);
    let seg = new DataSegment();
    seg.offsetInModule = s.pos;
    let at = s.pos;
    let flags = s.u32leb();
    if (s.failed) return;
    if (flags > 2) { s.fail(Err.MalformedSegmentKind, at); return; }
    if (flags == 1) {
      seg.mode = <u8>SegmentMode.Passive;
    } else {
      seg.mode = <u8>SegmentMode.Active;
      if (flags == 2) seg.memory = s.u32leb();
      readConstExpr(s, seg.offset);
    }
    let len = s.length();
    seg.dataStart = s.pos;
    seg.dataLen = len;
    s.skip(len);
    if (!s.failed) m.datas.push(seg);
  }
}

function readCodeSection(s: Reader, m: Module): void {
  let n = s.count(1);
  for (let i: u32 = 0; i < n && !s.failed; i++) {
    setItem("function", <i64>m.numImportedFuncs + i);
    let body = new FuncBody();
    body.offset = s.pos;
    let sizeAt = s.pos;
    let size = s.length();
    if (s.failed || (!isDefined(WRT_DEVICE) && overLimit(s, sizeAt, size, MAX_BODY_BYTES, "bytes in the body"))) return;
    let b = new Reader(s.base, s.pos, s.pos + size);
    readLocals(b, body);
    body.codeStart = b.pos;
    if (!b.failed) walkExpr(b, true);
    body.codeEnd = b.pos;
    if (b.failed) { s.fail(b.err, b.errPos); return; }
    s.pos = b.end;
    m.codes.push(body);
  }
}

/**
 * Local declarations: runs of (count, type). The total is checked against
 * MAX_LOCALS in a first pass, so nothing is allocated by a hostile count.
 */
function readLocals(r: Reader, body: FuncBody): void {
  let declStart = r.pos;
  let runs = r.count(1);
  let total: u64 = 0;
  for (let i: u32 = 0; i < runs && !r.failed; i++) {
    total += <u64>r.u32leb();
    readValType(r);
  }
  if (r.failed) return;
  if (total > <u64>MAX_LOCALS) { r.fail(Err.TooManyLocals, declStart); return; }
  if (!isDefined(WRT_DEVICE)) {
    moduleLocals += total;
    if (!charge(r, total * 2)) return; // the expanded types, and the validator's copy
    if (overLimit(r, declStart, moduleLocals, MAX_MODULE_LOCALS, "locals in the module's functions")) return;
  }
  let codeStart = r.pos;
  // second pass over the same (now known good) bytes: expand
  r.pos = declStart;
  r.u32leb();
  let locals = new Array<u8>(<i32>total);
  let k = 0;
  for (let i: u32 = 0; i < runs; i++) {
    let c = r.u32leb();
    let t = <u8>r.u8();
    for (let j: u32 = 0; j < c; j++) locals[k++] = t;
  }
  body.locals = locals;
  r.pos = codeStart;
}

// ---- instructions ----

/**
 * Walk one expression from r.pos to the `end` that closes it, checking the
 * nesting of block/loop/if/else/end (and try/catch/delegate when enabled)
 * and every immediate. For a function body (`isBody`) that `end` must be
 * the reader's last byte. Returns false on failure (error in r).
 */
export function walkExpr(r: Reader, isBody: bool): bool {
  let ctl = ctlStack;
  ctl.length = 0;
  while (true) {
    if (r.atEnd) {
      // a body shorter than its code is "END expected"; input that ends is "unexpected end"
      let code = isBody && r.end < moduleLen ? Err.EndOpcodeExpected : Err.UnexpectedEnd;
      r.fail(code);
      return false;
    }
    let at = r.pos;
    let op = skipInstruction(r);
    if (r.failed) return false;
    if (!trackNesting(r, ctl, op, at)) return false;
    if (op == Op.End && ctl.length == 0) break;
    if (op == Op.End || op == Op.Delegate) ctl.pop();
  }
  if (isBody && r.pos != r.end) { r.fail(Err.SectionSizeMismatch); return false; }
  return true;
}

/** Push/retag the control stack for one instruction; false on misplaced else/catch/delegate. */
function trackNesting(r: Reader, ctl: Array<u8>, op: u32, at: u32): bool {
  switch (op) {
    case Op.Block: case Op.Loop: case Op.TryTable: ctl.push(CTL_BLOCK); break;
    case Op.If: ctl.push(CTL_IF); break;
    case Op.Try: ctl.push(CTL_TRY); break;
    case Op.Else: {
      let n = ctl.length;
      if (n == 0 || ctl[n - 1] != CTL_IF) { r.fail(Err.EndOpcodeExpected, at); return false; }
      ctl[n - 1] = CTL_BLOCK;
      break;
    }
    case Op.Catch: case Op.CatchAll: {
      let n = ctl.length;
      if (n == 0 || (ctl[n - 1] != CTL_TRY && ctl[n - 1] != CTL_CATCH)) {
        r.fail(Err.EndOpcodeExpected, at);
        return false;
      }
      // nothing may follow catch_all but end
      ctl[n - 1] = op == Op.CatchAll ? CTL_BLOCK : CTL_CATCH;
      break;
    }
    case Op.Delegate: {
      let n = ctl.length;
      if (n == 0 || ctl[n - 1] != CTL_TRY) { r.fail(Err.EndOpcodeExpected, at); return false; }
      break;
    }
  }
  return true;
}

/**
 * Skip one instruction at r.pos: its opcode and all its immediates, with
 * the malformed checks that belong to them (reserved zero bytes, memarg
 * flags, reference types, illegal opcodes). Returns the opcode, prefixed
 * ones as OP_FC | sub or OP_FD | sub; OP_INVALID (and r.failed) on error.
 * Does not track nesting: see walkExpr.
 */
export function skipInstruction(r: Reader): u32 {
  let at = r.pos;
  let op = r.u8();
  if (r.failed) return OP_INVALID;
  if (op >= <u32>Op.I32Eqz && op <= <u32>Op.I64Extend32S) return op;   // numeric: no immediates
  if (op >= <u32>Op.I32Load && op <= <u32>Op.I64Store32) { skipMemArg(r); return done(r, op); }
  switch (op) {
    case Op.Unreachable: case Op.Nop: case Op.Else: case Op.End: case Op.Return:
    case Op.Drop: case Op.Select: case Op.RefIsNull:
      return op;
    case Op.Block: case Op.Loop: case Op.If:
      skipBlockType(r);
      return done(r, op);
    case Op.Br: case Op.BrIf: case Op.Call:
    case Op.LocalGet: case Op.LocalSet: case Op.LocalTee:
    case Op.GlobalGet: case Op.GlobalSet: case Op.TableGet: case Op.TableSet:
    case Op.RefFunc:
      r.u32leb();
      return done(r, op);
    case Op.CallIndirect:   // type index, table index (a LEB since reference types)
      r.u32leb();
      r.u32leb();
      return done(r, op);
    case Op.BrTable: skipBrTable(r); return done(r, op);
    case Op.SelectT: skipValTypes(r); return done(r, op);
    case Op.MemorySize: case Op.MemoryGrow: zeroByte(r); return done(r, op);
    case Op.I32Const: r.s32leb(); return done(r, op);
    case Op.I64Const: r.s64leb(); return done(r, op);
    case Op.F32Const: r.skip(4); return done(r, op);
    case Op.F64Const: r.skip(8); return done(r, op);
    case Op.RefNull: readRefType(r); return done(r, op);
    case Op.PrefixFC: return skipPrefixFC(r, at);
    case Op.PrefixFD: case Op.PrefixFE:
      if (EXT_ON && extPrefixUsed(op)) return skipPrefixed(r, op, at);
      if (op == Op.PrefixFD) return featureOff(r, at, Feature.SIMD);
      break;
    default: {
      if (EXT_ON) {
        let x = extFind(0, op);
        if (extEnabled(x)) return skipExt(r, x, op);
      }
      if (decoderFeatures & (Feature.TailCall | Feature.Exceptions | Feature.LegacyExceptions)) {
        return skipProposalOp(r, op, at);
      }
    }
  }
  r.fail(Err.IllegalOpcode, at);
  return OP_INVALID;
}

@inline function done(r: Reader, op: u32): u32 {
  return r.failed ? OP_INVALID : op;
}

/** Is extension op x (binary/ext-ops.ts; -1: none) enabled by decoderFeatures? */
export function extEnabled(x: i32): bool {
  return x >= 0 && (extFeature(x) & ~decoderFeatures) == 0;
}

/** An extension proposal's op (scripts/isa/<proposal>.mjs): its immediates by kind (binary/ext.ts). */
function skipExt(r: Reader, x: i32, op: u32): u32 {
  readExtImmediates(r, x, null);
  return done(r, op);
}

/** 0xFD and 0xFE with extension rows (simd.mjs and simd-relaxed.mjs cover every SIMD opcode): no row is illegal. */
function skipPrefixed(r: Reader, prefix: u32, at: u32): u32 {
  let sub = r.u32leb();
  if (r.failed) return OP_INVALID;
  let x = extFind(prefix, sub);
  if (extEnabled(x)) return skipExt(r, x, (prefix << 16) | sub);
  if (x >= 0) return featureOff(r, at, extFeature(x) & ~decoderFeatures);
  r.fail(Err.IllegalOpcode, at);
  return OP_INVALID;
}

/** Tail-call and exception opcodes, when their features are enabled. */
function skipProposalOp(r: Reader, op: u32, at: u32): u32 {
  let f = decoderFeatures;
  let tail = (f & Feature.TailCall) != 0;
  let exn = (f & Feature.Exceptions) != 0;
  let legacy = (f & Feature.LegacyExceptions) != 0;
  switch (op) {
    case Op.ReturnCall:
      if (!tail) break;
      r.u32leb();
      return done(r, op);
    case Op.ReturnCallIndirect:
      if (!tail) break;
      r.u32leb();
      r.u32leb();
      return done(r, op);
    case Op.Throw:
      if (!exn && !legacy) break;
      r.u32leb();
      return done(r, op);
    case Op.ThrowRef:
      if (!exn) break;
      return op;
    case Op.TryTable:
      if (!exn) break;
      skipBlockType(r);
      skipCatchClauses(r);
      return done(r, op);
    case Op.Try:
      if (!legacy) break;
      skipBlockType(r);
      return done(r, op);
    case Op.Catch: case Op.Rethrow: case Op.Delegate:
      if (!legacy) break;
      r.u32leb();
      return done(r, op);
    case Op.CatchAll:
      if (!legacy) break;
      return op;
  }
  r.fail(Err.IllegalOpcode, at);
  return OP_INVALID;
}

/** try_table's catch clauses: kind 0/1 (catch, catch_ref) tag label; 2/3 (catch_all(_ref)) label. */
function skipCatchClauses(r: Reader): void {
  let n = r.count(1);
  for (let i: u32 = 0; i < n && !r.failed; i++) {
    let at = r.pos;
    let kind = r.u8();
    if (r.failed) return;
    if (kind > 3) { r.fail(Err.MalformedSection, at); return; }
    if (kind < 2) r.u32leb();
    r.u32leb();
  }
}

/**
 * A block type: 0x40 (empty), a value type (one byte, 0x40..0x7F as s33),
 * or a type index as a non-negative s33.
 */
function skipBlockType(r: Reader): void {
  let b = r.peek();
  if (b == 0x40) { r.u8(); return; }
  if ((b & 0xC0) == 0x40) { readValType(r); return; }
  let at = r.pos;
  let x = r.s33leb();
  if (!r.failed && x < 0) r.fail(Err.MalformedValueType, at);
}

/** select's type vector, checked but not kept (its length is the validator's business). */
function skipValTypes(r: Reader): void {
  let n = r.count(1);
  for (let i: u32 = 0; i < n && !r.failed; i++) readValType(r);
}

function skipBrTable(r: Reader): void {
  let n = r.count(1);
  for (let i: u32 = 0; i < n && !r.failed; i++) r.u32leb();
  r.u32leb();
}

/**
 * A memarg: alignment exponent then offset. Wasm 2.0 rejects exponents of
 * 32 and more as malformed (multi-memory will use bit 6 for a memory index).
 */
function skipMemArg(r: Reader): void {
  let at = r.pos;
  let align = r.u32leb();
  if (r.failed) return;
  if (align >= 32) { r.fail(Err.MalformedMemopFlags, at); return; }
  r.u32leb();
}

/** A reserved memory index: exactly one 0x00 byte (not a LEB). */
function zeroByte(r: Reader): void {
  let at = r.pos;
  let b = r.u8();
  if (!r.failed && b != 0) r.fail(Err.ZeroByteExpected, at);
}

function skipPrefixFC(r: Reader, at: u32): u32 {
  let sub = r.u32leb();
  if (r.failed) return OP_INVALID;
  switch (sub) {
    case OpFC.I32TruncSatF32S: case OpFC.I32TruncSatF32U:
    case OpFC.I32TruncSatF64S: case OpFC.I32TruncSatF64U:
    case OpFC.I64TruncSatF32S: case OpFC.I64TruncSatF32U:
    case OpFC.I64TruncSatF64S: case OpFC.I64TruncSatF64U:
      break;
    case OpFC.MemoryInit:
      sawDataIndex = true;
      r.u32leb();
      zeroByte(r);
      break;
    case OpFC.DataDrop:
      sawDataIndex = true;
      r.u32leb();
      break;
    case OpFC.MemoryCopy: zeroByte(r); zeroByte(r); break;
    case OpFC.MemoryFill: zeroByte(r); break;
    case OpFC.TableInit: case OpFC.TableCopy: r.u32leb(); r.u32leb(); break;
    case OpFC.ElemDrop: case OpFC.TableGrow: case OpFC.TableSize: case OpFC.TableFill:
      r.u32leb();
      break;
    default: {
      if (EXT_ON) {
        let x = extFind(0xFC, sub);
        if (extEnabled(x)) return skipExt(r, x, OP_FC | sub);
      }
      r.fail(Err.IllegalOpcode, at);
      return OP_INVALID;
    }
  }
  return done(r, OP_FC | sub);
}

