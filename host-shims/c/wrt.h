/*
 * wrt.h: the C embedding API of WRT (docs/firmware.md).
 *
 * A thin wrapper over the exports of build/wrt.wasm translated to C by
 * wasm2c (build/c/wrt.c): the raw layer below is the embedding ABI of
 * docs/embedding-api.md one to one (same names, same integers; addresses
 * are offsets in the interpreter's linear memory), every call guarded so
 * that an interpreter fault (`wrt.abort`, or a trap inside the interpreter's
 * own code) returns -1 and leaves the engine dead with a message instead of
 * crashing the firmware. The convenience layer loads a guest from a byte
 * array (flash), binds imports to host functions by index, invokes an
 * export by name and runs it with fuel, answering host calls.
 *
 * One interpreter per program (the generated code and the wasm-rt keep
 * global state): wrt_open() / wrt_close(), no handle.
 *
 * Nothing here allocates: memory comes from the wasm-rt (a static arena on
 * bare metal: wrt_rt_bare.c, WRT_ARENA_PAGES).
 */
#ifndef WRT_H
#define WRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- statuses of wrt_run (embedding-api.md) ---- */
enum {
  WRT_DONE = 0,
  WRT_OUT_OF_FUEL = 1,
  WRT_HOST_CALL = 2,
  WRT_TRAP = 3,
  WRT_ERROR = -1
};

/* Value types (binary encodings). */
enum {
  WRT_I32 = 0x7F, WRT_I64 = 0x7E, WRT_F32 = 0x7D, WRT_F64 = 0x7C,
  WRT_V128 = 0x7B, WRT_FUNCREF = 0x70, WRT_EXTERNREF = 0x6F
};

/* Config keys (wrt_config). */
enum {
  WRT_CFG_VALUE_STACK_BYTES = 1, WRT_CFG_CALL_FRAMES = 2,
  WRT_CFG_MAX_PAGES_PER_MEMORY = 3, WRT_CFG_MAX_PAGES_TOTAL = 4,
  WRT_CFG_MAX_TABLE_ELEMS = 5, WRT_CFG_MAX_INSTANCES = 6,
  WRT_CFG_MAX_MODULE_BYTES = 7,
  WRT_CFG_FUEL_METERING = 8, /* 1: compile Fuel ops into modules loaded from now on; 0: none */
  /* The interpreter's own memory ceiling in pages; wrt_open sets it from the
   * runtime (the arena on boards), so guest growth fails cleanly before it. */
  WRT_CFG_HOST_MEMORY_PAGES = 13,
  /* 1: the full build also loads precompiled images (docs/image-format.md,
   * "Trust"); default 0. The device build loads images only. */
  WRT_CFG_ALLOW_IMAGES = 14,
  /* Bytes one module load may take (estimated before allocating, and the
   * memory's growth); 0: the default (docs/embedding-api.md, "Limits"). */
  WRT_CFG_LOAD_BUDGET_BYTES = 15,
  /* 1: wrt_module_load and wrt_restore accept only bytes signed (an Ed25519
   * trailer, docs/signing.md) by a key given to wrt_trust_key; others fail
   * with WRT_ERR_SIGNATURE before the interpreter sees them. 0 (default): a
   * trailer is taken off unchecked. Hosts built with WRT_SIGNATURES=1 only
   * (build/wrt-native*; elsewhere the interpreter refuses the key). */
  WRT_CFG_REQUIRE_SIGNATURE = 16,
  /* 1 (default): accept SIMD (0xFD ops, v128) in modules loaded from now on;
   * 0: refuse them ("feature disabled", code 30). Full build only. */
  WRT_CFG_SIMD = 17,
  /* 1 (default): accept relaxed SIMD too (one fixed result per op, docs/determinism.md). */
  WRT_CFG_RELAXED_SIMD = 18
};

/* The error code of a refused signature (wrt_error_code; Err 135 SignatureRefused). */
#define WRT_ERR_SIGNATURE 135

/* Trusts an Ed25519 public key (raw 32 bytes) for WRT_CFG_REQUIRE_SIGNATURE:
 * 0 ok, -1 when WRT_MAX_TRUSTED_KEYS (4) are set. Process-wide. WRT_SIGNATURES=1 builds. */
int32_t wrt_trust_key(const uint8_t public_key[32]);

/* A v128 value: 16 bytes, lane 0 first (little-endian lanes, as in linear
 * memory). In argument and result arrays it takes two 8-byte slots, bytes
 * 0..7 then 8..15, each read little-endian (docs/embedding-api.md). */
