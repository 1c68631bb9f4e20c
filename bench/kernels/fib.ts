// Recursive Fibonacci: call/return overhead and small integer arithmetic.
// run(n) = fib(n).

function fib(n: i32): i32 {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

export function run(n: i32): i32 {
  return fib(n);
}
