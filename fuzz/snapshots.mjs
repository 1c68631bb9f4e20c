// Structure-aware snapshot fuzzing (issue 18 part 8, the snapshot half).
//
//   node fuzz/snapshots.mjs [--count N] [--seed S] [--engine node|native]
//                           [--native-bin PATH] [--spec-dir DIR] [--verbose]
//
// Real snapshots (guests of fuzz/snapshots-guests.mjs and spec-suite
// modules, halted by fuel at many points, at host calls, inside nested
// calls, idle) are decoded (fuzz/snapshots-codec.mjs), one to three fields
// with a meaning are changed (indices, offsets, lengths, kinds, types, pcs,
// stack heights, slot values), the CRC is recomputed, and the result is
// restored through the raw ABI (and every fourth one through the Node
// API; natively every 200th). An accepted snapshot is run on: its call continues to its end or
// its fuel, host calls answered with zeros. Counted as failures: an
// interpreter fault (WrtInternalError: an abort or a trap inside the
// interpreter) at restore or after it, a refusal that is not a
// WrtSnapshotError, and an engine that no longer restores the original
// after a refusal. The last line is
// `snapshots: N crafted, A accepted, R refused, F faults in T s`;
// failing inputs go to fuzz/failures/snap-*.bin. Exit status 1 if F > 0.
//
// `npm run fuzz -- --mode snapshots` runs 100,000 (fuzz/modes.mjs).
// With --engine native the interpreter is build/wrt-native, or --native-bin
// (build/wrt-native-asan from `npm run build:native -- --sanitize`, where
// any AddressSanitizer/UndefinedBehaviorSanitizer report ends the process:
// a fault).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  Engine, Module, Instance, WrtInternalError, WrtSnapshotError, createSpectest, seededRandom,
} from "../host-shims/node/dist/index.js";
import { decode, encode, HOST_FRAME } from "./snapshots-codec.mjs";
import { guests } from "./snapshots-guests.mjs";
import { specModules } from "./lib/sources.mjs";
import { testsuiteDir } from "./lib/testsuite.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");

// ---- collecting real snapshots ----

/** Raw call of `handle` with i64 args; returns the wrt_run status. */
function rawCall(engine, handle, args, fuel) {
  const dv = engine.io(Math.max(8, args.length * 8));
  args.forEach((a, i) => dv.setBigUint64(i * 8, BigInt.asUintN(64, BigInt(a)), true));
  if (engine.raw.wrt_call(handle, args.length) < 0) return -1;
  return engine.raw.wrt_run(BigInt(fuel));
}

function rawSnapshot(engine) {
  const n = engine.raw.wrt_snapshot();
  if (n < 0) return null;
  return new Uint8Array(engine.memory.buffer, engine.ioAddress(n), n).slice();
}

/** Answers the pending host call with zero results (as many as its type takes); returns the next status. */
function answerHost(engine, fuel) {
  const r = engine.raw;
  for (let k = 0; k <= 2; k++) {
    engine.io(24).setBigUint64(0, 0n, true);
    engine.io(24).setBigUint64(8, 0n, true);
    if (r.wrt_host_return(k) === 0) return r.wrt_run(BigInt(fuel));
  }
  return -1;
}

/**
 * A source: modules (bytes), how to set up an engine (instantiate, host
 * functions), and the snapshots taken from it. setup(engine) returns the
 * exported function handles to call.
 */
class Source {
  constructor(name, modules, setup) {
    this.name = name;
    this.modules = modules;
    this.setup = setup;
    this.snaps = [];
  }
}

function engineFor(source, opts) {
  const engine = new Engine({ log: false, engine: opts.engine, nativePath: opts.nativePath });
  for (const b of source.modules) Module.load(engine, b);
  return engine;
}

