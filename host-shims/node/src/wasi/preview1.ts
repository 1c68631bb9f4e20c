// WASI preview 1 (`wasi_snapshot_preview1`) for guests of the Node host:
// args, environ, clocks, random, stdio, proc_exit and the filesystem calls
// inside preopened directories; every other function answers ENOSYS.
//
// Why not a maintained implementation (node:wasi, @bjorn3/browser_wasi_shim,
// @wasmer/wasi, ...): they all address the guest's memory as a
// WebAssembly.Memory / ArrayBuffer starting at guest address 0. A WRT guest's
// memory is a region inside the interpreter's own memory (which moves when
// it grows), and with the native engine it lives in another process. Here
// every access goes through Memory.read/write, which work on both engines.
//
// The functions are ordinary host functions of the store: each call is a
// yielding host call (it costs the call's fuel, the run can stop before or
// after it, and a snapshot holds a pending one). `imports()` creates all of
// them in one fixed order, so a restored snapshot finds the same host ids.

import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readSync, realpathSync, rmdirSync, statSync, lstatSync, unlinkSync, writeSync, constants as fsc, type Stats } from "node:fs";
import { randomFillSync } from "node:crypto";
import path from "node:path";
import type { EngineCore } from "../api/engine-core.js";
import { Func, Memory } from "../api/externs.js";
import type { Instance } from "../api/instance.js";
import type { FuncType, ValType } from "../api/values.js";
import { arrayArg, badArgument, describeValue, optionsArg } from "../api/args.js";
import { Clock, Errno, errnoOf, FdFlags, FileType, OFlags, RIGHTS_ALL, Whence } from "./errno.js";

export const WASI_MODULE = "wasi_snapshot_preview1";

export interface WasiOptions {
  /** argv, program name first. */
  args?: readonly string[];
  /** Environment as NAME=VALUE strings (default: none). */
  env?: readonly string[];
  /** Preopened directories: guest path -> host directory (fds 3, 4, ... in this order). */
  preopens?: Readonly<Record<string, string>>;
  /** Where fd 1 and fd 2 go (default: this process's stdout and stderr). */
  stdout?: (bytes: Uint8Array) => void;
  stderr?: (bytes: Uint8Array) => void;
  /** What fd 0 reads (default: this process's stdin). Return 0 bytes at end of input. */
  stdin?: (max: number) => Uint8Array;
}

/** The options, checked where they come in (a wrong type names the option, not a later fault). */
function checkWasiOptions(options: WasiOptions | undefined): WasiOptions {
  const where = "WasiPreview1";
  const o = optionsArg(options, where);
  for (const key of ["args", "env"] as const) {
    const v = o[key];
    if (v === undefined) continue;
    arrayArg(v, where, key).forEach((s, i) => {
      if (typeof s !== "string") throw badArgument(where, `${key}[${i}] must be a string, got ${describeValue(s)}`);
    });
  }
  if (o.preopens !== undefined) {
    for (const [guest, host] of Object.entries(optionsArg(o.preopens, where, "preopens"))) {
      if (typeof host !== "string") throw badArgument(where, `preopens[${JSON.stringify(guest)}] must be a host directory path, got ${describeValue(host)}`);
    }
  }
  for (const key of ["stdout", "stderr", "stdin"] as const) {
    if (o[key] !== undefined && typeof o[key] !== "function") throw badArgument(where, `${key} must be a function, got ${describeValue(o[key])}`);
  }
  return o;
}

/** Thrown out of proc_exit: the run ends with `code` (the guest traps with "exit(code)"). */
export class WasiExit extends Error {
  override name = "WasiExit";
  constructor(readonly code: number) {
    super(`exit(${code})`);
  }
}

type Entry =
  | { kind: "stdin" }
  | { kind: "stdout" }
  | { kind: "stderr" }
  | { kind: "dir"; host: string; root: string; guestName?: string }
  | { kind: "file"; host: string; fd: number; append: boolean; pos: number };

