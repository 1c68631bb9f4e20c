// SIMD kernel (issue 13): dot products of int32 vectors, the same source built
// twice by bench/simd.mjs: scalar wasm and clang -msimd128 (
// the loop vectorizes to v128.load, i32x4.mul and i32x4.add). run(n): n
// passes over 4 KiB vectors, each mixing the result back into the data;
// returns the checksum (the same for both builds).
#define N 1024
static int a[N], b[N];

__attribute__((noinline)) static int dot(const int *x, const int *y) {
  int s = 0;
  for (int i = 0; i < N; i++) s += x[i] * y[i];
  return s;
}

__attribute__((export_name("run"))) int run(int n) {
  for (int i = 0; i < N; i++) { a[i] = (i * 7 + 3) & 255; b[i] = (i * 13 + 5) & 255; }
  int acc = 0;
  for (int k = 0; k < n; k++) {
    int d = dot(a, b);
    acc = acc * 31 + d;
    a[k & (N - 1)] = d & 255;
  }
  return acc;
}
