// The "node" engine: build/wrt.wasm compiled by V8 and run in this process.
// Beside it, engines/native.ts runs the wasm2c build in a child process
// behind the same raw exports.

import { readFileSync } from "node:fs";
import v8 from "node:v8";
import type { HostImports } from "../binding/abi.js";
import { buildPath } from "../binding/paths.js";
import { Wasm, type WasmInstance, type WasmModule } from "../binding/wasm-types.js";

/** Default location of build/wrt.wasm in this package. */
export function defaultWasmPath(): string {
  return buildPath("wrt.wasm");
}

const compiledCache = new Map<string, WasmModule>();

/**
 * Compiles (once per path and process) the interpreter binary, with V8
 * reading its branch hints (below).
 */
export function compileInterpreter(wasmPath = defaultWasmPath()): WasmModule {
  let m = compiledCache.get(wasmPath);
  if (!m) {
    m = withBranchHints(() => new Wasm.Module(readFileSync(wasmPath)));
    compiledCache.set(wasmPath, m);
  }
  return m;
}

// build/wrt.wasm carries a branch-hint section (scripts/branch-hints.mjs):
// in the dispatch loop, every way out of the loop and every path through a
// call is marked unlikely, so TurboFan makes them deferred code and its
// register allocator keeps the loop's values where the hot handlers have
// them (docs/internal-code.md, "V8's tiers"). Node 20's V8 (11.x) reads the
// section only with --experimental-wasm-branch-hinting, which it looks at
// when it decodes a module: the flag is on just for that compilation, unless
// the user set it either way. Other V8 versions get no flag (an unknown flag
// would print an error). Hints change no result, only code layout and
// registers.
const hintsNeedFlag = /^11\./.test(process.versions.v8);
const userSetBranchHinting = nodeFlags().some((f) => /^--(no-)?experimental-wasm-branch-hinting$/.test(f));

function withBranchHints<T>(compile: () => T): T {
  if (!hintsNeedFlag || userSetBranchHinting) return compile();
  v8.setFlagsFromString("--experimental-wasm-branch-hinting");
  try {
    return compile();
  } finally {
    v8.setFlagsFromString("--no-experimental-wasm-branch-hinting");
  }
}

function nodeFlags(): string[] {
  return [...process.execArgv, ...(process.env["NODE_OPTIONS"] ?? "").split(/\s+/)];
}

/**
 * A fresh instance of the interpreter with the given host imports. Its
 * `wrt_run` compiles the dispatch loop in V8's optimizing tier (below); the
 * other exports are the instance's own.
 */
export function instantiateWasm(module: WasmModule, imports: HostImports): WasmInstance {
  const instance = new Wasm.Instance(module, imports as unknown as Record<string, Record<string, unknown>>);
  const exports: Record<string, unknown> = { ...instance.exports };
  const run = exports["wrt_run"];
  if (typeof run === "function" && flagsInWindow) exports["wrt_run"] = optimizedOnFirstCall(run as (fuel: bigint) => number);
  else if (typeof run === "function" && typeof exports["wrt_fuel_left"] === "function") slicedForTierUp(exports);
  return { exports };
}

