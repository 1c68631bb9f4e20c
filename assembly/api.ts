// The embedding ABI: every export of build/wrt.wasm (docs/embedding-api.md).
// Thin: argument checks, then a call into the layer that does the work.
// Handles are indices; nothing here hands out a pointer except the I/O
// buffer and a memory's bytes, both documented as short-lived.

import { Err, lastError } from "./errors";
import { io, ioCap, ioText, apiError, wrt_io } from "./api-io";
import { Module, FuncType, ExternKind, ValType } from "./binary/module";
import { CompiledModule } from "./compile/compiled";
import { Ir, MULLOADS_WASM_SHIFT } from "./compile/ir";
import { internType } from "./runtime/types";
import { moduleOf } from "./runtime/modules";
import { configure, limits, ConfigKey } from "./runtime/limits";
import { theStore, Instance, FuncInst, MemoryInst, TableInst, GlobalInst, NO_MAX } from "./runtime/store";
import { reclaimDropped } from "./runtime/reclaim";
import { instantiate, makeHandle, HANDLE_KIND_SHIFT, HANDLE_ADDR_MASK } from "./runtime/instantiate";
import { machine, Status, STACKS_DO_NOT_FIT } from "./exec/machine";
import { enterCall, runCall, hostReturn, hostTrap, abandon, callError } from "./exec/call";
import { trapText, Trap } from "./exec/trap";
import { setFuelCost } from "./exec/fuel";
import { BUILTIN_WASI_LOG, logRing } from "./wasi/logging";
import { writeSnapshot } from "./state/snapshot";
import { restoreSnapshot } from "./state/restore";
import { SIDE_PC, SIDE_WASM, sideEntry, sideNext } from "./compile/side-table";
import { SIMD_BUILT } from "./build-features";

const ABI_VERSION: i32 = 1;

// ---------------------------------------------------------------- I/O buffer, errors

export { wrt_io } from "./api-io";

export function wrt_abi_version(): i32 { return ABI_VERSION; }

export function wrt_error_code(): i32 { return lastError.code; }
export function wrt_error_offset(): i32 { return <i32>lastError.offset; }
export function wrt_error_text(): i32 { return ioText(lastError.message()); }

export function wrt_config(key: i32, value: i64): i32 {
  // the load budget applies to the next loads only: settable at any time, nothing to reset
  if (key == ConfigKey.LoadBudgetBytes) return configure(key, value) ? 0 : apiError(Err.BadArgument, "bad load budget");
  if (machine.frameCount > 0) return apiError(Err.BadState, "configure before the first call");
  if (!configure(key, value)) return apiError(Err.BadArgument, "bad config key or value");
  machine.reset();
  return 0;
}

export function wrt_collect(): void {
  reclaimDropped();
  __collect();
}

export function wrt_fuel_costs(n: i32): i32 {
  if (n < 0 || n > 1024) return apiError(Err.BadArgument, "cost table has at most 1024 entries");
  if (!ioHolds(<i64>n * 4)) return apiError(Err.BadArgument, "cost table longer than the I/O buffer");
  for (let i = 0; i < n; i++) setFuelCost(i, load<u32>(io + (<usize>i << 2)));
  return 0;
}

// ---------------------------------------------------------------- modules


export function wrt_module_drop(h: i32): void {
  if (h >= 0 && h < theStore.modules.length) theStore.modules[h] = null;
}

export function wrt_module_imports(h: i32): i32 {
  let cm = moduleOf(h);
  return cm ? cm.module.imports.length : apiError(Err.BadHandle, "no such module");
}

export function wrt_module_exports(h: i32): i32 {
  let cm = moduleOf(h);
  return cm ? cm.module.exports.length : apiError(Err.BadHandle, "no such module");
}

