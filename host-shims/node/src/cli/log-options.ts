// The CLI's wasi:logging options (`--log-*`, `--syslog-*`) and what they set up.

import type { Engine } from "../api/engine.js";
import type { EngineOptions } from "../api/engine-core.js";
import { formatLogLine, parseLogLevel } from "../api/log-format.js";
import { drainLog, logDropped } from "../api/wasi-logging.js";
import { parseFacility, SyslogSink, type SyslogOptions } from "../logging/syslog.js";

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
