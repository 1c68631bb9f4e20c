// Corrupted snapshots: seeded and deterministic. Every one must be refused
// at restore with a WrtSnapshotError (never an internal error, never
// resumed), and after each refusal the interpreter still works and the good
// snapshot still restores.
//
// Kinds: truncations (as is, and with the length field and checksum made to
// fit), bit flips (the checksum catches them), and structural corruption
// with a recomputed valid checksum: wrong version / internal-code version /
// cost table, another module, tags and counts that do not fit, sizes above
// maxima or limits, addresses out of range, program counters off op
// boundaries, frame pointers misaligned or beyond the stack, bad statuses.
// The layout walked here is docs/snapshot-format.md.
//
// WRT_CORRUPT_COUNT=N changes the number of corrupted snapshots (default 12000).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Engine, Module, Instance, WrtSnapshotError, WrtInternalError, WrtTrap, resealSnapshot, seededRandom,
} from "../../host-shims/node/dist/index.js";
import { GUEST, checkpoint, wat } from "./snapshot-guest.mjs";

const COUNT = Number(process.env.WRT_CORRUPT_COUNT ?? 12000);
const FRAME_BYTES = 16;
const HOST_FRAME = 0xffffffff;

// ---- the layout, field by field ----

/**
 * Walks a snapshot and returns its fields: { name, at, size, value } (value
 * as a number for u8/u32, bigint for u64), plus the section list.
 */
export function layout(b) {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const fields = [];
  const sections = [];
  let at = 0;
  const f = (name, size) => {
    const value = size === 1 ? dv.getUint8(at) : size === 4 ? dv.getUint32(at, true) : size === 8 ? dv.getBigUint64(at, true) : null;
    fields.push({ name, at, size, value });
    at += size;
    return value;
  };
  f("header.magic", 4); f("header.version", 4); f("header.irVersion", 4); f("header.costHash", 4);
  f("header.totalLength", 4); at += 4; // reserved
  const counts = {};
  const section = (tag, body) => {
    sections.push({ tag, at });
    f(`${tag}.tag`, 4);
    f(`${tag}.length`, 4);
    body();
  };
  section("MODS", () => {
    const n = (counts.mods = f("MODS.count", 4));
    for (let i = 0; i < n; i++) { f("MODS.flags", 1); f("MODS.hash", 8); }
  });
  const funcs = [];
  section("FUNC", () => {
    const n = (counts.funcs = f("FUNC.count", 4));
    for (let i = 0; i < n; i++) {
      const kind = f("FUNC.kind", 1);
      if (kind === 0) { funcs.push("wasm"); f("FUNC.instance", 4); f("FUNC.funcIdx", 4); }
      else {
        funcs.push("host");
        f("FUNC.hostId", 4);
        const np = f("FUNC.np", 4), nr = f("FUNC.nr", 4);
        for (let j = 0; j < np + nr; j++) f("FUNC.typeByte", 1);
      }
    }
  });
  section("TABL", () => {
    const n = (counts.tables = f("TABL.count", 4));
    for (let i = 0; i < n; i++) {
      const et = f("TABL.elemType", 1); f("TABL.max", 4);
      const size = f("TABL.size", 4);
      for (let j = 0; j < size; j++) f(et === 0x70 ? "TABL.funcref" : "TABL.externref", 8);
    }
  });
  section("MEMS", () => {
    const n = (counts.mems = f("MEMS.count", 4));
    for (let i = 0; i < n; i++) {
      f("MEMS.max", 4); f("MEMS.pages", 4);
      const stored = f("MEMS.stored", 4);
      for (let k = 0; k < stored; k++) { f("MEMS.pageIndex", 4); at += 65536; }
    }
  });
  section("GLOB", () => {
    const n = (counts.globals = f("GLOB.count", 4));
    for (let i = 0; i < n; i++) {
      const t = f("GLOB.type", 1); f("GLOB.mutable", 1); f(t === 0x70 ? "GLOB.funcref" : "GLOB.value", 8);
    }
  });
  section("INST", () => {
    const n = (counts.instances = f("INST.count", 4));
    for (let i = 0; i < n; i++) {
      if (f("INST.present", 1) === 0) continue;
      f("INST.module", 4);
      for (const list of ["funcAddrs", "tableAddrs", "memAddrs", "globalAddrs"]) {
        const m = f(`INST.${list}.count`, 4);
        for (let k = 0; k < m; k++) f(`INST.${list}`, 4);
      }
      for (const list of ["droppedElems", "droppedDatas"]) {
        const m = f(`INST.${list}.count`, 4);
        for (let k = 0; k < m; k++) f(`INST.${list}`, 1);
      }
      const ne = f("INST.elemSegs.count", 4);
      for (let j = 0; j < ne; j++) {
        const m = f("INST.elemSeg.length", 4);
        for (let k = 0; k < m; k++) f("INST.elemRef", 8);
      }
    }
  });
  section("MACH", () => {
    for (const [name, size] of [["status", 4], ["instance", 4], ["pc", 4], ["fp", 4], ["fuel", 8], ["resumeSide", 4],
      ["resumeK", 4], ["hostFunc", 4], ["hostArgsOff", 4], ["hostDirect", 1], ["resultsOff", 4], ["resultCount", 4],
      ["calledFunc", 4], ["pending", 4], ["trap", 4], ["trapInstance", 4], ["trapPc", 4]]) f(`MACH.${name}`, size);
    const n = f("MACH.frameCount", 4);
    for (let i = 0; i < n; i++) {
      const inst = f("FRAME.instance", 4);
      if (inst === HOST_FRAME) { f("HFRAME.hostFunc", 4); f("HFRAME.argsOff", 4); f("HFRAME.flags", 4); }
      else { f("FRAME.pc", 4); f("FRAME.fp", 4); f("FRAME.flags", 4); }
    }
  });
  section("STAK", () => {
    const top = f("STAK.top", 4);
    at += top;
  });
  assert.equal(at + 4, b.length, "layout walk ends at the checksum");
  const by = (name) => fields.filter((x) => x.name === name);
  const one = (name) => by(name)[0];
  return { fields, sections, counts, funcs, by, one };
}

