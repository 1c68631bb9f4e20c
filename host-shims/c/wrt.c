/*
 * wrt.c: the C embedding API (wrt.h) over the wasm2c translation of
 * build/wrt.wasm (build/c/wrt.c, exports Z_wrtZ_wrt_*).
 *
 * Faults. Every call into the generated code runs under
 * wasm_rt_impl_try() (a setjmp). Two things longjmp back here:
 *   - a trap inside the interpreter's own code (wasm_rt_trap: an
 *     out-of-bounds access, unreachable, exhausted C call depth), and
 *   - the `wrt.abort` import (docs/host-abi.md), implemented below: it
 *     records the message and traps.
 * Either way the interpreter's state is lost: the engine is marked dead and
 * every later call fails until wrt_reset(). Guest traps are not faults: they
 * are statuses of wrt_run.
 *
 * Uses only memcpy/memset/memmove/strlen/strcmp and setjmp (through the
 * wasm-rt); with WRT_FORMAT_FLOATS also snprintf/strtod (host builds).
 */
#include "wrt.h"
#include "wrt_gen.h" /* build/c: the generated header (includes wasm-rt.h) */
#include "wasm-rt-impl.h"
#if WRT_SIGNATURES
#include "wrt_sign.h"
#endif

#include <string.h>

#if WRT_UNCHECKED_MEMORY
/* Bare metal without wasm2c's bounds checks on the interpreter's own memory
 * accesses (WASM_RT_MEMCHECK_SIGNAL_HANDLER=1 with
 * WASM_RT_SKIP_SIGNAL_RECOVERY=1: no MMU, no signals). wasm-rt.h then picks
 * sigsetjmp; wrt_rt_bare.c traps with plain longjmp, so use setjmp. */
#include <setjmp.h>
#undef WASM_RT_SETJMP
#define WASM_RT_SETJMP(buf) setjmp(buf)
#endif
#if WRT_FORMAT_FLOATS
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#endif

/* WRT_THREADS=1 (hosted builds): one interpreter per OS thread. Every piece
 * of state below is then thread-local, so each thread's wrt_open() gets its
 * own Z_wrt instance; the wasm-rt must be built with thread-local trap state
 * too (docs/wasi-logging.md, "C host"). */
#if WRT_THREADS
#include <pthread.h>
#define WRT_TLS _Thread_local
#else
#define WRT_TLS
#endif

#ifndef WRT_MAX_HOSTS
#define WRT_MAX_HOSTS 32 /* host functions bound at once (all instances) */
#endif
#ifndef WRT_MAX_IMPORTS
#define WRT_MAX_IMPORTS 64 /* imports of one module */
#endif
#ifndef WRT_MAX_HOST_SLOTS
#define WRT_MAX_HOST_SLOTS 16 /* params / results of one host function */
#endif

static WRT_TLS Z_wrt_instance_t g_inst;
static bool g_module_initialized; /* process-wide: the generated code's type registry */
static WRT_TLS bool g_open;
static WRT_TLS bool g_dead;
static WRT_TLS bool g_aborted;
static WRT_TLS uint32_t g_abort_args[4];
static WRT_TLS char g_fault[192];

typedef struct {
  wrt_host_fn fn;
  void *ctx;
  uint32_t nresults;
} host_slot;

static WRT_TLS host_slot g_hosts[WRT_MAX_HOSTS];
static WRT_TLS uint32_t g_nhosts;

/* ------------------------------------------------------------ small text */

static void text_set(char *dst, uint32_t cap, const char *src) {
  uint32_t n = (uint32_t)strlen(src);
  if (n >= cap) n = cap - 1;
  memcpy(dst, src, n);
  dst[n] = 0;
}

static uint32_t text_append(char *dst, uint32_t cap, uint32_t at, const char *src) {
  while (*src && at + 1 < cap) dst[at++] = *src++;
  dst[at] = 0;
  return at;
}

static uint32_t text_append_u32(char *dst, uint32_t cap, uint32_t at, uint32_t v) {
  char tmp[12];
  int n = 0;
  do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  while (n && at + 1 < cap) dst[at++] = tmp[--n];
  dst[at] = 0;
  return at;
}

/* Appends an AssemblyScript string (UTF-16LE, byte length at ptr-4) as ASCII
 * ('?' for anything else); false if the pointer is not a string. */
static bool append_as_string(char *dst, uint32_t cap, uint32_t *at, uint32_t ptr) {
  const wasm_rt_memory_t *mem = &g_inst.w2c_memory;
  if (ptr < 4 || ptr > mem->size) return false;
  uint32_t len;
  memcpy(&len, mem->data + ptr - 4, 4);
  if (len > mem->size - ptr) return false;
  for (uint32_t i = 0; i + 1 < len && *at + 1 < cap; i += 2) {
    uint16_t c = (uint16_t)(mem->data[ptr + i] | mem->data[ptr + i + 1] << 8);
    dst[(*at)++] = c >= 0x20 && c < 0x7F ? (char)c : '?';
  }
  dst[*at] = 0;
  return true;
}

/* ------------------------------------------------------------ faults */

