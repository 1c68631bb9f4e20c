// Fuel costs per Wasm instruction (docs/fuel.md).

import { crc32 } from "../state/hash";
//
// Index: the opcode byte for single-byte opcodes, 256 + sub-opcode for the
// 0xFC prefix (SIMD and threads will take 512.. and 768..). Default 1 each.
// Costs are applied when a module is compiled: install a table before
// loading the modules it should govern.

export const COST_TABLE_SIZE: i32 = 1024;

const costs = new StaticArray<u32>(COST_TABLE_SIZE);
for (let i = 0; i < COST_TABLE_SIZE; i++) costs[i] = 1;

@inline export function fuelCost(index: u32): u32 {
  return unchecked(costs[index & (COST_TABLE_SIZE - 1)]);
}

/** Replaces the first n costs. */
export function setFuelCost(index: i32, cost: u32): void {
  if (index >= 0 && index < COST_TABLE_SIZE) costs[index] = cost;
}

/** CRC of the cost table: a snapshot records it, since costs are compiled into code. */
export function fuelTableHash(): u32 {
  return crc32(changetype<usize>(costs), <usize>COST_TABLE_SIZE << 2);
}
