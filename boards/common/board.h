/*
 * board.h: what a board gives the firmware (boards/common/firmware.c).
 * Each board directory implements these in board.c, plus its startup code
 * and linker script (docs/firmware.md).
 */
#ifndef WRT_BOARD_H
#define WRT_BOARD_H

#include <stdint.h>

/* UART ready for output. */
void board_init(void);
/* One byte out of the UART (blocking). The one sink for all text. */
void board_putc(char c);
/* Ends the program with a status (semihosting on QEMU); never returns. */
__attribute__((noreturn)) void board_exit(int status);

/* Real boards (boards/common/cortexm.c): prints "exit: N", then sleeps. */
__attribute__((noreturn)) void board_halt(int status);

/* QEMU boards run with -icount shift=0 under `qemu.sh --icount`: guest
 * instructions executed so far (exact on RV32 via minstret; in steps of 40
 * on the MPS2 board via SysTick at 25 MHz = 1 instruction per ns). */
void board_icount_start(void);
uint64_t board_icount(void);

/* QEMU boards: an ARM semihosting call (op, parameter block), answered by
 * the host (QEMU -semihosting): file I/O for `--snapshot-in/--snapshot-out`
 * (firmware.c). Not on the real boards (no debugger attached). */
long board_semihost(int op, void *arg);

/* Set by the startup code: the C stack, painted with STACK_PAINT below sp. */
extern uint32_t __stack_bottom[], __stack_top[];
#define STACK_PAINT 0xA5A5A5A5u

/* The firmware's entry, called by the startup code after .data/.bss. */
int firmware_main(void);

#endif