/* The `wrt.abort` import: never returns (traps into the active guard). */
void Z_wrtZ_abort(struct Z_wrt_instance_t *inst, u32 msg, u32 file, u32 line, u32 col) {
  (void)inst;
  g_aborted = true;
  g_abort_args[0] = msg;
  g_abort_args[1] = file;
  g_abort_args[2] = line;
  g_abort_args[3] = col;
  uint32_t at = text_append(g_fault, sizeof g_fault, 0, "interpreter aborted: ");
  if (!append_as_string(g_fault, sizeof g_fault, &at, msg)) at = text_append(g_fault, sizeof g_fault, at, "abort");
  if (file) {
    uint32_t mark = at;
    at = text_append(g_fault, sizeof g_fault, at, " (");
    if (append_as_string(g_fault, sizeof g_fault, &at, file)) {
      at = text_append(g_fault, sizeof g_fault, at, ":");
      at = text_append_u32(g_fault, sizeof g_fault, at, line);
      at = text_append(g_fault, sizeof g_fault, at, ":");
      at = text_append_u32(g_fault, sizeof g_fault, at, col);
      at = text_append(g_fault, sizeof g_fault, at, ")");
    } else {
      g_fault[mark] = 0;
    }
  }
  wasm_rt_trap(WASM_RT_TRAP_UNREACHABLE);
}

static WRT_TLS wrt_log_fn g_log_sink;
static WRT_TLS void *g_log_ctx;
static WRT_TLS wrt_record_fn g_record_sink;
static WRT_TLS void *g_record_ctx;
/* The builtin wasi:logging extern, made once per interpreter: a host function
 * of the store is never reclaimed, so one per instantiation would grow the
 * store and keep dropped instances from being reclaimed. -1: not yet. */
static WRT_TLS int32_t g_wasi_log = -1;

void wrt_set_record_sink(wrt_record_fn fn, void *ctx) {
  g_record_sink = fn;
  g_record_ctx = ctx;
}

void wrt_set_log_sink(wrt_log_fn fn, void *ctx) {
  g_log_sink = fn;
  g_log_ctx = ctx;
}

/* The `wrt.log` import (docs/host-abi.md): one whole record. `meta` bits
 * 0..7 the level, 8..31 the context's length; at `ptr` context then message.
 * The raw sink gets `meta` as is (the native serve protocol forwards it);
 * the record sink gets it decoded. `inst` is this thread's interpreter. */
void Z_wrtZ_log(struct Z_wrt_instance_t *inst, u32 meta, u32 ptr, u32 len) {
  const wasm_rt_memory_t *mem = &inst->w2c_memory;
  if (ptr > mem->size || len > mem->size - ptr) return;
  const char *p = (const char *)mem->data + ptr;
  if (g_log_sink) g_log_sink(g_log_ctx, (int)meta, p, len, ptr);
  if (g_record_sink) {
    uint32_t ctx_len = meta >> 8;
    if (ctx_len > len) ctx_len = len;
    g_record_sink(g_record_ctx, (int)(meta & 0xFF), p, ctx_len, p + ctx_len, len - ctx_len);
  }
}

/* ------------------------------------------------------------ log lines */

static const char *const LEVEL_NAMES[6] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "CRITICAL"};

const char *wrt_log_level_name(int level) {
  return level >= 0 && level < 6 ? LEVEL_NAMES[level] : "LEVEL?";
}

static uint32_t emit_str(wrt_putc_fn put, void *pctx, const char *s) {
  uint32_t n = 0;
  for (; *s; s++, n++) put(pctx, *s);
  return n;
}

/* Text with controls escaped: LF \n, CR \r, other C0 and DEL \xHH, C1
 * (UTF-8 C2 80..C2 9F) \u00HH; the rest (valid UTF-8, checked by the
 * interpreter) as is. */
static uint32_t emit_escaped(wrt_putc_fn put, void *pctx, const char *s, uint32_t len) {
  static const char hex[] = "0123456789abcdef";
  uint32_t n = 0;
  for (uint32_t i = 0; i < len; i++) {
    uint8_t b = (uint8_t)s[i];
    if (b == '\n' || b == '\r') {
      put(pctx, '\\'); put(pctx, b == '\n' ? 'n' : 'r'); n += 2;
    } else if ((b < 0x20 && b != '\t') || b == 0x7F) {
      put(pctx, '\\'); put(pctx, 'x'); put(pctx, hex[b >> 4]); put(pctx, hex[b & 15]); n += 4;
    } else if (b == 0xC2 && i + 1 < len && (uint8_t)s[i + 1] >= 0x80 && (uint8_t)s[i + 1] <= 0x9F) {
      uint8_t c = (uint8_t)s[++i];
      n += emit_str(put, pctx, "\\u00");
      put(pctx, hex[c >> 4]); put(pctx, hex[c & 15]); n += 2;
    } else {
      put(pctx, (char)b); n++;
    }
  }
  return n;
}

uint32_t wrt_log_emit_body(wrt_putc_fn put, void *pctx, const char *context, uint32_t context_len,
                           const char *message, uint32_t message_len) {
  uint32_t n = 0;
  if (context_len) {
    n += emit_escaped(put, pctx, context, context_len);
    n += emit_str(put, pctx, ": ");
  }
  return n + emit_escaped(put, pctx, message, message_len);
}

