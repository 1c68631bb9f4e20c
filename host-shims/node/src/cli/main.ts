// wrt: the command-line front end of the Node embedding. Commands are in
// commands/ (one file each), described as CommandSpecs (command.ts) and
// built into a commander program (program.ts); every exit code comes from
// exit-codes.ts.

import { readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../binding/paths.js";
import { compileDispatchWithoutStackChecks } from "../engines/node.js";
import { COMMANDS } from "./commands/index.js";
import { runProgram } from "./program.js";

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** Runs `wrt` with argv (without "node cli.js"); resolves with the exit code. */
export function main(argv: readonly string[]): Promise<number> {
  compileDispatchWithoutStackChecks(); // this process has no workers to interrupt (engines/node.ts)
  return runProgram(COMMANDS, packageVersion(), argv);
}
