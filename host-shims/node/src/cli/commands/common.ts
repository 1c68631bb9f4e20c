// What several commands share: option parsers, loading a module file with
// one-line errors, parsing call arguments, printing results.

import { Engine } from "../../api/engine.js";
import { WrtCodedError, WrtDecodeError, WrtImageError, WrtSignatureError } from "../../api/errors.js";
import { Func } from "../../api/externs.js";
import type { Instance } from "../../api/instance.js";
import { Module } from "../../api/module.js";
import { formatTyped, parseTyped, type ValType } from "../../api/values.js";
import type { OptionSpec } from "../command.js";
import { FileError, UsageError } from "../exit-codes.js";
import { describeCodedError } from "../program.js";
import { readInputFile } from "../io.js";
import { publicKeyOf } from "../../api/signature.js";

/** The largest --fuel: fuel is a signed 64-bit count in every build. */
export const MAX_FUEL = (1n << 63n) - 1n;

/** --fuel N: 0 to 2^63-1 (the same range as wrt-native). */
export function parseFuel(v: string): bigint {
  if (!/^\d+$/.test(v) || BigInt(v) > MAX_FUEL) throw new UsageError(`--fuel takes an integer from 0 to ${MAX_FUEL}`);
  const n = BigInt(v);
  return n;
}

/** A positive integer option (--every, --fuel-slice N, ...). */
export function parsePositive(name: string): (v: string) => number {
  return (v) => {
    if (!/^[1-9]\d*$/.test(v) || !Number.isSafeInteger(Number(v))) throw new UsageError(`${name} takes a positive integer`);
    return Number(v);
  };
}

/** --allow-images: also load precompiled images (.wrti, or in a snapshot file); refused otherwise (docs/image-format.md, "Trust"). */
export const ALLOW_IMAGES_OPTION: OptionSpec = {
  flags: "--allow-images",
  description: "also load precompiled images (`wrt compile` output, here or in a snapshot file): code the interpreter verifies but did not compile",
};

/** Proposal switches (config keys 17 and 18, docs/embedding-api.md "Features"): both on by default. */
export const FEATURE_OPTIONS: OptionSpec[] = [
  { flags: "--enable-simd", description: "accept SIMD (0xFD ops, v128): the default" },
  { flags: "--disable-simd", description: "refuse modules that use SIMD (\"feature disabled\", with the byte offset)" },
  { flags: "--enable-relaxed-simd", description: "accept relaxed SIMD (one fixed result per op, docs/determinism.md): the default" },
  { flags: "--disable-relaxed-simd", description: "refuse modules that use relaxed SIMD" },
];

/** The engine config of the FEATURE_OPTIONS given (nothing given: the interpreter's defaults). */
export function featureConfig(opts: Record<string, unknown>): { simd?: number; relaxedSimd?: number } {
  const one = (on: string, off: string, name: string): number | undefined => {
    if (opts[on] && opts[off]) throw new UsageError(`--enable-${name} and --disable-${name} contradict each other`);
    return opts[on] ? 1 : opts[off] ? 0 : undefined;
  };
  const c: { simd?: number; relaxedSimd?: number } = {};
  const simd = one("enableSimd", "disableSimd", "simd");
  const relaxed = one("enableRelaxedSimd", "disableRelaxedSimd", "relaxed-simd");
  if (simd !== undefined) c.simd = simd;
  if (relaxed !== undefined) c.relaxedSimd = relaxed;
  return c;
}

/** --require-signature KEYFILE (repeatable): the input must be signed by one of these Ed25519 public keys (docs/signing.md). */
export const REQUIRE_SIGNATURE_OPTION: OptionSpec = {
  flags: "--require-signature <keyfile>",
  description: "refuse input not signed (`wrt sign`) by this Ed25519 public key (PEM, e.g. from `wrt keygen`); repeatable: any of them",
  parse: (v: string, prev: unknown) => [...((prev as string[] | undefined) ?? []), v],
};

