// WASI preview 1 constants (wasi_snapshot_preview1, witx of the WASI repo):
// errno values, file types, clocks, whence, open flags.

export const Errno = {
  SUCCESS: 0,
  ACCES: 2,
  BADF: 8,
  EXIST: 20,
  FAULT: 21,
  INVAL: 28,
  IO: 29,
  ISDIR: 31,
  LOOP: 32,
  NAMETOOLONG: 37,
  NOENT: 44,
  NOSPC: 51,
  NOSYS: 52,
  NOTDIR: 54,
  NOTEMPTY: 55,
  NOTSUP: 58,
  PERM: 63,
  PIPE: 64,
  SPIPE: 70,
  NOTCAPABLE: 76,
} as const;

/** Node fs error codes -> WASI errno. */
export function errnoOf(e: unknown): number {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT": return Errno.NOENT;
    case "EACCES": return Errno.ACCES;
    case "EPERM": return Errno.PERM;
    case "EEXIST": return Errno.EXIST;
    case "EISDIR": return Errno.ISDIR;
    case "ENOTDIR": return Errno.NOTDIR;
    case "ENOTEMPTY": return Errno.NOTEMPTY;
    case "ENOSPC": return Errno.NOSPC;
    case "ELOOP": return Errno.LOOP;
    case "ENAMETOOLONG": return Errno.NAMETOOLONG;
    case "EBADF": return Errno.BADF;
    case "EINVAL": return Errno.INVAL;
    case "ESPIPE": return Errno.SPIPE;
    case "EPIPE": return Errno.PIPE;
    default: return Errno.IO;
  }
}

export const FileType = { UNKNOWN: 0, BLOCK_DEVICE: 1, CHARACTER_DEVICE: 2, DIRECTORY: 3, REGULAR_FILE: 4, SOCKET_STREAM: 6, SYMBOLIC_LINK: 7 } as const;
export const Clock = { REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME: 2, THREAD_CPUTIME: 3 } as const;
export const Whence = { SET: 0, CUR: 1, END: 2 } as const;
export const OFlags = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
export const FdFlags = { APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 } as const;
/** All rights (the host checks access itself; guests only read these back). */
export const RIGHTS_ALL = (1n << 30n) - 1n;
