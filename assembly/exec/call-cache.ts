// The call_indirect cache: what the loop learnt about a funcref it called,
// so the next call of it dispatches from four loads (the table element,
// this entry, the callee's first op and its handler) instead of a chain
// through the store's function array, the function and its function-table
// record. Every call_indirect is a dispatch the CPU may mispredict (a guest
// picks the callee from data), and then it waits for that whole chain.
//
// 64 entries of 32 bytes, direct-mapped by the table element's index (so
// the entry's address does not wait for the element's load; the entry says
// which funcref it is about, and any element holding that funcref may use
// it):
//
//   +0  ref      u64  the funcref (store address + 1); 0: never filled
//   +8  gen      u32  the `run` it was filled in (cacheGen)
//   +12 canon    u32  the callee's canonical type id
//   +16 fi       u32  its function-table record (compile/func-info.ts)
//   +20 after    u32  the code offset after its entry block's Fuel op
//   +24 cost     u32  the entry block's fuel
//   +28 (unused)
//
// An entry is only ever filled with a callee in the running instance, and
// only used in the same `run` (`gen`): within one run no function, table or
// instance comes or goes (the host runs between runs), and a funcref always
// names the same function, so the entry stays true whatever the guest writes
// into its tables. Not part of any state: snapshots never see it.

const CACHE_ENTRIES: u32 = 64;
const CACHE_ENTRY_BYTES: u32 = 32;
const cacheBase: usize = memory.data(<i32>(CACHE_ENTRIES * CACHE_ENTRY_BYTES), 8);
let cacheGen: u32 = 0;

/** A new run: entries filled before it no longer hold. Returns the run's generation. */
export function cacheNewRun(): u32 {
  cacheGen++;
  if (cacheGen == 0) { // wrapped: forget every entry, so no old generation can match
    memory.fill(cacheBase, 0, CACHE_ENTRIES * CACHE_ENTRY_BYTES);
    cacheGen = 1;
  }
  return cacheGen;
}

/** The entry a call of table element `i` looks at. */
@inline export function cacheEntry(i: u32): usize {
  return cacheBase + (<usize>(i & (CACHE_ENTRIES - 1))) * CACHE_ENTRY_BYTES;
}

/** The entry holds `ref` of run `gen` with canonical type `canon`. */
@inline export function cacheHit(e: usize, ref: u64, gen: u32, canon: u32): bool {
  return load<u64>(e) == ref && load<u32>(e, 8) == gen && load<u32>(e, 12) == canon;
}

@inline export function cacheFi(e: usize): usize { return <usize>load<u32>(e, 16); }
@inline export function cacheAfter(e: usize): u32 { return load<u32>(e, 20); }
@inline export function cacheCost(e: usize): u32 { return load<u32>(e, 24); }

/** Fills entry `e` with funcref `ref`: a callee of the running instance with record `fi`. */
@inline export function cacheFill(e: usize, ref: u64, gen: u32, canon: u32, fi: usize, after: u32, cost: u32): void {
  store<u64>(e, ref);
  store<u32>(e, gen, 8);
  store<u32>(e, canon, 12);
  store<u32>(e, <u32>fi, 16);
  store<u32>(e, after, 20);
  store<u32>(e, cost, 24);
}