/** Runs the source's calls, snapshotting at fuel halts, host calls (also nested) and idle. */
function collect(source, opts, rnd, maxSnaps) {
  const engine = new Engine({ log: false, engine: opts.engine, nativePath: opts.nativePath });
  const funcs = source.setup(engine);
  const take = () => { const b = rawSnapshot(engine); if (b && source.snaps.length < maxSnaps) source.snaps.push(b); };
  take(); // idle, before anything ran
  for (const { handle, args } of funcs) {
    if (source.snaps.length >= maxSnaps) break;
    let st = rawCall(engine, handle, args, 1 + Math.floor(rnd() * 60));
    for (let round = 0; round < 40 && (st === 1 || st === 2); round++) {
      take();
      if (st === 2 && round === 1) {
        // a nested call from inside the host call, halted by fuel or at its own host call
        const inner = funcs[Math.floor(rnd() * funcs.length)];
        const s2 = rawCall(engine, inner.handle, inner.args, 1 + Math.floor(rnd() * 30));
        if (s2 === 1 || s2 === 2) take();
        engine.raw.wrt_abandon();
        break;
      }
      st = st === 2 ? answerHost(engine, 1 + Math.floor(rnd() * 400)) : engine.raw.wrt_run(BigInt(1 + Math.floor(rnd() * 400)));
    }
    if (st === 0 || st === 3) take(); // idle after a finished or trapped call
    engine.raw.wrt_abandon();
  }
}

function guestSources() {
  return guests().map((g) => new Source(g.name, [g.bytes], (engine) => {
    const module = Module.load(engine, g.bytes);
    const inst = Instance.instantiate(module, g.imports(engine));
    return g.calls.map(([name, args]) => ({ handle: inst.func(name).handle, args }));
  }));
}

function specSources(dir, rnd, n) {
  const pool = specModules(dir).filter((m) => m.bytes.length < 20_000);
  const out = [];
  for (let i = 0; i < n && pool.length > 0; i++) {
    const m = pool[Math.floor(rnd() * pool.length)];
    out.push(new Source(`spec:${m.name}`, [m.bytes], (engine) => {
      const module = Module.load(engine, m.bytes);
      const inst = Instance.instantiate(module, { spectest: createSpectest(engine) });
      const calls = [];
      for (const e of module.exports()) {
        if (e.kind !== "func") continue;
        const f = inst.func(e.name);
        calls.push({ handle: f.handle, args: f.type.params.map(() => Math.floor(rnd() * 8)) });
      }
      return calls;
    }));
  }
  return out;
}

// ---- mutations ----

const U32 = 0xffffffff;
const pick = (rnd, list) => list[Math.floor(rnd() * list.length)];
const near = (rnd, v, n) => pick(rnd, [v + 1, v - 1, v + n, Math.max(0, v - n), 0, U32, v ^ (1 << Math.floor(rnd() * 31))]) >>> 0;

