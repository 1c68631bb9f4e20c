// How a `wrt` subcommand is described: a plain object (name, help texts,
// arguments, options, exit codes, an action), turned into a commander
// command by program.ts. Other folders add commands by exporting such an
// object (e.g. component/ for `wrt component ...`) and listing it in
// cli/commands/index.ts; they import only this file's types.

/** A positional argument: `<name>` (required), `[name]` (optional), `<name...>`/`[name...]` (variadic). */
export interface ArgumentSpec {
  name: string;
  description: string;
  optional?: boolean;
  variadic?: boolean;
}

/** An option in commander's notation: "--fuel <n>", "-o, --output <file>", "--verbose", "--no-fuel-metering". */
export interface OptionSpec {
  flags: string;
  description: string;
  /** Allowed values (shown in help; anything else is a usage error). */
  choices?: readonly string[];
  default?: string | boolean;
  /** Converts and checks the value; throw UsageError (or RangeError) to refuse it. */
  parse?: (value: string, previous: unknown) => unknown;
  /** Hidden from --help (old spellings kept working). */
  hidden?: boolean;
}

/** What an action gets: the positional arguments by name and the options by their camelCase name. */
export interface CommandInput {
  args: Record<string, string | string[] | undefined>;
  opts: Record<string, unknown>;
  /** The whole command line as given (after `wrt`). */
  argv: readonly string[];
}

export interface CommandSpec {
  name: string;
  /** One line, shown in `wrt --help`. */
  summary: string;
  /** Shown in `wrt <name> --help` above the arguments (default: the summary). */
  description?: string;
  arguments?: readonly ArgumentSpec[];
  options?: readonly OptionSpec[];
  /** Rows of the exit-code table (cli/exit-codes.ts) this command can end with; default 0, 1, 64. */
  exitCodes?: readonly number[];
  /** Extra lines under "Exit codes:" (e.g. "a WASI program's proc_exit status"). */
  exitNotes?: readonly string[];
  /** Example command lines for the help. */
  examples?: readonly string[];
  subcommands?: readonly CommandSpec[];
  /**
   * Arguments may start with "-" (values like -inf, -nan, -0x10, or a guest
   * program's own flags): unknown single-dash words become arguments; an
   * unknown "--word" before a "--" is still a usage error.
   */
  dashValues?: boolean;
  /**
   * Every word after the command name goes to the action as `args.args`,
   * unparsed (options and --help included): for a command that parses its
   * own subcommands (e.g. `wrt component`).
   */
  passThrough?: boolean;
  /** Runs the command; returns the exit code. Throw UsageError for a bad command line. */
  action?: (input: CommandInput) => number | Promise<number>;
}
