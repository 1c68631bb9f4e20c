;; The guest of tests/logging/log-threads.c: spam(id, count, pad) logs `count`
;; records at level i % 6, context "t<id>", message "<pad x's> line <i>".
(module
  (import "wasi:logging/logging" "log" (func $log (param i32 i32 i32 i32 i32)))
  (memory 1)
  (data (i32.const 0) "t")
  ;; the message starts at 1024: pad x's are written once, then " line <i>"
  (func $utoa (param $v i32) (param $dst i32) (result i32)
    (local $n i32) (local $t i32)
    (local.set $t (local.get $v))
    (local.set $n (i32.const 1))
    (block $b (loop $l
      (br_if $b (i32.lt_u (local.get $t) (i32.const 10)))
      (local.set $t (i32.div_u (local.get $t) (i32.const 10)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $l)))
    (local.set $t (local.get $n))
    (loop $w
      (local.set $t (i32.sub (local.get $t) (i32.const 1)))
      (i32.store8 (i32.add (local.get $dst) (local.get $t))
        (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $w (local.get $t)))
    (local.get $n))
  (func (export "spam") (param $id i32) (param $count i32) (param $pad i32)
    (local $i i32) (local $cl i32) (local $at i32)
    (local.set $cl (i32.add (i32.const 1) (call $utoa (local.get $id) (i32.const 1))))
    (block $b (loop $l
      (br_if $b (i32.ge_u (local.get $i) (local.get $pad)))
      (i32.store8 (i32.add (i32.const 1024) (local.get $i)) (i32.const 120))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.set $at (i32.add (i32.const 1024) (local.get $pad)))
    (i32.store (local.get $at) (i32.const 0x6e696c20)) ;; " lin"
    (i32.store16 (i32.add (local.get $at) (i32.const 4)) (i32.const 0x2065)) ;; "e "
    (local.set $at (i32.add (local.get $at) (i32.const 6)))
    (local.set $i (i32.const 0))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
      (call $log (i32.rem_u (local.get $i) (i32.const 6)) (i32.const 0) (local.get $cl) (i32.const 1024)
        (i32.add (i32.sub (local.get $at) (i32.const 1024)) (call $utoa (local.get $i) (local.get $at))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))
)
