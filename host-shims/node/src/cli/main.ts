// wrt: command-line front end of the Node embedding.
//
//   wrt run <module.wasm> [--invoke NAME [args...]] [--fuel N]
//   wrt resume <s.bin> [--fuel M] [--snapshot-out s2.bin] [--engine node|native]
//   wrt validate <module.wasm>
//   wrt lockstep <module.wasm> --invoke NAME [args...] [--every N]
//   wrt spec [--fuel-slice N|random|spread [--snapshot-every-slice]] [--seed S] [--engine node|native] [--verbose] [--timeout MS] [--v128] [--wasm PATH] <file.json|dir>...
//
// --wasm PATH uses another interpreter build (e.g. build/wrt.debug.wasm).
//
// Exit status: 0 ok; 1 trap, invalid module, error or failed spec tests;
// 2 out of fuel (run/resume --fuel); 3 interpreter fault; 64 usage.
//
// run --fuel N --snapshot-out s.bin: when the call runs out of fuel, writes
// the CLI container (the module bytes and a snapshot, docs/snapshot-format.md)
// that `wrt resume` continues from.
//
// run --log-level LEVEL --log-backend stderr|syslog|ring: wasi:logging of the
// guest (docs/wasi-logging.md); `wasi:logging/logging` `log` is bound by
// itself. ring: the records are printed to stderr after the run, then the
// dropped count. syslog: --syslog-socket PATH (default /dev/log),
// --syslog-facility NAME (default user), --syslog-format rfc3164|rfc5424,
// --syslog-tag TAG (default wrt). --log-ring-bytes N sizes the ring.

import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { CONTAINER_SPECTEST, readContainer, writeContainer } from "../api/container.js";
import { Engine } from "../api/engine.js";
import { WrtCodedError, WrtDecodeError, WrtImageError, WrtInternalError, WrtLinkError, WrtTrap } from "../api/errors.js";
import { Func } from "../api/externs.js";
import { Instance } from "../api/instance.js";
import { Module } from "../api/module.js";
import { UNBOUNDED_FUEL, WrtOutOfFuel } from "../api/run.js";
import { formatTyped, parseTyped } from "../api/values.js";
import { collectSpecFiles, runSpec, SpecOptions } from "../spec.js";
import { createSpectest } from "../spectest.js";
import { lockstep } from "../tools/lockstep.js";
import { cliLogSetup, parseCliLogOption, type CliLogOptions } from "./log-options.js";

const USAGE = `usage:
  wrt run <module.wasm> [--invoke NAME [args...]] [--fuel N [--snapshot-out s.bin]] [--engine node|native]
          [--log-level LEVEL] [--log-backend stderr|syslog|ring] [--log-ring-bytes N]
          [--syslog-socket PATH] [--syslog-facility F] [--syslog-format rfc3164|rfc5424] [--syslog-tag T]
  wrt resume <s.bin> [--fuel M] [--snapshot-out s2.bin] [--engine node|native]
  wrt validate <module.wasm>
  wrt lockstep <module.wasm> --invoke NAME [args...] [--every N]
  wrt spec [--fuel-slice N|random|spread [--snapshot-every-slice]] [--seed S] [--engine node|native] [--verbose] [--timeout MS] [--v128] [--wasm PATH] [--via-image] <file.json|dir>...
  wrt compile <module.wasm> -o <module.wrti> [--no-fuel-metering]`;

class UsageError extends Error {}

function out(line: string): void {
  process.stdout.write(line + "\n");
}
function err(line: string): void {
  process.stderr.write(line + "\n");
}

function readModuleFile(file: string | undefined): Uint8Array {
  if (!file) throw new UsageError("missing module file");
  return readFileSync(file);
}

function describeLoadError(e: WrtCodedError): string {
  const kind = e instanceof WrtDecodeError ? "malformed" : e instanceof WrtImageError ? "refused image" : "invalid";
  return `${kind}: ${e.message} (byte offset ${e.offset})`;
}

/** Loads a module; a malformed or invalid one is reported through `print` (null). */
function loadReporting(engine: Engine, bytes: Uint8Array, print: (line: string) => void): Module | null {
  try {
    return Module.load(engine, bytes);
  } catch (e) {
    if (e instanceof WrtCodedError) {
      print(describeLoadError(e));
      return null;
    }
    throw e;
  }
}