// V8 compiles a module's functions lazily, each at its first call, in its
// baseline tier (Liftoff), and moves a hot function to TurboFan only for
// later calls: a call that is running stays in Liftoff to its end. A guest's
// whole run is one call of the dispatch loop (`run` in exec/interp.ts,
// reached through wrt_run), so a user's single long `wrt run` stayed 2-4x
// slower than the same loop in TurboFan. The first wrt_run call of the
// process is therefore made with Liftoff off: the dispatch loop and whatever
// it calls for the first time are compiled by TurboFan right then (about
// 0.1 s, once per process), while loading, validating and compiling guests
// before it keep Liftoff's quick start. The flag is restored afterwards
// unless the user set it (docs/internal-code.md, "V8's tiers").
let dispatchCompiled = false;
const userSetNoLiftoff = nodeFlags().includes("--no-liftoff");
// V8 14 (Node 26) cannot have its flags changed under running Wasm: with
// Liftoff off in the window, TurboFan compiled functions that never ran in
// Liftoff and its Wasm inlining failed a CHECK looking for their call
// feedback (a fatal error of the process); turning inlining off as well,
// once Wasm had run (the tests' wabt), segfaulted at a later tier-up. So on
// V8 14 and later the window sets no flag: the first call runs in Liftoff
// and later calls in TurboFan as V8 tiers the loop up by itself; a long
// call is handed over in slices (slicedForTierUp, below) so that it is one
// of those later calls (docs/internal-code.md, "Other Node lines").
const flagsInWindow = Number(process.versions.v8.split(".")[0]) < 14;
const userSetNoStackChecks = nodeFlags().includes("--no-wasm-stack-checks");
let withoutStackChecks = false;

/**
 * For the `wrt` command's process only (cli/main.ts): the dispatch loop is
 * compiled without V8's stack checks, a compare and branch at every loop
 * back edge, i.e. per interpreted op (5-9% of the instructions of a run).
 * They also serve V8's interrupts (Worker.terminate, the inspector), which
 * an embedder may need while a call runs, so the Node API keeps them; the
 * CLI's process has no workers, and nothing reachable from wrt_run recurses
 * (no call_indirect, no cycle in the call graph), so its native stack stays
 * bounded without the checks. Call before the first wrt_run.
 */
export function compileDispatchWithoutStackChecks(): void {
  withoutStackChecks = true;
}

function optimizedOnFirstCall(run: (fuel: bigint) => number): (fuel: bigint) => number {
  return (fuel: bigint): number => {
    if (dispatchCompiled) return run(fuel);
    dispatchCompiled = true;
    const noChecks = withoutStackChecks && !userSetNoStackChecks;
    v8.setFlagsFromString("--no-liftoff");
    if (noChecks) v8.setFlagsFromString("--no-wasm-stack-checks");
    try {
      return run(fuel);
    } finally {
      if (!userSetNoLiftoff) v8.setFlagsFromString("--liftoff");
      if (noChecks) v8.setFlagsFromString("--wasm-stack-checks");
    }
  };
}

// wrt_run's status for a stop for fuel (api/run.ts Status.OUT_OF_FUEL).
const OUT_OF_FUEL = 1;
/** Fuel per slice: about 20-80 ms of Liftoff, a few microseconds of overhead per slice. */
const TIER_UP_SLICE = 1n << 24n;

/**
 * V8 14 and later (no flag window, above): V8 moves the loop to TurboFan for
 * its next call, never during one, so a single long wrt_run stayed in
 * Liftoff (2-2.5x slower) to its end. wrt_run(fuel) is therefore handed to
 * the interpreter in slices of TIER_UP_SLICE: each slice is a new call and
 * runs in the best code V8 has by then. A stop for fuel resumes exactly
 * (docs/fuel.md), so nobody can tell: the wrapper returns only a status of
 * the whole budget, and wrt_fuel_left adds back the part of the budget not
 * handed over yet.
 */
function slicedForTierUp(exports: Record<string, unknown>): void {
  const run = exports["wrt_run"] as (fuel: bigint) => number;
  const fuelLeft = exports["wrt_fuel_left"] as () => bigint;
  let carry = 0n; // the current wrt_run's budget not handed to the interpreter
  exports["wrt_fuel_left"] = (): bigint => fuelLeft() + carry;
  exports["wrt_run"] = (fuel: bigint): number => {
    let left = fuel;
    for (;;) {
      const slice = left > TIER_UP_SLICE ? TIER_UP_SLICE : left;
      carry = left - slice;
      const status = run(slice);
      if (status !== OUT_OF_FUEL || carry === 0n) return status;
      const rest = fuelLeft();
      left = carry + rest;
      if (rest === slice) { // no progress: the next instruction costs more than a slice
        carry = 0n;
        return run(left);
      }
    }
  };
}