uint32_t wrt_log_emit_line(wrt_putc_fn put, void *pctx, int level, const char *context, uint32_t context_len,
                           const char *message, uint32_t message_len) {
  uint32_t n = 0;
  put(pctx, '['); n++;
  n += emit_str(put, pctx, wrt_log_level_name(level));
  n += emit_str(put, pctx, "] ");
  n += wrt_log_emit_body(put, pctx, context, context_len, message, message_len);
  put(pctx, '\n');
  return n + 1;
}

typedef struct { char *buf; uint32_t cap, len; } text_sink;

static void put_buf(void *ctx, char c) {
  text_sink *t = ctx;
  if (t->len < t->cap) t->buf[t->len] = c;
  t->len++;
}

uint32_t wrt_log_format_line(char *buf, uint32_t cap, int level, const char *context, uint32_t context_len,
                             const char *message, uint32_t message_len) {
  text_sink t = {buf, cap, 0};
  return wrt_log_emit_line(put_buf, &t, level, context, context_len, message, message_len);
}

uint32_t wrt_log_format_body(char *buf, uint32_t cap, const char *context, uint32_t context_len,
                             const char *message, uint32_t message_len) {
  text_sink t = {buf, cap, 0};
  return wrt_log_emit_body(put_buf, &t, context, context_len, message, message_len);
}

static const char *trap_name(int code) {
  switch (code) {
    case WASM_RT_TRAP_OOB: return "out of bounds memory access";
    case WASM_RT_TRAP_INT_OVERFLOW: return "integer overflow";
    case WASM_RT_TRAP_DIV_BY_ZERO: return "integer divide by zero";
    case WASM_RT_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WASM_RT_TRAP_UNREACHABLE: return "unreachable";
    case WASM_RT_TRAP_CALL_INDIRECT: return "indirect call type mismatch";
    case WASM_RT_TRAP_EXHAUSTION: return "call stack exhausted";
    default: return "trap";
  }
}

/* The runtime's reason for a fault, if it knows one (wrt_rt_bare.c: the
 * arena); the stock wasm-rt has none. */
__attribute__((weak)) const char *wrt_rt_note(void) { return NULL; }

static void append_note(void) {
  const char *note = wrt_rt_note();
  if (!note) return;
  uint32_t at = (uint32_t)strlen(g_fault);
  at = text_append(g_fault, sizeof g_fault, at, " [");
  at = text_append(g_fault, sizeof g_fault, at, note);
  text_append(g_fault, sizeof g_fault, at, "]");
}

/* A longjmp arrived: the interpreter is gone. */
static void on_fault(int code) {
  g_dead = true;
  if (!g_aborted) {
    uint32_t at = text_append(g_fault, sizeof g_fault, 0, "interpreter crashed: ");
    text_append(g_fault, sizeof g_fault, at, trap_name(code));
  }
  append_note();
}

/* A refusal by this host before the interpreter saw the bytes (a signature,
 * docs/signing.md): reported by wrt_error_* until the next API call. */
static WRT_TLS int32_t g_host_err;
static WRT_TLS int32_t g_host_err_at;
static WRT_TLS const char *g_host_err_text = "";

/* Runs `call` under the fault guard; `fail` is returned on a fault. */
#define GUARDED(fail, call)                         \
  do {                                              \
    g_host_err = 0;                                 \
    if (!g_open || g_dead) return fail;             \
    int trap_ = wasm_rt_impl_try();                 \
    if (trap_ != 0) { on_fault(trap_); return fail; } \
    return call;                                    \
  } while (0)

#define GUARDED_VOID(call)                          \
  do {                                              \
    if (!g_open || g_dead) return;                  \
    int trap_ = wasm_rt_impl_try();                 \
    if (trap_ != 0) { on_fault(trap_); return; }    \
    call;                                           \
  } while (0)

/* ------------------------------------------------------------ life cycle */

#if WRT_THREADS
static pthread_once_t g_init_once = PTHREAD_ONCE_INIT;
static void init_once(void) {
  wasm_rt_init();
  Z_wrt_init_module();
  g_module_initialized = true;
}
#endif

int wrt_open(void) {
  if (g_open) return g_dead ? -1 : 0;
  g_dead = false;
  g_aborted = false;
  g_fault[0] = 0;
  g_nhosts = 0;
#if WRT_THREADS
  pthread_once(&g_init_once, init_once);
#else
  wasm_rt_init();
  if (!g_module_initialized) {
    Z_wrt_init_module();
    g_module_initialized = true;
  }
#endif
  memset(&g_inst, 0, sizeof g_inst);
  int trap = wasm_rt_impl_try();
  if (trap != 0) {
    on_fault(trap);
    g_open = true; /* so wrt_close releases what was allocated */
    return -1;
  }
  Z_wrt_instantiate(&g_inst, &g_inst);
  /* The interpreter's memory can grow no further than this (the arena on a
   * board, and below the wasm2c runtime's limit: its grow computes byte
   * sizes in 32 bits, so 65,536 pages would wrap to 0): the runtime refuses
   * to grow past it, and guest memory.grow/table.grow that would need more
   * return -1 (runtime/heap-room.ts). */
  uint32_t ceiling = g_inst.w2c_memory.max_pages < WRT_RT_MAX_PAGES ? g_inst.w2c_memory.max_pages : WRT_RT_MAX_PAGES;
  g_inst.w2c_memory.max_pages = ceiling;
  Z_wrtZ_wrt_config(&g_inst, WRT_CFG_HOST_MEMORY_PAGES, ceiling);
  g_open = true;
  return 0;
}

