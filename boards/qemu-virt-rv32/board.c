/*
 * QEMU virt, rv32imac: NS16550 UART at 0x10000000, semihosting exit
 * (fallback: the SiFive test device at 0x100000).
 *   qemu-system-riscv32 -M virt -nographic -bios none -semihosting -kernel fw.elf
 * Memory map (link.ld): everything in RAM at 0x80000000 (128 MiB).
 */
#include <stdint.h>
#include <string.h>

#include "board.h"

#define UART0 0x10000000u
#define UART_THR (*(volatile uint8_t *)(UART0 + 0))
#define UART_LSR (*(volatile uint8_t *)(UART0 + 5)) /* bit5: THR empty */
#define SIFIVE_TEST (*(volatile uint32_t *)0x100000u)

void board_init(void) {}

void board_putc(char c) {
  while (!(UART_LSR & 0x20)) {
  }
  UART_THR = (uint8_t)c;
}

/* The semihosting call sequence must be uncompressed and in one page. */
static long semihost(long op, void *arg) {
  register long a0 __asm__("a0") = op;
  register void *a1 __asm__("a1") = arg;
  __asm__ volatile(
      ".option push\n"
      ".option norvc\n"
      ".balign 16\n"
      "slli zero, zero, 0x1f\n"
      "ebreak\n"
      "srai zero, zero, 7\n"
      ".option pop\n"
      : "+r"(a0)
      : "r"(a1)
      : "memory");
  return a0;
}

long board_semihost(int op, void *arg) { return semihost(op, arg); }

void board_exit(int status) {
  uint32_t block[2] = {0x20026u, (uint32_t)status};
  semihost(0x20, block); /* SYS_EXIT_EXTENDED, ADP_Stopped_ApplicationExit */
  SIFIVE_TEST = status == 0 ? 0x5555u : ((uint32_t)status << 16) | 0x3333u;
  for (;;) {
  }
}

/* minstret counts instructions exactly under -icount (QEMU). */
static uint64_t g_icount0;

static uint64_t read_instret(void) {
  uint32_t hi, lo, hi2;
  do {
    __asm__ volatile(".insn i 0x73, 2, %0, x0, -1150" : "=r"(hi));   /* csrr minstreth (0xB82) */
    __asm__ volatile(".insn i 0x73, 2, %0, x0, -1278" : "=r"(lo));   /* csrr minstret (0xB02) */
    __asm__ volatile(".insn i 0x73, 2, %0, x0, -1150" : "=r"(hi2));
  } while (hi != hi2);
  return (uint64_t)hi << 32 | lo;
}

void board_icount_start(void) { g_icount0 = read_instret(); }
uint64_t board_icount(void) { return read_instret() - g_icount0; }

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];

void fault_handler(void) {
  uint32_t cause;
  __asm__ volatile(".insn i 0x73, 2, %0, x0, 0x342" : "=r"(cause)); /* csrr mcause */
  const char *s = "error: CPU fault (mcause ";
  while (*s) board_putc(*s++);
  board_putc((char)('0' + (cause & 0xF) / 10));
  board_putc((char)('0' + (cause & 0xF) % 10));
  board_putc(')');
  board_putc('\n');
  board_exit(3);
}

void reset_handler(void) {
  if ((uintptr_t)__data_start != (uintptr_t)__data_load)
    memcpy(__data_start, __data_load, (size_t)((uint8_t *)__data_end - (uint8_t *)__data_start));
  memset(__bss_start, 0, (size_t)((uint8_t *)__bss_end - (uint8_t *)__bss_start));
  uint32_t *sp;
  __asm__ volatile("mv %0, sp" : "=r"(sp));
  for (uint32_t *p = __stack_bottom; p < sp - 16; p++) *p = STACK_PAINT;
  board_exit(firmware_main());
}
