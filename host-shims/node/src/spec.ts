// Spec test runner for wast2json command files (../shared/testsuite/README.md).
//
// Each file runs in a fresh interpreter (a new WebAssembly instance of
// build/wrt.wasm), so one file cannot poison the next. Every command except
// `register` counts (like wabt's spectest-interp); a `register` that fails
// counts as a failure. If the interpreter aborts, the rest of that file counts
// as failed.
//
// Expected failures are checked for what they mean (spec-expect.ts,
// docs/spec-runner.md): an assert_trap needs the trap the text names, an
// assert_malformed a decode error and an assert_invalid a validation error
// with the code and text the spec names. An unknown command fails. Every
// skip has a reason; the reasons are counted and printed.

import { readFileSync } from "node:fs";
import path from "node:path";
import { Engine, EngineOptions } from "./api/engine.js";
import { WrtCodedError, WrtDecodeError, WrtInternalError, WrtLinkError, WrtInstantiationError, WrtTrap, WrtValidationError } from "./api/errors.js";
import { Extern, Func, Global } from "./api/externs.js";
import { Instance, ImportObject } from "./api/instance.js";
import { Module } from "./api/module.js";
import { FuelOptions, seededRandom } from "./api/run.js";
import { createSpectest } from "./spectest.js";
import {
  baseText, DECODE_CODES, INSTANTIATION_CODES, KNOWN_DIFFERENCES, LINK_CODES, sameText, TRAP_CODES, VALIDATION_CODES,
} from "./spec-expect.js";
import { migrationStats, resetMigrationStats } from "./api/snapshot.js";
import { bitsToF32, bitsToF64, formatTyped, isValType, ValType } from "./api/values.js";

export interface SpecOptions {
  /**
   * Fuel per slice, or "random" (slices in [1, 64] from `seed`), or "spread"
   * (from `seed`: the first slice of every invocation in [1, 4], later ones
   * log-uniform in [1, 65536]: `spreadSlices`); default unbounded.
   */
  fuelSlice?: number | "random" | "spread";
  seed?: number;
  verbose?: boolean;
  /** Failures printed per file unless verbose. */
  failLimit?: number;
  /**
   * Wall-clock limit per action in ms (default 120000: a hang detector, not a
   * speed check; with a snapshot at every slice, a memory.grow of many pages
   * paid per page takes ~20 s on a loaded 2-core machine).
   */
  timeoutMs?: number;
  engine?: EngineOptions;
  /** Output lines (default: console.log). */
  out?: (line: string) => void;
  /**
   * After every fuel slice, snapshot the interpreter and continue in a fresh
   * one (`Engine.migrate`: a new WebAssembly instance with the same modules
   * loaded in the same order). Needs `fuelSlice`.
   */
  snapshotEverySlice?: boolean;
  /**
   * Load every module as a precompiled image (docs/image-format.md): a
   * second interpreter (build/wrt.wasm in Node, the same fuel metering)
   * compiles it, the one under test loads the image. With `engine.wasmPath`
   * build/wrt-device.wasm this runs the suite through the device build.
   */
  viaImage?: boolean;
}

export interface FileResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
  notes: string[];
  aborted: string | null;
  /** Skipped commands by reason. */
  skips: Record<string, number>;
}

interface JsonValue {
  type: string;
  value?: string | string[];
  lane_type?: string;
}
interface JsonAction {
  type: "invoke" | "get";
  module?: string;
  field: string;
  args?: JsonValue[];
}
interface JsonCommand {
  type: string;
  line: number;
  filename?: string;
  name?: string;
  as?: string;
  definition?: string;
  action?: JsonAction;
  expected?: JsonValue[];
  either?: JsonValue[];
  text?: string;
  module_type?: string;
}

class Skip extends Error {}
class Fail extends Error {}

const LANES: Record<string, number> = { i8: 8, i16: 16, i32: 32, i64: 64, f32: 32, f64: 64 };

