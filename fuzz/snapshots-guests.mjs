// Guests whose snapshots the snapshot fuzzer starts from: recursion and
// call_indirect through tables, host calls with funcref and i64 arguments
// and results, memories and tables that grow, funcref globals and locals,
// passive segments, a start of a nested call from the host.
import { Func } from "../host-shims/node/dist/index.js";
import { wat } from "./lib/wat.mjs";

const RECURSIVE = wat(`(module
  (import "env" "cp" (func $cp (param i32) (result i32)))
  (import "env" "ref" (func $ref (param funcref i64) (result funcref i64)))
  (type $t (func (param i32) (result i32)))
  (memory (export "mem") 1 4)
  (table $tab 4 16 funcref)
  (global $calls (mut i32) (i32.const 0))
  (global $fref (mut funcref) (ref.func $sq))
  (elem (table $tab) (i32.const 0) func $sq $rec $loop)
  (elem $pass func $sq $rec $loop)
  (data (i32.const 16) "hello snapshot")
  (data $later "passive bytes")
  (func $sq (type $t) (i32.mul (local.get 0) (local.get 0)))
  (func $rec (type $t)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (if (result i32) (i32.le_s (local.get 0) (i32.const 0)) (then (call $cp (i32.const 1)))
      (else (i32.add
        (i32.mul (call $rec (i32.sub (local.get 0) (i32.const 1))) (i32.const 31))
        (call_indirect (type $t) (local.get 0) (i32.and (local.get 0) (i32.const 1)))))))
  (func $loop (type $t) (local $i i32) (local $acc i32) (local $f funcref)
    (local.set $f (global.get $fref))
    (drop (memory.grow (i32.const 1)))
    (drop (table.grow $tab (local.get $f) (i32.const 1)))
    (memory.init $later (i32.const 100) (i32.const 0) (i32.const 13))
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (call_indirect (type $t) (local.get $i) (i32.const 0))))
      (i32.store (i32.and (i32.mul (local.get $i) (i32.const 4)) (i32.const 1023)) (local.get $acc))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get 0))))
    (local.get $acc))
  (func (export "rec") (param i32) (result i32) (call $rec (local.get 0)))
  (func (export "loop") (param i32) (result i32) (call $loop (local.get 0)))
  (func (export "refs") (param i32) (result i32) (local $r funcref) (local $x i64)
    (call $ref (ref.func $sq) (i64.extend_i32_u (local.get 0)))
    (local.set $x) (local.set $r)
    (i32.add (i32.wrap_i64 (local.get $x)) (call $cp (local.get 0))))
  (func (export "mix") (param i32) (result i32 i64)
    (call $loop (local.get 0)) (i64.const 7)))`);

const SMALL = wat(`(module
  (import "env" "tick" (func $tick (param i64) (result i64)))
  (global $g (mut i64) (i64.const 0))
  (func $fib (param i64) (result i64)
    (if (result i64) (i64.lt_u (local.get 0) (i64.const 2)) (then (call $tick (local.get 0)))
      (else (i64.add (call $fib (i64.sub (local.get 0) (i64.const 1))) (call $fib (i64.sub (local.get 0) (i64.const 2)))))))
  (func (export "fib") (param i64) (result i64) (global.set $g (local.get 0)) (call $fib (local.get 0))))`);

/** { name, bytes, imports(engine) -> import object, calls: [exportName, args][] } */
export function guests() {
  return [
    {
      name: "recursive",
      bytes: RECURSIVE,
      imports: (engine) => ({
        env: {
          cp: Func.host(engine, { params: ["i32"], results: ["i32"] }, (x) => x + 1),
          ref: Func.host(engine, { params: ["funcref", "i64"], results: ["funcref", "i64"] }, (f, x) => [f, x]),
        },
      }),
      calls: [["rec", [6]], ["loop", [40]], ["refs", [3]], ["mix", [9]], ["rec", [3]]],
    },
    {
      name: "small",
      bytes: SMALL,
      imports: (engine) => ({ env: { tick: Func.host(engine, { params: ["i64"], results: ["i64"] }, (x) => x) } }),
      calls: [["fib", [9]], ["fib", [4]]],
    },
  ];
}