/** Little-endian writer into a growing byte list (descriptors). */
class Out {
  b: Array<u8> = [];
  u8(v: u32): void { this.b.push(<u8>v); }
  u32(v: u32): void { this.b.push(<u8>v); this.b.push(<u8>(v >> 8)); this.b.push(<u8>(v >> 16)); this.b.push(<u8>(v >> 24)); }
  str(s: string): void {
    let e = Uint8Array.wrap(String.UTF8.encode(s));
    this.u32(e.length);
    for (let i = 0; i < e.length; i++) this.b.push(e[i]);
  }
  type(t: FuncType): void {
    this.u32(t.params.length); this.u32(t.results.length);
    for (let i = 0; i < t.params.length; i++) this.u8(t.params[i]);
    for (let i = 0; i < t.results.length; i++) this.u8(t.results[i]);
  }
  flush(): i32 {
    let p = wrt_io(this.b.length);
    if (p == 0) return apiError(Err.OutOfMemory, "descriptor larger than the I/O buffer may be");
    for (let i = 0; i < this.b.length; i++) store<u8>(p + i, this.b[i]);
    return this.b.length;
  }
}

export function wrt_module_import(h: i32, i: i32): i32 {
  let cm = moduleOf(h);
  if (!cm) return apiError(Err.BadHandle, "no such module");
  let m = cm.module;
  if (i < 0 || i >= m.imports.length) return apiError(Err.BadArgument, "no such import");
  let im = m.imports[i];
  let o = new Out();
  o.u8(im.kind); o.str(im.module); o.str(im.name);
  switch (im.kind) {
    case ExternKind.Func: {
      // the device build does not validate an image's module part (docs/image-format.md)
      if (im.typeIdx >= <u32>m.types.length) return apiError(Err.ImageCorrupt, "import of no such type");
      o.type(unchecked(m.types[im.typeIdx]));
      break;
    }
    case ExternKind.Table: {
      let t = im.table!;
      o.u8(t.elem); o.u8(t.limits.hasMax ? 1 : 0); o.u32(<u32>t.limits.min); o.u32(<u32>t.limits.max);
      break;
    }
    case ExternKind.Memory: {
      let l = im.mem!.limits;
      o.u8(l.hasMax ? 1 : 0); o.u32(<u32>l.min); o.u32(<u32>l.max);
      break;
    }
    case ExternKind.Global: { let g = im.global!; o.u8(g.type); o.u8(g.mutable ? 1 : 0); break; }
  }
  return o.flush();
}

export function wrt_module_export(h: i32, i: i32): i32 {
  let cm = moduleOf(h);
  if (!cm) return apiError(Err.BadHandle, "no such module");
  let m = cm.module;
  if (i < 0 || i >= m.exports.length) return apiError(Err.BadArgument, "no such export");
  let ex = m.exports[i];
  let o = new Out();
  o.u8(ex.kind); o.str(ex.name);
  return o.flush();
}

// ---------------------------------------------------------------- host-made externs

/** True if `n` bytes from the start of the I/O buffer were given (n from the host). */
@inline function ioHolds(n: i64): bool { return n >= 0 && n <= <i64>ioCap; }

function readType(p: usize): FuncType | null {
  if (!ioHolds(8)) return null;
  let np = load<u32>(p);
  let nr = load<u32>(p, 4);
  if (!ioHolds(8 + <i64>np + <i64>nr)) return null;
  let t = new FuncType();
  for (let i: u32 = 0; i < np; i++) t.params.push(load<u8>(p + 8 + i));
  for (let i: u32 = 0; i < nr; i++) t.results.push(load<u8>(p + 8 + np + i));
  return t;
}

export function wrt_func_new_host(hostId: i32): i32 {
  if (hostId < 0) return apiError(Err.BadArgument, "host ids are >= 0 (negative ids name built-ins)");
  let t = readType(io);
  if (!t) return apiError(Err.BadArgument, "type descriptor longer than the I/O buffer");
  let f = new FuncInst();
  f.instance = -1;
  f.hostId = hostId;
  f.canon = internType(t);
  f.type = t;
  let addr = <u32>theStore.funcs.length;
  theStore.funcs.push(f);
  return <i32>makeHandle(ExternKind.Func, addr);
}

export function wrt_memory_new(min: i32, maxPages: i32): i32 {
  if (min < 0 || min > 65536 || (maxPages >= 0 && maxPages < min)) return apiError(Err.BadArgument, "bad memory limits");
  let mm = new MemoryInst();
  mm.max = maxPages < 0 ? NO_MAX : <u32>maxPages;
  if (min > 0 && mm.grow(<u32>min) < 0) return apiError(Err.LimitExceeded, "memory page budget exhausted");
  let addr = <u32>theStore.mems.length;
  theStore.mems.push(mm);
  return <i32>makeHandle(ExternKind.Memory, addr);
}

