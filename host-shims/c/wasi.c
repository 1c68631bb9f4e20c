/* WASI preview 1 subset for the C host and boards: see wasi.h. */
#include "wasi.h"

#include <string.h>

enum { E_SUCCESS = 0, E_BADF = 8, E_FAULT = 21, E_INVAL = 28, E_NOSYS = 52, E_SPIPE = 70 };

/* The guest memory of w->inst, and checks that [p, p+n) lies inside it. */
static uint8_t *mem(wrt_wasi *w, uint32_t p, uint32_t n) {
  uint32_t size = 0;
  uint8_t *m = wrt_guest_memory(w->inst, "memory", &size);
  if (!m || p > size || n > size - p) return NULL;
  return m + p;
}

static void put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }
static void put64(uint8_t *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i)); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

#define ARG(i) ((uint32_t)args[i])
#define RET(v) do { res[0] = (uint64_t)(uint32_t)(v); return 0; } while (0)
#define HOST(name) static int name(void *ctx, const uint64_t *args, uint32_t nargs, uint64_t *res, uint32_t nres)
#define UNUSED (void)nargs; (void)nres

HOST(args_sizes_get) {
  wrt_wasi *w = ctx; UNUSED;
  uint32_t bytes = 0;
  for (int i = 0; i < w->argc; i++) bytes += (uint32_t)strlen(w->argv[i]) + 1;
  uint8_t *c = mem(w, ARG(0), 4), *s = mem(w, ARG(1), 4);
  if (!c || !s) RET(E_FAULT);
  put32(c, (uint32_t)w->argc);
  put32(s, bytes);
  RET(E_SUCCESS);
}

HOST(args_get) {
  wrt_wasi *w = ctx; UNUSED;
  uint32_t ptrs = ARG(0), buf = ARG(1);
  for (int i = 0; i < w->argc; i++) {
    uint32_t n = (uint32_t)strlen(w->argv[i]) + 1;
    uint8_t *p = mem(w, ptrs + 4u * (uint32_t)i, 4), *b = mem(w, buf, n);
    if (!p || !b) RET(E_FAULT);
    put32(p, buf);
    memcpy(b, w->argv[i], n);
    buf += n;
  }
  RET(E_SUCCESS);
}

HOST(environ_sizes_get) {
  wrt_wasi *w = ctx; UNUSED;
  uint8_t *c = mem(w, ARG(0), 4), *s = mem(w, ARG(1), 4);
  if (!c || !s) RET(E_FAULT);
  put32(c, 0);
  put32(s, 0);
  RET(E_SUCCESS);
}

HOST(environ_get) { (void)ctx; (void)args; UNUSED; RET(E_SUCCESS); }

HOST(fd_write) {
  wrt_wasi *w = ctx; UNUSED;
  uint32_t fd = ARG(0), iovs = ARG(1), n = ARG(2);
  if (fd != 1 && fd != 2) RET(E_BADF);
  uint32_t total = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint8_t *v = mem(w, iovs + 8 * i, 8);
    if (!v) RET(E_FAULT);
    uint32_t p = get32(v), len = get32(v + 4);
    uint8_t *b = mem(w, p, len);
    if (!b) RET(E_FAULT);
    w->write(w->ctx, (int)fd, b, len);
    total += len;
  }
  uint8_t *o = mem(w, ARG(3), 4);
  if (!o) RET(E_FAULT);
  put32(o, total);
  RET(E_SUCCESS);
}

HOST(fd_read) {
  wrt_wasi *w = ctx; UNUSED;
  if (ARG(0) != 0) RET(E_BADF);
  uint8_t *o = mem(w, ARG(3), 4);
  if (!o) RET(E_FAULT);
  put32(o, 0); /* end of input */
  RET(E_SUCCESS);
}

HOST(fd_fdstat_get) {
  wrt_wasi *w = ctx; UNUSED;
  if (ARG(0) > 2) RET(E_BADF);
  uint8_t *o = mem(w, ARG(1), 24);
  if (!o) RET(E_FAULT);
  memset(o, 0, 24);
  o[0] = 2; /* character device */
  /* rights: all 30 but FD_SEEK (bit 2) and FD_TELL (bit 5): not seekable, so
   * wasi-libc treats stdio as a terminal (line-buffered stdout) */
  uint64_t rights = (~(uint64_t)0 >> 34) & ~(((uint64_t)1 << 2) | ((uint64_t)1 << 5));
  put64(o + 8, rights);
  put64(o + 16, rights);
  RET(E_SUCCESS);
}

