// Host ABI `wrt.log`: one complete UTF-8 line per call. See docs/host-abi.md.

@external("wrt", "log")
declare function hostLog(level: i32, ptr: usize, len: usize): void;

export const enum LogLevel { Trace = 0, Debug = 1, Info = 2, Warn = 3, Error = 4, Critical = 5 }

/** Log an interpreter-side line (diagnostics). */
export function log(level: LogLevel, text: string): void {
  let buf = String.UTF8.encode(text);
  hostLog(level, changetype<usize>(buf), buf.byteLength);
}

/** Log a line that is already UTF-8 bytes in memory (wasi:logging). */
export function logBytes(level: i32, ptr: usize, len: usize): void {
  hostLog(level, ptr, len);
}
