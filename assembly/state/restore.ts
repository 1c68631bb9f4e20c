// Reading a snapshot back, as a verifier. Everything is checked before
// anything changes: the checksum first, then every word against what it
// indexes and against the modules (the configured limits, the module's
// types and limits, the compiled code's op boundaries and call sites, the
// frame grammar of exec/frame.ts), and the memory the new state needs is
// taken (or refused) before the old state is let go. A bad snapshot is
// refused with a reason and its byte offset; the interpreter keeps the
// state it had. docs/snapshot-format.md, "What restore checks", lists the
// checks in the order they run here.

import { Reader } from "../binary/reader";
import { FuncType, ValType, slotCount } from "../binary/module";
import { Err, lastError } from "../errors";
import { CompiledModule, FUNC_INFO_WORDS } from "../compile/compiled";
import { FUNC_INFO_BYTES, FI_FRAME_BYTES } from "../compile/func-info";
import { SIDE_PC, sideEntry, sideNext } from "../compile/side-table";
import { IR_VERSION, Ir } from "../compile/ir";
import { opFlags, OpFlag } from "../compile/operands";
import { internType } from "../runtime/types";
import { limits } from "../runtime/limits";
import { heapHasRoom } from "../runtime/heap-room";
import {
  theStore, Store, Instance, FuncInst, TableInst, MemoryInst, GlobalInst, NO_MAX, setTotalPages,
} from "../runtime/store";
import {
  machine, Machine, Status, machFieldCount, machFieldOffset, machFieldBytes, machFieldsBytes, STACKS_DO_NOT_FIT,
} from "../exec/machine";
import {
  FRAME_BYTES, HOST_FRAME, HOST_OUTER, HOST_DIRECT, frameAt, frameIsHost, frameInst, frameRetPc, frameFp,
  frameExtra, hostFrameFunc, hostFrameArgs, hostFrameFlags,
} from "../exec/frame";
import { fuelTableHash } from "../exec/fuel";
import { Trap, trapText } from "../exec/trap";
import { BUILTIN_WASI_LOG } from "../wasi/logging";
import { crc32 } from "./hash";
import { isZeroPage } from "./bytes";
import * as F from "./format";
import { SIMD_BUILT } from "../build-features";

/** A restore in progress: the new objects, and the raw blocks to free if it fails. */
class Restoring {
  r: Reader;
  store: Store = new Store();
  mods: Array<CompiledModule | null> = [];
  blocks: Array<usize> = [];
  pages: u64 = 0;
  /** Where the current section must end (its length field). */
  sectionEnd: u32 = 0;
  /** The header's feature bits (format.ts; checked against FEATURES_SUPPORTED). */
  features: u32 = 0;

  constructor(r: Reader) { this.r = r; }

  bad(what: string): bool {
    if (lastError.code == Err.None) lastError.set(Err.SnapshotCorrupt, <i64>this.r.pos, what);
    return false;
  }
  /** "<kind> <i>: <what>" (one place builds item messages: the device build counts its bytes). */
  badItem(kind: string, i: u32, what: string): bool {
    return this.bad(kind + " " + i.toString() + ": " + what);
  }
  /** "<kind> <i>: <sub> <k> <what>" */
  badItem2(kind: string, i: u32, sub: string, k: u32, what: string): bool {
    return this.badItem(kind, i, sub + " " + k.toString() + " " + what);
  }
  limit(what: string): bool {
    if (lastError.code == Err.None) lastError.set(Err.SnapshotLimit, <i64>this.r.pos, what);
    return false;
  }
  /** The reader ran out or a count did not fit. */
  truncated(): bool {
    return this.r.failed ? this.bad("truncated or oversized field") : true;
  }
  /** A raw block of `n` bytes, or 0 (error set) if the interpreter's memory cannot hold it. */
  alloc(n: u64, what: string): usize {
    if (!heapHasRoom(n > 0 ? n : 8)) {
      this.limit(what + ": " + (<u32>(n >> 10)).toString() + " KiB do not fit in the interpreter's memory");
      return 0;
    }
    let p = heap.alloc(n > 0 ? <usize>n : 8);
    this.blocks.push(p);
    return p;
  }
  freeAll(): void {
    for (let i = 0; i < this.blocks.length; i++) heap.free(this.blocks[i]);
    this.blocks.length = 0;
  }
}

/** A little-endian u32 count of items of at least `minBytes` each that must fit in what remains. */
function count(x: Restoring, minBytes: u32): u32 {
  let r = x.r;
  let n = r.u32le();
  if (r.failed) return 0;
  if (<u64>n * <u64>minBytes > <u64>r.remaining) { r.fail(Err.LengthOutOfBounds); return 0; }
  return n;
}

// ---------------------------------------------------------------- framing

function expectTag(x: Restoring, tag: u32): bool {
  let r = x.r;
  if (x.sectionEnd != 0 && r.pos != x.sectionEnd) return x.bad("section length does not match its contents");
  if (!skipAncillary(x)) return false;
  let at = r.pos;
  let t = r.u32le();
  let len = r.u32le();
  if (r.failed) return x.bad("expected section \"" + tagName(tag) + "\"");
  if (t != tag) {
    r.pos = at;
    if (!F.isKnownTag(t)) return x.bad("unknown section \"" + tagName(t) + "\"");
    return x.bad("expected section \"" + tagName(tag) + "\", found \"" + tagName(t) + "\"");
  }
  if (len > r.remaining) return x.bad("section \"" + tagName(tag) + "\" longer than the snapshot");
  x.sectionEnd = r.pos + len;
  return true;
}

/** Skips ancillary sections (lower-case tags: never state) at the reader's position. */
function skipAncillary(x: Restoring): bool {
  let r = x.r;
  while (r.remaining >= 8 && F.isAncillary(load<u32>(r.base + r.pos))) {
    let len = load<u32>(r.base + r.pos, 4);
    if (len > r.remaining - 8) return x.bad("section \"" + tagName(load<u32>(r.base + r.pos)) + "\" longer than the snapshot");
    r.pos += 8 + len;
  }
  return true;
}

