/*
 * firmware.c: runs one guest (embedded at build time, guest.S) on a board.
 *
 * Build-time configuration comes from guest_cfg.h, written by
 * flash-scripts/qemu.sh (or by hand):
 *   WRT_INVOKE "name"     export to call (undefined: instantiate only)
 *   WRT_ARGS  {"1","2"}   its arguments as text (integers; see parse_int)
 *   WRT_FUEL  N           total fuel, -1 unlimited
 *   WRT_SLICE N           fuel per wrt_run (0: one run); out of fuel in a
 *                         slice resumes the same call with the next slice
 *   WRT_VALUE_STACK, WRT_CALL_FRAMES   interpreter limits (wrt_config)
 *   WRT_MAX_PAGES N       pages all guest memories may hold together
 *                         (WRT_CFG_MAX_PAGES_TOTAL: memory.grow past it is -1)
 *   WRT_THEN "name"       after WRT_INVOKE returned: call this export (no
 *                         arguments) and print its results the same way
 *   WRT_TEST_SMASH_GUARD 1  tests only: flip the byte right after the arena
 *                         before the exit check (shows that the check fires)
 *   WRT_STATS 1           also print '#' lines: slices, stack, arena
 *   WRT_ICOUNT 1          print "# instructions: N" for the run (QEMU -icount)
 *
 * Output on the UART, as `wrt run`: one TYPE:VALUE line per result;
 * "trap: TEXT", "out of fuel", or "error: TEXT". Host functions the guest
 * may import: spectest.print_i32/print_i64 ("V : i32"), env.log(ptr, len)
 * ("log: TEXT" from the guest's exported memory).
 * Exit status: 0 ok, 1 trap, 2 out of fuel, 3 error (incl. interpreter
 * faults such as an exhausted arena).
 *
 * Every exit checks the guards next to the interpreter's arena
 * (wrt_rt_bare.c): overwritten, it prints "error: memory next to the arena
 * was overwritten" and exits 3 (never seen; docs/firmware.md).
 */
#include "board.h"
#include "guest_cfg.h"
#include "wrt.h"

#include <string.h>

extern const uint8_t guest_wasm[], guest_wasm_end[];
uint32_t wrt_rt_arena_pages(void); /* wrt_rt_bare.c */
bool wrt_rt_arena_intact(void);    /* wrt_rt_bare.c */

#ifndef WRT_FUEL
#define WRT_FUEL (-1)
#endif
#ifndef WRT_SLICE
#define WRT_SLICE 0
#endif
#ifndef WRT_VALUE_STACK
#define WRT_VALUE_STACK 16384
#endif
#ifndef WRT_CALL_FRAMES
#define WRT_CALL_FRAMES 256
#endif
#ifndef WRT_ICOUNT
#define WRT_ICOUNT 0
#endif
#ifndef WRT_STATS
#define WRT_STATS 0
#endif

static void out(const char *s) { while (*s) board_putc(*s++); }
static void line(const char *s) { out(s); board_putc('\n'); }
static void line2(const char *a, const char *b) { out(a); line(b); }

