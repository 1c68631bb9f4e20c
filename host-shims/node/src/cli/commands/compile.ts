// wrt compile: the precompiled image a device build loads (docs/image-format.md).

import { Engine } from "../../api/engine.js";
import type { CommandInput, CommandSpec } from "../command.js";
import { Exit, UsageError } from "../exit-codes.js";
import { out, readInputFile, writeOutputFile } from "../io.js";
import { loadModule } from "./common.js";

export const compileCommand: CommandSpec = {
  name: "compile",
  summary: "precompile a module into the image a device build loads (.wrti)",
  description: [
    "Validates and compiles a module on the host and writes the precompiled image",
    "that the device build of the interpreter (no validator or compiler) loads.",
  ].join(" "),
  arguments: [{ name: "module", description: "the .wasm module" }],
  options: [
    { flags: "-o, --output <file>", description: "the image file to write (required)" },
    { flags: "--no-fuel-metering", description: "compile without fuel checks (runs never stop for fuel)" },
  ],
  exitCodes: [Exit.ok, Exit.failure, Exit.usage],
  examples: ["wrt compile guest.wasm -o /tmp/guest.wrti"],
  action: ({ args, opts }: CommandInput): number => {
    const file = args["module"] as string;
    const outFile = opts["output"] as string | undefined;
    const metering = opts["fuelMetering"] !== false;
    if (outFile === undefined) throw new UsageError("missing -o <file.wrti>");
    const bytes = readInputFile(file, "module");
    const m = loadModule(new Engine({ config: { fuelMetering: metering ? 1 : 0 } }), bytes, file);
    const image = m.image();
    writeOutputFile(outFile, image, "image");
    out(`${outFile}: ${image.length} bytes (module ${bytes.length} bytes, fuel metering ${metering ? "on" : "off"})`);
    return Exit.ok;
  },
};