export function wrt_table_new(elemType: i32, min: i32, maxElems: i32): i32 {
  if (elemType != ValType.FuncRef && elemType != ValType.ExternRef) return apiError(Err.BadArgument, "bad table element type");
  if (min < 0 || (maxElems >= 0 && maxElems < min) || <u32>min > limits.maxTableElems) return apiError(Err.BadArgument, "bad table limits");
  let t = new TableInst();
  t.elemType = <u8>elemType;
  t.max = maxElems < 0 ? NO_MAX : <u32>maxElems;
  if (min > 0 && t.grow(<u32>min, 0) < 0) return apiError(Err.LimitExceeded, "the table does not fit in the interpreter's memory");
  let addr = <u32>theStore.tables.length;
  theStore.tables.push(t);
  return <i32>makeHandle(ExternKind.Table, addr);
}

export function wrt_global_new(type: i32, mutable: i32, bits: i64): i32 {
  if (type != ValType.I32 && type != ValType.I64 && type != ValType.F32 && type != ValType.F64
    && type != ValType.FuncRef && type != ValType.ExternRef) return apiError(Err.BadArgument, "bad global type");
  if (mutable != 0 && mutable != 1) return apiError(Err.BadArgument, "mutable is 0 or 1");
  if (type == ValType.FuncRef && !isFuncRef(bits)) return apiError(Err.BadArgument, "funcref names no function");
  return newGlobal(type, mutable, bits, 0);
}

/** A host v128 global (lo = bytes 0..7, hi = bytes 8..15); a device build without SIMD has no v128. */
export function wrt_global_new_v128(mutable: i32, lo: i64, hi: i64): i32 {
  if (!SIMD_BUILT) return apiError(Err.BadArgument, "bad global type: v128 needs SIMD (not in this build)");
  if (mutable != 0 && mutable != 1) return apiError(Err.BadArgument, "mutable is 0 or 1");
  return newGlobal(ValType.V128, mutable, lo, hi);
}

function newGlobal(type: i32, mutable: i32, lo: i64, hi: i64): i32 {
  let g = new GlobalInst();
  g.type = <u8>type;
  g.mutable = mutable != 0;
  g.value = lo;
  g.hi = hi;
  let addr = <u32>theStore.globals.length;
  theStore.globals.push(g);
  return <i32>makeHandle(ExternKind.Global, addr);
}

// ---------------------------------------------------------------- instances

export function wrt_instantiate(h: i32, n: i32): i32 {
  lastError.clear();
  let cm = moduleOf(h);
  if (!cm) return apiError(Err.BadHandle, "no such module");
  if (n < 0 || !ioHolds(<i64>n * 4)) return apiError(Err.BadArgument, "bad import count");
  let ext = new StaticArray<u32>(n);
  for (let i = 0; i < n; i++) ext[i] = load<u32>(io + (<usize>i << 2));
  let inst = instantiate(cm, ext);
  if (!inst) return -1;
  return <i32>inst.id;
}

function getInstance(h: i32): Instance | null {
  if (h < 0 || h >= theStore.instances.length) return null;
  return theStore.instances[h];
}

export function wrt_start(h: i32): i32 {
  let inst = getInstance(h);
  if (!inst) return apiError(Err.BadHandle, "no such instance");
  let start = inst.compiled.module.start;
  if (start < 0) return 0;
  // the device build does not validate an image's module part (docs/image-format.md)
  if (start >= inst.funcAddrs.length) return apiError(Err.ImageCorrupt, "start function names nothing");
  if (enterCall(unchecked(inst.funcAddrs[start]), io, 0) < 0) return apiError(callError == STACKS_DO_NOT_FIT ? Err.OutOfMemory : Err.BadState, callError);
  return 1;
}

