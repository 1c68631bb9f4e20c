/*
 * wrt_log_posix.c: the hosted back ends of wasi:logging for the C embedding
 * (docs/wasi-logging.md, "C host"): stderr lines and syslog.
 *
 * Thread safety: records from interpreters on several OS threads never tear
 * or interleave. A stderr line is formatted first and written with one
 * write(2) under a process-wide lock (a pipe or terminal may take a large
 * write in pieces; the lock keeps other threads' lines out of the gaps).
 * syslog(3) is thread-safe and sends one datagram per call; the datagram
 * sender sends one datagram per record (sendto(2) is atomic for datagrams).
 */
#define _GNU_SOURCE
#include "wrt.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t g_write_lock = PTHREAD_MUTEX_INITIALIZER;

/* Formats into `stack` when it fits, else into a heap buffer (freed by the caller if != stack). */
static char *format(char *stack, uint32_t cap, uint32_t *len, int body_only, int level, const char *c, uint32_t cl,
                    const char *m, uint32_t ml) {
  uint32_t n = body_only ? wrt_log_format_body(stack, cap, c, cl, m, ml) : wrt_log_format_line(stack, cap, level, c, cl, m, ml);
  if (n <= cap) { *len = n; return stack; }
  char *heap = malloc((size_t)n + 1);
  if (!heap) { /* keep the record one line: cut it */
    *len = cap;
    if (!body_only) stack[cap - 1] = '\n';
    return stack;
  }
  *len = body_only ? wrt_log_format_body(heap, n, c, cl, m, ml) : wrt_log_format_line(heap, n, level, c, cl, m, ml);
  return heap;
}

void wrt_log_stderr(void *ctx, int level, const char *context, uint32_t context_len,
                    const char *message, uint32_t message_len) {
  int fd = ctx ? (int)(intptr_t)ctx : 2;
  char stack[1024];
  uint32_t len;
  char *line = format(stack, sizeof stack, &len, 0, level, context, context_len, message, message_len);
  pthread_mutex_lock(&g_write_lock);
  const char *p = line;
  while (len > 0) {
    ssize_t w = write(fd, p, len);
    if (w < 0) { if (errno == EINTR) continue; break; }
    p += w;
    len -= (uint32_t)w;
  }
  pthread_mutex_unlock(&g_write_lock);
  if (line != stack) free(line);
}

/* ------------------------------------------------------------ syslog */

int wrt_log_syslog_severity(int level) {
  static const int sev[6] = {LOG_DEBUG, LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR, LOG_CRIT};
  return level >= 0 && level < 6 ? sev[level] : LOG_CRIT;
}

static int g_facility = LOG_USER;
static char g_tag[64] = "wrt";
static int g_dgram = -1;              /* our own socket, or -1: syslog(3) */
static struct sockaddr_un g_addr;

int wrt_log_syslog_open(const char *tag, int facility, const char *socket_path) {
  if ((facility & ~LOG_FACMASK) != 0 || facility == LOG_KERN) return -1;
  g_facility = facility;
  snprintf(g_tag, sizeof g_tag, "%s", tag ? tag : "wrt");
  if (!socket_path) {
    openlog(g_tag, LOG_PID | LOG_NDELAY, facility);
    return 0;
  }
  if (strlen(socket_path) >= sizeof g_addr.sun_path) return -1;
  memset(&g_addr, 0, sizeof g_addr);
  g_addr.sun_family = AF_UNIX;
  strcpy(g_addr.sun_path, socket_path);
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (connect(fd, (struct sockaddr *)&g_addr, sizeof g_addr) < 0) { close(fd); return -1; }
  g_dgram = fd;
  return 0;
}

void wrt_log_syslog(void *ctx, int level, const char *context, uint32_t context_len,
                    const char *message, uint32_t message_len) {
  (void)ctx;
  char stack[1024];
  uint32_t len;
  char *body = format(stack, sizeof stack - 1, &len, 1, level, context, context_len, message, message_len);
  int pri = g_facility | wrt_log_syslog_severity(level);
  if (g_dgram < 0) {
    body[len] = 0; /* format leaves room for the NUL */
    syslog(pri, "%s", body);
  } else {
    /* The record syslog(3) sends to /dev/log: <PRI>Mmm dd hh:mm:ss TAG[PID]: MSG */
    char head[128];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%h %e %T", &tm);
    int hl = snprintf(head, sizeof head, "<%d>%s %s[%d]: ", pri, stamp, g_tag, (int)getpid());
    struct iovec iov[2] = {{head, (size_t)hl}, {body, len}};
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = iov;
    mh.msg_iovlen = 2;
    while (sendmsg(g_dgram, &mh, MSG_NOSIGNAL) < 0 && errno == EINTR) {}
  }
  if (body != stack) free(body);
}
