// The wrt side of the differential fuzzer: runs one module in the
// interpreter (a fresh Engine per module; build/wrt.wasm, or build/wrt-native
// through host-shims/node native-engine.js) and writes down what it
// observed, in the shape of fuzz/lib/common.mjs. The imports mirror
// fuzz/lib/v8-side.mjs exactly.
//
// Every top-level call gets `fuel`; nested calls (call-export inside a host
// function) share what is left of it. Running out is "skip": the call and
// everything after it in this module are not compared (V8 is only asked to
// run the calls before it).

import path from "node:path";
import { fileURLToPath } from "node:url";
import { LIMITS, memoryImage, rng, showBits, wrtTrapClass } from "./common.mjs";
import { MEMORY_EXPORT } from "./wasm.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const api = await import(path.join(root, "host-shims/node/dist/index.js"));
const runApi = await import(path.join(root, "host-shims/node/dist/api/run.js"));
const { Engine, Module, Instance, Func, Memory, Table, Global, WrtTrap, WrtCodedError, WrtInternalError, WrtInstantiationError, WrtLinkError, ErrCode } = api;

class HarnessException extends Error {}
class Skip extends Error {}

let nativeFactory = null;
/**
 * An Engine over build/wrt.wasm, or over build/wrt-native with engine
 * "native". `big`: 8x the default stacks (a re-run after WRT exhausted its
 * call stack: a false exhaustion must not end the comparison).
 */
export const BIG_STACKS = { callStackFrames: 262144, valueStackBytes: 8 << 20 };
export async function makeEngine(engine, { big = false } = {}) {
  const config = big ? BIG_STACKS : undefined;
  if (engine !== "native") return new Engine({ log: false, config });
  if (!nativeFactory) {
    const { instantiateNative } = await import(path.join(root, "host-shims/node/dist/engines/native.js"));
    nativeFactory = instantiateNative;
  }
  const Orig = WebAssembly.Instance;
  WebAssembly.Instance = function (m, imports) {
    return imports?.wrt?.abort ? nativeFactory(imports) : new Orig(m, imports);
  };
  try {
    return new Engine({ log: false, config });
  } finally {
    WebAssembly.Instance = Orig;
  }
}

/**
 * Loads `bytes`; returns { ok: true, module, imports, exports } or
 * { ok: false, why } (decode/validation error). A fault of the interpreter
 * itself throws WrtInternalError.
 */
export function load(engine, bytes) {
  try {
    const module = Module.load(engine, bytes);
    return { ok: true, module, imports: module.imports() };
  } catch (e) {
    if (e instanceof WrtInternalError) throw e;
    if (e instanceof WrtCodedError) return { ok: false, why: e.message };
    throw e;
  }
}

/**
 * Instantiates a loaded module and runs the calls `plan(exports)` returns
 * ({name, args: bits[]}, given the export descriptors with types). Returns
 * { instantiate, calls (with their args), memory, globals, exports } or
 * throws WrtInternalError.
 */
