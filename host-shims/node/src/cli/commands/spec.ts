// wrt spec: run Wasm spec test files (wast2json output) through the spec runner (spec.ts).

import { readdirSync, statSync } from "node:fs";
import { collectSpecFiles, runSpec, type SpecOptions } from "../../spec.js";
import { ensureNativeEngine } from "../native-build.js";
import type { CommandInput, CommandSpec } from "../command.js";
import { Exit, UsageError } from "../exit-codes.js";
import { out, Progress } from "../io.js";
import { parsePositive } from "./common.js";
import { componentCommand } from "./component.js";

/** A directory of `.wast` scripts with no wast2json `.json` in it (the Component Model's
 *  reference tests): those run through the component runner (`wrt component spec`). */
function isComponentSuite(p: string): boolean {
  let wast = false;
  const walk = (d: string): boolean => {
    for (const e of readdirSync(d)) {
      const q = `${d}/${e}`;
      if (statSync(q).isDirectory()) { if (!walk(q)) return false; }
      else if (e.endsWith(".json")) return false;
      else if (e.endsWith(".wast")) wast = true;
    }
    return true;
  };
  try { return statSync(p).isDirectory() && walk(p) && wast; } catch { return false; }
}

export const specCommand: CommandSpec = {
  name: "spec",
  summary: "run Wasm spec tests (wast2json .json files or directories of them; a directory of component .wast scripts runs the component runner)",
  description: [
    "Runs spec test scripts converted by wast2json and prints, per file and in all,",
    "`N passed, M failed, K skipped`. The fuel-slice options cut every call into",
    "slices and resume it (also snapshotted into a fresh interpreter at every slice).",
  ].join(" "),
  arguments: [{ name: "inputs", description: ".json files or directories", variadic: true }],
  options: [
    { flags: "--fuel-slice <n>", description: "cut every call into fuel slices: N, random or spread",
      parse: (v) => (v === "random" || v === "spread" ? v : parsePositive("--fuel-slice")(v)) },
    { flags: "--snapshot-every-slice", description: "with --fuel-slice: snapshot and restore into a fresh interpreter at every slice" },
    { flags: "--seed <n>", description: "seed of the random slices (default: a random one, printed)",
      parse: (v) => { if (!/^\d+$/.test(v)) throw new UsageError("--seed needs a non-negative integer"); return Number(BigInt(v) & 0xffffffffn); } },
    { flags: "--engine <engine>", description: "node or native", choices: ["node", "native"] },
    { flags: "-v, --verbose", description: "print every command" },
    { flags: "--timeout <ms>", description: "per-call wall-clock limit", parse: parsePositive("--timeout") },
    { flags: "--wasm <path>", description: "another interpreter build (e.g. build/wrt.debug.wasm)" },
    { flags: "--via-image", description: "load every module as a precompiled image (the device build with --wasm build/wrt-device.wasm)" },
  ],
  exitCodes: [Exit.ok, Exit.failure, Exit.internal, Exit.usage],
  exitNotes: ["1 also when any test failed"],
  examples: ["wrt spec ../shared/testsuite/core", "wrt spec --fuel-slice random --seed 7 tests/x.json"],
  action: ({ args, opts, argv }: CommandInput): number | Promise<number> => {
    const inputs = (args["inputs"] as string[] | undefined) ?? [];
    if (inputs.length === 1 && isComponentSuite(inputs[0]!)) {
      const forwarded = ["spec", inputs[0]!, ...(opts["verbose"] ? ["-v"] : [])];
      return componentCommand.action!({ args: { args: forwarded }, opts: {}, argv });
    }
    const o: SpecOptions = {};
    if (opts["fuelSlice"] !== undefined) o.fuelSlice = opts["fuelSlice"] as SpecOptions["fuelSlice"];
    if (opts["snapshotEverySlice"]) o.snapshotEverySlice = true;
    if (opts["seed"] !== undefined) o.seed = opts["seed"] as number;
    if (opts["engine"] !== undefined) o.engine = { ...o.engine, engine: opts["engine"] as "node" | "native" };
    if (opts["wasm"] !== undefined) o.engine = { ...o.engine, wasmPath: opts["wasm"] as string };
    if (opts["verbose"]) o.verbose = true;
    if (opts["viaImage"]) o.viaImage = true;
    if (o.viaImage) o.engine = { ...o.engine, allowImages: true }; // images are what it tests
    if (opts["timeout"] !== undefined) o.timeoutMs = opts["timeout"] as number;
    if (o.snapshotEverySlice && o.fuelSlice === undefined) throw new UsageError("--snapshot-every-slice needs --fuel-slice");
    if (o.fuelSlice === "random" || o.fuelSlice === "spread") {
      o.seed ??= Math.floor(Math.random() * 0x100000000);
      out(`seed: ${o.seed}`);
    }
    if (o.engine?.engine === "native") ensureNativeEngine();
    const files = collectSpecFiles(inputs, statSync, (p) => readdirSync(p));
    // a progress line (terminal only) between the per-file lines: "wrt: spec: 12/150 files"
    const progress = new Progress();
    let done = 0;
    o.out = (line: string): void => {
      progress.done();
      out(line);
      if (/^[^:]+: \d+ passed, \d+ failed/.test(line) && !line.startsWith("spec:")) done++;
      progress.update(() => `wrt: spec: ${done}/${files.length} files`);
    };
    const totals = runSpec(files, o);
    progress.done();
    return totals.failed > 0 ? Exit.failure : Exit.ok;
  },
};
