// Snapshots in the Node API: take, restore, and migrate to a fresh interpreter.
//
// The bytes are the interpreter's own (docs/snapshot-format.md): the
// interpreter writes them (`wrt_snapshot`) and is the judge of them at
// restore (`wrt_restore` checks everything before it changes anything).
// This file adds what only the host knows:
//   - which JS function answers which host function: host functions are
//     stored by hostId, and the Node API gives ids 1, 2, 3, ... in order of
//     creation (Func.host, import objects, createSpectest), so a program that
//     creates the same host functions in the same order gets the same ids;
//     a restoring host may instead bind ids explicitly (`hostFunctions`);
//   - wrappers for what the restored store holds (instances, the call in
//     progress as a `Suspended` that `resume(fuel)` continues);
//   - `migrate()`: snapshot, then a new WebAssembly instance of the
//     interpreter replays this engine's setup log (config, cost table,
//     module loads and drops, in order, so module handles match), restores,
//     and the engine continues there (every wrapper keeps its handle).

import { EngineCore, type EngineOptions, parseFuncType } from "./engine-core.js";
import { ErrCode, WrtCodedError, WrtInternalError, WrtSnapshotError } from "./errors.js";
import { hostEntry, refs } from "./externs.js";
import { Instance } from "./instance.js";
import { Module } from "./module.js";
import { Suspended } from "./run.js";
import { decodeValue, FuncType } from "./values.js";
import { acceptSigned, trustedKeys } from "./signature.js";
import { badArgument, bytesArg } from "./args.js";

/** JS functions for host functions by hostId (arguments decoded, results encoded as for Func.host). */
export type HostBindings = Record<number, (...args: any[]) => unknown> | Map<number, (...args: any[]) => unknown>;

export interface RestoreIntoOptions {
  /** Host functions by hostId; ids without an entry keep this engine's binding of that id, if any (same type). */
  hostFunctions?: HostBindings;
  /** The restored call's results as bit patterns (bigint, as `Func.callRaw`) instead of decoded values. */
  raw?: boolean;
}

export interface RestoreOptions extends EngineOptions, RestoreIntoOptions {
  /** Module bytes, loaded in this order before restoring (the snapshot names modules by a hash of their bytes). */
  modules: readonly Uint8Array[];
}

/** What a restored engine holds. */
export interface RestoredState {
  /** `idle`: between calls; `suspended`: a call out of fuel; `host-call`: a call waiting for a host function. */
  status: "idle" | "suspended" | "host-call";
  /** Instances by handle (null: dropped). */
  instances: (Instance | null)[];
  /** The call in progress (status suspended or host-call): `resume(fuel)` continues it. */
  call: Suspended<unknown> | null;
  /** The type of the function of the call in progress, or null. */
  callType: FuncType | null;
}

// ---- reading the snapshot on the host side (only what the host needs) ----

const MAGIC = 0x53545257; // "WRTS"
const TAG = {
  MODS: 0x53444f4d, FUNC: 0x434e5546, TABL: 0x4c424154, MEMS: 0x534d454d, GLOB: 0x424f4c47, INST: 0x54534e49,
  MACH: 0x4843414d, STAK: 0x4b415453,
} as const;
const HEADER_BYTES = 24;
const FRAME_BYTES = 16;
const HOST_FRAME = 0xffffffff;
const STATUS_HOST_CALL = 2;
const STATUS_IDLE = 4;
const STATUS_READY = 5;
/** Offset of `calledFunc` in the MACH payload (docs/snapshot-format.md). */
const MACH_CALLED_FUNC = 4 * 4 + 8 + 4 * 2 + 4 * 2 + 1 + 4 * 2;

export interface SnapshotInfo {
  modules: { present: boolean; metered: boolean; hash: bigint }[];
  hostFuncs: { addr: number; hostId: number; type: FuncType; offset: number }[];
  /** Module index (into `modules`) per instance handle, or null if dropped. */
  instances: (number | null)[];
  status: number;
  calledFunc: number;
  /** Byte offset of `calledFunc` in the snapshot. */
  calledFuncAt: number;
  /** Host frames on the call stack: 1 per call from the host (more: nested calls from host functions). */
  hostFrames: number;
}

