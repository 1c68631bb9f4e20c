// wasi:logging/logging@0.1.0-draft, `log`, provided by the interpreter.
//
// A core module imports it as module "wasi:logging/logging", name "log",
// type (i32 level, i32 ctx_ptr, i32 ctx_len, i32 msg_ptr, i32 msg_len) -> ().
// The embedder binds that import to the extern `wrt_wasi_logging()` returns.
// The call runs inside the interpreter (no yield to the embedder): it checks
// the level, that both strings lie inside the caller's memory 0 and are
// valid UTF-8, applies the level filter, and passes the record to the back
// end: the host sink (`wrt.log`, docs/host-abi.md) or a ring buffer the
// embedder drains. Bad arguments trap the guest with a message; nothing is
// read outside guest memory.

import { validUtf8 } from "../binary/reader";
import { Trap } from "../exec/trap";
import { logRecord } from "../log";

export const BUILTIN_WASI_LOG: i32 = -100;

export const enum LogBackend { Host = 0, Ring = 1 }

export class LogConfig {
  /** Records below this level are dropped (0 trace .. 5 critical). */
  minLevel: u32 = 0;
  backend: u32 = LogBackend.Host;
  /** Longest record (context + message) accepted; longer ones trap. */
  maxRecordBytes: u32 = 65536;
}
export const logConfig = new LogConfig();

/** Why the last call trapped (read by the dispatch loop for the trap text). */
export let logTrapText: string = "";

// Context and message are copied next to each other so one host call carries the record.
let scratch: usize = 0;
let scratchCap: u32 = 0;

function fail(text: string): Trap {
  logTrapText = "wasi:logging: " + text;
  return Trap.HostError;
}

/** Runs `log` with its five argument slots at `args` against memory [memBase, memBase+memBytes). */
export function wasiLog(args: usize, memBase: usize, memBytes: u64): Trap {
  let level = load<u32>(args);
  let ctxPtr = load<u32>(args, 8), ctxLen = load<u32>(args, 16);
  let msgPtr = load<u32>(args, 24), msgLen = load<u32>(args, 32);
  if (level > 5) return fail("unknown level " + level.toString());
  if (<u64>ctxPtr + <u64>ctxLen > memBytes) return fail("context (" + ctxPtr.toString() + ", " + ctxLen.toString() + " bytes) is outside guest memory");
  if (<u64>msgPtr + <u64>msgLen > memBytes) return fail("message (" + msgPtr.toString() + ", " + msgLen.toString() + " bytes) is outside guest memory");
  if (<u64>ctxLen + <u64>msgLen > <u64>logConfig.maxRecordBytes) return fail("record longer than " + logConfig.maxRecordBytes.toString() + " bytes");
  if (!validUtf8(memBase + ctxPtr, ctxLen)) return fail("context is not valid UTF-8");
  if (!validUtf8(memBase + msgPtr, msgLen)) return fail("message is not valid UTF-8");
  if (level < logConfig.minLevel) return Trap.None;
  let total = ctxLen + msgLen;
  if (total > scratchCap) {
    scratch = scratch == 0 ? heap.alloc(total) : heap.realloc(scratch, total);
    scratchCap = total;
  }
  memory.copy(scratch, memBase + ctxPtr, ctxLen);
  memory.copy(scratch + ctxLen, memBase + msgPtr, msgLen);
  if (logConfig.backend == LogBackend.Ring) logRing.push(level, scratch, ctxLen, msgLen);
  else logRecord(level, ctxLen, scratch, total);
  return Trap.None;
}

/**
 * A bounded ring of whole records for embedders with no other sink. A record
 * that does not fit in the free space is dropped whole and counted.
 *
 *   record: u32 length of what follows | u8 level | u8 0 | u16 0 | u32 ctxLen | ctx | msg
 */
export class LogRing {
  buf: usize = 0;
  cap: u32 = 0;
  head: u32 = 0;   // next byte to read
  used: u32 = 0;
  dropped: u32 = 0;

  resize(bytes: u32): void {
    if (this.buf) heap.free(this.buf);
    this.buf = bytes > 0 ? heap.alloc(bytes) : 0;
    this.cap = bytes;
    this.head = 0;
    this.used = 0;
  }

  private put(p: usize, n: u32): void {
    let tail = (this.head + this.used) % this.cap;
    let first = min(n, this.cap - tail);
    memory.copy(this.buf + tail, p, first);
    if (first < n) memory.copy(this.buf, p + first, n - first);
    this.used += n;
  }

  private take(p: usize, n: u32): void {
    let first = min(n, this.cap - this.head);
    memory.copy(p, this.buf + this.head, first);
    if (first < n) memory.copy(p + first, this.buf, n - first);
    this.head = (this.head + n) % this.cap;
    this.used -= n;
  }

  push(level: u32, p: usize, ctxLen: u32, msgLen: u32): void {
    let body = 8 + ctxLen + msgLen;
    if (<u64>body + 4 > <u64>(this.cap - this.used)) { this.dropped++; return; }
    let hdr = memory.data(12);
    store<u32>(hdr, body);
    store<u32>(hdr, level & 0xFF, 4);
    store<u32>(hdr, ctxLen, 8);
    this.put(hdr, 12);
    this.put(p, ctxLen + msgLen);
  }

  /** Length of the next record's body, or 0 if empty. */
  peek(): u32 {
    if (this.used == 0) return 0;
    let hdr = memory.data(4);
    let h = this.head, u = this.used;
    this.take(hdr, 4);
    this.head = h; this.used = u;
    return load<u32>(hdr);
  }

  /** Moves the next record's body (level, ctxLen, ctx, msg) to `dst`; returns its length. */
  pop(dst: usize): u32 {
    let n = this.peek();
    if (n == 0) return 0;
    let hdr = memory.data(4);
    this.take(hdr, 4);
    this.take(dst, n);
    return n;
  }
}

export const logRing = new LogRing();
logRing.resize(16384);
