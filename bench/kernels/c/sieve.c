// Sieve of Eratosthenes over 8 KiB of bytes: tight loops, byte loads/stores.
// run(n): sieves [0, LIMIT) n times; returns the sum of the prime counts.
#define LIMIT 8192
static volatile unsigned char flags[LIMIT];

static int sieve(void) {
  for (int i = 0; i < LIMIT; i++) flags[i] = 1;
  int count = 0;
  for (int i = 2; i < LIMIT; i++) {
    if (flags[i]) {
      count++;
      for (int j = i * i; j < LIMIT; j += i) flags[j] = 0;
    }
  }
  return count;
}

__attribute__((export_name("run"))) int run(int n) {
  int sum = 0;
  for (int r = 0; r < n; r++) sum += sieve();
  return sum;
}