// ---- mutations ----

const u32 = (b, at, v) => new DataView(b.buffer, b.byteOffset).setUint32(at, v >>> 0, true);

/**
 * Structural mutations that make the snapshot certainly invalid (the
 * checksum is recomputed afterwards). Each: [name, applies(L), mutate(b, L, rnd)].
 */
function structuralMutations() {
  const pick = (rnd, list) => list[Math.floor(rnd() * list.length)];
  const setField = (b, fl, v) => {
    if (fl.size === 1) b[fl.at] = v & 0xff;
    else if (fl.size === 4) u32(b, fl.at, v);
    else new DataView(b.buffer, b.byteOffset).setBigUint64(fl.at, BigInt.asUintN(64, BigInt(v)), true);
  };
  const big = (rnd) => pick(rnd, [0xffffffff, 0x80000000, 0x7fffffff, 0x10000000, 0x01000000]);
  const M = [];
  const field = (name, how) => M.push([name, (L) => L.by(name).length > 0, (b, L, rnd) => {
    const fl = pick(rnd, L.by(name));
    setField(b, fl, how(fl.value, rnd, L, fl));
  }]);
  field("header.version", (v, rnd) => pick(rnd, [0, 1, 3, 0xffffffff, 1 << 16]));
  field("header.irVersion", (v, rnd) => v + 1 + Math.floor(rnd() * 1000));
  field("header.costHash", (v, rnd) => v ^ (1 << Math.floor(rnd() * 32)));
  field("header.magic", (v, rnd) => v ^ (1 << Math.floor(rnd() * 32)));
  M.push(["section.tag", () => true, (b, L, rnd) => { const s = pick(rnd, L.sections); b[s.at + Math.floor(rnd() * 4)] ^= 1 << Math.floor(rnd() * 8); }]);
  M.push(["section.length beyond the end", () => true, (b, L, rnd) => { const s = pick(rnd, L.sections); u32(b, s.at + 4, b.length + 1 + Math.floor(rnd() * 1e6)); }]);
  for (const c of ["MODS.count", "FUNC.count", "TABL.count", "MEMS.count", "GLOB.count", "INST.count"]) {
    field(c, (v, rnd) => pick(rnd, [v + 1, v + 2, v - 1, big(rnd)]));
  }
  field("MODS.hash", (v, rnd) => v ^ (1n << BigInt(Math.floor(rnd() * 64))));
  field("MODS.flags", (v, rnd) => pick(rnd, [v ^ 1, v ^ 2]));
  field("FUNC.kind", (v, rnd) => 2 + Math.floor(rnd() * 254));
  field("FUNC.instance", (v, rnd, L) => pick(rnd, [L.counts.instances, L.counts.instances + 7, big(rnd)]));
  field("FUNC.funcIdx", (v, rnd) => pick(rnd, [v + 1, v - 1, v + 1000, big(rnd)]));
  field("FUNC.hostId", (v, rnd) => v + 1 + Math.floor(rnd() * 1000)); // the host has no function of that id
  field("TABL.elemType", (v, rnd) => pick(rnd, [0, 0x7f, 0x6e, 0x71, 0xff]));
  M.push(["TABL.size above max", (L) => L.by("TABL.max").some((m) => m.value !== 0xffffffff), (b, L, rnd) => {
    const maxes = L.by("TABL.max").filter((m) => m.value !== 0xffffffff);
    const m = pick(rnd, maxes);
    u32(b, m.at, Math.floor(rnd() * dvU32(b, m.at + 4))); // max below size (size follows max)
    if (dvU32(b, m.at) === dvU32(b, m.at + 4)) u32(b, m.at, dvU32(b, m.at + 4) - 1);
  }]);
  field("TABL.size", (v, rnd) => pick(rnd, [v + 1, v - 1, big(rnd)]));
  field("TABL.funcref", (v, rnd, L) => pick(rnd, [L.counts.funcs + 1, L.counts.funcs + 1000, 2n ** 63n, 2n ** 64n - 1n]));
  field("MEMS.pages", (v, rnd) => pick(rnd, [65537, 0x10000000, big(rnd), 0]));
  field("MEMS.max", (v, rnd, L, fl) => Math.max(0, dvU32Of(L, fl.at + 4) - 1 - Math.floor(rnd() * 3)));
  field("MEMS.stored", (v, rnd) => pick(rnd, [v + 1, v - 1, big(rnd)]));
  field("MEMS.pageIndex", (v, rnd) => pick(rnd, [0x10000, 0xffffffff, 65535]));
  field("GLOB.mutable", (v, rnd) => 2 + Math.floor(rnd() * 254));
  field("GLOB.funcref", (v, rnd, L) => pick(rnd, [L.counts.funcs + 1, 2n ** 64n - 1n]));
  field("INST.module", (v, rnd, L) => pick(rnd, [L.counts.mods, L.counts.mods + 5, big(rnd)]));
  for (const list of ["funcAddrs", "tableAddrs", "memAddrs", "globalAddrs", "droppedElems", "droppedDatas"]) {
    field(`INST.${list}.count`, (v, rnd) => pick(rnd, [v + 1, v - 1, big(rnd)]));
  }
  field("INST.funcAddrs", (v, rnd, L) => pick(rnd, [L.counts.funcs, L.counts.funcs + 3, big(rnd)]));
  field("INST.tableAddrs", (v, rnd, L) => pick(rnd, [L.counts.tables, big(rnd)]));
  field("INST.memAddrs", (v, rnd, L) => pick(rnd, [L.counts.mems, big(rnd)]));
  field("INST.globalAddrs", (v, rnd, L) => pick(rnd, [L.counts.globals, big(rnd)]));
  field("INST.elemSegs.count", (v, rnd) => pick(rnd, [v + 1, v - 1, big(rnd)]));
  field("INST.elemSeg.length", (v, rnd) => pick(rnd, [v + 1, big(rnd)]));
  field("INST.elemRef", (v, rnd, L) => pick(rnd, [L.counts.funcs + 1, 2n ** 64n - 1n]));
  field("MACH.status", (v, rnd) => pick(rnd, [0, 1, 3, 6, 7, big(rnd)]));
  M.push(["MACH.instance out of range", (L) => L.one("MACH.status").value !== 4, (b, L, rnd) => u32(b, L.one("MACH.instance").at, pick(rnd, [L.counts.instances, big(rnd)]))]);
  M.push(["MACH.pc off an op boundary", (L) => L.one("MACH.status").value === 5, (b, L, rnd) => { const fl = L.one("MACH.pc"); u32(b, fl.at, fl.value + 1 + Math.floor(rnd() * 3)); }]);
  M.push(["MACH.pc beyond the code", (L) => L.one("MACH.status").value === 5, (b, L, rnd) => u32(b, L.one("MACH.pc").at, 0x10000000 + 4 * Math.floor(rnd() * 1000))]);
  M.push(["MACH.fp misaligned", (L) => L.one("MACH.status").value === 5, (b, L, rnd) => { const fl = L.one("MACH.fp"); u32(b, fl.at, fl.value + 1 + Math.floor(rnd() * 7)); }]);
  M.push(["MACH.fp beyond the stack", (L) => L.one("MACH.status").value === 5, (b, L, rnd) => u32(b, L.one("MACH.fp").at, pick(rnd, [0x7ffffff8, 0x100000, 0xfffffff8]))]);
  M.push(["MACH.resumeSide bogus", (L) => L.one("MACH.resumeSide").value === 0xffffffff, (b, L, rnd) => u32(b, L.one("MACH.resumeSide").at, pick(rnd, [0x7ffffff0, 0x7fffffff, 1 << 24]))]);
  M.push(["MACH.resumeK beyond its block", (L) => L.one("MACH.resumeSide").value !== 0xffffffff, (b, L, rnd) => u32(b, L.one("MACH.resumeK").at, L.one("MACH.resumeK").value + 1000 + Math.floor(rnd() * 1e6))]);
  M.push(["MACH.hostFunc not a host function", (L) => L.one("MACH.status").value === 2, (b, L, rnd) => {
    const wasm = L.funcs.map((k, i) => (k === "wasm" ? i : -1)).filter((i) => i >= 0);
    u32(b, L.one("MACH.hostFunc").at, pick(rnd, [...wasm, L.counts.funcs, big(rnd)]));
  }]);
  M.push(["MACH.hostArgsOff beyond the stack", (L) => L.one("MACH.status").value === 2, (b, L, rnd) => u32(b, L.one("MACH.hostArgsOff").at, pick(rnd, [0xfffffff0, 0x7ffffff8, 0x10000000]))]);
  field("MACH.resultsOff", (v, rnd) => pick(rnd, [0xfffffff0, 0x7ffffff8, 0x10000000]));
  field("MACH.pending", (v, rnd) => pick(rnd, [1, 2, 4, 5, 0x7fffffff]));
  field("MACH.frameCount", (v, rnd) => pick(rnd, [v + 1, v - 1, big(rnd)]));
  M.push(["FRAME.instance out of range", (L) => L.by("FRAME.instance").some((x) => x.value !== HOST_FRAME), (b, L, rnd) => {
    const fl = pick(rnd, L.by("FRAME.instance").filter((x) => x.value !== HOST_FRAME));
    u32(b, fl.at, pick(rnd, [L.counts.instances, L.counts.instances + 1, 0x7fffffff]));
  }]);
  field("FRAME.pc", (v, rnd) => v + 1 + Math.floor(rnd() * 3));
  field("FRAME.fp", (v, rnd) => pick(rnd, [v + 1 + Math.floor(rnd() * 7), 0x7ffffff8, 0xfffffff8]));
  field("HFRAME.flags", (v, rnd) => 4 + Math.floor(rnd() * 1000));
  M.push(["first frame not a host frame", (L) => L.by("FRAME.instance").length > 0, (b, L, rnd) => u32(b, L.by("FRAME.instance")[0].at, 0)]);
  field("STAK.top", (v, rnd) => pick(rnd, [v + 1, v - 1, v + 8, 0x7fffffff, 0xffffffff]));
  return M;
}

