// The decoded module: what binary/decoder.ts produces and every later layer
// (valid/, compile/, runtime/) reads. Plain data, no behaviour.
//
// The module keeps its bytes: code bodies, constant expressions and data
// segments are byte ranges into them, so nothing is copied twice and a
// snapshot can name the module by a hash of exactly these bytes.

import { SIMD_BUILT } from "../build-features";

/** Value types, by their binary encoding. */
export const enum ValType {
  I32 = 0x7F,
  I64 = 0x7E,
  F32 = 0x7D,
  F64 = 0x7C,
  V128 = 0x7B,
  FuncRef = 0x70,
  ExternRef = 0x6F,
  ExnRef = 0x69,   // exceptions proposal (later)
  /** Validation only: the unknown type of the polymorphic stack. */
  Bot = 0x00,
}

/** External kinds (import/export descriptors). */
export const enum ExternKind {
  Func = 0,
  Table = 1,
  Memory = 2,
  Global = 3,
  Tag = 4,
}

/** Section ids. */
export const enum SectionId {
  Custom = 0, Type = 1, Import = 2, Function = 3, Table = 4, Memory = 5,
  Global = 6, Export = 7, Start = 8, Element = 9, Code = 10, Data = 11,
  DataCount = 12, Tag = 13,
}

export function isRefType(t: u8): bool {
  return t == ValType.FuncRef || t == ValType.ExternRef || t == ValType.ExnRef;
}
export function isNumType(t: u8): bool {
  return t == ValType.I32 || t == ValType.I64 || t == ValType.F32 || t == ValType.F64;
}

/** 8-byte value slots a list of values of these types takes: one each, two for a v128. */
export function slotCount(types: Array<u8>): i32 {
  let n = types.length;
  if (!SIMD_BUILT) return n; // a device build without SIMD: the decoder refuses v128 types
  for (let i = 0; i < types.length; i++) if (unchecked(types[i]) == <u8>ValType.V128) n++;
  return n;
}

export class FuncType {
  params: Array<u8> = [];
  results: Array<u8> = [];
  /** Canonical id in the store-wide type registry; set at instantiation (runtime/types.ts). */
  canon: i32 = -1;

  /** 8-byte value slots the parameters take (a v128 takes two; docs/internal-code.md "v128 values"). */
  get paramSlots(): i32 { return slotCount(this.params); }
  /** 8-byte value slots the results take. */
  get resultSlots(): i32 { return slotCount(this.results); }

  equals(o: FuncType): bool {
    if (this.params.length != o.params.length || this.results.length != o.results.length) return false;
    for (let i = 0; i < this.params.length; i++) if (this.params[i] != o.params[i]) return false;
    for (let i = 0; i < this.results.length; i++) if (this.results[i] != o.results[i]) return false;
    return true;
  }
}

export class Limits {
  min: u64 = 0;
  max: u64 = 0;
  hasMax: bool = false;
  shared: bool = false;   // threads (later)
  is64: bool = false;     // memory64 / table64 (later)
}

export class TableType {
  elem: u8 = <u8>ValType.FuncRef;
  limits: Limits = new Limits();
}

export class MemType {
  limits: Limits = new Limits();
}

export class GlobalType {
  type: u8 = <u8>ValType.I32;
  mutable: bool = false;
}

/**
 * A constant expression as a byte range [start, end) in the module bytes,
 * `end` just past its final `end` opcode (0x0B). Evaluated at instantiation.
 */
export class ConstExpr {
  start: u32 = 0;
  end: u32 = 0;
}

export class Import {
  module: string = "";
  name: string = "";
  kind: u8 = <u8>ExternKind.Func;
  /** Func: type index. Tag: type index. */
  typeIdx: u32 = 0;
  table: TableType | null = null;
  mem: MemType | null = null;
  global: GlobalType | null = null;
  /** Byte offset of this import entry, for diagnostics. */
  offset: u32 = 0;
}

export class Export {
  name: string = "";
  kind: u8 = <u8>ExternKind.Func;
  index: u32 = 0;
}

export class Global {
  type: GlobalType = new GlobalType();
  init: ConstExpr = new ConstExpr();
}

export const enum SegmentMode {
  Active = 0,
  Passive = 1,
  Declarative = 2,
}

export class ElemSegment {
  mode: u8 = <u8>SegmentMode.Active;
  table: u32 = 0;
  offset: ConstExpr = new ConstExpr();   // active only
  type: u8 = <u8>ValType.FuncRef;
  /**
   * Items. Encodings 0-3 give function indices: each becomes a ConstExpr
   * covering just the index, with `funcIndices` set instead (faster to
   * instantiate). Encodings 4-7 give expressions in `exprs`.
   */
  funcIndices: Array<u32> | null = null;
  exprs: Array<ConstExpr> | null = null;
  offsetInModule: u32 = 0;