export function runWrt(engine, loaded, plan, { fuel, readMemory = true, sliceSeed = 0 }) {
  // sliceSeed != 0: top-level calls run in random slices of 1..4096 fuel,
  // resumed until done (the results must not change).
  const nextSlice = sliceSeed ? ((r) => () => 1 + (r() % 4096))(rng(sliceSeed)) : null;
  const { module, imports: importDescs } = loaded;
  const logs = [];
  let nest = 0;
  let nested = 0; // host-to-guest calls inside the current top-level call (its fuel is then not compared)
  let fuelLeft = 0n;
  let realTrap = null; // a trap inside a nested call, on its way out through host functions
  let skipped = null; // why the current top-level call cannot be compared (it reaches the top as a host error)
  const skip = (why) => new Skip((skipped ??= why));
  let exportList = [];
  let table = null;

  const invokeNested = (f) => {
    if (!(f instanceof Func)) throw new HarnessException("not a function");
    if (nest >= LIMITS.maxNest) throw skip("nesting");
    const type = f.type;
    if (type.params.includes("i64")) throw new HarnessException("i64 parameter from JS");
    if ([...type.params, ...type.results].includes("v128")) throw new HarnessException("v128 from JS"); // V8: a TypeError
    const args = type.params.map(() => 0n);
    nest++;
    nested++;
    try {
      runApi.begin(engine, f.handle, type, args);
      const res = runApi.drive(engine, fuelLeft, type.results);
      if (!res.done) {
        engine.raw.wrt_abandon();
        engine.abandoned = true;
        throw skip("out of fuel (nested)");
      }
      fuelLeft = res.fuelLeft;
    } catch (e) {
      if (e instanceof WrtTrap && e.code !== 11) realTrap ??= e; // 11: host error (an exception, or realTrap on its way out)
      if (e instanceof WrtTrap && e.code === 10) throw skip("call stack exhausted (nested)");
      throw e;
    } finally {
      nest--;
    }
  };
  // A host function's error, as the run loop should see it.
  const guard = (fn) => (...a) => {
    try {
      return fn(...a);
    } catch (e) {
      if (e instanceof RangeError && /call stack/i.test(e.message)) throw skip("host stack");
      throw e;
    }
  };
  const tryCall = (thunk) => {
    try {
      thunk();
      return 0;
    } catch (e) {
      if (skipped || e instanceof WrtInternalError || engine.abandoned) throw e;
      if (realTrap) throw e; // traps are not caught
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
    if ((i >>> 0) >= table.size) throw new HarnessException("table index");
    return i >>> 0;
  };
  const i32 = (b) => Number(BigInt.asIntN(32, b));
  const support = {
    "throw": () => { throw new HarnessException("throw"); },
    "table-get": (i) => [table.getRaw(tableIndex(i32(i)))],
    "table-set": (i, v) => { table.setRaw(tableIndex(i32(i)), v); return []; },
    "call-export": (i) => { invokeNested(exportAt(i32(i)).value); return []; },
    "call-export-catch": (i) => [BigInt(tryCall(() => invokeNested(exportAt(i32(i)).value)))],
    "call-ref": (f) => { invokeNested(f === 0n ? null : Func.fromHandle(engine, Number(f - 1n))); return []; },
    "call-ref-catch": (f) => [BigInt(tryCall(() => invokeNested(f === 0n ? null : Func.fromHandle(engine, Number(f - 1n)))))],
    "sleep": (ms, id) => [id],
    "log-branch": (id, expected, actual) => { logs.push(`branch:${i32(id) >>> 0}:${i32(expected) >>> 0}:${i32(actual) >>> 0}`); return []; },
  };
  const SPECTEST_PRINTS = new Set(["print", "print_i32", "print_i64", "print_f32", "print_f64", "print_i32_f32", "print_f64_f64"]);
  const hostFunc = (type, fn) => {
    const handle = engine.newHostFunc({ type, call: (args) => guard(fn)(...args) });
    return Func.fromHandle(engine, handle, type);
  };
  const importValue = (d) => {
    if (d.kind === "func") {
      const { params, results } = d.type;
      // as in V8: a JS import with a v128 in its type throws when called (binaryen's log-v128, ...)
      if ([...params, ...results].includes("v128")) return hostFunc(d.type, () => { throw new TypeError("type incompatibility when transforming from/to JS"); });
      if (d.module === "fuzzing-support" && d.name.startsWith("log-") && d.name !== "log-branch") {
        return hostFunc(d.type, (...a) => { logs.push(`log:${params.map((t, i) => showBits(t, a[i])).join(",")}`); return []; });
      }
      if (d.module === "fuzzing-support" && support[d.name]) return hostFunc(d.type, support[d.name]);
      if (d.module === "spectest" && SPECTEST_PRINTS.has(d.name)) {
        return hostFunc(d.type, (...a) => { logs.push(`${d.name}:${params.map((t, i) => showBits(t, a[i])).join(",")}`); return []; });
      }
      return hostFunc(d.type, (...a) => {
        logs.push(`call:${d.module}.${d.name}(${params.map((t, i) => showBits(t, a[i])).join(",")})`);
        return results.map(() => 0n);
      });
    }
    if (d.kind === "global") {
      const t = d.type.type;
      let v = t === "i32" ? 666 : t === "i64" ? 666n : t === "f32" ? 666.5 : t === "f64" ? 666.6 : t === "externref" ? { extern: d.name } : null;
      if (d.module !== "spectest") v = t === "i32" ? 42 : t === "i64" ? 42n : t === "f32" ? 1.5 : t === "f64" ? 2.5 : v;
      return Global.create(engine, d.type, v);
    }
    if (d.kind === "table") return Table.create(engine, d.type);
    return Memory.create(engine, d.type);
  };
  const importObject = {};
  for (const d of importDescs) (importObject[d.module] ??= {})[d.name] = importValue(d);

  const out = { instantiate: null, calls: [], memory: null, globals: [], exports: [] };
  let instance;
  fuelLeft = BigInt(fuel);
  try {
    instance = Instance.instantiate(module, importObject, { fuel });
    out.instantiate = { outcome: "ok", logs: logs.splice(0) };
  } catch (e) {
    out.instantiate = outcomeOf(engine, e, logs.splice(0), realTrap, skipped);
    return out;
  }
  exportList = module.exports().map((d) => ({ name: d.name, value: instance.exports[d.name] }));
  const t = instance.exports.table;
  table = t instanceof Table ? t : null;
  for (const { name, value } of exportList) {
    if (value instanceof Func) out.exports.push({ name, kind: "func", type: value.type });
    else if (value instanceof Global) out.exports.push({ name, kind: "global", type: value.globalType });
    else out.exports.push({ name, kind: value instanceof Memory ? "memory" : "table" });
  }
  for (const c of plan(out.exports)) {
    const f = instance.exports[c.name];
    if (!(f instanceof Func)) continue;
    nest = 0;
    nested = 0;
    realTrap = null;
    skipped = null;
    fuelLeft = BigInt(fuel);
    let rec;
    // fuel handed to the call so far, less what each fuel stop left unused
    // (wrt_run sets the fuel, it does not add to what is left)
    let given = 0;
    try {
      let r;
      if (nextSlice) {
        let budget = fuel;
        let slice = Math.min(nextSlice(), budget);
        given += slice;
        r = f.callRaw(c.args, slice);
        budget -= slice;
        while (!r.done && budget > 0) {
          given -= Number(engine.raw.wrt_fuel_left());
          slice = Math.min(nextSlice(), budget);
          given += slice;
          r = r.resume(slice);
          budget -= slice;
        }
      } else {
        given = fuel;
        r = f.callRaw(c.args, fuel);
      }
      if (r.done) {
        rec = { outcome: "ok", results: r.results.map((b, i) => showBits(f.type.results[i], b)), logs: logs.splice(0) };
        if (nested === 0) rec.fuel = String(BigInt(given) - BigInt(r.fuelLeft));
      } else {
        r.abandon();
        rec = { outcome: "skip", why: "out of fuel", logs: logs.splice(0) };
      }
    } catch (e) {
      rec = outcomeOf(engine, e, logs.splice(0), realTrap, skipped);
      // a guest trap (not one on its way out of a host function): what the call cost up to it
      if (rec.outcome === "trap" && nested === 0 && e instanceof WrtTrap && e.code !== 11) {
        rec.fuel = String(BigInt(given) - BigInt(engine.raw.wrt_fuel_left()));
        if (nextSlice) rec.slicedTrap = true; // fuel may have been short of the trapping block: a known issue
      }
    }
    engine.abandoned = false;
    out.calls.push({ name: c.name, args: c.args, ...rec });
    if (rec.outcome === "skip") break;
  }
  const mem = instance.exports[MEMORY_EXPORT];
  if (readMemory && mem instanceof Memory) out.memory = memoryImage(mem.bytes());
  for (const d of out.exports) {
    if (d.kind === "global" && d.type.type !== "v128") out.globals.push(`${d.name}=${showBits(d.type.type, instance.exports[d.name].getRaw())}`);
  }
  return out;
}

function outcomeOf(engine, e, logs, realTrap, skipped) {
  if (e instanceof WrtInternalError) throw e;
  if (skipped || e instanceof Skip || engine.abandoned) return { outcome: "skip", why: skipped ?? e.message, logs };
  if (e instanceof api.WrtOutOfFuel) return { outcome: "skip", why: "out of fuel", logs };
  if (e instanceof WrtTrap) {
    if (e.code === 10) return { outcome: "skip", why: "call stack exhausted", logs };
    if (e.code === 11 && realTrap) return { outcome: "trap", trap: wrtTrapClass(realTrap.code), logs };
    if (e.code === 11) return { outcome: "exception", why: e.message, logs };
    return { outcome: "trap", trap: wrtTrapClass(e.code), logs };
  }
  if (e instanceof WrtInstantiationError) {
    const cls = e.code === ErrCode.OutOfBoundsMemoryAccess ? "memory" : e.code === ErrCode.OutOfBoundsTableAccess ? "table" : `wrt-err-${e.code}`;
    return { outcome: "trap", trap: cls, logs };
  }
  if (e instanceof WrtLinkError) return { outcome: "link", why: e.message, logs };
  if (e instanceof WrtCodedError) return { outcome: "error", why: `${e.name}: ${e.message}`, logs };
  return { outcome: "exception", why: String(e && e.message), logs };
}
