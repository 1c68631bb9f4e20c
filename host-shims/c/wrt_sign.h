/*
 * wrt_sign.h: Ed25519 signature trailers (docs/signing.md), checked by the C
 * host before the interpreter sees the bytes. Built when WRT_SIGNATURES=1
 * (scripts/build-c.mjs does for build/wrt-native*), with Monocypher's
 * Ed25519 (third_party/monocypher, 4.0.3, BSD-2-Clause or CC0).
 */
#ifndef WRT_SIGN_H
#define WRT_SIGN_H
#include <stdbool.h>
#include <stdint.h>

#define WRT_SIG_TRAILER_BYTES 80u
#define WRT_SIG_MAGIC 0x47545257u /* "WRTG" */
#ifndef WRT_MAX_TRUSTED_KEYS
#define WRT_MAX_TRUSTED_KEYS 4
#endif

/* Adds a trusted public key (raw 32 bytes); 0 ok, -1 when WRT_MAX_TRUSTED_KEYS are set. */
int wrt_sign_trust(const uint8_t public_key[32]);
/* Forgets every trusted key. */
void wrt_sign_forget(void);
/* Is `p[0..len)` signed (a trailer at its end)? Then its payload length, else -1. */
int64_t wrt_sign_payload(const uint8_t *p, uint32_t len);
/* Checks a signed p[0..len) against the trusted keys: its payload length, or
 * -1 with *why (a static text) and *at (byte offset of the part at fault, or -1). */
int64_t wrt_sign_check(const uint8_t *p, uint32_t len, const char **why, int32_t *at);

#endif