/** The public keys of --require-signature, read from their files (undefined without the option). */
export function requiredKeys(opts: Record<string, unknown>): Uint8Array[] | undefined {
  const files = opts["requireSignature"] as string[] | undefined;
  if (files === undefined) return undefined;
  return files.map((f) => {
    const bytes = readInputFile(f, "public key", 1 << 16);
    try {
      publicKeyOf(bytes);
    } catch (e) {
      throw new FileError(`${f}: not an Ed25519 public key: ${e instanceof Error ? e.message : String(e)}`);
    }
    return bytes;
  });
}

export const ENGINE_OPTION: OptionSpec = {
  flags: "--engine <engine>",
  description: "which build of the interpreter runs: node (build/wrt.wasm in this process) or native (build/wrt-native, the wasm2c build)",
  choices: ["node", "native"],
  default: "node",
};

export const FUEL_OPTION: OptionSpec = {
  flags: "--fuel <n>",
  description: "fuel budget, 0 to 9223372036854775807 (default: unbounded); when it runs out: `out of fuel`, exit 2",
  parse: parseFuel,
};

export type ResultStyle = "signed" | "unsigned" | "hex" | "all";

export const RESULTS_OPTION: OptionSpec = {
  flags: "--results <style>",
  description: "how integer results print: signed (i32:-1), unsigned (i32:4294967295), hex (i32:0xffffffff) or all (i32:-1 (4294967295, 0xffffffff)); a v128 prints its i32x4 lanes, lane 0 first (v128:i32x4:1 2 3 4), hex as the 128-bit integer (v128:0x...)",
  choices: ["signed", "unsigned", "hex", "all"],
  default: "signed",
};

/** One result line, `TYPE:VALUE`, integers in the given style. */
export function formatResult(t: ValType, bits: bigint, style: ResultStyle = "signed"): string {
  if (t === "v128" && style !== "signed") {
    const hex = `0x${BigInt.asUintN(128, bits).toString(16).padStart(32, "0")}`;
    return style === "hex" ? `v128:${hex}` : `${formatTyped(t, bits)} (${hex})`;
  }
  if ((t !== "i32" && t !== "i64") || style === "signed") return formatTyped(t, bits);
  const width = t === "i32" ? 32 : 64;
  const u = BigInt.asUintN(width, bits);
  const hex = "0x" + u.toString(16);
  if (style === "unsigned") return `${t}:${u}`;
  if (style === "hex") return `${t}:${hex}`;
  return `${t}:${BigInt.asIntN(width, bits)} (${u}, ${hex})`;
}

/** Loads module (or image) bytes; a refused one is a one-line error naming the file. */
export function loadModule(engine: Engine, bytes: Uint8Array, file: string): Module {
  try {
    return Module.load(engine, bytes);
  } catch (e) {
    if (e instanceof WrtCodedError) throw new FileError(`${file}: ${loadErrorText(e)}`);
    throw e;
  }
}

/** "malformed: ...", "invalid: ...", "refused image: ..." with the offset once. */
export function loadErrorText(e: WrtCodedError): string {
  if (e instanceof WrtSignatureError) return e.message; // "signature required: ..." / "signature refused: ..."
  const kind = e instanceof WrtDecodeError ? "malformed" : e instanceof WrtImageError ? "refused image" : "invalid";
  return `${kind}: ${describeCodedError(e)}`;
}

/** The exported function `name`, or a usage error listing the exported functions. */
export function exportedFunc(inst: Instance, name: string, file: string): Func {
  const f = inst.exports[name];
  if (f instanceof Func) return f;
  const funcs = Object.entries(inst.exports).filter(([, v]) => v instanceof Func).map(([k]) => k);
  throw new UsageError(`${file} exports no function ${JSON.stringify(name)} (exported functions: ${funcs.join(", ") || "none"})`);
}

/** Call arguments from the command line, checked against the function's type. */
export function callArgs(f: Func, name: string, texts: readonly string[]): bigint[] {
  const params = f.type.params;
  if (texts.length !== params.length) {
    throw new UsageError(`${name} takes ${params.length} arguments (${params.join(" ") || "none"}), got ${texts.length}`);
  }
  return params.map((t, i) => {
    try {
      return parseTyped(t, texts[i]!);
    } catch (e) {
      throw new UsageError(`argument ${i + 1} of ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}
