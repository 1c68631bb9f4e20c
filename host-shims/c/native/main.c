/*
 * wrt-native: the C translation of the interpreter as a host program
 * (x86-64 Linux, gcc -O2, stock wasm-rt-impl.c). Two commands:
 *
 *   wrt-native run <module.wasm> [--invoke NAME [args...]] [--fuel N] [--no-fuel-metering]
 *       as `wrt run` (--no-fuel-metering: compile without Fuel ops, to measure their cost): results as TYPE:VALUE lines on stdout; exit 0 ok,
 *       1 trap / invalid module / error, 2 out of fuel, 3 interpreter
 *       fault, 64 usage.
 *
 *   wrt-native serve <request-fifo> <response-fifo>
 *       the raw embedding ABI over two pipes, for the Node side
 *       (host-shims/node/src/engines/native.ts). Protocol in docs/firmware.md
 *       ("Native engine protocol") and below.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wrt.h"
#include "wasi.h"

bool wrt_abort_args(uint32_t out[4]); /* wrt.c, internal */

/* ------------------------------------------------------------------ run */

static int usage(const char *msg) {
  fprintf(stderr, "wrt-native: %s\nusage:\n  wrt-native run <module.wasm> [--invoke NAME [args...]] [--fuel N] [--no-fuel-metering]\n"
                  "  wrt-native serve <request-fifo> <response-fifo>\n", msg);
  return 64;
}

/* Reads a whole module file. A directory or a device (/dev/zero, /dev/full:
 * they never end) is refused with errno EISDIR / ENODEV, a FIFO is read up
 * to READ_LIMIT bytes (EFBIG beyond), so no path hangs or crashes. */
#define READ_LIMIT (256u << 20)
static uint8_t *read_file(const char *path, uint32_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  struct stat st;
  if (fstat(fileno(f), &st) != 0) { fclose(f); return NULL; }
  if (S_ISDIR(st.st_mode)) { fclose(f); errno = EISDIR; return NULL; }
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISSOCK(st.st_mode)) { fclose(f); errno = ENODEV; return NULL; }
  size_t cap = 1 << 16, n = 0;
  uint8_t *buf = malloc(cap);
  while (buf) {
    if (n == cap) {
      if (cap >= READ_LIMIT) { free(buf); buf = NULL; errno = EFBIG; break; }
      uint8_t *bigger = realloc(buf, cap * 2);
      if (!bigger) { free(buf); buf = NULL; errno = ENOMEM; break; }
      buf = bigger;
      cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) {
      if (ferror(f)) { free(buf); buf = NULL; errno = EIO; }
      break;
    }
  }
  fclose(f);
  *len = (uint32_t)n;
  return buf;
}

/* --fuel N: 0 to 2^63-1 (as the Node CLI); anything else is refused. */
static int parse_fuel(const char *text, int64_t *fuel) {
  if (!*text || strspn(text, "0123456789") != strlen(text)) return -1;
  errno = 0;
  unsigned long long v = strtoull(text, NULL, 10);
  if (errno == ERANGE || v > (unsigned long long)INT64_MAX) return -1;
  *fuel = (int64_t)v;
  return 0;
}

