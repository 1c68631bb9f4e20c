// Forward-threaded dispatch for V8 (docs/internal-code.md, "Dispatch shapes
// V8 can run"): build/wrt.wasm's wrt_run holds the loop
//
//   loop $L
//     block $bN ... block $b1            (one block per case, nested)
//       local.get $pc  i32.load8_u  br_table <op -> $bK>
//     end  <case after $b1> ... end <case after $bN> ...
//     (each handler ends with `br $L`)
//   end
//
// A handler's code lies inside every case block that closes after it, so
// from there a `br` can reach the start of any LATER case directly. This
// rewrites each `br $L` in the loop as the head's own dispatch,
//
//   local.get $pc  i32.load8_u  br_table <op -> $bK if $bK encloses here, else $L>
//
// so that each handler has its own indirect jump (predicted on its own, as
// gcc's threaded code is) for the ops placed after it; ops placed before it
// still go through $L's head. The head has no other effect (it reads pc and
// the op byte), so the rewritten branch does what the head would have done.
//
// Usage: import { threadDispatch } from "./dispatch-threads.mjs";
//        const { bytes, sites } = threadDispatch(wasmBytes);
import { controlFlow, decodeBody, dispatchLoop, encU32, functionBodies } from "./branch-hints.mjs";

export function threadDispatch(bytes, exportName = "wrt_run", { minForward = 1, ops = null } = {}) {
  const b = bytes;
  const { codeAt, codeStart, codeEnd, bodies } = functionBodies(b, exportName);
  const f = bodies.find((x) => x.target);
  if (!f) throw new Error(`dispatch-threads: no exported function ${exportName}`);
  const ins = decodeBody(b, f.instrStart, f.bodyEnd);
  const { match } = controlFlow(ins);
  const loop = dispatchLoop(ins, match);
  if (loop < 0) throw new Error(`dispatch-threads: no dispatch loop in ${exportName}`);
  const at = (i) => f.instrStart + (i < ins.length ? ins[i].at : f.bodyEnd - f.instrStart);
  const bytesOf = (i) => [...b.subarray(at(i), at(i + 1))];
  // the head: loop, blocks, local.get, i32.load8_u, br_table
  let t = loop + 1;
  while (ins[t].op === 0x02) { if (b[at(t) + 1] !== 0x40) throw new Error("dispatch-threads: a case block has a type"); t++; }
  if (ins[t].op !== 0x20 || ins[t + 1].op !== 0x2d || ins[t + 2].op !== 0x0e) throw new Error("dispatch-threads: the head is not local.get, i32.load8_u, br_table");
  const table = t + 2;
  const headLoad = [...bytesOf(t), ...bytesOf(t + 1)];
  // the openers the head's labels name (stack at the br_table: loop .. innermost block)
  const stackAtHead = [];
  for (let i = 0; i < table; i++) {
    const op = ins[i].op;
    if (op === 0x02 || op === 0x03 || op === 0x04) stackAtHead.push(i);
    else if (op === 0x0b) stackAtHead.pop();
  }
  const openerOf = ins[table].labels.map((l) => stackAtHead[stackAtHead.length - 1 - l]);
  // walk the loop body after the head, re-aiming each `br $L`
  const out = [...b.subarray(f.bodyStart, at(table + 1))];
  const stack = stackAtHead.slice();
  let sites = 0;
  const caseBlocks = new Set(openerOf);
  let current = -1; // the case block whose code this is (its end passed last)
  for (let i = table + 1; i < ins.length; i++) {
    const x = ins[i];
    let done = false;
    const inHot = !ops || openerOf.some((o, op) => o === current && ops.includes(op));
    if (inHot && x.op === 0x0c && i < match[loop] && stack[stack.length - 1 - x.label] === loop) {
      const depth = new Map(stack.map((o, k) => [o, stack.length - 1 - k]));
      let forward = 0;
      const labels = openerOf.map((o, op) => {
        if (ops && !ops.includes(op)) return depth.get(loop);
        if (o !== loop && depth.has(o) && o > loop) { forward++; return depth.get(o); }
        if (depth.has(o) && o < loop) return depth.get(o); // outside the loop: as the head
        return depth.get(loop);
      });
      if (forward >= minForward) {
        out.push(...headLoad, 0x0e, ...encU32(labels.length - 1), ...labels.flatMap((l) => encU32(l)));
        sites++;
        done = true;
      }
    }
    if (!done) out.push(...bytesOf(i));
    if (x.op === 0x02 || x.op === 0x03 || x.op === 0x04) stack.push(i);
    else if (x.op === 0x0b) { const o = stack.pop(); if (caseBlocks.has(o)) current = o; }
  }
  const fn = out;
  const payload = [...b.subarray(codeStart, f.sizeAt), ...encU32(fn.length), ...fn, ...b.subarray(f.bodyEnd, codeEnd)];
  const res = Uint8Array.from([...b.subarray(0, codeAt), 10, ...encU32(payload.length), ...payload, ...b.subarray(codeEnd)]);
  return { bytes: res, sites };
}