typedef struct { uint8_t bytes[16]; } wrt_v128;

/* Writes v into slots[0], slots[1]. */
static inline void wrt_v128_to_slots(const wrt_v128 *v, uint64_t *slots) {
  for (int h = 0; h < 2; h++) {
    uint64_t x = 0;
    for (int i = 7; i >= 0; i--) x = (x << 8) | v->bytes[8 * h + i];
    slots[h] = x;
  }
}

/* Reads the v128 in slots[0], slots[1]. */
static inline wrt_v128 wrt_v128_from_slots(const uint64_t *slots) {
  wrt_v128 v;
  for (int h = 0; h < 2; h++)
    for (int i = 0; i < 8; i++) v.bytes[8 * h + i] = (uint8_t)(slots[h] >> (8 * i));
  return v;
}

/* Unlimited fuel for wrt_run. */
#define WRT_FUEL_UNLIMITED INT64_MAX

/* ---- life cycle ---- */

/* Instantiates the interpreter (fresh state). 0 ok, -1 fault (see wrt_fault). */
int wrt_open(void);
/* Frees the interpreter's memory. */
void wrt_close(void);
/* wrt_close + wrt_open: the way back after a fault. */
int wrt_reset(void);
/* True after an interpreter fault: every call fails until wrt_reset. */
bool wrt_dead(void);
/* The fault's message ("" if none), e.g. "interpreter aborted: ... (file:line:col)". */
const char *wrt_fault(void);

/* The interpreter's linear memory (moves when it grows: re-read). */
uint8_t *wrt_mem_base(void);
uint32_t wrt_mem_size(void);
/* Page count of the interpreter's linear memory. */
uint32_t wrt_mem_pages(void);
/* The most pages the interpreter's memory may reach: the runtime's maximum,
 * at most WRT_RT_MAX_PAGES (the wasm2c runtime's 32-bit byte sizes wrap at
 * 65,536 pages); wrt_config(WRT_CFG_HOST_MEMORY_PAGES, n) refuses n above it. */
uint32_t wrt_mem_max_pages(void);
#define WRT_RT_MAX_PAGES 65535u

/* ---- raw layer: docs/embedding-api.md, one to one ----
 * An interpreter fault makes any of these return -1 (void ones: nothing)
 * and wrt_dead() true. */
int32_t wrt_abi_version(void);
int32_t wrt_io(int32_t size);
int32_t wrt_error_code(void);
int32_t wrt_error_offset(void);
int32_t wrt_error_text(void);
int32_t wrt_config(int32_t key, int64_t value);
void wrt_collect(void);
int32_t wrt_module_load(int32_t len);
void wrt_module_drop(int32_t m);
int32_t wrt_module_imports(int32_t m);
int32_t wrt_module_import(int32_t m, int32_t i);
int32_t wrt_module_exports(int32_t m);
int32_t wrt_module_export(int32_t m, int32_t i);
int32_t wrt_func_new_host(int32_t host_id);
int32_t wrt_memory_new(int32_t min, int32_t max);
int32_t wrt_table_new(int32_t elem_type, int32_t min, int32_t max);
int32_t wrt_global_new(int32_t type, int32_t mut, int64_t bits);
int32_t wrt_instantiate(int32_t m, int32_t n);
int32_t wrt_start(int32_t inst);
int32_t wrt_instance_export(int32_t inst, int32_t len);
void wrt_instance_drop(int32_t inst);
int32_t wrt_func_type(int32_t handle);
int32_t wrt_call(int32_t func, int32_t nargs);
int32_t wrt_run(int64_t fuel);
int64_t wrt_fuel_left(void);
int32_t wrt_results(void);
int32_t wrt_host_id(void);
int32_t wrt_host_args(void);
int32_t wrt_host_return(int32_t nresults);
int32_t wrt_host_trap(int32_t len);
int32_t wrt_trap_code(void);
int32_t wrt_trap_text(void);
int32_t wrt_trap_func(void);
int32_t wrt_trap_pc(void);
void wrt_abandon(void);
int64_t wrt_global_get(int32_t handle);
int32_t wrt_global_set(int32_t handle, int64_t bits);
int32_t wrt_global_type(int32_t handle);
/* v128 globals (full build): lo = bytes 0..7, hi = bytes 8..15, each little-endian
 * (as wrt_v128_to_slots). wrt_global_get gives lo; wrt_global_set refuses a v128. */
