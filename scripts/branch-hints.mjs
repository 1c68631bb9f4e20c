// Branch hints for the dispatch loop of build/wrt.wasm (docs/internal-code.md,
// "V8's tiers"): a `metadata.code.branch_hint` custom section (the Wasm
// branch-hinting proposal) that marks, in the function holding the dispatch
// loop, every `if` and `br_if` one of whose two ways can never come back to
// the loop (it leaves the loop for good: a trap, a stop for fuel, a host
// call, the end of the call) as going the other way. V8's optimizing tier
// makes such paths deferred code, so its register allocator spills and
// reloads in them instead of moving the loop's values around in every
// handler. Only V8 reads the section (with --experimental-wasm-branch-hinting,
// engines/node.ts); wasm2c ignores custom sections, so the native build's C
// is the same.
//
// The analysis is structural and needs no names: the dispatch loop is the
// innermost `loop` around the `br_table` with the most targets; an
// instruction is "hot" if some path from it reaches a branch back to that
// loop's start (backward reachability over the function's control flow).
//
// Usage: import { addBranchHints } from "./branch-hints.mjs";
//        const { bytes, hints, func } = addBranchHints(wasmBytes);

/** Reads an unsigned LEB128 at `p`: [value, next position]. */
function uleb(b, p) {
  let v = 0, shift = 0, byte;
  do {
    byte = b[p++];
    v += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [v, p];
}

/** Skips a signed LEB128 at `p`. */
function skipLeb(b, p) {
  while (b[p++] & 0x80);
  return p;
}

function encU32(v) {
  const out = [];
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v) byte |= 0x80;
    out.push(byte);
  } while (v);
  return out;
}

/** Skips a block type (empty, a value type, or an s33 type index). */
function skipBlockType(b, p) {
  const t = b[p];
  if (t === 0x40 || (t >= 0x6f && t <= 0x7f)) return p + 1;
  return skipLeb(b, p);
}

/**
 * Decodes a function body's instructions (MVP, sign extension, saturating
 * conversions, bulk memory and reference types: what asc emits for the
 * interpreter). Returns [{ at, op, labels?, func? }] with `at` relative to
 * the body's first instruction.
 */
function decodeBody(b, start, end) {
  const ins = [];
  let p = start;
  while (p < end) {
    const at = p - start;
    const op = b[p++];
    const i = { at, op };
    switch (op) {
      case 0x02: case 0x03: case 0x04: p = skipBlockType(b, p); break;
      case 0x0c: case 0x0d: [i.label, p] = uleb(b, p); break;
      case 0x0e: {
        let n;
        [n, p] = uleb(b, p);
        i.labels = [];
        for (let k = 0; k <= n; k++) { let l; [l, p] = uleb(b, p); i.labels.push(l); }
        break;
      }
      case 0x10: [i.func, p] = uleb(b, p); break;
      case 0x11: p = uleb(b, uleb(b, p)[1])[1]; break;
      case 0x1c: { let n; [n, p] = uleb(b, p); p += n; break; }
      case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: case 0xd2:
        p = uleb(b, p)[1]; break;
      case 0x3f: case 0x40: case 0xd0: p += 1; break;
      case 0x41: case 0x42: p = skipLeb(b, p); break;
      case 0x43: p += 4; break;
      case 0x44: p += 8; break;
      case 0xfc: {
        let sub;
        [sub, p] = uleb(b, p);
        i.sub = sub;
        if (sub === 8) p = uleb(b, p)[1] + 1;
        else if (sub === 9 || sub === 13 || (sub >= 15 && sub <= 17)) p = uleb(b, p)[1];
        else if (sub === 10) p += 2;
        else if (sub === 11) p += 1;
        else if (sub === 12 || sub === 14) p = uleb(b, uleb(b, p)[1])[1];
        else if (sub > 7) throw new Error(`branch-hints: 0xfc ${sub} not handled`);
        break;
      }
      default:
        if (op >= 0x28 && op <= 0x3e) { p = uleb(b, uleb(b, p)[1])[1]; break; }
        if ((op >= 0x45 && op <= 0xc4) || op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f ||
            op === 0x1a || op === 0x1b || op === 0xd1) break;
        throw new Error(`branch-hints: opcode 0x${op.toString(16)} not handled`);
    }
    ins.push(i);
  }
  if (p !== end) throw new Error("branch-hints: decoding overran the body");
  return ins;
}

