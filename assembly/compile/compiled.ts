// A module after compilation: the decoded module plus its internal code and
// side tables. Shared by every instance of the module (the code refers to
// functions, globals, tables and memories by module index; the instance maps
// those to store addresses at run time).
//
// funcInfo, FUNC_INFO_WORDS words per defined function:
//   [0] codeOff     byte offset of the function's first op in `code`
//   [1] frameBytes  params + locals + max operand stack, in bytes
//   [2] paramBytes
//   [3] localBytes  non-parameter locals (zeroed on entry)
//   [4] nresults
//   [5] canon type id
//   [6] entryCost   fuel of the entry block (0 unmetered): a call pays it inline
//   [7] entryAfter  byte offset of the op after the entry block's Fuel op
//                   (= codeOff unmetered); 8 words, so an index is a shift
//
// fuel side table (`side`), per basic block, at the index its Fuel op names:
//   [n] then n entries of [pcOff, cost, wasmOff]: each op of the block, the
//   fuel it carries and the byte offset of its Wasm instruction. Used only
//   on the slow path (running out of fuel inside a block) and for trap
//   locations.

import { Module } from "../binary/module";
import { irLength } from "./ir";

export const FUNC_INFO_WORDS: u32 = 8;

export class CompiledModule {
  module: Module;
  id: u32 = 0;
  code: StaticArray<u32> = new StaticArray<u32>(0);
  funcInfo: StaticArray<u32> = new StaticArray<u32>(0);
  side: StaticArray<u32> = new StaticArray<u32>(0);
  /** FNV-1a 64 of the module bytes: a snapshot names its modules by this. */
  hash: u64 = 0;
  /** Compiled with Fuel ops (see limits.fuelMetering). */
  metered: bool = true;
  /** Canonical type id of each module type index. */
  typeCanon: StaticArray<u32> = new StaticArray<u32>(0);

  constructor(module: Module) {
    this.module = module;
  }

  @inline get codeBase(): usize { return changetype<usize>(this.code); }

  /** Defined-function index whose code contains byte offset `pcOff` (-1 if none). */
  funcAt(pcOff: u32): i32 {
    let info = this.funcInfo;
    let lo = 0;
    let hi = info.length / <i32>FUNC_INFO_WORDS - 1;
    let best = -1;
    while (lo <= hi) {
      let mid = (lo + hi) >>> 1;
      if (info[mid * <i32>FUNC_INFO_WORDS] <= pcOff) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return best;
  }

  /** One byte per code word: 1 where an op starts. Built on first use (restore checks pcs against it). */
  opStarts(): StaticArray<u8> {
    let s = this.opStartMap;
    if (s) return s;
    let code = this.code;
    let map = new StaticArray<u8>(code.length + 1);
    let pos = 0;
    while (pos < code.length) {
      map[pos] = 1;
      pos += <i32>irLength(code, pos);
    }
    this.opStartMap = map;
    return map;
  }
  opStartMap: StaticArray<u8> | null = null;

  /** Is byte offset `pcOff` the start of an op? */
  isOpStart(pcOff: u32): bool {
    if ((pcOff & 3) != 0) return false;
    let w = pcOff >>> 2;
    if (w >= <u32>this.code.length) return false;
    return this.opStarts()[w] != 0;
  }
  @inline get funcInfoBase(): usize { return changetype<usize>(this.funcInfo); }
}