/* Command-line text -> bits (as values.ts parseTyped). */
static int parse_value(uint8_t type, const char *text, uint64_t *bits) {
  char clean[128];
  size_t n = 0;
  for (const char *s = text; *s && n + 1 < sizeof clean; s++) if (*s != '_') clean[n++] = *s;
  clean[n] = 0;
  char *end = NULL;
  errno = 0;
  if (type == WRT_I32 || type == WRT_I64) {
    const char *body = clean;
    int neg = 0;
    if (*body == '-' || *body == '+') { neg = *body == '-'; body++; }
    if (!*body) return -1;
    uint64_t v = strtoull(body, &end, (body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) ? 16 : 10);
    if (*end || errno) return -1;
    *bits = neg ? (uint64_t)0 - v : v;
    if (type == WRT_I32) *bits &= 0xFFFFFFFFu;
    return 0;
  }
  if (type == WRT_F32 || type == WRT_F64) {
    double d;
    if (!strcasecmp(clean, "nan") || !strcasecmp(clean, "+nan")) d = __builtin_nan("");
    else if (!strcasecmp(clean, "-nan")) d = -__builtin_nan("");
    else if (!strcasecmp(clean, "inf") || !strcasecmp(clean, "+inf") || !strcasecmp(clean, "infinity")) d = __builtin_inf();
    else if (!strcasecmp(clean, "-inf") || !strcasecmp(clean, "-infinity")) d = -__builtin_inf();
    else {
      d = strtod(clean, &end);
      if (end == clean || *end) return -1;
    }
    if (type == WRT_F32) {
      float f = (float)d;
      uint32_t b;
      memcpy(&b, &f, 4);
      *bits = b;
    } else {
      memcpy(bits, &d, 8);
    }
    return 0;
  }
  return -1;
}

/* spectest print functions: `value : type` lines, as spectest.ts. */
static int spectest_print(void *ctx, const uint64_t *args, uint32_t nargs, uint64_t *res, uint32_t nres) {
  (void)res; (void)nres;
  const char *types = ctx;
  for (uint32_t i = 0; i < nargs && types[i]; i++) {
    char buf[64];
    uint8_t t = types[i] == 'i' ? WRT_I32 : types[i] == 'I' ? WRT_I64 : types[i] == 'f' ? WRT_F32 : WRT_F64;
    wrt_format_value(buf, sizeof buf, t, args[i]);
    char *colon = strchr(buf, ':');
    *colon = 0;
    printf("%s : %s\n", colon + 1, buf);
  }
  return 0;
}

static const wrt_host_def SPECTEST[] = {
  {"spectest", "print", spectest_print, ""},
  {"spectest", "print_i32", spectest_print, "i"},
  {"spectest", "print_i64", spectest_print, "I"},
  {"spectest", "print_f32", spectest_print, "f"},
  {"spectest", "print_f64", spectest_print, "F"},
  {"spectest", "print_i32_f32", spectest_print, "if"},
  {"spectest", "print_f64_f64", spectest_print, "FF"},
};

