// Compares what wrt and V8 observed for one module (fuzz/lib/common.mjs shapes).
//
// - instantiation: outcome (ok / trap class / link error) and its log calls;
// - each call V8 ran (the calls before wrt's first skip): outcome, trap
//   class, results and log calls, as strings (NaNs are already "some NaN");
//   the first call that differs ends the comparison (the states diverge);
// - each call's fuel: what WRT charged against the count of the instrumented
//   copy V8 ran (fuzz/lib/fuel-oracle.mjs), when both sides have one (calls
//   that went back into the module through a host function have none);
// - if no call was skipped on either side: the final bytes of memory 0
//   (a differing byte is tolerated only inside a 4- or 8-byte window that is
//   a NaN on both sides: NaN bits that V8 chose) and the exported globals.

import { TRAP_RULE } from "./fuel-oracle.mjs";

const f32NaN = (b, i) => {
  const hi = b[i + 3] & 0x7f, e = ((b[i + 3] & 0x7f) << 1) | (b[i + 2] >> 7);
  return hi !== undefined && e === 0xff && ((b[i + 2] & 0x7f) | b[i + 1] | b[i]) !== 0;
};
const f64NaN = (b, i) => {
  const e = ((b[i + 7] & 0x7f) << 4) | (b[i + 6] >> 4);
  if (e !== 0x7ff) return false;
  return ((b[i + 6] & 0x0f) | b[i + 5] | b[i + 4] | b[i + 3] | b[i + 2] | b[i + 1] | b[i]) !== 0;
};

/** Is the byte difference at `j` explained by a NaN both sides hold there? */
function nanExplained(a, b, j) {
  for (const [w, isNaN] of [[4, f32NaN], [8, f64NaN]]) {
    for (let s = Math.max(0, j - w + 1); s <= j && s + w <= a.length; s++) {
      if (isNaN(a, s) && isNaN(b, s)) return true;
    }
  }
  return false;
}

const hex = (bytes, at, n = 8) => Array.from(bytes.subarray(Math.max(0, at), at + n), (x) => x.toString(16).padStart(2, "0")).join(" ");

function describeOutcome(r) {
  if (r.outcome === "ok") return `ok [${(r.results ?? []).join(", ")}]`;
  if (r.outcome === "trap") return `trap ${r.trap}`;
  return `${r.outcome}${r.why ? ` (${r.why})` : ""}`;
}

/**
 * wrt's trap class `a` against V8's `b`. V8 says "float unrepresentable in
 * integer range" both for a NaN (our "conversion", code 9) and for an
 * out-of-range value (our "overflow", code 8, which V8 calls "divide result
 * unrepresentable" only for division).
 */
function sameTrap(a, b) {
  return a === b || (b === "conversion" && a === "overflow");
}

export function compareRuns(w, v, { compareMemory = true, strictFuel = false } = {}) {
  const diffs = [];
  let calls = 0;
  let traps = 0;
  let fuelAgreed = 0;
  const knownFuel = []; // fuel of a trap after a fuel stop: a known WRT issue (fuzz/README.md), reported apart
  const wi = w.instantiate, vi = v.instantiate;
  const sameOutcome = (a, b) => a.outcome === b.outcome && (a.outcome !== "trap" || sameTrap(a.trap, b.trap));
  if (!sameOutcome(wi, vi)) {
    diffs.push(`instantiation: wrt ${describeOutcome(wi)}, V8 ${describeOutcome(vi)}`);
    return { diffs, calls, traps, fuelAgreed, knownFuel };
  }
  if (wi.logs.join("|") !== vi.logs.join("|")) diffs.push(`instantiation logs: wrt ${wi.logs.join(" ")} / V8 ${vi.logs.join(" ")}`);
  if (wi.outcome !== "ok") return { diffs, calls, traps, fuelAgreed, knownFuel };

  let skipped = w.calls.length !== v.calls.length;
  for (let i = 0; i < v.calls.length && diffs.length === 0; i++) {
    const a = w.calls[i], b = v.calls[i];
    if (a.outcome === "skip" || b.outcome === "skip") { skipped = true; break; }
    calls++;
    const where = `call ${i} ${a.name}(${a.args.map((x) => "0x" + x.toString(16)).join(", ")})`;
    if (!sameOutcome(a, b)) diffs.push(`${where}: wrt ${describeOutcome(a)}, V8 ${describeOutcome(b)}`);
    else if (a.outcome === "ok" && a.results.join(",") !== b.results.join(",")) diffs.push(`${where}: results wrt [${a.results}] V8 [${b.results}]`);
    if (a.outcome === "trap") traps++;
    if (diffs.length === 0 && a.fuel !== undefined && b.fuel !== undefined) {
      const msg = `${where}: fuel: wrt charged ${a.fuel}, the oracle counts ${b.fuel} (docs/fuel.md, Counting)`;
      if (a.fuel === b.fuel) fuelAgreed++;
      else if (a.slicedTrap && !strictFuel && TRAP_RULE === "block") knownFuel.push(msg);
      else diffs.push(msg);
    }
    if (a.logs.join("|") !== b.logs.join("|")) {
      let k = 0;
      while (k < a.logs.length && a.logs[k] === b.logs[k]) k++;
      diffs.push(`${where}: log ${k} differs: wrt ${a.logs[k] ?? "(end)"} V8 ${b.logs[k] ?? "(end)"} (of ${a.logs.length}/${b.logs.length})`);
    }
  }
  if (diffs.length > 0 || skipped) return { diffs, calls, traps, fuelAgreed, knownFuel };

  if (compareMemory && (w.memory || v.memory)) {
    const ma = w.memory, mb = v.memory;
    const a = ma?.bytes, b = mb?.bytes;
    if (!ma || !mb || ma.size !== mb.size) diffs.push(`memory size: wrt ${ma?.size} V8 ${mb?.size}`);
    else if (ma.hash === mb.hash) { /* same bytes */ }
    else if (!a || !b) diffs.push(`memory of ${ma.size} bytes differs (hash)`);
    else {
      for (let j = 0; j < a.length; j++) {
        if (a[j] !== b[j] && !nanExplained(a, b, j)) {
          diffs.push(`memory differs at ${j}: wrt ${hex(a, j - 4, 12)} V8 ${hex(b, j - 4, 12)} (from ${j - 4})`);
          break;
        }
      }
    }
  }
  const wg = w.globals.join(" "), vg = v.globals.join(" ");
  if (wg !== vg) diffs.push(`globals: wrt ${wg} / V8 ${vg}`);
  return { diffs, calls, traps, fuelAgreed, knownFuel };
}
