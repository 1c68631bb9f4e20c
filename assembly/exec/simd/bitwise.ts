// Whole-vector bitwise ops, any_true, and the carry-free lane additions
// (SWAR: lanes added inside a u64 with the top bit of each lane handled
// apart, so no carry crosses a lane boundary).

import { put } from "./v128";

export function v128Not(d: usize, a: usize): void { put(d, ~load<u64>(a), ~load<u64>(a, 8)); }
export function v128And(d: usize, a: usize, b: usize): void {
  put(d, load<u64>(a) & load<u64>(b), load<u64>(a, 8) & load<u64>(b, 8));
}
export function v128Andnot(d: usize, a: usize, b: usize): void {
  put(d, load<u64>(a) & ~load<u64>(b), load<u64>(a, 8) & ~load<u64>(b, 8));
}
export function v128Or(d: usize, a: usize, b: usize): void {
  put(d, load<u64>(a) | load<u64>(b), load<u64>(a, 8) | load<u64>(b, 8));
}
export function v128Xor(d: usize, a: usize, b: usize): void {
  put(d, load<u64>(a) ^ load<u64>(b), load<u64>(a, 8) ^ load<u64>(b, 8));
}
/** Bits of a where c is 1, of b where c is 0. */
export function v128Bitselect(d: usize, a: usize, b: usize, c: usize): void {
  let c0 = load<u64>(c), c1 = load<u64>(c, 8);
  put(d, (load<u64>(a) & c0) | (load<u64>(b) & ~c0), (load<u64>(a, 8) & c1) | (load<u64>(b, 8) & ~c1));
}
export function v128AnyTrue(d: usize, a: usize): void {
  store<u64>(d, <u64>((load<u64>(a) | load<u64>(a, 8)) != 0));
}

// H: the top bit of every lane.
const H8: u64 = 0x8080808080808080;
const H16: u64 = 0x8000800080008000;
const H32: u64 = 0x8000000080000000;
@inline function addLanes(x: u64, y: u64, h: u64): u64 { return ((x & ~h) + (y & ~h)) ^ ((x ^ y) & h); }
@inline function subLanes(x: u64, y: u64, h: u64): u64 { return ((x | h) - (y & ~h)) ^ ((x ^ ~y) & h); }

export function i8x16Add(d: usize, a: usize, b: usize): void {
  put(d, addLanes(load<u64>(a), load<u64>(b), H8), addLanes(load<u64>(a, 8), load<u64>(b, 8), H8));
}
export function i8x16Sub(d: usize, a: usize, b: usize): void {
  put(d, subLanes(load<u64>(a), load<u64>(b), H8), subLanes(load<u64>(a, 8), load<u64>(b, 8), H8));
}
export function i16x8Add(d: usize, a: usize, b: usize): void {
  put(d, addLanes(load<u64>(a), load<u64>(b), H16), addLanes(load<u64>(a, 8), load<u64>(b, 8), H16));
}
export function i16x8Sub(d: usize, a: usize, b: usize): void {
  put(d, subLanes(load<u64>(a), load<u64>(b), H16), subLanes(load<u64>(a, 8), load<u64>(b, 8), H16));
}
export function i32x4Add(d: usize, a: usize, b: usize): void {
  put(d, addLanes(load<u64>(a), load<u64>(b), H32), addLanes(load<u64>(a, 8), load<u64>(b, 8), H32));
}
export function i32x4Sub(d: usize, a: usize, b: usize): void {
  put(d, subLanes(load<u64>(a), load<u64>(b), H32), subLanes(load<u64>(a, 8), load<u64>(b, 8), H32));
}
export function i64x2Add(d: usize, a: usize, b: usize): void {
  put(d, load<u64>(a) + load<u64>(b), load<u64>(a, 8) + load<u64>(b, 8));
}
export function i64x2Sub(d: usize, a: usize, b: usize): void {
  put(d, load<u64>(a) - load<u64>(b), load<u64>(a, 8) - load<u64>(b, 8));
}
