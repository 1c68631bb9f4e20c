// The call loop: wrt_call, then wrt_run(fuel) until DONE, serving host calls.
//
// Statuses of wrt_run: 0 DONE, 1 OUT_OF_FUEL, 2 HOST_CALL, 3 TRAP, -1 error.
// A top-level call that runs out of fuel may be returned to the caller as a
// `Suspended` (resume it with more fuel, or abandon it). A call made from
// inside a host function (nested) always runs to completion.

import { EngineCore } from "./engine-core.js";
import { ErrCode, WrtApiError, WrtInternalError, WrtTrap } from "./errors.js";
import { FuncType, ValType, fromSlots, toSlots } from "./values.js";

export const Status = { DONE: 0, OUT_OF_FUEL: 1, HOST_CALL: 2, TRAP: 3 } as const;

/** Fuel large enough to mean "unbounded" without risking i64 overflow inside the interpreter. */
export const UNBOUNDED_FUEL = 1n << 62n;

/** How a call is given fuel. */
export interface FuelOptions {
  /**
   * Total fuel for `call()`: when it runs out the call returns `Suspended`.
   * For `invoke()`: when it runs out, throws WrtOutOfFuel. Default: unbounded.
   */
  fuel?: number | bigint;
  /**
   * Run in slices of this much fuel, resuming after each OUT_OF_FUEL (tests
   * resumability); `"random"` draws each slice from [1, 64] with `seed`.
   */
  fuelSlice?: number | bigint | "random" | (() => number | bigint);
  /** Seed for `fuelSlice: "random"` (default 1). */
  seed?: number;
  /**
   * Wall-clock limit in ms: the call then runs in slices and is abandoned
   * with WrtTimeout when the limit passes (guards against runaway guests).
   */
  timeoutMs?: number;
  /**
   * Called after every slice that ran out of fuel, before the next one (at
   * a halt: e.g. `engine.migrate()` to continue in a fresh interpreter).
   */
  onSlice?: (engine: EngineCore) => void;
}

/** `invoke()` exceeded its `timeoutMs` (the call is abandoned). */
export class WrtTimeout extends WrtApiError {
  override name = "WrtTimeout";
  constructor(ms: number) {
    super(`timeout after ${ms} ms`, -1, -1);
  }
}

/** Fuel per slice when only a timeout asks for slicing. */
const TIMEOUT_SLICE = 1n << 22n;

/** `invoke()` ran out of its `fuel` budget (the call is abandoned). */
export class WrtOutOfFuel extends WrtApiError {
  override name = "WrtOutOfFuel";
  constructor() {
    super("out of fuel", -1, -1);
  }
}

/** mulberry32: small, seedable, good enough to pick fuel slices. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const I64_MIN = -(1n << 63n), I64_MAX = (1n << 63n) - 1n;

/** A fuel value from the API as a bigint: an integer (a safe-integer number or a bigint) from `min` to
 *  2^63 - 1; anything else is a WrtApiError (BadArgument) naming `what`. */
function fuelValue(v: unknown, what: string, min: bigint): bigint {
  const ok = typeof v === "bigint" ? v >= min && v <= I64_MAX : typeof v === "number" && Number.isSafeInteger(v) && BigInt(v) >= min;
  if (!ok) {
    const got = typeof v === "bigint" ? `${v}n` : typeof v === "number" ? String(v) : typeof v;
    throw new WrtApiError(`${what} must be an integer from ${min === I64_MIN ? "-2^63" : min} to 2^63 - 1 (a number or a bigint), got ${got}`, ErrCode.BadArgument, -1);
  }
  return BigInt(v as number | bigint);
}

/** A call's fuel budget: any 64-bit signed integer (a negative one stops before the first instruction, docs/fuel.md). */
const fuelBudget = (fuel: unknown): bigint => fuelValue(fuel, "fuel", I64_MIN);

/** Produces fuel slices for `FuelOptions.fuelSlice`. */
export function sliceSource(opts: FuelOptions): (() => bigint) | null {
  const s = opts.fuelSlice;
  if (s === undefined) return opts.timeoutMs === undefined ? null : () => TIMEOUT_SLICE;
  if (typeof s === "function") return () => fuelValue(s(), "fuelSlice", 1n);
  if (s === "random") {
    const rnd = seededRandom(opts.seed ?? 1);
    return () => BigInt(1 + Math.floor(rnd() * 64));
  }
  const n = fuelValue(s, "fuelSlice", 1n);
  return () => n;
}

