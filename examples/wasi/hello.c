/* A WASI command in C: `npx wrt run --dir examples/wasi::. examples/wasi/hello.wasm Ada`
 * prints a greeting, a count and the first line of a file read from the
 * preopened directory, and exits with status 0.
 * Build (Debian: apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32):
 *   clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--strip-all -o examples/wasi/hello.wasm examples/wasi/hello.c
 * or `node examples/build.mjs`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
  const char *who = argc > 1 ? argv[1] : "world";
  printf("Hello, %s, from WASI on WRT!\n", who);
  int n = 5;
  int *squares = malloc(n * sizeof *squares);
  for (int i = 0; i < n; i++) squares[i] = i * i;
  printf("squares:");
  for (int i = 0; i < n; i++) printf(" %d", squares[i]);
  printf("\n");
  free(squares);
  printf("the clock says %s\n", time(NULL) > 1577836800 ? "after 2020" : "before 2020");
  FILE *f = fopen("message.txt", "r");
  if (f) {
    char line[128];
    if (fgets(line, sizeof line, f)) printf("message.txt: %s", line);
    fclose(f);
  } else {
    printf("message.txt: not found (run with --dir examples/wasi::.)\n");
  }
  return 0;
}
