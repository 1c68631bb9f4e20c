// The native engine: build/wrt-native (the wasm2c translation of the
// interpreter, built with gcc) in a child process, behind exactly the raw
// export interface of build/wrt.wasm (RawExports + `memory`).
//
//   const inst = instantiateNative(imports);   // like new WebAssembly.Instance(module, imports)
//   inst.exports.wrt_io(16) ...                 // the same raw calls, synchronous
//
// How: two FIFOs and blocking reads/writes (docs/firmware.md, "Native engine
// protocol"). `exports.memory` is a local WebAssembly.Memory that shadows the
// interpreter's memory only where the embedding ABI moves data: the I/O
// buffer. Each `wrt_io(size)` brings the buffer's current `size` bytes into
// the shadow; the next raw call sends that region back first (so whatever
// the host wrote there arrives). Log lines and aborts arrive with their
// bytes and are passed to the given `wrt.log` / `wrt.abort` imports at the
// same addresses, so an Engine sees no difference. Not shadowed: guest
// memories read through `wrt_memory_base` (a view of them is stale).

import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, constants, existsSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { RAW_EXPORT_NAMES, RAW_EXPORTS, type HostImports, type RawExports } from "../binding/abi.js";
import { buildPath } from "../binding/paths.js";
import { Wasm, type WasmMemory } from "../binding/wasm-types.js";

/** The host ABI imports as an Engine builds them (docs/host-abi.md). */
export type NativeImports = HostImports;

export interface NativeOptions {
  /** Path of the wrt-native binary; default: build/wrt-native of this package. */
  binary?: string;
  /** Live child processes kept at most; older ones are closed (default 4). */
  maxLive?: number;
}

/** The wrt-native binary: $WRT_NATIVE if set (another build), else build/wrt-native of this package. */
export function defaultNativePath(): string {
  return process.env["WRT_NATIVE"] || buildPath("wrt-native");
}

const I64_RESULTS = new Set<string>(RAW_EXPORT_NAMES.filter((n) => RAW_EXPORTS[n].result === "i64"));
const VOID_RESULTS = new Set<string>(RAW_EXPORT_NAMES.filter((n) => RAW_EXPORTS[n].result === "void"));
const OP_QUIT = 0xffffffff;
/** Host-side ops (native/main.c): read / write the interpreter's memory. */
const OP_PEEK = 0xfffffffe;
const OP_POKE = 0xfffffffd;
const REQ_HEADER = 40;
const RESP_HEADER = 24;
const PAGE = 65536;
/** I/O buffer bytes the server sends with each result (native/main.c IO_PEEK). */
const IO_PEEK = 64;

const enum Kind {
  Result = 0,
  Log = 1,
  Abort = 2,
  Crash = 3,
}

const live: NativeProcess[] = [];
const registry = new FinalizationRegistry<NativeProcess>((p) => p.close());

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** One wrt-native child and its two pipes. */
class NativeProcess {
  private req = -1;
  private resp = -1;
  private child: ChildProcess | null = null;
  private closedReason: string | null = null;
  private readonly header = Buffer.alloc(RESP_HEADER);
  /** Page count of the interpreter's memory at start. */
  readonly initialPages: number;
  /** Page count of the interpreter's memory in the last response (every
   * response header carries it: native/main.c `respond`). */
  pages = 0;

