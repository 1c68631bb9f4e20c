// wasi:logging on the Node host (docs/wasi-logging.md).
//
// The interpreter itself serves guest calls of `wasi:logging/logging` `log`
// (assembly/wasi/logging.ts): it checks level, bounds and UTF-8 (bad input
// traps the guest), applies the level filter (config key 9) and hands each
// record to a back end. Here is the host half:
//
//   - `wasiLogging(engine)`: the Func extern to bind to the import (one per
//     engine; Instance.instantiate binds it by itself when the import object
//     does not supply the import);
//   - line back ends: stderr (the default `log` handler of an Engine), an
//     embedder callback (EngineOptions.log), syslog (SyslogSink);
//   - the ring back end (config 10 = 1): `drainLog(engine)`, `logDropped`.
//
// The line format, used on stderr and UART alike:
//   [LEVEL] context: message      (context empty: [LEVEL] message)
// with LEVEL one of TRACE DEBUG INFO WARN ERROR CRITICAL and control
// characters escaped so that a record is always exactly one line.

import { spawn, type ChildProcess } from "node:child_process";
import { statSync } from "node:fs";
import type { Engine, EngineOptions, LogHandler } from "./engine.js";
import { Func } from "./externs.js";

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

// ------------------------------------------------------------ the import

/** The builtin's extern handle per engine (a host function of the store: never reclaimed, stable until a restore). */
const wasiHandles = new WeakMap<Engine, number>();
const WASI_LOG_TYPE = { params: ["i32", "i32", "i32", "i32", "i32"], results: [] } as const;

/**
 * The extern to bind to `wasi:logging/logging` `log`: a function of the
 * store served inside the interpreter (it never reaches the run loop as a
 * host call). One per engine: made once, so instantiate/drop cycles add
 * nothing to the store.
 */
export function wasiLogging(engine: Engine): Func {
  let h = wasiHandles.get(engine);
  if (h === undefined) {
    h = engine.raw.wrt_wasi_logging();
    if (h < 0) throw engine.lastError();
    wasiHandles.set(engine, h);
  }
  return Func.fromHandle(engine, h, { params: [...WASI_LOG_TYPE.params], results: [] });
}

/** After a restore replaced the store, the handle may name something else: make a new one when next asked. */
export function forgetWasiLogging(engine: Engine): void {
  wasiHandles.delete(engine);
}

// ------------------------------------------------------------ the ring

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Takes every record out of the ring (oldest first). A record in the I/O
 * buffer: u32 level | u32 ctxLen | ctx | msg (docs/wasi-logging.md).
 */
export function drainLog(engine: Engine): LogRecord[] {
  const out: LogRecord[] = [];
  for (;;) {
    const n = engine.raw.wrt_log_read();
    if (n <= 0) break;
    const b = engine.readBytes(n);
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const level = dv.getUint32(0, true) & 0xff;
    const ctxLen = Math.min(dv.getUint32(4, true), n - 8);
    out.push({
      level,
      levelName: LOG_LEVEL_NAMES[level] ?? "critical",
      context: utf8.decode(b.subarray(8, 8 + ctxLen)),
      message: utf8.decode(b.subarray(8 + ctxLen)),
    });
  }
  return out;
}

/** Records the ring dropped because it was full (counted since the interpreter started). */
export function logDropped(engine: Engine): number {
  return engine.raw.wrt_log_dropped() >>> 0;
}

// ------------------------------------------------------------ syslog

/** Facility codes (RFC 5424 table 1; the LOG_* values of syslog.h divided by 8). */
export const SYSLOG_FACILITIES: Readonly<Record<string, number>> = {
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7,
  uucp: 8, cron: 9, authpriv: 10, ftp: 11,
  local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21, local6: 22, local7: 23,
};

/** Severity per wasi:logging level: trace, debug -> 7 LOG_DEBUG; info 6; warn 4; error 3; critical 2. */
export const SYSLOG_SEVERITY: readonly number[] = [7, 7, 6, 4, 3, 2];

/** "local3", "LOG_LOCAL3", 19 -> 19. Throws RangeError otherwise. */
export function parseFacility(v: string | number): number {
  if (typeof v === "number") {
    if (Number.isInteger(v) && v >= 0 && v <= 23) return v;
  } else {
    const s = v.trim().toLowerCase().replace(/^log_/, "");
    if (/^\d+$/.test(s) && Number(s) <= 23) return Number(s);
    const f = SYSLOG_FACILITIES[s];
    if (f !== undefined) return f;
  }
  throw new RangeError(`unknown syslog facility ${JSON.stringify(v)}`);
}

