// Dense f64 matrix multiply C = A x B (N x N, row-major), f64 loads/stores
// and multiply-add. run(n) multiplies n times (feeding C back into A);
// returns the bit pattern of the sum of C, so both engines must agree exactly.

const N: i32 = 48;
const BYTES: i32 = N * N * 8;
const A = memory.data(BYTES);
const B = memory.data(BYTES);
const C = memory.data(BYTES);

function init(): void {
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      store<f64>(A + ((i * N + j) << 3), <f64>((i * 7 + j * 3) % 17) / 16.0 - 0.5);
      store<f64>(B + ((i * N + j) << 3), <f64>((i * 5 + j * 11) % 13) / 12.0 - 0.5);
    }
  }
}

function multiply(): void {
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      let s: f64 = 0;
      for (let k = 0; k < N; k++) {
        s += load<f64>(A + ((i * N + k) << 3)) * load<f64>(B + ((k * N + j) << 3));
      }
      store<f64>(C + ((i * N + j) << 3), s);
    }
  }
}

export function run(n: i32): i64 {
  init();
  let total: f64 = 0;
  for (let r = 0; r < n; r++) {
    multiply();
    // scale C back into A so values stay bounded
    for (let i = 0; i < N * N; i++) {
      let c = load<f64>(C + (i << 3));
      total += c;
      store<f64>(A + (i << 3), c * (1.0 / 16.0));
    }
  }
  return reinterpret<i64>(total);
}
