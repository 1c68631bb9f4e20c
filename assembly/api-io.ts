// The I/O buffer every export exchanges bytes through, and the error helper
// the api files share. The host gets the buffer's address from wrt_io.

import { Err, lastError } from "./errors";
import { heapHasRoom } from "./runtime/heap-room";

export let io: usize = 0;
export let ioCap: u32 = 0;

/** Largest I/O buffer the host may ask for (a request above it returns 0). */
const IO_MAX: u32 = 256 << 20;

/**
 * An I/O buffer of at least `size` bytes: its address, or 0 (the old buffer
 * kept) when `size` is over IO_MAX or the interpreter's memory cannot hold
 * it (a board's arena), where growing it would have ended the interpreter.
 * The interpreter's own writers (results, texts, descriptors, snapshots)
 * check for 0 as the host does.
 */
export function wrt_io(size: i32): usize {
  if (<u32>size > IO_MAX && size > 0) return 0;
  let want = <u32>max(size, 64);
  if (want > ioCap) {
    if (!heapHasRoom(<u64>want, io)) return 0;
    io = io == 0 ? heap.alloc(want) : heap.realloc(io, want);
    ioCap = want;
  }
  return io;
}

/** Writes `s` as UTF-8 into the I/O buffer; returns the byte length. */
export function ioText(s: string): i32 {
  let len = String.UTF8.byteLength(s);
  let p = wrt_io(len);
  if (p == 0) return 0; // no room for the text: none rather than a write to address 0
  String.UTF8.encodeUnsafe(changetype<usize>(s), s.length, p);
  return len;
}

export function apiError(code: Err, detail: string): i32 {
  lastError.set(code, -1, detail);
  return -1;
}