export function wrt_instance_export(h: i32, len: i32): i32 {
  let inst = getInstance(h);
  if (!inst) return apiError(Err.BadHandle, "no such instance");
  if (!ioHolds(len)) return apiError(Err.BadArgument, "name longer than the I/O buffer");
  let name = String.UTF8.decodeUnsafe(io, len);
  let exps = inst.compiled.module.exports;
  for (let i = 0; i < exps.length; i++) {
    let e = exps[i];
    if (e.name != name) continue;
    let k = <u32>e.kind;
    let addrs = k == <u32>ExternKind.Func ? inst.funcAddrs : k == <u32>ExternKind.Table ? inst.tableAddrs : k == <u32>ExternKind.Memory ? inst.memAddrs : inst.globalAddrs;
    // the device build does not validate an image's module part: an export may name nothing (docs/image-format.md)
    if (k > <u32>ExternKind.Global || e.index >= <u32>addrs.length) return apiError(Err.ExportNotFound, "export \"" + name + "\" names nothing");
    return <i32>makeHandle(k, unchecked(addrs[e.index]));
  }
  return apiError(Err.ExportNotFound, "no export named \"" + name + "\"");
}

export function wrt_instance_drop(h: i32): void {
  let inst = getInstance(h);
  if (!inst) return;
  inst.dropped = true;
  reclaimDropped();
}

// ---------------------------------------------------------------- calls

function funcOf(handle: i32): FuncInst | null {
  let kind = <u32>handle >>> HANDLE_KIND_SHIFT;
  let addr = <u32>handle & HANDLE_ADDR_MASK;
  if (handle < 0 || kind != ExternKind.Func || addr >= <u32>theStore.funcs.length) return null;
  return theStore.funcs[addr];
}

export function wrt_func_type(handle: i32): i32 {
  let f = funcOf(handle);
  if (!f) return apiError(Err.NotAFunction, "not a function handle");
  let o = new Out();
  o.type(f.type);
  return o.flush();
}

export function wrt_call(handle: i32, nargs: i32): i32 {
  if (!funcOf(handle)) return apiError(Err.NotAFunction, "not a function handle");
  if (nargs < 0 || !ioHolds(<i64>nargs * 8)) return apiError(Err.BadArgument, "bad argument count");
  if (enterCall(<u32>handle & HANDLE_ADDR_MASK, io, <u32>nargs) < 0) return apiError(callError == STACKS_DO_NOT_FIT ? Err.OutOfMemory : Err.BadState, callError);
  return 0;
}

export function wrt_run(fuel: i64): i32 {
  let s = runCall(fuel);
  if (s < 0) return apiError(Err.BadState, callError);
  return s;
}

export function wrt_fuel_left(): i64 { return machine.fuel; }

export function wrt_results(): i32 {
  let m = machine;
  let n = m.resultCount;
  let p = wrt_io(<i32>n * 8);
  if (p == 0) return apiError(Err.OutOfMemory, "no room for the results in the I/O buffer");
  memory.copy(p, m.stack + m.resultsOff, <usize>n << 3);
  return <i32>n;
}

export function wrt_host_id(): i32 {
  let m = machine;
  if (m.status != Status.HostCall) return apiError(Err.BadState, "no host call is pending");
  return theStore.funcs[m.hostFunc].hostId;
}

export function wrt_host_args(): i32 {
  let m = machine;
  if (m.status != Status.HostCall) return apiError(Err.BadState, "no host call is pending");
  let n = theStore.funcs[m.hostFunc].type.paramSlots;
  let p = wrt_io(n * 8);
  if (p == 0) return apiError(Err.OutOfMemory, "no room for the arguments in the I/O buffer");
  memory.copy(p, m.stack + m.hostArgsOff, <usize>n << 3);
  return n;
}

export function wrt_host_return(n: i32): i32 {
  if (n < 0 || !ioHolds(<i64>n * 8)) return apiError(Err.BadArgument, "bad result count");
  if (hostReturn(io, <u32>n) < 0) return apiError(Err.BadState, callError);
  return 0;
}

export function wrt_host_trap(len: i32): i32 {
  if (machine.status != Status.HostCall) return apiError(Err.BadState, "no host call is pending");
  if (!ioHolds(len)) return apiError(Err.BadArgument, "message longer than the I/O buffer");
  hostTrap(String.UTF8.decodeUnsafe(io, len));
  return 0;
}

export function wrt_abandon(): void { abandon(); }

// ---------------------------------------------------------------- traps

export function wrt_trap_code(): i32 { return machine.trap; }

export function wrt_trap_text(): i32 {
  let m = machine;
  let s = m.trap == Trap.HostError && m.trapText.length > 0 ? m.trapText : trapText(m.trap);
  return ioText(s);
}

