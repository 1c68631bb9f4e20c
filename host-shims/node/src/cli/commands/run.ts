// wrt run: load a module, link its imports, run `--invoke NAME args...` or
// the WASI command's `_start`, print results as TYPE:VALUE lines.

import { CONTAINER_SPECTEST, writeContainer } from "../../api/container.js";
import { Engine } from "../../api/engine.js";
import { WrtTrap } from "../../api/errors.js";
import { Instance } from "../../api/instance.js";
import { link, setupFor, type HostSetup } from "../link.js";
import { ensureNativeEngine } from "../native-build.js";
import type { CommandInput, CommandSpec } from "../command.js";
import { Exit, UsageError } from "../exit-codes.js";
import { err, out, Progress, readInputFile, writeOutputFile } from "../io.js";
import { exitFor } from "../program.js";
import { cliLogSetup, LOG_OPTIONS, logOptionsFrom } from "../log-options.js";
import { runCall } from "./call-loop.js";
import {
  ALLOW_IMAGES_OPTION, REQUIRE_SIGNATURE_OPTION, requiredKeys, callArgs, ENGINE_OPTION, exportedFunc, FEATURE_OPTIONS, featureConfig, formatResult, FUEL_OPTION, loadModule, RESULTS_OPTION, type ResultStyle,
} from "./common.js";

export const runCommand: CommandSpec = {
  name: "run",
  summary: "run a WebAssembly module: a WASI command's _start, or an exported function",
  description: [
    "Loads a module (.wasm, or a precompiled .wrti image), links its imports and runs it.",
    "With --invoke NAME, calls that export with the arguments given after the module",
    "(i32/i64 as decimal or 0x hex, f32/f64 as decimal, nan or inf) and prints each result",
    "as TYPE:VALUE. Without --invoke, runs the exported function _start (a WASI command);",
    "a module without _start is only instantiated. Arguments that start with - go after --.",
  ].join(" "),
  arguments: [
    { name: "module", description: "the .wasm module or .wrti image" },
    { name: "args", description: "arguments of the invoked function", optional: true, variadic: true },
  ],
  options: [
    { flags: "--invoke <name>", description: "the exported function to call (default: _start)" },
    { flags: "--dir <host[::guest]>", description: "WASI: preopen a host directory, as the guest path (default: the same path); repeatable",
      parse: (v: string, prev: unknown) => {
        const [host, guest] = v.split("::");
        if (!host) throw new UsageError("--dir needs a directory");
        return { ...(prev as Record<string, string> | undefined), [guest ?? host]: host };
      } },
    { flags: "--env <name=value>", description: "WASI: an environment variable for the guest; repeatable",
      parse: (v: string, prev: unknown) => {
        if (!/^[^=]+=/.test(v)) throw new UsageError("--env takes NAME=VALUE");
        return [...((prev as string[] | undefined) ?? []), v];
      } },
    { flags: "--unknown-imports <mode>", description: "imports nobody supplies: error (refuse the module, naming them all) or trap (link function imports to a stub that traps when called)",
      choices: ["error", "trap"], default: "error" },
    FUEL_OPTION,
    { flags: "--snapshot-out <file>", description: "with --fuel: when the fuel runs out, save the state there (`wrt resume` continues it)" },
    ENGINE_OPTION,
    ALLOW_IMAGES_OPTION,
    REQUIRE_SIGNATURE_OPTION,
    ...FEATURE_OPTIONS,
    RESULTS_OPTION,
    ...LOG_OPTIONS,
  ],
  dashValues: true,
  exitCodes: [Exit.ok, Exit.failure, Exit.outOfFuel, Exit.internal, Exit.usage],
  examples: [
    "wrt run examples/hello.wasm --invoke fib 20          # i32:6765",
    "wrt run examples/hello.wasm --invoke fib 25 --fuel 5000 --snapshot-out s.bin",
  ],
  action: runAction,
};

function runAction({ args, opts }: CommandInput): number {
  const file = args["module"] as string;
  const rest = (args["args"] as string[] | undefined) ?? [];
  const fuel = opts["fuel"] as bigint | undefined;
  const snapshotOut = opts["snapshotOut"] as string | undefined;
  const style = opts["results"] as ResultStyle;
  const invoke = opts["invoke"] as string | undefined;
  if (snapshotOut !== undefined && fuel === undefined) throw new UsageError("--snapshot-out needs --fuel");
  if (opts["engine"] === "native") ensureNativeEngine();
  const bytes = readInputFile(file, "module");
  const logging = cliLogSetup(logOptionsFrom(opts));
  const requireSignature = requiredKeys(opts);
  const engine = new Engine({ ...logging.engineOptions, engine: opts["engine"] as "node" | "native", allowImages: opts["allowImages"] === true,
    ...(requireSignature ? { requireSignature } : {}), config: { ...logging.engineOptions.config, ...featureConfig(opts) } });
  try {
    const module = loadModule(engine, bytes, file);
    const setup = setupFor(module, {
      args: [file, ...(invoke === undefined ? rest : [])],
      env: (opts["env"] as string[] | undefined) ?? [],
      preopens: (opts["dir"] as Record<string, string> | undefined) ?? {},
      unknownImports: opts["unknownImports"] as string,
    });
    const progress = new Progress();
    const linked = link(engine, module, setup, progress);
    const inst = Instance.instantiate(module, linked.imports);
    linked.bind(inst);
    const name = invoke ?? "_start";
    if (invoke === undefined && inst.exports["_start"] === undefined) {
      if (rest.length > 0) throw new UsageError(`${file} has no _start: name the function to call with --invoke NAME`);
      const funcs = module.exports().filter((e) => e.kind === "func").map((e) => e.name);
      err(`wrt: ${file}: instantiated; it has no _start to run (exported functions: ${funcs.join(", ") || "none"}; call one with --invoke NAME)`);
      return Exit.ok;
    }
    const f = exportedFunc(inst, name, file);
    const bits = callArgs(f, name, invoke === undefined ? [] : rest);
    let r;
    try {
      r = runCall(f, bits, fuel ?? null, progress, `running ${name}`);
    } catch (e) {
      if (e instanceof WrtTrap && linked.wasi?.exitCode != null) return linked.wasi.exitCode; // proc_exit
      throw e;
    } finally {
      linked.wasi?.close();
    }
    if (!r.done) {
      if (snapshotOut !== undefined) writeSnapshotFile(snapshotOut, engine.snapshot(), [bytes], setup);
      r.suspended.abandon();
      out("out of fuel");
      return Exit.outOfFuel;
    }
    r.results.forEach((b, i) => out(formatResult(f.type.results[i]!, b, style)));
    return Exit.ok;
  } catch (e) {
    return exitFor(e); // reported before the log ring's records are printed
  } finally {
    logging.finish(engine, err);
  }
}

/** Writes the CLI container (modules + snapshot) that `wrt resume` reads. */
export function writeSnapshotFile(file: string, snapshot: Uint8Array, modules: Uint8Array[], host: HostSetup): void {
  // version 1 (no host description) unless something beyond spectest was linked: boards read version 1
  const described = host.wasi !== undefined || host.asEnv !== undefined || host.unknownImports !== undefined;
  const c = writeContainer({ flags: host.spectest ? CONTAINER_SPECTEST : 0, host: described ? host : null, modules, snapshot });
  writeOutputFile(file, c, "snapshot");
  err(`snapshot: ${file} (${c.length} bytes, snapshot ${snapshot.length} bytes)`);
}