/**
 * Control flow of a decoded body: for each instruction its successors
 * (indices), and which instructions branch to the start of which loop.
 */
function controlFlow(ins) {
  const n = ins.length;
  const match = new Array(n).fill(-1); // block/loop/if -> its end; if -> else in elseOf
  const elseOf = new Array(n).fill(-1);
  const stack = [];
  // label targets: for instruction i inside nesting, label l names stack[len-1-l]
  const targetOf = []; // [i] -> for br-type, list of opener indices
  for (let i = 0; i < n; i++) {
    const op = ins[i].op;
    if (op === 0x02 || op === 0x03 || op === 0x04) stack.push(i);
    else if (op === 0x05) elseOf[stack[stack.length - 1]] = i;
    else if (op === 0x0b) { const o = stack.pop(); if (o !== undefined) match[o] = i; }
    const labels = op === 0x0c || op === 0x0d ? [ins[i].label] : op === 0x0e ? ins[i].labels : null;
    if (labels) targetOf[i] = labels.map((l) => (l < stack.length ? stack[stack.length - 1 - l] : -1));
  }
  // an opener's branch target: a loop's first instruction, or the end of a block/if (-1: the function)
  const dest = (o) => (o < 0 ? -1 : ins[o].op === 0x03 ? o + 1 : match[o]);
  const openerOfElse = new Map();
  elseOf.forEach((e, o) => { if (e >= 0) openerOfElse.set(e, o); });
  const succ = new Array(n);
  for (let i = 0; i < n; i++) {
    const op = ins[i].op;
    if (targetOf[i]) {
      const ts = targetOf[i].map(dest).filter((t) => t >= 0);
      succ[i] = op === 0x0d ? [...ts, i + 1] : ts;
    } else if (op === 0x0f || op === 0x00) succ[i] = [];
    else if (op === 0x04) succ[i] = [i + 1, elseOf[i] >= 0 ? elseOf[i] + 1 : match[i]];
    else if (op === 0x05) {
      // the then-arm falling into `else` continues after the matching end
      succ[i] = [match[openerOfElse.get(i)]];
    } else succ[i] = i + 1 < n ? [i + 1] : [];
  }
  return { succ, targetOf, match, elseOf };
}

/** A call, or an op V8 compiles to one (memory.grow, bulk memory and table ops). */
function isCall(x) {
  return x.op === 0x10 || x.op === 0x11 || x.op === 0x40 || (x.op === 0xfc && x.sub >= 8);
}

/** The hints for one body: [{ at, likely }] in ascending `at`. */
function hintsFor(ins) {
  const { succ, targetOf, elseOf, match } = controlFlow(ins);
  // the dispatch loop: the innermost loop around the br_table with the most targets
  let table = -1;
  ins.forEach((x, i) => { if (x.labels && (table < 0 || x.labels.length > ins[table].labels.length)) table = i; });
  if (table < 0 || ins[table].labels.length < 256) return null;
  let loop = -1;
  for (let o = table; o >= 0; o--) if (ins[o].op === 0x03 && match[o] > table) { loop = o; break; }
  if (loop < 0) return null;
  // hot: can reach a branch back to the dispatch loop's start without
  // leaving the loop (what leaves it may come back only through the loop's
  // entry, which is a new call of the loop, not a next op)
  const n = ins.length;
  const inLoop = (i) => i > loop && i < match[loop];
  // and without a call on the way (a call makes every handler after it, in
  // V8's code order, reload the loop's values into other registers)
  const preds = Array.from({ length: n }, () => []);
  succ.forEach((ss, i) => { if (inLoop(i) && !isCall(ins[i])) ss.forEach((s) => { if (inLoop(s)) preds[s].push(i); }); });
  const hot = new Uint8Array(n);
  const work = [];
  for (let i = 0; i < n; i++) if (inLoop(i) && targetOf[i] && targetOf[i].includes(loop)) { hot[i] = 1; work.push(i); }
  while (work.length) {
    const i = work.pop();
    for (const p of preds[i]) if (!hot[p]) { hot[p] = 1; work.push(p); }
  }
  const hints = [];
  for (let i = loop + 1; i < match[loop]; i++) {
    const op = ins[i].op;
    let taken, other;
    if (op === 0x0d) { [taken, other] = [succ[i][0], i + 1]; if (succ[i].length < 2) continue; }
    else if (op === 0x04) { taken = i + 1; other = elseOf[i] >= 0 ? elseOf[i] + 1 : match[i]; }
    else continue;
    if (!hot[taken] && hot[other]) hints.push({ at: ins[i].at, likely: false });
    else if (hot[taken] && !hot[other]) hints.push({ at: ins[i].at, likely: true });
  }
  return hints;
}