/** Mutations with a meaning: each changes `s` (decoded, already a private copy) and says what. */
function mutations(s) {
  const M = [];
  const nf = s.funcs.length, ni = s.insts.length, nt = s.tables.length, nm = s.mems.length, ng = s.globals.length;
  const frames = s.mach.frames;
  const pcs = frames.filter((f) => f[0] !== HOST_FRAME).map((f) => f[1]).concat([s.mach.pc]);
  const fps = frames.filter((f) => f[0] !== HOST_FRAME).map((f) => f[2]).concat([s.mach.fp]);
  const add = (name, when, fn) => { if (when) M.push([name, fn]); };
  // indices
  add("FUNC.instance", s.funcs.some((f) => f.kind === 0), (r) => { const f = pick(r, s.funcs.filter((x) => x.kind === 0)); f.instance = pick(r, [ni, ni - 1, f.instance + 1, U32, 0]) >>> 0; });
  add("FUNC.funcIdx", s.funcs.some((f) => f.kind === 0), (r) => { const f = pick(r, s.funcs.filter((x) => x.kind === 0)); f.funcIdx = near(r, f.funcIdx, 3); });
  add("FUNC.hostId", s.funcs.some((f) => f.kind === 1), (r) => { const f = pick(r, s.funcs.filter((x) => x.kind === 1)); f.hostId = pick(r, [f.hostId + 1, 0, U32, 0xffffff9c, 7]) >>> 0; });
  add("INST.addr", ni > 0 && s.insts.some(Boolean), (r) => {
    const i = pick(r, s.insts.filter(Boolean));
    const list = pick(r, ["funcs", "tables", "mems", "globals"]);
    if (i[list].length === 0) return;
    const k = Math.floor(r() * i[list].length);
    const n = { funcs: nf, tables: nt, mems: nm, globals: ng }[list];
    i[list][k] = pick(r, [Math.floor(r() * n), n, i[list][k] + 1, U32, 0]) >>> 0;
  });
  add("INST.module", s.insts.some(Boolean), (r) => { const i = pick(r, s.insts.filter(Boolean)); i.module = near(r, i.module, 1); });
  add("MACH.inst", true, (r) => { s.mach.inst = pick(r, [0, 1, ni, ni - 1, U32]) >>> 0; });
  add("MACH.hostFunc", true, (r) => { s.mach.hostFunc = pick(r, [Math.floor(r() * nf), nf, U32, s.mach.calledFunc]) >>> 0; });
  add("MACH.calledFunc", true, (r) => { s.mach.calledFunc = pick(r, [Math.floor(r() * nf), nf, U32, s.mach.hostFunc]) >>> 0; });
  add("frame.word", frames.length > 0, (r) => { const f = pick(r, frames); const w = Math.floor(r() * 4); f[w] = pick(r, [near(r, f[w], 4), Math.floor(r() * nf), pick(r, pcs), pick(r, fps), 1, 3, HOST_FRAME]) >>> 0; });
  // offsets and pcs
  add("MACH.pc", true, (r) => { s.mach.pc = pick(r, [...pcs, near(r, s.mach.pc, 4), s.mach.pc + 12, s.mach.pc - 12, s.mach.pc + 20]) >>> 0; });
  add("MACH.fp", true, (r) => { s.mach.fp = pick(r, [...fps, near(r, s.mach.fp, 8), s.stack.length, s.stack.length - 8]) >>> 0; });
  add("MACH.hostArgsOff", true, (r) => { s.mach.hostArgsOff = pick(r, [...fps, near(r, s.mach.hostArgsOff, 8), s.stack.length]) >>> 0; });
  add("MACH.results", true, (r) => { if (r() < 0.5) s.mach.resultsOff = near(r, s.mach.resultsOff, 8); else s.mach.resultCount = near(r, s.mach.resultCount, 1); });
  add("MACH.resume", true, (r) => { if (r() < 0.5) s.mach.resumeSide = pick(r, [0, 1, 4, U32, s.mach.resumeSide + 1]) >>> 0; else s.mach.resumeK = near(r, s.mach.resumeK, 1); });
  // kinds and statuses
  add("MACH.status", true, (r) => { s.mach.status = pick(r, [2, 4, 5, 0, 1, 3]); });
  add("MACH.pending", true, (r) => { s.mach.pending = pick(r, [U32, 0, 3, 1]) >>> 0; });
  add("MACH.hostDirect", true, (r) => { s.mach.hostDirect = pick(r, [0, 1, 2]); });
  add("MACH.trap", true, (r) => { s.mach.trap = pick(r, [0, 5, 13, 14, 200]); });
  add("FUNC.kind", nf > 0, (r) => { pick(r, s.funcs).kind = pick(r, [0, 1, 2]); });
  add("frame.flags", frames.some((f) => f[0] === HOST_FRAME), (r) => { pick(r, frames.filter((f) => f[0] === HOST_FRAME))[3] = pick(r, [0, 1, 2, 3, 4]); });
  // types
  add("GLOB.type", ng > 0, (r) => { pick(r, s.globals).type = pick(r, [0x7f, 0x7e, 0x7d, 0x7c, 0x70, 0x6f, 0x7b, 0x42]); });
  add("GLOB.bits", ng > 0, (r) => { pick(r, s.globals).bits = pick(r, [BigInt(nf + 1), 0n, 1n << 32n, 2n ** 64n - 1n]); });
  add("TABL.elemType", nt > 0, (r) => { pick(r, s.tables).elemType = pick(r, [0x70, 0x6f, 0x7f]); });
  add("FUNC.type", s.funcs.some((f) => f.kind === 1), (r) => {
    const f = pick(r, s.funcs.filter((x) => x.kind === 1));
    const t = pick(r, ["params", "results"]);
    if (r() < 0.5 && f[t].length > 0) f[t][Math.floor(r() * f[t].length)] = pick(r, [0x7f, 0x7e, 0x70, 0x6f, 0x40]);
    else if (r() < 0.5) f[t].push(pick(r, [0x7f, 0x70])); else f[t].pop();
  });
  // lengths and sizes
  add("TABL.size", nt > 0, (r) => { const t = pick(r, s.tables); if (r() < 0.5) t.elems.push(pick(r, [0n, 1n, BigInt(nf + 1)])); else t.elems.pop(); });
  add("TABL.elem", s.tables.some((t) => t.elems.length > 0), (r) => { const t = pick(r, s.tables.filter((x) => x.elems.length > 0)); t.elems[Math.floor(r() * t.elems.length)] = pick(r, [0n, BigInt(nf), BigInt(nf + 1), 2n ** 63n]); });
  add("TABL.max", nt > 0, (r) => { const t = pick(r, s.tables); t.max = pick(r, [U32, t.elems.length, t.elems.length - 1, t.max + 1, 0]) >>> 0; });
  add("MEMS.pages", nm > 0, (r) => { const m = pick(r, s.mems); m.pages = pick(r, [m.pages + 1, m.pages - 1, 0, 16384, 65536, 65537]) >>> 0; });
  add("MEMS.max", nm > 0, (r) => { const m = pick(r, s.mems); m.max = pick(r, [U32, m.pages, m.pages - 1, m.max + 1, 65537]) >>> 0; });
  add("MEMS.stored", s.mems.some((m) => m.stored.length > 0), (r) => { const m = pick(r, s.mems.filter((x) => x.stored.length > 0)); const p = pick(r, m.stored); p.index = pick(r, [p.index + 1, m.pages, U32, 0]) >>> 0; });
  add("frames.count", true, (r) => {
    const how = Math.floor(r() * 4);
    if (how === 0) frames.pop();
    else if (how === 1 && frames.length > 0) frames.push([...pick(r, frames)]);
    else if (how === 2 && frames.length > 1) { const i = Math.floor(r() * (frames.length - 1)); [frames[i], frames[i + 1]] = [frames[i + 1], frames[i]]; }
    else frames.splice(Math.floor(r() * (frames.length + 1)), 0, pick(r, [[HOST_FRAME, 0, 0, 0], [HOST_FRAME, Math.floor(r() * nf), 0, 1], [0, pick(r, pcs), pick(r, fps), 0]]));
  });
  add("STAK.length", true, (r) => {
    const n = pick(r, [0, 8, s.stack.length - 8, s.stack.length + 8, Math.floor(r() * s.stack.length) & ~7]);
    const b = new Uint8Array(Math.max(0, n));
    b.set(s.stack.subarray(0, Math.min(n, s.stack.length)));
    s.stack = b;
  });
  add("STAK.slot", s.stack.length >= 8, (r) => {
    const dv = new DataView(s.stack.buffer, s.stack.byteOffset, s.stack.byteLength);
    const at = pick(r, [s.mach.hostArgsOff, s.mach.resultsOff, s.mach.fp, ...fps, Math.floor(r() * (s.stack.length / 8)) * 8]);
    if (at + 8 <= s.stack.length) dv.setBigUint64(at, pick(r, [0n, BigInt(nf), BigInt(nf + 1), 2n ** 64n - 1n, 1n << 40n]), true);
  });
  add("INST.elemSeg", s.insts.some((i) => i && i.elemSegs.length > 0), (r) => {
    const i = pick(r, s.insts.filter((x) => x && x.elemSegs.length > 0));
    const seg = pick(r, i.elemSegs);
    if (r() < 0.5) seg.push(BigInt(nf + 1)); else if (seg.length) seg[0] = BigInt(nf + 1); else seg.pop();
  });
  add("INST.dropped", s.insts.some((i) => i && i.droppedElems.length + i.droppedDatas.length > 0), (r) => {
    const i = pick(r, s.insts.filter((x) => x && x.droppedElems.length + x.droppedDatas.length > 0));
    const l = i.droppedElems.length > 0 && r() < 0.5 ? i.droppedElems : i.droppedDatas;
    if (l.length) l[Math.floor(r() * l.length)] = pick(r, [0, 1, 2]);
  });
  add("MODS.flags", s.mods.length > 0, (r) => { const m = pick(r, s.mods); m.flags = pick(r, [0, 1, 3, 4, m.flags ^ 2]); });
  add("header.features", true, (r) => { s.header.features = 1 << Math.floor(r() * 32); });
  return M;
}