/** The preview 1 functions: name -> [params, results] ("i" i32, "I" i64). Order = host id order. */
const SIGNATURES: readonly [string, string, string][] = [
  ["args_get", "ii", "i"], ["args_sizes_get", "ii", "i"], ["environ_get", "ii", "i"], ["environ_sizes_get", "ii", "i"],
  ["clock_res_get", "ii", "i"], ["clock_time_get", "iIi", "i"],
  ["fd_advise", "iIIi", "i"], ["fd_allocate", "iII", "i"], ["fd_close", "i", "i"], ["fd_datasync", "i", "i"],
  ["fd_fdstat_get", "ii", "i"], ["fd_fdstat_set_flags", "ii", "i"], ["fd_fdstat_set_rights", "iII", "i"],
  ["fd_filestat_get", "ii", "i"], ["fd_filestat_set_size", "iI", "i"], ["fd_filestat_set_times", "iIIi", "i"],
  ["fd_pread", "iiiIi", "i"], ["fd_prestat_get", "ii", "i"], ["fd_prestat_dir_name", "iii", "i"],
  ["fd_pwrite", "iiiIi", "i"], ["fd_read", "iiii", "i"], ["fd_readdir", "iiiIi", "i"], ["fd_renumber", "ii", "i"],
  ["fd_seek", "iIii", "i"], ["fd_sync", "i", "i"], ["fd_tell", "ii", "i"], ["fd_write", "iiii", "i"],
  ["path_create_directory", "iii", "i"], ["path_filestat_get", "iiiii", "i"], ["path_filestat_set_times", "iiiiIIi", "i"],
  ["path_link", "iiiiiii", "i"], ["path_open", "iiiiiIIii", "i"], ["path_readlink", "iiiiii", "i"],
  ["path_remove_directory", "iii", "i"], ["path_rename", "iiiiii", "i"], ["path_symlink", "iiiii", "i"],
  ["path_unlink_file", "iii", "i"], ["poll_oneoff", "iiii", "i"], ["proc_exit", "i", ""], ["proc_raise", "i", "i"],
  ["sched_yield", "", "i"], ["random_get", "ii", "i"], ["sock_accept", "iii", "i"], ["sock_recv", "iiiiii", "i"],
  ["sock_send", "iiiii", "i"], ["sock_shutdown", "ii", "i"],
];

function typeOf(params: string, results: string): FuncType {
  const t = (c: string): ValType => (c === "I" ? "i64" : "i32");
  return { params: [...params].map(t), results: [...results].map(t) };
}

/** Rights stdio lacks: FD_SEEK (bit 2) and FD_TELL (bit 5). */
const STDIO_NOT = (1n << 2n) | (1n << 5n);

const utf8 = new TextEncoder();
const utf8d = new TextDecoder("utf-8", { fatal: true });

/** WASI state for one guest instance: fds, args, environment, exit code. */
export class WasiPreview1 {
  private readonly fds = new Map<number, Entry>();
  private memory: Memory | null = null;
  /** Set when the guest called proc_exit. */
  exitCode: number | null = null;
  readonly args: readonly string[];
  readonly env: readonly string[];