/* WASI for `wrt-native run` (host-shims/c/wasi.h): stdout/stderr, clocks, random. */
static void wasi_write(void *ctx, int fd, const uint8_t *bytes, uint32_t len) {
  (void)ctx;
  fwrite(bytes, 1, len, fd == 2 ? stderr : stdout);
}
static uint64_t wasi_clock(void *ctx, uint32_t id) {
  (void)ctx;
  struct timespec ts;
  clock_gettime(id == 0 ? CLOCK_REALTIME : id == 1 ? CLOCK_MONOTONIC : CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
static void wasi_random(void *ctx, uint8_t *buf, uint32_t len) {
  (void)ctx;
  FILE *f = fopen("/dev/urandom", "rb");
  if (!f || fread(buf, 1, len, f) != len) for (uint32_t i = 0; i < len; i++) buf[i] = (uint8_t)rand();
  if (f) fclose(f);
}

static int cmd_run(int argc, char **argv) {
  const char *file = NULL, *invoke = NULL;
  const char *call_args[64];
  int ncall = 0;
  int64_t fuel = -1;
  bool metering = true;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--no-fuel-metering")) {
      metering = false;
    } else if (!strcmp(a, "--invoke")) {
      if (++i >= argc) return usage("--invoke needs a name");
      invoke = argv[i];
      while (i + 1 < argc && !(argv[i + 1][0] == '-' && argv[i + 1][1] == '-' && argv[i + 1][2] >= 'a' && argv[i + 1][2] <= 'z')) {
        if (ncall == 64) return usage("too many arguments");
        call_args[ncall++] = argv[++i];
      }
    } else if (!strcmp(a, "--fuel")) {
      if (++i >= argc || parse_fuel(argv[i], &fuel) != 0) return usage("--fuel takes an integer from 0 to 9223372036854775807");
    } else if (a[0] == '-' && a[1] == '-') {
      char m[128];
      snprintf(m, sizeof m, "unknown option %s", a);
      return usage(m);
    } else if (!file) {
      file = a;
    } else {
      if (ncall == 64) return usage("too many arguments");
      call_args[ncall++] = a;
    }
  }
  if (!file) return usage("missing module file");
  uint32_t len;
  uint8_t *bytes = read_file(file, &len);
  if (!bytes) { fprintf(stderr, "wrt: cannot read %s: %s\n", file, strerror(errno)); return 1; }
  char msg[512];
  if (wrt_open() != 0) { fprintf(stderr, "wrt: internal error: %s\n", wrt_fault()); return 3; }
  wrt_set_record_sink(wrt_log_stderr, NULL); /* "[LEVEL] context: message" lines, as wrt run */
  if (!metering) wrt_config(WRT_CFG_FUEL_METERING, 0); /* runs never stop for fuel */
  int32_t m = wrt_load(bytes, len);
  free(bytes);
  if (m < 0) {
    if (wrt_dead()) { fprintf(stderr, "wrt: internal error: %s\n", wrt_fault()); return 3; }
    int32_t code = wrt_error_code(), off = wrt_error_offset();
    wrt_error_message(msg, sizeof msg);
    fprintf(stderr, "%s: %s (byte offset %d)\n", code > 0 && code <= 39 ? "malformed" : "invalid", msg, off);
    return 1;
  }
  /* spectest and WASI; a WASI command's argv: the module file, then the arguments (without --invoke) */
  static wrt_host_def hosts[sizeof SPECTEST / sizeof SPECTEST[0] + WRT_WASI_HOSTS];
  static const char *wasi_argv[65];
  int wasi_argc = 0;
  wasi_argv[wasi_argc++] = file;
  if (!invoke) for (int i = 0; i < ncall; i++) wasi_argv[wasi_argc++] = call_args[i];
  static wrt_wasi wasi;
  wasi = (wrt_wasi){wasi_argc, wasi_argv, wasi_write, NULL, wasi_clock, wasi_random, -1, 0, 0};
  memcpy(hosts, SPECTEST, sizeof SPECTEST);
  uint32_t nhosts = sizeof SPECTEST / sizeof SPECTEST[0];
  nhosts += wrt_wasi_hosts(&wasi, hosts + nhosts, WRT_WASI_HOSTS);
  int32_t inst = wrt_instantiate_hosts(m, hosts, nhosts);
  wasi.inst = inst;
  if (inst < 0) {
    if (wrt_dead()) { fprintf(stderr, "wrt: internal error: %s\n", wrt_fault()); return 3; }
    if (wrt_trap_code() > 0) fprintf(stderr, "trap: %s\n", wrt_trap_message(msg, sizeof msg));
    else fprintf(stderr, "wrt: %s\n", wrt_error_message(msg, sizeof msg));
    return 1;
  }
  if (!invoke) {
    if (wrt_export(inst, "_start") < 0) return 0; /* nothing to run */
    invoke = "_start";
    ncall = 0;
  }
  int32_t f = wrt_export(inst, invoke);
  if (f < 0 || (uint32_t)f >> 28 != 0) {
    snprintf(msg, sizeof msg, "no exported function \"%s\"", invoke);
    return usage(msg);
  }
  uint32_t np, nr;
  uint8_t pt[64], rt[64];
  if (wrt_func_sig(f, &np, pt, 64, &nr, rt, 64) != 0 || np > 64 || nr > 64) { fprintf(stderr, "wrt: bad function type\n"); return 1; }
  if ((uint32_t)ncall != np) {
    snprintf(msg, sizeof msg, "%s takes %u arguments, got %d", invoke, np, ncall);
    return usage(msg);
  }
  uint64_t args[64], results[64];
  for (uint32_t i = 0; i < np; i++) {
    if (parse_value(pt[i], call_args[i], &args[i]) != 0) {
      fprintf(stderr, "wrt: not a value of type 0x%02x: \"%s\"\n", pt[i], call_args[i]);
      return 1;
    }
  }
  if (wrt_invoke(f, args, np) != 0) { fprintf(stderr, "wrt: %s\n", wrt_error_message(msg, sizeof msg)); return wrt_dead() ? 3 : 1; }
  int st = wrt_run_hosted(fuel < 0 ? WRT_FUEL_UNLIMITED : fuel);
  switch (st) {
    case WRT_DONE: {
      int32_t n = wrt_get_results(results, 64);
      for (int32_t i = 0; i < n && i < 64; i++) puts(wrt_format_value(msg, sizeof msg, rt[i], results[i]));
      return 0;
    }
    case WRT_OUT_OF_FUEL:
      wrt_abandon();
      puts("out of fuel");
      return 2;
    case WRT_TRAP:
      fflush(stdout);
      if (wasi.exited) return (int)wasi.exit_code; /* proc_exit */
      fprintf(stderr, "trap: %s\n", wrt_trap_message(msg, sizeof msg));
      return 1;
    default:
      if (wrt_dead()) { fprintf(stderr, "wrt: internal error: %s\n", wrt_fault()); return 3; }
      fprintf(stderr, "wrt: %s\n", wrt_error_message(msg, sizeof msg));
      return 1;
  }
}

