// Recursive Fibonacci: call/return overhead and small integer arithmetic.
// run(n) = fib(n). C twin of ../fib.ts (see ../../README.md).
static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

__attribute__((export_name("run"))) int run(int n) { return fib(n); }
