;; The first program for WRT: `npx wrt run examples/hello.wasm --invoke main`
;; prints `i32:42`. Rebuild hello.wasm with `node examples/build.mjs`.
(module
  ;; One page of linear memory, exported so hosts can look inside.
  (memory (export "memory") 1)
  (data (i32.const 0) "Hello from WRT!")

  ;; () -> i32: the answer.
  (func (export "main") (result i32)
    i32.const 42)

  ;; i32 -> i32: Fibonacci, recursively (fib 0 = 0, fib 1 = 1, fib 20 = 6765).
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else
        (i32.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2))))))))