/** Refuses feature bits this reader does not implement, naming the first. */
function featuresOk(p: usize): bool {
  let f = load<u32>(p, F.FEATURES_AT) & ~F.FEATURES_SUPPORTED;
  if (f == 0) return true;
  let bit = <u32>ctz(f);
  let name = F.featureName(bit);
  lastError.set(Err.SnapshotVersion, F.FEATURES_AT, name.length > 0
    ? "snapshot needs feature \"" + name + "\""
    : "snapshot needs feature bit " + bit.toString());
  return false;
}

function tagName(tag: u32): string {
  let s = "";
  for (let i: u32 = 0; i < 32; i += 8) {
    let c = (tag >> i) & 0xFF;
    s += c >= 0x20 && c < 0x7F ? String.fromCharCode(c) : "?";
  }
  return s;
}

// ---------------------------------------------------------------- store sections

function readModules(x: Restoring): bool {
  if (!expectTag(x, F.TAG_MODS)) return false;
  let r = x.r;
  let n = count(x, 9);
  if (!x.truncated()) return false;
  for (let i: u32 = 0; i < n; i++) {
    let flags = r.u8();
    let hash = r.u64le();
    if (!x.truncated()) return false;
    if (flags > 3) return x.badItem("module", i, "bad flags");
    if ((flags & 1) == 0) {
      if (flags != 0 || hash != 0) return x.badItem("module", i, "an absent module has flags and hash 0");
      x.mods.push(null);
      continue;
    }
    let cm = findModule(hash, i);
    if (!cm) {
      lastError.set(Err.SnapshotModule, <i64>r.pos, "module " + i.toString() + " (hash 0x" + hash.toString(16) + ")");
      return false;
    }
    if (cm.metered != ((flags & 2) != 0)) {
      lastError.set(Err.SnapshotModule, <i64>r.pos, "a module was compiled with other fuel metering");
      return false;
    }
    x.mods.push(cm);
  }
  return true;
}

/** The loaded module with this hash; the one with the same handle first. */
function findModule(hash: u64, idx: u32): CompiledModule | null {
  let mods = theStore.modules;
  if (idx < <u32>mods.length) {
    let cm = mods[idx];
    if (cm && cm.hash == hash) return cm;
  }
  for (let i = 0; i < mods.length; i++) {
    let cm = mods[i];
    if (cm && cm.hash == hash) return cm;
  }
  return null;
}

function readFuncs(x: Restoring): bool {
  if (!expectTag(x, F.TAG_FUNC)) return false;
  let r = x.r;
  let n = count(x, 5);
  if (!x.truncated()) return false;
  for (let i: u32 = 0; i < n; i++) {
    let f = new FuncInst();
    let kind = r.u8();
    if (kind == 0) {
      f.instance = <i32>r.u32le();
      f.funcIdx = r.u32le();
      if (f.instance < 0) return x.badItem("function", i, "bad instance");
    } else if (kind == 1) {
      f.hostId = <i32>r.u32le();
      let np = count(x, 1);
      let nr = count(x, 0);
      if (!x.truncated()) return false;
      if (<u64>np + <u64>nr > <u64>r.remaining) return x.bad("function type longer than the snapshot");
      let t = new FuncType();
      for (let j: u32 = 0; j < np + nr; j++) {
        let b = <u8>r.u8();
        if (!isDefinedValType(b)) return x.badItem("function", i, "bad value type in its type");
        if (j < np) t.params.push(b); else t.results.push(b);
      }
      if (f.hostId < 0 && !builtinOk(f.hostId, t)) return x.badItem("function", i, "unknown built-in or built-in of another type");
      f.type = t;
      f.canon = internType(t);
    } else {
      return x.badItem("function", i, "bad kind");
    }
    if (!x.truncated()) return false;
    x.store.funcs.push(f);
  }
  return true;
}

/** Negative host ids name the interpreter's built-ins; each has one type. */
function builtinOk(id: i32, t: FuncType): bool {
  if (id != BUILTIN_WASI_LOG || t.params.length != 5 || t.results.length != 0) return false;
  for (let i = 0; i < 5; i++) if (t.params[i] != ValType.I32) return false;
  return true;
}

function isDefinedValType(b: u8): bool {
  return b == 0x7F || b == 0x7E || b == 0x7D || b == 0x7C || b == 0x70 || b == 0x6F || (SIMD_BUILT && b == 0x7B);
}

/** A reference slot is null or names an existing function (funcref) / any bits (externref). */
function refOk(x: Restoring, type: u8, v: u64): bool {
  if (type != ValType.FuncRef) return true;
  return v <= <u64>x.store.funcs.length;
}

function readTables(x: Restoring): bool {
  if (!expectTag(x, F.TAG_TABL)) return false;
  let r = x.r;
  let n = count(x, 9);
  if (!x.truncated()) return false;
  for (let i: u32 = 0; i < n; i++) {
    let t = new TableInst();
    t.elemType = <u8>r.u8();
    t.max = r.u32le();
    t.size = r.u32le();
    if (!x.truncated()) return false;
    if (t.elemType != ValType.FuncRef && t.elemType != ValType.ExternRef) return x.badItem("table", i, "bad element type");
    if (t.size > limits.maxTableElems) return x.limit("table size");
    if (t.max != NO_MAX && t.max < t.size) return x.badItem("table", i, "size above maximum");
    if (<u64>t.size * 8 > <u64>r.remaining) return x.badItem("table", i, "longer than the snapshot");
    t.elems = x.alloc(<u64>t.size << 3, "a table");
    if (t.elems == 0) return false;
    memory.copy(t.elems, r.base + r.pos, <usize>t.size << 3);
    r.skip(t.size << 3);
    for (let j: u32 = 0; j < t.size; j++) {
      if (!refOk(x, t.elemType, load<u64>(t.elems + (<usize>j << 3)))) return x.badItem2("table", i, "element", j, "names no function");
    }
    x.store.tables.push(t);
  }
  return true;
}

