// How a snapshot names its state (docs/snapshot-format.md, "Extending the
// format"): feature bits in the header and critical sections a reader does
// not know are refused by name; ancillary (lower-case) sections are skipped;
// a version 1 snapshot (whose readers ignored the features word) is refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Engine, Module, Instance, WrtSnapshotError, resealSnapshot } from "../../host-shims/node/dist/index.js";
import { GUEST, checkpoint } from "./snapshot-guest.mjs";
import { rawRestore, rawFinish } from "./snapshot-raw.mjs";

function setup() {
  const engine = new Engine({ log: false });
  const module = Module.load(engine, GUEST);
  const instance = Instance.instantiate(module, { env: { checkpoint } });
  return { engine, instance };
}

const expected = setup().instance.invoke("work", [200])[0];
const { engine: source, instance: srcInst } = setup();
const suspended = srcInst.call("work", [200], 3000);
assert.equal(suspended.done, false);
const SNAP = source.snapshot();

const tag = (s) => s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24) >>> 0;

/** Section starts (offset of the tag), walked by their lengths. */
function sections(b) {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = [];
  for (let at = 24; at < b.length - 4; at += 8 + dv.getUint32(at + 4, true)) {
    out.push({ at, tag: String.fromCharCode(...b.subarray(at, at + 4)) });
  }
  return out;
}

/** `b` with a section (tag, payload) inserted at byte `at`; length field and checksum fixed. */
function insertSection(b, at, name, payload) {
  const sec = new Uint8Array(8 + payload.length);
  const dv = new DataView(sec.buffer);
  dv.setUint32(0, tag(name), true);
  dv.setUint32(4, payload.length, true);
  sec.set(payload, 8);
  const out = new Uint8Array(b.length + sec.length);
  out.set(b.subarray(0, at));
  out.set(sec, at);
  out.set(b.subarray(at), at + sec.length);
  new DataView(out.buffer).setUint32(16, out.length, true);
  resealSnapshot(out);
  return out;
}

function withWord(b, at, v) {
  const out = b.slice();
  new DataView(out.buffer).setUint32(at, v >>> 0, true);
  resealSnapshot(out);
  return out;
}

/** Refused by the interpreter itself (raw ABI): the error. */
function rawRefusal(bytes) {
  const { rc, error } = rawRestore(bytes, [GUEST]);
  assert.equal(rc, -1, "the interpreter accepted the snapshot");
  return error;
}

function refusal(bytes) {
  try {
    Engine.restore(bytes, { modules: [GUEST], hostFunctions: { 1: checkpoint }, log: false });
  } catch (e) {
    assert.ok(e instanceof WrtSnapshotError, `expected WrtSnapshotError, got ${e}`);
    return e;
  }
  assert.fail("the snapshot was accepted");
}

function resumesCorrectly(bytes) {
  const r = Engine.restore(bytes, { modules: [GUEST], hostFunctions: { 1: checkpoint }, log: false });
  assert.equal(r.status, "suspended");
  const done = r.call.resume(1e9);
  assert.deepEqual(done.results, [expected]);
}

test("the writer names version 2 and no features; the untouched snapshot resumes", () => {
  const dv = new DataView(SNAP.buffer, SNAP.byteOffset);
  assert.equal(dv.getUint32(4, true), 2);
  assert.equal(dv.getUint32(20, true), 0);
  assert.deepEqual(sections(SNAP).map((s) => s.tag), ["MODS", "FUNC", "TABL", "MEMS", "GLOB", "INST", "MACH", "STAK"]);
  resumesCorrectly(SNAP);
});

test("a feature bit this reader lacks is refused by its name, or its number", () => {
  let e = refusal(withWord(SNAP, 20, 1 << 3));
  assert.equal(e.code, 121);
  assert.match(e.message, /feature "memory64"/);
  e = refusal(withWord(SNAP, 20, 1 << 1)); // bit 0 (simd) is implemented since SIMD landed
  assert.match(e.message, /feature "exceptions"/);
  e = refusal(withWord(SNAP, 20, 1 << 19));
  assert.equal(e.code, 121);
  assert.match(e.message, /feature bit 19/);
});

test("version 1 (readers that ignored the features word) is refused", () => {
  assert.equal(refusal(withWord(SNAP, 4, 1)).code, 121);
});

test("an unknown critical section is refused by its tag, wherever it stands", () => {
  const secs = sections(SNAP);
  const stak = secs.find((s) => s.tag === "STAK").at;
  const exnh = insertSection(SNAP, stak, "EXNH", new Uint8Array([1, 2, 3, 4]));
  assert.equal(refusal(exnh).code, 124); // the Node API refuses it too
  let e = rawRefusal(exnh);
  assert.equal(e.code, 124);
  assert.match(e.message, /unknown section "EXNH"/);
  e = rawRefusal(insertSection(SNAP, SNAP.length - 4, "THRD", new Uint8Array(12)));
  assert.match(e.message, /unknown section "THRD"/);
  // a known section out of its place is named too
  const mods = SNAP.subarray(secs[0].at + 8, secs[1].at);
  e = rawRefusal(insertSection(SNAP, stak, "MODS", mods));
  assert.match(e.message, /expected section "STAK", found "MODS"/);
});

test("ancillary sections (lower-case tags) are skipped, between sections and at the end", () => {
  const secs = sections(SNAP);
  let b = insertSection(SNAP, secs[3].at, "name", new TextEncoder().encode("debug names"));
  b = insertSection(b, b.length - 4, "sign", new Uint8Array(64).fill(7));
  b = insertSection(b, 24, "prov", new Uint8Array(0));
  resumesCorrectly(b); // the Node API skips them too
  const { engine, rc } = rawRestore(b, [GUEST]);
  assert.equal(rc, 0);
  const done = rawFinish(engine);
  assert.equal(done.status, "done");
  assert.deepEqual(done.results.map((v) => Number(BigInt.asIntN(32, v))), [expected]);
  // an ancillary section whose length runs past the end is still refused
  const bad = insertSection(SNAP, secs[3].at, "name", new Uint8Array(4));
  new DataView(bad.buffer).setUint32(secs[3].at + 4, 1 << 30, true);
  resealSnapshot(bad);
  assert.equal(rawRefusal(bad).code, 124);
});