  get count(): i32 {
    let f = this.funcIndices;
    if (f) return f.length;
    let e = this.exprs;
    return e ? e.length : 0;
  }
}

export class DataSegment {
  mode: u8 = <u8>SegmentMode.Active;
  memory: u32 = 0;
  offset: ConstExpr = new ConstExpr();   // active only
  /** Byte range of the payload in the module bytes. */
  dataStart: u32 = 0;
  dataLen: u32 = 0;
  offsetInModule: u32 = 0;
}

/** One function body: its local declarations and its code as byte ranges. */
export class FuncBody {
  /** Local types in order, after the parameters (expanded from the compressed runs). */
  locals: Array<u8> = [];
  /** Byte range of the instruction sequence (after the local declarations), ending with `end`. */
  codeStart: u32 = 0;
  codeEnd: u32 = 0;
  /** Byte offset of the body's size field, for diagnostics. */
  offset: u32 = 0;
}

export class CustomSection {
  name: string = "";
  start: u32 = 0;   // payload range after the name
  end: u32 = 0;
}

export class Module {
  /** The module's bytes, owned by the module (address of byte 0 = changetype<usize>(bytes)). */
  bytes: ArrayBuffer = new ArrayBuffer(0);

  types: Array<FuncType> = [];
  imports: Array<Import> = [];
  /** Type index of each defined (non-imported) function. */
  funcTypeIdx: Array<u32> = [];
  tables: Array<TableType> = [];     // defined tables only
  mems: Array<MemType> = [];         // defined memories only
  globals: Array<Global> = [];       // defined globals only
  tags: Array<u32> = [];             // defined tags: type index (exceptions, later)
  exports: Array<Export> = [];
  start: i32 = -1;
  elems: Array<ElemSegment> = [];
  datas: Array<DataSegment> = [];
  /** Value of the data count section, or -1 if absent. */
  dataCount: i32 = -1;
  codes: Array<FuncBody> = [];
  customs: Array<CustomSection> = [];

  // Counts of imports per kind; index spaces put imports first.
  numImportedFuncs: u32 = 0;
  numImportedTables: u32 = 0;
  numImportedMems: u32 = 0;
  numImportedGlobals: u32 = 0;
  numImportedTags: u32 = 0;
  /** The imports again, one list per kind, in index-space order. */
  funcImports: Array<Import> = [];
  tableImports: Array<Import> = [];
  memImports: Array<Import> = [];
  globalImports: Array<Import> = [];
  tagImports: Array<Import> = [];

  /** Function names from the "name" custom section (index -> name), if present. */
  funcNames: Map<u32, string> = new Map();

  // ---- index-space helpers (imports first, then definitions) ----
  get numFuncs(): u32 { return this.numImportedFuncs + <u32>this.funcTypeIdx.length; }
  get numTables(): u32 { return this.numImportedTables + <u32>this.tables.length; }
  get numMems(): u32 { return this.numImportedMems + <u32>this.mems.length; }
  get numGlobals(): u32 { return this.numImportedGlobals + <u32>this.globals.length; }

  @inline get base(): usize { return changetype<usize>(this.bytes); }

  /** Type of function `idx` in the function index space. */
  funcType(idx: u32): FuncType {
    return this.types[this.funcTypeIdxOf(idx)];
  }
  funcTypeIdxOf(idx: u32): u32 {
    if (idx < this.numImportedFuncs) return this.importOfKind(ExternKind.Func, idx).typeIdx;
    return this.funcTypeIdx[idx - this.numImportedFuncs];
  }
  tableType(idx: u32): TableType {
    if (idx < this.numImportedTables) return this.importOfKind(ExternKind.Table, idx).table!;
    return this.tables[idx - this.numImportedTables];
  }
  memType(idx: u32): MemType {
    if (idx < this.numImportedMems) return this.importOfKind(ExternKind.Memory, idx).mem!;
    return this.mems[idx - this.numImportedMems];
  }
  globalType(idx: u32): GlobalType {
    if (idx < this.numImportedGlobals) return this.importOfKind(ExternKind.Global, idx).global!;
    return this.globals[idx - this.numImportedGlobals].type;
  }

  /** The n-th import of a kind (per-kind lists filled by the decoder). */
  importOfKind(kind: i32, n: u32): Import {
    switch (kind) {
      case ExternKind.Func: return this.funcImports[n];
      case ExternKind.Table: return this.tableImports[n];
      case ExternKind.Memory: return this.memImports[n];
      case ExternKind.Global: return this.globalImports[n];
      default: return this.tagImports[n];
    }
  }

  funcName(idx: u32): string {
    if (this.funcNames.has(idx)) return this.funcNames.get(idx);
    return "";
  }
}
