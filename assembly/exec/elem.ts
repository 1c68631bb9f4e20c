import { OBJECT, TOTAL_OVERHEAD } from "rt/common";

// Element reads for the dispatch loop. `unchecked(a[i])` compiles to a call
// of the std library's accessor unless the optimizer inlines it, which the
// device build's does not (asc -O0, wasm-opt without small-function
// inlining: scripts/build-wasm.mjs). These are always inlined: one load, no
// bounds check, the caller knows i is in range.

@inline export function arrayAt<T>(a: Array<T>, i: u32): T {
  return load<T>(a.dataStart + (<usize>i << alignof<T>()));
}

@inline export function staticAt<T>(a: StaticArray<T>, i: u32): T {
  return load<T>(changetype<usize>(a) + (<usize>i << alignof<T>()));
}

/** a.length, inlined (the std getter reads the object header's size the same way). */
@inline export function staticLength<T>(a: StaticArray<T>): i32 {
  return <i32>(changetype<OBJECT>(changetype<usize>(a) - TOTAL_OVERHEAD).rtSize >>> alignof<T>());
}
