// Structure-aware fuzzing of precompiled images (docs/image-format.md, "Trust").
//
//   node fuzz/images.mjs [--count N] [--seconds S] [--seed S] [--spec-dir DIR] [--run-every K] [--native-bin PATH]
//
// Seeds: the images of the core spec suite's modules and the examples,
// compiled by the full build, metered and not. Each crafted image changes
// one field with meaning (an op number, an operand word: slot offset,
// target, index, count; a function-table word; a fuel side-table word; an
// array's length), then gets its length field and CRC made right, so it
// reaches the verifier. It is loaded through the raw ABI
// (wrt_module_load) and through the Node API (Module.load), into the device
// build and into the full build with allowImages (and with --native-bin
// into that native build, e.g. the ASan+UBSan one); all must agree, and
// none may fault. Every K-th accepted metered image is instantiated
// (function imports stubbed) and each export called with 20,000 fuel:
// traps are fine, an interpreter fault is not. Unmetered images are not run:
// metering off never stops for fuel (docs/fuel.md), so a crafted loop runs
// forever as a valid one may. Module-part mutations (index fields: import
// types, exports, start, segments, constant expressions) may be accepted by
// the device build, which does not validate the module part but checks its
// indices where it uses them, and refused by the full build's validator.
//
// Last line: `images: N crafted, A accepted, R run, F faults, D disagreements in T s`; exit 1 if F + D > 0.
// Also a mode of fuzz/run.mjs: `npm run fuzz -- --mode images --modules 100000`
// ("modules" = crafted images, "calls" = their loads: 4 each (6 with --native-bin);
// "differences" = faults + disagreements; every accepted metered image runs on).

