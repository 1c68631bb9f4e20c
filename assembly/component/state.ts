// The state of one component validation: the type arena, the stack of
// scopes (component, component type, instance type), the work budget and
// the first error. validateComponent (component/validate.ts) resets it.
//
// Errors: the first failure is kept with its rule text and byte offset, and
// the sticky Reader stops (fail moves it to its end), so every loop ends.
// The caller turns it into lastError with "in section S (name), item I: rule".

import { Reader } from "../binary/reader";
import { Err } from "../errors";
import { FuncType, TableType, MemType, GlobalType } from "../binary/module";
import { CType, TK, NUM_PRIMS, CoreExt, Ext, setPrimFacts } from "./types";

/** Most types one component may create (incl. copies made by instantiation). */
export const MAX_TYPES: i32 = 200000;
/** Most steps of type comparison/substitution per component (quadratic inputs stop here). */
export const MAX_WORK: i64 = 5000000;
/** Deepest nesting of components and component/instance types. */
export const MAX_SCOPE_DEPTH: i32 = 64;
/** Most items one index space may hold. */
export const MAX_INDEX_SPACE: i32 = 1000000;

export const enum ScopeKind { Component = 0, ComponentType = 1, InstanceType = 2 }

/** One scope's index spaces and what its imports/exports declared so far. */
export class Scope {
  kind: ScopeKind;
  id: i32;
  // core index spaces
  coreFuncs: Array<FuncType> = [];
  coreTables: Array<TableType> = [];
  coreMems: Array<MemType> = [];
  coreGlobals: Array<GlobalType> = [];
  coreTags: Array<FuncType> = [];
  coreTypes: Array<i32> = [];
  coreModules: Array<i32> = [];
  coreInstances: Array<i32> = [];
  // component index spaces
  funcs: Array<i32> = [];
  types: Array<i32> = [];
  components: Array<i32> = [];
  instances: Array<i32> = [];
  // names (strongly-unique keys) and the externs they declare
  importKeys: Set<string> = new Set();
  exportKeys: Set<string> = new Set();
  imports: Array<Ext> = [];
  exports: Array<Ext> = [];
  /** Resource labels named by imports (resp. exports) so far -> resource type id (annotated names). */
  importResources: Map<string, i32> = new Map();
  exportResources: Map<string, i32> = new Map();
  /** Types that have a name here (Explainer.md "external visibility"): from imports; from imports and exports. */
  importNamed: Set<i32> = new Set();
  allNamed: Set<i32> = new Set();
  /** Resources each instantiation makes fresh: `(sub resource)` exports of a type, resources a component defines. */
  freshList: Array<i32> = [];
  /** Resources that `(sub resource)` imports introduced (instantiation arguments replace them). */
  importFresh: Array<i32> = [];

  constructor(kind: ScopeKind, id: i32) { this.kind = kind; this.id = id; }
}

export class State {
  arena: Array<CType> = [];
  scopes: Array<Scope> = [];
  scopeCount: i32 = 0;
  work: i64 = 0;
  /** Rule text of the first error. */
  rule: string = "";
  /** Where the first error is reported: section id/name and item index. */
  section: i32 = -1;
  sectionLabel: string = "";
  item: i64 = -1;
  /** Set with the first error; the Reader holds code and offset. */
  failed: bool = false;
  /** Components enclosing the first error (1: the outermost). */
  failNesting: i32 = 0;

  reset(): void {
    this.arena = [];
    for (let i = 0; i < NUM_PRIMS; i++) this.arena.push(primType(i));
    this.scopes = [];
    this.scopeCount = 0;
    this.work = 0;
    this.rule = "";
    this.section = -1;
    this.sectionLabel = "";
    this.item = -1;
    this.failed = false;
    this.failNesting = 0;
  }

  get top(): Scope { return this.scopes[this.scopes.length - 1]; }
}

export const st = new State();

function primType(id: i32): CType {
  let t = new CType(TK.Prim);
  t.a = id;
  setPrimFacts(t, id);
  return t;
}

/** Record the first error: code and offset in the Reader, rule text here. */
export function fail(r: Reader, code: Err, rule: string, at: u32 = 0xFFFFFFFF): void {
  if (st.failed) { r.fail(code, at); return; }
  st.failed = true;
  let n = 0;
  for (let i = 0; i < st.scopes.length; i++) if (st.scopes[i].kind == ScopeKind.Component) n++;
  st.failNesting = n;
  st.rule = rule;
  r.fail(code, at);
}

@inline export function invalid(r: Reader, rule: string, at: u32 = 0xFFFFFFFF): void {
  fail(r, Err.ComponentInvalid, rule, at);
}
@inline export function malformed(r: Reader, rule: string, at: u32 = 0xFFFFFFFF): void {
  fail(r, Err.ComponentMalformed, rule, at);
}
@inline export function unsupported(r: Reader, what: string, at: u32 = 0xFFFFFFFF): void {
  fail(r, Err.ComponentUnsupported, what, at);
}

/** Adds a type to the arena; -1 (with an error) past MAX_TYPES. */
export function addType(r: Reader, t: CType): i32 {
  if (st.arena.length >= MAX_TYPES) { invalid(r, "effective type size exceeds the limit of " + MAX_TYPES.toString() + " types"); return -1; }
  st.arena.push(t);
  return st.arena.length - 1;
}

/** Counts one step of type comparison/substitution; false (with an error) past MAX_WORK. */
export function spend(r: Reader, n: i64 = 1): bool {
  st.work += n;
  if (st.work > MAX_WORK) { invalid(r, "type checking exceeds the work limit"); return false; }
  return true;
}

/** Checks `idx` against an index space of `len` items; reports "unknown <what> N" if out of range. */
export function checkIndex(r: Reader, idx: u32, len: i32, what: string, at: u32): bool {
  if (r.failed) return false;
  if (idx >= <u32>len) {
    invalid(r, "unknown " + what + " " + idx.toString() + " (" + len.toString() + " defined)", at);
    return false;
  }
  return true;
}

/** Checks room in an index space before appending. */
export function roomFor(r: Reader, len: i32, what: string): bool {
  if (len >= MAX_INDEX_SPACE) { invalid(r, "too many " + what + "s (limit " + MAX_INDEX_SPACE.toString() + ")"); return false; }
  return true;
}

export function newCoreExt(kind: u8): CoreExt {
  let e = new CoreExt();
  e.kind = kind;
  return e;
}

/** The type an alias names (itself if it is no alias). */
export function canonOf(id: i32): i32 {
  if (id < 0) return id;
  let c = st.arena[id].canon;
  return c >= 0 ? c : id;
}

/** A named alias of type `t` (a type import or export): equal to `t`, but a type of its own for naming. */
export function aliasType(r: Reader, t: i32): i32 {
  let x = st.arena[t];
  let c = new CType(x.kind);
  c.labels = x.labels; c.members = x.members; c.a = x.a; c.b = x.b;
  c.imports = x.imports; c.exports = x.exports;
  c.freshResources = x.freshResources; c.importFresh = x.importFresh;
  c.rep = x.rep; c.local = x.local; c.owner = x.owner;
  c.fn = x.fn; c.coreImports = x.coreImports; c.coreExports = x.coreExports;
  c.canon = canonOf(t);
  c.depth = x.depth; c.size = x.size; c.align = x.align; c.flat = x.flat; c.flatOver = x.flatOver;
  c.hasBorrow = x.hasBorrow; c.hasList = x.hasList; c.hasResource = x.hasResource;
  let id = addType(r, c);
  return id < 0 ? t : id;
}
