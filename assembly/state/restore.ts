// Reading a snapshot back. Everything is checked before anything changes:
// the checksum first, then every count, address and offset against what it
// must fit (the loaded modules, the configured limits, the compiled code's
// op boundaries), so a bad snapshot is refused with a reason and the
// interpreter keeps the state it had.

import { Reader } from "../binary/reader";
import { FuncType } from "../binary/module";
import { Err, lastError } from "../errors";
import { CompiledModule, FUNC_INFO_WORDS } from "../compile/compiled";
import { IR_VERSION } from "../compile/ir";
import { opFlags, OpFlag } from "../compile/operands";
import { internType } from "../runtime/types";
import { limits } from "../runtime/limits";
import {
  theStore, Store, Instance, FuncInst, TableInst, MemoryInst, GlobalInst, NO_MAX, setTotalPages,
} from "../runtime/store";
import { machine, Status, FRAME_BYTES, HOST_FRAME } from "../exec/machine";
import { fuelTableHash } from "../exec/fuel";
import { crc32 } from "./hash";
import { isZeroPage } from "./bytes";
import * as F from "./format";

/** A restore in progress: the new objects, and the raw blocks to free if it fails. */
class Restoring {
  r: Reader;
  store: Store = new Store();
  mods: Array<CompiledModule | null> = [];
  blocks: Array<usize> = [];
  pages: u64 = 0;
  /** Where the current section must end (its length field). */
  sectionEnd: u32 = 0;

  constructor(r: Reader) { this.r = r; }