function readMemories(x: Restoring): bool {
  if (!expectTag(x, F.TAG_MEMS)) return false;
  let r = x.r;
  let n = count(x, 12);
  if (!x.truncated()) return false;
  for (let i: u32 = 0; i < n; i++) {
    let mm = new MemoryInst();
    mm.max = r.u32le();
    mm.pages = r.u32le();
    let stored = r.u32le();
    if (!x.truncated()) return false;
    if (mm.pages > 65536 || (mm.max != NO_MAX && (mm.max < mm.pages || mm.max > 65536))) return x.badItem("memory", i, "bad size");
    x.pages += mm.pages;
    if (mm.pages > limits.maxPagesPerMemory || x.pages > <u64>limits.maxPagesTotal) return x.limit("memory pages");
    if (stored > mm.pages) return x.badItem("memory", i, "more stored pages than pages");
    if (<u64>stored * (F.PAGE_BYTES + 4) > <u64>r.remaining) return x.badItem("memory", i, "longer than the snapshot");
    mm.bytes = <u64>mm.pages * F.PAGE_BYTES;
    if (mm.pages > 0) {
      mm.base = x.alloc(mm.bytes, "a memory");
      if (mm.base == 0) return false;
    }
    let next: u32 = 0; // pages below this one are written
    for (let k: u32 = 0; k < stored; k++) {
      let p = r.u32le();
      if (!x.truncated()) return false;
      if (p < next || p >= mm.pages) return x.badItem("memory", i, "page index out of order or range");
      clearPages(mm.base, next, p);
      next = p + 1;
      memory.copy(mm.base + <usize>p * F.PAGE_BYTES, r.base + r.pos, F.PAGE_BYTES);
      r.skip(F.PAGE_BYTES);
    }
    clearPages(mm.base, next, mm.pages);
    x.store.mems.push(mm);
  }
  return true;
}

/**
 * Zeroes pages [from, to) of a memory block, skipping those already zero:
 * a fresh interpreter's new heap memory is, and reading it leaves it
 * untouched (a big, mostly zero guest memory then costs little to restore).
 */
function clearPages(base: usize, from: u32, to: u32): void {
  for (let p = from; p < to; p++) {
    let at = base + <usize>p * F.PAGE_BYTES;
    if (!isZeroPage(at)) memory.fill(at, 0, F.PAGE_BYTES);
  }
}

function readGlobals(x: Restoring): bool {
  if (!expectTag(x, F.TAG_GLOB)) return false;
  let r = x.r;
  let n = count(x, 10);
  if (!x.truncated()) return false;
  for (let i: u32 = 0; i < n; i++) {
    let g = new GlobalInst();
    g.type = <u8>r.u8();
    let mut = r.u8();
    g.value = <i64>r.u64le();
    if (SIMD_BUILT && g.type == ValType.V128) {
      if ((x.features & F.FEATURE_SIMD) == 0) return x.badItem("global", i, "a v128 without the simd feature bit");
      g.hi = <i64>r.u64le();
    }
    if (!x.truncated()) return false;
    if (!isDefinedValType(g.type)) return x.badItem("global", i, "unknown type");
    if (mut > 1) return x.badItem("global", i, "bad mutability");
    g.mutable = mut == 1;
    if (!refOk(x, g.type, <u64>g.value)) return x.badItem("global", i, "names no function");
    if (!isDefined(WRT_DEVICE) && (g.type == ValType.I32 || g.type == ValType.F32) && (<u64>g.value >> 32) != 0) {
      return x.badItem("global", i, "a 32-bit value with high bits");
    }
    x.store.globals.push(g);
  }
  return true;
}

function readAddrs(x: Restoring, want: u32, limit: u32, inst: u32, what: string): StaticArray<u32> | null {
  let r = x.r;
  let n = count(x, 4);
  if (!x.truncated()) return null;
  if (n != want) { x.badItem("instance", inst, what + " count differs from the module"); return null; }
  let a = new StaticArray<u32>(n);
  for (let i: u32 = 0; i < n; i++) {
    let v = r.u32le();
    if (v >= limit) { x.badItem2("instance", inst, what, i, "address out of range"); return null; }
    a[i] = v;
  }
  return a;
}

function readFlags(x: Restoring, want: i32, inst: u32, what: string): StaticArray<u8> | null {
  let r = x.r;
  let n = count(x, 1);
  if (!x.truncated()) return null;
  if (<i32>n != want) { x.badItem("instance", inst, what + " count differs from the module"); return null; }
  let a = new StaticArray<u8>(n);
  for (let i: u32 = 0; i < n; i++) {
    let v = r.u8();
    if (v > 1) { x.badItem2("instance", inst, what, i, "not 0 or 1"); return null; }
    a[i] = <u8>v;
  }
  return a;
}

