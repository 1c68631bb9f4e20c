// Reading snapshots for the migration tests (docs/snapshot-format.md):
// sections, the machine's status, the whole-state digest, and the
// byte-for-byte comparison of `wrt lockstep`. Shared by migration.test.mjs
// and migration-simd.test.mjs; not a test file itself.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describeDifference } from "../../host-shims/node/dist/tools/lockstep.js";

/** The sections of a snapshot: tag -> { at: payload offset, size }. */
export function sections(s) {
  const dv = new DataView(s.buffer, s.byteOffset, s.byteLength);
  const out = new Map();
  for (let at = 24; at + 8 <= s.length - 4;) {
    const size = dv.getUint32(at + 4, true);
    out.set(String.fromCharCode(...s.subarray(at, at + 4)), { at: at + 8, size });
    at += 8 + size;
  }
  return out;
}

/** Machine status (4 idle, 5 call in progress), fuel left, call frames; pages of memory 0. */
export function machine(s) {
  const dv = new DataView(s.buffer, s.byteOffset, s.byteLength);
  const sec = sections(s);
  const m = sec.get("MACH").at, mems = sec.get("MEMS").at;
  return {
    status: dv.getUint32(m, true),
    fuel: dv.getBigUint64(m + 16, true),
    frames: dv.getUint32(m + 69, true),
    pages: dv.getUint32(mems + 8, true),
  };
}

/**
 * Digest of the whole state: SHA-256 of the snapshot without its checksum.
 * In an idle machine (status 4) the position fields pc, fp, resumeSide and
 * resumeK are not state: they keep whatever the last halt left there (they
 * differ between a run that finished in one go and one resumed from fuel
 * stops, without any snapshot), so they count as 0.
 */
export function stateDigest(s) {
  const b = Uint8Array.from(s.subarray(0, s.length - 4));
  const dv = new DataView(b.buffer);
  const m = sections(s).get("MACH").at;
  if (dv.getUint32(m, true) === 4) {
    for (const off of [8, 12, 24, 28]) dv.setUint32(m + off, 0, true);
  }
  return createHash("sha256").update(b).digest("hex");
}

/** Fails naming the first difference unless the two snapshots are the same bytes. */
export function assertSameState(got, want, what) {
  if (Buffer.from(got).equals(Buffer.from(want))) return;
  const d = describeDifference(got, want);
  assert.fail(`${what}: the state differs from the uninterrupted run's at the same fuel: ${d.part}, ${d.detail}`);
}
