// Sieve of Eratosthenes over a byte array: tight loops, byte loads/stores.
// run(n): sieves [0, LIMIT) n times; returns the sum of the prime counts.

const LIMIT: i32 = 65536;
const flags = memory.data(LIMIT);

function sieve(): i32 {
  memory.fill(flags, 1, LIMIT);
  let count = 0;
  for (let i = 2; i < LIMIT; i++) {
    if (load<u8>(flags + i)) {
      count++;
      if (i < 256) { // i * i < LIMIT (and no i32 overflow)
        for (let j = i * i; j < LIMIT; j += i) store<u8>(flags + j, 0);
      }
    }
  }
  return count;
}

export function run(n: i32): i32 {
  let sum = 0;
  for (let r = 0; r < n; r++) sum += sieve();
  return sum;
}
