// wasi:logging on the Node host (docs/wasi-logging.md).
//
// The interpreter itself serves guest calls of `wasi:logging/logging` `log`
// (assembly/wasi/logging.ts): it checks level, bounds and UTF-8 (bad input
// traps the guest), applies the level filter (config key 9) and hands each
// record to a back end: the host (`wrt.log` -> EngineOptions.log, see
// log-format.ts and logging/) or the ring (config 10 = 1). Here:
//   - `wasiLogging(engine)`: the Func extern to bind to the import (one per
//     engine; Instance.instantiate binds it by itself when the import object
//     does not supply the import);
//   - the ring back end: `drainLog(engine)`, `logDropped`.

import type { EngineCore } from "./engine-core.js";
import { Func } from "./externs.js";
import { LOG_LEVEL_NAMES, type LogRecord } from "./log-format.js";

// ------------------------------------------------------------ the import

/** The builtin's extern handle per engine (a host function of the store: never reclaimed, stable until a restore). */
const wasiHandles = new WeakMap<EngineCore, number>();
const WASI_LOG_TYPE = { params: ["i32", "i32", "i32", "i32", "i32"], results: [] } as const;

/**
 * The extern to bind to `wasi:logging/logging` `log`: a function of the
 * store served inside the interpreter (it never reaches the run loop as a
 * host call). One per engine: made once, so instantiate/drop cycles add
 * nothing to the store.
 */
export function wasiLogging(engine: EngineCore): Func {
  let h = wasiHandles.get(engine);
  if (h === undefined) {
    h = engine.raw.wrt_wasi_logging();
    if (h < 0) throw engine.lastError();
    wasiHandles.set(engine, h);
  }
  return Func.fromHandle(engine, h, { params: [...WASI_LOG_TYPE.params], results: [] });
}

/** After a restore replaced the store, the handle may name something else: make a new one when next asked. */
export function forgetWasiLogging(engine: EngineCore): void {
  wasiHandles.delete(engine);
}

// ------------------------------------------------------------ the ring

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Takes every record out of the ring (oldest first). A record in the I/O
 * buffer: u32 level | u32 ctxLen | ctx | msg (docs/wasi-logging.md).
 */
export function drainLog(engine: EngineCore): LogRecord[] {
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
export function logDropped(engine: EngineCore): number {
  return engine.raw.wrt_log_dropped() >>> 0;
}