/** A JSON value -> its bits. */
function argBits(v: JsonValue): bigint {
  const t = v.type;
  if (t === "v128") {
    const laneBits = LANES[v.lane_type ?? ""];
    if (!laneBits || !Array.isArray(v.value)) throw new Skip(`v128 lane type ${v.lane_type}`);
    let bits = 0n;
    v.value.forEach((s, i) => {
      bits |= BigInt.asUintN(laneBits, BigInt(s)) << BigInt(i * laneBits);
    });
    return bits;
  }
  if (t === "funcref" || t === "externref") {
    if (v.value === "null") return 0n;
    if (t === "externref") return BigInt(v.value as string) + 1n; // (ref.extern N): host ref N+1
    throw new Skip(`non-null ${t} argument`);
  }
  if (t === "i32" || t === "i64" || t === "f32" || t === "f64") return BigInt(v.value as string);
  throw new Skip(`value type ${t}`);
}

function isCanonicalNan(bits: bigint, width: 32 | 64): boolean {
  return width === 32 ? (bits & 0x7fffffffn) === 0x7fc00000n : (bits & 0x7fffffffffffffffn) === 0x7ff8000000000000n;
}
function isArithmeticNan(bits: bigint, width: 32 | 64): boolean {
  return width === 32
    ? (bits & 0x7fc00000n) === 0x7fc00000n
    : (bits & 0x7ff8000000000000n) === 0x7ff8000000000000n;
}

function scalarMatches(type: string, expected: string, bits: bigint): boolean {
  const width = type === "f32" || type === "i32" ? 32 : 64;
  if (expected === "nan:canonical") return isCanonicalNan(bits, width as 32 | 64);
  if (expected === "nan:arithmetic") return isArithmeticNan(bits, width as 32 | 64);
  return BigInt.asUintN(width, BigInt(expected)) === BigInt.asUintN(width, bits);
}

function valueMatches(e: JsonValue, bits: bigint): boolean {
  switch (e.type) {
    case "i32":
    case "i64":
    case "f32":
    case "f64":
      return scalarMatches(e.type, e.value as string, bits);
    case "funcref":
      return e.value === "null" ? bits === 0n : bits !== 0n;
    case "externref":
      return e.value === "null" ? bits === 0n : bits === BigInt(e.value as string) + 1n;
    case "v128": {
      const laneBits = LANES[e.lane_type ?? ""];
      if (!laneBits || !Array.isArray(e.value)) throw new Skip(`v128 lane type ${e.lane_type}`);
      const laneType = e.lane_type!.startsWith("f") ? e.lane_type! : "i64";
      return e.value.every((s, i) => {
        const lane = BigInt.asUintN(laneBits, bits >> BigInt(i * laneBits));
        return laneType === "i64" ? BigInt.asUintN(laneBits, BigInt(s)) === lane : scalarMatches(laneType, s, lane);
      });
    }
  }
  throw new Skip(`expected type ${e.type}`);
}

function showExpected(e: JsonValue): string {
  if (e.type === "v128") return `v128:${e.lane_type}[${(e.value as string[]).join(" ")}]`;
  const v = e.value as string;
  if (v === "null" || v?.startsWith("nan:")) return `${e.type}:${v}`;
  if (isValType(e.type) && v !== undefined) return formatTyped(e.type, BigInt(v));
  return `${e.type}:${v}`;
}

function showResult(t: ValType | string, bits: bigint): string {
  if (!isValType(t)) return `${t}:${bits}`;
  const s = formatTyped(t, bits);
  if (t === "f32" && Number.isNaN(bitsToF32(bits))) return `f32:nan(0x${bits.toString(16)})`;
  if (t === "f64" && Number.isNaN(bitsToF64(bits))) return `f64:nan(0x${bits.toString(16)})`;
  return s;
}

/**
 * Why a rejected module does not match the spec's expectation (null if it
 * does): `what` fixes the class (malformed: a decode error, invalid: a
 * validation error), the text the code (spec-expect.ts) and the message.
 * `where` ("file:line") may name a listed deliberate difference.
 */
