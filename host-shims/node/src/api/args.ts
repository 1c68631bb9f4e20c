// What an embedder passes to the typed API, checked where it comes in. From
// TypeScript the types say it all; from JavaScript a wrong type used to fail
// deep inside ("Cannot read properties of null (reading 'length')"). Here it
// is a WrtApiError (code BadArgument) that names the call and the argument.

import { ErrCode, WrtApiError } from "./errors.js";

/** A refused argument of `where` (e.g. "Module.load"). */
export function badArgument(where: string, message: string): WrtApiError {
  return new WrtApiError(`${where}: ${message}`, ErrCode.BadArgument, -1);
}

/** A short description of what was passed: "null", "a string", "an Array", "number 1.5". */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (typeof v === "object") return `${/^[AEIOU]/.test(v.constructor?.name ?? "") ? "an" : "a"} ${v.constructor?.name ?? "object"}`;
  if (typeof v === "function") return "a function";
  if (typeof v === "string") return "a string";
  return `${typeof v} ${String(v)}`;
}

/**
 * Bytes of a module, image or snapshot: a Uint8Array as is; an ArrayBuffer,
 * SharedArrayBuffer or another typed array / DataView viewed as one (no copy).
 */
export function bytesArg(v: unknown, where: string, what = "bytes"): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && v instanceof SharedArrayBuffer)) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw badArgument(where, `${what} must be a Uint8Array (or an ArrayBuffer), got ${describeValue(v)}`);
}

/** An options object: undefined gives `{}`; null, an array or a primitive is refused. */
export function optionsArg<T extends object>(v: T | undefined, where: string, what = "options"): T {
  if (v === undefined) return {} as T;
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    throw badArgument(where, `${what} must be an object, got ${describeValue(v)}`);
  }
  return v;
}

/** An array argument (arguments of a call, the modules of a restore). */
export function arrayArg<T>(v: readonly T[] | undefined, where: string, what: string): readonly T[] {
  if (!Array.isArray(v)) throw badArgument(where, `${what} must be an array, got ${describeValue(v)}`);
  return v;
}

/** A string option, when given. */
export function optionalString(v: unknown, where: string, what: string): void {
  if (v !== undefined && typeof v !== "string") throw badArgument(where, `${what} must be a string, got ${describeValue(v)}`);
}

/**
 * An offset or index that the memory or table then bounds-checks: any
 * integer passes here (a negative one is out of bounds there, a RangeError,
 * as before); a fraction, NaN or a string is refused.
 */
export function integerArg(v: unknown, where: string, what: string): void {
  if (typeof v !== "number" || !Number.isSafeInteger(v)) {
    throw badArgument(where, `${what} must be an integer, got ${typeof v === "number" ? String(v) : describeValue(v)}`);
  }
}

/** A count, offset, index or page delta: an integer from 0 to `max` (a u32 by default). */
export function countArg(v: unknown, where: string, what: string, max = 0xffffffff): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max) {
    throw badArgument(where, `${what} must be an integer from 0 to ${max}, got ${typeof v === "number" ? String(v) : describeValue(v)}`);
  }
  return v;
}

const VAL_TYPES = new Set(["i32", "i64", "f32", "f64", "v128", "funcref", "externref"]);

/** A value type name ("i32", ..., "funcref", "externref"). */
export function valTypeArg(v: unknown, where: string, what: string): void {
  if (typeof v !== "string" || !VAL_TYPES.has(v)) {
    throw badArgument(where, `${what} must be one of ${[...VAL_TYPES].join(", ")}, got ${typeof v === "string" ? JSON.stringify(v) : describeValue(v)}`);
  }
}

/** A function type `{ params, results }` of value type names. */
export function funcTypeArg(v: unknown, where: string): void {
  const t = optionsArg(v as object | undefined, where, "type") as { params?: unknown; results?: unknown };
  if (v === undefined) throw badArgument(where, "type must be { params, results }, got undefined");
  for (const key of ["params", "results"] as const) {
    const list = arrayArg(t[key] as readonly unknown[] | undefined, where, `type.${key}`);
    list.forEach((x, i) => valTypeArg(x, where, `type.${key}[${i}]`));
  }
}

/** Limits `{ min, max }` of a memory (pages) or table (elements); max may be null or absent. */
export function limitsArg(v: unknown, where: string, what: string): void {
  if (v === undefined) throw badArgument(where, `${what} must be an object with min (and max), got undefined`);
  const l = optionsArg(v as object, where, what) as { min?: unknown; max?: unknown };
  countArg(l.min, where, `${what}.min`);
  if (l.max !== undefined && l.max !== null) countArg(l.max, where, `${what}.max`);
}
