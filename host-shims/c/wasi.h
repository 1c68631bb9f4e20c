/* WASI preview 1 for the C host and boards: a small documented subset
 * (docs/firmware.md, "WASI on boards").
 *
 *   args_get / args_sizes_get     the argv given here
 *   environ_get / environ_sizes_get   empty
 *   fd_write                      fds 1 and 2 -> the write callback (UART, stdout)
 *   fd_read                       fd 0: end of input
 *   fd_fdstat_get                 fds 0..2: a character device
 *   fd_prestat_get                EBADF (no preopened directories)
 *   fd_close, fd_seek, fd_filestat_get   fds 0..2: success / ESPIPE
 *   clock_time_get / clock_res_get   the clock callback (ENOSYS without one)
 *   random_get                    the random callback (ENOSYS without one)
 *   proc_exit                     ends the run: the call traps with "exit",
 *                                 w->exited = 1, w->exit_code = the status
 *   sched_yield                   success
 *   everything else               ENOSYS (52)
 *
 * Use: fill a wrt_wasi, wrt_wasi_hosts() appends its host definitions to a
 * table for wrt_instantiate_hosts(), then set w->inst to the instance. */
#ifndef WRT_WASI_H
#define WRT_WASI_H

#include <stdint.h>
#include "wrt.h"

typedef struct wrt_wasi {
  int argc;
  const char *const *argv;
  /* fd 1 / fd 2 output (required) */
  void (*write)(void *ctx, int fd, const uint8_t *bytes, uint32_t len);
  void *ctx;
  /* nanoseconds of clock `id` (0 realtime, 1 monotonic, ...); NULL: ENOSYS */
  uint64_t (*clock_ns)(void *ctx, uint32_t id);
  /* fills buf with random bytes; NULL: ENOSYS */
  void (*random)(void *ctx, uint8_t *buf, uint32_t len);
  /* the instance whose exported "memory" the functions use (set after instantiating) */
  int32_t inst;
  int exited;
  uint32_t exit_code;
} wrt_wasi;

/* Number of wasi_snapshot_preview1 functions wrt_wasi_hosts defines. */
#define WRT_WASI_HOSTS 46

/* Writes the WRT_WASI_HOSTS definitions (module "wasi_snapshot_preview1",
 * ctx = w) to out[0..]; returns how many (0 if cap is too small). */
uint32_t wrt_wasi_hosts(wrt_wasi *w, wrt_host_def *out, uint32_t cap);

#endif