/** `--engine node|native`: which build of the interpreter runs (EngineOptions.engine). */
function parseEngine(v: string | undefined): "node" | "native" {
  if (v !== "node" && v !== "native") throw new UsageError(`unknown engine ${v} (node or native)`);
  return v;
}

function cmdValidate(args: string[]): number {
  const bytes = readModuleFile(args[0]);
  const engine = new Engine();
  const r = Module.validate(engine, bytes);
  if (r.valid) {
    out("valid");
    return 0;
  }
  out(describeLoadError(r.error));
  return 1;
}

/** `wrt compile`: the precompiled image for a device build (docs/image-format.md). */
function cmdCompile(args: string[]): number {
  let file: string | undefined;
  let outFile: string | undefined;
  let metering = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-o") {
      outFile = args[++i];
      if (outFile === undefined) throw new UsageError("-o needs a file");
    } else if (a === "--no-fuel-metering") metering = false;
    else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else if (file === undefined) file = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  if (!outFile) throw new UsageError("missing -o <module.wrti>");
  const bytes = readModuleFile(file);
  const m = loadReporting(new Engine({ config: { fuelMetering: metering ? 1 : 0 } }), bytes, out);
  if (!m) return 1;
  const image = m.image();
  writeFileSync(outFile, image);
  out(`${outFile}: ${image.length} bytes (module ${bytes.length} bytes, fuel metering ${metering ? "on" : "off"})`);
  return 0;
}

/** The options `run` and `resume` share: fuel, a snapshot on running out, the engine. */
interface CallOptions {
  fuel?: bigint;
  snapshotOut?: string;
  engineName: "node" | "native";
}

/** Parses one of the CallOptions at args[i]; returns how many words it took (0: not one of them). */
function parseCallOption(args: string[], i: number, o: CallOptions): number {
  const a = args[i]!;
  if (a === "--fuel") {
    const v = args[i + 1];
    if (v === undefined || !/^\d+$/.test(v)) throw new UsageError("--fuel needs a non-negative integer");
    o.fuel = BigInt(v);
    return 2;
  }
  if (a === "--snapshot-out") {
    o.snapshotOut = args[i + 1];
    if (o.snapshotOut === undefined) throw new UsageError("--snapshot-out needs a file");
    return 2;
  }
  if (a === "--engine") {
    o.engineName = parseEngine(args[i + 1]);
    return 2;
  }
  return 0;
}

function cmdRun(args: string[]): number {
  let file: string | undefined;
  let invoke: string | undefined;
  const o: CallOptions = { engineName: "node" };
  const callArgs: string[] = [];
  const logOpts: CliLogOptions = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const took = usage(() => parseCliLogOption(args, i, logOpts)) || parseCallOption(args, i, o);
    if (took > 0) {
      i += took - 1;
    } else if (a === "--invoke") {
      invoke = args[++i];
      if (invoke === undefined) throw new UsageError("--invoke needs a name");
      // Everything up to the next option is an argument (negative numbers allowed).
      while (i + 1 < args.length && !/^--[a-z]/.test(args[i + 1]!)) callArgs.push(args[++i]!);
    } else if (a.startsWith("--")) {
      throw new UsageError(`unknown option ${a}`);
    } else if (file === undefined) {
      file = a;
    } else {
      callArgs.push(a);
    }
  }
  const { fuel, snapshotOut, engineName } = o;
  if (snapshotOut !== undefined && fuel === undefined) throw new UsageError("--snapshot-out needs --fuel");
  const bytes = readModuleFile(file);
  let logging: ReturnType<typeof cliLogSetup>;
  try {
    logging = usage(() => cliLogSetup(logOpts));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    err(`wrt: ${(e as Error).message}`); // e.g. no syslog socket
    return 1;
  }
  const engine = new Engine({ ...logging.engineOptions, engine: engineName });
  afterCommand = () => logging.finish(engine, err);
  const module = loadReporting(engine, bytes, err);
  if (!module) return 1;
  const spectest = module.imports().some((d) => d.module === "spectest");
  const imports = spectest ? { spectest: createSpectest(engine, out) } : {};
  const inst = Instance.instantiate(module, imports);
  if (invoke === undefined) return 0;
  const f = inst.exports[invoke];
  if (!(f instanceof Func)) throw new UsageError(`no exported function ${JSON.stringify(invoke)}`);
  const type = f.type;
  if (callArgs.length !== type.params.length) {
    throw new UsageError(`${invoke} takes ${type.params.length} arguments (${type.params.join(" ")}), got ${callArgs.length}`);
  }
  const bits = type.params.map((t, i) => parseTyped(t, callArgs[i]!));
  let results: bigint[];
  if (fuel === undefined) {
    results = f.invokeRaw(bits);
  } else {
    const r = f.callRaw(bits, fuel);
    if (!r.done) {
      if (snapshotOut !== undefined) {
        writeSnapshotFile(snapshotOut, engine.snapshot(), [bytes], spectest ? CONTAINER_SPECTEST : 0);
      }
      r.abandon();
      out("out of fuel");
      return 2;
    }
    results = r.results;
  }
  results.forEach((b, i) => out(formatTyped(type.results[i]!, b)));
  return 0;
}