/** A private copy cheap enough for 100,000 rounds: pages and stack shared until a mutation replaces them. */
function copy(s) {
  return {
    header: { ...s.header },
    mods: s.mods.map((m) => ({ ...m })),
    funcs: s.funcs.map((f) => (f.kind === 0 ? { ...f } : { ...f, params: [...f.params], results: [...f.results] })),
    tables: s.tables.map((t) => ({ ...t, elems: [...t.elems] })),
    mems: s.mems.map((m) => ({ ...m, stored: m.stored.map((p) => ({ ...p })) })),
    globals: s.globals.map((g) => ({ ...g })),
    insts: s.insts.map((i) => i && {
      ...i, funcs: [...i.funcs], tables: [...i.tables], mems: [...i.mems], globals: [...i.globals],
      droppedElems: [...i.droppedElems], droppedDatas: [...i.droppedDatas], elemSegs: i.elemSegs.map((e) => [...e]),
    }),
    mach: { ...s.mach, frames: s.mach.frames.map((f) => [...f]) },
    stack: s.stack.slice(),
  };
}

// ---- running ----

/** Continues an accepted restore: run to the end or the fuel, host calls answered with zeros. */
function continueRun(engine, fuel) {
  const r = engine.raw;
  for (let round = 0; round < 64; round++) {
    const st = r.wrt_run(BigInt(fuel));
    if (st === 2) {
      const id = r.wrt_host_id();
      const n = r.wrt_host_args();
      void id; void n;
      // any result count the host function's type allows: try 0..2 until accepted
      let ok = false;
      for (let k = 0; k <= 2 && !ok; k++) { const dv = engine.io(24); dv.setBigUint64(0, 0n, true); dv.setBigUint64(8, 0n, true); ok = r.wrt_host_return(k) === 0; }
      if (!ok) break;
      continue;
    }
    if (st === 0) { r.wrt_results(); break; }
    break;
  }
  r.wrt_abandon();
}

