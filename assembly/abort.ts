// The interpreter's own fatal-error path (host ABI `wrt.abort`).
// Only bugs and exhaustion of the interpreter's heap end up here; guest
// errors are status values. See docs/host-abi.md.

@external("wrt", "abort")
declare function hostAbort(msg: usize, file: usize, line: u32, col: u32): void;

export function wrtAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  hostAbort(changetype<usize>(message), changetype<usize>(fileName), line, column);
  unreachable();
}