/* ---------------------------------------------------------------- serve
 *
 * Request (40-byte header, little-endian, then flush_len bytes):
 *   u32 op          index of the export in OPS below (RAW_EXPORT_NAMES order
 *                   of host-shims/node/src/binding/abi.ts); 0xFFFFFFFF = quit
 *   u32 flush_addr  bytes to write into the interpreter's memory first
 *   u32 flush_len   (the I/O buffer region the Node side may have written)
 *   u32 reserved
 *   u64 a0, a1, a2  arguments (i32 in the low half)
 *   u8  flush[flush_len]
 * Response (24-byte header, then data_len bytes); one or more per request:
 *   u32 kind        0 result (last), 1 log line (more follow),
 *                   2 abort (last), 3 crash (last)
 *   u32 mem_pages   page count of the interpreter's memory now
 *   u32 data_addr   where `data` lives in the interpreter's memory
 *   u32 data_len
 *   u64 value       0: the return value (i32 sign-extended); 1: log level;
 *                   2: line | col << 32; 3: 0
 *   u8  data[data_len]
 *     kind 0: for wrt_io, the I/O buffer's current contents (max(a0, 64)
 *             bytes); for other ops (once wrt_io was called), the I/O
 *             buffer's first 64 bytes at data_addr: until the next request
 *             wrt_io(size <= 64) would return data_addr and change nothing;
 *     kind 1: the log text; kind 3: the fault text;
 *     kind 2: u32 msg, u32 file, u32 n1, n1 bytes from msg-4,
 *             u32 n2, n2 bytes from file-4 (AssemblyScript strings).
 */

enum {
  OP_abi_version, OP_io, OP_error_code, OP_error_offset, OP_error_text,
  OP_config, OP_collect, OP_module_load, OP_module_drop, OP_module_imports,
  OP_module_import, OP_module_exports, OP_module_export, OP_func_new_host,
  OP_memory_new, OP_table_new, OP_global_new, OP_instantiate, OP_start,
  OP_instance_export, OP_instance_drop, OP_func_type, OP_call, OP_run,
  OP_fuel_left, OP_results, OP_host_id, OP_host_args, OP_host_return,
  OP_host_trap, OP_trap_code, OP_trap_text, OP_trap_func, OP_trap_pc,
  OP_abandon, OP_global_get, OP_global_set, OP_global_type, OP_memory_base,
  OP_memory_bytes, OP_memory_grow, OP_table_size, OP_table_get, OP_table_set,
  OP_fuel_costs, OP_snapshot, OP_restore, OP_wasi_logging, OP_log_read,
  OP_log_dropped, OP_image, OP_component_validate, OP_component_customs,
  OP_global_new_v128, OP_global_get_hi, OP_global_set_v128, OP_COUNT
};

