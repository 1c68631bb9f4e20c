/*
 * Raspberry Pi Pico (RP2040, Cortex-M0+): UART0 TX on GPIO0 (pin 1),
 * 115200 8N1, clocked from the 12 MHz crystal (clk_ref = clk_sys = clk_peri
 * = XOSC; the PLLs stay off). Memory (link.ld): flash (XIP) 0x10000000
 * 2 MiB with boot2 in its first 256 bytes, SRAM 0x20000000 264 KiB.
 * No semihosting without a debugger: board_exit prints "exit: N" and sleeps.
 */
#include <stdint.h>

#include "board.h"

#define REG(addr) (*(volatile uint32_t *)(addr))
#define CLR(addr) REG((addr) + 0x3000u) /* atomic bit-clear alias */

#define RESETS_RESET 0x4000C000u
#define RESETS_DONE REG(0x4000C008u)
#define XOSC_CTRL REG(0x40024000u)
#define XOSC_STATUS REG(0x40024004u)
#define XOSC_STARTUP REG(0x4002400Cu)
#define CLK_REF_CTRL REG(0x40008030u)
#define CLK_REF_SELECTED REG(0x40008038u)
#define CLK_SYS_CTRL REG(0x4000803Cu)
#define CLK_SYS_SELECTED REG(0x40008044u)
#define CLK_PERI_CTRL REG(0x40008048u)
#define IO_BANK0_GPIO0_CTRL REG(0x40014004u)
#define UART0_DR REG(0x40034000u)
#define UART0_FR REG(0x40034018u)
#define UART0_IBRD REG(0x40034024u)
#define UART0_FBRD REG(0x40034028u)
#define UART0_LCR_H REG(0x4003402Cu)
#define UART0_CR REG(0x40034030u)

#define RESET_IO_BANK0 (1u << 5)
#define RESET_PADS_BANK0 (1u << 8)
#define RESET_UART0 (1u << 22)

static int started;

void board_init(void) {
  if (started) return;
  /* 12 MHz crystal: start it, then clk_ref from it; clk_sys follows clk_ref. */
  XOSC_STARTUP = 47;                 /* about 1 ms at 12 MHz */
  XOSC_CTRL = (0xFABu << 12) | 0xAA0u; /* ENABLE, 1-15 MHz range */
  while (!(XOSC_STATUS & (1u << 31))) {
  }
  CLK_REF_CTRL = 2;                  /* src: xosc */
  while (CLK_REF_SELECTED != (1u << 2)) {
  }
  CLK_SYS_CTRL = 0;                  /* src: clk_ref */
  while (CLK_SYS_SELECTED != 1u) {
  }
  CLK_PERI_CTRL = 1u << 11;          /* enable, auxsrc clk_sys */
  CLR(RESETS_RESET) = RESET_IO_BANK0 | RESET_PADS_BANK0 | RESET_UART0;
  while ((RESETS_DONE & (RESET_IO_BANK0 | RESET_PADS_BANK0 | RESET_UART0)) !=
         (RESET_IO_BANK0 | RESET_PADS_BANK0 | RESET_UART0)) {
  }
  UART0_IBRD = 6;                    /* 12e6 / (16 * 115200) = 6.51 */
  UART0_FBRD = 33;
  UART0_LCR_H = 0x70;                /* 8 bits, FIFOs on */
  UART0_CR = 0x301;                  /* UARTEN, TXE, RXE */
  IO_BANK0_GPIO0_CTRL = 2;           /* GPIO0: UART0 TX */
  started = 1;
}

void board_putc(char c) {
  board_init();
  while (UART0_FR & (1u << 5)) {     /* TX FIFO full */
  }
  UART0_DR = (uint8_t)c;
}

void board_exit(int status) { board_halt(status); }

/* No instruction counter on this board (qemu.sh --icount is QEMU only). */
void board_icount_start(void) {}
uint64_t board_icount(void) { return 0; }