function readInstances(x: Restoring): bool {
  if (!expectTag(x, F.TAG_INST)) return false;
  let r = x.r;
  let n = count(x, 1);
  if (!x.truncated()) return false;
  if (n > limits.maxInstances) return x.limit("more instances than configured");
  let s = x.store;
  for (let i: u32 = 0; i < n; i++) {
    let present = r.u8();
    if (!x.truncated()) return false;
    if (present == 0) { s.instances.push(null); continue; }
    if (present != 1) return x.badItem("instance", i, "bad presence flag");
    let mi = r.u32le();
    if (!x.truncated()) return false;
    if (mi >= <u32>x.mods.length || !x.mods[mi]) return x.badItem("instance", i, "unknown module");
    let cm = x.mods[mi]!;
    let m = cm.module;
    let inst = new Instance(cm);
    inst.id = i;
    let fa = readAddrs(x, m.numFuncs, <u32>s.funcs.length, i, "function"); if (!fa) return false;
    let ta = readAddrs(x, m.numTables, <u32>s.tables.length, i, "table"); if (!ta) return false;
    let ma = readAddrs(x, m.numMems, <u32>s.mems.length, i, "memory"); if (!ma) return false;
    let ga = readAddrs(x, m.numGlobals, <u32>s.globals.length, i, "global"); if (!ga) return false;
    inst.funcAddrs = fa; inst.tableAddrs = ta; inst.memAddrs = ma; inst.globalAddrs = ga;
    let de = readFlags(x, m.elems.length, i, "dropped element"); if (!de) return false;
    let dd = readFlags(x, m.datas.length, i, "dropped data"); if (!dd) return false;
    inst.droppedElems = de; inst.droppedDatas = dd;
    let ne = count(x, 4);
    if (!x.truncated()) return false;
    if (<i32>ne != m.elems.length) return x.badItem("instance", i, "element segment count differs");
    for (let j: u32 = 0; j < ne; j++) {
      let len = count(x, 8);
      if (!x.truncated()) return false;
      // a segment not dropped holds exactly its items (a dropped one is never read)
      if (de[j] == 0 && <i32>len != m.elems[j].count) return x.badItem2("instance", i, "element segment", j, "length differs from the module");
      let refs = new StaticArray<u64>(len);
      for (let k: u32 = 0; k < len; k++) {
        let v = r.u64le();
        if (!refOk(x, m.elems[j].type, v)) return x.badItem("instance", i, "element reference names no function");
        refs[k] = v;
      }
      inst.elemRefs.push(refs);
    }
    for (let g = 0; g < ga.length; g++) inst.globalCells[g] = s.globals[ga[g]].cell;
    s.instances.push(inst);
  }
  // A board (the device build) skips the match against the module's types and limits: none of
  // it guards the interpreter's own memory, and the device core's flash budget has no room
  // for it (docs/snapshot-format.md, "What restore checks"; docs/footprint.md).
  return funcsMatchInstances(x) && (isDefined(WRT_DEVICE) || instancesMatchModules(x));
}

/** Wasm functions belong to the instance that lists them, and take their type from it. */
function funcsMatchInstances(x: Restoring): bool {
  let s = x.store;
  for (let a = 0; a < s.funcs.length; a++) {
    let f = s.funcs[a];
    if (f.instance < 0) continue;
    if (f.instance >= s.instances.length || !s.instances[f.instance]) return x.badItem("function", a, "unknown instance");
    let inst = s.instances[f.instance]!;
    let m = inst.compiled.module;
    if (f.funcIdx < m.numImportedFuncs || f.funcIdx >= m.numFuncs || inst.funcAddrs[f.funcIdx] != <u32>a) {
      return x.badItem("function", a, "not a function of its instance");
    }
    let ti = m.funcTypeIdx[f.funcIdx - m.numImportedFuncs];
    f.type = m.types[ti];
    f.canon = inst.compiled.typeCanon[ti];
  }
  return true;
}

/**
 * Each instance's functions, tables, memories and globals have the types
 * and limits its module declares: imports as import matching requires,
 * definitions exactly (element type, maximum) and at least their minimum.
 */
function instancesMatchModules(x: Restoring): bool {
  let s = x.store;
  for (let i = 0; i < s.instances.length; i++) {
    let inst = s.instances[i];
    if (!inst) continue;
    let cm = inst.compiled;
    let m = cm.module;
    for (let k: u32 = 0; k < m.numImportedFuncs; k++) {
      if (s.funcs[inst.funcAddrs[k]].canon != cm.typeCanon[m.funcImports[k].typeIdx]) {
        return x.badItem2("instance", i, "imported function", k, "has another type");
      }
    }
    for (let k: u32 = m.numImportedFuncs; k < m.numFuncs; k++) {
      let f = s.funcs[inst.funcAddrs[k]];
      if (f.instance != <i32>i || f.funcIdx != k) return x.badItem2("instance", i, "function", k, "is not its own");
    }
    for (let k: u32 = 0; k < m.numTables; k++) {
      let t = s.tables[inst.tableAddrs[k]];
      let tt = m.tableType(k);
      let imported = k < m.numImportedTables;
      if (t.elemType != tt.elem || !limitsOk(<u64>t.size, t.max, tt.limits.min, tt.limits.hasMax, tt.limits.max, imported)) {
        return x.badItem2("instance", i, "table", k, "differs from its type in the module");
      }
    }
    for (let k: u32 = 0; k < m.numMems; k++) {
      let mm = s.mems[inst.memAddrs[k]];
      let l = m.memType(k).limits;
      if (!limitsOk(<u64>mm.pages, mm.max, l.min, l.hasMax, l.max, k < m.numImportedMems)) {
        return x.badItem2("instance", i, "memory", k, "differs from its type in the module");
      }
    }
    for (let k: u32 = 0; k < m.numGlobals; k++) {
      let g = s.globals[inst.globalAddrs[k]];
      let want = m.globalType(k);
      if (g.type != want.type || g.mutable != want.mutable) {
        return x.badItem2("instance", i, "global", k, "has another type");
      }
    }
  }
  return true;
}

/** Size and maximum against a module's limits: an import as linking matches it, a definition exactly. */
function limitsOk(size: u64, max: u32, min: u64, hasMax: bool, declMax: u64, imported: bool): bool {
  if (size < min) return false;
  if (!imported) return hasMax ? <u64>max == declMax : max == NO_MAX;
  return !hasMax || (max != NO_MAX && <u64>max <= declMax);
}

// ---------------------------------------------------------------- the machine

/** What the MACH and STAK sections hold: the saved fields in a scratch Machine, and where the rest lies. */
class MachineImage {
  /**
   * The saved fields, read into a zeroed block laid out as a Machine (only
   * the MACH_FIELDS rows are ever read: no managed field is touched, and no
   * Machine constructor is needed for it).
   */
  block: usize = 0;
  @inline get fields(): Machine { return changetype<Machine>(this.block); }
  framesAt: u32 = 0;
  stackTop: u32 = 0;
  stackAt: u32 = 0;
  /** Address of frame `i` in the snapshot. */
  frame(x: Restoring, i: u32): usize { return frameAt(x.r.base + this.framesAt, i); }
}