void wrt_close(void) {
  g_wasi_log = -1;
  if (!g_open) return;
  if (g_inst.w2c_memory.data) Z_wrt_free(&g_inst);
  memset(&g_inst, 0, sizeof g_inst);
  g_open = false;
}

int wrt_reset(void) {
  wrt_close();
  return wrt_open();
}

bool wrt_dead(void) { return !g_open || g_dead; }
const char *wrt_fault(void) { return g_fault; }

/* Internal (native driver): the arguments of the last `wrt.abort`. */
bool wrt_abort_args(uint32_t out[4]) {
  if (!g_aborted) return false;
  memcpy(out, g_abort_args, sizeof g_abort_args);
  return true;
}

uint8_t *wrt_mem_base(void) { return g_inst.w2c_memory.data; }
uint32_t wrt_mem_size(void) { return g_inst.w2c_memory.size; }
uint32_t wrt_mem_pages(void) { return g_inst.w2c_memory.pages; }
uint32_t wrt_mem_max_pages(void) { return g_inst.w2c_memory.max_pages; }

/* ------------------------------------------------------------ raw layer */

#define I (&g_inst)
int32_t wrt_abi_version(void) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_abi_version(I)); }
int32_t wrt_io(int32_t size) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_io(I, (u32)size)); }
/* The error of the last call: this host's own refusal (a signature), else the interpreter's. */
int32_t wrt_error_code(void) {
  if (g_host_err != 0) return g_host_err;
  GUARDED(-1, (int32_t)Z_wrtZ_wrt_error_code(I));
}
int32_t wrt_error_offset(void) {
  if (g_host_err != 0) return g_host_err_at;
  GUARDED(-1, (int32_t)Z_wrtZ_wrt_error_offset(I));
}
int32_t wrt_error_text(void) {
  if (g_host_err != 0 && g_open && !g_dead) {
    uint32_t n = (uint32_t)strlen(g_host_err_text);
    int32_t e = g_host_err, at = g_host_err_at;
    int32_t p = wrt_io((int32_t)n); /* (clears g_host_err: put it back) */
    g_host_err = e; g_host_err_at = at;
    if (p <= 0) return -1;
    memcpy(g_inst.w2c_memory.data + (uint32_t)p, g_host_err_text, n);
    return (int32_t)n;
  }
  GUARDED(-1, (int32_t)Z_wrtZ_wrt_error_text(I));
}
/* A host memory ceiling above the runtime's maximum is passed on as 0, which the interpreter refuses with its error. */
static int64_t config_value(int32_t key, int64_t value) {
  if (key == WRT_CFG_HOST_MEMORY_PAGES && (value < 0 || (uint64_t)value > g_inst.w2c_memory.max_pages)) return 0;
  return value;
}
#if WRT_SIGNATURES
/* docs/signing.md: WRT_CFG_REQUIRE_SIGNATURE is this host's, not the interpreter's. */
static WRT_TLS bool g_require_signature;

int32_t wrt_trust_key(const uint8_t public_key[32]) { return wrt_sign_trust(public_key); }

/* The length of what the interpreter gets from the I/O buffer's `len` bytes:
 * the payload of signed bytes (checked when signatures are required), the
 * bytes as they are otherwise; -1 with this host's error set. */
static int32_t payload_len(int32_t len) {
  if (!g_open || g_dead || len < 0) return len;
  int32_t p = wrt_io(len);
  if (p <= 0) return len; /* the interpreter reports the bad length */
  const uint8_t *b = g_inst.w2c_memory.data + (uint32_t)p;
  if (!g_require_signature) {
    int64_t n = wrt_sign_payload(b, (uint32_t)len);
    return n < 0 ? len : (int32_t)n;
  }
  const char *why;
  int32_t at;
  int64_t n = wrt_sign_check(b, (uint32_t)len, &why, &at);
  if (n >= 0) return (int32_t)n;
  g_host_err = WRT_ERR_SIGNATURE;
  g_host_err_at = at;
  g_host_err_text = why;
  return -1;
}
#else
static int32_t payload_len(int32_t len) { return len; }
#endif