int32_t wrt_global_new_v128(int32_t mut, int64_t lo, int64_t hi);
int64_t wrt_global_get_hi(int32_t handle);
int32_t wrt_global_set_v128(int32_t handle, int64_t lo, int64_t hi);

/* A v128 global's value as 16 bytes (0 on success, as wrt_global_type's errors otherwise). */
static inline int32_t wrt_global_get_v128(int32_t handle, wrt_v128 *out) {
  int32_t t = wrt_global_type(handle);
  if (t < 0) return t;
  if ((t & 0xff) != 0x7b) return -1;
  uint64_t slots[2] = { (uint64_t)wrt_global_get(handle), (uint64_t)wrt_global_get_hi(handle) };
  *out = wrt_v128_from_slots(slots);
  return 0;
}

/* Sets a mutable v128 global from 16 bytes. */
static inline int32_t wrt_global_put_v128(int32_t handle, const wrt_v128 *v) {
  uint64_t slots[2];
  wrt_v128_to_slots(v, slots);
  return wrt_global_set_v128(handle, (int64_t)slots[0], (int64_t)slots[1]);
}

int32_t wrt_memory_base(int32_t handle);
int32_t wrt_memory_bytes(int32_t handle);
int32_t wrt_memory_grow(int32_t handle, int32_t pages);
int32_t wrt_table_size(int32_t handle);
int64_t wrt_table_get(int32_t handle, int32_t i);
int32_t wrt_table_set(int32_t handle, int32_t i, int64_t bits);
int32_t wrt_fuel_costs(int32_t n);
int32_t wrt_snapshot(void);
int32_t wrt_restore(int32_t len);
int32_t wrt_wasi_logging(void);
int32_t wrt_log_read(void);
int32_t wrt_log_dropped(void);
/* Full build only (not WRT_DEVICE): writes the precompiled image of module m
 * into the I/O buffer, returns its length (docs/image-format.md). */
int32_t wrt_image(int32_t m);
/* Full build only (the device build returns -1): validates the component of
 * `len` bytes in the I/O buffer (0, or -1 with the error set), and writes the
 * custom sections of the last valid one into the I/O buffer, returning the
 * length (docs/component-model.md). */
int32_t wrt_component_validate(int32_t len);
int32_t wrt_component_customs(void);

/* The I/O buffer as a pointer (at least `size` bytes), or NULL. Valid until
 * the next call into the interpreter. */
uint8_t *wrt_io_ptr(uint32_t size);

/* ---- convenience layer ---- */

/* A host function: args in, results out (value slots, embedding-api.md).
 * Return 0, or a non-zero value to trap the guest with wrt_host_trap_text. */
typedef int (*wrt_host_fn)(void *ctx, const uint64_t *args, uint32_t nargs,
                           uint64_t *results, uint32_t nresults);

typedef struct {
  const char *module; /* import module name; NULL = bind by index only */
  const char *name;   /* import field name */
  wrt_host_fn fn;
  void *ctx;
} wrt_host_def;

/* Message of a host trap (set by a host function before returning non-zero). */
void wrt_set_host_trap(const char *text);

/* Copies `len` bytes (e.g. a const array in flash) into the I/O buffer and
 * loads the module. Module handle, or -1 (wrt_error_message). */
int32_t wrt_load(const uint8_t *bytes, uint32_t len);

/* Instantiates module `m`. Each function import i is bound to a host
 * function: the entry of `hosts` with the same module/name, or hosts[i]
 * when names are NULL. Other import kinds fail ("unknown import").
 * Runs the start function (unbounded fuel). Instance handle or -1. */
int32_t wrt_instantiate_hosts(int32_t m, const wrt_host_def *hosts, uint32_t nhosts);

/* Extern handle of the export `name`, or -1. */
int32_t wrt_export(int32_t inst, const char *name);

/* A function's type: counts, and types into params[]/results[] (up to the
 * given capacities). 0 ok, -1 error. */
int wrt_func_sig(int32_t func, uint32_t *nparams, uint8_t *params, uint32_t pcap,
                 uint32_t *nresults, uint8_t *results, uint32_t rcap);

/* Prepares a call of `func` with `nargs` value slots. 0 or -1. */
int wrt_invoke(int32_t func, const uint64_t *args, uint32_t nargs);

/* Runs the current call, answering host calls through the table given to
 * wrt_instantiate_hosts, with at most `fuel` units in total (host calls are
 * free). Returns WRT_DONE, WRT_OUT_OF_FUEL (call again to resume),
 * WRT_TRAP or WRT_ERROR. */
int wrt_run_hosted(int64_t fuel);

