// An independent count of the fuel a call costs under the default cost table
// (docs/fuel.md), computed outside WRT: the module is rewritten so that it
// counts its own instructions in an exported i64 global, and run in V8.
//
// The rules the rewriter follows (docs/fuel.md, "Counting"):
// - every executed instruction costs 1; a 0xFC-prefixed one costs 1 in all
//   (the prefix is not an instruction of its own);
// - `end` and `else` cost 1 when execution falls through to them, and
//   nothing when they are jumped over or to: a branch to a block or if
//   continues after its `end`, a branch to a loop after its `loop`; an `if`
//   whose condition is false enters the else arm (or continues after `end`)
//   without paying `else`; the then arm reaching `else` pays it and jumps past
//   `end`; the function's own `end` likewise (a `return` pays only itself);
// - code nothing reaches is never charged;
// - on a trap, the whole basic block of the trapping instruction is charged.
//   A basic block starts at function entry, after `loop` (its header), after
//   `if` (the then arm), after `else`, after an `end` that a branch targets
//   (an if's `end` always is, by the false path or the then arm's exit),
//   after `br_if`, and after a call. The rewriter adds the block's cost at
//   its start, so a trapping call counts what WRT charges.
//
// Modules using anything beyond Wasm 2.0 without SIMD are refused (null).

import { sections } from "./wasm.mjs";

/** Something the rewriters here (and fuzz/lib/relaxed.mjs) do not know: they refuse the module. */
export class Unsupported extends Error {}

/**
 * What a trap charges: "instruction", exactly the instructions up to and
 * including the trapping one, the same however the call is sliced
 * (docs/fuel.md, "Counting"; the rule since IR_VERSION 9), or "block", the
 * whole basic block of the trapping instruction (the rule before). Without a
 * trap both count the same.
 */
export const TRAP_RULE = "instruction";

/**
 * Whether bulk operations pay per unit (docs/fuel.md "Bulk operations", the
 * isa engineer's change); false until that lands on main.
 */
export const BULK_UNITS = true;

/** The name of the exported counter (an i64 global) in an instrumented module. */
export const FUEL_COUNTER = "__wrt_fuel_oracle";