function dvU32(b, at) {
  return new DataView(b.buffer, b.byteOffset).getUint32(at, true);
}
let currentBytes = null;
function dvU32Of(_L, at) {
  return dvU32(currentBytes, at);
}

// ---- the bases: good snapshots in every kind of halt ----

function setup() {
  const engine = new Engine({ log: false });
  const module = Module.load(engine, GUEST);
  const instance = Instance.instantiate(module, { env: { checkpoint } });
  return { engine, module, instance };
}

function bases() {
  const out = [];
  for (const fuel of [150, 700, 2222]) {
    const { engine, instance } = setup();
    const s = instance.call("work", [300], fuel);
    assert.equal(s.done, false);
    out.push({ name: `out of fuel at ${fuel}`, bytes: engine.snapshot(), want: null });
    s.abandon();
  }
  {
    let snap = null;
    const { engine, instance } = setup();
    instance.func("checkpoint" in instance.exports ? "checkpoint" : "hosted");
    engine.hosts.get(1).call = ((orig) => (args) => ((snap ??= engine.snapshot()), orig(args)))(engine.hosts.get(1).call);
    instance.invoke("hosted", [30]);
    out.push({ name: "at a host call", bytes: snap });
  }
  {
    const { engine, instance } = setup();
    instance.invoke("work", [20]);
    out.push({ name: "idle", bytes: engine.snapshot() });
  }
  // what each base gives when resumed (the oracle for "the good snapshot still restores")
  for (const b of out) {
    const { engine } = setup();
    b.want = finish(engine.restore(b.bytes), engine);
  }
  return out;
}