/* After WRT_DONE: copies up to `cap` result slots, returns the count (-1 error). */
int32_t wrt_get_results(uint64_t *out, uint32_t cap);

/* Texts copied into buf (NUL-terminated, truncated to cap); return buf. */
const char *wrt_error_message(char *buf, uint32_t cap);
const char *wrt_trap_message(char *buf, uint32_t cap);

/* The bytes of an instance's exported memory (e.g. a host function reading a
 * guest string), or NULL; *size gets its length. Valid until memory grows. */
uint8_t *wrt_guest_memory(int32_t inst, const char *name, uint32_t *size);

/* Where the interpreter's `wrt.log` lines go (docs/host-abi.md): level 0
 * trace .. 5 critical, UTF-8 text without newline (not NUL-terminated;
 * valid during the call). Default: dropped. */
typedef void (*wrt_log_fn)(void *ctx, int level, const char *text, uint32_t len, uint32_t addr);
void wrt_set_log_sink(wrt_log_fn fn, void *ctx);
/* (The raw sink above gets `level` = the whole meta word of docs/host-abi.md:
 * level | context length << 8, and `text` = context then message.) */

/* ---- wasi:logging records (docs/wasi-logging.md) ----
 * A record sink gets each `wrt.log` record decoded: level 0 trace .. 5
 * critical, the context (may be empty) and the message, UTF-8, not
 * NUL-terminated, valid during the call. Called after the raw sink. With
 * WRT_THREADS, sinks (like all state) are per thread. */
typedef void (*wrt_record_fn)(void *ctx, int level, const char *context, uint32_t context_len,
                              const char *message, uint32_t message_len);
void wrt_set_record_sink(wrt_record_fn fn, void *ctx);

/* "TRACE" .. "CRITICAL" ("LEVEL?" otherwise). */
const char *wrt_log_level_name(int level);

/* The line format "[LEVEL] context: message\n" ("[LEVEL] message\n" with no
 * context), controls escaped (\n \r \xHH \u00HH): one record, one line.
 * emit: character by character through `put` (a UART); format: into `buf`
 * (at most `cap` bytes, not NUL-terminated). Both return the full length. */
typedef void (*wrt_putc_fn)(void *ctx, char c);
uint32_t wrt_log_emit_line(wrt_putc_fn put, void *pctx, int level, const char *context, uint32_t context_len,
                           const char *message, uint32_t message_len);
uint32_t wrt_log_format_line(char *buf, uint32_t cap, int level, const char *context, uint32_t context_len,
                             const char *message, uint32_t message_len);
/* The same without "[LEVEL] " and the newline ("context: message"): a syslog MSG. */
uint32_t wrt_log_emit_body(wrt_putc_fn put, void *pctx, const char *context, uint32_t context_len,
                           const char *message, uint32_t message_len);
uint32_t wrt_log_format_body(char *buf, uint32_t cap, const char *context, uint32_t context_len,
                             const char *message, uint32_t message_len);

/* Hosted back ends (host-shims/c/wrt_log_posix.c; thread-safe):
 * wrt_log_stderr: record sink writing each line with one write(2) under a
 *   process-wide lock; ctx NULL = fd 2, else (void *)(intptr_t)fd.
 * wrt_log_syslog_open: tag (NULL: "wrt"), facility as in syslog.h (LOG_USER,
 *   LOG_LOCAL0, ...), socket NULL: syslog(3) (openlog with LOG_PID), else
 *   RFC 3164 datagrams "<PRI>Mmm dd hh:mm:ss TAG[PID]: MSG" sent to that
 *   unix socket path (as syslog(3) sends to /dev/log). 0 ok, -1 error.
 * wrt_log_syslog: record sink; PRI = facility | severity (critical LOG_CRIT,
 *   error LOG_ERR, warn LOG_WARNING, info LOG_INFO, debug/trace LOG_DEBUG),
 *   MSG = "context: message". */
void wrt_log_stderr(void *ctx, int level, const char *context, uint32_t context_len,
                    const char *message, uint32_t message_len);
int wrt_log_syslog_open(const char *tag, int facility, const char *socket_path);
void wrt_log_syslog(void *ctx, int level, const char *context, uint32_t context_len,
                    const char *message, uint32_t message_len);
int wrt_log_syslog_severity(int level);

/* Formats a value as `wrt run` does ("i32:-1", "f64:0.5", ...). */
const char *wrt_format_value(char *buf, uint32_t cap, uint8_t type, uint64_t bits);

#ifdef __cplusplus
}
#endif
#endif /* WRT_H */