/** A cursor over a byte array with the LEB128 readers the binary format needs. */
export class Cursor {
  constructor(bytes, pos, end) { this.b = bytes; this.pos = pos; this.end = end; }
  u8() {
    if (this.pos >= this.end) throw new Unsupported("unexpected end");
    return this.b[this.pos++];
  }
  u32() {
    let result = 0, shift = 0, byte;
    do {
      byte = this.u8();
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  }
  /** Skips a signed LEB128 (any width). */
  sleb() { while (this.u8() & 0x80); }
  skip(n) {
    if (this.pos + n > this.end) throw new Unsupported("unexpected end");
    this.pos += n;
  }
}

export function leb(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

/** Signed LEB128 of a small non-negative or negative integer (Number). */
function sleb(n) {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n = Math.floor(n / 128);
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}

const BLOCK = 0x02, LOOP = 0x03, IF = 0x04, ELSE = 0x05, END = 0x0b, BR = 0x0c, BR_IF = 0x0d, BR_TABLE = 0x0e;
const RETURN = 0x0f, CALL = 0x10, CALL_INDIRECT = 0x11, UNREACHABLE = 0x00;

/**
 * Skips the immediates of `op` (Wasm 2.0, no SIMD); returns the 0xFC
 * sub-opcode or -1. `depths` receives the label depths of br, br_if, br_table.
 */
export function skipImmediates(c, op, depths = []) {
  if (op === BLOCK || op === LOOP || op === IF) { c.sleb(); return -1; } // block type: 0x40, a value type or an s33 index
  if (op === BR || op === BR_IF) { depths.push(c.u32()); return -1; }
  if (op === CALL || (op >= 0x20 && op <= 0x26) || op === 0xd2) { c.u32(); return -1; }
  if (op === BR_TABLE) { const n = c.u32(); for (let i = 0; i <= n; i++) depths.push(c.u32()); return -1; }
  if (op === CALL_INDIRECT) { c.u32(); c.u32(); return -1; }
  if (op === 0x1c) { const n = c.u32(); c.skip(n); return -1; }
  if (op >= 0x28 && op <= 0x3e) { c.u32(); c.u32(); return -1; }
  if (op === 0x3f || op === 0x40) { c.u8(); return -1; }
  if (op === 0x41 || op === 0x42) { c.sleb(); return -1; }
  if (op === 0x43) { c.skip(4); return -1; }
  if (op === 0x44) { c.skip(8); return -1; }
  if (op === 0xd0) { c.u8(); return -1; }
  if (op === 0xfc) {
    const sub = c.u32();
    if (sub <= 7) return sub;
    if (sub === 8) { c.u32(); c.u8(); return sub; }
    if (sub === 9 || sub === 13 || (sub >= 15 && sub <= 17)) { c.u32(); return sub; }
    if (sub === 10) { c.u8(); c.u8(); return sub; }
    if (sub === 11) { c.u8(); return sub; }
    if (sub === 12 || sub === 14) { c.u32(); c.u32(); return sub; }
    throw new Unsupported(`0xfc ${sub}`);
  }
  if (op === UNREACHABLE || op === 0x01 || op === ELSE || op === END || op === RETURN || op === 0x1a || op === 0x1b
    || (op >= 0x45 && op <= 0xc4) || op === 0xd1) return -1;
  throw new Unsupported(`opcode 0x${op.toString(16)}`);
}

/**
 * The basic blocks of one function body's code [start, end): a list of
 * { at, cost }: `at` is where the block starts (a byte offset in the body
 * code), `cost` what it charges on entry. Follows the rules at the top.
 */
export function basicBlocks(bytes, start, end) {
  const c = new Cursor(bytes, start, end);
  const blocks = [];
  let cur = { at: start, cost: 0 };
  blocks.push(cur);
  let reachable = true;
  // control frames: { kind, entryReachable, targeted, hasElse }
  const frames = [{ kind: "func", entryReachable: true, targeted: false, hasElse: false }];
  const startBlock = (at) => {
    if (!reachable) { cur = null; return; }
    cur = { at, cost: 0 };
    blocks.push(cur);
  };
  const target = (depth) => {
    const f = frames[frames.length - 1 - depth];
    if (!f) throw new Unsupported("branch depth");
    if (f.kind !== "loop") f.targeted = true;
  };
  while (c.pos < end) {
    const op = c.u8();
    const depths = [];
    skipImmediates(c, op, depths);
    const after = c.pos;
    if (reachable) cur.cost += 1;
    switch (op) {
      case BLOCK: case LOOP:
        frames.push({ kind: op === LOOP ? "loop" : "block", entryReachable: reachable, targeted: false, hasElse: false });
        if (op === LOOP) startBlock(after);
        break;
      case IF:
        frames.push({ kind: "if", entryReachable: reachable, targeted: false, hasElse: false });
        startBlock(after);
        break;
      case ELSE: {
        const f = frames[frames.length - 1];
        f.hasElse = true;
        if (reachable) f.targeted = true; // the then arm jumps past the end
        reachable = f.entryReachable;
        startBlock(after);
        break;
      }
      case END: {
        const f = frames.pop();
        if (f.kind === "if" && !f.hasElse && f.entryReachable) f.targeted = true; // the false path
        if (frames.length === 0) { if (c.pos !== end) throw new Unsupported("code after the function's end"); break; }
        const fellThrough = reachable;
        reachable = fellThrough || f.targeted;
        if (f.targeted) startBlock(after);
        else if (!reachable) cur = null;
        break;
      }
      case BR: case BR_TABLE:
        if (reachable) depths.forEach(target);
        reachable = false; cur = null;
        break;
      case BR_IF:
        if (reachable) depths.forEach(target);
        startBlock(after);
        break;
      case RETURN: case UNREACHABLE:
        reachable = false; cur = null;
        break;
      case CALL: case CALL_INDIRECT:
        startBlock(after);
        break;
    }
  }
  if (frames.length !== 0) throw new Unsupported("unbalanced blocks");
  return blocks.filter((b) => b.cost > 0);
}

/** The parameter count of each defined function, in code-section order. */
function paramCounts(bytes, secs) {
  const types = [];
  const ts = secs.find((x) => x.id === 1);
  if (ts) {
    const c = new Cursor(bytes, ts.start, ts.end);
    const n = c.u32();
    for (let i = 0; i < n; i++) {
      if (c.u8() !== 0x60) throw new Unsupported("type form");
      const np = c.u32(); c.skip(np);
      const nr = c.u32(); c.skip(nr);
      types.push(np);
    }
  }
  const out = [];
  const fs = secs.find((x) => x.id === 3);
  if (fs) {
    const c = new Cursor(bytes, fs.start, fs.end);
    const n = c.u32();
    for (let i = 0; i < n; i++) {
      const ti = c.u32();
      if (types[ti] === undefined) throw new Unsupported("type index");
      out.push(types[ti]);
    }
  }
  return out;
}

/**
 * The "instruction" trap rule: every instruction pays for itself just before
 * it runs (an `end` or `else` only when execution falls through to it, since
 * its increment sits inside the block, before it), so a trap has paid for
 * exactly the instructions up to and including the trapping one.
 */
export function eachInstruction(bytes, start, end) {
  const c = new Cursor(bytes, start, end);
  const out = [];
  while (c.pos < end) {
    const at = c.pos;
    skipImmediates(c, c.u8());
    out.push({ at, cost: 1 });
  }
  return out;
}

/**
 * The module rewritten to count its fuel in an exported mutable i64 global
 * (`name`), or null if it uses anything the rewriter does not know.
 */
export function instrument(bytes, name = FUEL_COUNTER, { trapRule = TRAP_RULE } = {}) {
  try {
    return instrumentOrThrow(bytes, name, trapRule);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

function instrumentOrThrow(bytes, name, trapRule) {
  const secs = sections(bytes);
  if (!secs) throw new Unsupported("section framing");
  let importedGlobals = 0;
  const imp = secs.find((s) => s.id === 2);
  if (imp) {
    const c = new Cursor(bytes, imp.start, imp.end);
    const n = c.u32();
    for (let i = 0; i < n; i++) {
      c.skip(c.u32()); c.skip(c.u32());
      const kind = c.u8();
      if (kind === 0) c.u32();
      else if (kind === 1) { c.u8(); const f = c.u8(); c.u32(); if (f & 1) c.u32(); }
      else if (kind === 2) { const f = c.u8(); c.u32(); if (f & 1) c.u32(); }
      else if (kind === 3) { c.u8(); c.u8(); importedGlobals++; }
      else throw new Unsupported(`import kind ${kind}`);
    }
  }
  const glob = secs.find((s) => s.id === 6);
  let definedGlobals = 0;
  if (glob) definedGlobals = new Cursor(bytes, glob.start, glob.end).u32();
  const g = importedGlobals + definedGlobals;
  const bump = (cost) => [0x23, ...leb(g), 0x42, ...sleb(cost), 0x7c, 0x24, ...leb(g)];

  const out = [];
  const put = (arr) => { for (const x of arr) out.push(x); };
  const section = (id, body) => { put([id, ...leb(body.length)]); put(body); };
  const entry = [0x7e, 0x01, 0x42, 0x00, 0x0b]; // (mut i64) (i64.const 0)
  const nameBytes = [...new TextEncoder().encode(name)];
  const exportEntry = [...leb(nameBytes.length), ...nameBytes, 0x03, ...leb(g)];
  const ORDER = { 0: -1, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8, 9: 9, 12: 10, 10: 11, 11: 12 };
  put(bytes.subarray(0, 8));
  let addedGlobal = false, addedExport = false;
  const addMissing = (beforeOrder) => {
    if (!addedGlobal && beforeOrder > ORDER[6]) { section(6, [1, ...entry]); addedGlobal = true; }
    if (!addedExport && beforeOrder > ORDER[7]) { section(7, [1, ...exportEntry]); addedExport = true; }
  };
  for (const s of secs) {
    if (ORDER[s.id] === undefined) throw new Unsupported(`section ${s.id}`);
    if (s.id !== 0) addMissing(ORDER[s.id]);
    if (s.id === 6) {
      const c = new Cursor(bytes, s.start, s.end);
      const n = c.u32();
      section(6, [...leb(n + 1), ...bytes.subarray(c.pos, s.end), ...entry]);
      addedGlobal = true;
    } else if (s.id === 7) {
      const c = new Cursor(bytes, s.start, s.end);
      const n = c.u32();
      section(7, [...leb(n + 1), ...bytes.subarray(c.pos, s.end), ...exportEntry]);
      addedExport = true;
    } else if (s.id === 10) {
      section(10, rewriteCode(bytes, s, bump, trapRule, paramCounts(bytes, secs), g));
    } else {
      put(bytes.subarray(s.headerStart, s.end));
    }
  }
  addMissing(99);
  return new Uint8Array(out);
}

function rewriteCode(bytes, s, bump, trapRule, paramCounts, g) {
  const c = new Cursor(bytes, s.start, s.end);
  const n = c.u32();
  const body = [...leb(n)];
  for (let i = 0; i < n; i++) {
    const size = c.u32();
    const fStart = c.pos, fEnd = c.pos + size;
    const lc = new Cursor(bytes, fStart, fEnd);
    const groups = lc.u32();
    let locals = paramCounts[i];
    if (locals === undefined) throw new Unsupported("a body without a function");
    for (let k = 0; k < groups; k++) { locals += lc.u32(); lc.u8(); }
    const codeStart = lc.pos;
    const blocks = trapRule === "instruction" ? eachInstruction(bytes, codeStart, fEnd) : basicBlocks(bytes, codeStart, fEnd);
    // inserts: { at, code } in order; block costs first at a position, then a bulk op's own
    const inserts = blocks.map((b) => ({ at: b.at, code: bump(b.cost) }));
    const bulk = BULK_UNITS ? bulkInserts(bytes, codeStart, fEnd, locals, g) : [];
    const f = [];
    if (bulk.length) {
      // two i32 temporaries for the bulk ops' operands and results
      f.push(...leb(groups + 1), ...bytes.subarray(lebEnd(bytes, fStart), codeStart), 0x02, 0x7f);
    } else {
      f.push(...bytes.subarray(fStart, codeStart));
    }
    const all = [...inserts, ...bulk].sort((x, y) => x.at - y.at || (x.order ?? 0) - (y.order ?? 0));
    let at = codeStart;
    for (const ins of all) {
      for (; at < ins.at; at++) f.push(bytes[at]);
      for (const x of ins.code) f.push(x);
    }
    for (; at < fEnd; at++) f.push(bytes[at]);
    body.push(...leb(f.length), ...f);
    c.pos = fEnd;
  }
  return body;
}

/** The offset after the LEB128 at `pos`. */
function lebEnd(bytes, pos) {
  while (bytes[pos] & 0x80) pos++;
  return pos + 1;
}

/**
 * Per-unit fuel of the bulk operations (docs/fuel.md "Bulk operations"):
 * memory.fill/copy/init pay ceil(n / 64), table.fill/copy/init n, after the
 * operation succeeded (one that traps pays no units); memory.grow pays
 * delta * 1024 and table.grow delta, unless it returns -1. The operand `n`
 * (or delta) is on top of the stack: a local.tee keeps it, and the counter
 * is raised after the op. Locals `t` (the operand) and `t + 1` (a grow's
 * result) are the two temporaries rewriteCode declares.
 */
function bulkInserts(bytes, start, end, t, g) {
  const out = [];
  const c = new Cursor(bytes, start, end);
  const add = (units) => [0x23, ...leb(g), ...units, 0x7c, 0x24, ...leb(g)]; // counter += units (i64)
  const n64 = [0x20, ...leb(t), 0xad]; // local.get t; i64.extend_i32_u
  const chunks = [...n64, 0x42, 0x3f, 0x7c, 0x42, 0x06, 0x88]; // (n + 63) >> 6
  while (c.pos < end) {
    const at = c.pos;
    const op = c.u8();
    const sub = skipImmediates(c, op);
    const after = c.pos;
    const keep = { at, order: 1, code: [0x22, ...leb(t)] }; // local.tee t
    if (op === 0xfc && (sub === 8 || sub === 10 || sub === 11)) {
      out.push(keep, { at: after, order: 1, code: add(chunks) });
    } else if (op === 0xfc && (sub === 12 || sub === 14 || sub === 17)) {
      out.push(keep, { at: after, order: 1, code: add(n64) });
    } else if (op === 0x40 || (op === 0xfc && sub === 15)) {
      const unit = op === 0x40 ? [0x42, 0x80, 0x08, 0x7e] : []; // x 1024 for pages
      out.push(keep, {
        at: after, order: 1,
        // local.tee t+1; i32.const -1; i32.ne; if; counter += delta * unit; end; local.get t+1
        code: [0x22, ...leb(t + 1), 0x41, 0x7f, 0x47, 0x04, 0x40, ...add([...n64, ...unit]), 0x0b, 0x20, ...leb(t + 1)],
      });
    }
  }
  return out;
}