/** Byte offset in the module of the Wasm instruction at IR offset `pcOff` (-1 if unknown). */
function wasmOffsetOf(cm: CompiledModule, pcOff: u32): i32 {
  // Side entries are in code order (compile/side-table.ts); a linear walk
  // is fine on this cold path.
  let side = cm.side;
  let best: i32 = -1;
  let bestPc: u32 = 0;
  let i = 0;
  while (i < side.length) {
    let n = <i32>side[i];
    for (let k = 0; k < n; k++) {
      let e = sideEntry(i, k);
      if (side[e + SIDE_PC] <= pcOff) { best = <i32>side[e + SIDE_WASM]; bestPc = side[e + SIDE_PC]; }
    }
    i = sideNext(i, n);
  }
  // inside a fused op: its second load trapped (F64MulLoads' meta word has that instruction's distance)
  let w = <i32>(bestPc >> 2);
  if (best >= 0 && pcOff != bestPc && w + 9 < cm.code.length && cm.code[w] == <u32>Ir.F64MulLoads) {
    best += <i32>(cm.code[w + 9] >>> MULLOADS_WASM_SHIFT);
  }
  return best;
}

export function wrt_trap_func(): i32 {
  let inst = getInstance(<i32>machine.trapInst);
  if (!inst) return -1;
  let d = inst.compiled.funcAt(machine.trapPcOff); // a defined function: imports come first
  return d < 0 ? -1 : d + <i32>inst.compiled.module.numImportedFuncs;
}

export function wrt_trap_pc(): i32 {
  let inst = getInstance(<i32>machine.trapInst);
  return inst ? wasmOffsetOf(inst.compiled, machine.trapPcOff) : -1;
}

// ---------------------------------------------------------------- globals, memories, tables

function globalOf(handle: i32): GlobalInst | null {
  let addr = <u32>handle & HANDLE_ADDR_MASK;
  if (handle < 0 || (<u32>handle >>> HANDLE_KIND_SHIFT) != ExternKind.Global || addr >= <u32>theStore.globals.length) return null;
  return theStore.globals[addr];
}
function memoryOf(handle: i32): MemoryInst | null {
  let addr = <u32>handle & HANDLE_ADDR_MASK;
  if (handle < 0 || (<u32>handle >>> HANDLE_KIND_SHIFT) != ExternKind.Memory || addr >= <u32>theStore.mems.length) return null;
  return theStore.mems[addr];
}
function tableOf(handle: i32): TableInst | null {
  let addr = <u32>handle & HANDLE_ADDR_MASK;
  if (handle < 0 || (<u32>handle >>> HANDLE_KIND_SHIFT) != ExternKind.Table || addr >= <u32>theStore.tables.length) return null;
  return theStore.tables[addr];
}

export function wrt_global_get(h: i32): i64 { let g = globalOf(h); return g ? g.value : 0; }
/** A v128 global's upper 64 bits (lanes 8..15); 0 for any other global (wrt_global_get gives the lower half). */
export function wrt_global_get_hi(h: i32): i64 {
  if (!SIMD_BUILT) return 0; // no v128 in a device build without SIMD: keep its flash
  let g = globalOf(h);
  return g && g.type == ValType.V128 ? g.hi : 0;
}
export function wrt_global_set(h: i32, bits: i64): i32 {
  let g = globalOf(h);
  if (!g) return apiError(Err.BadHandle, "not a global handle");
  if (!g.mutable) return apiError(Err.GlobalIsImmutable, "global is immutable");
  // Half a v128 would leave the other half stale: both halves go through wrt_global_set_v128.
  if (g.type == ValType.V128) return apiError(Err.BadArgument, "a v128 global is set with wrt_global_set_v128");
  if (g.type == ValType.FuncRef && !isFuncRef(bits)) return apiError(Err.BadArgument, "funcref names no function");
  g.value = bits;
  return 0;
}