/** Runs a restored state to its end: the call's results, or a probe of the idle store. */
function finish(state, engine) {
  if (state.call) return state.call.resume(1n << 40n).results;
  return state.instances[0].invoke("peek", [65600]);
}

function outcome(engine, bytes) {
  try {
    const state = engine.restore(bytes, { hostFunctions: { 1: checkpoint } });
    return { accepted: state };
  } catch (e) {
    return { error: e };
  }
}

test(`${COUNT} corrupted snapshots are refused with WrtSnapshotError; the interpreter stays usable`, () => {
  const t0 = performance.now();
  const rnd = seededRandom(20261121);
  const B = bases();
  const layouts = B.map((b) => layout(b.bytes));
  const M = structuralMutations();
  const target = setup();
  const tally = new Map();
  const codes = new Map();
  const rawAccepted = new Map();
  const note = (k) => tally.set(k, (tally.get(k) ?? 0) + 1);
  for (let i = 0; i < COUNT; i++) {
    const bi = Math.floor(rnd() * B.length);
    const good = B[bi].bytes;
    const L = layouts[bi];
    let bad;
    let kind;
    const r = rnd();
    if (r < 0.15) {
      kind = "truncated";
      bad = good.slice(0, Math.floor(rnd() * (good.length - 1)));
    } else if (r < 0.25) {
      kind = "truncated, length and checksum fixed";
      const len = 28 + Math.floor(rnd() * (good.length - 29));
      bad = good.slice(0, len);
      if (bad.length >= 28) {
        u32(bad, 16, bad.length);
        resealSnapshot(bad);
      }
    } else if (r < 0.4) {
      kind = "bit flips";
      bad = good.slice();
      const flips = 1 + Math.floor(rnd() * 4);
      for (let k = 0; k < flips; k++) bad[Math.floor(rnd() * bad.length)] ^= 1 << Math.floor(rnd() * 8);
      if (bad.every((v, j) => v === good[j])) bad[0] ^= 1;
    } else {
      const usable = M.filter(([, applies]) => applies(L));
      const [name, , mutate] = usable[Math.floor(rnd() * usable.length)];
      kind = name;
      bad = good.slice();
      currentBytes = bad;
      mutate(bad, L, rnd);
      resealSnapshot(bad);
    }
    note(kind);
    const res = outcome(target.engine, bad);
    if (res.accepted) {
      assert.fail(`corrupted snapshot #${i} (${kind}, base "${B[bi].name}") was accepted: status ${res.accepted.status}; ` +
        `differs from the good one at ${[...bad].map((v, j) => (v !== good[j] ? j : -1)).filter((j) => j >= 0).slice(0, 8).join(",")}` +
        ` (fields ${[...bad].map((v, j) => (v !== good[j] ? j : -1)).filter((j) => j >= 0).slice(0, 4).map((j) => L.fields.filter((f) => f.at <= j && j < f.at + f.size).map((f) => f.name).join("/")).join(", ")})`);
    }
    const e = res.error;
    if (!(e instanceof WrtSnapshotError)) {
      assert.fail(`corrupted snapshot #${i} (${kind}): ${e?.name}: ${e?.message}`);
    }
    assert.ok(e.message.length > 0);
    codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
    // The interpreter on its own (no host-side checks) must refuse it too,
    // except a host id it cannot know is unbound.
    const raw = target.engine.raw;
    target.engine.writeBytes(bad);
    if (raw.wrt_restore(bad.length) === 0) {
      rawAccepted.set(kind, (rawAccepted.get(kind) ?? 0) + 1);
      raw.wrt_abandon();
      assert.ok(kind === "FUNC.hostId", `corrupted snapshot #${i} (${kind}): refused by the host side only`);
    } else {
      assert.ok(raw.wrt_error_code() >= 120 && raw.wrt_error_code() <= 126, `code ${raw.wrt_error_code()}`);
    }
    // Now and then: the interpreter still works, and the good snapshot still restores and finishes the same.
    if (i % 250 === 0 || i === COUNT - 1) {
      assert.equal(target.engine.dead, false);
      const gb = B[(i / 250) % B.length | 0];
      const state = target.engine.restore(gb.bytes, { hostFunctions: { 1: checkpoint } });
      assert.deepEqual(finish(state, target.engine), gb.want);
    }
  }
  const ms = performance.now() - t0;
  console.log(`# ${COUNT} corrupted snapshots refused in ${(ms / 1000).toFixed(1)} s; codes ${JSON.stringify(Object.fromEntries(codes))}`);
  console.log(`# accepted by the interpreter alone (refused by the Node API): ${JSON.stringify(Object.fromEntries(rawAccepted))}`);
  console.log(`# kinds: ${[...tally].map(([k, n]) => `${k}: ${n}`).join("; ")}`);
  assert.ok(tally.size > 40, `only ${tally.size} kinds`);
});