function rejectionMismatch(where: string, what: "malformed" | "invalid", text: string, e: WrtCodedError): string | null {
  const known = KNOWN_DIFFERENCES[where];
  const kind = known?.kind ?? what;
  const cls = kind === "malformed" ? WrtDecodeError : WrtValidationError;
  const got = `${errText(e)} (code ${e.code})`;
  if (!(e instanceof cls)) {
    return `expected ${what} "${text}": a ${kind === "malformed" ? "decode" : "validation"} error, got ${got}`;
  }
  if (known) return e.code === known.code ? null : `expected code ${known.code} (${known.why}), got ${got}`;
  const codes = (what === "malformed" ? DECODE_CODES : VALIDATION_CODES)[baseText(text)];
  if (!codes) return `no ${what} code for the spec text "${text}" (spec-expect.ts), got ${got}`;
  if (!codes.includes(e.code)) return `expected ${what} "${text}" (code ${codes.join("/")}), got ${got}`;
  if (!sameText(e.message, text)) return `expected ${what} text "${text}", got ${got}`;
  return null;
}

function errText(e: unknown): string {
  if (e instanceof WrtCodedError) {
    return `${e.name}: ${e.message}${e.offset >= 0 ? ` (offset ${e.offset})` : ""}`;
  }
  if (e instanceof WrtTrap) return `trap: ${e.message}`;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

/**
 * The "spread" slice policy: slices from a seeded generator over five orders
 * of magnitude. The first slice of every invocation is uniform in [1, 4]:
 * half the core suite's invocations use at most 4 units, so even short ones
 * halt (two thirds of all invocations halt at least once), at a random op
 * near their start. Every later slice is log-uniform in [1, 65536], so long
 * invocations halt at random points, sometimes a few ops apart, on average
 * every ~6000 units. With --snapshot-every-slice each halt is a snapshot and
 * a restore into a fresh interpreter (docs/snapshot-format.md).
 */
export function spreadSlices(rnd: () => number): { next: () => number; startCall: () => void } {
  let first = true;
  return {
    next: () => {
      if (first) {
        first = false;
        return 1 + Math.floor(rnd() * 4);
      }
      return Math.floor(2 ** (rnd() * 16));
    },
    startCall: () => {
      first = true;
    },
  };
}

/** Runs one JSON command file. */
export function runSpecFile(file: string, opts: SpecOptions = {}, displayName?: string): FileResult {
  const name = displayName ?? path.basename(file).replace(/\.json$/, "");
  const res: FileResult = { name, passed: 0, failed: 0, skipped: 0, failures: [], notes: [], aborted: null, skips: {} };
  const base = path.basename(file).replace(/\.json$/, "");
  const dir = path.dirname(file);
  let commands: JsonCommand[];
  try {
    commands = (JSON.parse(readFileSync(file, "utf8")) as { commands: JsonCommand[] }).commands;
  } catch (e) {
    res.failed++;
    res.failures.push(`cannot read ${file}: ${errText(e)}`);
    return res;
  }

  const verbose = opts.verbose ?? false;
  let engine: Engine;
  try {
    engine = new Engine({ log: verbose ? undefined : false, ...opts.engine });
  } catch (e) {
    const n = commands.filter((c) => c.type !== "register").length;
    res.failed += n;
    res.aborted = `cannot start the interpreter: ${errText(e)}`;
    return res;
  }

  let compiler: Engine | null = null;
  const rnd = opts.fuelSlice === "random" || opts.fuelSlice === "spread" ? seededRandom(opts.seed ?? 1) : null;
  const fuel: FuelOptions = { timeoutMs: opts.timeoutMs ?? 120_000 };
  const spread = opts.fuelSlice === "spread" ? spreadSlices(rnd!) : null;
  if (spread) fuel.fuelSlice = spread.next;
  else if (rnd) fuel.fuelSlice = () => 1 + Math.floor(rnd() * 64);
  else if (typeof opts.fuelSlice === "number") fuel.fuelSlice = opts.fuelSlice;
  if (opts.snapshotEverySlice) fuel.onSlice = (e) => void e.migrate();
  /** The fuel options for one invocation (a start function or an action). */
  const fuelForCall = (): FuelOptions => {
    spread?.startCall();
    return fuel;
  };

  const registry = new Map<string, Record<string, Extern>>();
  let spectestError: string | null = null;
  try {
    registry.set("spectest", createSpectest(engine));
  } catch (e) {
    spectestError = errText(e);
    res.notes.push(`spectest module unavailable: ${spectestError}`);
  }
  const named = new Map<string, Instance>();
  let current: Instance | null = null;

  const importObject = (): ImportObject => Object.fromEntries(registry);

  const instanceFor = (a: JsonAction): Instance => {
    const inst = a.module !== undefined ? named.get(a.module) : current;
    if (!inst) throw new Fail(a.module !== undefined ? `no module ${a.module}` : "no current module");
    return inst;
  };

  /** Performs an action; returns result types and bits. */
  const act = (a: JsonAction, expected?: JsonValue[]): { types: ValType[]; bits: bigint[] } => {
    const inst = instanceFor(a);
    const ex = inst.exports[a.field];
    if (a.type === "get") {
      if (!(ex instanceof Global)) throw new Fail(`no global export ${JSON.stringify(a.field)}`);
      return { types: [ex.globalType.type], bits: [ex.getRaw()] };
    }
    if (!(ex instanceof Func)) throw new Fail(`no function export ${JSON.stringify(a.field)}`);
    const args = (a.args ?? []).map(argBits);
    const type = ex.type;
    return { types: type.results, bits: ex.invokeRaw(args, fuelForCall()) };
  };

  const load = (c: JsonCommand): Module => {
    if (!c.filename) throw new Fail("command without filename");
    const bytes = readFileSync(path.join(dir, c.filename));
    if (!opts.viaImage) return Module.load(engine, bytes);
    // Malformed or invalid modules fail here, in the compiling interpreter.
    const metering = opts.engine?.config?.fuelMetering;
    compiler ??= new Engine({ log: false, config: metering === undefined ? undefined : { fuelMetering: metering } });
    const m = Module.load(compiler, bytes);
    try {
      return Module.load(engine, m.image());
    } finally {
      m.drop();
    }
  };

  /** An assert_malformed or assert_invalid: the load must fail with the error the spec names. */
  const mustFailLoading = (c: JsonCommand, what: "malformed" | "invalid"): void => {
    let m: Module;
    try {
      m = load(c);
    } catch (e) {
      if (e instanceof WrtInternalError || e instanceof Fail) throw e;
      if (!(e instanceof WrtCodedError)) throw e;
      const wrong = rejectionMismatch(`${base}:${c.line}`, what, c.text ?? "", e);
      if (wrong) throw new Fail(wrong);
      return;
    }
    m.drop();
    throw new Fail(`module is not ${what} (expected "${c.text}")`);
  };

  /** A trap (assert_trap, assert_exhaustion, a trapping start function) must be the one the text names. */
  const checkTrap = (c: JsonCommand, e: WrtTrap): void => {
    const text = c.text ?? "";
    const codes = TRAP_CODES[baseText(text)];
    if (!codes) throw new Fail(`no trap code for the spec text "${text}" (spec-expect.ts TRAP_CODES), got ${errText(e)}`);
    if (!codes.includes(e.code)) throw new Fail(`expected trap "${text}" (code ${codes.join("/")}), got code ${e.code}: ${e.message}`);
    if (!sameText(e.message, text)) throw new Fail(`expected trap text "${text}", got "${e.message}" (code ${e.code})`);
  };

  /** An instantiation or link error: class, code and text as the spec names them. */
  const checkCoded = (c: JsonCommand, e: WrtCodedError, table: Record<string, readonly number[]>, what: string): void => {
    const text = c.text ?? "";
    const codes = table[baseText(text)];
    if (!codes) throw new Fail(`no ${what} code for the spec text "${text}" (spec-expect.ts), got ${errText(e)}`);
    if (!codes.includes(e.code)) throw new Fail(`expected ${what} "${text}" (code ${codes.join("/")}), got ${errText(e)} (code ${e.code})`);
    if (!sameText(e.message, text)) throw new Fail(`expected ${what} text "${text}", got "${e.message}"`);
  };

  const runCommand = (c: JsonCommand): void => {
    switch (c.type) {
      case "module": {
        current = null;
        const m = load(c);
        if (c.definition === "true") return;
        const inst = Instance.instantiate(m, importObject(), fuelForCall());
        current = inst;
        if (c.name) named.set(c.name, inst);
        return;
      }
      case "action":
        act(c.action!, c.expected);
        return;
      case "assert_return": {
        const { types, bits } = act(c.action!, c.either ?? c.expected);
        if (c.either) {
          if (bits.length !== 1) throw new Fail(`expected 1 result, got ${bits.length}`);
          if (!c.either.some((e) => valueMatches(e, bits[0]!))) {
            throw new Fail(`expected one of ${c.either.map(showExpected).join(", ")}, got ${showResult(types[0]!, bits[0]!)}`);
          }
          return;
        }
        const exp = c.expected ?? [];
        const ok = exp.length === bits.length && exp.every((e, i) => valueMatches(e, bits[i]!));
        if (!ok) {
          throw new Fail(
            `${c.action!.field}: expected [${exp.map(showExpected).join(" ")}], got [${bits.map((b, i) => showResult(types[i] ?? "?", b)).join(" ")}]`,
          );
        }
        return;
      }
      case "assert_trap":
      case "assert_exhaustion": {
        let results: bigint[];
        try {
          results = act(c.action!, c.expected).bits;
        } catch (e) {
          if (e instanceof WrtTrap) {
            checkTrap(c, e);
            return;
          }
          throw e;
        }
        throw new Fail(`${c.action!.field}: expected trap "${c.text}", returned [${results.join(" ")}]`);
      }
      case "assert_invalid":
        mustFailLoading(c, "invalid");
        return;
      case "assert_malformed":
        if (c.module_type === "text") throw new Skip("assert_malformed of a text module (WRT reads binaries only)");
        mustFailLoading(c, "malformed");
        return;
      case "assert_unlinkable":
      case "assert_uninstantiable": {
        const m = load(c);
        try {
          Instance.instantiate(m, importObject(), fuelForCall());
        } catch (e) {
          if (c.type === "assert_unlinkable") {
            if (!(e instanceof WrtLinkError)) throw e;
            checkCoded(c, e, LINK_CODES, "link error");
          } else if (e instanceof WrtTrap) {
            checkTrap(c, e);
          } else if (e instanceof WrtInstantiationError) {
            checkCoded(c, e, INSTANTIATION_CODES, "instantiation error");
          } else {
            throw e;
          }
          return;
        }
        throw new Fail(`instantiation succeeded (expected "${c.text}")`);
      }
      case "assert_exception":
        throw new Skip("assert_exception (exception handling is not implemented)");
      default:
        throw new Fail(`unknown command type ${JSON.stringify(c.type)}`);
    }
  };

  for (let i = 0; i < commands.length; i++) {
    const c = commands[i]!;
    if (c.type === "register") {
      const inst = c.name !== undefined ? named.get(c.name) : current;
      if (inst && c.as !== undefined) {
        registry.set(c.as, inst.exports);
      } else {
        res.failed++;
        res.failures.push(`line ${c.line}: register ${c.as}: no such module ${c.name ?? "(current)"}`);
      }
      continue;
    }
    try {
      runCommand(c);
      res.passed++;
    } catch (e) {
      if (e instanceof Skip) {
        res.skipped++;
        res.skips[e.message] = (res.skips[e.message] ?? 0) + 1;
        continue;
      }
      if (e instanceof WrtInternalError || engine.dead) {
        const rest = commands.slice(i).filter((x) => x.type !== "register").length;
        res.failed += rest;
        res.aborted = `interpreter aborted at line ${c.line} (${c.type}): ${errText(e)}; ${rest} commands counted as failed`;
        res.failures.push(`line ${c.line}: ${res.aborted}`);
        break;
      }
      res.failed++;
      const reason = e instanceof Fail ? e.message : errText(e);
      res.failures.push(`line ${c.line}: ${c.type}: ${reason}`);
    }
  }
  return res;
}

/** JSON files under the given files/directories (directories recursively, sorted). */
export function collectSpecFiles(inputs: string[], statSync: (p: string) => { isDirectory(): boolean }, readdir: (p: string) => string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    if (statSync(p).isDirectory()) {
      for (const e of readdir(p).sort()) {
        const q = path.join(p, e);
        if (statSync(q).isDirectory() || e.endsWith(".json")) walk(q);
      }
    } else {
      out.push(p);
    }
  };
  inputs.forEach(walk);
  return out;
}

