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
 *   WRT_TEST_SCRIBBLE 1   tests only: after the first call, overwrite every
 *                         word of the interpreter's memory with 0xFFFFFFFC
 *                         (a stand-in for an interpreter bug: all its
 *                         pointers and lengths become wild), then make the
 *                         WRT_THEN call; the exit checks the guards and a
 *                         canary in .bss (docs/firmware.md)
 *   WRT_STATS 1           also print '#' lines: slices, stack, arena
 *   WRT_ICOUNT 1          print "# instructions: N" for the run (QEMU -icount)
 *   WRT_SNAPSHOT_IN "f"   instead of WRT_INVOKE: continue the call in progress
 *                         of a CLI container (docs/snapshot-format.md: module
 *                         bytes + snapshot, as `wrt run --snapshot-out` writes)
 *                         read from the host file f by semihosting
 *   WRT_SNAPSHOT_OUT "f"  when the call runs out of fuel, write such a
 *                         container (this guest + the snapshot) to the host
 *                         file f by semihosting; `wrt resume f` continues it;
 *                         when it finishes, the finished (idle) state
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
#if WRT_WASI
#include "wasi.h"
#endif

#include <string.h>

extern const uint8_t guest_wasm[], guest_wasm_end[];

#if defined(WRT_SNAPSHOT_IN) || defined(WRT_SNAPSHOT_OUT)
/* The guest's module bytes: the whole embedded file, or the module part of
 * a precompiled image (--device; docs/image-format.md: u32 length at 32,
 * bytes from 36). Snapshot containers carry these bytes. */
static const uint8_t *guest_module(uint32_t *len) {
  uint32_t glen = (uint32_t)(guest_wasm_end - guest_wasm);
  if (glen >= 36 && memcmp(guest_wasm, "WRTI", 4) == 0) {
    uint32_t m = (uint32_t)guest_wasm[32] | (uint32_t)guest_wasm[33] << 8 | (uint32_t)guest_wasm[34] << 16 |
                 (uint32_t)guest_wasm[35] << 24;
    *len = m <= glen - 36 ? m : 0;
    return guest_wasm + 36;
  }
  *len = glen;
  return guest_wasm;
}
#endif
uint32_t wrt_rt_arena_pages(void); /* wrt_rt_bare.c */
bool wrt_rt_arena_intact(void);    /* wrt_rt_bare.c */
uint8_t *wrt_rt_guard_above(void); /* wrt_rt_bare.c */

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

#if WRT_TEST_SCRIBBLE
/* Memory outside the arena that nothing writes: checked at exit. */
#define CANARY_WORDS 64
static volatile uint32_t g_canary[CANARY_WORDS];
static void canary_set(void) {
  for (uint32_t i = 0; i < CANARY_WORDS; i++) g_canary[i] = 0xC0DE0000u + i;
}
static bool canary_intact(void) {
  for (uint32_t i = 0; i < CANARY_WORDS; i++)
    if (g_canary[i] != 0xC0DE0000u + i) return false;
  return true;
}
/* The interpreter's whole memory becomes 0xFFFFFFFC words: every pointer it
 * follows next is wild (unchecked: data - 4, the guard below). */
static void scribble(void) {
  uint32_t *p = (uint32_t *)wrt_mem_base();
  for (uint32_t i = 0, n = wrt_mem_pages() * (65536u / 4); p && i < n; i++) p[i] = 0xFFFFFFFCu;
}
#endif

