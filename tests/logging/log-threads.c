/*
 * log-threads: several interpreters on OS threads, all logging at once
 * through the C host's wasi:logging back ends (tests/node/logging.test.mjs).
 *
 *   log-threads GUEST.wasm THREADS LINES PAD stderr        lines to fd 1
 *   log-threads GUEST.wasm THREADS LINES PAD syslog SOCKET RFC 3164 datagrams
 *
 * Each thread opens its own interpreter (host-shims/c/wrt.c built with
 * WRT_THREADS=1), loads the guest, lets wrt_instantiate_hosts bind
 * wasi:logging by itself and calls spam(thread, LINES, PAD): the guest logs
 * LINES records, context "t<thread>", message "<PAD x's> line <i>", level
 * i % 6. All threads start together (a barrier). Exit 0 when every call
 * finished; errors on stderr.
 */
#include "wrt.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

static uint8_t *g_guest;
static uint32_t g_guest_len;
static uint32_t g_lines, g_pad;
static int g_syslog;
static pthread_barrier_t g_start;

static void *worker(void *arg) {
  uint32_t id = (uint32_t)(uintptr_t)arg;
  char msg[256];
  if (wrt_open() != 0) { fprintf(stderr, "thread %u: open: %s\n", id, wrt_fault()); return (void *)1; }
  wrt_set_record_sink(g_syslog ? wrt_log_syslog : wrt_log_stderr, g_syslog ? NULL : (void *)(intptr_t)1);
  int32_t m = wrt_load(g_guest, g_guest_len);
  int32_t inst = m < 0 ? -1 : wrt_instantiate_hosts(m, NULL, 0);
  int32_t f = inst < 0 ? -1 : wrt_export(inst, "spam");
  if (f < 0) { fprintf(stderr, "thread %u: %s\n", id, wrt_error_message(msg, sizeof msg)); return (void *)1; }
  uint64_t args[3] = {id, g_lines, g_pad};
  pthread_barrier_wait(&g_start);
  if (wrt_invoke(f, args, 3) != 0) { fprintf(stderr, "thread %u: invoke: %s\n", id, wrt_error_message(msg, sizeof msg)); return (void *)1; }
  int st = wrt_run_hosted(WRT_FUEL_UNLIMITED);
  if (st != WRT_DONE) {
    fprintf(stderr, "thread %u: status %d: %s\n", id, st,
            st == WRT_TRAP ? wrt_trap_message(msg, sizeof msg) : wrt_error_message(msg, sizeof msg));
    return (void *)1;
  }
  wrt_close();
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 6) { fprintf(stderr, "usage: log-threads GUEST.wasm THREADS LINES PAD stderr|syslog [SOCKET]\n"); return 64; }
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 1; }
  fseek(f, 0, SEEK_END);
  g_guest_len = (uint32_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  g_guest = malloc(g_guest_len);
  if (fread(g_guest, 1, g_guest_len, f) != g_guest_len) { perror("read"); return 1; }
  fclose(f);
  int threads = atoi(argv[2]);
  g_lines = (uint32_t)strtoul(argv[3], NULL, 10);
  g_pad = (uint32_t)strtoul(argv[4], NULL, 10);
  g_syslog = !strcmp(argv[5], "syslog");
  if (g_syslog && wrt_log_syslog_open("wrt-threads", LOG_LOCAL4, argc > 6 ? argv[6] : NULL) != 0) {
    perror("syslog socket");
    return 1;
  }
  pthread_t t[64];
  if (threads < 1 || threads > 64) return 64;
  pthread_barrier_init(&g_start, NULL, (unsigned)threads);
  for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i);
  int bad = 0;
  for (int i = 0; i < threads; i++) {
    void *r;
    pthread_join(t[i], &r);
    if (r) bad = 1;
  }
  return bad;
}