/** Fuzzes `count` crafted snapshots; returns { crafted, accepted, refused, faults, seconds, byMutation }. */
export async function fuzzSnapshots({
  count = 1000, seed = 1, engine = "node", nativePath, specDir = testsuiteDir("core"),
  verbose = false, log = console.log,
} = {}) {
  const t0 = performance.now();
  const rnd = seededRandom(seed);
  // the sanitizer build reports leaks of the serve loop at exit (not a memory error): off
  if (nativePath && process.env.ASAN_OPTIONS === undefined) process.env.ASAN_OPTIONS = "detect_leaks=0";
  const opts = { engine, nativePath };
  const sources = [...guestSources(), ...specSources(specDir, rnd, 24)];
  for (const src of sources) {
    try { collect(src, opts, rnd, 48); } catch (e) { if (verbose) log(`collect ${src.name}: ${e.message}`); }
  }
  const usable = sources.filter((s) => s.snaps.length > 0);
  if (usable.length === 0) throw new Error("no snapshots to start from");
  const decoded = new Map();
  const engines = new Map();
  const stats = { crafted: 0, accepted: 0, refused: 0, faults: 0, snapshots: usable.reduce((a, s) => a + s.snaps.length, 0), sources: usable.length };
  const failDir = path.join(here, "failures");
  const fail = (what, bytes, src) => {
    stats.faults++;
    mkdirSync(failDir, { recursive: true });
    const file = path.join(failDir, `snap-${seed}-${stats.crafted}.bin`);
    writeFileSync(file, bytes);
    log(`FAULT ${what} (${src.name}); saved ${path.relative(root, file)}`);
  };
  const dead = new Set();
  const engineOf = (src) => {
    let e = engines.get(src);
    if (!e || dead.has(e) || e.dead) { e = engineFor(src, opts); engines.set(src, e); }
    return e;
  };
  // sources in blocks of BLOCK samples, one engine at a time (native engines are processes, at most 4 alive)
  const BLOCK = 200;
  const order = usable.map((_, i) => i).sort(() => rnd() - 0.5);
  for (let i = 0; i < count; i++) {
    const src = usable[order[Math.floor(i / BLOCK) % order.length]];
    if (i % BLOCK === 0) engines.clear();
    const k = Math.floor(rnd() * src.snaps.length);
    const orig = src.snaps[k];
    let base = decoded.get(orig);
    if (!base) { base = decode(orig); decoded.set(orig, base); }
    const s = copy(base);
    const ms = mutations(s);
    const n = 1 + Math.floor(rnd() * 3);
    const applied = [];
    for (let j = 0; j < n; j++) {
      const [name, fn] = pick(rnd, ms);
      try { fn(rnd); applied.push(name); } catch { /* an earlier mutation took what this one needs */ }
    }
    const bytes = encode(s);
    stats.crafted++;
    const e = engineOf(src);
    // every fourth through the Node API; natively every 200th (its restore starts a fresh interpreter process)
    const viaApi = engine === "native" ? i % 200 === 199 : i % 4 === 3;
    try {
      let ok;
      if (viaApi) {
        try {
          e.restore(bytes, { hostFunctions: Object.fromEntries([...Array(16).keys()].map((id) => [id, () => 0])) });
          ok = true;
        } catch (err) {
          if (!(err instanceof WrtSnapshotError) && !(err instanceof TypeError) && !(err instanceof RangeError)) throw err;
          ok = false;
        }
      } else {
        e.writeBytes(bytes);
        ok = e.raw.wrt_restore(bytes.length) === 0;
        if (!ok) {
          const code = e.raw.wrt_error_code();
          if (code < 120 || code > 129) fail(`refused with code ${code} (${applied.join(", ")})`, bytes, src);
        }
      }
      if (viaApi && engine === "native") dead.add(e); // at most 4 native processes live: start over
      if (ok) {
        stats.accepted++;
        continueRun(e, 1 + Math.floor(rnd() * 5000));
      } else {
        stats.refused++;
        // nothing changed: the original still restores into this engine
        e.writeBytes(orig);
        if (e.raw.wrt_restore(orig.length) !== 0) fail(`the original no longer restores after a refusal (${applied.join(", ")}): ${e.lastError().message}`, bytes, src);
        else continueRun(e, 1);
      }
    } catch (err) {
      if (err instanceof WrtInternalError || /RuntimeError|native engine/.test(String(err))) {
        fail(`${err.message} (${applied.join(", ")})`, bytes, src);
        dead.add(e);
      } else throw err;
    }
    if (verbose && i % 1000 === 999) log(`${i + 1}: ${stats.accepted} accepted, ${stats.refused} refused, ${stats.faults} faults`);
  }
  stats.seconds = (performance.now() - t0) / 1000;
  return stats;
}

