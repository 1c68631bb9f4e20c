// Instantiation: link imports (by extern handle, checked against the
// import's type), allocate what the module defines, evaluate constant
// expressions and run the active segments, as the spec orders it.
//
// Extern handle = kind << 28 | store address (docs/embedding-api.md).

import { Module, ExternKind, ConstExpr, SegmentMode, Limits, ValType } from "../binary/module";
import { Op } from "../binary/opcodes";
import { Reader } from "../binary/reader";
import { CompiledModule } from "../compile/compiled";
import { Err, lastError } from "../errors";
import { limits } from "./limits";
import { theStore, Instance, FuncInst, TableInst, MemoryInst, GlobalInst, NO_MAX, totalPages } from "./store";
import { SIMD_BUILT } from "../build-features";

export const HANDLE_KIND_SHIFT: u32 = 28;
export const HANDLE_ADDR_MASK: u32 = (1 << 28) - 1;

@inline export function makeHandle(kind: u32, addr: u32): u32 { return (kind << HANDLE_KIND_SHIFT) | addr; }

/**
 * The device build does not validate an image's module part (it decodes it;
 * the host validated it when it compiled the image). So each index of the
 * module part that instantiation looks up with is checked where it is used:
 * one that names nothing (a function of an element segment or a constant
 * expression, a global, a segment's table or memory) gives 0 or skips the
 * item, sets indexBad, and instantiation then fails with an error
 * (docs/image-format.md, "Trust"). In the full build it never happens.
 */
let indexBad = false;

/** The upper half of the last v128 evalConst produced (its result is the lower half). */
export let evalConstHi: i64 = 0;

/** Evaluates a constant expression to value bits, a v128's lower half (evalConstHi the upper; indices: indexBad above). */
export function evalConst(inst: Instance, e: ConstExpr): i64 {
  let m = inst.compiled.module;
  let r = new Reader(m.base, e.start, e.end);
  let v: i64 = 0;
  while (!r.atEnd && !r.failed) {
    let op = r.u8();
    switch (op) {
      case Op.I32Const: v = <i64><u32>r.s32leb(); break;
      case Op.I64Const: v = r.s64leb(); break;
      case Op.F32Const: v = <i64>r.u32le(); break;
      case Op.F64Const: v = <i64>r.u64le(); break;
      case Op.RefNull: r.u8(); v = 0; break;
      case Op.RefFunc: {
        let i = r.u32leb();
        if (i >= <u32>inst.funcAddrs.length) { indexBad = true; return 0; }
        v = <i64>unchecked(inst.funcAddrs[i]) + 1;
        break;
      }
      case Op.GlobalGet: {
        let i = r.u32leb();
        // only imported globals exist while constant expressions run (Wasm 2.0)
        if (i >= m.numImportedGlobals) { indexBad = true; return 0; }
        let g = theStore.globals[unchecked(inst.globalAddrs[i])];
        v = g.value;
        evalConstHi = g.hi;
        break;
      }
      case Op.PrefixFD: // v128.const (the only 0xFD constant; the decoder refused it in a build without SIMD)
        if (!SIMD_BUILT) return v;
        r.u32leb(); v = <i64>r.u64le(); evalConstHi = <i64>r.u64le(); break;
      case Op.End: return v;
      default: return v;
    }
  }
  return v;
}

/** Import limits check: the provided object's current size and max against the import's limits. */
function limitsMatch(size: u64, max: u32, want: Limits): bool {
  if (size < want.min) return false;
  if (want.hasMax) {
    if (max == NO_MAX) return false;
    if (<u64>max > want.max) return false;
  }
  return true;
}

function linkError(code: Err, i: i32, detail: string): Instance | null {
  lastError.set(code, -1, "import " + i.toString() + ": " + detail);
  return null;
}

/**
 * Instantiates `cm` with one extern handle per import. Returns the instance,
 * or null with lastError set. A failure while running active segments
 * leaves the instance in the store (its effects on imported objects stay,
 * as the spec says) and still returns null.
 */