test("a snapshot of another module, and of the same module with other fuel metering, is refused", () => {
  const [good] = bases();
  const other = wat(`(module (import "env" "checkpoint" (func (param i32) (result i32))) (memory 2) (func (export "x")))`);
  const e = new Engine({ log: false });
  Instance.instantiate(Module.load(e, other), { env: { checkpoint } });
  assert.throws(() => e.restore(good.bytes, { hostFunctions: { 1: checkpoint } }), (x) => x instanceof WrtSnapshotError && x.code === 123);
  const unmetered = new Engine({ log: false, config: { fuelMetering: 0 } });
  Module.load(unmetered, GUEST);
  assert.throws(() => unmetered.restore(good.bytes, { hostFunctions: { 1: checkpoint } }), (x) => x instanceof WrtSnapshotError && x.code === 123);
});

// Random values in fields the format does not constrain to a set (with a
// valid checksum) may make another valid state: they may be accepted, but
// then the guest must run on as a guest (results, traps), never crash the
// interpreter.
test("random structural values (valid checksum): refused, or accepted and run without an interpreter fault", () => {
  const rnd = seededRandom(4242);
  const B = bases();
  let accepted = 0, refused = 0;
  const acceptedKinds = new Map();
  for (let i = 0; i < 3000; i++) {
    const bi = Math.floor(rnd() * B.length);
    const L = layout(B[bi].bytes);
    const fl = L.fields[Math.floor(rnd() * L.fields.length)];
    const bad = B[bi].bytes.slice();
    const v = rnd() < 0.5 ? Math.floor(rnd() * 2 ** 32) : Math.floor(rnd() * 64);
    if (fl.size === 1) bad[fl.at] = v & 0xff;
    else if (fl.size === 4) u32(bad, fl.at, v);
    else new DataView(bad.buffer).setBigUint64(fl.at, BigInt(v) * (rnd() < 0.5 ? 1n : 0x100000001n), true);
    resealSnapshot(bad);
    const engine = setup().engine;
    const res = outcome(engine, bad);
    if (res.error) {
      assert.ok(res.error instanceof WrtSnapshotError, `${fl.name}=${v}: ${res.error.name}: ${res.error.message}`);
      refused++;
      continue;
    }
    accepted++;
    acceptedKinds.set(fl.name, (acceptedKinds.get(fl.name) ?? 0) + 1);
    try {
      if (res.accepted.call) res.accepted.call.resume(200000);
      else res.accepted.instances[0]?.invoke("work", [5], { fuel: 200000 });
    } catch (e) {
      assert.ok(!(e instanceof WrtInternalError) && !engine.dead, `${fl.name} at ${fl.at} = ${v} (base "${B[bi].name}"): accepted, then ${e?.name}: ${e?.message}`);
    }
  }
  console.log(`# random field values: ${refused} refused, ${accepted} accepted and ran without a fault (${[...acceptedKinds].map(([k, n]) => `${k} ${n}`).join(", ")})`);
});

