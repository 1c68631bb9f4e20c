// The V8 side of the differential fuzzer: runs one module with the
// WebAssembly JS API and writes down what it observed, in the shape of
// fuzz/lib/common.mjs. Runs inside a worker (fuzz/lib/v8-worker.mjs) so that
// the main thread can kill a run that hangs.
//
// The imports behave exactly like the ones fuzz/lib/wrt-side.mjs gives the
// interpreter (binaryen's fuzzing-support semantics, see
// binaryen/scripts/fuzz_shell.js): a log call is recorded; `throw` and a
// bad index/argument raise a JS exception (not a trap); call-export* and
// call-ref* call a function with null/zero arguments (an i64 parameter makes
// that a JS exception, as in JS); the *-catch forms turn an exception into
// 1 but let traps through.

import { LIMITS, argToJs, memoryImage, showJs, v8TrapClass } from "./common.mjs";
import { FUEL_COUNTER } from "./fuel-oracle.mjs";
import { MEMORY_EXPORT } from "./wasm.mjs";
import { RELAXED_OUTSIDE } from "./relaxed.mjs";

class HarnessException extends Error {}
class Skip extends Error {}

const isStackOverflow = (e) => e instanceof RangeError && /call stack/i.test(e.message);

export function runV8(job) {
  // `counted`: the module rewritten to count its fuel (fuzz/lib/fuel-oracle.mjs),
  // run instead of `bytes` when there is one; each call then reports its fuel
  // (not when the call went back into the module through a host function).
  const { bytes, counted, imports: importDescs, exports: exportDescs, calls } = job;
  const logs = [];
  let nest = 0;
  let nestedCalls = 0;
  let exportList = [];
  let table = null;

  const callFunc = (f) => {
    if (typeof f !== "function") throw new HarnessException("not a function");
    if (nest >= LIMITS.maxNest) throw new Skip("nesting");
    const args = [];
    for (let i = 0; i < f.length; i++) args.push(null); // i64 params: TypeError, as in binaryen's shell
    nest++;
    nestedCalls++;
    try {
      f(...args);
    } finally {
      nest--;
    }
  };
  const tryCall = (thunk) => {
    try {
      thunk();
      return 0;
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError || e instanceof Skip || isStackOverflow(e)) throw e;
      return 1;
    }
  };
  const exportAt = (i) => {
    const e = exportList[i >>> 0];
    if (!e) throw new HarnessException("no such export");
    return e;
  };
  const tableIndex = (i) => {
    if (!table) throw new HarnessException("no table");
    if ((i >>> 0) >= table.length) throw new HarnessException("table index");
    return i >>> 0;
  };
  const support = {
    "throw": () => { throw new HarnessException("throw"); },
    "table-get": (i) => table.get(tableIndex(i)),
    "table-set": (i, v) => { table.set(tableIndex(i), v); },
    "call-export": (i) => { callFunc(exportAt(i).value); },
    "call-export-catch": (i) => tryCall(() => callFunc(exportAt(i).value)),
    "call-ref": (f) => { callFunc(f); },
    "call-ref-catch": (f) => tryCall(() => callFunc(f)),
    "sleep": (ms, id) => id,
    "log-branch": (id, expected, actual) => { logs.push(`branch:${id >>> 0}:${expected >>> 0}:${actual >>> 0}`); },
  };
  const spectestFunc = (name, params) => (...a) => { logs.push(`${name}:${params.map((t, i) => showJs(t, a[i])).join(",")}`); };
  const SPECTEST_PRINTS = {
    print: [], print_i32: ["i32"], print_i64: ["i64"], print_f32: ["f32"], print_f64: ["f64"],
    print_i32_f32: ["i32", "f32"], print_f64_f64: ["f64", "f64"],
  };
  const importObject = {};
  for (const d of importDescs) {
    const ns = (importObject[d.module] ??= {});
    ns[d.name] = importValue(d);
  }
  function importValue(d) {
    if (d.kind === "func") {
      if (d.module === "fuzzing-support" && d.name.startsWith("log-") && d.name !== "log-branch") {
        // log-i32/i64/f32/f64 (an i64 may come legalized as two i32s): every argument by its declared type
        return (...a) => { logs.push(`log:${d.type.params.map((t, i) => showJs(t, a[i])).join(",")}`); };
      }
      if (d.module === "fuzzing-support" && support[d.name]) return support[d.name];
      if (d.module === "spectest" && SPECTEST_PRINTS[d.name]) return spectestFunc(d.name, SPECTEST_PRINTS[d.name]);
      const { params, results } = d.type;
      return (...a) => {
        logs.push(`call:${d.module}.${d.name}(${params.map((t, i) => showJs(t, a[i])).join(",")})`);
        const zero = results.map((t) => (t === "i64" ? 0n : t === "funcref" || t === "externref" ? null : 0));
        return zero.length === 1 ? zero[0] : zero.length === 0 ? undefined : zero;
      };
    }
    if (d.kind === "global") {
      const t = d.type.type;
      let v = t === "i32" ? 666 : t === "i64" ? 666n : t === "f32" ? 666.5 : t === "f64" ? 666.6 : t === "externref" ? { extern: d.name } : null;
      if (d.module !== "spectest") v = t === "i32" ? 42 : t === "i64" ? 42n : t === "f32" ? 1.5 : t === "f64" ? 2.5 : v;
      return new WebAssembly.Global({ value: t === "funcref" ? "anyfunc" : t, mutable: d.type.mutable }, v);
    }
    if (d.kind === "table") {
      const desc = { element: d.type.element === "funcref" ? "anyfunc" : "externref", initial: d.type.min };
      if (d.type.max !== null) desc.maximum = d.type.max;
      return new WebAssembly.Table(desc);
    }
    const desc = { initial: d.type.min };
    if (d.type.max !== null) desc.maximum = d.type.max;
    return new WebAssembly.Memory(desc);
  }

  // relaxedOutside: bits of the relaxed ops whose V8 value was outside the spec (fuzz/lib/relaxed.mjs)
  const out = { instantiate: null, calls: [], memory: null, globals: [], relaxedOutside: 0 };
  let instance;
  try {
    const module = new WebAssembly.Module(counted ?? bytes);
    instance = new WebAssembly.Instance(module, importObject);
    exportList = WebAssembly.Module.exports(module).filter((e) => e.name !== FUEL_COUNTER && e.name !== RELAXED_OUTSIDE).map((e) => ({ name: e.name, value: instance.exports[e.name] }));
    const t = instance.exports.table;
    table = t instanceof WebAssembly.Table ? t : null;
    out.instantiate = { outcome: "ok", logs: logs.splice(0) };
  } catch (e) {
    out.instantiate = outcomeOf(e, logs.splice(0));
    return out;
  }
  const overLimit = () => {
    const m = instance.exports[MEMORY_EXPORT];
    return m instanceof WebAssembly.Memory && m.buffer.byteLength > LIMITS.maxPages * 65536;
  };
  for (const c of calls) {
    const d = exportDescs.find((x) => x.name === c.name);
    const f = instance.exports[c.name];
    let rec;
    const counter = instance.exports[FUEL_COUNTER];
    const before = counter ? counter.value : 0n;
    nestedCalls = 0;
    try {
      nest = 0;
      const r = f(...c.args.map((b, i) => argToJs(d.type.params[i], b)));
      const list = d.type.results.length === 1 ? [r] : d.type.results.length === 0 ? [] : [...r];
      rec = { outcome: "ok", results: list.map((v, i) => showJs(d.type.results[i], v)), logs: logs.splice(0) };
    } catch (e) {
      rec = outcomeOf(e, logs.splice(0));
    }
    if (counter && nestedCalls === 0 && (rec.outcome === "ok" || rec.outcome === "trap")) rec.fuel = String(counter.value - before);
    if (rec.outcome !== "skip" && overLimit()) rec = { outcome: "skip", why: "memory beyond wrt's page limit", logs: rec.logs };
    out.calls.push({ name: c.name, ...rec });
    if (rec.outcome === "skip") break;
  }
  out.relaxedOutside = instance.exports[RELAXED_OUTSIDE]?.value ?? 0;
  const mem = instance.exports[MEMORY_EXPORT];
  if (mem instanceof WebAssembly.Memory && !overLimit()) out.memory = memoryImage(new Uint8Array(mem.buffer));
  for (const d of exportDescs) {
    if (d.kind !== "global" || d.type.type === "v128") continue; // V8 cannot read a v128 global from JS
    const g = instance.exports[d.name];
    out.globals.push(`${d.name}=${showJs(d.type.type, g.value)}`);
  }
  return out;
}

function outcomeOf(e, logs) {
  if (e instanceof Skip || isStackOverflow(e)) return { outcome: "skip", why: String(e.message), logs };
  if (e instanceof WebAssembly.RuntimeError) return { outcome: "trap", trap: v8TrapClass(e.message), logs };
  if (e instanceof WebAssembly.LinkError) return { outcome: "link", why: e.message, logs };
  if (e instanceof WebAssembly.CompileError) return { outcome: "invalid", why: e.message, logs };
  return { outcome: "exception", why: String(e && e.message), logs };
}
