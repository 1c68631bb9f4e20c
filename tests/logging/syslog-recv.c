/*
 * syslog-recv: a unix datagram socket owned by a test, standing in for a
 * syslog daemon (tests/node/logging.test.mjs).
 *
 *   syslog-recv SOCKET_PATH
 *
 * Binds SOCKET_PATH (removing a stale one), prints "ready", then prints each
 * datagram it receives as one line of lowercase hex, until its stdin closes;
 * removes the socket on the way out. Datagrams are never merged or split,
 * so the test sees exactly the records a sender sent.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static char buf[1 << 20];

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: syslog-recv SOCKET_PATH\n"); return 64; }
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (strlen(argv[1]) >= sizeof addr.sun_path) { fprintf(stderr, "path too long\n"); return 64; }
  strcpy(addr.sun_path, argv[1]);
  int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  if (fd < 0) { perror("socket"); return 1; }
  int big = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  unlink(argv[1]);
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) { perror("bind"); return 1; }
  printf("ready\n");
  fflush(stdout);
  struct pollfd p[2] = {{fd, POLLIN, 0}, {0, POLLIN, 0}};
  for (;;) {
    if (poll(p, 2, -1) < 0) { if (errno == EINTR) continue; perror("poll"); break; }
    if (p[0].revents & POLLIN) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n < 0) { if (errno == EINTR) continue; perror("recv"); break; }
      for (ssize_t i = 0; i < n; i++) printf("%02x", (unsigned char)buf[i]);
      printf("\n");
      fflush(stdout);
      continue; /* drain the socket before looking at stdin */
    }
    if (p[1].revents & (POLLIN | POLLHUP)) {
      char c;
      if (read(0, &c, 1) <= 0) break;
    }
  }
  unlink(argv[1]);
  return 0;
}
