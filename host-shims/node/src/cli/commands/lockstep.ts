// wrt lockstep: one call on the Node and native engines side by side, the
// whole state compared every N units of fuel (tools/lockstep.ts).

import { Engine } from "../../api/engine.js";
import { Instance } from "../../api/instance.js";
import { lockstep } from "../../tools/lockstep.js";
import { ensureNativeEngine } from "../native-build.js";
import type { CommandInput, CommandSpec } from "../command.js";
import { Exit, UsageError } from "../exit-codes.js";
import { err, out, readInputFile } from "../io.js";
import { callArgs, exportedFunc, formatResult, loadModule, parsePositive, RESULTS_OPTION, type ResultStyle } from "./common.js";
import { fromSlots, toSlots } from "../../api/values.js";

export const lockstepCommand: CommandSpec = {
  name: "lockstep",
  summary: "run a call on the Node and native engines side by side, comparing their whole state",
  description: [
    "Runs the call on both engines in steps of --every fuel and compares the whole",
    "interpreter state (stacks, frames, memories, tables, globals, fuel) after each",
    "step. Needs build/wrt-native (npm run build:native) and a module without imports.",
  ].join(" "),
  arguments: [
    { name: "module", description: "the .wasm module (no imports)" },
    { name: "args", description: "arguments of the invoked function", optional: true, variadic: true },
  ],
  options: [
    { flags: "--invoke <name>", description: "the exported function to call (required)" },
    { flags: "--every <n>", description: "fuel between comparisons", default: "10000", parse: parsePositive("--every") },
    RESULTS_OPTION,
  ],
  dashValues: true,
  exitCodes: [Exit.ok, Exit.failure, Exit.internal, Exit.usage],
  exitNotes: ["1 also when the engines diverge"],
  examples: ["wrt lockstep examples/hello.wasm --invoke fib 25 --every 1000"],
  action: ({ args, opts }: CommandInput): number => {
    const file = args["module"] as string;
    const invoke = opts["invoke"] as string | undefined;
    if (invoke === undefined) throw new UsageError("lockstep needs --invoke NAME");
    const every = typeof opts["every"] === "number" ? opts["every"] : Number(opts["every"]);
    ensureNativeEngine();
    const bytes = readInputFile(file, "module");
    // the parameter types, from a throwaway Node engine
    const probe = Instance.instantiate(loadModule(new Engine({ log: false }), bytes, file), {});
    const f = exportedFunc(probe, invoke, file);
    const bits = callArgs(f, invoke, (args["args"] as string[] | undefined) ?? []);
    const r = lockstep(bytes, invoke, toSlots(f.type.params, bits), every); // the raw ABI takes slots (a v128: two)
    err(`lockstep: ${r.steps} steps of ${every} fuel, ${r.fuel} fuel in all`);
    if (r.status === "diverged") {
      const d = r.divergence!;
      out(`diverged after ${d.fuel} fuel: ${d.part}: ${d.detail}`);
      out(`  node:   ${d.positions[0]}`);
      out(`  native: ${d.positions[1]}`);
      return Exit.failure;
    }
    if (r.status === "trap") {
      out(`both engines trapped: ${r.trap}`);
      return Exit.ok;
    }
    fromSlots(f.type.results, r.results).forEach((b, i) => out(formatResult(f.type.results[i]!, b, opts["results"] as ResultStyle)));
    return Exit.ok;
  },
};
