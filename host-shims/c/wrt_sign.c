/*
 * wrt_sign.c: Ed25519 signature trailers (docs/signing.md).
 *
 *   payload (a .wasm, image, snapshot or snapshot container), then 80 bytes:
 *   +0 u8[64] signature of the payload | +64 u8[8] key id (SHA-512(public key)[0..8))
 *   +72 u32le payload length | +76 u32le magic "WRTG"
 *
 * The signature is checked in place (no copy of the payload), with
 * Monocypher's RFC 8032 Ed25519 (crypto_ed25519_check).
 */
#include "wrt_sign.h"
#include "third_party/monocypher/monocypher-ed25519.h"
#include <string.h>

static uint8_t g_keys[WRT_MAX_TRUSTED_KEYS][32];
static uint8_t g_ids[WRT_MAX_TRUSTED_KEYS][8];
static int g_nkeys;

int wrt_sign_trust(const uint8_t public_key[32]) {
  if (g_nkeys >= WRT_MAX_TRUSTED_KEYS) return -1;
  uint8_t h[64];
  crypto_sha512(h, public_key, 32);
  memcpy(g_keys[g_nkeys], public_key, 32);
  memcpy(g_ids[g_nkeys], h, 8);
  g_nkeys++;
  return 0;
}

void wrt_sign_forget(void) { g_nkeys = 0; }

static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

int64_t wrt_sign_payload(const uint8_t *p, uint32_t len) {
  if (len < WRT_SIG_TRAILER_BYTES) return -1;
  uint32_t n = len - WRT_SIG_TRAILER_BYTES;
  if (le32(p + n + 76) != WRT_SIG_MAGIC || le32(p + n + 72) != n) return -1;
  return n;
}

int64_t wrt_sign_check(const uint8_t *p, uint32_t len, const char **why, int32_t *at) {
  int64_t n = wrt_sign_payload(p, len);
  if (n < 0) { *why = "signature required: the input is not signed"; *at = -1; return -1; }
  const uint8_t *sig = p + n, *id = p + n + 64;
  bool named = false;
  for (int k = 0; k < g_nkeys; k++) {
    if (memcmp(g_ids[k], id, 8) != 0) continue;
    named = true;
    if (crypto_ed25519_check(sig, g_keys[k], p, (size_t)n) == 0) return n;
  }
  if (!named) { *why = "signature refused: signed by a key that is not trusted"; *at = (int32_t)(n + 64); return -1; }
  *why = "signature refused: the input does not match its signature (changed after signing)";
  *at = (int32_t)n;
  return -1;
}
