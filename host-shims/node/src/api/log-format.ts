// Log records on the Node host: levels, the one-line format, the stderr
// back end (the default `log` handler of an Engine). docs/wasi-logging.md.
//
// The line format, used on stderr and UART alike:
//   [LEVEL] context: message      (context empty: [LEVEL] message)
// with LEVEL one of TRACE DEBUG INFO WARN ERROR CRITICAL and control
// characters escaped so that a record is always exactly one line.

/**
 * Receives each `wrt.log` record (docs/host-abi.md): the level (0 trace .. 5
 * critical), the message, and the context ("" for the interpreter's own lines).
 */
export type LogHandler = (level: number, text: string, context: string) => void;

export const LOG_LEVEL_NAMES = ["trace", "debug", "info", "warn", "error", "critical"] as const;
export type LogLevelName = (typeof LOG_LEVEL_NAMES)[number];
/** The level filter also takes "off" (6: nothing passes). */
export const LOG_LEVEL_OFF = 6;

/** The module and name a core module imports wasi:logging's `log` by. */
export const WASI_LOGGING_MODULE = "wasi:logging/logging";
export const WASI_LOGGING_NAME = "log";

/** One record as the guest gave it (exact strings, nothing escaped). */
export interface LogRecord {
  level: number;
  levelName: LogLevelName;
  context: string;
  message: string;
}

/** "warn", "WARN", "3" or 3 -> 3; "off" -> 6. Throws RangeError for anything else. */
export function parseLogLevel(v: string | number): number {
  if (typeof v === "number") {
    if (Number.isInteger(v) && v >= 0 && v <= LOG_LEVEL_OFF) return v;
  } else {
    const s = v.trim().toLowerCase();
    if (/^[0-6]$/.test(s)) return Number(s);
    if (s === "off") return LOG_LEVEL_OFF;
    const i = (LOG_LEVEL_NAMES as readonly string[]).indexOf(s === "warning" ? "warn" : s);
    if (i >= 0) return i;
  }
  throw new RangeError(`unknown log level ${JSON.stringify(v)} (trace, debug, info, warn, error, critical or off)`);
}

/** TRACE .. CRITICAL (`LEVEL?` for a number outside 0..5: never from the interpreter). */
export function levelLabel(level: number): string {
  return LOG_LEVEL_NAMES[level]?.toUpperCase() ?? `LEVEL${level}`;
}

// C0 controls except tab, DEL, and the C1 controls U+0080..U+009F (a terminal may act on them).
const CONTROLS = /[\x00-\x08\x0a-\x1f\x7f\u0080-\u009f]/g;

/**
 * Makes text safe for one line: LF -> `\n`, CR -> `\r`, other controls ->
 * `\xHH` (C0, DEL) or `\u00HH` (C1). Everything else (tab, backslash, any
 * other Unicode) is kept.
 */
export function escapeControls(s: string): string {
  return s.replace(CONTROLS, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    const code = c.charCodeAt(0);
    const hex = code.toString(16).padStart(2, "0");
    return code < 0x80 ? `\\x${hex}` : `\\u00${hex}`;
  });
}

/** The body of a line without the level: `context: message`, or `message` (escaped). */
export function formatLogBody(message: string, context: string): string {
  return context ? `${escapeControls(context)}: ${escapeControls(message)}` : escapeControls(message);
}

/** `[LEVEL] context: message` (no newline). */
export function formatLogLine(level: number, message: string, context: string): string {
  return `[${levelLabel(level)}] ${formatLogBody(message, context)}`;
}

/** The stderr back end: one write per record (synchronous on Linux for files and pipes: records never tear). */
export const stderrLogHandler: LogHandler = (level, message, context) => {
  process.stderr.write(formatLogLine(level, message, context) + "\n");
};