function facilityName(code: number): string {
  return Object.keys(SYSLOG_FACILITIES).find((k) => SYSLOG_FACILITIES[k] === code) ?? "user";
}

/** PRI = facility * 8 + severity. */
export function syslogPriority(level: number, facility: number): number {
  return facility * 8 + (SYSLOG_SEVERITY[level] ?? 2);
}

export interface SyslogOptions {
  /** The local syslog socket (a unix datagram socket). Default /dev/log. */
  socketPath?: string;
  /** Facility name or code (default "user", 1). kern (0) is not allowed: logger(1) and syslog(3) map it to the default. */
  facility?: string | number;
  /** Record header: "rfc3164" (default: what glibc's syslog(3) sends) or "rfc5424". */
  format?: "rfc3164" | "rfc5424";
  /** APP-NAME / TAG (default "wrt"). */
  tag?: string;
  /** The longest MSG in bytes (default 65536): longer ones are cut there (at a character boundary), never split. */
  maxBytes?: number;
  /** Path of util-linux logger(1) (default "logger" on PATH). */
  loggerPath?: string;
}

/**
 * The syslog back end. Node has no unix datagram sockets, so the records go
 * through one long-lived util-linux `logger` process (Debian: bsdutils, an
 * essential package) that reads one record per line from a pipe and sends
 * each as one datagram to the socket, with the priority we prefix to the
 * line (`--prio-prefix`). Records keep their order; a line is never split
 * (control characters are escaped, `--size` covers the longest record).
 *
 * Record (RFC 3164, as syslog(3) sends it):
 *   <PRI>Mmm dd hh:mm:ss HOSTNAME TAG[PID]: context: message
 * Record (RFC 5424):
 *   <PRI>1 TIMESTAMP HOSTNAME TAG PID - - context: message
 */
export class SyslogSink {
  readonly facility: number;
  readonly socketPath: string;
  private proc: ChildProcess | null;
  private stderrText = "";
  private exit: Promise<number>;
  private failure: Error | null = null;
  private closed = false;
  private readonly maxBytes: number;
  /** Records written to the logger pipe. */
  sent = 0;

  constructor(opts: SyslogOptions = {}) {
    this.facility = parseFacility(opts.facility ?? "user");
    if (this.facility === 0) throw new RangeError("syslog facility kern is reserved for the kernel");
    this.socketPath = opts.socketPath ?? "/dev/log";
    let isSocket = false;
    try {
      isSocket = statSync(this.socketPath).isSocket();
    } catch {
      /* reported below */
    }
    if (!isSocket) throw new Error(`syslog: ${this.socketPath} is not a socket (is a syslog daemon running?)`);
    this.maxBytes = opts.maxBytes ?? 65536;
    if (!(Number.isInteger(this.maxBytes) && this.maxBytes >= 64)) throw new RangeError("syslog maxBytes must be an integer >= 64");
    const format = opts.format ?? "rfc3164";
    if (format !== "rfc3164" && format !== "rfc5424") throw new RangeError(`unknown syslog format ${String(format)}`);
    const args = [
      "--socket", this.socketPath, "--socket-errors=on", "--prio-prefix",
      "--tag", opts.tag ?? "wrt", `--id=${process.pid}`,
      "--size", String(this.maxBytes + 64), // logger splits longer lines: ours are cut before
      // Facility for lines whose prefix says 0 (logger's rule): ours always says it.
      "--priority", `${facilityName(this.facility)}.notice`,
      format === "rfc5424" ? "--rfc5424=notq" : "--rfc3164",
    ];
    const proc = spawn(opts.loggerPath ?? "logger", args, { stdio: ["pipe", "ignore", "pipe"] });
    this.proc = proc;
    proc.stderr!.setEncoding("utf8");
    proc.stderr!.on("data", (t: string) => {
      this.stderrText += t;
    });
    proc.stdin!.on("error", (e: Error) => {
      this.failure ??= e;
    });
    this.exit = new Promise((resolve) => {
      proc.on("error", (e) => {
        this.failure ??= new Error(`syslog: cannot run logger: ${e.message}`);
        resolve(-1);
      });
      proc.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 0)));
    });
  }

  /** The LogHandler to give EngineOptions.log. */
  readonly handler: LogHandler = (level, message, context) => {
    if (this.closed || this.proc === null || this.failure) return;
    let body = formatLogBody(message, context);
    if (Buffer.byteLength(body) > this.maxBytes) body = cutUtf8(body, this.maxBytes);
    this.proc.stdin!.write(`<${syslogPriority(level, this.facility)}>${body}\n`);
    this.sent++;
  };

  /** Ends the pipe and waits for logger to send everything; rejects if logger failed. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.proc?.stdin!.end();
    }
    const code = await this.exit;
    this.proc = null;
    if (this.failure) throw this.failure;
    if (code !== 0 || this.stderrText.trim() !== "") {
      throw new Error(`syslog: logger exited with ${code}: ${this.stderrText.trim() || "no message"}`);
    }
  }
}

/** The longest prefix of `s` whose UTF-8 form has at most `max` bytes. */
function cutUtf8(s: string, max: number): string {
  const b = Buffer.from(s, "utf8");
  let end = max;
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--; // not inside a character
  return b.subarray(0, end).toString("utf8");
}