  bad(what: string): bool {
    if (lastError.code == Err.None) lastError.set(Err.SnapshotCorrupt, <i64>this.r.pos, what);
    return false;
  }
  /** The reader ran out or a count did not fit. */
  truncated(): bool {
    return this.r.failed ? this.bad("truncated or oversized field") : true;
  }
  alloc(n: usize): usize {
    let p = heap.alloc(n > 0 ? n : 8);
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

function readModules(x: Restoring): bool {
  if (!expectTag(x, F.TAG_MODS)) return false;
  let r = x.r;
  let n = count(x, 9);
  if (!x.truncated()) return false;
  for (let i: u32 = 0; i < n; i++) {
    let flags = r.u8();
    let hash = r.u64le();
    if (!x.truncated()) return false;
    if ((flags & 1) == 0) { x.mods.push(null); continue; }
    let cm = findModule(hash, i);
    if (!cm) {
      lastError.set(Err.SnapshotModule, <i64>r.pos, "module " + i.toString() + " (hash 0x" + hash.toString(16) + ")");
      return false;
    }
    if (cm.metered != ((flags & 2) != 0)) {
      lastError.set(Err.SnapshotModule, <i64>r.pos, "module " + i.toString() + " was compiled with other fuel metering");
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
      if (f.instance < 0) return x.bad("function " + i.toString() + ": bad instance");
    } else if (kind == 1) {
      f.hostId = <i32>r.u32le();
      let np = count(x, 1);
      let nr = count(x, 0);
      if (!x.truncated()) return false;
      if (<u64>np + <u64>nr > <u64>r.remaining) return x.bad("function type longer than the snapshot");
      let t = new FuncType();
      for (let j: u32 = 0; j < np + nr; j++) {
        let b = <u8>r.u8();
        if (!isDefinedValType(b)) return x.bad("function " + i.toString() + ": bad value type in its type");
        if (j < np) t.params.push(b); else t.results.push(b);
      }
      f.type = t;
      f.canon = internType(t);
    } else {
      return x.bad("function " + i.toString() + ": bad kind");
    }
    if (!x.truncated()) return false;
    x.store.funcs.push(f);
  }
  return true;
}

function isDefinedValType(b: u8): bool {
  return b == 0x7F || b == 0x7E || b == 0x7D || b == 0x7C || b == 0x70 || b == 0x6F;
}

/** A reference slot is null or names an existing function (funcref) / any bits (externref). */
function refOk(x: Restoring, elemType: u8, v: u64): bool {
  if (elemType != 0x70) return true;
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
    if (t.elemType != 0x70 && t.elemType != 0x6F) return x.bad("table " + i.toString() + ": bad element type");
    if (t.size > limits.maxTableElems) { lastError.set(Err.SnapshotLimit, <i64>r.pos, "table " + i.toString() + " size"); return false; }
    if (t.max != NO_MAX && t.max < t.size) return x.bad("table " + i.toString() + ": size above maximum");
    if (<u64>t.size * 8 > <u64>r.remaining) return x.bad("table " + i.toString() + " longer than the snapshot");
    t.elems = x.alloc(<usize>t.size << 3);
    memory.copy(t.elems, r.base + r.pos, <usize>t.size << 3);
    r.skip(t.size << 3);
    for (let j: u32 = 0; j < t.size; j++) {
      if (!refOk(x, t.elemType, load<u64>(t.elems + (<usize>j << 3)))) return x.bad("table " + i.toString() + ": element " + j.toString() + " names no function");
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
    if (mm.pages > 65536 || (mm.max != NO_MAX && mm.max < mm.pages)) return x.bad("memory " + i.toString() + ": bad size");
    x.pages += mm.pages;
    if (mm.pages > limits.maxPagesPerMemory || x.pages > <u64>limits.maxPagesTotal) {
      lastError.set(Err.SnapshotLimit, <i64>r.pos, "memory " + i.toString() + " pages");
      return false;
    }
    if (stored > mm.pages) return x.bad("memory " + i.toString() + ": more stored pages than pages");
    if (<u64>stored * (F.PAGE_BYTES + 4) > <u64>r.remaining) return x.bad("memory " + i.toString() + " longer than the snapshot");
    mm.bytes = <u64>mm.pages * F.PAGE_BYTES;
    if (mm.pages > 0) mm.base = x.alloc(<usize>mm.bytes);
    let next: u32 = 0; // pages below this one are written
    for (let k: u32 = 0; k < stored; k++) {
      let p = r.u32le();
      if (!x.truncated()) return false;
      if (p < next || p >= mm.pages) return x.bad("memory " + i.toString() + ": page index out of order or range");
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
    if (!x.truncated()) return false;
    if (mut > 1) return x.bad("global " + i.toString() + ": bad mutability");
    g.mutable = mut == 1;
    if (!refOk(x, g.type, <u64>g.value)) return x.bad("global " + i.toString() + ": names no function");
    x.store.globals.push(g);
  }
  return true;
}

function readAddrs(x: Restoring, want: u32, limit: u32, what: string): StaticArray<u32> | null {
  let r = x.r;
  let n = count(x, 4);
  if (!x.truncated()) return null;
  if (n != want) { x.bad(what + ": count differs from the module"); return null; }
  let a = new StaticArray<u32>(n);
  for (let i: u32 = 0; i < n; i++) {
    let v = r.u32le();
    if (v >= limit) { x.bad(what + " " + i.toString() + ": address out of range"); return null; }
    a[i] = v;
  }
  return a;
}

function readFlags(x: Restoring, want: i32, what: string): StaticArray<u8> | null {
  let r = x.r;
  let n = count(x, 1);
  if (!x.truncated()) return null;
  if (<i32>n != want) { x.bad(what + ": count differs from the module"); return null; }
  let a = new StaticArray<u8>(n);
  for (let i: u32 = 0; i < n; i++) a[i] = <u8>(r.u8() != 0 ? 1 : 0);
  return a;
}

function readInstances(x: Restoring): bool {
  if (!expectTag(x, F.TAG_INST)) return false;
  let r = x.r;
  let n = count(x, 1);
  if (!x.truncated()) return false;
  let s = x.store;
  for (let i: u32 = 0; i < n; i++) {
    let present = r.u8();
    if (!x.truncated()) return false;
    if (present == 0) { s.instances.push(null); continue; }
    if (present != 1) return x.bad("instance " + i.toString() + ": bad presence flag");
    let mi = r.u32le();
    if (!x.truncated()) return false;
    if (mi >= <u32>x.mods.length || !x.mods[mi]) return x.bad("instance " + i.toString() + ": unknown module");
    let cm = x.mods[mi]!;
    let m = cm.module;
    let inst = new Instance(cm);
    inst.id = i;
    let what = "instance " + i.toString();
    let fa = readAddrs(x, m.numFuncs, <u32>s.funcs.length, what + " function"); if (!fa) return false;
    let ta = readAddrs(x, m.numTables, <u32>s.tables.length, what + " table"); if (!ta) return false;
    let ma = readAddrs(x, m.numMems, <u32>s.mems.length, what + " memory"); if (!ma) return false;
    let ga = readAddrs(x, m.numGlobals, <u32>s.globals.length, what + " global"); if (!ga) return false;
    inst.funcAddrs = fa; inst.tableAddrs = ta; inst.memAddrs = ma; inst.globalAddrs = ga;
    let de = readFlags(x, m.elems.length, what + " dropped elements"); if (!de) return false;
    let dd = readFlags(x, m.datas.length, what + " dropped data"); if (!dd) return false;
    inst.droppedElems = de; inst.droppedDatas = dd;
    let ne = count(x, 4);
    if (!x.truncated()) return false;
    if (<i32>ne != m.elems.length) return x.bad(what + ": element segment count differs");
    for (let j: u32 = 0; j < ne; j++) {
      let len = count(x, 8);
      if (!x.truncated()) return false;
      let refs = new StaticArray<u64>(len);
      for (let k: u32 = 0; k < len; k++) {
        let v = r.u64le();
        if (!refOk(x, m.elems[j].type, v)) return x.bad(what + ": element reference names no function");
        refs[k] = v;
      }
      inst.elemRefs.push(refs);
    }
    for (let g = 0; g < ga.length; g++) inst.globalCells[g] = s.globals[ga[g]].cell;
    s.instances.push(inst);
  }
  // Wasm functions must belong to the instance that lists them.
  for (let a = 0; a < s.funcs.length; a++) {
    let f = s.funcs[a];
    if (f.instance < 0) continue;
    if (f.instance >= s.instances.length || !s.instances[f.instance]) return x.bad("function " + a.toString() + ": unknown instance");
    let inst = s.instances[f.instance]!;
    let m = inst.compiled.module;
    if (f.funcIdx < m.numImportedFuncs || f.funcIdx >= m.numFuncs || inst.funcAddrs[f.funcIdx] != <u32>a) {
      return x.bad("function " + a.toString() + ": not a function of its instance");
    }
    let ti = m.funcTypeIdx[f.funcIdx - m.numImportedFuncs];
    f.type = m.types[ti];
    f.canon = inst.compiled.typeCanon[ti];
  }
  // What each instance imports must have the type its module expects; its globals theirs.
  for (let i = 0; i < s.instances.length; i++) {
    let inst = s.instances[i];
    if (!inst) continue;
    let cm = inst.compiled;
    let m = cm.module;
    for (let k: u32 = 0; k < m.numImportedFuncs; k++) {
      if (s.funcs[inst.funcAddrs[k]].canon != cm.typeCanon[m.funcImports[k].typeIdx]) {
        return x.bad("instance " + i.toString() + ": imported function " + k.toString() + " has another type");
      }
    }
    for (let k: u32 = 0; k < m.numGlobals; k++) {
      let g = s.globals[inst.globalAddrs[k]];
      let want = m.globalType(k);
      if (g.type != want.type || g.mutable != want.mutable) {
        return x.bad("instance " + i.toString() + ": global " + k.toString() + " has another type");
      }
    }
  }
  return true;
}

/** A position (instance, pc, fp) that execution may continue at: an op of a function whose frame fits. */
function positionOk(x: Restoring, inst: u32, pcOff: u32, fpOff: u32, stackTop: u32): bool {
  let s = x.store;
  if (inst >= <u32>s.instances.length || !s.instances[inst]) return false;
  let cm = s.instances[inst]!.compiled;
  if (!cm.isOpStart(pcOff)) return false;
  let d = cm.funcAt(pcOff);
  if (d < 0) return false;
  let frameBytes = cm.funcInfo[d * <i32>FUNC_INFO_WORDS + 1];
  return (fpOff & 7) == 0 && <u64>fpOff + <u64>frameBytes <= <u64>machine.stackBytes && fpOff <= stackTop;
}

function isHostFunc(x: Restoring, addr: u32): bool {
  return addr < <u32>x.store.funcs.length && x.store.funcs[addr].instance < 0;
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
      if (t[i + 1 + <i32>k * 3] == pcOff) return true;
      if ((pcOff & 3) != 0 || (pcOff >>> 2) >= <u32>cm.code.length) return false;
      if ((opFlags(cm.code[pcOff >>> 2]) & OpFlag.RESUMABLE) == 0) return false;
      for (let j = 0; j < <i32>k; j++) if (t[i + 1 + j * 3] == pcOff) return true;
      return false;
    }
    if (i > side) return false;
    i += 1 + n * 3;
  }
  return false;
}

class MachineImage {
  status: u32 = 0; inst: u32 = 0; pcOff: u32 = 0; fpOff: u32 = 0; fuel: i64 = 0;
  resumeSide: i32 = -1; resumeK: u32 = 0;
  hostFunc: u32 = 0; hostArgsOff: u32 = 0; hostDirect: bool = false;
  resultsOff: u32 = 0; resultCount: u32 = 0; calledFunc: u32 = 0; pending: i32 = -1;
  trap: u32 = 0; trapInst: u32 = 0; trapPcOff: u32 = 0;
  frameCount: u32 = 0; framesAt: u32 = 0;
  stackTop: u32 = 0; stackAt: u32 = 0;
}

function readMachine(x: Restoring, mi: MachineImage): bool {
  if (!expectTag(x, F.TAG_MACH)) return false;
  let r = x.r;
  mi.status = r.u32le(); mi.inst = r.u32le(); mi.pcOff = r.u32le(); mi.fpOff = r.u32le();
  mi.fuel = <i64>r.u64le();
  mi.resumeSide = <i32>r.u32le(); mi.resumeK = r.u32le();
  mi.hostFunc = r.u32le(); mi.hostArgsOff = r.u32le(); mi.hostDirect = r.u8() != 0;
  mi.resultsOff = r.u32le(); mi.resultCount = r.u32le(); mi.calledFunc = r.u32le();
  mi.pending = <i32>r.u32le();
  mi.trap = r.u32le(); mi.trapInst = r.u32le(); mi.trapPcOff = r.u32le();
  mi.frameCount = r.u32le();
  if (!x.truncated()) return false;
  if (mi.frameCount > machine.frameCap) { lastError.set(Err.SnapshotLimit, <i64>r.pos, "more frames than the configured call stack"); return false; }
  if (<u64>mi.frameCount * FRAME_BYTES > <u64>r.remaining) return x.bad("frames longer than the snapshot");
  mi.framesAt = r.pos;
  r.skip(mi.frameCount * FRAME_BYTES);
  if (!expectTag(x, F.TAG_STAK)) return false;
  mi.stackTop = r.u32le();
  if (!x.truncated()) return false;
  if (mi.stackTop > machine.stackBytes) { lastError.set(Err.SnapshotLimit, <i64>r.pos, "value stack larger than configured"); return false; }
  if (mi.stackTop > r.remaining) return x.bad("stack longer than the snapshot");
  mi.stackAt = r.pos;
  r.skip(mi.stackTop);
  return x.truncated();
}

function checkMachine(x: Restoring, mi: MachineImage): bool {
  let s = x.store;
  if (mi.status != Status.Idle && mi.status != Status.Ready && mi.status != Status.HostCall) return x.bad("machine status");
  if (mi.pending != -1 && mi.pending != Status.Done && mi.pending != Status.Trap) return x.bad("pending status");
  if (<u64>mi.resultsOff + (<u64>mi.resultCount << 3) > <u64>machine.stackBytes) return x.bad("results outside the stack");
  if (mi.status == Status.Ready || (mi.status == Status.HostCall && !mi.hostDirect)) {
    if (!positionOk(x, mi.inst, mi.pcOff, mi.fpOff, mi.stackTop)) return x.bad("current position is not an instruction of a live function");
  }
  if (mi.status == Status.HostCall) {
    if (!isHostFunc(x, mi.hostFunc)) return x.bad("pending host call names no host function");
    let f = s.funcs[mi.hostFunc];
    let np = <u64>f.type.params.length, nr = <u64>f.type.results.length;
    if (<u64>mi.hostArgsOff + ((np > nr ? np : nr) << 3) > <u64>machine.stackBytes) return x.bad("host call arguments outside the stack");
  }
  if (mi.resumeSide >= 0) {
    if (mi.status != Status.Ready) return x.bad("fuel resume point without a running call");
    if (!resumeOk(s.instances[mi.inst]!.compiled, mi.resumeSide, mi.resumeK, mi.pcOff)) return x.bad("fuel resume point does not match the code");
  } else if (mi.resumeSide != -1) return x.bad("fuel resume point");
  let sentinels = 0;
  for (let i: u32 = 0; i < mi.frameCount; i++) {
    let fr = x.r.base + mi.framesAt + i * FRAME_BYTES;
    let inst = load<u32>(fr, 0);
    if (inst == HOST_FRAME) {
      let flags = load<u32>(fr, 12);
      if (flags > 3) return x.bad("frame " + i.toString() + ": bad flags");
      // exactly the bottom host frame starts from idle; every other one nests in a host call
      if ((i == 0) != (flags == 0)) return x.bad("frame " + i.toString() + ": host frame nesting");
      if ((flags & 3) == 1 && load<u32>(x.r.base + mi.framesAt + (i - 1) * FRAME_BYTES) == HOST_FRAME) {
        return x.bad("frame " + i.toString() + ": a nested call from a Wasm host call needs the caller's position below it");
      }
      if ((flags & 3) == 3 && load<u32>(x.r.base + mi.framesAt + (i - 1) * FRAME_BYTES) != HOST_FRAME) {
        return x.bad("frame " + i.toString() + ": a nested call from a direct host call must sit on that call's host frame");
      }
      if ((flags & 1) && !isHostFunc(x, load<u32>(fr, 4))) return x.bad("frame " + i.toString() + ": saved host call names no host function");
      sentinels++;
      continue;
    }
    if (i == 0) return x.bad("the call stack must start with a host frame");
    if (!positionOk(x, inst, load<u32>(fr, 4), load<u32>(fr, 8), mi.stackTop)) return x.bad("frame " + i.toString() + ": not a position in a live function");
  }
  if ((mi.status == Status.Ready || mi.status == Status.HostCall) && sentinels == 0) return x.bad("a call in progress needs a host frame");
  return true;
}

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
  machine.ensureStacks();