HOST(fd_filestat_get) {
  wrt_wasi *w = ctx; UNUSED;
  if (ARG(0) > 2) RET(E_BADF);
  uint8_t *o = mem(w, ARG(1), 64);
  if (!o) RET(E_FAULT);
  memset(o, 0, 64);
  o[16] = 2;
  RET(E_SUCCESS);
}

HOST(fd_close) { (void)ctx; UNUSED; RET(ARG(0) <= 2 ? E_SUCCESS : E_BADF); }
HOST(fd_seek) { (void)ctx; UNUSED; RET(ARG(0) <= 2 ? E_SPIPE : E_BADF); }
HOST(fd_prestat_get) { (void)ctx; (void)args; UNUSED; RET(E_BADF); }

HOST(clock_time_get) {
  wrt_wasi *w = ctx; UNUSED;
  if (!w->clock_ns) RET(E_NOSYS);
  if (ARG(0) > 3) RET(E_INVAL);
  uint8_t *o = mem(w, ARG(2), 8);
  if (!o) RET(E_FAULT);
  put64(o, w->clock_ns(w->ctx, ARG(0)));
  RET(E_SUCCESS);
}

HOST(clock_res_get) {
  wrt_wasi *w = ctx; UNUSED;
  if (!w->clock_ns) RET(E_NOSYS);
  if (ARG(0) > 3) RET(E_INVAL);
  uint8_t *o = mem(w, ARG(1), 8);
  if (!o) RET(E_FAULT);
  put64(o, 1000);
  RET(E_SUCCESS);
}

HOST(random_get) {
  wrt_wasi *w = ctx; UNUSED;
  if (!w->random) RET(E_NOSYS);
  uint8_t *b = mem(w, ARG(0), ARG(1));
  if (!b) RET(E_FAULT);
  w->random(w->ctx, b, ARG(1));
  RET(E_SUCCESS);
}

HOST(proc_exit) {
  wrt_wasi *w = ctx; UNUSED;
  (void)res;
  w->exited = 1;
  w->exit_code = ARG(0);
  wrt_set_host_trap("exit");
  return 1; /* ends the run: the caller checks w->exited */
}

HOST(sched_yield) { (void)ctx; (void)args; UNUSED; RET(E_SUCCESS); }
HOST(nosys) { (void)ctx; (void)args; UNUSED; RET(E_NOSYS); }

static const struct { const char *name; wrt_host_fn fn; } TABLE[WRT_WASI_HOSTS] = {
  {"args_get", args_get}, {"args_sizes_get", args_sizes_get}, {"environ_get", environ_get},
  {"environ_sizes_get", environ_sizes_get}, {"clock_res_get", clock_res_get}, {"clock_time_get", clock_time_get},
  {"fd_advise", nosys}, {"fd_allocate", nosys}, {"fd_close", fd_close}, {"fd_datasync", nosys},
  {"fd_fdstat_get", fd_fdstat_get}, {"fd_fdstat_set_flags", nosys}, {"fd_fdstat_set_rights", nosys},
  {"fd_filestat_get", fd_filestat_get}, {"fd_filestat_set_size", nosys}, {"fd_filestat_set_times", nosys},
  {"fd_pread", nosys}, {"fd_prestat_get", fd_prestat_get}, {"fd_prestat_dir_name", nosys}, {"fd_pwrite", nosys},
  {"fd_read", fd_read}, {"fd_readdir", nosys}, {"fd_renumber", nosys}, {"fd_seek", fd_seek}, {"fd_sync", nosys},
  {"fd_tell", nosys}, {"fd_write", fd_write}, {"path_create_directory", nosys}, {"path_filestat_get", nosys},
  {"path_filestat_set_times", nosys}, {"path_link", nosys}, {"path_open", nosys}, {"path_readlink", nosys},
  {"path_remove_directory", nosys}, {"path_rename", nosys}, {"path_symlink", nosys}, {"path_unlink_file", nosys},
  {"poll_oneoff", nosys}, {"proc_exit", proc_exit}, {"proc_raise", nosys}, {"sched_yield", sched_yield},
  {"random_get", random_get}, {"sock_accept", nosys}, {"sock_recv", nosys}, {"sock_send", nosys},
  {"sock_shutdown", nosys},
};

uint32_t wrt_wasi_hosts(wrt_wasi *w, wrt_host_def *out, uint32_t cap) {
  if (cap < WRT_WASI_HOSTS) return 0;
  for (uint32_t i = 0; i < WRT_WASI_HOSTS; i++) {
    out[i].module = "wasi_snapshot_preview1";
    out[i].name = TABLE[i].name;
    out[i].fn = TABLE[i].fn;
    out[i].ctx = w;
  }
  return WRT_WASI_HOSTS;
}
