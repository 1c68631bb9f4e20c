// Fuel costs per Wasm instruction (docs/fuel.md).

import { crc32 } from "../state/hash";
import { COST_TABLE_SIZE, defaultFuelCost } from "./fuel-index";
export { COST_TABLE_SIZE };
//
// Index: one range per opcode prefix and one for the per-unit amounts of
// bulk operations (exec/fuel-index.ts, generated from scripts/isa/fuel.mjs;
// docs/fuel.md "Cost table indices"). Default 1 each, but memory.grow's
// per-page amount (1,024: a page is 1,024 chunks of 64 bytes).
// Costs are applied when a module is compiled: install a table before
// loading the modules it should govern.

const costs = new StaticArray<u32>(COST_TABLE_SIZE);
for (let i = 0; i < COST_TABLE_SIZE; i++) costs[i] = defaultFuelCost(i);

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
