// Relaxed SIMD in the differential fuzzer (source `ttf-relaxed`,
// fuzz/README.md "Relaxed SIMD"):
//
//   relaxModule(bytes, seed)  a SIMD module (binaryen -ttf, --denan) with some
//       of its non-relaxed SIMD ops swapped for relaxed ops of the same type
//       (swizzle -> relaxed_swizzle, bitselect -> a laneselect, madd, nmadd
//       or dot_add, min -> relaxed_min, ...): -ttf itself emits few relaxed
//       ops. WRT runs this module: each relaxed op computes WRT's choice.
//   checkedModule(bytes)  the module V8 runs instead: every relaxed op
//       becomes a call to its check (fuzz/lib/relaxed-checks.mjs), which runs
//       the op in V8, records in the exported global RELAXED_OUTSIDE when V8's
//       value is not one the spec allows, and returns WRT's documented
//       choice (docs/determinism.md). So the two runs compare WRT's relaxed
//       results with its documentation, while V8's own choices are checked
//       against the spec's sets (and reported when outside, not compared).
//
// Both keep every index of the module: the checks' types, functions and
// global are appended after the module's own.

import { Cursor, Unsupported, leb, skipImmediates } from "./fuel-oracle.mjs";
import { sections } from "./wasm.mjs";
import { RELAXED_OPS, checksWat } from "./relaxed-checks.mjs";
import { wat } from "./wat.mjs";
import { rng } from "./common.mjs";

/** Export name of the global whose bit k says V8 computed a value outside the spec for the k-th relaxed op. */
export const RELAXED_OUTSIDE = "__relaxed_outside";
/** Relaxed op names by bit (RELAXED_OPS order). */
export const RELAXED_NAMES = [...RELAXED_OPS.values()].map((o) => o.name);

/** The immediates of a 0xFD op (SIMD); returns the sub-opcode. */
function skipSimd(c) {
  const sub = c.u32();
  if (sub <= 0x0b || sub === 0x5c || sub === 0x5d) { c.u32(); c.u32(); } // memarg
  else if (sub === 0x0c || sub === 0x0d) c.skip(16); // v128.const, i8x16.shuffle
  else if (sub >= 0x15 && sub <= 0x22) c.u8(); // lane index
  else if (sub >= 0x54 && sub <= 0x5b) { c.u32(); c.u32(); c.u8(); } // memarg + lane
  return sub;
}

/** Each instruction of a body's code [start, end): calls visit(at, after, simdSub or -1). */
function eachOp(bytes, start, end, visit) {
  const c = new Cursor(bytes, start, end);
  while (c.pos < end) {
    const at = c.pos;
    const op = c.u8();
    const sub = op === 0xfd ? skipSimd(c) : (skipImmediates(c, op), -1);
    visit(at, c.pos, sub);
  }
}

/**
 * Rewrites each function body's code: edit(at, after, sub) returns the
 * bytes to put instead of an 0xFD op, or null to keep it. Returns the new
 * code section contents.
 */
function rewriteBodies(bytes, code, edit) {
  const c = new Cursor(bytes, code.start, code.end);
  const n = c.u32();
  const out = [...leb(n)];
  for (let i = 0; i < n; i++) {
    const size = c.u32();
    const fStart = c.pos, fEnd = c.pos + size;
    const lc = new Cursor(bytes, fStart, fEnd);
    const groups = lc.u32();
    for (let k = 0; k < groups; k++) { lc.u32(); lc.u8(); }
    const f = [...bytes.subarray(fStart, lc.pos)];
    let at = lc.pos;
    eachOp(bytes, lc.pos, fEnd, (opAt, after, sub) => {
      const repl = sub >= 0 ? edit(opAt, after, sub) : null;
      if (!repl) return;
      for (; at < opAt; at++) f.push(bytes[at]);
      f.push(...repl);
      at = after;
    });
    for (; at < fEnd; at++) f.push(bytes[at]);
    out.push(...leb(f.length), ...f);
    c.pos = fEnd;
  }
  return out;
}

