// Every `wrt` subcommand, in the order `wrt --help` lists them. To add one:
// export a CommandSpec (cli/command.ts) from your folder and list it here.

import type { CommandSpec } from "../command.js";
import { compileCommand } from "./compile.js";
import { componentCommand } from "./component.js";
import { lockstepCommand } from "./lockstep.js";
import { resumeCommand } from "./resume.js";
import { runCommand } from "./run.js";
import { keygenCommand, signCommand } from "./sign.js";
import { specCommand } from "./spec.js";
import { validateCommand } from "./validate.js";

export const COMMANDS: readonly CommandSpec[] = [
  runCommand,
  resumeCommand,
  validateCommand,
  compileCommand,
  signCommand,
  keygenCommand,
  lockstepCommand,
  specCommand,
  componentCommand,
];
