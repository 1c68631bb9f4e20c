// The CLI's wasi:logging options (`--log-*`, `--syslog-*`) and what they set up.

import type { Engine } from "../api/engine.js";
import type { EngineOptions } from "../api/engine-core.js";
import { formatLogLine, parseLogLevel } from "../api/log-format.js";
import { drainLog, logDropped } from "../api/wasi-logging.js";
import { parseFacility, SyslogSink, type SyslogOptions } from "../logging/syslog.js";
import type { OptionSpec } from "./command.js";
import { FileError, UsageError } from "./exit-codes.js";

// ------------------------------------------------------------ CLI

export type LogBackendName = "stderr" | "syslog" | "ring";

/** What `wrt run --log-*` options ask for. */
export interface CliLogOptions {
  level?: string;
  backend?: LogBackendName;
  ringBytes?: number;
  syslog?: SyslogOptions;
}

/** The `--log-*` / `--syslog-*` options of `wrt run`. */
export const LOG_OPTIONS: readonly OptionSpec[] = [
  { flags: "--log-level <level>", description: "wasi:logging level filter: trace, debug, info, warn, error, critical or off",
    parse: (v) => { parseLogLevel(v); return v; } },
  { flags: "--log-backend <backend>", description: "where guest log records go: stderr lines, syslog, or a ring printed after the run",
    choices: ["stderr", "syslog", "ring"] },
  { flags: "--log-ring-bytes <n>", description: "size of the log ring (with --log-backend ring)",
    parse: (v) => { if (!/^\d+$/.test(v)) throw new RangeError("--log-ring-bytes needs a non-negative integer"); return Number(v); } },
  { flags: "--syslog-socket <path>", description: "syslog socket (default /dev/log)" },
  { flags: "--syslog-facility <name>", description: "syslog facility (default user)", parse: (v) => { parseFacility(v); return v; } },
  { flags: "--syslog-format <format>", description: "syslog record format", choices: ["rfc3164", "rfc5424"] },
  { flags: "--syslog-tag <tag>", description: "syslog tag (default wrt)" },
];

/** CliLogOptions from the parsed options of a command. */
export function logOptionsFrom(opts: Record<string, unknown>): CliLogOptions {
  const o: CliLogOptions = {};
  if (opts["logLevel"] !== undefined) o.level = opts["logLevel"] as string;
  if (opts["logBackend"] !== undefined) o.backend = opts["logBackend"] as LogBackendName;
  if (opts["logRingBytes"] !== undefined) o.ringBytes = opts["logRingBytes"] as number;
  const sys: SyslogOptions = {};
  if (opts["syslogSocket"] !== undefined) sys.socketPath = opts["syslogSocket"] as string;
  if (opts["syslogFacility"] !== undefined) sys.facility = opts["syslogFacility"] as string;
  if (opts["syslogFormat"] !== undefined) sys.format = opts["syslogFormat"] as "rfc3164" | "rfc5424";
  if (opts["syslogTag"] !== undefined) sys.tag = opts["syslogTag"] as string;
  if (Object.keys(sys).length > 0) o.syslog = sys;
  return o;
}

/** The engine options for the CLI's log options, and what to do after the run. */
export function cliLogSetup(o: CliLogOptions): {
  engineOptions: EngineOptions;
  finish(engine: Engine | null, err: (line: string) => void): void;
} {
  const backend = o.backend ?? "stderr";
  if (o.ringBytes !== undefined && backend !== "ring") throw new UsageError("--log-ring-bytes needs --log-backend ring");
  if (o.syslog !== undefined && backend !== "syslog") throw new UsageError("--syslog-* options need --log-backend syslog");
  let sink: SyslogSink | null = null;
  try {
    sink = backend === "syslog" ? new SyslogSink(o.syslog) : null;
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw new FileError((e as Error).message); // e.g. no syslog socket
  }
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
