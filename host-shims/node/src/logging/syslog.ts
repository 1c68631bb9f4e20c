// The syslog back end of wasi:logging records (docs/wasi-logging.md): each
// record of the host back end as one datagram to the local syslog socket.

import { spawn, type ChildProcess } from "node:child_process";
import { statSync } from "node:fs";
import { formatLogBody, type LogHandler } from "../api/log-format.js";

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