function writeSnapshotFile(file: string, snapshot: Uint8Array, modules: Uint8Array[], flags: number): void {
  const c = writeContainer({ flags, modules, snapshot });
  writeFileSync(file, c);
  err(`snapshot: ${file} (${c.length} bytes, snapshot ${snapshot.length} bytes)`);
}

/** wrt resume: the modules of the container, then its snapshot, then on with the call. */
function cmdResume(args: string[]): number {
  let file: string | undefined;
  const o: CallOptions = { engineName: "node" };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const took = parseCallOption(args, i, o);
    if (took > 0) {
      i += took - 1;
    } else if (a.startsWith("--")) {
      throw new UsageError(`unknown option ${a}`);
    } else if (file === undefined) {
      file = a;
    } else {
      throw new UsageError(`unexpected argument ${a}`);
    }
  }
  if (file === undefined) throw new UsageError("missing snapshot file");
  const { fuel, snapshotOut, engineName } = o;
  if (snapshotOut !== undefined && fuel === undefined) throw new UsageError("--snapshot-out needs --fuel");
  const c = readContainer(readFileSync(file));
  const engine = new Engine({ engine: engineName });
  for (const m of c.modules) Module.load(engine, m);
  // Host functions are re-bound by id: creating spectest again gives its print functions the ids they had.
  if (c.flags & CONTAINER_SPECTEST) createSpectest(engine, out);
  const state = engine.restore(c.snapshot, { raw: true });
  if (state.call === null) {
    err("wrt: the snapshot holds no call in progress");
    return 0;
  }
  const r = state.call.resume(fuel ?? UNBOUNDED_FUEL);
  if (!r.done) {
    if (snapshotOut !== undefined) writeSnapshotFile(snapshotOut, engine.snapshot(), c.modules, c.flags);
    r.abandon();
    out("out of fuel");
    return 2;
  }
  const types = state.callType!.results;
  (r.results as bigint[]).forEach((b, i) => out(formatTyped(types[i]!, b)));
  return 0;
}

function cmdSpec(args: string[]): number {
  const opts: SpecOptions = {};
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === "--fuel-slice") {
      const v = value();
      if (v === "random" || v === "spread") opts.fuelSlice = v;
      else if (/^\d+$/.test(v) && Number(v) > 0) opts.fuelSlice = Number(v);
      else throw new UsageError("--fuel-slice needs a positive integer, 'random' or 'spread'");
    } else if (a === "--seed") {
      const v = value();
      if (!/^\d+$/.test(v)) throw new UsageError("--seed needs a non-negative integer");
      opts.seed = Number(BigInt(v) & 0xffffffffn);
    } else if (a === "--engine") {
      opts.engine = { ...opts.engine, engine: parseEngine(value()) };
    } else if (a === "--verbose" || a === "-v") {
      opts.verbose = true;
    } else if (a === "--v128") {
      opts.v128 = true;
    } else if (a === "--snapshot-every-slice") {
      opts.snapshotEverySlice = true;
    } else if (a === "--wasm") {
      opts.engine = { ...opts.engine, wasmPath: value() };
    } else if (a === "--via-image") {
      opts.viaImage = true;
    } else if (a === "--timeout") {
      opts.timeoutMs = Number(value());
    } else if (a.startsWith("--")) {
      throw new UsageError(`unknown option ${a}`);
    } else {
      inputs.push(a);
    }
  }
  if (inputs.length === 0) throw new UsageError("no spec files given");
  if (opts.snapshotEverySlice && opts.fuelSlice === undefined) throw new UsageError("--snapshot-every-slice needs --fuel-slice");
  if (opts.fuelSlice === "random" || opts.fuelSlice === "spread") {
    opts.seed ??= Math.floor(Math.random() * 0x100000000);
    out(`seed: ${opts.seed}`);
  }
  const files = collectSpecFiles(inputs, statSync, (p) => readdirSync(p));
  const totals = runSpec(files, opts);
  return totals.failed > 0 ? 1 : 0;
}