function readMachine(x: Restoring, mi: MachineImage): bool {
  if (!expectTag(x, F.TAG_MACH)) return false;
  let r = x.r;
  if (r.remaining < machFieldsBytes()) return x.bad("machine fields longer than the snapshot");
  let to = mi.block;
  for (let i = 0; i < machFieldCount(); i++) {
    let n = machFieldBytes(i);
    memory.copy(to + machFieldOffset(i), r.base + r.pos, n);
    r.pos += n;
  }
  let m = mi.fields;
  if (load<u8>(to + offsetof<Machine>("hostDirect")) > 1) return x.bad("hostDirect is not 0 or 1");
  if (m.frameCount > machine.frameCap) return x.limit("more frames than the configured call stack");
  if (<u64>m.frameCount * FRAME_BYTES > <u64>r.remaining) return x.bad("frames longer than the snapshot");
  mi.framesAt = r.pos;
  r.skip(m.frameCount * FRAME_BYTES);
  if (!expectTag(x, F.TAG_STAK)) return false;
  mi.stackTop = r.u32le();
  if (!x.truncated()) return false;
  if (mi.stackTop > machine.stackBytes) return x.limit("value stack larger than configured");
  if (mi.stackTop > r.remaining) return x.bad("stack longer than the snapshot");
  mi.stackAt = r.pos;
  r.skip(mi.stackTop);
  return x.truncated();
}

/** The compiled module of a live instance, or null. */
function compiledOf(x: Restoring, inst: u32): CompiledModule | null {
  let s = x.store;
  if (inst >= <u32>s.instances.length) return null;
  let i = s.instances[inst];
  return i ? i.compiled : null;
}

/** Word `k` of funcInfo for defined function `d`. */
@inline function info(cm: CompiledModule, d: i32, k: i32): u32 { return cm.funcInfo[d * <i32>FUNC_INFO_WORDS + k]; }

/**
 * A Wasm activation (instance, pc, fp): pc is an op of a function of that
 * instance, fp is aligned, and the function's whole frame lies within the
 * saved stack. Returns the defined-function index, or -1.
 */
function activation(x: Restoring, mi: MachineImage, inst: u32, pc: u32, fp: u32): i32 {
  let cm = compiledOf(x, inst);
  if (!cm || !cm.isOpStart(pc)) return -1;
  let d = cm.funcAt(pc);
  if (d < 0) return -1;
  if ((fp & 7) != 0 || <u64>fp + <u64>info(cm, d, FI_FRAME_BYTES) > <u64>mi.stackTop) return -1;
  return d;
}

/** The call op that `retPc` follows: its Ir op (Call, CallImport, CallIndirect), or 0. */
function callBefore(cm: CompiledModule, retPc: u32): u32 {
  if (retPc >= 12 && cm.isOpStart(retPc - 12)) {
    let op = load<u32>(cm.codeBase + retPc - 12);
    if (op == Ir.Call || op == Ir.CallImport) return op;
  }
  if (retPc >= 20 && cm.isOpStart(retPc - 20) && load<u32>(cm.codeBase + retPc - 20) == Ir.CallIndirect) return Ir.CallIndirect;
  return 0;
}

/** Stack offset (from the caller's fp) of the arguments of the call op before `retPc`. */
function callArgOff(cm: CompiledModule, retPc: u32, op: u32): u32 {
  return op == Ir.CallIndirect ? load<u32>(cm.codeBase + retPc - 20, 12) : load<u32>(cm.codeBase + retPc - 12, 8);
}

/**
 * Can the call op before `retPc` (in instance `inst`) have called store
 * function `callee`? Call and CallImport name it; CallIndirect checks its type.
 */
function callMayReach(x: Restoring, inst: u32, retPc: u32, op: u32, callee: u32): bool {
  let s = x.store;
  let ins = s.instances[inst]!;
  let cm = ins.compiled;
  let at = cm.codeBase + retPc - (op == Ir.CallIndirect ? 20 : 12);
  let f = s.funcs[callee];
  if (op == Ir.Call) {
    let d = load<u32>(at, 4) / FUNC_INFO_BYTES;
    return f.instance == <i32>inst && f.funcIdx == cm.module.numImportedFuncs + d;
  }
  if (op == Ir.CallImport) {
    let k = load<u32>(at, 4);
    return k < <u32>ins.funcAddrs.length && ins.funcAddrs[k] == callee;
  }
  return f.canon == load<u32>(at, 4);
}

/** Store address of defined function `d` of instance `inst`. */
function funcAddrOf(x: Restoring, inst: u32, d: i32): u32 {
  let ins = x.store.instances[inst]!;
  return ins.funcAddrs[ins.compiled.module.numImportedFuncs + <u32>d];
}

/** Argument/result slots of a function type. */
function slotsOf(f: FuncInst): u32 {
  let np = <u32>f.type.paramSlots, nr = <u32>f.type.resultSlots;
  return np > nr ? np : nr;
}

/**
 * Values of `types` at stack offset `off` in the snapshot's stack: funcrefs
 * name functions (what the host is handed; the dispatch loop checks a
 * funcref wherever it follows one, so a board skips this).
 */
function slotsTyped(x: Restoring, mi: MachineImage, off: u32, types: Array<u8>): bool {
  if (isDefined(WRT_DEVICE)) return true;
  let at = off;
  for (let k = 0; k < types.length; k++) {
    let v = load<u64>(x.r.base + mi.stackAt + at);
    if (!refOk(x, types[k], v)) return false;
    at += types[k] == ValType.V128 ? 16 : 8; // a v128 takes two slots
  }
  return true;
}

