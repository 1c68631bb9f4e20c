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
//
// fuel side table (`side`), per basic block, at the index its Fuel op names:
//   [n] then n entries of [pcOff, cost, wasmOff]: each op of the block, the
//   fuel it carries and the byte offset of its Wasm instruction. Used only
//   on the slow path (running out of fuel inside a block) and for trap
//   locations.

import { Module } from "../binary/module";

export const FUNC_INFO_WORDS: u32 = 6;

export class CompiledModule {
  module: Module;
  id: u32 = 0;
  code: StaticArray<u32> = new StaticArray<u32>(0);
  funcInfo: StaticArray<u32> = new StaticArray<u32>(0);
  side: StaticArray<u32> = new StaticArray<u32>(0);
  /** Compiled with Fuel ops (see limits.fuelMetering). */
  metered: bool = true;
  /** Canonical type id of each module type index. */
  typeCanon: StaticArray<u32> = new StaticArray<u32>(0);

  constructor(module: Module) {
    this.module = module;
  }

  @inline get codeBase(): usize { return changetype<usize>(this.code); }
  @inline get funcInfoBase(): usize { return changetype<usize>(this.funcInfo); }
}