/** Sets a mutable v128 global: lo = lanes 0..7 (bytes 0..7, little-endian), hi = bytes 8..15. */
export function wrt_global_set_v128(h: i32, lo: i64, hi: i64): i32 {
  if (!SIMD_BUILT) return apiError(Err.BadArgument, "not a v128 global");
  let g = globalOf(h);
  if (!g) return apiError(Err.BadHandle, "not a global handle");
  if (g.type != ValType.V128) return apiError(Err.BadArgument, "not a v128 global");
  if (!g.mutable) return apiError(Err.GlobalIsImmutable, "global is immutable");
  g.value = lo;
  g.hi = hi;
  return 0;
}

/** A funcref's bits: 0 (null) or a store function address + 1. */
function isFuncRef(bits: i64): bool {
  return <u64>bits <= <u64>theStore.funcs.length;
}
export function wrt_global_type(h: i32): i32 {
  let g = globalOf(h);
  if (!g) return apiError(Err.BadHandle, "not a global handle");
  return <i32>g.type | (g.mutable ? 0x100 : 0);
}

export function wrt_memory_base(h: i32): usize { let m = memoryOf(h); return m ? m.base : 0; }
export function wrt_memory_bytes(h: i32): i32 { let m = memoryOf(h); return m ? <i32>m.bytes : -1; }
export function wrt_memory_grow(h: i32, pages: i32): i32 {
  let m = memoryOf(h);
  if (!m) return apiError(Err.BadHandle, "not a memory handle");
  return m.grow(<u32>pages);
}

export function wrt_table_size(h: i32): i32 { let t = tableOf(h); return t ? <i32>t.size : -1; }
export function wrt_table_get(h: i32, i: i32): i64 {
  let t = tableOf(h);
  if (!t || i < 0 || <u32>i >= t.size) return -1;
  return load<i64>(t.elems + (<usize>i << 3));
}
export function wrt_table_set(h: i32, i: i32, bits: i64): i32 {
  let t = tableOf(h);
  if (!t || i < 0 || <u32>i >= t.size) return apiError(Err.BadArgument, "table index out of bounds");
  if (t.elemType == ValType.FuncRef && !isFuncRef(bits)) return apiError(Err.BadArgument, "funcref names no function");
  store<i64>(t.elems + (<usize>i << 3), bits);
  return 0;
}

// ---------------------------------------------------------------- snapshots

/** Writes a snapshot of the whole state into the I/O buffer; its length, or -1. */
export function wrt_snapshot(): i32 {
  let w = writeSnapshot();
  if (!w) return apiError(Err.SnapshotState, "snapshot only at a halt: idle, out of fuel or at a host call");
  let p = wrt_io(<i32>w.len);
  if (p == 0) { w.free(); return apiError(Err.SnapshotLimit, "snapshot larger than the I/O buffer may be (256 MiB) or than the interpreter's memory holds"); }
  memory.copy(p, w.buf, w.len);
  let n = <i32>w.len;
  w.free();
  return n;
}

/** Replaces the state with the snapshot (`len` bytes) in the I/O buffer; 0 or -1. */
export function wrt_restore(len: i32): i32 {
  if (len < 0 || <u32>len > ioCap) return apiError(Err.BadArgument, "length exceeds the I/O buffer");
  return restoreSnapshot(io, <u32>len);
}

// ---------------------------------------------------------------- wasi:logging

/** An extern for imports of `wasi:logging/logging` `log`, served by the interpreter (wasi/logging.ts). */
export function wrt_wasi_logging(): i32 {
  let t = new FuncType();
  for (let i = 0; i < 5; i++) t.params.push(<u8>ValType.I32);
  let f = new FuncInst();
  f.instance = -1;
  f.hostId = BUILTIN_WASI_LOG;
  f.type = t;
  f.canon = internType(t);
  let addr = <u32>theStore.funcs.length;
  theStore.funcs.push(f);
  return <i32>makeHandle(ExternKind.Func, addr);
}

/** Ring back end: moves the oldest record to the I/O buffer as
 *  u32 level | u32 ctxLen | ctx | msg; returns its length, 0 if none. */
export function wrt_log_read(): i32 {
  let n = logRing.peek();
  if (n == 0) return 0;
  let p = wrt_io(<i32>n);
  if (p == 0) return apiError(Err.OutOfMemory, "no room for the log record in the I/O buffer");
  return <i32>logRing.pop(p);
}

/** Ring back end: records dropped because the ring was full. */
export function wrt_log_dropped(): i32 { return <i32>logRing.dropped; }