export interface SpecTotals {
  passed: number;
  failed: number;
  skipped: number;
  files: FileResult[];
  /** Skipped commands by reason, over all files. */
  skips: Record<string, number>;
}

/** Runs the files, printing per-file lines and the final `spec:` line. */
export function runSpec(files: string[], opts: SpecOptions = {}): SpecTotals {
  const out = opts.out ?? ((l: string) => console.log(l));
  const limit = opts.verbose ? Infinity : opts.failLimit ?? 20;
  const totals: SpecTotals = { passed: 0, failed: 0, skipped: 0, files: [], skips: {} };
  resetMigrationStats();
  const started = performance.now();
  const root = files.length > 1 ? commonDir(files) : path.dirname(files[0] ?? ".");
  for (const f of files) {
    const display = path.relative(root, f).replace(/\.json$/, "") || path.basename(f);
    const r = runSpecFile(f, opts, display);
    totals.files.push(r);
    totals.passed += r.passed;
    totals.failed += r.failed;
    totals.skipped += r.skipped;
    out(`${r.name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
    if (r.aborted && !r.failures.some((x) => x.includes(r.aborted!))) out(`  ${r.aborted}`);
    r.failures.slice(0, limit).forEach((x) => out(`  ${x}`));
    if (r.failures.length > limit) out(`  ... ${r.failures.length - limit} more failures (use --verbose)`);
    if (opts.verbose) r.notes.forEach((x) => out(`  note: ${x}`));
    else if (r.notes.length && r.notes[0]!.startsWith("spectest")) out(`  note: ${r.notes[0]}`);
    for (const [why, n] of Object.entries(r.skips)) totals.skips[why] = (totals.skips[why] ?? 0) + n;
  }
  if (files.length === 0) {
    totals.failed++;
    out("no spec command files (.json) found: nothing was tested");
  }
  const reasons = Object.entries(totals.skips).sort((a, b) => b[1] - a[1]);
  if (reasons.length) out("skipped by reason:");
  for (const [why, n] of reasons) out(`  ${String(n).padStart(6)}  ${why}`);
  if (opts.snapshotEverySlice) {
    const s = migrationStats;
    const mib = (b: number): string => (b / 1048576).toFixed(1);
    out(
      `snapshots: ${s.count} taken and restored into fresh interpreters, ${mib(s.bytes)} MiB in all, ` +
        `largest ${s.maxBytes} bytes, mean ${s.count ? Math.round(s.bytes / s.count) : 0} bytes; ` +
        `time ${(s.snapshotMs / 1000).toFixed(1)} s snapshot, ${(s.freshMs / 1000).toFixed(1)} s fresh interpreter + module loads, ` +
        `${(s.restoreMs / 1000).toFixed(1)} s restore; run ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  out(`spec: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  return totals;
}

function commonDir(files: string[]): string {
  const parts = files.map((f) => path.dirname(path.resolve(f)).split(path.sep));
  const first = parts[0]!;
  let n = first.length;
  for (const p of parts) {
    let k = 0;
    while (k < n && k < p.length && p[k] === first[k]) k++;
    n = k;
  }
  return first.slice(0, n).join(path.sep) || path.sep;
}