import { readFileSync, readdirSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { imageParts, buildImage } from "./lib/image-parts.mjs";
import { testsuiteDir } from "./lib/testsuite.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { Engine, Module, Instance, WrtInternalError, WrtCodedError, WrtTrap, createSpectest } = await import(path.join(root, "host-shims/node/dist/index.js"));

/** xorshift32: deterministic per seed. */
export function rng(seed) {
  let s = (seed >>> 0) || 0x9e3779b9;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

/** The image's parts (docs/image-format.md): header, module, code, info, side. */
export const decodeImage = imageParts;

/** An image from parts, its length field, module hash and CRC made right. */
export function encodeImage(parts) { return buildImage(parts, { rehash: true }); }

/** Op starts of the code: every side-table entry, and the Fuel op before a record's first entry. */
function opStarts({ code, side }) {
  const s = new Set();
  for (let i = 0; i < side.length; i += 1 + 3 * side[i]) {
    for (let k = 0; k < side[i]; k++) s.add(side[i + 1 + 3 * k] / 4);
    if (side[i] > 0) { const f = side[i + 1] / 4 - 3; if (f >= 0 && code[f] === 2 && code[f + 2] === i) s.add(f); }
  }
  return [...s].filter((w) => Number.isInteger(w) && w < code.length).sort((a, b) => a - b);
}

const pick = (r, a) => a[r() % a.length];

/** A word changed with meaning: near values, boundaries, other op starts, far values. */
function mutateWord(r, v, ctx) {
  const choices = [
    () => v + 8, () => v - 8, () => v + 4, () => v + 1, () => v - 1, () => v * 2 + 8,
    () => 0, () => 0xfffffff8, () => 0x7ffffff8, () => r(), () => v ^ (1 << (r() % 32)),
    () => ctx.frame, () => ctx.frame - 8, () => ctx.frame + 8,
    () => pick(r, ctx.starts) * 4, () => pick(r, ctx.starts) * 4 + 4, () => ctx.code.length * 4,
    () => ctx.count + (r() % 3), () => ctx.count - 1,
  ];
  return pick(r, choices)() >>> 0;
}

// ---- the module part: index fields with meaning ----

/** A cursor over module bytes: LEB128 and fixed reads, positions kept. */
class Cursor {
  constructor(b, pos, end) { this.b = b; this.pos = pos; this.end = end; }
  u8() { if (this.pos >= this.end) throw new Error("end"); return this.b[this.pos++]; }
  leb() { let v = 0, shift = 0, b; do { b = this.u8(); v += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80); return v; }
  skip(n) { this.pos += n; if (this.pos > this.end) throw new Error("end"); }
  name() { this.skip(this.leb()); }
  /** An index field: { at, len, value, what } (a LEB128 u32 the mutation rewrites). */
  field(what) { const at = this.pos; const value = this.leb(); return { at, len: this.pos - at, value, what }; }
}

/** The index fields of a constant expression (ref.func, global.get) and its first op byte. */
function exprFields(c, out, what) {
  out.push({ at: c.pos, len: 1, value: c.b[c.pos], what: `${what} op`, byte: true });
  for (;;) {
    const op = c.u8();
    if (op === 0x0b) return;
    if (op === 0x41 || op === 0x42) c.leb();
    else if (op === 0x43) c.skip(4);
    else if (op === 0x44) c.skip(8);
    else if (op === 0xd0) c.u8();
    else if (op === 0xd2) out.push(c.field(`${what} ref.func`));
    else if (op === 0x23) out.push(c.field(`${what} global.get`));
    else if (op === 0xfd) { c.leb(); c.skip(16); }
    else throw new Error("op");
  }
}

/**
 * The fields of a module whose values index something: import types, export
 * kinds and indices, the start function, element and data segment tables,
 * memories, function indices and constant expressions (docs/image-format.md:
 * the device build checks exactly what instantiation indexes with).
 */
export function moduleFields(mod) {
  const out = [];
  const top = new Cursor(mod, 8, mod.length);
  try {
    while (top.pos < mod.length) {
      const id = top.u8();
      const size = top.leb();
      const c = new Cursor(mod, top.pos, top.pos + size);
      top.skip(size);
      if (id === 2) {
        for (let n = c.leb(), i = 0; i < n; i++) {
          c.name(); c.name();
          const kind = c.u8();
          if (kind === 0) out.push(c.field(`import ${i} type`));
          else if (kind === 1) { c.u8(); const f = c.u8(); c.leb(); if (f & 1) c.leb(); }
          else if (kind === 2) { const f = c.u8(); c.leb(); if (f & 1) c.leb(); }
          else if (kind === 3) c.skip(2);
          else break;
        }
      } else if (id === 6) {
        for (let n = c.leb(), i = 0; i < n; i++) { c.skip(2); exprFields(c, out, `global ${i}`); }
      } else if (id === 7) {
        for (let n = c.leb(), i = 0; i < n; i++) {
          c.name();
          out.push({ at: c.pos, len: 1, value: c.b[c.pos], what: `export ${i} kind`, byte: true });
          c.u8();
          out.push(c.field(`export ${i} index`));
        }
      } else if (id === 8) {
        out.push(c.field("start"));
      } else if (id === 9) {
        for (let n = c.leb(), i = 0; i < n; i++) {
          const flags = c.leb();
          const what = `elem ${i}`;
          if (flags & 2 && !(flags & 1)) out.push(c.field(`${what} table`));
          if (!(flags & 1)) exprFields(c, out, `${what} offset`);
          if (flags & 3) c.u8(); // elemkind or reftype
          for (let k = c.leb(), j = 0; j < k; j++) {
            if (flags & 4) exprFields(c, out, `${what} item`);
            else out.push(c.field(`${what} function`));
          }
        }
      } else if (id === 11) {
        for (let n = c.leb(), i = 0; i < n; i++) {
          const flags = c.leb();
          if (flags === 2) out.push(c.field(`data ${i} memory`));
          if (flags !== 1) exprFields(c, out, `data ${i} offset`);
          c.skip(c.leb());
        }
      }
    }
  } catch { /* a module this reader does not follow to its end: the fields found so far */ }
  return out;
}

const leb = (v) => { const o = []; v >>>= 0; while (v >= 0x80) { o.push((v & 0x7f) | 0x80); v = Math.floor(v / 128); } o.push(v); return o; };

/** `mod` with one field replaced by `value` (any LEB length) and its section's size made right. */
export function withField(mod, f, value) {
  const bytes = f.byte ? [value & 0xff] : leb(value);
  // find the section holding f.at
  let pos = 8;
  while (pos < mod.length) {
    const c = new Cursor(mod, pos + 1, mod.length);
    const size = c.leb();
    const start = c.pos;
    if (f.at >= start && f.at < start + size) {
      const payload = [...mod.subarray(start, f.at), ...bytes, ...mod.subarray(f.at + f.len, start + size)];
      return new Uint8Array([...mod.subarray(0, pos), mod[pos], ...leb(payload.length), ...payload, ...mod.subarray(start + size)]);
    }
    pos = start + size;
  }
  return null;
}

/** One crafted module part: an index field changed with meaning (near, past the ends, far), or an op or kind byte. */
function craftModule(r, mod, fields) {
  if (!fields.length) return null;
  const f = pick(r, fields);
  const v = f.value;
  const value = f.byte
    ? pick(r, [v + 1, v - 1, 0, 1, 2, 3, 4, 0x23, 0xd2, 0x41, 0x0b, r() & 0xff]) & 0xff
    : pick(r, [v + 1, v + 2, v - 1, 0, 1, v * 2 + 1, 64, 127, 128, 1000, 0x7fffffff, 0xffffffff, r() % 256, r()]) >>> 0;
  return withField(mod, f, value);
}

/** One crafted image from a seed image's parts: [kind, bytes]. */
export function craft(r, parts, starts, fields = []) {
  const p = { ...parts, code: parts.code.slice(), info: parts.info.slice(), side: parts.side.slice() };
  const nf = p.info.length / 8;
  const frameOf = (w) => { let f = 0; for (let i = 0; i < nf; i++) if (p.info[i * 8] <= w * 4) f = i; return p.info[f * 8 + 1] ?? 0; };
  const ctx = (w, count) => ({ frame: frameOf(w), starts, code: p.code, count });
  const what = r() % 19;
  let kind;
  if (what >= 16) {                           // the module part: an index field (export, elem, data, start, import type, const expr)
    const mod = craftModule(r, p.module, fields);
    if (!mod) return null;
    p.module = mod;
    kind = "module";
  } else if (what < 3 && starts.length) {     // an op number
    const w = pick(r, starts);
    p.code[w] = r() % 4 === 0 ? r() % 300 : (p.code[w] + (r() % 2 ? 1 : -1) + 256) % 256;
    kind = "op";
  } else if (what < 10 && starts.length) {    // an operand word of an op (slot, target, index, count, ...)
    const i = r() % starts.length;
    const w = starts[i];
    const len = (starts[i + 1] ?? p.code.length) - w;
    if (len < 2) return null;
    const j = 1 + (r() % (len - 1));
    p.code[w + j] = mutateWord(r, p.code[w + j], ctx(w, p.code[w + j]));
    kind = "operand";
  } else if (what < 12 && p.info.length) {    // a function-table word
    const i = r() % p.info.length;
    p.info[i] = mutateWord(r, p.info[i], ctx(0, nf));
    kind = "info";
  } else if (what < 15 && p.side.length) {    // a fuel side-table word (count, pc, cost, wasm offset)
    const i = r() % p.side.length;
    p.side[i] = mutateWord(r, p.side[i], ctx(0, p.side[i]));
    kind = "side";
  } else {                                    // an array's length: words dropped or added
    const a = pick(r, [p.code, p.info, p.side]);
    if (r() % 2 && a.length) a.splice(r() % a.length, 1 + (r() % 3));
    else a.splice(r() % (a.length + 1), 0, r() % 64, r() % 4096);
    kind = "length";
  }
  return [kind, encodeImage(p)];
}

/** The seed images: core spec modules (a deterministic sample) and the examples, metered and not. */
export function seedImages(specDir, max = Infinity) {
  const files = [];
  if (existsSync(specDir)) for (const f of readdirSync(specDir).sort()) if (f.endsWith(".wasm")) files.push(path.join(specDir, f));
  for (const f of readdirSync(path.join(root, "examples"))) if (f.endsWith(".wasm")) files.push(path.join(root, "examples", f));
  const step = Math.max(1, Math.floor(files.length / max));
  const out = [];
  for (const metering of [1, 0]) {
    const e = new Engine({ log: false, config: { fuelMetering: metering } });
    for (let i = 0; i < files.length && out.length < 2 * max; i += step) {
      try { out.push({ name: path.basename(files[i]), metering, image: Module.load(e, readFileSync(files[i])).image() }); } catch { /* not loadable: skip */ }
    }
  }
  return out;
}

const DEVICE = path.join(root, "build/wrt-device.wasm");

/** Loads `bytes` through the raw ABI and the Node API of one engine: "ok", "refused" or "fault: ..." (and the module). */
function loadBoth(engine, bytes) {
  let raw;
  try {
    engine.writeBytes(bytes);
    const h = engine.raw.wrt_module_load(bytes.length);
    if (h >= 0) engine.raw.wrt_module_drop(h);
    raw = h >= 0 ? "ok" : "refused";
  } catch (e) {
    return { outcome: `fault (raw ABI): ${e.message}` };
  }
  try {
    return { outcome: raw === "ok" ? "ok" : "disagree: raw refused, API accepted", module: Module.load(engine, bytes) };
  } catch (e) {
    if (e instanceof WrtInternalError) return { outcome: `fault (Node API): ${e.message}` };
    if (e instanceof WrtCodedError) return { outcome: raw === "refused" ? "refused" : "disagree: raw accepted, API refused" };
    throw e;
  }
}

/** Instantiates with stubbed function imports and calls every export briefly; null or a fault text. */
const spectests = new WeakMap(); // one spectest per engine: its memory and table are not reclaimed
function runBriefly(module, engine) {
  const imports = {};
  for (const im of module.imports()) {
    if (im.module === "spectest" && im.kind !== "func") {
      if (!spectests.has(engine)) spectests.set(engine, createSpectest(engine));
      imports.spectest ??= {};
      imports.spectest[im.name] = spectests.get(engine)[im.name];
      continue;
    }
    if (im.kind !== "func") return null; // other tables, memories, globals: not stubbed here
    const n = im.type?.results?.length ?? 0;
    (imports[im.module] ??= {})[im.name] = () => (n === 0 ? undefined : n === 1 ? 0 : new Array(n).fill(0));
  }
  let inst;
  try {
    inst = Instance.instantiate(module, imports);
  } catch (e) {
    return e instanceof WrtInternalError ? `fault at instantiation: ${e.message}` : null;
  }
  for (const ex of module.exports()) {
    if (ex.kind !== "func") continue;
    try {
      const args = (ex.type?.params ?? []).map((t) => (t === "i64" ? 0n : 0));
      const c = inst.call(ex.name, args, 20_000n);
      if (!c.done) c.abandon();
    } catch (e) {
      if (e instanceof WrtInternalError) return `fault calling ${ex.name}: ${e.message}`;
      if (!(e instanceof WrtTrap) && !(e instanceof WrtCodedError)) return null; // host-side conversion limits: not the interpreter's
    }
  }
  return null;
}

/** Runs the fuzzer; returns the stats (faults and disagreements listed). */
export function fuzzImages({ seed = 1, count = 1000, seconds = Infinity, specDir, seeds = 200, runEvery = 10, nativePath, log = () => {} }) {
  const t0 = Date.now();
  const r = rng(seed);
  const bases = seedImages(specDir ?? testsuiteDir("core"), seeds).map((s) => {
    const parts = decodeImage(s.image);
    return { ...s, parts, starts: opStarts(parts), fields: moduleFields(parts.module) };
  }).filter((b) => b.starts.length > 0); // modules with code
  if (!bases.length) throw new Error("no seed images");
  const engines = {};
  const engineFor = (build, metering) => {
    const k = build + metering;
    if (!engines[k] || engines[k].dead) {
      engines[k] = build === "device"
        ? new Engine({ log: false, wasmPath: DEVICE, config: { fuelMetering: metering } })
        : build === "native"
          ? new Engine({ log: false, engine: "native", nativePath, allowImages: true, config: { fuelMetering: metering } })
          : new Engine({ log: false, allowImages: true, config: { fuelMetering: metering } });
    }
    return engines[k];
  };
  const builds = nativePath ? ["device", "full", "native"] : ["device", "full"];
  const stats = { crafted: 0, accepted: 0, meteredAccepted: 0, run: 0, deviceOnly: 0, loads: {}, faults: [], disagreements: [], byKind: {} };
  for (let i = 0; i < count && (Date.now() - t0) / 1000 < seconds; i++) {
    const base = bases[r() % bases.length];
    const made = craft(r, base.parts, base.starts, base.fields);
    if (!made) { i--; continue; }
    const [kind, bytes] = made;
    stats.crafted++;
    stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
    const outcomes = {};
    for (const build of builds) {
      const engine = engineFor(build, base.metering);
      const { outcome, module } = loadBoth(engine, bytes);
      outcomes[build] = outcome;
      stats.loads[build] = (stats.loads[build] ?? 0) + 2;
      const where = `${build} build, ${kind} mutation of ${base.name} (metering ${base.metering}), case ${i} of seed ${seed}`;
      if (outcome.startsWith("fault")) stats.faults.push(`${where}: ${outcome}`);
      else if (outcome.startsWith("disagree")) stats.disagreements.push(`${where}: ${outcome}`);
      if (module) {
        if (build === "device") stats.accepted++;
        // Only metered images run on: metering off means "never stops for fuel"
        // (docs/fuel.md), so a crafted loop would run forever, as a valid one can.
        if (base.metering && ++stats.meteredAccepted % runEvery === 0) {
          stats.run++;
          const t1 = Date.now();
          let f;
          // imports(), exports(): the API indexes with the module part too; a clear refusal there is fine
          try { f = runBriefly(module, engine); } catch (e) {
            if (e instanceof WrtInternalError) f = `fault reading the module: ${e.message}`;
            else if (!(e instanceof WrtCodedError)) throw e;
          }
          if (Date.now() - t1 > 2000) log(`slow run (${Date.now() - t1} ms): ${where}`);
          if (f) stats.faults.push(`${where}: accepted, then ${f}`);
        }
        try { module.drop(); } catch { /* engine died: counted above */ }
      }
    }
    const clean = (o) => o !== undefined && !o.startsWith("fault");
    // The full build validates the module part; the device build checks only what instantiation indexes
    // (image/module-check.ts): a module part the device accepts and the full build refuses is expected.
    const fullOnly = kind === "module" && outcomes.device === "ok" && outcomes.full === "refused";
    if (fullOnly) stats.deviceOnly++;
    if (outcomes.device !== outcomes.full && clean(outcomes.device) && clean(outcomes.full) && !fullOnly) {
      stats.disagreements.push(`${kind} mutation of ${base.name}, case ${i}: device ${outcomes.device}, full ${outcomes.full}`);
    }
    if (nativePath && outcomes.native !== outcomes.full && clean(outcomes.native) && clean(outcomes.full)) {
      stats.disagreements.push(`${kind} mutation of ${base.name}, case ${i}: native ${outcomes.native}, full ${outcomes.full}`);
    }
    if (stats.crafted % 10000 === 0) log(`images: ${stats.crafted} crafted, ${stats.accepted} accepted, ${stats.faults.length} faults (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  stats.seconds = (Date.now() - t0) / 1000;
  return stats;
}

/** fuzz/run.mjs's minimum: every image is loaded twice (raw ABI, Node API) in at least two builds. */
export const CALLS_PER_MODULE = 4;

/** fuzz/run.mjs's mode interface (fuzz/modes.mjs). */
export async function run(opts) {
  // a count given (--modules N) is run in full; otherwise --seconds bounds the run
  const count = Number.isFinite(opts.modules) ? opts.modules : Infinity;
  // every accepted metered image runs on (runEvery 1); --native-bin adds a third load (and run) in that native build
  const s = fuzzImages({ seed: opts.seed, count, seconds: Number.isFinite(count) ? Infinity : opts.seconds, specDir: opts.specDir, runEvery: 1, nativePath: opts.nativeBin, log: console.log });
  for (const f of [...s.faults, ...s.disagreements].slice(0, 20)) console.log(f);
  console.log(summary(s));
  return { modules: s.crafted, calls: Object.values(s.loads).reduce((a, b) => a + b, 0), differences: s.faults.length + s.disagreements.length, details: `${summary(s)}; by kind ${JSON.stringify(s.byKind)}` };
}

export function summary(s) {
  return `images: ${s.crafted} crafted, ${s.accepted} accepted (${s.deviceOnly} module parts by the device build only), ${s.run} run, ${s.faults.length} faults, ${s.disagreements.length} disagreements in ${s.seconds.toFixed(1)} s (loads ${Object.entries(s.loads).map(([b, n]) => `${b} ${n}`).join(", ")})`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const o = { seed: 1, count: 100_000, seconds: Infinity, runEvery: 10 };
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    const v = () => a[++i];
    if (a[i] === "--count") o.count = Number(v());
    else if (a[i] === "--seconds") o.seconds = Number(v());
    else if (a[i] === "--seed") o.seed = Number(v());
    else if (a[i] === "--spec-dir") o.specDir = path.resolve(v());
    else if (a[i] === "--run-every") o.runEvery = Number(v());
    else if (a[i] === "--native-bin") o.nativePath = path.resolve(v());
    else { console.error(`unknown option ${a[i]}`); process.exit(64); }
  }
  const s = fuzzImages({ ...o, log: console.log });
  for (const f of [...s.faults, ...s.disagreements].slice(0, 20)) console.log(f);
  console.log(`by kind: ${JSON.stringify(s.byKind)}`);
  console.log(summary(s));
  process.exit(s.faults.length + s.disagreements.length > 0 ? 1 : 0);
}