/** Turns a RangeError of option parsing into a usage error. */
function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

/** Runs after the command, also when it failed (run: print the log ring, close syslog). */
let afterCommand: (() => void) | null = null;

export function main(argv: string[]): number {
  const [cmd, ...rest] = argv;
  try {
    return mainCommand(cmd, rest);
  } finally {
    afterCommand?.();
  }
}

/**
 * wrt lockstep <module.wasm> --invoke NAME [args...] --every N: the call on
 * the Node and native engines side by side, whole state compared every N
 * units of fuel (lockstep.ts). Exit 0 if they agree to the end, 1 if not.
 */
function cmdLockstep(args: string[]): number {
  let file: string | undefined;
  let invoke: string | undefined;
  let every = 10_000;
  const callArgs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--invoke") invoke = args[++i];
    else if (a === "--every") {
      const v = args[++i];
      if (v === undefined || !/^[1-9]\d*$/.test(v)) throw new UsageError("--every needs a positive integer");
      every = Number(v);
    } else if (a.startsWith("--")) throw new UsageError(`unknown option ${a}`);
    else if (file === undefined) file = a;
    else callArgs.push(a);
  }
  if (file === undefined || invoke === undefined) throw new UsageError("lockstep needs a module and --invoke NAME");
  const bytes = readModuleFile(file);
  // the parameter types, from a throwaway Node engine
  const probe = Instance.instantiate(Module.load(new Engine({ log: false }), bytes), {});
  const f = probe.exports[invoke];
  if (!(f instanceof Func)) throw new UsageError(`no exported function ${JSON.stringify(invoke)}`);
  if (callArgs.length !== f.type.params.length) {
    throw new UsageError(`${invoke} takes ${f.type.params.length} arguments (${f.type.params.join(" ")}), got ${callArgs.length}`);
  }
  const bits = f.type.params.map((t, i) => parseTyped(t, callArgs[i]!));
  const r = lockstep(bytes, invoke, bits, every);
  err(`lockstep: ${r.steps} steps of ${every} fuel, ${r.fuel} fuel in all`);
  if (r.status === "diverged") {
    const d = r.divergence!;
    out(`diverged after ${d.fuel} fuel: ${d.part}: ${d.detail}`);
    out(`  node:   ${d.positions[0]}`);
    out(`  native: ${d.positions[1]}`);
    return 1;
  }
  if (r.status === "trap") {
    out(`both engines trapped: ${r.trap}`);
    return 0;
  }
  r.results.forEach((bits, i) => out(formatTyped(f.type.results[i]!, bits)));
  return 0;
}

function mainCommand(cmd: string | undefined, rest: string[]): number {
  try {
    switch (cmd) {
      case "run":
        return cmdRun(rest);
      case "validate":
        return cmdValidate(rest);
      case "compile":
        return cmdCompile(rest);
      case "resume":
        return cmdResume(rest);
      case "spec":
        return cmdSpec(rest);
      case "lockstep":
        return cmdLockstep(rest);
      case "-h":
      case "--help":
      case "help":
        out(USAGE);
        return 0;
      default:
        throw new UsageError(cmd === undefined ? "missing command" : `unknown command ${cmd}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`wrt: ${e.message}`);
      err(USAGE);
      return 64;
    }
    if (e instanceof WrtTrap) {
      err(`trap: ${e.message}`);
      return 1;
    }
    if (e instanceof WrtOutOfFuel) {
      out("out of fuel");
      return 2;
    }
    if (e instanceof WrtInternalError) {
      err(`wrt: internal error: ${e.message}`);
      return 3;
    }
    if (e instanceof WrtLinkError || e instanceof WrtCodedError) {
      err(`wrt: ${e.message}`);
      return 1;
    }
    if (e instanceof Error && (e as NodeJS.ErrnoException).code === "ENOENT") {
      err(`wrt: ${e.message}`);
      return 1;
    }
    if (e instanceof TypeError || e instanceof RangeError) {
      err(`wrt: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

