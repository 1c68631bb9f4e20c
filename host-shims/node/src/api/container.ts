// The CLI container (docs/snapshot-format.md, "CLI container"): a snapshot
// plus the module bytes it needs, so that `wrt resume s.bin` can load the
// same modules (a snapshot names modules only by a hash of their bytes).
//
//   u32 magic        "WRTC" (0x43545257)
//   u32 version      1 or 2
//   u32 flags        bit0: the spectest host module was created before
//                    instantiating (its host functions have ids 1..7)
//   (version 2) u32 hostLength, hostLength bytes: UTF-8 JSON describing
//                    the host functions the CLI linked (WASI args/env/dirs,
//                    AssemblyScript env, trapping unknown imports), so that
//                    resume re-creates them with the same host ids
//   u32 moduleCount
//   moduleCount x { u32 length, length bytes }   in load order (handle 0, 1, ...)
//   u32 snapshotLength, snapshotLength bytes     (docs/snapshot-format.md)
//
// All integers little-endian; nothing may follow the snapshot.

import { ErrCode, WrtSnapshotError } from "./errors.js";
import { bytesArg } from "./args.js";

export const CONTAINER_MAGIC = 0x43545257; // "WRTC"
/** The newest version written (2: with a host description; 1 without, as before). */
export const CONTAINER_VERSION = 2;
export const CONTAINER_SPECTEST = 1;

export interface Container {
  flags: number;
  /** Version 2: what the CLI linked (JSON-able); null in version 1. */
  host?: unknown;
  modules: Uint8Array[];
  snapshot: Uint8Array;
}

/** Writes version 1 when there is no host description (what firmware reading containers expects), else version 2. */
export function writeContainer(c: Container): Uint8Array {
  const host = c.host == null ? null : new TextEncoder().encode(JSON.stringify(c.host));
  const size = 16 + (host ? 4 + host.length : 0) + c.modules.reduce((n, m) => n + 4 + m.length, 0) + 4 + c.snapshot.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, CONTAINER_MAGIC, true);
  dv.setUint32(4, host ? 2 : 1, true);
  dv.setUint32(8, c.flags >>> 0, true);
  let at = 12;
  const blob = (m: Uint8Array): void => {
    dv.setUint32(at, m.length, true);
    out.set(m, at + 4);
    at += 4 + m.length;
  };
  if (host) blob(host);
  dv.setUint32(at, c.modules.length, true);
  at += 4;
  for (const m of [...c.modules, c.snapshot]) blob(m);
  return out;
}

/** Reads a container; malformed ones throw WrtSnapshotError (code 120 not a container, 121 version, 124 inconsistent). */
export function readContainer(bytes: Uint8Array): Container {
  bytes = bytesArg(bytes, "readContainer", "container");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (what: string, at: number, code: number = ErrCode.SnapshotCorrupt): WrtSnapshotError =>
    new WrtSnapshotError(`snapshot container: ${what}`, code, at);
  if (bytes.length < 16 || dv.getUint32(0, true) !== CONTAINER_MAGIC) throw bad("not a WRT snapshot container", 0, ErrCode.SnapshotMagic);
  const version = dv.getUint32(4, true);
  if (version !== 1 && version !== 2) throw bad(`version ${version}`, 4, ErrCode.SnapshotVersion);
  const flags = dv.getUint32(8, true);
  let at = 12;
  const blob = (what: string): Uint8Array => {
    if (at + 4 > bytes.length) throw bad(`${what}: truncated`, at);
    const len = dv.getUint32(at, true);
    if (len > bytes.length - at - 4) throw bad(`${what}: length ${len} beyond the end`, at);
    const b = bytes.subarray(at + 4, at + 4 + len);
    at += 4 + len;
    return b;
  };
  let host: unknown = null;
  if (version === 2) {
    const text = blob("host description");
    try {
      host = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(text));
    } catch {
      throw bad("host description is not UTF-8 JSON", at - text.length);
    }
  }
  if (at + 4 > bytes.length) throw bad("module count: truncated", at);
  const n = dv.getUint32(at, true);
  if (n > (bytes.length - at - 4) / 4) throw bad(`module count ${n}`, at);
  at += 4;
  const modules: Uint8Array[] = [];
  for (let i = 0; i < n; i++) modules.push(blob(`module ${i}`));
  const snapshot = blob("snapshot");
  if (at !== bytes.length) throw bad("bytes after the snapshot", at);
  return { flags, host, modules, snapshot };
}
