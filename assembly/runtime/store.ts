// The store: every function, table, memory, global and instance of one
// interpreter, each named by its index ("address") in a flat list, as in the
// spec. Instances refer to what they use by address, never by pointer, so a
// snapshot can write the store out as it is.
//
// Guest memories and tables live in raw heap blocks (heap.alloc), outside the
// managed heap; growing may move them, and the dispatch loop re-reads the
// base after anything that can grow.

import { FuncType, ValType } from "../binary/module";
import { CompiledModule } from "../compile/compiled";
import { limits } from "./limits";
import { heapHasRoom } from "./heap-room";

export const PAGE: u64 = 65536;
export const NO_MAX: u32 = 0xFFFFFFFF;

export class MemoryInst {
  base: usize = 0;
  /** Instance that defined it, or -1 if the host made it. */
  owner: i32 = -1;
  bytes: u64 = 0;
  pages: u32 = 0;
  /** Spec maximum (from the type), or NO_MAX. */
  max: u32 = NO_MAX;

  /** Grow by `delta` pages; old size in pages, or -1 (spec limit, type max or budget). */
  grow(delta: u32): i32 {
    let old = this.pages;
    if (delta == 0) return <i32>old;
    let want = <u64>old + <u64>delta;
    if (want > 65536) return -1;
    if (this.max != NO_MAX && want > <u64>this.max) return -1;
    if (want > <u64>limits.maxPagesPerMemory) return -1;
    if (<u64>totalPages + <u64>delta > <u64>limits.maxPagesTotal) return -1;
    let newBytes = want * PAGE;
    if (!heapHasRoom(newBytes, this.base)) return -1;
    let nb = this.base == 0 ? heap.alloc(<usize>newBytes) : heap.realloc(this.base, <usize>newBytes);
    memory.fill(nb + <usize>this.bytes, 0, <usize>(newBytes - this.bytes));
    this.base = nb;
    this.bytes = newBytes;
    this.pages = <u32>want;
    totalPages += delta;
    return <i32>old;
  }
}

/** Pages held by all memories, for the total budget. */
export let totalPages: u32 = 0;
export function setTotalPages(n: u32): void { totalPages = n; }

/** Table entries are 8-byte reference slots: funcref = func address + 1, externref = host bits; 0 = null. */
export class TableInst {
  elems: usize = 0;
  owner: i32 = -1;
  size: u32 = 0;
  max: u32 = NO_MAX;
  elemType: u8 = <u8>ValType.FuncRef;

  grow(delta: u32, init: u64): i32 {
    let old = this.size;
    let want = <u64>old + <u64>delta;
    if (want > 0xFFFFFFFF) return -1;
    if (this.max != NO_MAX && want > <u64>this.max) return -1;
    if (want > <u64>limits.maxTableElems) return -1;
    if (delta == 0) return <i32>old;
    if (!heapHasRoom(want << 3, this.elems)) return -1;
    let nb = this.elems == 0 ? heap.alloc(<usize>want << 3) : heap.realloc(this.elems, <usize>want << 3);
    for (let i = <usize>old; i < <usize>want; i++) store<u64>(nb + (i << 3), init);
    this.elems = nb;
    this.size = <u32>want;
    return <i32>old;
  }
}

export class GlobalInst {
  /** Value bits (a v128's lower half). Keep first: the loop addresses it directly. */
  value: i64 = 0;
  /** A v128's upper half: cell + 8 (the SIMD global ops read the cell as 16 bytes). Keep second. */
  hi: i64 = 0;
  type: u8 = <u8>ValType.I32;
  mutable: bool = false;
  owner: i32 = -1;

  @inline get cell(): usize { return changetype<usize>(this); }
}

/** A function: a Wasm function of an instance, or a host function. */
export class FuncInst {
  /** Owning instance, or -1 for a host function. */
  instance: i32 = -1;
  /** Index in the owning module's function space. */
  funcIdx: u32 = 0;
  /** Host function id given by the embedder. */
  hostId: i32 = 0;
  canon: u32 = 0;
  type: FuncType = new FuncType();
}

export class Instance {
  id: u32 = 0;
  /** The host let go of it; its objects are reclaimed once nothing live refers to them. */
  dropped: bool = false;
  compiled: CompiledModule;
  /** Addresses in the store, by the module's index spaces (imports first). */
  funcAddrs: StaticArray<u32>;
  tableAddrs: StaticArray<u32>;
  memAddrs: StaticArray<u32>;
  globalAddrs: StaticArray<u32>;
  /** Cell addresses of the globals (derived from globalAddrs; for the loop). */
  globalCells: StaticArray<usize>;
  droppedElems: StaticArray<u8>;
  droppedDatas: StaticArray<u8>;
  /** Element segments evaluated to reference bits at instantiation (table.init reads these). */
  elemRefs: Array<StaticArray<u64>> = [];

  constructor(compiled: CompiledModule) {
    this.compiled = compiled;
    let m = compiled.module;
    this.funcAddrs = new StaticArray<u32>(m.numFuncs);
    this.tableAddrs = new StaticArray<u32>(m.numTables);
    this.memAddrs = new StaticArray<u32>(m.numMems);
    this.globalAddrs = new StaticArray<u32>(m.numGlobals);
    this.globalCells = new StaticArray<usize>(m.numGlobals);
    this.droppedElems = new StaticArray<u8>(m.elems.length);
    this.droppedDatas = new StaticArray<u8>(m.datas.length);
  }
}

export class Store {
  funcs: Array<FuncInst> = [];
  tables: Array<TableInst> = [];
  mems: Array<MemoryInst> = [];
  globals: Array<GlobalInst> = [];
  instances: Array<Instance | null> = [];
  modules: Array<CompiledModule | null> = [];
}

export const theStore = new Store();