int32_t wrt_config(int32_t key, int64_t value) {
#if WRT_SIGNATURES
  if (key == WRT_CFG_REQUIRE_SIGNATURE) {
    g_host_err = 0;
    if (value != 0 && value != 1) return -1;
    g_require_signature = value == 1;
    return 0;
  }
#endif
  GUARDED(-1, (int32_t)Z_wrtZ_wrt_config(I, (u32)key, (u64)config_value(key, value)));
}
void wrt_collect(void) { GUARDED_VOID(Z_wrtZ_wrt_collect(I)); }
int32_t wrt_module_load(int32_t len) {
  int32_t n = payload_len(len);
  if (n < 0 && g_host_err != 0) return -1;
  GUARDED(-1, (int32_t)Z_wrtZ_wrt_module_load(I, (u32)n));
}
void wrt_module_drop(int32_t m) { GUARDED_VOID(Z_wrtZ_wrt_module_drop(I, (u32)m)); }
int32_t wrt_module_imports(int32_t m) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_module_imports(I, (u32)m)); }
int32_t wrt_module_import(int32_t m, int32_t i) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_module_import(I, (u32)m, (u32)i)); }
int32_t wrt_module_exports(int32_t m) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_module_exports(I, (u32)m)); }
int32_t wrt_module_export(int32_t m, int32_t i) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_module_export(I, (u32)m, (u32)i)); }
int32_t wrt_func_new_host(int32_t host_id) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_func_new_host(I, (u32)host_id)); }
int32_t wrt_memory_new(int32_t min, int32_t max) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_memory_new(I, (u32)min, (u32)max)); }
int32_t wrt_table_new(int32_t t, int32_t min, int32_t max) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_table_new(I, (u32)t, (u32)min, (u32)max)); }
int32_t wrt_global_new(int32_t t, int32_t mut, int64_t bits) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_global_new(I, (u32)t, (u32)mut, (u64)bits)); }
int32_t wrt_instantiate(int32_t m, int32_t n) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_instantiate(I, (u32)m, (u32)n)); }
int32_t wrt_start(int32_t inst) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_start(I, (u32)inst)); }
int32_t wrt_instance_export(int32_t inst, int32_t len) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_instance_export(I, (u32)inst, (u32)len)); }
void wrt_instance_drop(int32_t inst) { GUARDED_VOID(Z_wrtZ_wrt_instance_drop(I, (u32)inst)); }
int32_t wrt_func_type(int32_t h) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_func_type(I, (u32)h)); }
int32_t wrt_call(int32_t f, int32_t nargs) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_call(I, (u32)f, (u32)nargs)); }
int32_t wrt_run(int64_t fuel) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_run(I, (u64)fuel)); }
int64_t wrt_fuel_left(void) { GUARDED(-1, (int64_t)Z_wrtZ_wrt_fuel_left(I)); }
int32_t wrt_results(void) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_results(I)); }
int32_t wrt_host_id(void) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_host_id(I)); }
int32_t wrt_host_args(void) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_host_args(I)); }
int32_t wrt_host_return(int32_t n) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_host_return(I, (u32)n)); }
int32_t wrt_host_trap(int32_t len) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_host_trap(I, (u32)len)); }
int32_t wrt_trap_code(void) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_trap_code(I)); }
int32_t wrt_trap_text(void) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_trap_text(I)); }
int32_t wrt_trap_func(void) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_trap_func(I)); }
int32_t wrt_trap_pc(void) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_trap_pc(I)); }
void wrt_abandon(void) { GUARDED_VOID(Z_wrtZ_wrt_abandon(I)); }
int64_t wrt_global_get(int32_t h) { GUARDED(-1, (int64_t)Z_wrtZ_wrt_global_get(I, (u32)h)); }
int32_t wrt_global_set(int32_t h, int64_t bits) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_global_set(I, (u32)h, (u64)bits)); }
int32_t wrt_global_new_v128(int32_t mut, int64_t lo, int64_t hi) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_global_new_v128(I, (u32)mut, (u64)lo, (u64)hi)); }
int64_t wrt_global_get_hi(int32_t h) { GUARDED(-1, (int64_t)Z_wrtZ_wrt_global_get_hi(I, (u32)h)); }
int32_t wrt_global_set_v128(int32_t h, int64_t lo, int64_t hi) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_global_set_v128(I, (u32)h, (u64)lo, (u64)hi)); }
int32_t wrt_global_type(int32_t h) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_global_type(I, (u32)h)); }
int32_t wrt_memory_base(int32_t h) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_memory_base(I, (u32)h)); }
int32_t wrt_memory_bytes(int32_t h) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_memory_bytes(I, (u32)h)); }
int32_t wrt_memory_grow(int32_t h, int32_t pages) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_memory_grow(I, (u32)h, (u32)pages)); }
int32_t wrt_table_size(int32_t h) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_table_size(I, (u32)h)); }
int64_t wrt_table_get(int32_t h, int32_t i) { GUARDED(-1, (int64_t)Z_wrtZ_wrt_table_get(I, (u32)h, (u32)i)); }
int32_t wrt_table_set(int32_t h, int32_t i, int64_t bits) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_table_set(I, (u32)h, (u32)i, (u64)bits)); }
int32_t wrt_fuel_costs(int32_t n) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_fuel_costs(I, (u32)n)); }
int32_t wrt_snapshot(void) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_snapshot(I)); }
int32_t wrt_restore(int32_t len) {
  int32_t n = payload_len(len);
  if (n < 0 && g_host_err != 0) return -1;
  g_wasi_log = -1; /* a new store: make the builtin again when next needed */
  GUARDED(-1, (int32_t)Z_wrtZ_wrt_restore(I, (u32)n));
}
int32_t wrt_wasi_logging(void) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_wasi_logging(I)); }
int32_t wrt_log_read(void) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_log_read(I)); }
int32_t wrt_log_dropped(void) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_log_dropped(I)); }
#if WRT_DEVICE
int32_t wrt_image(int32_t m) { (void)m; return -1; } /* the device build cannot compile */
int32_t wrt_component_validate(int32_t len) { (void)len; return -1; } /* no component validator on devices */
int32_t wrt_component_customs(void) { return -1; }
#else
int32_t wrt_image(int32_t m) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_image(I, (u32)m)); }
int32_t wrt_component_validate(int32_t len) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_component_validate(I, (u32)len)); }
int32_t wrt_component_customs(void) { GUARDED(-1, (int32_t)Z_wrtZ_wrt_component_customs(I)); }
#endif
#undef I

