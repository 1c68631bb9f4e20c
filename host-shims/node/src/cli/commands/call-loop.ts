// Runs one call for the CLI in fuel slices: a total budget (--fuel) that
// stops exactly where a single run with that budget would, a progress line
// on long runs, and on running out the call left suspended (for a snapshot).

import type { EngineCore } from "../../api/engine-core.js";
import type { Func } from "../../api/externs.js";
import { begin, drive, Suspended } from "../../api/run.js";
import type { ValType } from "../../api/values.js";
import type { Progress } from "../io.js";

/** Fuel per slice: small enough for a live progress line, large enough to cost nothing. */
const SLICE = 1n << 24n;

export type CallOutcome = { done: true; results: bigint[]; fuelUsed: bigint } | { done: false; suspended: Suspended<bigint>; fuelUsed: bigint };

/**
 * Continues the prepared call of `f` (begin() done, or a restored call)
 * with at most `budget` fuel in all (null: unbounded).
 */
export function continueCall(engine: EngineCore, resultTypes: readonly ValType[], budget: bigint | null, progress: Progress, what: string): CallOutcome {
  let left = budget;
  let used = 0n;
  let slice = SLICE;
  for (;;) {
    const give = left !== null && left < slice ? left : slice;
    const res = drive(engine, give, resultTypes);
    const u = res.done ? give - res.fuelLeft : give - engine.raw.wrt_fuel_left();
    used += u;
    if (res.done) {
      progress.done();
      return { done: true, results: res.results, fuelUsed: used };
    }
    if (left !== null) left -= u;
    // out of the budget: nothing left, or what is left cannot pay for the next instruction
    if (left !== null && (left === 0n || (u === 0n && give === left))) {
      progress.done();
      return { done: false, suspended: new Suspended<bigint>(engine, { params: [], results: [...resultTypes] }, (b) => b), fuelUsed: used };
    }
    // an instruction that costs more than a slice (a large bulk op) gets a larger one
    slice = u === 0n ? slice * 2n : SLICE;
    progress.update(() => `wrt: ${what}: ${used.toLocaleString("en")} fuel`);
  }
}

/** Starts a call of `f` with argument bits and runs it as `continueCall`. */
export function runCall(f: Func, args: readonly bigint[], budget: bigint | null, progress: Progress, what: string): CallOutcome {
  begin(f.engine, f.handle, f.type, args);
  return continueCall(f.engine, f.type.results, budget, progress, what);
}
