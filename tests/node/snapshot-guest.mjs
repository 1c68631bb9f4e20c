// The guest of the snapshot tests: recursion, call_indirect through a table,
// table.grow, memory.grow, a funcref global, passive element and data
// segments and a host function in the middle of a call.
import { wat } from "../../fuzz/lib/wat.mjs";

export { wat };

export const GUEST = wat(`(module
  (import "env" "checkpoint" (func $cp (param i32) (result i32)))
  (type $t (func (param i32) (result i32)))
  (memory (export "mem") 1 10)
  (table $tab (export "tab") 4 16 funcref)
  (global $calls (export "calls") (mut i32) (i32.const 0))
  (global $fref (mut funcref) (ref.func $sq))
  (elem (table $tab) (i32.const 0) func $sq $rec)
  (elem $pass func $sq $rec $work)
  (data (i32.const 16) "hello snapshot")
  (data $later "passive bytes")
  (func $sq (type $t) (i32.mul (local.get 0) (local.get 0)))
  (func $rec (type $t)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
      (else (i32.add
        (i32.mul (call $rec (i32.sub (local.get 0) (i32.const 1))) (i32.const 31))
        (call_indirect (type $t) (local.get 0) (i32.const 0))))))
  (func $work (export "work") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (drop (memory.grow (i32.const 1)))
    (drop (table.grow $tab (global.get $fref) (i32.const 2)))
    (memory.init $later (i32.const 65600) (i32.const 0) (i32.const 13))
    (loop $l
      (local.set $acc (i32.add (i32.rotl (local.get $acc) (i32.const 5))
        (call_indirect (type $t) (i32.and (local.get $i) (i32.const 15)) (i32.const 1))))
      (i32.store (i32.add (i32.const 65536) (i32.shl (i32.and (local.get $i) (i32.const 1023)) (i32.const 2))) (local.get $acc))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  (func (export "hosted") (param $n i32) (result i32)
    (i32.add (call $cp (call $work (local.get $n))) (call $work (local.get $n))))
  (func (export "peek") (param i32) (result i32) (i32.load (local.get 0))))`);

/** The host function `env.checkpoint` of the guest: a pure function of its argument. */
export const checkpoint = (x) => (Math.imul(x, 7) + 3) | 0;