// Non-relaxed SIMD ops by type (0xFD sub-opcodes), and the relaxed ops of each type.
const range = (lo, hi) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
const BINARY = [0x0e, ...range(0x23, 0x4c), ...range(0x4e, 0x51), 0x65, 0x66, ...range(0x6e, 0x73), ...range(0x76, 0x79), 0x7b,
  0x82, 0x85, 0x86, ...range(0x8e, 0x93), ...range(0x95, 0x99), ...range(0x9b, 0x9f), 0xae, 0xb1, ...range(0xb5, 0xba),
  ...range(0xbc, 0xbf), 0xce, 0xd1, ...range(0xd5, 0xdf), ...range(0xe4, 0xeb), ...range(0xf0, 0xf7)]; // (v128 v128) -> v128
const UNARY = [0x4d, ...range(0x5e, 0x5f), ...range(0x60, 0x62), ...range(0x67, 0x6a), 0x74, 0x75, 0x7a, ...range(0x7c, 0x81),
  ...range(0x87, 0x8a), 0x94, 0xa0, 0xa1, ...range(0xa7, 0xaa), 0xc0, 0xc1, ...range(0xc7, 0xca), 0xe0, 0xe1, 0xe3,
  0xec, 0xed, 0xef, ...range(0xf8, 0xff)]; // (v128) -> v128
const TERNARY = [0x52]; // v128.bitselect
const RELAXED_BY_ARITY = [1, 2, 3].map((k) => [...RELAXED_OPS].filter(([, o]) => o.arity === k).map(([code]) => code));
const SWAPS = new Map([...UNARY.map((op) => [op, RELAXED_BY_ARITY[0]]), ...BINARY.map((op) => [op, RELAXED_BY_ARITY[1]]),
  ...TERNARY.map((op) => [op, RELAXED_BY_ARITY[2]])]);

