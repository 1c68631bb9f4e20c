// The load budget: how far the interpreter's own memory may grow while one
// module is decoded, validated and compiled (limits.loadBudgetBytes, 0 =
// none). Measured as growth of the linear memory since the load began,
// after validation and after compilation (api-load.ts); the decoder refuses
// earlier, from its estimate of what each section will take, before the
// memory is taken (binary/decoder.ts, charge()).

import { limits } from "./limits";

let startPages: i32 = 0;

/** A load begins: memory grows from here. */
export function beginLoad(): void { startPages = memory.size(); }

/** True if this load has taken more than its budget. */
export function loadOverBudget(): bool {
  let b = limits.loadBudgetBytes;
  return b != 0 && (<u64>(memory.size() - startPages) << 16) > <u64>b;
}

/** "load budget of N bytes exceeded" */
export function loadBudgetText(): string {
  return "load budget of " + limits.loadBudgetBytes.toString() + " bytes exceeded";
}