/** A host call's slots (arguments, then results in the same place) lie within the saved stack. */
function hostSlotsOk(x: Restoring, mi: MachineImage, func: u32, args: u32): bool {
  let s = x.store;
  if (func >= <u32>s.funcs.length || s.funcs[func].instance >= 0) return false;
  let f = s.funcs[func];
  if ((args & 7) != 0 || <u64>args + (<u64>slotsOf(f) << 3) > <u64>mi.stackTop) return false;
  return slotsTyped(x, mi, args, f.type.params);
}

/** The locals of an activation of defined function `d`: funcref locals name functions. */
function localsTyped(x: Restoring, mi: MachineImage, inst: u32, d: i32, fp: u32): bool {
  let cm = x.store.instances[inst]!.compiled;
  let m = cm.module;
  let t = m.types[m.funcTypeIdx[d]];
  if (!slotsTyped(x, mi, fp, t.params)) return false;
  return slotsTyped(x, mi, fp + (<u32>t.paramSlots << 3), m.codes[d].locals);
}

/**
 * Walks the call stack bottom-up as the grammar of exec/frame.ts allows it:
 *   frame 0 is a host frame with flags 0 (the outermost call: word 4 a
 *   function, word 8 zero); a Wasm frame is a return position just after
 *   a call op, whose callee is the next activation, at fp + the op's
 *   argument offset; a host frame with flags 1 sits on the Wasm position
 *   whose host call was pending (word 4 that host function, word 8 its
 *   arguments), with flags 3 on the host frame of a direct host call.
 * The current position (Ready, HostCall from Wasm) is the last activation.
 */
function checkFrames(x: Restoring, mi: MachineImage): bool {
  let s = x.store;
  let m = mi.fields;
  let n = m.frameCount;
  let running = m.status == Status.Ready || m.status == Status.HostCall;
  if (!running) return n == 0 ? true : x.bad("an idle machine has no frames");
  if (n == 0) return x.bad("a call in progress needs a host frame");
  // the function each host-level call started, where known: frame 0's, then m.calledFunc for the innermost
  let expectFunc: i64 = -1; // store address the next activation must be in (-1 unknown)
  let expectFp: i64 = -1;   // its frame offset (-1 unknown)
  let innermostHost: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let fr = mi.frame(x, i);
    if (frameIsHost(fr)) {
      let flags = hostFrameFlags(fr);
      let func = hostFrameFunc(fr), args = hostFrameArgs(fr);
      if (i == 0) {
        if (flags != 0) return x.badItem("frame", i, "the bottom host frame has flags 0");
        if (func >= <u32>s.funcs.length) return x.badItem("frame", i, "the function called names no function");
        if (args != 0) return x.badItem("frame", i, "word 8 of the bottom host frame is 0");
        expectFunc = func; expectFp = 0;
      } else {
        if (flags != HOST_OUTER && flags != (HOST_OUTER | HOST_DIRECT)) return x.badItem("frame", i, "bad host frame flags");
        if (!hostSlotsOk(x, mi, func, args)) return x.badItem("frame", i, "the saved host call names no host function or its slots lie outside the stack");
        let below = mi.frame(x, i - 1);
        if ((flags & HOST_DIRECT) != 0) {
          // a direct host call: the host frame below started it, and nothing ran in between
          if (!frameIsHost(below)) return x.badItem("frame", i, "a nested call from a direct host call must sit on that call's host frame");
          if (expectFunc >= 0 && expectFunc != <i64>func) return x.badItem("frame", i, "the saved host call is not the call its host frame started");
          if (expectFp >= 0 && expectFp != <i64>args) return x.badItem("frame", i, "the saved host call's arguments are not where its call put them");
        } else {
          if (frameIsHost(below)) return x.badItem("frame", i, "a nested call from a Wasm host call needs the caller's position below it");
          // the position below is a call of this host function, its arguments at fp + the op's argument offset
          let inst = frameInst(below), pc = frameRetPc(below), fp = frameFp(below);
          let cm = s.instances[inst]!.compiled; // checked as a Wasm frame already
          let op = callBefore(cm, pc);
          if (op == Ir.Call || !callMayReach(x, inst, pc, op, func)) return x.badItem("frame", i, "the saved host call is not the call at the position below");
          if (<u64>fp + <u64>callArgOff(cm, pc, op) != <u64>args) return x.badItem("frame", i, "the saved host call's arguments are not at the call's argument slots");
        }
        // a nested call starts above the pending call's slots; its function is not recorded
        expectFunc = -1;
        expectFp = <i64>args + (<i64>slotsOf(s.funcs[func]) << 3);
      }
      innermostHost = i;
      continue;
    }
    if (i == 0) return x.bad("the call stack must start with a host frame");
    if (frameExtra(fr) != 0) return x.badItem("frame", i, "word 12 of a Wasm frame is 0");
    let inst = frameInst(fr), pc = frameRetPc(fr), fp = frameFp(fr);
    let d = activation(x, mi, inst, pc, fp);
    if (d < 0) return x.badItem("frame", i, "not a position in a live function");
    if (!activationFits(x, mi, inst, d, fp, expectFunc, expectFp)) return x.badItem("frame", i, "not the function or frame its caller called");
    let cm = s.instances[inst]!.compiled;
    let op = callBefore(cm, pc);
    if (op == 0) return x.badItem("frame", i, "the return position does not follow a call");
    // the callee: the next Wasm frame, or the current position; a host frame above means a pending host call
    expectFp = <i64>fp + <i64>callArgOff(cm, pc, op);
    expectFunc = -1;
    if (!nextIsCallee(x, mi, i, inst, pc, op)) return x.badItem("frame", i, "the next activation is not what its call op calls");
  }
  return currentPosition(x, mi, expectFunc, expectFp, innermostHost);
}

