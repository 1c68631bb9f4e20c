// wrt validate: decode and validate a module; `valid`, or the first error.

import { Engine } from "../../api/engine.js";
import { Module } from "../../api/module.js";
import type { CommandInput, CommandSpec } from "../command.js";
import { Exit } from "../exit-codes.js";
import { out, readInputFile } from "../io.js";
import { FEATURE_OPTIONS, featureConfig, loadErrorText } from "./common.js";

export const validateCommand: CommandSpec = {
  name: "validate",
  summary: "check that a module decodes and validates",
  description: "Decodes and validates a module without running it. Prints `valid`, or the first error with its byte offset.",
  arguments: [{ name: "module", description: "the .wasm module" }],
  options: [...FEATURE_OPTIONS],
  exitCodes: [Exit.ok, Exit.failure, Exit.usage],
  examples: ["wrt validate examples/hello.wasm      # valid"],
  action: ({ args, opts }: CommandInput): number => {
    const file = args["module"] as string;
    const bytes = readInputFile(file, "module");
    const r = Module.validate(new Engine({ config: featureConfig(opts) }), bytes);
    if (r.valid) {
      out("valid");
      return Exit.ok;
    }
    out(`${file}: ${loadErrorText(r.error)}`);
    return Exit.failure;
  },
};
