/*
 * nRF52840-DK (PCA10056), Cortex-M4F at 64 MHz: UART0 on P0.06 (TX), which
 * the on-board J-Link exposes as a USB serial port, 115200 8N1.
 * Memory (link.ld): flash 0x00000000 1 MiB, RAM 0x20000000 256 KiB.
 * No semihosting without a debugger: board_exit prints "exit: N" and sleeps.
 */
#include <stdint.h>

#include "board.h"

#define UART0 0x40002000u
#define REG(off) (*(volatile uint32_t *)(UART0 + (off)))
#define TASKS_STARTTX REG(0x008)
#define EVENTS_TXDRDY REG(0x11C)
#define ENABLE REG(0x500)
#define PSELTXD REG(0x50C)
#define TXD REG(0x51C)
#define BAUDRATE REG(0x524)
#define CONFIG REG(0x56C)

#define GPIO_P0_DIRSET (*(volatile uint32_t *)0x50000518u)
#define GPIO_P0_OUTSET (*(volatile uint32_t *)0x50000508u)
#define TX_PIN 6u

static int started;

void board_init(void) {
  if (started) return;
  GPIO_P0_OUTSET = 1u << TX_PIN; /* idle high */
  GPIO_P0_DIRSET = 1u << TX_PIN;
  PSELTXD = TX_PIN;              /* port 0, connected */
  BAUDRATE = 0x01D7E000u;        /* 115200 */
  CONFIG = 0;                    /* 8N1, no flow control */
  ENABLE = 4;                    /* UART (not UARTE) */
  TASKS_STARTTX = 1;
  started = 1;
}

void board_putc(char c) {
  board_init();
  EVENTS_TXDRDY = 0;
  TXD = (uint8_t)c;
  while (!EVENTS_TXDRDY) {
  }
}

void board_exit(int status) { board_halt(status); }

/* No instruction counter on this board (qemu.sh --icount is QEMU only). */
void board_icount_start(void) {}
uint64_t board_icount(void) { return 0; }