/** The module with about half of its swappable SIMD ops made relaxed (deterministic in `seed`), or null if unreadable. */
export function relaxModule(bytes, seed) {
  const secs = sections(bytes);
  const code = secs?.find((s) => s.id === 10);
  if (!code) return null;
  const r = rng(seed);
  try {
    const body = rewriteBodies(bytes, code, (at, after, sub) => {
      const to = SWAPS.get(sub);
      if (!to || r() % 2 === 0) return null;
      return [0xfd, ...leb(to[r() % to.length])];
    });
    return insertSections(bytes, secs, new Map([[10, body]]));
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

/** Imported functions and globals, defined globals and functions, types: counts. */
function counts(bytes, secs) {
  const n = { types: count(bytes, secs, 1), importedFuncs: 0, importedGlobals: 0, globals: count(bytes, secs, 6), funcs: count(bytes, secs, 3) };
  const imp = secs.find((s) => s.id === 2);
  if (imp) {
    const c = new Cursor(bytes, imp.start, imp.end);
    for (let i = c.u32(); i > 0; i--) {
      c.skip(c.u32()); c.skip(c.u32());
      const kind = c.u8();
      if (kind === 0) { c.u32(); n.importedFuncs++; }
      else if (kind === 1) { c.u8(); const f = c.u8(); c.u32(); if (f & 1) c.u32(); }
      else if (kind === 2) { const f = c.u8(); c.u32(); if (f & 1) c.u32(); }
      else if (kind === 3) { c.u8(); c.u8(); n.importedGlobals++; }
      else throw new Unsupported(`import kind ${kind}`);
    }
  }
  return n;
}

/** The check functions' code bodies (each with its size), for a module whose counter global is `g`. */
function checkBodies(g) {
  const b = wat(checksWat(g), { name: "relaxed-checks.wat", features: { relaxed_simd: true } });
  const code = sections(b).find((s) => s.id === 10);
  const c = new Cursor(b, code.start, code.end);
  const out = [];
  for (let i = c.u32(); i > 0; i--) {
    const size = c.u32();
    out.push([...leb(size), ...b.subarray(c.pos, c.pos + size)]);
    c.pos += size;
  }
  return out;
}

/** A vector section's entries (its contents after the count), or none. */
const entries = (bytes, s) => (s ? [...bytes.subarray(lebEnd(bytes, s.start), s.end)] : []);
function lebEnd(bytes, pos) {
  while (bytes[pos] & 0x80) pos++;
  return pos + 1;
}

/**
 * The module V8 runs for a relaxed module: its relaxed ops call the checks,
 * RELAXED_OUTSIDE exported. Unchanged if it has no relaxed op; null if the
 * rewriter cannot read it (then it is not compared).
 */
export function checkedModule(bytes) {
  try {
    const secs = sections(bytes);
    const code = secs?.find((s) => s.id === 10);
    if (!code) return bytes;
    let used = false;
    const n = counts(bytes, secs);
    const g = n.importedGlobals + n.globals;
    const firstCheck = n.importedFuncs + n.funcs;
    const ops = [...RELAXED_OPS.keys()];
    const body = rewriteBodies(bytes, code, (at, after, sub) => {
      const k = ops.indexOf(sub);
      if (k < 0) return null;
      used = true;
      return [0x10, ...leb(firstCheck + k)];
    });
    if (!used) return bytes;
    if (!secs.find((s) => s.id === 1) || !secs.find((s) => s.id === 3)) throw new Unsupported("no type or function section");
    // types (v128^k) -> v128 for k = 1, 2, 3 appended; the checks' functions, bodies, counter global and its export
    const types = [...leb(n.types + 3), ...entries(bytes, secs.find((s) => s.id === 1)),
      ...[1, 2, 3].flatMap((k) => [0x60, k, ...Array(k).fill(0x7b), 1, 0x7b])];
    const funcs = [...leb(n.funcs + ops.length), ...entries(bytes, secs.find((s) => s.id === 3)),
      ...[...RELAXED_OPS.values()].flatMap((o) => leb(n.types + o.arity - 1))];
    const bodies = checkBodies(g);
    const codeOut = rewriteCount(body, n.funcs, ops.length, bodies);
    const name = [...new TextEncoder().encode(RELAXED_OUTSIDE)];
    const glob = [...leb(n.globals + 1), ...entries(bytes, secs.find((s) => s.id === 6)), 0x7f, 1, 0x41, 0, 0x0b];
    const exp = [...leb(count(bytes, secs, 7) + 1), ...entries(bytes, secs.find((s) => s.id === 7)), ...leb(name.length), ...name, 3, ...leb(g)];
    return insertSections(bytes, secs, new Map([[1, types], [3, funcs], [6, glob], [7, exp], [10, codeOut]]));
  } catch (e) {
    if (e instanceof Unsupported || e instanceof RangeError) return null;
    throw e;
  }
}

/** A vector section's count, 0 without it. */
function count(bytes, secs, id) {
  const s = secs.find((x) => x.id === id);
  return s ? new Cursor(bytes, s.start, s.end).u32() : 0;
}

/** Code section contents with `extra` bodies appended (the count raised). */
function rewriteCount(body, n, k, extra) {
  const rest = body.slice(leb(n).length);
  return [...leb(n + k), ...rest, ...extra.flat()];
}

// Section order (data count 12 sits between element 9 and code 10).
const ORDER = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8, 9: 9, 12: 10, 10: 11, 11: 12 };

/** The module with the contents of the sections in `repl` (id -> bytes) replaced, or added in order where it has none. */
function insertSections(bytes, secs, repl) {
  const out = [...bytes.subarray(0, 8)];
  const pending = [...repl.keys()].filter((id) => !secs.some((s) => s.id === id)).sort((a, b) => ORDER[a] - ORDER[b]);
  const flush = (before) => {
    while (pending.length && ORDER[pending[0]] < before) {
      const id = pending.shift();
      out.push(id, ...leb(repl.get(id).length), ...repl.get(id));
    }
  };
  for (const s of secs) {
    if (s.id !== 0) flush(ORDER[s.id]);
    if (repl.has(s.id)) out.push(s.id, ...leb(repl.get(s.id).length), ...repl.get(s.id));
    else out.push(...bytes.subarray(s.headerStart, s.end));
  }
  flush(99);
  return new Uint8Array(out);
}