uint8_t *wrt_io_ptr(uint32_t size) {
  int32_t a = wrt_io((int32_t)size);
  if (a <= 0 || (uint64_t)(uint32_t)a + size > g_inst.w2c_memory.size) return NULL;
  return g_inst.w2c_memory.data + (uint32_t)a;
}

/* ------------------------------------------------------------ convenience */

static inline uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }
static inline void wr32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static inline void wr64(uint8_t *p, uint64_t v) { wr32(p, (uint32_t)v); wr32(p + 4, (uint32_t)(v >> 32)); }

static WRT_TLS char g_host_trap[96];

void wrt_set_host_trap(const char *text) { text_set(g_host_trap, sizeof g_host_trap, text); }

int32_t wrt_load(const uint8_t *bytes, uint32_t len) {
  uint8_t *io = wrt_io_ptr(len);
  if (!io) return -1;
  memcpy(io, bytes, len);
  return wrt_module_load((int32_t)len);
}

static bool name_is(const uint8_t *p, uint32_t len, const char *s) {
  return s && strlen(s) == len && memcmp(p, s, len) == 0;
}

int32_t wrt_instantiate_hosts(int32_t m, const wrt_host_def *hosts, uint32_t nhosts) {
  static WRT_TLS uint32_t handles[WRT_MAX_IMPORTS];
  int32_t n = wrt_module_imports(m);
  if (n < 0 || n > WRT_MAX_IMPORTS) return -1;
  for (int32_t i = 0; i < n; i++) {
    int32_t len = wrt_module_import(m, i);
    uint8_t *d = len < 0 ? NULL : wrt_io_ptr((uint32_t)len);
    if (!d) return -1;
    uint32_t at = 1, mlen = rd32(d + at);
    const uint8_t *mname = d + at + 4;
    at += 4 + mlen;
    uint32_t nlen = rd32(d + at);
    const uint8_t *fname = d + at + 4;
    at += 4 + nlen;
    const wrt_host_def *def = NULL;
    for (uint32_t k = 0; k < nhosts && !def; k++) {
      if (hosts[k].module == NULL && k == (uint32_t)i) def = &hosts[k];
      else if (name_is(mname, mlen, hosts[k].module) && name_is(fname, nlen, hosts[k].name)) def = &hosts[k];
    }
    if (!def && d[0] == 0 && name_is(mname, mlen, "wasi:logging/logging") && name_is(fname, nlen, "log")) {
      /* Not in the table: the interpreter's own wasi:logging (docs/wasi-logging.md). */
      if (g_wasi_log < 0) g_wasi_log = wrt_wasi_logging();
      if (g_wasi_log < 0) return -1;
      handles[i] = (uint32_t)g_wasi_log;
      continue;
    }
    if (d[0] != 0 || !def || !def->fn || g_nhosts >= WRT_MAX_HOSTS) {
      /* Let the interpreter report it: instantiate with an invalid handle. */
      handles[i] = 0xFFFFFFFFu;
      continue;
    }
    uint32_t tlen = (uint32_t)len - at;
    uint32_t nres = rd32(d + at + 4);
    memmove(d, d + at, tlen); /* the type descriptor, to the buffer's start */
    g_hosts[g_nhosts].fn = def->fn;
    g_hosts[g_nhosts].ctx = def->ctx;
    g_hosts[g_nhosts].nresults = nres;
    int32_t h = wrt_func_new_host((int32_t)g_nhosts);
    if (h < 0) return -1;
    g_nhosts++;
    handles[i] = (uint32_t)h;
  }
  uint8_t *io = wrt_io_ptr((uint32_t)n * 4);
  if (!io) return -1;
  for (int32_t i = 0; i < n; i++) wr32(io + 4 * i, handles[i]);
  int32_t inst = wrt_instantiate(m, n);
  if (inst < 0) return -1;
  int32_t s = wrt_start(inst);
  if (s < 0) return -1;
  if (s == 1) {
    int st = wrt_run_hosted(WRT_FUEL_UNLIMITED);
    if (st != WRT_DONE) {
      if (st == WRT_TRAP || st == WRT_OUT_OF_FUEL) wrt_abandon();
      return -1;
    }
  }
  return inst;
}

int32_t wrt_export(int32_t inst, const char *name) {
  uint32_t len = (uint32_t)strlen(name);
  uint8_t *io = wrt_io_ptr(len);
  if (!io) return -1;
  memcpy(io, name, len);
  return wrt_instance_export(inst, (int32_t)len);
}

