// Builds the `wrt` command line from CommandSpecs with commander, and turns
// every way a command can end into one line and an exit code (exit-codes.ts).

import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { WrtCodedError, WrtInternalError, WrtTrap } from "../api/errors.js";
import type { CommandSpec } from "./command.js";
import { Exit, exitCodeHelp, FileError, UsageError } from "./exit-codes.js";
import { err, errnoText, isFsError } from "./io.js";

/** Commander calls parse functions with (value, previous); ours may throw UsageError/RangeError: commander's own type. */
function wrapParse(parse: (v: string, prev: unknown) => unknown): (v: string, prev: unknown) => unknown {
  return (v, prev) => {
    try {
      return parse(v, prev);
    } catch (e) {
      if (e instanceof UsageError || e instanceof RangeError) throw new InvalidArgumentError(e.message);
      throw e;
    }
  };
}

function argumentText(a: { name: string; optional?: boolean; variadic?: boolean }): string {
  const inner = a.name + (a.variadic ? "..." : "");
  return a.optional ? `[${inner}]` : `<${inner}>`;
}

/** The result of an action, once it has run (commander actions cannot return values). */
interface Outcome {
  code: number;
  argv: readonly string[];
}

/** With dashValues: an argument "--word" that did not come after "--" is an unknown option. */
function rejectUnknownLongOptions(args: Record<string, string | string[] | undefined>, argv: readonly string[]): void {
  const dd = argv.indexOf("--");
  const passed = new Set(dd >= 0 ? argv.slice(dd + 1) : []);
  for (const v of Object.values(args).flat()) {
    if (typeof v === "string" && /^--./.test(v) && !passed.has(v)) throw new UsageError(`unknown option '${v}'`);
  }
}

function addCommand(parent: Command, spec: CommandSpec, outcome: Outcome): void {
  const cmd = parent.command(spec.name).summary(spec.summary).description(spec.description ?? spec.summary);
  for (const a of spec.arguments ?? []) cmd.argument(argumentText(a), a.description);
  for (const o of spec.options ?? []) {
    const opt = new Option(o.flags, o.description);
    if (o.choices) opt.choices(o.choices);
    if (o.default !== undefined) opt.default(o.default);
    if (o.parse) opt.argParser(wrapParse(o.parse));
    if (o.hidden) opt.hideHelp();
    cmd.addOption(opt);
  }
  const help: string[] = [];
  if (spec.examples?.length) help.push(["Examples:", ...spec.examples.map((e) => `  ${e}`)].join("\n"));
  if (spec.action) help.push(exitCodeHelp(spec.exitCodes ?? [Exit.ok, Exit.failure, Exit.usage], spec.exitNotes));
  if (help.length) cmd.addHelpText("after", "\n" + help.join("\n\n"));
  if (spec.dashValues) cmd.allowUnknownOption();
  if (spec.passThrough) cmd.allowUnknownOption().allowExcessArguments().helpOption(false);
  for (const sub of spec.subcommands ?? []) addCommand(cmd, sub, outcome);
  if (spec.action) {
    const names = (spec.arguments ?? []).map((a) => a.name);
    const action = spec.action;
    cmd.action(async (...params: unknown[]) => {
      const args: Record<string, string | string[] | undefined> = {};
      names.forEach((n, i) => (args[n] = params[i] as string | string[] | undefined));
      const opts = (params[names.length] as Record<string, unknown>) ?? {};
      if (spec.dashValues) rejectUnknownLongOptions(args, outcome.argv);
      outcome.code = await action({ args, opts, argv: outcome.argv });
    });
  }
}

/** The whole `wrt` program. */
export function buildProgram(specs: readonly CommandSpec[], version: string, outcome: Outcome): Command {
  const program = new Command("wrt")
    .description("WRT: a resumable, fuel-bounded WebAssembly interpreter (Node and native engines)")
    .version(version, "-V, --version", "print the version")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(`wrt: ${s.replace(/^error: /, "").trimEnd()}\n`),
    })
    .addHelpText("after", "\n" + exitCodeHelp([Exit.ok, Exit.failure, Exit.outOfFuel, Exit.internal, Exit.usage]) + "\n\n`wrt <command> --help` describes a command.");
  for (const s of specs) addCommand(program, s, outcome);
  program.commands.forEach(function inherit(c: Command): void {
    c.exitOverride().configureOutput(program.configureOutput()).showSuggestionAfterError(true);
    c.commands.forEach(inherit);
  });
  return program;
}

/** A load error as one line, the offset once: "malformed: magic header not detected at byte offset 0". */
export function describeCodedError(e: WrtCodedError): string {
  const text = e.message.replace(/ at byte 0x[0-9a-f]+$/, "");
  return e.offset >= 0 ? `${text} at byte offset ${e.offset}` : text;
}

/** Runs `wrt` with argv (without "node cli.js"); returns the exit code. Never throws. */
export async function runProgram(specs: readonly CommandSpec[], version: string, argv: readonly string[]): Promise<number> {
  const outcome: Outcome = { code: Exit.ok, argv };
  const program = buildProgram(specs, version, outcome);
  try {
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      return Exit.usage;
    }
    await program.parseAsync([...argv], { from: "user" });
    return outcome.code;
  } catch (e) {
    return exitFor(e);
  }
}

/** Every exception a command can end with, as one stderr line and an exit code. */
export function exitFor(e: unknown): number {
  if (e instanceof CommanderError) {
    // help and version print and exit 0; anything else was printed by outputError
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return Exit.ok;
    if (e.code === "commander.executeSubCommandAsync") return Exit.ok;
    err("wrt: see `wrt --help` or `wrt <command> --help`");
    return Exit.usage;
  }
  if (e instanceof UsageError) {
    err(`wrt: ${e.message}`);
    err("wrt: see `wrt --help` or `wrt <command> --help`");
    return Exit.usage;
  }
  if (e instanceof FileError) {
    err(`wrt: ${e.message}`);
    return Exit.failure;
  }
  if (e instanceof WrtTrap) {
    err(`trap: ${e.message}`);
    return Exit.failure;
  }
  if (e instanceof WrtInternalError) {
    err(`wrt: internal error: ${e.message}`);
    return Exit.internal;
  }
  if (e instanceof WrtCodedError) {
    err(`wrt: ${describeCodedError(e)}`);
    return Exit.failure;
  }
  if (isFsError(e)) {
    err(`wrt: ${e.path ? `${e.path}: ` : ""}${errnoText(e)}`);
    return Exit.failure;
  }
  if (e instanceof TypeError || e instanceof RangeError) {
    err(`wrt: ${e.message}`);
    return Exit.failure;
  }
  // Anything else is a bug in the CLI: still one line (the stack with WRT_DEBUG=1).
  const msg = e instanceof Error ? e.message : String(e);
  err(`wrt: internal error: ${msg}${process.env["WRT_DEBUG"] ? `\n${(e as Error)?.stack ?? ""}` : " (WRT_DEBUG=1 shows the stack)"}`);
  return Exit.internal;
}