/* Host-side ops beyond the raw exports (engines/native.ts): read and write
 * interpreter memory, so that host functions (WASI) reach guest memories. */
#define OP_PEEK 0xFFFFFFFEu
#define OP_POKE 0xFFFFFFFDu

static int g_in = -1, g_out = -1;

static void die(const char *what) {
  fprintf(stderr, "wrt-native serve: %s: %s\n", what, strerror(errno));
  exit(3);
}

static int read_all(void *buf, size_t n) {
  uint8_t *p = buf;
  while (n) {
    ssize_t r = read(g_in, p, n);
    if (r == 0) return -1; /* the Node side went away */
    if (r < 0) { if (errno == EINTR) continue; die("read"); }
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

static uint8_t *g_obuf;
static size_t g_ocap;

static void reserve(size_t n) {
  if (n <= g_ocap) return;
  g_ocap = n < 65536 ? 65536 : n * 2;
  g_obuf = realloc(g_obuf, g_ocap);
  if (!g_obuf) die("out of memory");
}

static void write_all(const void *buf, size_t n) {
  const uint8_t *p = buf;
  while (n) {
    ssize_t r = write(g_out, p, n);
    if (r < 0) { if (errno == EINTR) continue; die("write"); }
    p += r;
    n -= (size_t)r;
  }
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void respond(uint32_t kind, uint64_t value, uint32_t addr, const void *data, uint32_t len) {
  reserve(24 + (size_t)len);
  put32(g_obuf, kind);
  put32(g_obuf + 4, wrt_dead() ? 0 : wrt_mem_pages());
  put32(g_obuf + 8, addr);
  put32(g_obuf + 12, len);
  put64(g_obuf + 16, value);
  if (len) memcpy(g_obuf + 24, data, len);
  write_all(g_obuf, 24 + (size_t)len);
}

/* An AssemblyScript string's bytes from ptr-4 (length prefix included). */
static uint32_t as_string_region(uint32_t ptr, const uint8_t **start) {
  uint32_t size = wrt_mem_size();
  if (ptr < 4 || ptr > size) return 0;
  uint32_t len;
  memcpy(&len, wrt_mem_base() + ptr - 4, 4);
  if (len > size - ptr) return 0;
  *start = wrt_mem_base() + ptr - 4;
  return len + 4;
}

static void respond_fault(void) {
  uint32_t a[4];
  if (wrt_abort_args(a)) {
    const uint8_t *s1 = NULL, *s2 = NULL;
    uint32_t n1 = as_string_region(a[0], &s1), n2 = as_string_region(a[1], &s2);
    size_t len = 16 + (size_t)n1 + n2;
    uint8_t *d = malloc(len);
    if (!d) die("out of memory");
    put32(d, n1 ? a[0] : 0);
    put32(d + 4, n2 ? a[1] : 0);
    put32(d + 8, n1);
    if (n1) memcpy(d + 12, s1, n1);
    put32(d + 12 + n1, n2);
    if (n2) memcpy(d + 16 + n1, s2, n2);
    reserve(24 + len);
    put32(g_obuf, 2);
    put32(g_obuf + 4, wrt_mem_pages());
    put32(g_obuf + 8, 0);
    put32(g_obuf + 12, (uint32_t)len);
    put64(g_obuf + 16, (uint64_t)a[2] | (uint64_t)a[3] << 32);
    memcpy(g_obuf + 24, d, len);
    free(d);
    write_all(g_obuf, 24 + len);
  } else {
    const char *t = wrt_fault();
    const char *p = "interpreter crashed: ";
    if (!strncmp(t, p, strlen(p))) t += strlen(p);
    respond(3, 0, 0, t, (uint32_t)strlen(t));
  }
  wrt_reset(); /* a fresh interpreter; the Node side treats this one as dead */
}

static int64_t dispatch(uint32_t op, uint64_t a0, uint64_t a1, uint64_t a2, bool *is_void) {
  int32_t x = (int32_t)a0, y = (int32_t)a1, z = (int32_t)a2;
  *is_void = false;
  switch (op) {
    case OP_abi_version: return wrt_abi_version();
    case OP_io: return wrt_io(x);
    case OP_error_code: return wrt_error_code();
    case OP_error_offset: return wrt_error_offset();
    case OP_error_text: return wrt_error_text();
    case OP_config: return wrt_config(x, (int64_t)a1);
    case OP_collect: *is_void = true; wrt_collect(); return 0;
    case OP_module_load: return wrt_module_load(x);
    case OP_module_drop: *is_void = true; wrt_module_drop(x); return 0;
    case OP_module_imports: return wrt_module_imports(x);
    case OP_module_import: return wrt_module_import(x, y);
    case OP_module_exports: return wrt_module_exports(x);
    case OP_module_export: return wrt_module_export(x, y);
    case OP_func_new_host: return wrt_func_new_host(x);
    case OP_memory_new: return wrt_memory_new(x, y);
    case OP_table_new: return wrt_table_new(x, y, z);
    case OP_global_new: return wrt_global_new(x, y, (int64_t)a2);
    case OP_instantiate: return wrt_instantiate(x, y);
    case OP_start: return wrt_start(x);
    case OP_instance_export: return wrt_instance_export(x, y);
    case OP_instance_drop: *is_void = true; wrt_instance_drop(x); return 0;
    case OP_func_type: return wrt_func_type(x);
    case OP_call: return wrt_call(x, y);
    case OP_run: return wrt_run((int64_t)a0);
    case OP_fuel_left: return wrt_fuel_left();
    case OP_results: return wrt_results();
    case OP_host_id: return wrt_host_id();
    case OP_host_args: return wrt_host_args();
    case OP_host_return: return wrt_host_return(x);
    case OP_host_trap: return wrt_host_trap(x);
    case OP_trap_code: return wrt_trap_code();
    case OP_trap_text: return wrt_trap_text();
    case OP_trap_func: return wrt_trap_func();
    case OP_trap_pc: return wrt_trap_pc();
    case OP_abandon: *is_void = true; wrt_abandon(); return 0;
    case OP_global_get: return wrt_global_get(x);
    case OP_global_set: return wrt_global_set(x, (int64_t)a1);
    case OP_global_type: return wrt_global_type(x);
    case OP_memory_base: return wrt_memory_base(x);
    case OP_memory_bytes: return wrt_memory_bytes(x);
    case OP_memory_grow: return wrt_memory_grow(x, y);
    case OP_table_size: return wrt_table_size(x);
    case OP_table_get: return wrt_table_get(x, y);
    case OP_table_set: return wrt_table_set(x, y, (int64_t)a2);
    case OP_fuel_costs: return wrt_fuel_costs(x);
    case OP_snapshot: return wrt_snapshot();
    case OP_restore: return wrt_restore(x);
    case OP_wasi_logging: return wrt_wasi_logging();
    case OP_log_read: return wrt_log_read();
    case OP_log_dropped: return wrt_log_dropped();
    case OP_image: return wrt_image(x);
    case OP_component_validate: return wrt_component_validate(x);
    case OP_component_customs: return wrt_component_customs();
    case OP_global_new_v128: return wrt_global_new_v128(x, (int64_t)a1, (int64_t)a2);
    case OP_global_get_hi: return wrt_global_get_hi(x);
    case OP_global_set_v128: return wrt_global_set_v128(x, (int64_t)a1, (int64_t)a2);
  }
  return -1;
}

static void serve_log(void *ctx, int level, const char *text, uint32_t len, uint32_t addr) {
  (void)ctx;
  respond(1, (uint64_t)level, addr, text, len);
}

/* Bytes of the I/O buffer sent with every result (the interpreter's
 * wrt_io never gives less than 64). */
#define IO_PEEK 64u
static bool io_seen;

static int cmd_serve(int argc, char **argv) {
  if (argc != 2) return usage("serve needs <request-fifo> <response-fifo>");
  /* Order matters (the Node side opens its ends in the same order). */
  g_in = open(argv[0], O_RDONLY);
  if (g_in < 0) die(argv[0]);
  g_out = open(argv[1], O_WRONLY);
  if (g_out < 0) die(argv[1]);
  if (wrt_open() != 0) {
    respond(3, 0, 0, wrt_fault(), (uint32_t)strlen(wrt_fault()));
  } else {
    respond(0, 1, 0, NULL, 0); /* hello: ready */
  }
  wrt_set_log_sink(serve_log, NULL);
  uint8_t hdr[40];
  uint8_t *flush = NULL;
  size_t flush_cap = 0;
  while (read_all(hdr, sizeof hdr) == 0) {
    uint32_t op, faddr, flen;
    uint64_t a0, a1, a2;
    memcpy(&op, hdr, 4);
    memcpy(&faddr, hdr + 4, 4);
    memcpy(&flen, hdr + 8, 4);
    memcpy(&a0, hdr + 16, 8);
    memcpy(&a1, hdr + 24, 8);
    memcpy(&a2, hdr + 32, 8);
    if (op == 0xFFFFFFFFu) break;
    if (flen > flush_cap) {
      flush_cap = flen;
      flush = realloc(flush, flush_cap);
      if (!flush) die("out of memory");
    }
    if (flen && read_all(flush, flen) != 0) break;
    if (wrt_dead()) wrt_reset();
    if (flen && (uint64_t)faddr + flen <= wrt_mem_size()) memcpy(wrt_mem_base() + faddr, flush, flen);
    if (op == OP_PEEK) {
      /* host side: bytes [a0, a0+a1) of the interpreter's memory (guest memory reads) */
      if (a0 + a1 <= wrt_mem_size() && a1 <= 0xFFFFFFFFu) respond(0, 0, (uint32_t)a0, wrt_mem_base() + a0, (uint32_t)a1);
      else respond(0, (uint64_t)-1, 0, NULL, 0);
      continue;
    }
    if (op == OP_POKE) { /* host side: the flush above was the write */
      respond(0, 0, 0, NULL, 0);
      continue;
    }
    if (op >= OP_COUNT) {
      respond(3, 0, 0, "unknown operation", 17);
      continue;
    }
    bool is_void;
    int64_t r = dispatch(op, a0, a1, a2, &is_void);
    if (wrt_dead()) {
      respond_fault();
      continue;
    }
    if (op == OP_io && r > 0) {
      /* At least IO_PEEK bytes: the Node side may then answer small wrt_io
       * calls itself until the next request. */
      uint32_t size = (uint32_t)a0 < IO_PEEK ? IO_PEEK : (uint32_t)a0;
      if ((uint64_t)r + size > wrt_mem_size()) size = 0;
      io_seen = true;
      respond(0, (uint64_t)r, (uint32_t)r, wrt_mem_base() + r, size);
    } else if (io_seen) {
      /* The I/O buffer's address and first bytes (wrt_io(0) allocates nothing
       * once the buffer exists: its capacity is at least 64 bytes). */
      int32_t io = wrt_io(0);
      if (wrt_dead()) { respond_fault(); continue; }
      if (io > 0 && (uint64_t)io + IO_PEEK <= wrt_mem_size())
        respond(0, (uint64_t)r, (uint32_t)io, wrt_mem_base() + io, IO_PEEK);
      else
        respond(0, (uint64_t)r, 0, NULL, 0);
    } else {
      respond(0, (uint64_t)r, 0, NULL, 0);
    }
  }
  wrt_close();
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return usage("missing command");
  if (!strcmp(argv[1], "run")) return cmd_run(argc - 2, argv + 2);
  if (!strcmp(argv[1], "serve")) return cmd_serve(argc - 2, argv + 2);
  char m[128];
  snprintf(m, sizeof m, "unknown command %s", argv[1]);
  return usage(m);
}