int wrt_func_sig(int32_t func, uint32_t *nparams, uint8_t *params, uint32_t pcap,
                 uint32_t *nresults, uint8_t *results, uint32_t rcap) {
  int32_t len = wrt_func_type(func);
  const uint8_t *d = len < 8 ? NULL : wrt_io_ptr((uint32_t)len);
  if (!d) return -1;
  uint32_t np = rd32(d), nr = rd32(d + 4);
  *nparams = np;
  *nresults = nr;
  for (uint32_t i = 0; i < np && i < pcap; i++) params[i] = d[8 + i];
  for (uint32_t i = 0; i < nr && i < rcap; i++) results[i] = d[8 + np + i];
  return 0;
}

int wrt_invoke(int32_t func, const uint64_t *args, uint32_t nargs) {
  uint8_t *io = wrt_io_ptr(nargs * 8);
  if (!io) return -1;
  for (uint32_t i = 0; i < nargs; i++) wr64(io + 8 * i, args[i]);
  return wrt_call(func, (int32_t)nargs) < 0 ? -1 : 0;
}

/* Answers the pending host call; 0 ok, -1 error. */
static int answer_host_call(void) {
  static WRT_TLS uint64_t args[WRT_MAX_HOST_SLOTS], results[WRT_MAX_HOST_SLOTS];
  int32_t id = wrt_host_id();
  int32_t n = wrt_host_args();
  if (id < 0 || (uint32_t)id >= g_nhosts || n < 0 || n > WRT_MAX_HOST_SLOTS) return -1;
  const uint8_t *io = wrt_io_ptr((uint32_t)n * 8);
  if (!io) return -1;
  for (int32_t i = 0; i < n; i++) args[i] = rd64(io + 8 * i);
  host_slot *h = &g_hosts[id];
  uint32_t nr = h->nresults > WRT_MAX_HOST_SLOTS ? WRT_MAX_HOST_SLOTS : h->nresults;
  memset(results, 0, sizeof results);
  g_host_trap[0] = 0;
  if (h->fn(h->ctx, args, (uint32_t)n, results, nr) != 0) {
    if (!g_host_trap[0]) text_set(g_host_trap, sizeof g_host_trap, "host function failed");
    uint32_t len = (uint32_t)strlen(g_host_trap);
    uint8_t *o = wrt_io_ptr(len);
    if (!o) return -1;
    memcpy(o, g_host_trap, len);
    return wrt_host_trap((int32_t)len) < 0 ? -1 : 0;
  }
  uint8_t *o = wrt_io_ptr(nr * 8);
  if (!o) return -1;
  for (uint32_t i = 0; i < nr; i++) wr64(o + 8 * i, results[i]);
  return wrt_host_return((int32_t)nr) < 0 ? -1 : 0;
}

int wrt_run_hosted(int64_t fuel) {
  int64_t left = fuel;
  for (;;) {
    int32_t st = wrt_run(left);
    if (st != WRT_HOST_CALL) return st;
    if (fuel != WRT_FUEL_UNLIMITED) {
      left = wrt_fuel_left();
      if (left < 0) return WRT_ERROR;
    }
    if (answer_host_call() != 0) return WRT_ERROR;
  }
}

int32_t wrt_get_results(uint64_t *out, uint32_t cap) {
  int32_t n = wrt_results();
  if (n < 0) return -1;
  const uint8_t *io = wrt_io_ptr((uint32_t)n * 8);
  if (!io) return -1;
  for (int32_t i = 0; i < n && (uint32_t)i < cap; i++) out[i] = rd64(io + 8 * i);
  return n;
}

static const char *copy_io_text(int32_t len, char *buf, uint32_t cap) {
  buf[0] = 0;
  if (len < 0) {
    text_set(buf, cap, wrt_dead() ? wrt_fault() : "no message");
    return buf;
  }
  const uint8_t *io = wrt_io_ptr((uint32_t)len);
  if (!io) return buf;
  uint32_t n = (uint32_t)len < cap ? (uint32_t)len : cap - 1;
  memcpy(buf, io, n);
  buf[n] = 0;
  return buf;
}

const char *wrt_error_message(char *buf, uint32_t cap) {
  if (wrt_dead()) { text_set(buf, cap, wrt_fault()); return buf; }
  return copy_io_text(wrt_error_text(), buf, cap);
}

const char *wrt_trap_message(char *buf, uint32_t cap) {
  if (wrt_dead()) { text_set(buf, cap, wrt_fault()); return buf; }
  return copy_io_text(wrt_trap_text(), buf, cap);
}

uint8_t *wrt_guest_memory(int32_t inst, const char *name, uint32_t *size) {
  int32_t h = wrt_export(inst, name);
  if (h < 0 || (uint32_t)h >> 28 != 2) return NULL;
  int32_t base = wrt_memory_base(h);
  int32_t bytes = wrt_memory_bytes(h);
  if (base < 0 || bytes < 0 || (uint64_t)(uint32_t)base + (uint32_t)bytes > g_inst.w2c_memory.size) return NULL;
  *size = (uint32_t)bytes;
  return g_inst.w2c_memory.data + (uint32_t)base;
}

/* ------------------------------------------------------------ formatting */

