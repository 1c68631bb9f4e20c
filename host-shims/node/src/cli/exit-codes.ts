// The exit codes of every `wrt` command: one table, printed in each
// command's --help (the rows that apply) and in docs.

export const Exit = {
  ok: 0,
  /** The guest trapped, the module or snapshot was refused, a file could not be read or written, tests failed. */
  failure: 1,
  /** The call ran out of its --fuel budget. */
  outOfFuel: 2,
  /** The interpreter itself failed (a bug in WRT: please report it). */
  internal: 3,
  /** The command line is wrong (BSD sysexits EX_USAGE). */
  usage: 64,
} as const;
export type ExitCode = (typeof Exit)[keyof typeof Exit];

const MEANING: Record<ExitCode, string> = {
  0: "success",
  1: "guest trap, refused module/snapshot/image, unreadable or unwritable file, failed tests",
  2: "out of fuel (--fuel budget used up)",
  3: "interpreter fault (a bug in WRT)",
  64: "usage error (bad command line)",
};

/** The "Exit codes:" help section for the given rows (plus extra lines, e.g. WASI's exit status). */
export function exitCodeHelp(codes: readonly number[], extra: readonly string[] = []): string {
  const rows = codes.map((c) => `  ${String(c).padStart(2)}  ${MEANING[c as ExitCode] ?? ""}`);
  return ["Exit codes:", ...rows, ...extra.map((e) => `      ${e}`)].join("\n");
}

/** A wrong command line: exit 64 with the message and a pointer to --help. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** An input or output file problem (missing, a directory, a device, full disk): exit 1, one line. */
export class FileError extends Error {
  override name = "FileError";
}