/** The activation of defined function `d` at `fp` is the one its caller set up (where known). */
function activationFits(x: Restoring, mi: MachineImage, inst: u32, d: i32, fp: u32, expectFunc: i64, expectFp: i64): bool {
  if (expectFp >= 0 && <i64>fp != expectFp) return false;
  if (expectFunc >= 0 && <i64>funcAddrOf(x, inst, d) != expectFunc) return false;
  return isDefined(WRT_DEVICE) || localsTyped(x, mi, inst, d, fp);
}

/** After Wasm frame `i` (a call op at inst/pc): the callee is the next Wasm frame's or the current function. */
function nextIsCallee(x: Restoring, mi: MachineImage, i: u32, inst: u32, pc: u32, op: u32): bool {
  let m = mi.fields;
  let nextInst: u32, nextPc: u32;
  if (i + 1 < m.frameCount) {
    let nf = mi.frame(x, i + 1);
    if (frameIsHost(nf)) return true; // a position frame under a nested call: checked with that host frame
    nextInst = frameInst(nf); nextPc = frameRetPc(nf);
  } else {
    if (m.status == Status.HostCall && m.hostDirect) return x.bad("a direct host call sits on a host frame");
    nextInst = m.inst; nextPc = m.pcOff;
  }
  let cm = compiledOf(x, nextInst);
  if (!cm) return false;
  let d = cm.funcAt(nextPc);
  if (d < 0) return false;
  return callMayReach(x, inst, pc, op, funcAddrOf(x, nextInst, d));
}

/**
 * The current position: Ready runs at an op of the function the frames
 * lead to (a Fuel op in metered code unless resuming inside a block);
 * HostCall from Wasm also needs the op before pc to call hostFunc with its
 * arguments at hostArgsOff; a direct host call sits on its host frame.
 */
function currentPosition(x: Restoring, mi: MachineImage, expectFunc: i64, expectFp: i64, innermostHost: u32): bool {
  let s = x.store;
  let m = mi.fields;
  let top = mi.frame(x, m.frameCount - 1);
  if (m.status == Status.HostCall) {
    if (!hostSlotsOk(x, mi, m.hostFunc, m.hostArgsOff)) return x.bad("pending host call names no host function or its slots lie outside the stack");
  }
  if (m.status == Status.HostCall && m.hostDirect) {
    if (!frameIsHost(top)) return x.bad("a direct host call sits on its host frame");
    if (expectFunc >= 0 && expectFunc != <i64>m.hostFunc) return x.bad("the pending host call is not the call its host frame started");
    if (expectFp >= 0 && expectFp != <i64>m.hostArgsOff) return x.bad("the pending host call's arguments are not where its call put them");
    if (m.calledFunc != m.hostFunc) return x.bad("calledFunc is not the pending direct host call");
    return true;
  }
  let d = activation(x, mi, m.inst, m.pcOff, m.fpOff);
  if (d < 0) return x.bad("current position is not an instruction of a live function");
  if (!activationFits(x, mi, m.inst, d, m.fpOff, expectFunc, expectFp)) return x.bad("current position is not the function or frame its caller called");
  let cm = s.instances[m.inst]!.compiled;
  if (m.status == Status.HostCall) {
    let op = callBefore(cm, m.pcOff);
    if (op == 0 || op == Ir.Call || !callMayReach(x, m.inst, m.pcOff, op, m.hostFunc)) return x.bad("the pending host call is not the call before the current position");
    if (<u64>m.fpOff + <u64>callArgOff(cm, m.pcOff, op) != <u64>m.hostArgsOff) return x.bad("the pending host call's arguments are not at the call's argument slots");
  } else if (m.resumeSide < 0 && cm.metered) {
    // a paid block is entered at its Fuel op; the one exception is a bulk op
    // that stopped part-way for its per-unit fuel (exec/bulk.ts): its block
    // is paid and it continues at itself
    let word = load<u32>(cm.codeBase + m.pcOff);
    if (word != Ir.Fuel && (opFlags(word) & OpFlag.RESUMABLE) == 0)
      return x.bad("a call continues at a block start (a Fuel op), a bulk op stopped part-way, or inside a block it resumes");
  }
  // the innermost host-level call's function: the first activation above its host frame
  let first = innermostHost + 1 < m.frameCount ? mi.frame(x, innermostHost + 1) : 0;
  let fInst = first ? frameInst(first) : m.inst, fPc = first ? frameRetPc(first) : m.pcOff;
  let fcm = compiledOf(x, fInst)!;
  if (m.calledFunc != funcAddrOf(x, fInst, fcm.funcAt(fPc))) return x.bad("calledFunc is not the function of the innermost call from the host");
  return true;
}

/** resumeSide/K must name op K of a block of that module, sitting at pcOff. */
function resumeOk(cm: CompiledModule, side: i32, k: u32, pcOff: u32): bool {
  let t = cm.side;
  let i = 0;
  while (i < t.length) {
    let n = <i32>t[i];
    if (i == side) {
      // pc at op k (a fuel halt), or at an earlier op of the block: a bulk op
      // that stopped for fuel part-way (exec/bulk.ts, docs/fuel.md)
      if (k >= <u32>n) return false;
      if (t[sideEntry(i, <i32>k) + SIDE_PC] == pcOff) return true;
      if ((pcOff & 3) != 0 || (pcOff >>> 2) >= <u32>cm.code.length) return false;
      if ((opFlags(cm.code[pcOff >>> 2]) & OpFlag.RESUMABLE) == 0) return false;
      for (let j = 0; j < <i32>k; j++) if (t[sideEntry(i, j) + SIDE_PC] == pcOff) return true;
      return false;
    }
    if (i > side) return false;
    i = sideNext(i, n);
  }
  return false;
}