static uint32_t fmt_u64(char *buf, uint32_t cap, uint32_t at, uint64_t v) {
  char tmp[24];
  int n = 0;
  do { tmp[n++] = (char)('0' + (int)(v % 10)); v /= 10; } while (v);
  while (n && at + 1 < cap) buf[at++] = tmp[--n];
  buf[at] = 0;
  return at;
}

static uint32_t fmt_i64(char *buf, uint32_t cap, uint32_t at, int64_t v) {
  if (v < 0) {
    at = text_append(buf, cap, at, "-");
    return fmt_u64(buf, cap, at, (uint64_t)0 - (uint64_t)v);
  }
  return fmt_u64(buf, cap, at, (uint64_t)v);
}

static uint32_t fmt_hex(char *buf, uint32_t cap, uint32_t at, uint64_t v, int digits) {
  at = text_append(buf, cap, at, "0x");
  for (int i = digits - 1; i >= 0 && at + 1 < cap; i--) buf[at++] = "0123456789abcdef"[(v >> (4 * i)) & 15];
  buf[at] = 0;
  return at;
}

#if WRT_FORMAT_FLOATS
/* JavaScript's Number::toString for the shortest digits that round-trip
 * (as the Node CLI prints: values.ts formatF32/formatF64). */
static uint32_t fmt_float(char *buf, uint32_t cap, uint32_t at, double x, bool single) {
  if (x != x) return text_append(buf, cap, at, "nan");
  if (x == 1.0 / 0.0) return text_append(buf, cap, at, "inf");
  if (x == -1.0 / 0.0) return text_append(buf, cap, at, "-inf");
  if (x == 0) return text_append(buf, cap, at, signbit(x) ? "-0" : "0");
  char e[40];
  int p;
  for (p = 1; p <= 17; p++) {
    snprintf(e, sizeof e, "%.*e", p - 1, x);
    double back = strtod(e, NULL);
    if (single ? (float)back == (float)x : back == x) break;
  }
  /* e = [-]d[.ddd]e[+-]xx: digits and exponent */
  char digits[24];
  int nd = 0, neg = 0;
  const char *s = e;
  if (*s == '-') { neg = 1; s++; }
  for (; *s && *s != 'e'; s++) if (*s >= '0' && *s <= '9') digits[nd++] = *s;
  int exp10 = atoi(s + 1);
  while (nd > 1 && digits[nd - 1] == '0') nd--;
  digits[nd] = 0;
  int k = exp10 + 1; /* value = 0.digits * 10^k */
  char out[64];
  int o = 0;
  if (neg) out[o++] = '-';
  if (nd <= k && k <= 21) {
    for (int i = 0; i < nd; i++) out[o++] = digits[i];
    for (int i = nd; i < k; i++) out[o++] = '0';
  } else if (0 < k && k <= 21) {
    for (int i = 0; i < nd; i++) { if (i == k) out[o++] = '.'; out[o++] = digits[i]; }
  } else if (-6 < k && k <= 0) {
    out[o++] = '0'; out[o++] = '.';
    for (int i = 0; i < -k; i++) out[o++] = '0';
    for (int i = 0; i < nd; i++) out[o++] = digits[i];
  } else {
    out[o++] = digits[0];
    if (nd > 1) { out[o++] = '.'; for (int i = 1; i < nd; i++) out[o++] = digits[i]; }
    o += snprintf(out + o, sizeof out - (size_t)o, "e%c%d", k - 1 < 0 ? '-' : '+', k - 1 < 0 ? 1 - k : k - 1);
  }
  out[o] = 0;
  return text_append(buf, cap, at, out);
}
#endif

const char *wrt_format_value(char *buf, uint32_t cap, uint8_t type, uint64_t bits) {
  uint32_t at = 0;
  buf[0] = 0;
  switch (type) {
    case WRT_I32: at = text_append(buf, cap, at, "i32:"); fmt_i64(buf, cap, at, (int32_t)(uint32_t)bits); break;
    case WRT_I64: at = text_append(buf, cap, at, "i64:"); fmt_i64(buf, cap, at, (int64_t)bits); break;
#if WRT_FORMAT_FLOATS
    case WRT_F32: {
      float f; uint32_t b = (uint32_t)bits; memcpy(&f, &b, 4);
      at = text_append(buf, cap, at, "f32:"); fmt_float(buf, cap, at, f, true); break;
    }
    case WRT_F64: {
      double d; memcpy(&d, &bits, 8);
      at = text_append(buf, cap, at, "f64:"); fmt_float(buf, cap, at, d, false); break;
    }
#else
    /* Without a float printer (bare metal): the bit pattern. */
    case WRT_F32: at = text_append(buf, cap, at, "f32:bits:"); fmt_hex(buf, cap, at, bits, 8); break;
    case WRT_F64: at = text_append(buf, cap, at, "f64:bits:"); fmt_hex(buf, cap, at, bits, 16); break;
#endif
    case WRT_FUNCREF:
    case WRT_EXTERNREF:
      at = text_append(buf, cap, at, type == WRT_FUNCREF ? "funcref:" : "externref:");
      if (bits == 0) text_append(buf, cap, at, "null"); else fmt_u64(buf, cap, at, bits);
      break;
    default: at = text_append(buf, cap, at, "v128:"); fmt_hex(buf, cap, at, bits, 16); break;
  }
  return buf;
}
