// The fuel oracle (docs/fuel.md, "Counting"): the fuel WRT charges for a
// call must equal the count of an instrumented copy of the module run in V8
// (fuzz/lib/fuel-oracle.mjs). Runs the invocations of the spec suite's
// command files, in order, on both sides.
//
//   node scripts/fuel-oracle.mjs [--files N] [--seed S] [--sliced] [--wasm build/wrt.wasm] [dir|file.json ...]
//
// Default: every file of ../shared/testsuite/core (or $WRT_TESTSUITE/core).
// --files N: a seeded sample of N files. --sliced: WRT runs every call in
// seeded random fuel slices (log-uniform in 1..65536), resumed (the charge must not change;
// a call that traps is not compared: with fuel short of its block, WRT
// charges the ops paid so far, not the whole block; a known issue, see
// fuzz/README.md "Fuel"). The last line is
// `fuel oracle: N calls agreed, M disagreed, K not compared (F functions)`;
// exit status 1 if M > 0 or nothing was compared.

import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { instrument, TRAP_RULE } from "../fuzz/lib/fuel-oracle.mjs";
import { testsuiteDir } from "../fuzz/lib/testsuite.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const api = await import(path.join(root, "host-shims/node/dist/index.js"));
const { Engine, Module, Instance, Func, WrtTrap, createSpectest, seededRandom } = api;

const COUNTER = "__wrt_fuel_oracle";
const BUDGET = 4_000_000_000;

/** spectest for V8, as host-shims/node/src/spectest.ts makes it for WRT. */
function v8Spectest() {
  const nop = () => {};
  return {
    print: nop, print_i32: nop, print_i64: nop, print_f32: nop, print_f64: nop, print_i32_f32: nop, print_f64_f64: nop,
    global_i32: new WebAssembly.Global({ value: "i32", mutable: false }, 666),
    global_i64: new WebAssembly.Global({ value: "i64", mutable: false }, 666n),
    global_f32: new WebAssembly.Global({ value: "f32", mutable: false }, 666.6),
    global_f64: new WebAssembly.Global({ value: "f64", mutable: false }, 666.6),
    table: new WebAssembly.Table({ element: "anyfunc", initial: 10, maximum: 20 }),
    memory: new WebAssembly.Memory({ initial: 1, maximum: 2 }),
  };
}

const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);

/** A spec JSON argument -> [WRT raw bits, V8 JS value], or null (not comparable). */
function arg(v) {
  const s = v.value;
  switch (v.type) {
    case "i32": return [BigInt.asUintN(32, BigInt(s)), Number(BigInt.asIntN(32, BigInt(s)))];
    case "i64": return [BigInt.asUintN(64, BigInt(s)), BigInt.asIntN(64, BigInt(s))];
    case "f32": u32[0] = Number(s); return [BigInt(s), f32[0]];
    case "f64": u64[0] = BigInt(s); return [BigInt(s), f64[0]];
    case "externref": return s === "null" ? [0n, null] : [BigInt(s) + 1n, { extern: s }];
    case "funcref": return s === "null" ? [0n, null] : null;
    default: return null;
  }
}

/** Runs one spec command file on both sides; returns its tallies. */
export function oracleFile(file, { sliced = false, seed = 1, wasmPath } = {}) {
  const rnd = sliced ? seededRandom(seed) : null;
  const res = { agreed: 0, trapped: 0, disagreed: [], skipped: 0, why: {}, functions: new Set() };
  const skip = (why) => { res.skipped++; res.why[why] = (res.why[why] ?? 0) + 1; };
  const dir = path.dirname(file);
  const name = path.basename(file, ".json");
  const { commands } = JSON.parse(readFileSync(file, "utf8"));
  const engine = new Engine({ log: false, wasmPath });
  // registered modules, on both sides; every V8 instance's counter (a call
  // into another module counts there: the call's fuel is the sum of all)
  const registry = { wrt: { spectest: createSpectest(engine) }, v8: { spectest: v8Spectest() } };
  const counters = [];
  const named = new Map();
  let current = null;
  for (const c of commands) {
    if (c.type === "module") {
      current = null;
      if (c.definition === "true") continue;
      current = loadPair(engine, registry, path.join(dir, c.filename));
      if (current) counters.push(current.v8.exports[COUNTER]);
      if (current && c.name) named.set(c.name, current);
      continue;
    }
    if (c.type === "register") {
      const pair = c.name !== undefined ? named.get(c.name) : current;
      if (pair) { registry.wrt[c.as] = pair.wrt.exports; registry.v8[c.as] = pair.v8.exports; }
      continue;
    }
    if (!["action", "assert_return", "assert_trap", "assert_exhaustion"].includes(c.type)) continue;
    if (c.action?.type !== "invoke") continue;
    const pair = c.action.module !== undefined ? named.get(c.action.module) : current;
    if (!pair) { skip("module not loaded on both sides (imports beyond spectest, SIMD, invalid)"); continue; }
    const args = (c.action.args ?? []).map(arg);
    if (args.some((a) => a === null)) { skip("argument type"); continue; }
    const w = wrtCall(engine, pair.wrt, c.action.field, args.map((a) => a[0]), rnd);
    const v = v8Call(pair.v8, counters, c.action.field, args.map((a) => a[1]));
    if (w?.known) { skip("trapped in a sliced call (known issue)"); continue; }
    if (!w || !v) { skip(w?.why ?? v?.why ?? "call stack exhausted / out of fuel"); continue; }
    res.functions.add(`${name}/${path.basename(pair.file)}/${c.action.field}`);
    if (w.fuel === v.fuel && w.trapped === v.trapped) {
      res.agreed++;
      if (w.trapped) res.trapped++;
    }
    else {
      res.disagreed.push(`${name} line ${c.line} ${path.basename(pair.file)} ${c.action.field}: WRT ${w.fuel}${w.trapped ? " (trapped)" : ""}, oracle ${v.fuel}${v.trapped ? " (trapped)" : ""}`);
    }
  }
  return res;
}

