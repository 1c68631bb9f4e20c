// Host ABI `wrt.log`: every line of log output the interpreter produces.
// See docs/host-abi.md.
//
//   wrt.log(meta, ptr, len)
//     meta bits 0..7   level (0 trace .. 5 critical, the wasi:logging levels)
//     meta bits 8..31  context length in bytes (0: no context)
//     ptr, len         context bytes followed by message bytes, UTF-8
//
// One call is one whole record: a host writes it out in one piece.

@external("wrt", "log")
declare function hostLog(meta: u32, ptr: usize, len: usize): void;

export const enum LogLevel { Trace = 0, Debug = 1, Info = 2, Warn = 3, Error = 4, Critical = 5 }

/** Log an interpreter-side diagnostic line (no context). */
export function log(level: LogLevel, text: string): void {
  let buf = String.UTF8.encode(text);
  hostLog(<u32>level, changetype<usize>(buf), buf.byteLength);
}

/** Hand a record (context immediately followed by message at `ptr`) to the host. */
export function logRecord(level: u32, ctxLen: u32, ptr: usize, len: usize): void {
  hostLog((ctxLen << 8) | (level & 0xFF), ptr, len);
}
