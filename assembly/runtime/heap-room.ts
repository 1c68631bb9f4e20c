// Can the interpreter's heap take one more allocation without trapping?
//
// AssemblyScript's TLSF allocator (std/assembly/rt/tlsf.ts, pinned with the
// compiler at 0.27.37) traps with `unreachable` when no free block fits and
// memory.grow fails. On a board the interpreter's linear memory is a fixed
// arena, so a guest's memory.grow or table.grow could end the interpreter.
// Those two ask here first and answer -1 instead (docs/firmware.md, "The
// arena never overflows into other data").
//
// The answer is exact for the free lists (the same size classes TLSF
// searches) and conservative for growth (a few bytes of block overhead more
// than TLSF asks for).
//
//   TLSF block: [size | LEFTFREE<<1 | FREE] payload... ; the next block follows
//   TLSF root (wasm32), read only:
//   +0     flMap   u32: bit f set = some second-level list of class f is non-empty
//   +4     slMap[23] u32: bit s of slMap[f] set = free list (f, s) is non-empty
//   ...    heads, tail

import { ROOT } from "rt/tlsf";
import { limits } from "./limits";

const AL_BITS: u32 = 4;                      // 16-byte blocks
const SL_BITS: u32 = 4;                      // 16 second-level lists per class
const SB_BITS: u32 = SL_BITS + AL_BITS;      // below 256 bytes: one class, exact lists
const BLOCK_OVERHEAD: usize = 4;             // the size word before each block
const BLOCK_MINSIZE: usize = 12;             // prev + next + back, minus the overhead
const BLOCK_MAXSIZE: usize = (1 << 30) - BLOCK_OVERHEAD;
const FREE: usize = 1;                       // size-word tags: this block is free,
const TAGS: usize = 3;                       // ... and the left neighbour is free

/** TLSF's payload size for a request of `size` bytes. */
function blockSize(size: usize): usize {
  return size <= BLOCK_MINSIZE ? BLOCK_MINSIZE : ((size + BLOCK_OVERHEAD + 15) & ~15) - BLOCK_OVERHEAD;
}

/** The size TLSF searches for: rounded up to the next list boundary, so any block found fits. */
function searchSize(size: usize): usize {
  if (size < (1 << SB_BITS) || size >= (BLOCK_MAXSIZE >> 1)) return size;
  return size + (<usize>1 << (31 - SL_BITS - clz<usize>(size))) - 1;
}

/** True if a free list holds a block TLSF would hand out for a payload of `size` bytes. */
function freeBlockFits(size: usize): bool {
  let root = changetype<usize>(ROOT);
  if (root == 0) return false;
  let fl: u32, sl: u32;
  if (size < (1 << SB_BITS)) {
    fl = 0;
    sl = <u32>(size >> AL_BITS);
  } else {
    let r = searchSize(size);
    fl = 31 - <u32>clz<usize>(r);
    sl = <u32>((r >> (fl - SL_BITS)) ^ (1 << SL_BITS));
    fl -= SB_BITS - 1;
  }
  if (load<u32>(root + (<usize>fl << 2), 4) & (~0 << sl)) return true;
  return (load<u32>(root) & (~0 << (fl + 1))) != 0;
}

/**
 * True if allocating `size` bytes (ptr = 0), or reallocating the block at
 * `ptr` to `size` bytes, cannot trap for lack of memory.
 */
export function heapHasRoom(size: u64, ptr: usize = 0): bool {
  if (size > <u64>BLOCK_MAXSIZE) return false; // TLSF's largest block: 1 GiB
  let s = blockSize(<usize>size);
  if (ptr >= __heap_base) {
    // realloc stays in place if the block, or the block plus a free right
    // neighbour, is large enough ("size | tags" word before each payload)
    let own = load<usize>(ptr - BLOCK_OVERHEAD) & ~TAGS;
    if (s <= own) return true;
    let right = load<usize>(ptr + own);
    if ((right & FREE) != 0 && own + BLOCK_OVERHEAD + (right & ~TAGS) >= s) return true;
  }
  if (freeBlockFits(s)) return true;
  let need = <u64>searchSize(s) + (BLOCK_OVERHEAD << 1);
  let pages = (need + 0xFFFF) >> 16;
  return <u64>memory.size() + pages <= <u64>limits.hostMemoryPages;
}