// ------------------------------------------------------------ CLI

export type LogBackendName = "stderr" | "syslog" | "ring";

/** What `wrt run --log-*` options ask for. */
export interface CliLogOptions {
  level?: string;
  backend?: LogBackendName;
  ringBytes?: number;
  syslog?: SyslogOptions;
}

/** Reads one `--log-*` / `--syslog-*` option at args[i]; returns how many args it took (0: not ours). Throws RangeError. */
export function parseCliLogOption(args: readonly string[], i: number, into: CliLogOptions): number {
  const a = args[i]!;
  const names = ["--log-level", "--log-backend", "--log-ring-bytes", "--syslog-socket", "--syslog-facility", "--syslog-format", "--syslog-tag"];
  if (!names.includes(a)) return 0;
  const v = args[i + 1];
  if (v === undefined) throw new RangeError(`${a} needs a value`);
  switch (a) {
    case "--log-level":
      parseLogLevel(v);
      into.level = v;
      break;
    case "--log-backend":
      if (v !== "stderr" && v !== "syslog" && v !== "ring") throw new RangeError("--log-backend is stderr, syslog or ring");
      into.backend = v;
      break;
    case "--log-ring-bytes":
      if (!/^\d+$/.test(v)) throw new RangeError("--log-ring-bytes needs a non-negative integer");
      into.ringBytes = Number(v);
      break;
    case "--syslog-socket":
      (into.syslog ??= {}).socketPath = v;
      break;
    case "--syslog-facility":
      parseFacility(v);
      (into.syslog ??= {}).facility = v;
      break;
    case "--syslog-format":
      if (v !== "rfc3164" && v !== "rfc5424") throw new RangeError("--syslog-format is rfc3164 or rfc5424");
      (into.syslog ??= {}).format = v;
      break;
    case "--syslog-tag":
      (into.syslog ??= {}).tag = v;
      break;
  }
  return 2;
}

/** The engine options for the CLI's log options, and what to do after the run. */
export function cliLogSetup(o: CliLogOptions): {
  engineOptions: EngineOptions;
  finish(engine: Engine | null, err: (line: string) => void): void;
} {
  const backend = o.backend ?? "stderr";
  if (o.ringBytes !== undefined && backend !== "ring") throw new RangeError("--log-ring-bytes needs --log-backend ring");
  if (o.syslog !== undefined && backend !== "syslog") throw new RangeError("--syslog-* options need --log-backend syslog");
  const sink = backend === "syslog" ? new SyslogSink(o.syslog) : null;
  const config: EngineOptions["config"] = {};
  if (backend === "ring") {
    config.logBackend = 1;
    if (o.ringBytes !== undefined) config.logRingBytes = o.ringBytes;
  }
  return {
    engineOptions: {
      ...(sink ? { log: sink.handler } : {}),
      ...(o.level !== undefined ? { logLevel: parseLogLevel(o.level) } : {}),
      config,
    },
    finish(engine, err) {
      if (backend === "ring" && engine !== null && !engine.dead) {
        for (const r of drainLog(engine)) err(formatLogLine(r.level, r.message, r.context));
        err(`wrt: log ring: ${logDropped(engine)} records dropped`);
      }
      if (sink) {
        sink.close().catch((e: Error) => {
          err(`wrt: ${e.message}`);
          process.exitCode = 1;
        });
      }
    },
  };
}