static void out_u32(uint32_t v) {
  char b[12];
  int n = 0;
  do { b[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  while (n) board_putc(b[--n]);
}

static int32_t g_inst = -1;
static char g_text[200];

static __attribute__((noreturn)) void finish(int status) {
#if WRT_TEST_SMASH_GUARD
  if (wrt_mem_base()) wrt_mem_base()[(size_t)wrt_rt_arena_pages() * 65536u] ^= 1;
#endif
  bool intact = wrt_rt_arena_intact();
  if (!intact) {
    line("error: memory next to the arena was overwritten");
    status = 3;
  }
#if WRT_STATS
  line2("# arena guards: ", intact ? "intact" : "overwritten");
  uint32_t *p = __stack_bottom;
  while (p < __stack_top && *p == STACK_PAINT) p++;
  out("# stack high-water: ");
  out_u32((uint32_t)((uint8_t *)__stack_top - (uint8_t *)p));
  line(" bytes");
  out("# arena pages used: ");
  out_u32(wrt_mem_pages());
  out(" of ");
  out_u32(wrt_rt_arena_pages());
  line("");
#endif
  board_exit(status);
}

static __attribute__((noreturn)) void fail_error(const char *what) {
  out("error: ");
  out(what);
  line2(": ", wrt_dead() ? wrt_fault() : wrt_error_message(g_text, sizeof g_text));
  finish(3);
}

#ifdef WRT_THEN
/* The second call (WRT_THEN): no arguments; results, a trap or an error
 * are reported as for the first. Returns only after results. */
static void invoke_then(void) {
  int32_t f = wrt_export(g_inst, WRT_THEN);
  if (f < 0 || (uint32_t)f >> 28 != 0) fail_error("no exported function " WRT_THEN);
  uint32_t np, nr;
  uint8_t pt[16], rt[16];
  if (wrt_func_sig(f, &np, pt, 16, &nr, rt, 16) != 0 || np != 0 || nr > 16) fail_error(WRT_THEN ": not a function without parameters");
  if (wrt_invoke(f, NULL, 0) != 0) fail_error("wrt_call");
  int st = wrt_run_hosted(WRT_FUEL_UNLIMITED);
  if (st == WRT_TRAP) {
    line2("trap: ", wrt_trap_message(g_text, sizeof g_text));
    finish(1);
  }
  if (st != WRT_DONE) fail_error("run");
  uint64_t results[16];
  int32_t n = wrt_get_results(results, 16);
  for (int32_t i = 0; i < n && i < 16; i++) line(wrt_format_value(g_text, sizeof g_text, rt[i], results[i]));
}
#endif

/* ---- host functions ---- */

static int print_value(void *ctx, const uint64_t *args, uint32_t nargs, uint64_t *res, uint32_t nres) {
  (void)res; (void)nres;
  uint8_t type = (uint8_t)(uintptr_t)ctx;
  for (uint32_t i = 0; i < nargs; i++) {
    wrt_format_value(g_text, sizeof g_text, type, args[i]);
    char *colon = strchr(g_text, ':');
    *colon = 0;
    out(colon + 1);
    line2(" : ", g_text);
  }
  return 0;
}

static int env_log(void *ctx, const uint64_t *args, uint32_t nargs, uint64_t *res, uint32_t nres) {
  (void)ctx; (void)res; (void)nres;
  uint32_t size = 0;
  uint8_t *mem = wrt_guest_memory(g_inst, "memory", &size);
  uint32_t ptr = nargs > 0 ? (uint32_t)args[0] : 0, len = nargs > 1 ? (uint32_t)args[1] : 0;
  if (!mem || ptr > size || len > size - ptr) {
    wrt_set_host_trap("env.log: string out of bounds");
    return 1;
  }
  out("log: ");
  for (uint32_t i = 0; i < len; i++) board_putc((char)mem[ptr + i]);
  board_putc('\n');
  return 0;
}

static const wrt_host_def HOSTS[] = {
  {"spectest", "print_i32", print_value, (void *)(uintptr_t)WRT_I32},
  {"spectest", "print_i64", print_value, (void *)(uintptr_t)WRT_I64},
  {"env", "log", env_log, NULL},
};

/* wasi:logging records and the interpreter's own lines (wrt.log): one UART
 * line each, "[LEVEL] context: message" (docs/wasi-logging.md). */
static void uart_putc(void *ctx, char c) {
  (void)ctx;
  board_putc(c);
}

static void uart_record(void *ctx, int level, const char *context, uint32_t context_len,
                        const char *message, uint32_t message_len) {
  (void)ctx;
  wrt_log_emit_line(uart_putc, NULL, level, context, context_len, message, message_len);
}

/* Decimal or 0x hex, optional sign (integers only on the device). */
static int parse_int(const char *s, uint64_t *v) {
  int neg = 0;
  if (*s == '-' || *s == '+') neg = *s++ == '-';
  unsigned base = 10;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) { base = 16; s += 2; }
  if (!*s) return -1;
  uint64_t x = 0;
  for (; *s; s++) {
    unsigned d;
    if (*s == '_') continue;
    if (*s >= '0' && *s <= '9') d = (unsigned)(*s - '0');
    else if (base == 16 && (*s | 32) >= 'a' && (*s | 32) <= 'f') d = (unsigned)((*s | 32) - 'a' + 10);
    else return -1;
    x = x * base + d;
  }
  *v = neg ? (uint64_t)0 - x : x;
  return 0;
}

int firmware_main(void) {
  board_init();
  if (wrt_open() != 0) fail_error("cannot start the interpreter");
  wrt_set_record_sink(uart_record, NULL);
#if WRT_STATS
  out("# arena pages after start-up: ");
  out_u32(wrt_mem_pages());
  line("");
#endif
  /* Small stacks first: each wrt_config reallocates both stacks. */
  if (wrt_config(WRT_CFG_VALUE_STACK_BYTES, 1024) < 0 || wrt_config(WRT_CFG_CALL_FRAMES, WRT_CALL_FRAMES) < 0 ||
      wrt_config(WRT_CFG_VALUE_STACK_BYTES, WRT_VALUE_STACK) < 0)
    fail_error("wrt_config");
#ifdef WRT_MAX_PAGES
  if (wrt_config(WRT_CFG_MAX_PAGES_TOTAL, WRT_MAX_PAGES) < 0) fail_error("wrt_config");
#endif
#if WRT_STATS
  out("# arena pages after wrt_config: ");
  out_u32(wrt_mem_pages());
  line("");
#endif
  int32_t m = wrt_load(guest_wasm, (uint32_t)(guest_wasm_end - guest_wasm));
  if (m < 0) fail_error("cannot load the guest");
  g_inst = wrt_instantiate_hosts(m, HOSTS, sizeof HOSTS / sizeof HOSTS[0]);
  if (g_inst < 0) {
    if (!wrt_dead() && wrt_trap_code() > 0) {
      line2("trap: ", wrt_trap_message(g_text, sizeof g_text));
      finish(1);
    }
    fail_error("cannot instantiate the guest");
  }
#ifdef WRT_INVOKE
  static const char *const args_text[] = WRT_ARGS;
  enum { NARGS = sizeof args_text / sizeof args_text[0] - 1 }; /* WRT_ARGS ends with NULL */
  int32_t f = wrt_export(g_inst, WRT_INVOKE);
  if (f < 0 || (uint32_t)f >> 28 != 0) fail_error("no exported function " WRT_INVOKE);
  uint32_t np, nr;
  uint8_t pt[16], rt[16];
  if (wrt_func_sig(f, &np, pt, 16, &nr, rt, 16) != 0 || np > 16 || nr > 16) fail_error("function type");
  if (np != NARGS) {
    out("error: " WRT_INVOKE " takes ");
    out_u32(np);
    line(" arguments");
    finish(3);
  }
  uint64_t args[16], results[16];
  for (uint32_t i = 0; i < np; i++) {
    if ((pt[i] != WRT_I32 && pt[i] != WRT_I64) || parse_int(args_text[i], &args[i]) != 0) {
      line2("error: not an integer argument: ", args_text[i]);
      finish(3);
    }
    if (pt[i] == WRT_I32) args[i] &= 0xFFFFFFFFu;
  }
  if (wrt_invoke(f, args, np) != 0) fail_error("wrt_call");
  int64_t remaining = WRT_FUEL < 0 ? WRT_FUEL_UNLIMITED : (int64_t)WRT_FUEL;
  uint32_t slices = 0;
  int st;
#if WRT_ICOUNT
  board_icount_start();
#endif
  for (;;) {
    int64_t budget = WRT_SLICE > 0 && (int64_t)WRT_SLICE < remaining ? (int64_t)WRT_SLICE : remaining;
    st = wrt_run_hosted(budget);
    slices++;
    if (st != WRT_OUT_OF_FUEL) break;
    if (remaining != WRT_FUEL_UNLIMITED) {
      remaining -= budget - wrt_fuel_left();
      if (remaining <= 0) break;
    }
  }
#if WRT_ICOUNT
  {
    uint64_t n = board_icount();
    char b[24];
    int k = 0;
    do { b[k++] = (char)('0' + (int)(n % 10)); n /= 10; } while (n);
    out("# instructions: ");
    while (k) board_putc(b[--k]);
    line("");
  }
#endif
#if WRT_STATS
  out("# slices: ");
  out_u32(slices);
  line("");
#else
  (void)slices;
#endif
  switch (st) {
    case WRT_DONE: {
      int32_t n = wrt_get_results(results, 16);
      for (int32_t i = 0; i < n && i < 16; i++) line(wrt_format_value(g_text, sizeof g_text, rt[i], results[i]));
#ifdef WRT_THEN
      invoke_then();
#endif
      finish(0);
    }
    case WRT_OUT_OF_FUEL:
      wrt_abandon();
      line("out of fuel");
      finish(2);
    case WRT_TRAP:
      line2("trap: ", wrt_trap_message(g_text, sizeof g_text));
      finish(1);
    default:
      fail_error("run");
  }
#endif
  finish(0);
}