/** The module in WRT and, instrumented, in V8; null if either side cannot take it. */
function loadPair(engine, registry, file) {
  const bytes = new Uint8Array(readFileSync(file));
  let v8mod;
  const counted = instrument(bytes, COUNTER);
  if (!counted) return null;
  try {
    v8mod = new WebAssembly.Module(counted);
  } catch {
    return null;
  }
  if (!WebAssembly.Module.imports(v8mod).every((i) => registry.v8[i.module])) return null;
  let v8, wrt;
  try {
    v8 = new WebAssembly.Instance(v8mod, registry.v8);
  } catch {
    return null;
  }
  try {
    wrt = Instance.instantiate(Module.load(engine, bytes), registry.wrt, { fuel: BUDGET });
  } catch {
    return null;
  }
  return { file, wrt, v8 };
}

/**
 * { fuel, trapped } of one WRT call, or null (out of fuel, call stack, not a
 * function). With `rnd`, in random slices of 1..64: the charge is what each
 * slice used (wrt_run sets the fuel; what a stop leaves is not carried over).
 */
function wrtCall(engine, inst, field, args, rnd) {
  const f = inst.exports[field];
  if (!(f instanceof Func)) return null;
  let used = 0n;
  // slices log-uniform in [1, 65536] (docs/fuel.md: a stop at any op); a
  // slice smaller than the next op's cost stops without progress
  const slice = () => (rnd ? Math.floor(2 ** (rnd() * 16)) : BUDGET);
  let given = slice();
  try {
    let r = f.callRaw(args, given);
    while (!r.done && rnd && used < BigInt(BUDGET)) {
      used += BigInt(given) - BigInt(engine.raw.wrt_fuel_left());
      given = slice();
      r = r.resume(given);
    }
    if (!r.done) { r.abandon(); return null; }
    return { fuel: used + BigInt(given) - BigInt(r.fuelLeft), trapped: false };
  } catch (e) {
    if (!(e instanceof WrtTrap) || e.code === 10) return null;
    if (rnd && TRAP_RULE === "block") return { known: true }; // a trap in a sliced call (a block paid in part): known issue
    return { fuel: used + BigInt(given) - BigInt(engine.raw.wrt_fuel_left()), trapped: true };
  }
}

/** { fuel, trapped } of the same call in V8: the counter's increase. */
function v8Call(inst, counters, field, args) {
  const f = inst.exports[field];
  if (typeof f !== "function") return null;
  const total = () => counters.reduce((a, g) => a + g.value, 0n);
  const before = total();
  try {
    f(...args);
    return { fuel: total() - before, trapped: false };
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) return { fuel: total() - before, trapped: true };
    return null; // stack overflow (depths differ by design), a JS type error
  }
}

/** The .json files under the inputs, sorted; a seeded sample of `n` if given. */
export function specFiles(inputs, n = Infinity, seed = 1) {
  const files = [];
  for (const p of inputs) {
    if (statSync(p).isDirectory()) for (const f of readdirSync(p).sort()) { if (f.endsWith(".json")) files.push(path.join(p, f)); }
    else files.push(p);
  }
  if (n >= files.length) return files;
  const rnd = seededRandom(seed);
  const pool = files.slice();
  const out = [];
  while (out.length < n) out.push(pool.splice(Math.floor(rnd() * pool.length), 1)[0]);
  return out.sort();
}

async function main() {
  const argv = process.argv.slice(2);
  let n = Infinity, seed = 1, sliced = false, wasmPath;
  const inputs = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--files") n = Number(argv[++i]);
    else if (argv[i] === "--seed") seed = Number(argv[++i]);
    else if (argv[i] === "--sliced") sliced = true;
    else if (argv[i] === "--wasm") wasmPath = path.resolve(argv[++i]);
    else inputs.push(argv[i]);
  }
  if (inputs.length === 0) {
    const suite = testsuiteDir();
    inputs.push(path.join(suite, "core"));
  }
  let agreed = 0, trapped = 0, disagreed = 0, skipped = 0, functions = 0;
  const why = {};
  const files = specFiles(inputs, n, seed);
  for (const f of files) {
    const r = oracleFile(f, { sliced, seed, wasmPath });
    agreed += r.agreed; trapped += r.trapped; disagreed += r.disagreed.length; skipped += r.skipped; functions += r.functions.size;
    for (const [k, v] of Object.entries(r.why)) why[k] = (why[k] ?? 0) + v;
    for (const d of r.disagreed.slice(0, 10)) console.log(`  ${d}`);
    if (r.disagreed.length > 10) console.log(`  ... ${r.disagreed.length - 10} more in ${path.basename(f)}`);
  }
  console.log(`${files.length} files; ${trapped} of the agreeing calls trapped; not compared: ${Object.entries(why).map(([k, v]) => `${v} ${k}`).join(", ") || "none"}`);
  console.log(`fuel oracle: ${agreed} calls agreed, ${disagreed} disagreed, ${skipped} not compared (${functions} functions)`);
  process.exitCode = disagreed > 0 || agreed === 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
