/* The C host's signature check (docs/signing.md): files signed by the Node
 * API (node:crypto's Ed25519) verify with Monocypher here, the same trailer
 * format. Linked with the native build's objects by
 * tests/node/signature-c.test.mjs. Arguments: the public key (64 hex
 * digits), then the files: signed, unsigned, tampered, signed by another
 * key, a signed snapshot. Prints "ok" or what failed. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "wrt.h"

#define CHECK(c) do { if (!(c)) { printf("FAILED: %s (line %d)\n", #c, __LINE__); return 1; } } while (0)

static uint8_t *read_file(const char *path, int32_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *b = malloc((size_t)n);
  if (fread(b, 1, (size_t)n, f) != (size_t)n) { fclose(f); free(b); return NULL; }
  fclose(f);
  *len = (int32_t)n;
  return b;
}

/* Puts a file into the I/O buffer; returns its length. */
static int32_t stage(const char *path) {
  int32_t n = 0;
  uint8_t *b = read_file(path, &n);
  if (!b) return -1;
  int32_t p = wrt_io(n);
  memcpy(wrt_mem_base() + p, b, (size_t)n);
  free(b);
  return n;
}

static int load(const char *path) { return wrt_module_load(stage(path)); }

/* The last error's text contains `want`. */
static int error_says(const char *want) {
  int32_t n = wrt_error_text();
  if (n < 0) return 0;
  char buf[256];
  int32_t m = n < 255 ? n : 255;
  memcpy(buf, wrt_mem_base() + wrt_io(n), (size_t)m);
  buf[m] = 0;
  return strstr(buf, want) != NULL;
}

int main(int argc, char **argv) {
  if (argc != 7) { printf("usage: signature PUBHEX signed unsigned tampered foreign snapshot\n"); return 2; }
  uint8_t key[32];
  for (int i = 0; i < 32; i++) { unsigned v; sscanf(argv[1] + 2 * i, "%2x", &v); key[i] = (uint8_t)v; }
  const char *signed_ = argv[2], *unsigned_ = argv[3], *tampered = argv[4], *foreign = argv[5], *snapshot = argv[6];
  CHECK(wrt_open() == 0);
  /* nothing required: the trailer is taken off unchecked */
  CHECK(load(signed_) >= 0);
  CHECK(load(tampered) >= 0);
  CHECK(wrt_config(WRT_CFG_REQUIRE_SIGNATURE, 2) < 0);
  CHECK(wrt_config(WRT_CFG_REQUIRE_SIGNATURE, 1) == 0);
  /* required, no key trusted yet: refused */
  CHECK(load(signed_) < 0);
  CHECK(wrt_error_code() == WRT_ERR_SIGNATURE);
  CHECK(error_says("not trusted"));
  CHECK(wrt_trust_key(key) == 0);
  CHECK(load(signed_) >= 0);
  CHECK(load(unsigned_) < 0);
  CHECK(wrt_error_code() == WRT_ERR_SIGNATURE && wrt_error_offset() == -1);
  CHECK(error_says("signature required: the input is not signed"));
  CHECK(load(tampered) < 0);
  CHECK(wrt_error_code() == WRT_ERR_SIGNATURE);
  CHECK(error_says("changed after signing"));
  CHECK(load(foreign) < 0);
  CHECK(error_says("not trusted"));
  /* the next call's error is the interpreter's again */
  CHECK(wrt_instantiate(9999, 0) < 0);
  CHECK(wrt_error_code() != WRT_ERR_SIGNATURE && wrt_error_code() > 0);
  /* a signed snapshot restores (its module, signed, is loaded above) */
  CHECK(wrt_restore(stage(snapshot)) == 0);
  /* the snapshot's own bytes, tampered: refused before the interpreter sees them */
  int32_t len = stage(snapshot);
  wrt_mem_base()[wrt_io(len) + 30] ^= 1;
  CHECK(wrt_restore(len) < 0);
  CHECK(wrt_error_code() == WRT_ERR_SIGNATURE);
  wrt_close();
  printf("ok\n");
  return 0;
}