  constructor(readonly options: WasiOptions = {}) {
    options = this.options = checkWasiOptions(options);
    this.args = options.args ?? ["main"];
    this.env = options.env ?? [];
    this.fds.set(0, { kind: "stdin" });
    this.fds.set(1, { kind: "stdout" });
    this.fds.set(2, { kind: "stderr" });
    let fd = 3;
    for (const [guest, host] of Object.entries(options.preopens ?? {})) {
      let root: string;
      try {
        root = realpathSync(host);
      } catch (e) {
        throw badArgument("WasiPreview1", `preopen ${JSON.stringify(guest)}: cannot open host directory ${host}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
      if (!statSync(root).isDirectory()) throw new RangeError(`preopen ${host} is not a directory`);
      this.fds.set(fd++, { kind: "dir", host: root, root, guestName: guest });
    }
  }

  /** The import object part: every preview 1 function as a host function of `engine` (same order every time). */
  imports(engine: EngineCore): Record<string, Record<string, Func>> {
    const ns: Record<string, Func> = {};
    for (const [name, params, results] of SIGNATURES) {
      const impl = (this as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
      const fn = typeof impl === "function" ? impl.bind(this) : (): number => Errno.NOSYS;
      ns[name] = Func.host(engine, typeOf(params, results), (...a: unknown[]) => fn(...a));
    }
    return { [WASI_MODULE]: ns };
  }

  /** Gives the functions the guest's memory (its export "memory"); call after instantiating. */
  bind(instance: Instance): void {
    const m = instance.exports["memory"];
    if (m instanceof Memory) this.memory = m;
  }

  // ---- memory helpers ----

  private mem(): Memory {
    if (!this.memory) throw new Error("WASI: the guest exports no memory");
    return this.memory;
  }
  private u32(addr: number): number {
    const b = this.mem().read(addr >>> 0, 4);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }
  private put(addr: number, bytes: Uint8Array): void {
    this.mem().write(addr >>> 0, bytes);
  }
  private putU32(addr: number, v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    this.put(addr, b);
  }
  private putU64(addr: number, v: bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    this.put(addr, b);
  }
  private string(addr: number, len: number): string | null {
    try {
      return utf8d.decode(this.mem().read(addr >>> 0, len >>> 0));
    } catch {
      return null;
    }
  }
  /** The (buf, len) pairs of an iovec array. */
  private iovecs(iovs: number, n: number): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < n >>> 0; i++) out.push([this.u32(iovs + i * 8), this.u32(iovs + i * 8 + 4)]);
    return out;
  }
  /** Wraps a body: guest memory out of range is EFAULT, host fs errors their errno. */
  private guard(body: () => number): number {
    try {
      return body();
    } catch (e) {
      if (e instanceof WasiExit) throw e;
      if (e instanceof RangeError) return Errno.FAULT;
      return errnoOf(e);
    }
  }

  // ---- args, environ ----

  private listGet(list: readonly string[], ptrs: number, buf: number): number {
    return this.guard(() => {
      let at = buf >>> 0;
      list.forEach((s, i) => {
        const b = utf8.encode(s + "\0");
        this.putU32(ptrs + i * 4, at);
        this.put(at, b);
        at += b.length;
      });
      return Errno.SUCCESS;
    });
  }
  private listSizes(list: readonly string[], countPtr: number, sizePtr: number): number {
    return this.guard(() => {
      this.putU32(countPtr, list.length);
      this.putU32(sizePtr, list.reduce((n, s) => n + utf8.encode(s).length + 1, 0));
      return Errno.SUCCESS;
    });
  }
  args_get(argv: number, buf: number): number { return this.listGet(this.args, argv, buf); }
  args_sizes_get(c: number, s: number): number { return this.listSizes(this.args, c, s); }
  environ_get(env: number, buf: number): number { return this.listGet(this.env, env, buf); }
  environ_sizes_get(c: number, s: number): number { return this.listSizes(this.env, c, s); }

  // ---- clocks, random, process ----

  clock_res_get(id: number, res: number): number {
    if (id < 0 || id > Clock.THREAD_CPUTIME) return Errno.INVAL;
    return this.guard(() => (this.putU64(res, id === Clock.REALTIME ? 1000n : 1n), Errno.SUCCESS));
  }
  clock_time_get(id: number, _precision: bigint, out: number): number {
    let t: bigint;
    if (id === Clock.REALTIME) t = BigInt(Date.now()) * 1_000_000n;
    else if (id === Clock.MONOTONIC) t = process.hrtime.bigint();
    else if (id === Clock.PROCESS_CPUTIME || id === Clock.THREAD_CPUTIME) t = BigInt(Math.round(process.cpuUsage().user * 1000));
    else return Errno.INVAL;
    return this.guard(() => (this.putU64(out, t), Errno.SUCCESS));
  }
  random_get(buf: number, len: number): number {
    return this.guard(() => {
      const b = new Uint8Array(len >>> 0);
      randomFillSync(b);
      this.put(buf, b);
      return Errno.SUCCESS;
    });
  }
  proc_exit(code: number): never {
    this.exitCode = code >>> 0;
    throw new WasiExit(this.exitCode);
  }
  sched_yield(): number { return Errno.SUCCESS; }

  // ---- fds ----

  private entry(fd: number): Entry | undefined {
    return this.fds.get(fd);
  }

  fd_write(fd: number, iovs: number, n: number, nwritten: number): number {
    const e = this.entry(fd);
    if (!e || e.kind === "dir" || e.kind === "stdin") return Errno.BADF;
    return this.guard(() => {
      const parts = this.iovecs(iovs, n).map(([p, l]) => this.mem().read(p, l));
      const data = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      if (e.kind === "stdout") (this.options.stdout ?? ((b) => writeAll(1, b)))(data);
      else if (e.kind === "stderr") (this.options.stderr ?? ((b) => writeAll(2, b)))(data);
      else {
        const at = e.append ? fstatSync(e.fd).size : e.pos;
        writeSync(e.fd, data, 0, data.length, at);
        e.pos = at + data.length;
      }
      this.putU32(nwritten, data.length);
      return Errno.SUCCESS;
    });
  }

  fd_read(fd: number, iovs: number, n: number, nread: number): number {
    const e = this.entry(fd);
    if (!e || e.kind === "dir" || e.kind === "stdout" || e.kind === "stderr") return Errno.BADF;
    return this.guard(() => {
      let total = 0;
      for (const [p, l] of this.iovecs(iovs, n)) {
        let chunk: Uint8Array;
        if (e.kind === "stdin") chunk = (this.options.stdin ?? readStdin)(l);
        else {
          const b = Buffer.alloc(l);
          const got = readSync(e.fd, b, 0, l, e.pos);
          e.pos += got;
          chunk = b.subarray(0, got);
        }
        this.put(p, chunk);
        total += chunk.length;
        if (chunk.length < l) break;
      }
      this.putU32(nread, total);
      return Errno.SUCCESS;
    });
  }

  fd_pread(fd: number, iovs: number, n: number, offset: bigint, nread: number): number {
    const e = this.entry(fd);
    if (!e || e.kind !== "file") return e ? Errno.SPIPE : Errno.BADF;
    const saved = e.pos;
    e.pos = Number(offset);
    const r = this.fd_read(fd, iovs, n, nread);
    e.pos = saved;
    return r;
  }

  fd_pwrite(fd: number, iovs: number, n: number, offset: bigint, nwritten: number): number {
    const e = this.entry(fd);
    if (!e || e.kind !== "file") return e ? Errno.SPIPE : Errno.BADF;
    const saved = e.pos;
    const append = e.append;
    e.pos = Number(offset);
    e.append = false;
    const r = this.fd_write(fd, iovs, n, nwritten);
    e.pos = saved;
    e.append = append;
    return r;
  }

  fd_seek(fd: number, offset: bigint, whence: number, out: number): number {
    const e = this.entry(fd);
    if (!e) return Errno.BADF;
    if (e.kind !== "file") return Errno.SPIPE;
    return this.guard(() => {
      const base = whence === Whence.SET ? 0 : whence === Whence.CUR ? e.pos : whence === Whence.END ? fstatSync(e.fd).size : -1;
      if (base < 0) return Errno.INVAL;
      const pos = base + Number(offset);
      if (pos < 0) return Errno.INVAL;
      e.pos = pos;
      this.putU64(out, BigInt(pos));
      return Errno.SUCCESS;
    });
  }

  fd_tell(fd: number, out: number): number {
    const e = this.entry(fd);
    if (!e) return Errno.BADF;
    if (e.kind !== "file") return Errno.SPIPE;
    return this.guard(() => (this.putU64(out, BigInt(e.pos)), Errno.SUCCESS));
  }

  fd_close(fd: number): number {
    const e = this.entry(fd);
    if (!e) return Errno.BADF;
    if (e.kind === "file") closeSync(e.fd);
    this.fds.delete(fd);
    return Errno.SUCCESS;
  }

  fd_sync(fd: number): number {
    const e = this.entry(fd);
    if (!e) return Errno.BADF;
    return this.guard(() => (e.kind === "file" && fsyncSync(e.fd), Errno.SUCCESS));
  }
  fd_datasync(fd: number): number { return this.fd_sync(fd); }

  fd_fdstat_get(fd: number, out: number): number {
    const e = this.entry(fd);
    if (!e) return Errno.BADF;
    return this.guard(() => {
      const b = new Uint8Array(24);
      const dv = new DataView(b.buffer);
      const type = e.kind === "dir" ? FileType.DIRECTORY : e.kind === "file" ? FileType.REGULAR_FILE : FileType.CHARACTER_DEVICE;
      dv.setUint8(0, type);
      dv.setUint16(2, e.kind === "file" && e.append ? FdFlags.APPEND : 0, true);
      // stdio is not seekable: without FD_SEEK/FD_TELL wasi-libc treats it as a terminal (line-buffered stdout)
      const rights = e.kind === "file" || e.kind === "dir" ? RIGHTS_ALL : RIGHTS_ALL & ~STDIO_NOT;
      dv.setBigUint64(8, rights, true);
      dv.setBigUint64(16, rights, true);
      this.put(out, b);
      return Errno.SUCCESS;
    });
  }

  fd_fdstat_set_flags(fd: number, flags: number): number {
    const e = this.entry(fd);
    if (!e) return Errno.BADF;
    if (e.kind === "file") e.append = (flags & FdFlags.APPEND) !== 0;
    return Errno.SUCCESS;
  }

  fd_filestat_get(fd: number, out: number): number {
    const e = this.entry(fd);
    if (!e) return Errno.BADF;
    return this.guard(() => {
      if (e.kind === "file") this.putFilestat(out, fstatSync(e.fd));
      else if (e.kind === "dir") this.putFilestat(out, statSync(e.host));
      else this.put(out, filestatBytes(FileType.CHARACTER_DEVICE, null));
      return Errno.SUCCESS;
    });
  }

  fd_prestat_get(fd: number, out: number): number {
    const e = this.entry(fd);
    if (!e || e.kind !== "dir" || e.guestName === undefined) return Errno.BADF;
    return this.guard(() => {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setUint32(4, utf8.encode(e.guestName!).length, true);
      this.put(out, b);
      return Errno.SUCCESS;
    });
  }

  fd_prestat_dir_name(fd: number, buf: number, len: number): number {
    const e = this.entry(fd);
    if (!e || e.kind !== "dir" || e.guestName === undefined) return Errno.BADF;
    const name = utf8.encode(e.guestName);
    if (len >>> 0 < name.length) return Errno.NAMETOOLONG;
    return this.guard(() => (this.put(buf, name), Errno.SUCCESS));
  }

  fd_readdir(fd: number, buf: number, len: number, cookie: bigint, used: number): number {
    const e = this.entry(fd);
    if (!e) return Errno.BADF;
    if (e.kind !== "dir") return Errno.NOTDIR;
    return this.guard(() => {
      const names = [".", "..", ...readdirSync(e.host)];
      const out: number[] = [];
      const cap = len >>> 0;
      for (let i = Number(cookie); i < names.length && out.length < cap; i++) {
        const name = utf8.encode(names[i]!);
        const st = i < 2 ? statSync(path.join(e.host, names[i]!)) : lstatSync(path.join(e.host, names[i]!));
        const head = new Uint8Array(24);
        const dv = new DataView(head.buffer);
        dv.setBigUint64(0, BigInt(i + 1), true);
        dv.setBigUint64(8, BigInt(st.ino), true);
        dv.setUint32(16, name.length, true);
        dv.setUint8(20, fileTypeOf(st));
        out.push(...head, ...name);
      }
      const bytes = Uint8Array.from(out.slice(0, cap));
      this.put(buf, bytes);
      this.putU32(used, bytes.length);
      return Errno.SUCCESS;
    });
  }

  // ---- paths (only inside preopened directories) ----

  /** The host path for (dir fd, guest path), or an errno if it leaves the preopened directory. */
  private resolve(dirfd: number, p: number, len: number): string | number {
    const e = this.entry(dirfd);
    if (!e) return Errno.BADF;
    if (e.kind !== "dir") return Errno.NOTDIR;
    const rel = this.string(p, len);
    if (rel === null) return Errno.INVAL;
    if (path.isAbsolute(rel)) return Errno.NOTCAPABLE;
    const full = path.resolve(e.host, rel);
    if (!inside(e.root, full)) return Errno.NOTCAPABLE;
    // a symbolic link may point out: check where the existing part really is
    let probe = full;
    while (!exists(probe) && inside(e.root, path.dirname(probe)) && probe !== e.root) probe = path.dirname(probe);
    try {
      if (!inside(e.root, realpathSync(probe))) return Errno.NOTCAPABLE;
    } catch {
      /* a dangling link: open fails with ENOENT */
    }
    return full;
  }

  path_open(dirfd: number, _dirflags: number, p: number, len: number, oflags: number, _rb: bigint, _ri: bigint, fdflags: number, out: number): number {
    const host = this.resolve(dirfd, p, len);
    if (typeof host === "number") return host;
    const root = (this.entry(dirfd) as { root: string }).root;
    return this.guard(() => {
      let fd: number;
      if (oflags & OFlags.DIRECTORY) {
        if (!statSync(host).isDirectory()) return Errno.NOTDIR;
        fd = this.nextFd();
        this.fds.set(fd, { kind: "dir", host, root });
      } else {
        let flags = fsc.O_RDWR;
        if (oflags & OFlags.CREAT) flags |= fsc.O_CREAT;
        if (oflags & OFlags.EXCL) flags |= fsc.O_EXCL;
        if (oflags & OFlags.TRUNC) flags |= fsc.O_TRUNC;
        let hostFd: number;
        try {
          if (exists(host) && statSync(host).isDirectory()) {
            fd = this.nextFd();
            this.fds.set(fd, { kind: "dir", host, root });
            this.putU32(out, fd);
            return Errno.SUCCESS;
          }
          hostFd = openSync(host, flags, 0o644);
        } catch (e) {
          // read-only files: open for reading
          if ((e as NodeJS.ErrnoException).code !== "EACCES" && (e as NodeJS.ErrnoException).code !== "EROFS") throw e;
          hostFd = openSync(host, flags & ~fsc.O_RDWR);
        }
        fd = this.nextFd();
        this.fds.set(fd, { kind: "file", host, fd: hostFd, append: (fdflags & FdFlags.APPEND) !== 0, pos: 0 });
      }
      this.putU32(out, fd);
      return Errno.SUCCESS;
    });
  }

  path_filestat_get(dirfd: number, flags: number, p: number, len: number, out: number): number {
    const host = this.resolve(dirfd, p, len);
    if (typeof host === "number") return host;
    return this.guard(() => (this.putFilestat(out, flags & 1 ? statSync(host) : lstatSync(host)), Errno.SUCCESS));
  }

  path_create_directory(dirfd: number, p: number, len: number): number {
    const host = this.resolve(dirfd, p, len);
    if (typeof host === "number") return host;
    return this.guard(() => (mkdirSync(host), Errno.SUCCESS));
  }

  path_unlink_file(dirfd: number, p: number, len: number): number {
    const host = this.resolve(dirfd, p, len);
    if (typeof host === "number") return host;
    return this.guard(() => (unlinkSync(host), Errno.SUCCESS));
  }

  path_remove_directory(dirfd: number, p: number, len: number): number {
    const host = this.resolve(dirfd, p, len);
    if (typeof host === "number") return host;
    return this.guard(() => (rmdirSync(host), Errno.SUCCESS));
  }

  private nextFd(): number {
    let fd = 3;
    while (this.fds.has(fd)) fd++;
    return fd;
  }

  private putFilestat(out: number, st: Stats): void {
    this.put(out, filestatBytes(fileTypeOf(st), st));
  }

  /** Closes every host file the guest left open. */
  close(): void {
    for (const [n, e] of this.fds) if (e.kind === "file") {
      try { closeSync(e.fd); } catch { /* already gone */ }
      this.fds.delete(n);
    }
  }
}

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function fileTypeOf(st: Stats): number {
  if (st.isFile()) return FileType.REGULAR_FILE;
  if (st.isDirectory()) return FileType.DIRECTORY;
  if (st.isSymbolicLink()) return FileType.SYMBOLIC_LINK;
  if (st.isCharacterDevice()) return FileType.CHARACTER_DEVICE;
  if (st.isBlockDevice()) return FileType.BLOCK_DEVICE;
  if (st.isSocket()) return FileType.SOCKET_STREAM;
  return FileType.UNKNOWN;
}

/** filestat: dev u64, ino u64, filetype u8 (+7), nlink u64, size u64, atim, mtim, ctim u64 (ns) = 64 bytes. */
function filestatBytes(type: number, st: Stats | null): Uint8Array {
  const b = new Uint8Array(64);
  const dv = new DataView(b.buffer);
  const ns = (ms: number): bigint => BigInt(Math.round(ms * 1e6));
  dv.setBigUint64(0, BigInt(st?.dev ?? 0), true);
  dv.setBigUint64(8, BigInt(st?.ino ?? 0), true);
  dv.setUint8(16, type);
  dv.setBigUint64(24, BigInt(st?.nlink ?? 1), true);
  dv.setBigUint64(32, BigInt(st?.size ?? 0), true);
  dv.setBigUint64(40, ns(st?.atimeMs ?? 0), true);
  dv.setBigUint64(48, ns(st?.mtimeMs ?? 0), true);
  dv.setBigUint64(56, ns(st?.ctimeMs ?? 0), true);
  return b;
}

function writeAll(fd: number, b: Uint8Array): void {
  let off = 0;
  while (off < b.length) {
    try {
      off += writeSync(fd, b, off, b.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") continue;
      throw e;
    }
  }
}

function readStdin(max: number): Uint8Array {
  const b = Buffer.alloc(max);
  try {
    return b.subarray(0, readSync(0, b, 0, max, null));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EAGAIN" || (e as NodeJS.ErrnoException).code === "EOF") return new Uint8Array(0);
    throw e;
  }
}