export function summary(st) {
  return `snapshots: ${st.crafted} crafted (from ${st.snapshots} real snapshots of ${st.sources} sources), ${st.accepted} accepted, ${st.refused} refused, ${st.faults} faults in ${st.seconds.toFixed(1)} s`;
}

/**
 * fuzz/run.mjs's minimum of "calls" (accepted snapshots run on) per crafted
 * snapshot: one in 20 (a seeded run accepts about a quarter; fewer means the
 * mutations no longer reach the run-on).
 */
export const CALLS_PER_MODULE = 0.05;

/**
 * The snapshot mode of `npm run fuzz -- --mode snapshots` (fuzz/modes.mjs):
 * --modules N crafted snapshots (default WRT_FUZZ_SNAPSHOTS or 100,000),
 * --seed, --engine; --native-bin (or WRT_NATIVE_BIN) names another native
 * binary (the sanitizer build) and runs it. "modules" are the crafted snapshots, "calls" the
 * accepted ones run on, "differences" the faults.
 */
export async function run(opts) {
  const count = Number.isFinite(opts.modules) ? opts.modules : Number(process.env.WRT_FUZZ_SNAPSHOTS ?? 100_000);
  const bin = opts.nativeBin ?? process.env.WRT_NATIVE_BIN;
  const nativePath = bin ? path.resolve(bin) : undefined;
  const st = await fuzzSnapshots({
    count, seed: opts.seed, engine: nativePath ? "native" : opts.engine, nativePath, specDir: opts.specDir, verbose: opts.verbose,
  });
  console.log(summary(st));
  return { modules: st.crafted, calls: st.accepted, differences: st.faults, details: summary(st) };
}

async function main(argv) {
  const o = { count: 10000, seed: 1, engine: "node", nativePath: undefined, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === "--count") o.count = Number(next());
    else if (a === "--seed") o.seed = Number(next()) >>> 0;
    else if (a === "--engine") o.engine = next();
    else if (a === "--native-bin") { o.engine = "native"; o.nativePath = path.resolve(next()); }
    else if (a === "--spec-dir") o.specDir = path.resolve(next());
    else if (a === "--verbose" || a === "-v") o.verbose = true;
    else throw new Error(`unknown option ${a}`);
  }
  const st = await fuzzSnapshots(o);
  console.log(summary(st));
  return st.faults > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
