/*
 * wrt_board_loop.h: the dispatch loop of the full interpreter on boards
 * (flash-scripts/build.sh force-includes it when compiling the wasm2c
 * translation at -Os; docs/firmware.md, "Three builds").
 *
 * The rest of the translation stays at -Os (flash first); the loop,
 * w2c_wrt_run, is compiled at -O2, with the translation's threaded dispatch
 * (WRT_THREADED_DISPATCH, scripts/build-c.mjs patchDispatch) that build.sh
 * turns on beside it: at -O2 gcc keeps one dispatch per handler (at -Os it
 * merges them back into one and loses a register), 5 instructions against
 * the switch's 6, and the loop's registers are allocated better. Measured on
 * the Cortex-M3 (QEMU icount): 4-5% fewer instructions on fib, sieve and
 * CRC-32, for about 7 KB more flash. The device build's translation has no
 * dense switch (asc without optimisation) and does not use this file.
 *
 * Other gcc options for the loop were measured and not kept (docs/firmware.md,
 * "The dispatch on Thumb-2"): -fira-algorithm=priority saved 1.5-2.8% on
 * one tree and cost 1% on the next; register allocation of this function
 * moves by a percent either way with unrelated changes.
 */
#ifndef WRT_BOARD_LOOP_H
#define WRT_BOARD_LOOP_H
#include <stdint.h>
#include "wrt_gen.h" /* build/c: the generated header (the instance type) */
static uint32_t w2c_wrt_run(Z_wrt_instance_t*, uint64_t) __attribute__((optimize("O2")));
#endif
