/*
 * NUCLEO-F429ZI (STM32F429ZI, Cortex-M4F, 16 MHz HSI after reset):
 * USART3 on PD8 (TX), wired to the ST-LINK virtual COM port, 115200 8N1.
 * Memory (link.ld): flash 0x08000000 2 MiB, SRAM1-3 0x20000000 192 KiB.
 * No semihosting without a debugger: board_exit prints "exit: N" and sleeps.
 */
#include <stdint.h>

#include "board.h"

#define REG(addr) (*(volatile uint32_t *)(addr))
#define RCC_AHB1ENR REG(0x40023830u)
#define RCC_APB1ENR REG(0x40023840u)
#define GPIOD_MODER REG(0x40020C00u)
#define GPIOD_AFRH REG(0x40020C24u)
#define USART3_SR REG(0x40004800u)
#define USART3_DR REG(0x40004804u)
#define USART3_BRR REG(0x40004808u)
#define USART3_CR1 REG(0x4000480Cu)

static int started;

void board_init(void) {
  if (started) return;
  RCC_AHB1ENR |= 1u << 3;  /* GPIOD */
  RCC_APB1ENR |= 1u << 18; /* USART3 */
  GPIOD_MODER = (GPIOD_MODER & ~(3u << 16)) | (2u << 16); /* PD8: alternate function */
  GPIOD_AFRH = (GPIOD_AFRH & ~0xFu) | 7u;                 /* AF7: USART3_TX */
  USART3_BRR = 0x8B;                                      /* 16 MHz / 115200 */
  USART3_CR1 = (1u << 13) | (1u << 3);                    /* UE, TE */
  started = 1;
}

void board_putc(char c) {
  board_init();
  while (!(USART3_SR & (1u << 7))) {
  }
  USART3_DR = (uint8_t)c;
}

void board_exit(int status) { board_halt(status); }

/* No instruction counter on this board (qemu.sh --icount is QEMU only). */
void board_icount_start(void) {}
uint64_t board_icount(void) { return 0; }