export function instantiate(cm: CompiledModule, externs: StaticArray<u32>): Instance | null {
  let m = cm.module;
  if (<u32>theStore.instances.length >= limits.maxInstances) {
    lastError.set(Err.LimitExceeded, -1, "too many instances");
    return null;
  }
  if (externs.length != m.imports.length) {
    lastError.set(Err.UnknownImport, -1, "expected " + m.imports.length.toString() + " imports, got " + externs.length.toString());
    return null;
  }
  let inst = new Instance(cm);
  let nf = 0, nt = 0, nm = 0, ng = 0;
  for (let i = 0; i < m.imports.length; i++) {
    let im = m.imports[i];
    let h = externs[i];
    let kind = h >>> HANDLE_KIND_SHIFT;
    let addr = h & HANDLE_ADDR_MASK;
    if (kind != im.kind) return linkError(Err.IncompatibleImportType, i, "wrong kind of extern for " + im.module + "." + im.name);
    switch (kind) {
      case ExternKind.Func: {
        if (addr >= <u32>theStore.funcs.length) return linkError(Err.UnknownImport, i, "no such function");
        if (im.typeIdx >= <u32>cm.typeCanon.length) return linkError(Err.ImageCorrupt, i, "no such type"); // device build: not validated
        if (theStore.funcs[addr].canon != unchecked(cm.typeCanon[im.typeIdx])) return linkError(Err.IncompatibleImportType, i, "function type differs for " + im.module + "." + im.name);
        inst.funcAddrs[nf++] = addr;
        break;
      }
      case ExternKind.Table: {
        if (addr >= <u32>theStore.tables.length) return linkError(Err.UnknownImport, i, "no such table");
        let t = theStore.tables[addr];
        let want = im.table!;
        if (t.elemType != want.elem || !limitsMatch(<u64>t.size, t.max, want.limits)) return linkError(Err.IncompatibleImportType, i, "table type differs for " + im.module + "." + im.name);
        inst.tableAddrs[nt++] = addr;
        break;
      }
      case ExternKind.Memory: {
        if (addr >= <u32>theStore.mems.length) return linkError(Err.UnknownImport, i, "no such memory");
        let mm = theStore.mems[addr];
        if (!limitsMatch(<u64>mm.pages, mm.max, im.mem!.limits)) return linkError(Err.IncompatibleImportType, i, "memory limits differ for " + im.module + "." + im.name);
        inst.memAddrs[nm++] = addr;
        break;
      }
      case ExternKind.Global: {
        if (addr >= <u32>theStore.globals.length) return linkError(Err.UnknownImport, i, "no such global");
        let g = theStore.globals[addr];
        let want = im.global!;
        if (g.type != want.type || g.mutable != want.mutable) return linkError(Err.IncompatibleImportType, i, "global type differs for " + im.module + "." + im.name);
        inst.globalAddrs[ng++] = addr;
        break;
      }
      default: return linkError(Err.IncompatibleImportType, i, "unsupported import kind");
    }
  }

  // Check what the module defines against the limits before allocating anything.
  for (let i = 0; i < m.tables.length; i++) {
    if (m.tables[i].limits.min > <u64>limits.maxTableElems) {
      lastError.set(Err.LimitExceeded, -1, "table " + i.toString() + " exceeds the table size limit");
      return null;
    }
  }
  for (let i = 0; i < m.mems.length; i++) {
    if (m.mems[i].limits.min > <u64>limits.maxPagesPerMemory) {
      lastError.set(Err.LimitExceeded, -1, "memory " + i.toString() + " exceeds the per-memory page limit");
      return null;
    }
  }

  inst.id = <u32>theStore.instances.length;
  theStore.instances.push(inst);
  indexBad = false;

  for (let i = 0; i < m.funcTypeIdx.length; i++) {
    let f = new FuncInst();
    f.instance = <i32>inst.id;
    f.funcIdx = m.numImportedFuncs + <u32>i;
    f.type = m.types[m.funcTypeIdx[i]];
    f.canon = cm.typeCanon[m.funcTypeIdx[i]];
    inst.funcAddrs[nf++] = <u32>theStore.funcs.length;
    theStore.funcs.push(f);
  }
  for (let i = 0; i < m.tables.length; i++) {
    let tt = m.tables[i];
    let t = new TableInst();
    t.owner = <i32>inst.id;
    t.elemType = tt.elem;
    t.max = tt.limits.hasMax ? <u32>tt.limits.max : NO_MAX;
    if (tt.limits.min > 0 && t.grow(<u32>tt.limits.min, 0) < 0) {
      lastError.set(Err.LimitExceeded, -1, "table " + i.toString() + ": " + (<u32>tt.limits.min).toString() + " elements do not fit in the interpreter's memory");
      inst.dropped = true;
      return null;
    }
    inst.tableAddrs[nt++] = <u32>theStore.tables.length;
    theStore.tables.push(t);
  }
  for (let i = 0; i < m.mems.length; i++) {
    let lim = m.mems[i].limits;
    let mm = new MemoryInst();
    mm.owner = <i32>inst.id;
    mm.max = lim.hasMax ? <u32>lim.max : NO_MAX;
    if (lim.min > 0 && mm.grow(<u32>lim.min) < 0) {
      let why = <u64>totalPages + lim.min > <u64>limits.maxPagesTotal
        ? "the total page budget is exhausted"
        : (<u32>lim.min).toString() + " pages do not fit in the interpreter's memory (at most " + limits.hostMemoryPages.toString() +
          " pages of its own; on a board: raise WRT_ARENA_PAGES)";
      lastError.set(Err.LimitExceeded, -1, "memory " + i.toString() + ": " + why);
      inst.dropped = true;
      return null;
    }
    inst.memAddrs[nm++] = <u32>theStore.mems.length;
    theStore.mems.push(mm);
  }
  for (let i = 0; i < m.globals.length; i++) {
    let gd = m.globals[i];
    let g = new GlobalInst();
    g.owner = <i32>inst.id;
    g.type = gd.type.type;
    g.mutable = gd.type.mutable;
    g.value = evalConst(inst, gd.init);
    if (SIMD_BUILT && g.type == ValType.V128) g.hi = evalConstHi;
    inst.globalAddrs[ng++] = <u32>theStore.globals.length;
    theStore.globals.push(g);
  }
  for (let i = 0; i < inst.globalAddrs.length; i++) {
    inst.globalCells[i] = theStore.globals[inst.globalAddrs[i]].cell;
  }

  // Element segments as reference bits.
  for (let i = 0; i < m.elems.length; i++) {
    let seg = m.elems[i];
    let n = seg.count;
    let refs = new StaticArray<u64>(n);
    let fi = seg.funcIndices;
    if (fi) {
      for (let j = 0; j < n; j++) {
        let f = fi[j];
        if (f < <u32>inst.funcAddrs.length) refs[j] = <u64>unchecked(inst.funcAddrs[f]) + 1;
        else indexBad = true;
      }
    } else {
      let ex = seg.exprs!;
      for (let j = 0; j < n; j++) refs[j] = <u64>evalConst(inst, ex[j]);
    }
    inst.elemRefs.push(refs);
  }

  // Active segments, in order; the first out-of-bounds one stops instantiation.
  for (let i = 0; i < m.elems.length; i++) {
    let seg = m.elems[i];
    if (seg.mode == SegmentMode.Active) {
      if (seg.table >= <u32>inst.tableAddrs.length) { indexBad = true; continue; }
      let off = <u64><u32>evalConst(inst, seg.offset);
      let t = theStore.tables[unchecked(inst.tableAddrs[seg.table])];
      let refs = inst.elemRefs[i];
      if (off + <u64>refs.length > <u64>t.size) {
        lastError.set(Err.OutOfBoundsTableAccess, seg.offsetInModule, "element segment " + i.toString());
        inst.dropped = true; // never handed to the host; reclaimed when nothing refers to it
        return null;
      }
      memory.copy(t.elems + (<usize>off << 3), changetype<usize>(refs), <usize>refs.length << 3);
    }
    if (seg.mode != SegmentMode.Passive) inst.droppedElems[i] = 1;
  }
  for (let i = 0; i < m.datas.length; i++) {
    let seg = m.datas[i];
    if (seg.mode != SegmentMode.Active) continue;
    if (seg.memory >= <u32>inst.memAddrs.length) { indexBad = true; continue; }
    let off = <u64><u32>evalConst(inst, seg.offset);
    let mm = theStore.mems[unchecked(inst.memAddrs[seg.memory])];
    if (off + <u64>seg.dataLen > mm.bytes) {
      lastError.set(Err.OutOfBoundsMemoryAccess, seg.offsetInModule, "data segment " + i.toString());
      inst.dropped = true;
      return null;
    }
    memory.copy(mm.base + <usize>off, m.base + seg.dataStart, seg.dataLen);
    inst.droppedDatas[i] = 1;
  }
  if (indexBad) {
    lastError.set(Err.ImageCorrupt, -1, "an element segment, data segment or constant expression of the module names nothing");
    inst.dropped = true;
    return null;
  }
  return inst;
}