function readTrap(engine: EngineCore): WrtTrap {
  const r = engine.raw;
  const code = r.wrt_trap_code();
  const text = engine.readText(r.wrt_trap_text()) || `trap ${code}`;
  return new WrtTrap(text, code, r.wrt_trap_func(), r.wrt_trap_pc());
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/** Serves one pending HOST_CALL: runs the JS function, completes the call. */
export function serveHostCall(engine: EngineCore): void {
  const r = engine.raw;
  const id = r.wrt_host_id();
  const entry = engine.hosts.get(id);
  if (!entry) {
    r.wrt_host_trap(engine.writeText(`unknown host function ${id}`));
    return;
  }
  const nslots = r.wrt_host_args();
  const args = fromSlots(entry.type.params, engine.readSlots(Math.max(0, nslots)));
  let results: bigint[];
  engine.depth++;
  try {
    results = entry.call(args);
  } catch (e) {
    engine.depth--;
    if (e instanceof WrtInternalError) throw e; // the interpreter is gone
    if (engine.abandoned) throw e; // a nested call gave up and wrt_abandon dropped every call
    if (r.wrt_host_trap(engine.writeText(errorMessage(e))) < 0) throw engine.lastError();
    return;
  }
  engine.depth--;
  let slots: bigint[];
  try {
    slots = toSlots(entry.type.results, results);
  } catch (e) {
    if (r.wrt_host_trap(engine.writeText(`host function returned bad results: ${errorMessage(e)}`)) < 0) {
      throw engine.lastError();
    }
    return;
  }
  engine.writeSlots(slots);
  if (r.wrt_host_return(slots.length) < 0) throw engine.lastError();
}

export type DriveResult = { done: true; results: bigint[]; fuelLeft: bigint } | { done: false };

/**
 * Runs the current call with at most `fuel`, serving host calls, until DONE
 * (results as slots) or OUT_OF_FUEL. A trap throws WrtTrap.
 */
export function drive(engine: EngineCore, fuel: bigint, resultTypes: readonly ValType[]): DriveResult {
  const r = engine.raw;
  let left = fuel;
  for (;;) {
    const status = r.wrt_run(left);
    switch (status) {
      case Status.DONE: {
        const fuelLeft = r.wrt_fuel_left();
        const n = r.wrt_results();
        if (n < 0) throw engine.lastError();
        return { done: true, results: fromSlots(resultTypes, engine.readSlots(n)), fuelLeft };
      }
      case Status.OUT_OF_FUEL:
        return { done: false };
      case Status.HOST_CALL:
        left = r.wrt_fuel_left();
        serveHostCall(engine);
        break;
      case Status.TRAP: {
        const trap = readTrap(engine);
        // Assumption: after TRAP the trapped call is gone; at top level make sure we are idle.
        if (engine.depth === 0) r.wrt_abandon();
        throw trap;
      }
      default:
        throw engine.lastError();
    }
  }
}

/**
 * wrt_abandon drops every call in progress, nested or not. Inside a host
 * function that also ends the outer calls: mark it so that their run loops
 * pass the error up instead of answering a host call that no longer exists.
 */
function abandonAll(engine: EngineCore): void {
  engine.raw.wrt_abandon();
  if (engine.depth > 0) engine.abandoned = true;
}

/** Prepares a call of `handle` with argument bit patterns. */
export function begin(engine: EngineCore, handle: number, type: FuncType, args: readonly bigint[]): void {
  if (engine.depth === 0 && engine.suspended !== null) {
    throw new WrtApiError("a suspended call is pending: resume or abandon it first", ErrCode.BadState, -1);
  }
  if (engine.depth === 0) engine.abandoned = false;
  const slots = toSlots(type.params, args);
  engine.writeSlots(slots);
  if (engine.raw.wrt_call(handle, slots.length) < 0) throw engine.lastError();
}


/** Runs the prepared call to completion per `opts` (slices, or a total budget that throws). */
export function finish(engine: EngineCore, type: FuncType, opts: FuelOptions = {}): bigint[] {
  // the call is begun: a bad option, or a bad slice from the user's function, must not leave it pending
  let next: (() => bigint) | null, budget: bigint | null;
  try {
    next = sliceSource(opts);
    budget = opts.fuel === undefined ? null : fuelBudget(opts.fuel);
  } catch (e) {
    abandonAll(engine);
    throw e;
  }
  let stalled = 0;
  const deadline = opts.timeoutMs === undefined ? null : Date.now() + opts.timeoutMs;
  for (;;) {
    if (deadline !== null && Date.now() > deadline) {
      abandonAll(engine);
      throw new WrtTimeout(opts.timeoutMs!);
    }
    let slice: bigint;
    try {
      slice = next ? next() : UNBOUNDED_FUEL;
    } catch (e) {
      abandonAll(engine);
      throw e;
    }
    if (stalled > 0) slice = slice << BigInt(Math.min(stalled, 40)); // an instruction costs more than a slice
    if (budget !== null && slice > budget) slice = budget;
    if (budget !== null && slice <= 0n) {
      abandonAll(engine);
      throw new WrtOutOfFuel();
    }
    const res = drive(engine, slice, type.results);
    if (res.done) return res.results;
    const used = slice - engine.raw.wrt_fuel_left();
    opts.onSlice?.(engine);
    stalled = used === 0n ? stalled + 1 : 0;
    // all that was left of the budget cannot pay for the next instruction
    if (budget !== null && used === 0n && slice === budget) {
      abandonAll(engine);
      throw new WrtOutOfFuel();
    }
    if (budget !== null) budget -= used;
  }
}

/** Outcome of `Func.call`: finished, or suspended for lack of fuel. */
export type CallResult<V> = Completed<V> | Suspended<V>;

export interface Completed<V> {
  readonly done: true;
  readonly results: V[];
  /** Fuel left of the last slice. */
  readonly fuelLeft: bigint;
}

/** A top-level call that ran out of fuel; `resume` continues it exactly where it stopped. */
export class Suspended<V> {
  readonly done = false as const;
  private finished = false;
  constructor(
    private readonly engine: EngineCore,
    private readonly type: FuncType,
    private readonly convert: (bits: bigint[]) => V[],
    /**
     * The call waits at a host call (a snapshot restored at one): `resume`
     * first serves it with the host function bound to its hostId.
     */
    private hostCallPending = false,
  ) {
    engine.suspended = this;
  }

  /** True while the call waits for a host function's answer (see the constructor). */
  get atHostCall(): boolean {
    return this.hostCallPending;
  }

  /** Runs on with `fuel` more units. */
  resume(fuel: number | bigint): CallResult<V> {
    if (this.finished) throw new WrtApiError("this call is no longer suspended", ErrCode.BadState, -1);
    if (this.engine.suspended !== this) throw new WrtApiError("another call is active", ErrCode.BadState, -1);
    const budget = fuelBudget(fuel);
    this.engine.suspended = null;
    let res: DriveResult;
    try {
      if (this.hostCallPending) {
        this.hostCallPending = false;
        serveHostCall(this.engine);
      }
      res = drive(this.engine, budget, this.type.results);
    } catch (e) {
      this.finished = true;
      throw e;
    }
    if (!res.done) {
      this.engine.suspended = this;
      return this;
    }
    this.finished = true;
    return { done: true, results: this.convert(res.results), fuelLeft: res.fuelLeft };
  }

  /** Drops the call; the engine is idle again. */
  abandon(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.engine.suspended === this) this.engine.suspended = null;
    this.engine.raw.wrt_abandon();
  }
}

/** Starts a top-level call with a fuel budget; returns Completed or Suspended. */
export function callWithFuel<V>(
  engine: EngineCore,
  handle: number,
  type: FuncType,
  args: readonly bigint[],
  fuel: number | bigint,
  convert: (bits: bigint[]) => V[],
): CallResult<V> {
  if (engine.depth > 0) {
    throw new WrtApiError("a call from inside a host function cannot be suspended: use invoke()", ErrCode.BadState, -1);
  }
  const budget = fuelBudget(fuel);
  begin(engine, handle, type, args);
  const res = drive(engine, budget, type.results);
  if (res.done) return { done: true, results: convert(res.results), fuelLeft: res.fuelLeft };
  return new Suspended(engine, type, convert);
}
