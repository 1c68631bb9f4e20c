// CRC-32 (IEEE, reflected, bit by bit) over a 4 KiB buffer: shifts, xors and
// a data-dependent branch per bit. run(n): n passes, one byte of the buffer
// changed before each; returns a checksum of all the CRCs.
#define SIZE 4096
static unsigned char buf[SIZE];

static unsigned crc32(const unsigned char *p, int len) {
  unsigned crc = 0xFFFFFFFFu;
  for (int i = 0; i < len; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++) crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
  }
  return ~crc;
}

__attribute__((export_name("run"))) int run(int n) {
  unsigned x = 0x12345678u, acc = 0;
  for (int i = 0; i < SIZE; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    buf[i] = (unsigned char)x;
  }
  for (int r = 0; r < n; r++) {
    buf[r & (SIZE - 1)] += (unsigned char)(r + 1);
    acc = acc * 31 + crc32(buf, SIZE);
  }
  return (int)acc;
}