  constructor(binary: string) {
    if (!existsSync(binary)) {
      throw new Error(`native engine: ${binary} is missing (run \`npm run build:native\`)`);
    }
    const dir = mkdtempSync(path.join(tmpdir(), "wrt-native-"));
    const reqPath = path.join(dir, "req");
    const respPath = path.join(dir, "resp");
    try {
      execFileSync("mkfifo", [reqPath, respPath]);
      // Neither open blocks: O_RDWR on a FIFO (Linux), and a non-blocking read end.
      const reqRw = openSync(reqPath, constants.O_RDWR);
      const respNb = openSync(respPath, constants.O_RDONLY | constants.O_NONBLOCK);
      this.child = spawn(binary, ["serve", reqPath, respPath], { stdio: ["ignore", "ignore", "inherit"] });
      this.child.unref();
      // The child opens req (read) then resp (write) and sends a hello.
      const deadline = Date.now() + 10_000;
      let got = 0;
      while (got < RESP_HEADER) {
        let n = 0;
        try {
          n = readSync(respNb, this.header, got, RESP_HEADER - got, null);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
        }
        got += n;
        if (got < RESP_HEADER) {
          if (Date.now() > deadline) throw new Error("native engine: wrt-native did not start within 10 s");
          sleepMs(1);
        }
      }
      // Now that the child holds its ends, reopen ours blocking so that its
      // death shows as end-of-file / EPIPE instead of a hang.
      this.resp = openSync(respPath, constants.O_RDONLY);
      closeSync(respNb);
      this.req = openSync(reqPath, constants.O_WRONLY);
      closeSync(reqRw);
      const kind = this.header.readUInt32LE(0);
      this.initialPages = this.pages = this.header.readUInt32LE(4);
      const len = this.header.readUInt32LE(12);
      const data = this.readExact(len);
      if (kind !== Kind.Result) throw new Error(`native engine: cannot start the interpreter: ${data.toString("utf8")}`);
    } catch (e) {
      this.close();
      throw e;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private readExact(n: number): Buffer {
    const buf = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const r = readSync(this.resp, buf, got, n - got, null);
      if (r === 0) {
        this.close("the wrt-native process exited");
        throw new Wasm.RuntimeError("native engine: the wrt-native process exited");
      }
      got += r;
    }
    return buf;
  }

  /** Sends one request; returns the responses up to the last one. */
  request(op: number, a: readonly bigint[], flushAddr: number, flush: Uint8Array | null): { kind: number; pages: number; addr: number; value: bigint; data: Buffer }[] {
    if (this.closedReason !== null) throw new Wasm.RuntimeError(`native engine closed: ${this.closedReason}`);
    const flen = flush ? flush.length : 0;
    const msg = Buffer.alloc(REQ_HEADER + flen);
    msg.writeUInt32LE(op >>> 0, 0);
    msg.writeUInt32LE(flushAddr >>> 0, 4);
    msg.writeUInt32LE(flen, 8);
    for (let i = 0; i < 3; i++) msg.writeBigUInt64LE(a[i] ?? 0n, 16 + 8 * i);
    if (flush) msg.set(flush, REQ_HEADER);
    let off = 0;
    while (off < msg.length) off += writeSync(this.req, msg, off, msg.length - off);
    const out = [];
    for (;;) {
      const h = this.readExact(RESP_HEADER);
      const kind = h.readUInt32LE(0);
      const r = {
        kind,
        pages: h.readUInt32LE(4),
        addr: h.readUInt32LE(8),
        value: h.readBigUInt64LE(16),
        data: this.readExact(h.readUInt32LE(12)),
      };
      out.push(r);
      this.pages = r.pages;
      if (kind !== Kind.Log) return out;
    }
  }

  /** Process id of the child. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  close(reason = "closed"): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    if (this.req >= 0) {
      try {
        const quit = Buffer.alloc(REQ_HEADER);
        quit.writeUInt32LE(OP_QUIT, 0);
        writeSync(this.req, quit);
      } catch {
        // already gone
      }
      closeSync(this.req);
    }
    if (this.resp >= 0) closeSync(this.resp);
    this.req = this.resp = -1;
    const i = live.indexOf(this);
    if (i >= 0) live.splice(i, 1);
  }
}

/** What instantiateNative returns: shaped like a WebAssembly.Instance. */
export interface NativeInstance {
  exports: RawExports & { memory: WasmMemory };
  /** Ends the child process (later calls throw). */
  close(): void;
  /** The wrt-native process id (e.g. to read its RSS). */
  readonly pid: number | undefined;
  /** A copy of bytes [addr, addr+len) of the interpreter's memory (e.g. a guest memory region). */
  peek(addr: number, len: number): Uint8Array;
  /** Writes bytes at addr of the interpreter's memory. */
  poke(addr: number, bytes: Uint8Array): void;
  /** Page count of the interpreter's linear memory in the C process, as of
   * the last call (the shadow `exports.memory` only ever grows to it). */
  memoryPages(): number;
}

/**
 * Starts a wrt-native process and returns its raw exports, used exactly like
 * `new WebAssembly.Instance(compileInterpreter(), imports).exports`.
 */
export function instantiateNative(imports: NativeImports, options: NativeOptions = {}): NativeInstance {
  const proc = new NativeProcess(options.binary ?? defaultNativePath());
  const maxLive = options.maxLive ?? 4;
  live.push(proc);
  while (live.length > maxLive) live[0]!.close("too many native engines alive (NativeOptions.maxLive)");

  // Same size as the real memory from the start: an Engine may hold a view of
  // `memory.buffer` across a call, which a grow would detach.
  const memory = new Wasm.Memory({ initial: Math.max(1, proc.initialPages) });
  /** The I/O buffer region the host may have written since the last call. */
  let pending: { addr: number; len: number } | null = null;

  const fit = (pages: number): void => {
    const have = memory.buffer.byteLength / PAGE;
    if (pages > have) memory.grow(pages - have);
  };
  const put = (addr: number, bytes: Uint8Array): void => {
    fit(Math.ceil((addr + bytes.length) / PAGE));
    new Uint8Array(memory.buffer, addr, bytes.length).set(bytes);
  };

  /** The I/O buffer's address while its first IO_PEEK bytes are in the shadow
   * and nothing ran since: wrt_io(size <= IO_PEEK) is then answered here. */
  let ioPeek: number | null = null;

  const call = (name: string, op: number, args: unknown[]): unknown => {
    if (name === "wrt_io" && ioPeek !== null) {
      const size = Number(args[0]);
      if (size <= IO_PEEK) {
        pending = { addr: ioPeek, len: Math.max(pending?.len ?? 0, IO_PEEK) };
        return ioPeek;
      }
    }
    ioPeek = null;
    const a = args.map((x) => BigInt.asUintN(64, BigInt(x as number | bigint)));
    let flush: Uint8Array | null = null;
    let flushAddr = 0;
    if (pending) {
      flushAddr = pending.addr;
      flush = new Uint8Array(memory.buffer, pending.addr, pending.len);
      pending = null;
    }
    const responses = proc.request(op, a, flushAddr, flush);
    let result: unknown;
    for (const r of responses) {
      fit(r.pages);
      switch (r.kind) {
        case Kind.Log:
          put(r.addr, r.data);
          imports.wrt.log?.(Number(r.value), r.addr, r.data.length);
          break;
        case Kind.Abort: {
          const d = r.data;
          const msg = d.readUInt32LE(0);
          const file = d.readUInt32LE(4);
          const n1 = d.readUInt32LE(8);
          if (msg) put(msg - 4, d.subarray(12, 12 + n1));
          const n2 = d.readUInt32LE(12 + n1);
          if (file) put(file - 4, d.subarray(16 + n1, 16 + n1 + n2));
          imports.wrt.abort(msg, file, Number(r.value & 0xffffffffn), Number(r.value >> 32n));
          throw new Wasm.RuntimeError("interpreter aborted");
        }
        case Kind.Crash:
          throw new Wasm.RuntimeError(r.data.toString("utf8"));
        default:
          if (name === "wrt_io" && r.data.length > 0) {
            put(r.addr, r.data);
            pending = { addr: r.addr, len: r.data.length };
            if (r.data.length >= IO_PEEK) ioPeek = r.addr;
          } else if (r.data.length >= IO_PEEK && r.addr > 0) {
            put(r.addr, r.data);
            ioPeek = r.addr;
          }
          if (VOID_RESULTS.has(name)) result = undefined;
          else if (I64_RESULTS.has(name)) result = BigInt.asIntN(64, r.value);
          else result = Number(BigInt.asIntN(32, r.value));
      }
    }
    return result;
  };

  const exports: Record<string, unknown> = { memory };
  RAW_EXPORT_NAMES.forEach((name, op) => {
    exports[name] = (...args: unknown[]) => call(name, op, args);
  });
  /** Sends what the host wrote to the I/O buffer, if anything (before a peek or poke). */
  const flushPending = (): { addr: number; data: Uint8Array | null } => {
    ioPeek = null;
    if (!pending) return { addr: 0, data: null };
    const p = { addr: pending.addr, data: new Uint8Array(memory.buffer, pending.addr, pending.len) };
    pending = null;
    return p;
  };
  const peek = (addr: number, len: number): Uint8Array => {
    const f = flushPending();
    const [r] = proc.request(OP_PEEK, [BigInt(addr >>> 0), BigInt(len >>> 0)], f.addr, f.data);
    if (!r || r.value !== 0n || r.data.length !== len) throw new RangeError(`native engine: cannot read interpreter memory [${addr}, +${len})`);
    return new Uint8Array(r.data);
  };
  const poke = (addr: number, bytes: Uint8Array): void => {
    const f = flushPending();
    if (f.data) proc.request(OP_POKE, [], f.addr, f.data);
    fit(Math.ceil((addr + bytes.length) / PAGE));
    proc.request(OP_POKE, [], addr, bytes);
  };
  const inst: NativeInstance = {
    exports: exports as unknown as NativeInstance["exports"],
    close: () => proc.close(),
    pid: proc.pid,
    peek,
    poke,
    memoryPages: () => proc.pages,
  };
  registry.register(inst, proc);
  return inst;
}
