// The CLI's input and output: stdout/stderr lines, reading module and
// snapshot files defensively (a directory, a device, a FIFO, a missing file
// all give one line, never a hang or a stack trace), writing outputs, and
// the progress line on long runs.

import { closeSync, fstatSync, openSync, readSync, writeFileSync, writeSync } from "node:fs";
import { FileError } from "./exit-codes.js";

export function out(line: string): void {
  process.stdout.write(line + "\n");
}

export function err(line: string): void {
  process.stderr.write(line + "\n");
}

/** Writes all bytes to a file descriptor (stdout 1, stderr 2), retrying on EAGAIN (a non-blocking pipe). */
export function writeAll(fd: number, b: Uint8Array): void {
  let off = 0;
  while (off < b.length) {
    try {
      off += writeSync(fd, b, off, b.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
    }
  }
}

/** Largest input the CLI reads (the interpreter's default module limit is 64 MiB; snapshots may be larger). */
export const MAX_INPUT_BYTES = 1 << 30;

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: "no such file or directory",
  EISDIR: "is a directory",
  ENOTDIR: "a path component is not a directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOSPC: "no space left on device",
  EROFS: "read-only file system",
  EMFILE: "too many open files",
  ENXIO: "no such device or address",
  ENAMETOOLONG: "file name too long",
  ELOOP: "too many symbolic links",
  EFBIG: "file too large",
  EIO: "input/output error",
};

/** One line for a Node file-system error: "no such file or directory", ... */
export function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code && ERRNO_TEXT[code]) return ERRNO_TEXT[code]!;
  if (code) return code;
  return e instanceof Error ? e.message : String(e);
}

/** True for an error thrown by node:fs (it has an errno code and a syscall). */
export function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === "string" && typeof (e as NodeJS.ErrnoException).syscall === "string";
}

/**
 * Reads a whole input file. Regular files are read at their size; a
 * directory or a device is refused; a FIFO (a pipe, `<(...)`) is read up
 * to `limit` bytes.
 */
export function readInputFile(file: string, what: string, limit = MAX_INPUT_BYTES): Uint8Array {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (e) {
    throw new FileError(`cannot read ${what} ${file}: ${errnoText(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new FileError(`cannot read ${what} ${file}: is a directory`);
    // a device (/dev/zero, /dev/full, a terminal) never ends or is not a file: refused, not read
    if (st.isCharacterDevice() || st.isBlockDevice() || st.isSocket()) throw new FileError(`cannot read ${what} ${file}: is a device, not a file`);
    if (st.isFile() && st.size > limit) throw new FileError(`cannot read ${what} ${file}: larger than ${limit} bytes`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(st.isFile() ? Math.max(1, Math.min(st.size - total + 1, 1 << 24)) : 1 << 16);
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > limit) throw new FileError(`cannot read ${what} ${file}: more than ${limit} bytes`);
      chunks.push(buf.subarray(0, n));
    }
    return new Uint8Array(Buffer.concat(chunks, total));
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError(`cannot read ${what} ${file}: ${errnoText(e)}`);
  } finally {
    closeSync(fd);
  }
}

/** Writes an output file; any failure (a directory, /dev/full, a missing directory) is one FileError line. */
export function writeOutputFile(file: string, bytes: Uint8Array, what: string): void {
  try {
    writeFileSync(file, bytes);
  } catch (e) {
    throw new FileError(`cannot write ${what} ${file}: ${errnoText(e)}`);
  }
}

/**
 * A one-line progress display on stderr, only when stderr is a terminal (or
 * WRT_PROGRESS=1): shown once a run has taken longer than `afterMs`,
 * rewritten in place at most every 200 ms, erased by `done()`.
 */
export class Progress {
  private readonly enabled: boolean;
  private readonly start = Date.now();
  private lastDraw = 0;
  private shown = false;

  private readonly afterMs: number;

  constructor(afterMs = 1000) {
    this.afterMs = Number(process.env["WRT_PROGRESS_AFTER_MS"] ?? afterMs);
    this.enabled = process.env["WRT_PROGRESS"] === "1" || (process.stderr.isTTY === true && process.env["WRT_PROGRESS"] !== "0");
  }

  update(text: () => string): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.start < this.afterMs || now - this.lastDraw < 200) return;
    this.lastDraw = now;
    this.shown = true;
    process.stderr.write(`\r\x1b[2K${text()} (${((now - this.start) / 1000).toFixed(1)} s)`);
  }

  /** Erases the line (before other output, or at the end); a later update draws it again. */
  done(): void {
    if (this.shown) process.stderr.write("\r\x1b[2K");
    this.shown = false;
    this.lastDraw = 0;
  }
}