// ---- known gaps of the interpreter's checks (assembly/state/restore.ts) ----

/** The good mid-call snapshot with its bottom host frame's fields changed (CRC recomputed). */
function bottomHostFrame(flags) {
  const { engine, instance } = setup();
  instance.call("work", [300], 700);
  const bytes = engine.snapshot();
  const L = layout(bytes);
  const hf = L.by("HFRAME.flags")[0];
  u32(bytes, hf.at - 8, 0); // saved hostFunc: address 0, the host function env.checkpoint
  u32(bytes, hf.at, flags);
  resealSnapshot(bytes);
  return bytes;
}

test("a bottom host frame that claims an outer host call is refused", {
}, () => {
  for (const flags of [1, 3]) {
    const t = setup();
    let state;
    try {
      state = t.engine.restore(bottomHostFrame(flags), { hostFunctions: { 1: checkpoint } });
    } catch (e) {
      assert.ok(e instanceof WrtSnapshotError);
      continue;
    }
    state.call.resume(1n << 40n);
    state.instances[0].invoke("peek", [16]);
    assert.fail(`flags ${flags}: accepted and ran on`);
  }
});

test("a snapshot taken after dropping a module that a live instance uses restores", {
}, () => {
  const { engine, module } = setup();
  module.drop();
  const bytes = engine.snapshot();
  const t = setup();
  const state = t.engine.restore(bytes, { hostFunctions: { 1: checkpoint } });
  // idle (no call was running), the one instance back with its memory: the
  // data segment "hello snapshot" at 16, read as a little-endian i32 ("hell")
  assert.ok(!state.call, "an idle snapshot restored a running call");
  assert.equal(state.instances.length, 1);
  assert.deepEqual(state.instances[0].invoke("peek", [16]), [0x6c6c6568]);
  assert.deepEqual(state.instances[0].invoke("peek", [20]), [0x6e73206f]); // "o sn"
});
