// Component-level types, held in one arena per validation (component/state.ts).
//
// A type is a CType in `arena`; everything refers to types by their arena id
// (an i32), so an index space is an Array<i32> and equal ids mean the same
// type. Primitive value types are the fixed ids 0..12 (PRIM_*). A resource
// type's identity is its id: each definition, each `(sub resource)` import
// and each instantiation of a component that exports one makes a fresh id.
//
// Every type records at creation what later checks need without walking it
// again: its nesting depth (bounded, so recursive walks stay shallow), its
// Canonical ABI size and alignment, its flattened core types (at most
// FLAT_CAP of them), whether it holds a borrow, a list/string, or a resource.

import { FuncType, TableType, MemType, GlobalType } from "../binary/module";

/** What a CType is. Value types first (VALUE_KINDS_END marks their end). */
export const enum TK {
  Prim = 0, Record, Variant, List, Tuple, Flags, Enum, Option, Result, Own, Borrow,
  ValueKindsEnd,
  Func, Component, Instance, Resource,
  CoreFunc, CoreModule, CoreInstance,
}

/** Primitive value type ids (= the arena ids 0..12), in binary code order from 0x7f down. */
export const PRIM_BOOL: i32 = 0;   // 0x7f
export const PRIM_S8: i32 = 1;
export const PRIM_U8: i32 = 2;
export const PRIM_S16: i32 = 3;
export const PRIM_U16: i32 = 4;
export const PRIM_S32: i32 = 5;
export const PRIM_U32: i32 = 6;
export const PRIM_S64: i32 = 7;
export const PRIM_U64: i32 = 8;
export const PRIM_F32: i32 = 9;
export const PRIM_F64: i32 = 10;
export const PRIM_CHAR: i32 = 11;
export const PRIM_STRING: i32 = 12;  // 0x73
export const NUM_PRIMS: i32 = 13;

/** No type (an absent option payload, a function without result, ...). */
export const NONE: i32 = -1;

/** Component sorts (Binary.md `sort`; core sorts are CORE_SORT_BASE + core:sort). */
export const enum Sort {
  Func = 1, Value = 2, Type = 3, Component = 4, Instance = 5,
}
export const CORE_SORT_BASE: u32 = 0x100;
/** core:sort codes. */
export const enum CoreSort {
  Func = 0, Table = 1, Memory = 2, Global = 3, Tag = 4, Type = 0x10, Module = 0x11, Instance = 0x12,
}

/** Most core values one flattened list keeps (MAX_FLAT_PARAMS 16, plus one to see the overflow). */
export const FLAT_CAP: i32 = 17;
/** Deepest nesting of one type (keeps every recursive walk shallow). */
export const MAX_TYPE_DEPTH: u32 = 100;

/** Core value types of flattened lists (core binary codes). */
export const F_I32: u8 = 0x7F;
export const F_I64: u8 = 0x7E;
export const F_F32: u8 = 0x7D;
export const F_F64: u8 = 0x7C;

/** A core extern type: one of func/tag (fn), table, memory, global. */
export class CoreExt {
  kind: u8 = 0;                    // CoreSort.Func .. Tag
  fn: FuncType | null = null;
  table: TableType | null = null;
  mem: MemType | null = null;
  global: GlobalType | null = null;
}

/** A named component extern: sort + type id (for Sort.Type the type itself). */
export class Ext {
  name: string;
  sort: u32;
  type: i32;
  constructor(name: string, sort: u32, type: i32) { this.name = name; this.sort = sort; this.type = type; }
}

/** A named core extern (module imports carry a module name too). */
export class CoreNamed {
  module: string;
  name: string;
  ext: CoreExt;
  constructor(module: string, name: string, ext: CoreExt) { this.module = module; this.name = name; this.ext = ext; }
}

export class CType {
  kind: TK;
  /** Labels: record fields, variant cases, flags, enum cases, function params. */
  labels: Array<string> = [];
  /** Member types: record fields, variant case payloads (NONE), tuple items, params. */
  members: Array<i32> = [];
  /** list/option element, result ok, own/borrow resource, function result. */
  a: i32 = NONE;
  /** result error. */
  b: i32 = NONE;

  /** Component/instance types: imports (component only) and exports. */
  imports: Array<Ext> = [];
  exports: Array<Ext> = [];
  /** Component types: resources that each instantiation replaces by fresh ones. */
  freshResources: Array<i32> = [];
  /** Component types: resources its `(sub resource)` imports introduce (arguments replace them). */
  importFresh: Array<i32> = [];

  /** Resources: core rep type; dtor core func index (-1: none); defined here (not imported). */
  rep: u8 = F_I32;
  local: bool = false;
  /** Id of the component scope that defined it (resource.new/rep need that scope). */
  owner: i32 = -1;

  /** Core types. */
  fn: FuncType | null = null;
  coreImports: Array<CoreNamed> = [];
  coreExports: Array<CoreNamed> = [];

  /** Lookup maps, built on first use (component/lookup.ts). */
  exportMap: Map<string, i32> | null = null;
  importMap: Map<string, i32> | null = null;
  coreExportMap: Map<string, i32> | null = null;
  coreImportMap: Map<string, i32> | null = null;
  freshSet: Set<i32> | null = null;
  importFreshSet: Set<i32> | null = null;

  /** For a named alias made by a type import/export: the type it names (equal to it). -1: itself. */
  canon: i32 = -1;

  // ---- facts computed at creation ----
  depth: u32 = 1;
  size: u64 = 0;
  align: u32 = 1;
  /** Flattened core types, at most FLAT_CAP (then flatOver is set). */
  flat: Array<u8> = [];
  flatOver: bool = false;
  hasBorrow: bool = false;
  /** Holds a list or string (needs a memory to lift or lower). */
  hasList: bool = false;
  /** Refers to a resource type (transitively). */
  hasResource: bool = false;

  constructor(kind: TK) { this.kind = kind; }
}

@inline export function isValueKind(k: TK): bool { return k < TK.ValueKindsEnd; }

/** Size, alignment and flattening of primitive `id` (set on the arena's fixed types). */
export function setPrimFacts(t: CType, id: i32): void {
  let size: u32 = 4;
  let flat = F_I32;
  if (id == PRIM_BOOL || id == PRIM_S8 || id == PRIM_U8) size = 1;
  else if (id == PRIM_S16 || id == PRIM_U16) size = 2;
  else if (id == PRIM_S64 || id == PRIM_U64) { size = 8; flat = F_I64; }
  else if (id == PRIM_F32) flat = F_F32;
  else if (id == PRIM_F64) { size = 8; flat = F_F64; }
  t.size = size;
  t.align = size;
  t.flat.push(flat);
  if (id == PRIM_STRING) { t.size = 8; t.align = 4; t.flat.push(F_I32); t.hasList = true; }
}

