// Two copies of the dispatch loop's body for V8 (docs/internal-code.md,
// "Two dispatch sites"): build/wrt.wasm's wrt_run holds the loop
//
//   loop $L  <body: br_table over the op byte, handlers, each `br $L`>  end
//
// and this rewrites it, in the binary, as
//
//   loop $L  block $mid <body'> end  <body>  end
//
// where body' is body with every branch to $L turned into a branch to $mid
// (same depth number: the new block sits between) and every branch to a
// label outside the loop one deeper. An op run by body' goes on to body for
// the next op, which goes back to $L: the ops alternate between two
// br_tables, and V8 predicts each one's indirect jump on its own (measured
// in bench/dispatch-shapes.mjs). Semantics are those of the loop as it was:
// both copies are the same code, and body' falls into body exactly where the
// loop would have gone back to its start.
//
// Only the build Node runs gets this (scripts/build-wasm.mjs); wasm2c's C
// threads its dispatch itself (host-shims/c, "The native build").
//
// Usage: import { copyDispatch } from "./dispatch-copies.mjs";
//        const { bytes, bodyBytes } = copyDispatch(wasmBytes);
import { controlFlow, decodeBody, dispatchLoop, encU32, functionBodies } from "./branch-hints.mjs";

/** Re-encodes a branch's labels: `l` from depth `n` inside the loop body. */
function shiftedLabels(ins, n) {
  const shift = (l) => (l > n ? l + 1 : l); // past the loop: one more block between; the loop itself becomes $mid
  if (ins.op === 0x0e) return [0x0e, ...encU32(ins.labels.length - 1), ...ins.labels.flatMap((l) => encU32(shift(l)))];
  return [ins.op, ...encU32(shift(ins.label))];
}

/** The loop body's bytes, branches re-aimed as above (`ins`: the body's instructions with their byte ranges). */
function rewrittenBody(b, ins, first, last, bytesOf) {
  const out = [];
  let depth = 0; // blocks, loops and ifs open inside the body
  for (let i = first; i <= last; i++) {
    const x = ins[i];
    if (x.op === 0x0c || x.op === 0x0d || x.op === 0x0e) out.push(...shiftedLabels(x, depth));
    else out.push(...bytesOf(i));
    if (x.op === 0x02 || x.op === 0x03 || x.op === 0x04) depth++;
    else if (x.op === 0x0b) depth--;
  }
  if (depth !== 0) throw new Error("dispatch-copies: the loop body's blocks do not balance");
  return out;
}

/** The module with wrt_run's dispatch loop body doubled; `bodyBytes`: wrt_run's new body size. */
export function copyDispatch(bytes, exportName = "wrt_run") {
  const b = bytes;
  const { codeAt, codeStart, codeEnd, bodies } = functionBodies(b, exportName);
  const f = bodies.find((x) => x.target);
  if (!f) throw new Error(`dispatch-copies: no exported function ${exportName}`);
  const ins = decodeBody(b, f.instrStart, f.bodyEnd);
  const { match } = controlFlow(ins);
  const loop = dispatchLoop(ins, match);
  if (loop < 0) throw new Error(`dispatch-copies: no dispatch loop in ${exportName}`);
  const end = match[loop];
  const at = (i) => f.instrStart + (i < ins.length ? ins[i].at : f.bodyEnd - f.instrStart);
  const bytesOf = (i) => b.subarray(at(i), at(i + 1));
  if (b[at(loop) + 1] !== 0x40) throw new Error("dispatch-copies: the dispatch loop has a result type");
  const body = [...b.subarray(at(loop + 1), at(end))];
  const copy = rewrittenBody(b, ins, loop + 1, end - 1, bytesOf);
  // the function: up to the loop's header, block $mid, body', end, body, the rest
  const fn = [...b.subarray(f.bodyStart, at(loop + 1)), 0x02, 0x40, ...copy, 0x0b, ...body, ...b.subarray(at(end), f.bodyEnd)];
  // the code section: bodies before, this one with its new size, bodies after
  const payload = [...b.subarray(codeStart, f.sizeAt), ...encU32(fn.length), ...fn, ...b.subarray(f.bodyEnd, codeEnd)];
  const out = Uint8Array.from([...b.subarray(0, codeAt), 10, ...encU32(payload.length), ...payload, ...b.subarray(codeEnd)]);
  return { bytes: out, bodyBytes: fn.length };
}
