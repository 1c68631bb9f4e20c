// Direct and indirect calls. Direct: a pair of mutually recursive functions
// (the optimizer cannot inline a recursive cycle away). Indirect: small
// functions picked from a table at run time (call_indirect with its
// signature check). run(n): n rounds; returns a checksum of all results.
typedef int (*op_t)(int);
static int pong(int x, int depth);
__attribute__((noinline)) static int ping(int x, int depth) { return depth == 0 ? x : pong(x * 3 + 1, depth - 1); }
__attribute__((noinline)) static int pong(int x, int depth) { return depth == 0 ? x : ping(x ^ (int)((unsigned)x >> 7), depth - 1); }

static int addOne(int x) { return x + 1; }
static int timesThree(int x) { return x * 3; }
static int xorMix(int x) { return x ^ (int)((unsigned)x >> 7); }
static int rotate(int x) { return (int)(((unsigned)x << 5) | ((unsigned)x >> 27)); }

static op_t volatile ops[4] = { addOne, timesThree, xorMix, rotate };

__attribute__((export_name("run"))) int run(int n) {
  int acc = 0x12345;
  for (int i = 0; i < n; i++) {
    acc = ping(acc, 8);
    for (int k = 0; k < 8; k++) acc = ops[((unsigned)acc >> k) & 3](acc) + k;
  }
  return acc;
}