static __attribute__((noreturn)) void finish(int status) {
#if WRT_TEST_SMASH_GUARD
  *wrt_rt_guard_above() ^= 1;
#endif
  bool intact = wrt_rt_arena_intact();
  if (!intact) {
    line("error: memory next to the arena was overwritten");
    status = 3;
  }
#if WRT_TEST_SCRIBBLE
  if (!canary_intact()) {
    line("error: memory outside the arena was overwritten");
    status = 3;
  }
  line2("# canary: ", canary_intact() ? "intact" : "overwritten");
#endif
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

#if defined(WRT_SNAPSHOT_IN) || defined(WRT_SNAPSHOT_OUT)
/* Only the snapshot paths fail with a fixed text (unused otherwise: no -Wunused-function). */
static __attribute__((noreturn)) void fail_text(const char *what) {
  line2("error: ", what);
  finish(3);
}

/* ---- snapshots to and from host files (semihosting, docs/firmware.md) ----
 * The file is the CLI container of docs/snapshot-format.md: u32 "WRTC",
 * u32 version 1, u32 flags, u32 module count, per module u32 length + bytes,
 * u32 snapshot length + the snapshot. Here: one module, this guest; no host
 * functions in the store (host ids are the host's own numbering: Node's
 * spectest/env functions would not mean the same here). */
enum { SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITE = 0x05, SYS_READ = 0x06, SYS_FLEN = 0x0C };
#define CONTAINER_MAGIC 0x43545257u /* "WRTC" */
#define SNAPSHOT_MAGIC 0x53545257u  /* "WRTS" */

static uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static long host_open(const char *path, uintptr_t mode) {
  uintptr_t a[3] = {(uintptr_t)path, mode, (uintptr_t)strlen(path)};
  return board_semihost(SYS_OPEN, a);
}
static void host_close(long fd) {
  uintptr_t a[1] = {(uintptr_t)fd};
  board_semihost(SYS_CLOSE, a);
}
/* SYS_READ/SYS_WRITE answer the count NOT transferred: 0 is success. */
static bool host_read(long fd, void *buf, uint32_t len) {
  uintptr_t a[3] = {(uintptr_t)fd, (uintptr_t)buf, len};
  return len == 0 || board_semihost(SYS_READ, a) == 0;
}

/* Walks a snapshot's sections (tag, length, payload) for what the firmware
 * needs before restoring: the machine's status and called function (MACH),
 * and whether the store holds host functions other than the interpreter's
 * built-ins (FUNC entries of kind 1 with a non-negative host id). The
 * interpreter checks everything else on restore. */
static const char *snapshot_scan(const uint8_t *s, uint32_t len, uint32_t *status, uint32_t *called) {
  if (len < 28 || rd32(s) != SNAPSHOT_MAGIC || rd32(s + 16) != len) return "not a WRT snapshot";
  *status = 0;
  for (uint32_t at = 24; at + 8 <= len - 4;) {
    uint32_t tag = rd32(s + at), size = rd32(s + at + 4);
    const uint8_t *p = s + at + 8;
    if (size > len - 4 - (at + 8)) return "truncated snapshot";
    if (tag == 0x434e5546u) { /* FUNC: n x { u8 0, u32, u32 } | { u8 1, u32 hostId, u32 np, u32 nr, types } */
      uint32_t n = size >= 4 ? rd32(p) : 0, k = 4;
      for (uint32_t i = 0; i < n && k < size; i++) {
        if (p[k] == 0) { k += 9; continue; }
        if (k + 13 > size) return "truncated snapshot";
        if ((int32_t)rd32(p + k + 1) >= 0) return "the snapshot holds host functions (not bound on the board)";
        k += 13 + rd32(p + k + 5) + rd32(p + k + 9);
      }
    } else if (tag == 0x4843414du && size >= 53) { /* MACH: u32 status ... u32 calledFunc at 49 */
      *status = rd32(p);
      *called = rd32(p + 49);
    }
    at += 8 + size;
  }
  return NULL;
}
#endif

#ifdef WRT_SNAPSHOT_IN
/* Reads the container WRT_SNAPSHOT_IN straight into the interpreter's I/O
 * buffer and restores it; `rt` gets the result types of the call in
 * progress. Ends the program on any problem. */
static void restore_from_host(uint8_t *rt) {
  long fd = host_open(WRT_SNAPSHOT_IN, 1 /* "rb" */);
  if (fd < 0) fail_text("cannot open " WRT_SNAPSHOT_IN " (semihosting)");
  uintptr_t fa[1] = {(uintptr_t)fd};
  long total = board_semihost(SYS_FLEN, fa);
  uint8_t head[20], chunk[64];
  if (total < 28 || !host_read(fd, head, 20)) fail_text(WRT_SNAPSHOT_IN ": cannot read");
  if (rd32(head) != CONTAINER_MAGIC || rd32(head + 4) != 1)
    fail_text(WRT_SNAPSHOT_IN ": not a WRT snapshot container (version 1)");
  uint32_t glen, mlen = rd32(head + 16);
  const uint8_t *gmod = guest_module(&glen);
  if (rd32(head + 12) != 1 || mlen != glen) fail_text(WRT_SNAPSHOT_IN ": its module is not this firmware's guest");
  for (uint32_t at = 0; at < mlen; at += sizeof chunk) {
    uint32_t n = mlen - at < sizeof chunk ? mlen - at : sizeof chunk;
    if (!host_read(fd, chunk, n)) fail_text(WRT_SNAPSHOT_IN ": cannot read");
    if (memcmp(chunk, gmod + at, n) != 0) fail_text(WRT_SNAPSHOT_IN ": its module is not this firmware's guest");
  }
  if (!host_read(fd, head, 4)) fail_text(WRT_SNAPSHOT_IN ": cannot read");
  uint32_t len = rd32(head);
  if ((uint64_t)len + 24 + mlen != (uint64_t)total) fail_text(WRT_SNAPSHOT_IN ": inconsistent lengths");
  uint8_t *io = wrt_io_ptr(len);
  if (!io) fail_error("no room for the snapshot");
  if (!host_read(fd, io, len)) fail_text(WRT_SNAPSHOT_IN ": cannot read");
  host_close(fd);
  uint32_t status, called = 0;
  const char *why = snapshot_scan(io, len, &status, &called);
  if (why) fail_text(why);
  if (status != 5) fail_text("the snapshot holds no call in progress (out of fuel)");
  if (wrt_restore((int32_t)len) < 0) fail_error("cannot restore the snapshot");
  uint32_t np, nr;
  uint8_t pt[16];
  if (wrt_func_sig((int32_t)called, &np, pt, 16, &nr, rt, 16) != 0 || nr > 16) fail_error("function type");
}
#endif

#ifdef WRT_SNAPSHOT_OUT
static void wr32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static bool host_write(long fd, const void *buf, uint32_t len) {
  uintptr_t a[3] = {(uintptr_t)fd, (uintptr_t)buf, len};
  return len == 0 || board_semihost(SYS_WRITE, a) == 0;
}

/* Out of fuel: the container (this guest + the snapshot) to WRT_SNAPSHOT_OUT. */
static void save_to_host(void) {
  int32_t n = wrt_snapshot();
  uint8_t *io = n < 0 ? NULL : wrt_io_ptr((uint32_t)n);
  if (!io) fail_error("cannot take a snapshot");
  uint32_t status, called;
  const char *why = snapshot_scan(io, (uint32_t)n, &status, &called);
  if (why) fail_text(why);
  uint32_t glen;
  const uint8_t *gmod = guest_module(&glen);
  uint8_t head[20];
  wr32(head, CONTAINER_MAGIC);
  wr32(head + 4, 1);
  wr32(head + 8, 0);
  wr32(head + 12, 1);
  wr32(head + 16, glen);
  long fd = host_open(WRT_SNAPSHOT_OUT, 5 /* "wb" */);
  if (fd < 0) fail_text("cannot create " WRT_SNAPSHOT_OUT " (semihosting)");
  bool ok = host_write(fd, head, 20) && host_write(fd, gmod, glen);
  wr32(head, (uint32_t)n);
  ok = ok && host_write(fd, head, 4) && host_write(fd, io, (uint32_t)n);
  host_close(fd);
  if (!ok) fail_text("cannot write " WRT_SNAPSHOT_OUT);
  out("# snapshot: ");
  out_u32((uint32_t)n);
  line(" bytes to " WRT_SNAPSHOT_OUT);
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

#if WRT_WASI
/* WASI preview 1 (host-shims/c/wasi.h; build.sh sets WRT_WASI when the guest
 * imports wasi_snapshot_preview1): stdout and stderr to the UART, argv =
 * {"guest"}, clocks and random ENOSYS (no board source yet), proc_exit ends
 * the run with its status. */
static void wasi_write(void *ctx, int fd, const uint8_t *bytes, uint32_t len) {
  (void)ctx; (void)fd;
  for (uint32_t i = 0; i < len; i++) board_putc((char)bytes[i]);
}
static const char *const WASI_ARGV[] = {"guest"};
static wrt_wasi g_wasi = {1, WASI_ARGV, wasi_write, NULL, NULL, NULL, -1, 0, 0};
static wrt_host_def g_hosts[sizeof HOSTS / sizeof HOSTS[0] + WRT_WASI_HOSTS];

/* After a trap: a WASI proc_exit ends the firmware with the guest's status. */
static inline void wasi_exit_check(void) {
  if (g_wasi.exited) finish((int)g_wasi.exit_code);
}
#else
static inline void wasi_exit_check(void) {}
#endif

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
#if WRT_TEST_SCRIBBLE
  canary_set();
#endif
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
#ifndef WRT_SNAPSHOT_IN /* else the restore brings the instance */
#if WRT_WASI
  memcpy(g_hosts, HOSTS, sizeof HOSTS);
  uint32_t nhosts = sizeof HOSTS / sizeof HOSTS[0];
  nhosts += wrt_wasi_hosts(&g_wasi, g_hosts + nhosts, WRT_WASI_HOSTS);
  g_inst = wrt_instantiate_hosts(m, g_hosts, nhosts);
  g_wasi.inst = g_inst;
#else
  g_inst = wrt_instantiate_hosts(m, HOSTS, sizeof HOSTS / sizeof HOSTS[0]);
#endif
  if (g_inst < 0) {
    if (!wrt_dead() && wrt_trap_code() > 0) {
      line2("trap: ", wrt_trap_message(g_text, sizeof g_text));
      finish(1);
    }
    fail_error("cannot instantiate the guest");
  }
#endif
#if defined(WRT_INVOKE) && defined(WRT_SNAPSHOT_IN)
#error "WRT_INVOKE and WRT_SNAPSHOT_IN exclude each other"
#endif
#if defined(WRT_INVOKE) || defined(WRT_SNAPSHOT_IN)
  uint8_t rt[16];
  uint64_t results[16];
#ifdef WRT_SNAPSHOT_IN
  (void)parse_int; /* no arguments, no instantiation (so no host functions) */
  (void)HOSTS;
  (void)out_u32;
  restore_from_host(rt);
#else
  static const char *const args_text[] = WRT_ARGS;
  enum { NARGS = sizeof args_text / sizeof args_text[0] - 1 }; /* WRT_ARGS ends with NULL */
  int32_t f = wrt_export(g_inst, WRT_INVOKE);
  if (f < 0 || (uint32_t)f >> 28 != 0) fail_error("no exported function " WRT_INVOKE);
  uint32_t np, nr;
  uint8_t pt[16];
  if (wrt_func_sig(f, &np, pt, 16, &nr, rt, 16) != 0 || np > 16 || nr > 16) fail_error("function type");
  if (np != NARGS) {
    out("error: " WRT_INVOKE " takes ");
    out_u32(np);
    line(" arguments");
    finish(3);
  }
  uint64_t args[16];
  for (uint32_t i = 0; i < np; i++) {
    if ((pt[i] != WRT_I32 && pt[i] != WRT_I64) || parse_int(args_text[i], &args[i]) != 0) {
      line2("error: not an integer argument: ", args_text[i]);
      finish(3);
    }
    if (pt[i] == WRT_I32) args[i] &= 0xFFFFFFFFu;
  }
  if (wrt_invoke(f, args, np) != 0) fail_error("wrt_call");
#endif
  int64_t remaining = WRT_FUEL < 0 ? WRT_FUEL_UNLIMITED : (int64_t)WRT_FUEL;
  uint32_t slices = 0;
  int st;
#if WRT_ICOUNT
  board_icount_start();
#endif
  int64_t slice = WRT_SLICE;
  for (;;) {
    int64_t budget = slice > 0 && slice < remaining ? slice : remaining;
    st = wrt_run_hosted(budget);
    slices++;
    /* Out of fuel with the whole rest: done, even if some is left over (the
     * next step costs more than what is left; looping on it never ends). */
    if (st != WRT_OUT_OF_FUEL || budget == remaining) break;
    int64_t used = budget - wrt_fuel_left();
    if (remaining != WRT_FUEL_UNLIMITED) remaining -= used;
    if (used == 0) slice = 0; /* the next step costs more than a slice: the rest at once */
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
#ifdef WRT_SNAPSHOT_OUT
      save_to_host(); /* the finished state too: a host compares it with another engine's */
#endif
#ifdef WRT_THEN
#if WRT_TEST_SCRIBBLE
      scribble();
#endif
      invoke_then();
#endif
      finish(0);
    }
    case WRT_OUT_OF_FUEL:
#ifdef WRT_SNAPSHOT_OUT
      save_to_host();
#endif
      wrt_abandon();
      line("out of fuel");
      finish(2);
    case WRT_TRAP:
      wasi_exit_check();
      line2("trap: ", wrt_trap_message(g_text, sizeof g_text));
      finish(1);
    default:
      fail_error("run");
  }
#endif
  finish(0);
}
