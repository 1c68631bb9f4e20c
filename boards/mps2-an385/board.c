/*
 * MPS2 AN385 (Cortex-M3) under QEMU: startup, CMSDK UART0, semihosting exit.
 *   qemu-system-arm -M mps2-an385 -nographic -semihosting -kernel fw.elf
 * Memory map (link.ld): code 0x00000000 (4 MiB), RAM 0x20000000 (4 MiB).
 */
#include <stdint.h>
#include <string.h>

#include "board.h"

/* ---- CMSDK APB UART0 ---- */
#define UART0 0x40004000u
#define UART_DATA (*(volatile uint32_t *)(UART0 + 0x00))
#define UART_STATE (*(volatile uint32_t *)(UART0 + 0x04)) /* bit0: TX full */
#define UART_CTRL (*(volatile uint32_t *)(UART0 + 0x08))  /* bit0: TX enable */
#define UART_BAUDDIV (*(volatile uint32_t *)(UART0 + 0x10))

void board_init(void) {
  UART_BAUDDIV = 16;
  UART_CTRL = 1; /* QEMU drops output until TX is enabled */
}

void board_putc(char c) {
  while (UART_STATE & 1) {
  }
  UART_DATA = (uint8_t)c;
}

/* ---- semihosting ---- */
static int semihost(int op, void *arg) {
  register int r0 __asm__("r0") = op;
  register void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

void board_exit(int status) {
  /* SYS_EXIT_EXTENDED with ADP_Stopped_ApplicationExit: any status. */
  uint32_t block[2] = {0x20026u, (uint32_t)status};
  semihost(0x20, block);
  for (;;) {
  }
}

/* Startup (vectors, reset, faults): boards/common/cortexm.c. */