function checkMachine(x: Restoring, mi: MachineImage): bool {
  let s = x.store;
  let m = mi.fields;
  if (m.status != Status.Idle && m.status != Status.Ready && m.status != Status.HostCall) return x.bad("machine status");
  if (m.pending != -1 && m.pending != Status.Done && m.pending != Status.Trap) return x.bad("pending status");
  if (m.pending != -1 && m.status == Status.Ready) return x.bad("a pending result with a call running");
  if (m.trap != Trap.None && trapText(m.trap) == trapText(Trap.None)) return x.bad("unknown trap code");
  if ((m.resultsOff & 7) != 0 || <u64>m.resultsOff + (<u64>m.resultCount << 3) > <u64>mi.stackTop) return x.bad("results outside the stack");
  if (m.calledFunc != 0 && m.calledFunc >= <u32>s.funcs.length) return x.bad("calledFunc names no function");
  if (m.pending == Status.Done && m.status == Status.Idle) {
    // the results the host reads next: those of calledFunc (the direct host call just
    // answered), with funcrefs naming functions; inside a nested call calledFunc is
    // the outermost call's again, and the results are only bounded
    if (m.calledFunc >= <u32>s.funcs.length) return x.bad("calledFunc names no function");
    let rt = s.funcs[m.calledFunc].type.results;
    if (<u32>slotCount(rt) != m.resultCount || !slotsTyped(x, mi, m.resultsOff, rt)) return x.bad("the pending results are not those of calledFunc");
  }
  if (m.status == Status.Idle) {
    if (m.pcOff != 0 || m.fpOff != 0 || m.resumeSide != -1 || m.resumeK != 0) return x.bad("an idle machine has pc, fp and resume point 0");
  }
  if (m.status != Status.HostCall && (m.hostFunc != 0 || m.hostArgsOff != 0 || m.hostDirect)) return x.bad("host call fields without a pending host call");
  if (m.status != Status.Ready && m.resumeSide != -1) return x.bad("fuel resume point without a running call");
  if (m.resumeSide < -1) return x.bad("fuel resume point");
  if (m.resumeSide >= 0) {
    let cm = compiledOf(x, m.inst);
    if (!cm || !resumeOk(cm, m.resumeSide, m.resumeK, m.pcOff)) return x.bad("fuel resume point does not match the code");
  } else if (m.resumeK != 0) return x.bad("resumeK without a resume point");
  if (m.status == Status.Idle && m.inst != 0) return x.bad("an idle machine names no instance");
  return checkFrames(x, mi);
}

// ---------------------------------------------------------------- restore

/** Replaces the interpreter's state with the snapshot at `p` (`len` bytes). 0 or -1 (lastError). */
export function restoreSnapshot(p: usize, len: u32): i32 {
  lastError.clear();
  if (len < F.HEADER_BYTES + 4) { lastError.set(Err.SnapshotMagic, 0, "too short"); return -1; }
  if (load<u32>(p) != F.SNAP_MAGIC) { lastError.set(Err.SnapshotMagic, 0, ""); return -1; }
  if (load<u32>(p, 4) != F.SNAP_VERSION || load<u32>(p, 8) != IR_VERSION) { lastError.set(Err.SnapshotVersion, 4, ""); return -1; }
  if (load<u32>(p, 16) != len) { lastError.set(Err.SnapshotCorrupt, 16, "length field says " + load<u32>(p, 16).toString() + " bytes, got " + len.toString()); return -1; }
  if (crc32(p, len - 4) != load<u32>(p + len - 4)) { lastError.set(Err.SnapshotChecksum, <i64>(len - 4), ""); return -1; }
  if (load<u32>(p, 12) != fuelTableHash()) { lastError.set(Err.SnapshotVersion, 12, "the fuel cost table differs"); return -1; }
  if (!featuresOk(p)) return -1;
  if (machine.status != Status.Idle) { lastError.set(Err.SnapshotState, -1, "restore needs an idle interpreter"); return -1; }
  if (!machine.ensureStacks()) { lastError.set(Err.SnapshotLimit, -1, STACKS_DO_NOT_FIT); return -1; }

  let x = new Restoring(new Reader(p, F.HEADER_BYTES, len - 4));
  if (SIMD_BUILT) x.features = load<u32>(p, F.FEATURES_AT);
  let mi = new MachineImage();
  mi.block = x.alloc(offsetof<Machine>(), "machine");
  if (mi.block == 0) return -1;
  memory.fill(mi.block, 0, offsetof<Machine>());
  let ok = readModules(x) && readFuncs(x) && readTables(x) && readMemories(x) && readGlobals(x)
    && readInstances(x) && readMachine(x, mi) && checkMachine(x, mi);
  if (ok && x.r.pos != x.sectionEnd) ok = x.bad("section length does not match its contents");
  if (ok) ok = skipAncillary(x);
  if (ok && !x.r.atEnd) ok = x.bad(x.r.remaining >= 4 && !F.isKnownTag(load<u32>(x.r.base + x.r.pos))
    ? "unknown section \"" + tagName(load<u32>(x.r.base + x.r.pos)) + "\""
    : "bytes after the last section");
  if (!ok) { x.freeAll(); return -1; }
  commit(x, mi, p);
  return 0;
}

/** Nothing can fail from here: free the old store's raw blocks, take the new store and machine. */
function commit(x: Restoring, mi: MachineImage, p: usize): void {
  let old = theStore;
  for (let i = 0; i < old.tables.length; i++) if (old.tables[i].elems) heap.free(old.tables[i].elems);
  for (let i = 0; i < old.mems.length; i++) if (old.mems[i].base) heap.free(old.mems[i].base);
  old.funcs = x.store.funcs;
  old.tables = x.store.tables;
  old.mems = x.store.mems;
  old.globals = x.store.globals;
  old.instances = x.store.instances;
  setTotalPages(<u32>x.pages);

  let m = machine;
  let from = mi.block, to = changetype<usize>(m);
  for (let i = 0; i < machFieldCount(); i++) memory.copy(to + machFieldOffset(i), from + machFieldOffset(i), machFieldBytes(i));
  m.patchInst = -1;
  m.trapText = "";
  memory.copy(m.frames, p + mi.framesAt, <usize>m.frameCount * FRAME_BYTES);
  memory.copy(m.stack, p + mi.stackAt, mi.stackTop);
  heap.free(mi.block);
}
