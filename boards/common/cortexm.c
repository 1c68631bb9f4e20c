/*
 * Cortex-M startup shared by the ARM boards: vector table (core exceptions
 * only: the firmware uses no interrupts), reset handler (.data copy, .bss
 * zero, stack painting for the high-water mark), fault handler.
 * Linker-script symbols: __data_load/start/end, __bss_start/end,
 * __stack_bottom/top (boards/<board>/link.ld).
 */
#include <stdint.h>
#include <string.h>

#include "board.h"

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];

static void say(const char *s) {
  while (*s) board_putc(*s++);
}

void fault_handler(void) {
  board_init();
  say("error: CPU fault (HardFault)\n");
  board_exit(3);
}

__attribute__((noreturn)) void reset_handler(void) {
  memcpy(__data_start, __data_load, (size_t)((uint8_t *)__data_end - (uint8_t *)__data_start));
  memset(__bss_start, 0, (size_t)((uint8_t *)__bss_end - (uint8_t *)__bss_start));
  uint32_t *sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  for (uint32_t *p = __stack_bottom; p < sp - 16; p++) *p = STACK_PAINT;
  board_exit(firmware_main());
}

/* Boards that count time with SysTick override this. */
__attribute__((weak)) void systick_handler(void) { fault_handler(); }

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
  (void (*)(void))__stack_top, /* initial SP */
  reset_handler,
  fault_handler, /* NMI */
  fault_handler, /* HardFault */
  fault_handler, /* MemManage */
  fault_handler, /* BusFault */
  fault_handler, /* UsageFault */
  0, 0, 0, 0,    /* reserved */
  fault_handler, /* SVCall */
  fault_handler, /* DebugMonitor */
  0,             /* reserved */
  fault_handler, /* PendSV */
  systick_handler,
};

/* Real boards: no semihosting without a debugger; say the status and stop. */
void board_halt(int status) {
  say("exit: ");
  board_putc((char)('0' + (status & 7)));
  board_putc('\n');
  for (;;) __asm__ volatile("wfi");
}
