/*
 * wrt_masked.h: software fault isolation of the interpreter's own memory on
 * boards (the default firmware build; docs/firmware.md, "The arena never
 * overflows"). Force-included (-include) when the wasm2c translation is
 * compiled with WRT_MASKED_MEMORY=1.
 *
 * Every load and store of the interpreter goes to
 *
 *   wrt_arena_pages + (base & wrt_arena_mask) + static offset
 *
 *   wrt_arena: [ guard 16 B | reserved: 2^k B >= WRT_ARENA_PAGES pages | slack 4 KiB | guard 16 B ]
 *                            ^ wrt_arena_pages      wrt_arena_mask = 2^k - 1
 *
 * so whatever address an interpreter bug computes, the access lands inside
 * the reservation or the slack after it (static offsets are at most
 * WRT_MEM_AT_SLACK - 8; the guard above is checked at exit). One AND per
 * access (often shared) instead of wasm2c's 64-bit compare and branch. The cost: an
 * access past the memory's current size is not a trap but wraps inside the
 * arena. Both symbols come from wrt_rt_bare.c (the mask as an absolute
 * symbol, so the translation is compiled once for every arena size).
 */
#ifndef WRT_MASKED_H
#define WRT_MASKED_H
#include <stdint.h>

extern uint8_t wrt_arena_pages[];
extern const uint8_t wrt_arena_mask[]; /* absolute symbol: its address is the mask */

#define WRT_ARENA_MASK ((uint32_t)(uintptr_t)wrt_arena_mask)
/* Address = base + static offset (scripts/build-c.mjs rewrites the
 * translation's accesses to this form): the base is masked, the offset
 * (at most WRT_MEM_AT_SLACK - 8) added after it, so several fields read
 * through one pointer share one AND; the arena keeps WRT_MEM_AT_SLACK bytes
 * after the reservation for it. Larger static offsets: the whole address. */
#define WRT_MEM_AT_SLACK 4096u
#define WRT_MEM_AT(mem, base, off) (&wrt_arena_pages[(uint32_t)(base) & WRT_ARENA_MASK] + (off))
#define WRT_MEM_PTR(mem, addr) (&wrt_arena_pages[(uint32_t)(addr) & WRT_ARENA_MASK])
#endif
