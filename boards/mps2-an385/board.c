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

long board_semihost(int op, void *arg) { return semihost(op, arg); }

void board_exit(int status) {
  /* SYS_EXIT_EXTENDED with ADP_Stopped_ApplicationExit: any status. */
  uint32_t block[2] = {0x20026u, (uint32_t)status};
  semihost(0x20, block);
  for (;;) {
  }
}

/* ---- instruction count under -icount shift=0: SysTick on the 25 MHz CPU clock ---- */
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
static volatile uint32_t g_wraps;

void systick_handler(void) { g_wraps++; }

void board_icount_start(void) {
  SYST_RVR = 0xFFFFFFu;
  SYST_CVR = 0;
  g_wraps = 0;
  SYST_CSR = 7; /* enable, interrupt on wrap, processor clock */
}

uint64_t board_icount(void) {
  uint32_t w, v;
  do {
    w = g_wraps;
    v = SYST_CVR;
  } while (w != g_wraps);
  uint64_t ticks = (uint64_t)w * 0x1000000u + (0xFFFFFFu - v);
  return ticks * 40u; /* 1 ns per instruction, 40 ns per tick */
}

/* Startup (vectors, reset, faults): boards/common/cortexm.c. */