/**
 * The module with a branch-hint section for the exported function holding
 * the dispatch loop (wrt_run: binaryen inlines the loop into it), inserted
 * before the code section. Returns the new bytes, the number of hints and
 * the hinted functions' indices (imports included).
 */
export function addBranchHints(bytes, exportName = "wrt_run") {
  const b = bytes;
  let p = 8;
  let numImportedFuncs = 0;
  let codeAt = -1, codeStart = -1, codeEnd = -1, target = -1;
  while (p < b.length) {
    const id = b[p];
    const [size, q] = uleb(b, p + 1);
    if (id === 2) {
      let [count, r] = uleb(b, q);
      for (let k = 0; k < count; k++) {
        for (let s = 0; s < 2; s++) { const [len, r2] = uleb(b, r); r = r2 + len; }
        const kind = b[r++];
        if (kind === 0) { numImportedFuncs++; r = uleb(b, r)[1]; }
        else if (kind === 1) { r += 1; const f = b[r++]; r = uleb(b, r)[1]; if (f & 1) r = uleb(b, r)[1]; }
        else if (kind === 2) { const f = b[r++]; r = uleb(b, r)[1]; if (f & 1) r = uleb(b, r)[1]; }
        else if (kind === 3) r += 2;
        else throw new Error(`branch-hints: import kind ${kind}`);
      }
    }
    if (id === 7) {
      let [count, r] = uleb(b, q);
      for (let k = 0; k < count; k++) {
        const [len, r2] = uleb(b, r);
        const name = Buffer.from(b.subarray(r2, r2 + len)).toString();
        const kind = b[r2 + len];
        let idx;
        [idx, r] = uleb(b, r2 + len + 1);
        if (kind === 0 && name === exportName) target = idx;
      }
    }
    if (id === 10) { codeAt = p; codeStart = q; codeEnd = q + size; }
    p = q + size;
  }
  if (codeAt < 0) throw new Error("branch-hints: no code section");
  let [count, r] = uleb(b, codeStart);
  const funcs = [];
  let total = 0;
  for (let k = 0; k < count; k++) {
    const [size, bodyStart] = uleb(b, r);
    const bodyEnd = bodyStart + size;
    // skip the local declarations
    let [groups, s] = uleb(b, bodyStart);
    for (let g = 0; g < groups; g++) s = uleb(b, s)[1] + 1;
    r = bodyEnd;
    if (numImportedFuncs + k !== target) continue;
    const hints = hintsFor(decodeBody(b, s, bodyEnd));
    if (!hints || !hints.length) continue;
    // V8 counts hint offsets from the body's first byte, its local declarations
    const base = s - bodyStart;
    funcs.push({ func: numImportedFuncs + k, hints, base });
    total += hints.length;
  }
  if (!funcs.length) return { bytes, hints: 0, funcs: [] };
  const payload = [...encU32(funcs.length)];
  for (const f of funcs) {
    payload.push(...encU32(f.func), ...encU32(f.hints.length));
    for (const h of f.hints) payload.push(...encU32(h.at + f.base), 1, h.likely ? 1 : 0);
  }
  const name = [...Buffer.from("metadata.code.branch_hint")];
  const content = [...encU32(name.length), ...name, ...payload];
  const section = Uint8Array.from([0, ...encU32(content.length), ...content]);
  const out = new Uint8Array(b.length + section.length);
  out.set(b.subarray(0, codeAt), 0);
  out.set(section, codeAt);
  out.set(b.subarray(codeAt), codeAt + section.length);
  return { bytes: out, hints: total, funcs: funcs.map((f) => f.func) };
}
