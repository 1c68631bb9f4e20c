// Dense f64 matrix multiply C = A x B (N x N, row-major): f64 loads, stores
// and multiply-add. run(n) multiplies n times (feeding C back into A);
// returns the bit pattern of the sum of C, so every engine must agree exactly.
#define N 24
static double A[N * N], B[N * N], C[N * N];

static void init(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      A[i * N + j] = (double)((i * 7 + j * 3) % 17) / 16.0 - 0.5;
      B[i * N + j] = (double)((i * 5 + j * 11) % 13) / 12.0 - 0.5;
    }
}

static void multiply(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      double s = 0;
      for (int k = 0; k < N; k++) s += A[i * N + k] * B[k * N + j];
      C[i * N + j] = s;
    }
}

__attribute__((export_name("run"))) long long run(int n) {
  init();
  double total = 0;
  for (int r = 0; r < n; r++) {
    multiply();
    for (int i = 0; i < N * N; i++) { // scale C back into A so values stay bounded
      total += C[i];
      A[i] = C[i] * (1.0 / 16.0);
    }
  }
  union { double d; long long i; } u = { total };
  return u.i;
}
