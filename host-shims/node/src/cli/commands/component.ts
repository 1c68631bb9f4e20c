// wrt component ...: the Component Model tools of host-shims/node/src/component
// (the comp engineer's), which parse their own subcommands (validate, wit,
// new, spec). Loaded on use: they pull in jco.

import path from "node:path";
import { pathToFileURL } from "node:url";
import { packageRoot } from "../../binding/paths.js";
import type { CommandSpec } from "../command.js";
import { Exit, FileError } from "../exit-codes.js";

/**
 * Where component/cli.ts is compiled to (computed: the folder may be absent
 * in a partial build, and the `wrt` bundle that holds this file lives
 * elsewhere in dist/, so a path relative to this module would be wrong).
 */
const componentCli = (): string => pathToFileURL(path.join(packageRoot(), "host-shims", "node", "dist", "component", "cli.js")).href;

export const componentCommand: CommandSpec = {
  name: "component",
  summary: "Component Model tools: validate, wit, new, spec (`wrt component help`)",
  description: "Validates components, prints and builds WIT worlds and components (jco), runs the component spec tests. Everything after `component` is passed to these tools.",
  arguments: [{ name: "args", description: "validate|wit|new|spec and their arguments", optional: true, variadic: true }],
  passThrough: true,
  exitCodes: [Exit.ok, Exit.failure, Exit.usage],
  action: async ({ args }) => {
    let mod: { componentCommand?: (args: string[]) => Promise<number> | number };
    try {
      mod = (await import(componentCli())) as typeof mod;
    } catch (e) {
      throw new FileError(`the component tools are not available in this build (${(e as Error).message.split("\n")[0]})`);
    }
    if (typeof mod.componentCommand !== "function") throw new FileError("the component tools are not available in this build");
    return await mod.componentCommand((args["args"] as string[] | undefined) ?? []);
  },
};