class ParseError extends Error {
  /** True when the checksum held: then the bytes are as written, and inconsistent. */
  afterChecksum = false;
  offset = -1;
  constructor(message: string, readonly code: number = ErrCode.SnapshotCorrupt) {
    super(message);
  }
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE, reflected) as the interpreter computes it (assembly/state/hash.ts). */
export function crc32(bytes: Uint8Array, end = bytes.length): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const t = crcTable;
  let c = 0xffffffff;
  for (let i = 0; i < end; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Recomputes the trailing CRC-32 of snapshot bytes (after an edit). */
export function resealSnapshot(bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array)) bytesArg(bytes, "resealSnapshot", "snapshot"); // refuses; a copy could not be resealed in place
  if (bytes.length < 4) throw badArgument("resealSnapshot", `a snapshot ends in a 4-byte checksum; got ${bytes.length} bytes`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  dv.setUint32(bytes.length - 4, crc32(bytes, bytes.length - 4), true);
}

/** FNV-1a 64 of module bytes: how a snapshot names a module (assembly/state/hash.ts). */
export function moduleHash(bytes: Uint8Array): bigint {
  bytes = bytesArg(bytes, "moduleHash", "module");
  // 64-bit multiply by 0x100000001B3 = 2^40 + 0x1B3 in two 32-bit halves.
  let lo = 0x84222325;
  let hi = 0xcbf29ce4;
  for (let i = 0; i < bytes.length; i++) {
    lo = (lo ^ bytes[i]!) >>> 0;
    const p = lo * 0x1b3;
    const carry = Math.floor(p / 0x100000000);
    hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
    lo = p >>> 0;
  }
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/**
 * Reads the parts of a snapshot the host needs. Checks only the header,
 * checksum and the bounds of what it reads: the interpreter judges the rest.
 */
export function readSnapshotInfo(bytes: Uint8Array): SnapshotInfo {
  bytes = bytesArg(bytes, "readSnapshotInfo", "snapshot");
  try {
    return parseSnapshotInfo(bytes);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    throw snapshotError(e.message, e.code, e.offset);
  }
}

function parseSnapshotInfo(bytes: Uint8Array): SnapshotInfo {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.length;
  if (len < HEADER_BYTES + 4 || dv.getUint32(0, true) !== MAGIC) throw new ParseError("not a WRT snapshot", ErrCode.SnapshotMagic);
  if (dv.getUint32(16, true) !== len) throw new ParseError("length field differs");
  if (dv.getUint32(len - 4, true) !== crc32(bytes, len - 4)) throw new ParseError("checksum mismatch", ErrCode.SnapshotChecksum);
  try {
    return walkSnapshot(bytes, dv);
  } catch (e) {
    if (e instanceof ParseError) e.afterChecksum = true;
    throw e;
  }
}

function walkSnapshot(bytes: Uint8Array, dv: DataView): SnapshotInfo {
  const len = bytes.length;
  const need = (at: number, n: number): void => {
    if (at + n > len - 4) throw Object.assign(new ParseError(`truncated field at byte ${at}`), { offset: at });
  };
  const info: SnapshotInfo = {
    modules: [], hostFuncs: [], instances: [], status: 0, calledFunc: 0, calledFuncAt: -1, hostFrames: 0,
  };
  let at = HEADER_BYTES;
  const u8 = (): number => { need(at, 1); return dv.getUint8(at++); };
  const u32 = (): number => { need(at, 4); const v = dv.getUint32(at, true); at += 4; return v; };
  const u64 = (): bigint => { need(at, 8); const v = dv.getBigUint64(at, true); at += 8; return v; };
  const skipU32s = (): void => { const n = u32(); need(at, n * 4); at += n * 4; };
  const skipU8s = (): void => { const n = u32(); need(at, n); at += n; };
  // Sections are walked field by field, as the interpreter reads them (it does
  // not use the length fields to find the next section).
  while (at < len - 4) {
    const tag = u32();
    const size = u32();
    need(at, size);
    if (tag === TAG.MODS) {
      const n = u32();
      for (let i = 0; i < n; i++) {
        const flags = u8();
        info.modules.push({ present: (flags & 1) !== 0, metered: (flags & 2) !== 0, hash: u64() });
      }
    } else if (tag === TAG.FUNC) {
      const n = u32();
      for (let i = 0; i < n; i++) {
        const offset = at;
        const kind = u8();
        if (kind === 0) {
          at += 8;
          continue;
        }
        const hostId = u32();
        need(at, 8);
        const np = dv.getUint32(at, true);
        const nr = dv.getUint32(at + 4, true);
        need(at, 8 + np + nr);
        let type: FuncType;
        try {
          const parsed = parseFuncType(bytes, at);
          type = parsed.type;
          at = parsed.end;
        } catch {
          throw Object.assign(new ParseError(`bad value type in the type of host function ${i}`), { offset: at });
        }
        info.hostFuncs.push({ addr: i, hostId, type, offset });
      }
    } else if (tag === TAG.INST) {
      const n = u32();
      for (let i = 0; i < n; i++) {
        if (u8() === 0) {
          info.instances.push(null);
          continue;
        }
        info.instances.push(u32());
        for (let k = 0; k < 4; k++) skipU32s();
        skipU8s();
        skipU8s();
        const ne = u32();
        for (let j = 0; j < ne; j++) {
          const m = u32();
          need(at, m * 8);
          at += m * 8;
        }
      }
    } else if (tag === TAG.MACH) {
      info.status = u32();
      info.calledFuncAt = at - 4 + MACH_CALLED_FUNC;
      need(info.calledFuncAt, 4);
      info.calledFunc = dv.getUint32(info.calledFuncAt, true);
      at = info.calledFuncAt + 4 + 4 * 4;
      const frames = u32();
      need(at, frames * FRAME_BYTES);
      for (let i = 0; i < frames; i++) if (dv.getUint32(at + i * FRAME_BYTES, true) === HOST_FRAME) info.hostFrames++;
      at += frames * FRAME_BYTES;
    } else if (tag === TAG.TABL) {
      const n = u32();
      for (let i = 0; i < n; i++) {
        at += 5;
        const size = u32();
        need(at, size * 8);
        at += size * 8;
      }
    } else if (tag === TAG.MEMS) {
      const n = u32();
      for (let i = 0; i < n; i++) {
        at += 8;
        const stored = u32();
        need(at, stored * (4 + 65536));
        at += stored * (4 + 65536);
      }
    } else if (tag === TAG.GLOB) {
      const n = u32();
      for (let i = 0; i < n; i++) {
        need(at, 10);
        const v128 = bytes[at] === 0x7b; // type, mutability, the value; a v128 (feature simd) has 8 bytes more
        at += v128 ? 18 : 10;
      }
    } else if (tag === TAG.STAK) {
      const top = u32();
      need(at, top);
      at += top;
    } else if ((tag & 0xff) >= 0x61 && (tag & 0xff) <= 0x7a) {
      at += size; // ancillary (lower-case first letter): never state, skipped (docs/snapshot-format.md)
    } else {
      const name = String.fromCharCode(tag & 0xff, (tag >>> 8) & 0xff, (tag >>> 16) & 0xff, tag >>> 24).replace(/[^\x20-\x7e]/g, "?");
      throw new ParseError(`unknown section "${name}" at byte ${at - 8}`);
    }
  }
  return info;
}

function snapshotError(message: string, code: number, offset = -1): WrtSnapshotError {
  return new WrtSnapshotError(message, code, offset);
}

/** The interpreter's last error, as a WrtSnapshotError whatever its code. */
function lastSnapshotError(engine: EngineCore): WrtSnapshotError {
  const e: WrtCodedError = engine.lastError();
  return e instanceof WrtSnapshotError ? e : snapshotError(e.message, e.code, e.offset);
}

function typeText(t: FuncType): string {
  return `[${t.params.join(" ")}] -> [${t.results.join(" ")}]`;
}

function sameType(a: FuncType, b: FuncType): boolean {
  const eq = (x: readonly string[], y: readonly string[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
  return eq(a.params, b.params) && eq(a.results, b.results);
}

function bindingOf(bindings: HostBindings | undefined, id: number): ((...args: any[]) => unknown) | undefined {
  if (!bindings) return undefined;
  return bindings instanceof Map ? bindings.get(id) : bindings[id];
}

// ---- take ----

/**
 * The whole state as snapshot bytes, at a halt: idle, with a `Suspended`
 * call, or from inside a host function (the snapshot then holds that host
 * call pending). Not inside a nested call (a host function that called into
 * the guest and is in turn called back): WrtSnapshotError code 126.
 */
export function takeSnapshot(engine: EngineCore): Uint8Array {
  if (engine.depth > 1) {
    throw snapshotError("snapshot not possible in this state: a nested call from a host function is in progress", ErrCode.SnapshotState);
  }
  const n = engine.raw.wrt_snapshot();
  if (n < 0) throw lastSnapshotError(engine);
  const bytes = engine.readBytes(n);
  return bytes;
}

// ---- restore ----

/** Loaded module handles by hash (setup log), for mapping the snapshot's module list. */
function moduleHandleFor(engine: EngineCore, index: number, hash: bigint): number {
  const loaded = new Map<number, Uint8Array>();
  for (const c of engine.setupLog) {
    if (c.op === "wrt_module_load") loaded.set(c.handle, c.bytes);
    else if (c.op === "wrt_module_drop") loaded.delete(c.handle);
  }
  const same = loaded.get(index);
  if (same && moduleHash(same) === hash) return index;
  for (const [h, b] of loaded) if (moduleHash(b) === hash) return h;
  return index;
}

/**
 * Replaces `engine`'s state with the snapshot. The engine must be idle (no
 * call in progress, no Suspended) and have loaded the snapshot's modules.
 * Refusals throw WrtSnapshotError and leave the engine as it was.
 */
/** Host ids the interpreter keeps for its built-ins (negative as i32: assembly/wasi/logging.ts). */
function isBuiltin(hostId: number): boolean {
  return (hostId | 0) < 0;
}

export function restoreInto(engine: EngineCore, bytes: Uint8Array, opts: RestoreIntoOptions = {}): RestoredState {
  if (engine.depth > 0 || engine.suspended !== null) {
    throw snapshotError("restore needs an idle engine: finish or abandon the call in progress", ErrCode.SnapshotState);
  }
  // a signature: required from the engine's keys (requireSignature), else a trailer is taken off (docs/signing.md)
  bytes = acceptSigned(bytes, trustedKeys(engine.options), "snapshot");
  // Host-side checks first, on a snapshot whose checksum holds (else the
  // interpreter refuses it below with the precise reason).
  let info: SnapshotInfo | null = null;
  try {
    info = parseSnapshotInfo(bytes);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    // The checksum holds but the bytes do not read as the format: refuse
    // here (else the interpreter judges, e.g. a checksum mismatch).
    if (e.afterChecksum) throw snapshotError(`snapshot is inconsistent: ${e.message}`, ErrCode.SnapshotCorrupt, e.offset);
  }
  if (info) {
    for (const h of info.hostFuncs) {
      if (isBuiltin(h.hostId)) continue; // served by the interpreter itself (wasi:logging)
      const fn = bindingOf(opts.hostFunctions, h.hostId);
      const own = engine.hosts.get(h.hostId);
      if (fn === undefined && !(own && sameType(own.type, h.type))) {
        throw snapshotError(`host function ${h.hostId} ${typeText(h.type)} has no binding`, ErrCode.SnapshotHostUnbound, h.offset);
      }
    }
    if (info.hostFrames > 1) {
      throw snapshotError("the snapshot holds calls nested in host functions: this host cannot continue them", ErrCode.SnapshotState, info.calledFuncAt);
    }
  }
  engine.writeBytes(bytes);
  if (engine.raw.wrt_restore(bytes.length) < 0) throw lastSnapshotError(engine);
  if (!info) throw new WrtInternalError("the interpreter restored a snapshot the host cannot read");

  for (const h of info.hostFuncs) {
    if (isBuiltin(h.hostId)) continue;
    const fn = bindingOf(opts.hostFunctions, h.hostId);
    engine.bindHost(h.hostId, fn ? hostEntry(engine, h.type, fn) : engine.hosts.get(h.hostId)!);
  }
  engine.wrappers.clear(); // handles may now name other things

  const modules = new Map<number, Module>();
  const instances = info.instances.map((mi, handle) => {
    if (mi === null) return null;
    const m = info.modules[mi]!;
    const mh = moduleHandleFor(engine, mi, m.hash);
    let mod = modules.get(mh);
    if (!mod) modules.set(mh, (mod = Module.fromHandle(engine, mh)));
    return Instance.fromHandle(mod, handle);
  });

  let call: Suspended<unknown> | null = null;
  let callType: FuncType | null = null;
  let status: RestoredState["status"] = "idle";
  if (info.status === STATUS_READY || info.status === STATUS_HOST_CALL) {
    let type: FuncType;
    try {
      type = engine.funcType(info.calledFunc);
    } catch {
      type = { params: [], results: [] };
    }
    const r = refs(engine);
    const types = type.results;
    const convert = opts.raw ? (bits: bigint[]): unknown[] => bits : (bits: bigint[]): unknown[] => bits.map((b, i) => decodeValue(types[i]!, b, r));
    call = new Suspended(engine, type, convert, info.status === STATUS_HOST_CALL);
    callType = type;
    status = info.status === STATUS_HOST_CALL ? "host-call" : "suspended";
  } else if (info.status !== STATUS_IDLE) {
    throw new WrtInternalError(`restored machine status ${info.status}`);
  }
  return { status, instances, call, callType };
}

// migrate() is a method of the engine core (engine-core.ts); its totals are re-exported for the spec runner.
export { migrationStats, resetMigrationStats } from "./engine-core.js";
