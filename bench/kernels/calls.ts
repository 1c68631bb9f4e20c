// Direct and indirect calls. Direct: a pair of mutually recursive functions
// (the optimizer cannot inline a recursive cycle away). Indirect: small
// functions picked from the function table at run time (call_indirect with
// its signature check).
// run(n): n rounds; returns a checksum of all results.

function ping(x: i32, depth: i32): i32 {
  return depth == 0 ? x : pong(x * 3 + 1, depth - 1);
}
function pong(x: i32, depth: i32): i32 {
  return depth == 0 ? x : ping(x ^ (x >>> 7), depth - 1);
}

function addOne(x: i32): i32 { return x + 1; }
function timesThree(x: i32): i32 { return x * 3; }
function xorMix(x: i32): i32 { return x ^ (x >>> 7); }
function rotate(x: i32): i32 { return rotl<i32>(x, 5); }

const ops: StaticArray<(x: i32) => i32> = [addOne, timesThree, xorMix, rotate];

export function run(n: i32): i32 {
  let acc = 0x12345;
  for (let i = 0; i < n; i++) {
    acc = ping(acc, 8);
    for (let k = 0; k < 8; k++) {
      let f = unchecked(ops[(acc >>> k) & 3]);
      acc = f(acc) + k;
    }
  }
  return acc;
}