  let x = new Restoring(new Reader(p, F.HEADER_BYTES, len - 4));
  let mi = new MachineImage();
  let ok = readModules(x) && readFuncs(x) && readTables(x) && readMemories(x) && readGlobals(x)
    && readInstances(x) && readMachine(x, mi) && checkMachine(x, mi);
  if (ok && x.r.pos != x.sectionEnd) ok = x.bad("section length does not match its contents");
  if (ok) ok = skipAncillary(x);
  if (ok && !x.r.atEnd) ok = x.bad(x.r.remaining >= 4 && !F.isKnownTag(load<u32>(x.r.base + x.r.pos))
    ? "unknown section \"" + tagName(load<u32>(x.r.base + x.r.pos)) + "\""
    : "bytes after the last section");
  if (!ok) { x.freeAll(); return -1; }

  // Commit: free the old store's raw blocks, then take the new one.
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
  m.status = mi.status; m.inst = mi.inst; m.pcOff = mi.pcOff; m.fpOff = mi.fpOff; m.fuel = mi.fuel;
  m.resumeSide = mi.resumeSide; m.resumeK = mi.resumeK;
  m.hostFunc = mi.hostFunc; m.hostArgsOff = mi.hostArgsOff; m.hostDirect = mi.hostDirect;
  m.resultsOff = mi.resultsOff; m.resultCount = mi.resultCount; m.calledFunc = mi.calledFunc;
  m.pending = mi.pending;
  m.trap = mi.trap; m.trapInst = mi.trapInst; m.trapPcOff = mi.trapPcOff;
  m.patchInst = -1;
  m.frameCount = mi.frameCount;
  memory.copy(m.frames, p + mi.framesAt, <usize>mi.frameCount * FRAME_BYTES);
  memory.copy(m.stack, p + mi.stackAt, mi.stackTop);
  return 0;
}
