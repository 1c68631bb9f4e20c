// Malformed input never crashes the interpreter.
//
// Mutates the spec suite's binaries (../shared/testsuite/core/*.wasm or
// $WRT_TESTSUITE/core) with bit flips, truncation, overlong and huge LEB128
// counts, section-size damage and random byte insertions/overwrites, and
// feeds each result to WRT through the Node API. Every case must end in one
// of the clean outcomes:
//   - load fails with a typed, coded error (WrtDecodeError, WrtValidationError, ...);
//   - the module loads; if it has no imports it is instantiated and each
//     exported nullary function is run with a small fuel budget, which ends
//     in results, a WrtTrap, WrtOutOfFuel or another typed WrtError.
// Never allowed: `wrt.abort` or a crash inside build/wrt.wasm
// (WrtInternalError), or an untyped exception (TypeError, RangeError, ...).
//
// A case that does not finish within HANG_MS is a failure too (fuel must
// bound every run): the cases run in a worker thread, which a watchdog in
// the main thread terminates and restarts after the hung case.
//
// Deterministic: case i uses a PRNG seeded from (WRT_FUZZ_SEED, i).
// WRT_FUZZ_CASES (default 100000, about 10 s) sets the count; WRT_FUZZ_ONLY=i reruns one
// case. Without the suite the test is skipped, except under CI=true.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import { seededRandom as mulberry32 } from "../../host-shims/node/dist/index.js";
import { testsuiteDir } from "../../fuzz/lib/testsuite.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const suite = testsuiteDir();
const coreDir = path.join(suite, "core");
const distIndex = path.join(root, "host-shims/node/dist/index.js");
const ci = /^(1|true|yes)$/i.test(process.env.CI ?? "");

const CASES = parseInt(process.env.WRT_FUZZ_CASES ?? "100000", 10);
const SEED = parseInt(process.env.WRT_FUZZ_SEED ?? "0x5eed", 16) >>> 0;
const FROM = parseInt(process.env.WRT_FUZZ_FROM ?? "0", 10); // first case (to resume a long run)
const ONLY = process.env.WRT_FUZZ_ONLY !== undefined ? parseInt(process.env.WRT_FUZZ_ONLY, 10) : null;
const TRACE = parseInt(process.env.WRT_FUZZ_TRACE ?? "0", 10); // print progress every N cases
const FUEL = 5_000;                 // per start function / exported call
const MAX_CALLS_PER_MODULE = 8;     // nullary exports run per instance
const ENGINE_RECYCLE = 1_000;       // fresh interpreter every N cases (bounds leaks' effect)
const TIME_BUDGET_MS = 150_000;     // hard stop, reported as a failure
const MAX_REPORTED = 25;            // failures listed in detail (all are counted)
const HANG_MS = 10_000;             // one case running this long is a hang (fuel not enforced)

// Limits that keep a mutated module from asking for gigabytes.
const CONFIG = {
  valueStackBytes: 256 * 1024,
  callStackFrames: 2_000,
  maxPagesPerInstance: 256,
  maxPagesTotal: 512,
  maxTableElements: 100_000,
  maxModuleBytes: 1 << 20,
};

// ---------------- deterministic randomness ----------------
// mulberry32 (seededRandom of the Node API).
const caseRng = (i) => mulberry32(Math.imul(SEED ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35));

// ---------------- LEB128 and sections ----------------
function readLeb(bytes, p) {
  let v = 0, shift = 0, b;
  const start = p;
  do {
    if (p >= bytes.length || shift > 35) return null;
    b = bytes[p++];
    v += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return { value: v, start, end: p };
}

/** Encodes `value` as unsigned LEB128 in exactly `len` bytes (padded with 0x80 continuations). */
function lebPadded(value, len) {
  const out = [];
  for (let i = 0; i < len; i++) {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (i < len - 1) b |= 0x80;
    out.push(b);
  }
  return out;
}
function lebMin(value) {
  let len = 1;
  while (value >= 2 ** (7 * len) && len < 10) len++;
  return lebPadded(value, len);
}

/** Section table of a (possibly already damaged) module: id, size LEB, body range. */
function sections(bytes) {
  const out = [];
  let p = 8;
  while (p < bytes.length) {
    const id = bytes[p];
    const size = readLeb(bytes, p + 1);
    if (!size) break;
    const body = size.end;
    out.push({ id, at: p, size, body, end: body + size.value });
    p = body + size.value;
    if (p > bytes.length) break;
  }
  return out;
}

/** Replaces bytes [a, b) with `ins` and fixes the enclosing section's size LEB (same length, if it fits). */
function splice(bytes, a, b, ins, sec) {
  const out = new Uint8Array(bytes.length - (b - a) + ins.length);
  out.set(bytes.subarray(0, a), 0);
  out.set(ins, a);
  out.set(bytes.subarray(b), a + ins.length);
  if (sec) {
    const newSize = sec.size.value + ins.length - (b - a);
    const lenBytes = sec.size.end - sec.size.start;
    if (newSize >= 0 && newSize < 2 ** (7 * lenBytes)) out.set(lebPadded(newSize, lenBytes), sec.size.start);
    else {
      // re-encode the size with more bytes
      const enc = lebMin(Math.max(0, newSize));
      return splice(out, sec.size.start, sec.size.end, enc, null);
    }
  }
  return out;
}

// ---------------- mutations ----------------
const int = (rnd, n) => Math.floor(rnd() * n);

const MUTATORS = {
  bitflip(bytes, rnd) {
    const out = bytes.slice();
    const flips = 1 + int(rnd, 4);
    for (let k = 0; k < flips; k++) {
      const p = 8 + int(rnd, Math.max(1, out.length - 8)); // mostly past the header
      if (p < out.length) out[p] ^= 1 << int(rnd, 8);
    }
    return { bytes: out, what: `${flips} bit flip(s)` };
  },
  truncate(bytes, rnd) {
    const n = int(rnd, bytes.length);
    return { bytes: bytes.slice(0, n), what: `truncated to ${n}` };
  },
  overlongLeb(bytes, rnd) {
    const secs = sections(bytes);
    if (!secs.length) return MUTATORS.bitflip(bytes, rnd);
    const sec = secs[int(rnd, secs.length)];
    // the section's first LEB (a count for most sections), or its size
    const target = rnd() < 0.7 && sec.body < sec.end ? readLeb(bytes, sec.body) : sec.size;
    if (!target) return MUTATORS.bitflip(bytes, rnd);
    const len = 2 + int(rnd, 10); // 2..11 bytes: legal up to 5, "too long" beyond
    const inner = target !== sec.size;
    const enc = lebPadded(target.value, len);
    if (!inner) return { bytes: splice(bytes, target.start, target.end, enc, null), what: `section ${sec.id} size as ${len}-byte LEB` };
    return { bytes: splice(bytes, target.start, target.end, enc, sec), what: `section ${sec.id} count as ${len}-byte LEB` };
  },
  hugeCount(bytes, rnd) {
    const secs = sections(bytes).filter((s) => s.body < s.end);
    if (!secs.length) return MUTATORS.bitflip(bytes, rnd);
    const sec = secs[int(rnd, secs.length)];
    const target = readLeb(bytes, sec.body);
    if (!target) return MUTATORS.bitflip(bytes, rnd);
    const values = [0xffffffff, 0x7fffffff, 0x80000000, 0x10000000, 0x0fffffff, 1 << 20, 65536, target.value + 1 + int(rnd, 1000)];
    const v = values[int(rnd, values.length)];
    const enc = rnd() < 0.2 ? [0xff, 0xff, 0xff, 0xff, 0x7f] : lebMin(v); // sometimes a value past u32
    return { bytes: splice(bytes, target.start, target.end, enc, sec), what: `section ${sec.id} count -> ${enc.length === 5 && enc[4] === 0x7f ? "2^35-1" : v}` };
  },
  sectionSize(bytes, rnd) {
    const secs = sections(bytes);
    if (!secs.length) return MUTATORS.truncate(bytes, rnd);
    const sec = secs[int(rnd, secs.length)];
    const choices = [0, sec.size.value - 1, sec.size.value + 1, sec.size.value + 1 + int(rnd, 64), 0xffffffff, int(rnd, 256)];
    const v = Math.max(0, choices[int(rnd, choices.length)]);
    return { bytes: splice(bytes, sec.size.start, sec.size.end, lebMin(v), null), what: `section ${sec.id} size -> ${v}` };
  },
  insertBytes(bytes, rnd) {
    const n = 1 + int(rnd, 8);
    const p = int(rnd, bytes.length + 1);
    const ins = Array.from({ length: n }, () => int(rnd, 256));
    return { bytes: splice(bytes, p, p, ins, null), what: `inserted ${n} byte(s) at ${p}` };
  },
  overwriteBytes(bytes, rnd) {
    const out = bytes.slice();
    const n = 1 + int(rnd, 6);
    const interesting = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x40, 0x60, 0x70, 0x6f, 0x0b, 0x10, 0x11, 0xfc, 0xfd];
    for (let k = 0; k < n; k++) {
      const p = int(rnd, out.length);
      out[p] = rnd() < 0.5 ? interesting[int(rnd, interesting.length)] : int(rnd, 256);
    }
    return { bytes: out, what: `overwrote ${n} byte(s)` };
  },
};
const MUTATOR_NAMES = Object.keys(MUTATORS);

/** A gentle mutation inside the code section, so that more cases still validate and run. */
function codeTweak(bytes, rnd) {
  const code = sections(bytes).find((s) => s.id === 10 && s.body < s.end && s.end <= bytes.length);
  if (!code) return MUTATORS.overwriteBytes(bytes, rnd);
  const out = bytes.slice();
  const p = code.body + int(rnd, code.end - code.body);
  if (rnd() < 0.5) out[p] ^= 1 << int(rnd, 8);
  else out[p] = int(rnd, 256);
  return { bytes: out, what: `code byte ${p} tweaked` };
}

function mutate(bytes, rnd) {
  const steps = rnd() < 0.8 ? 1 : 2 + int(rnd, 2);
  let cur = bytes;
  const what = [];
  for (let k = 0; k < steps; k++) {
    const name = MUTATOR_NAMES[int(rnd, MUTATOR_NAMES.length)];
    const r = MUTATORS[name](cur, rnd);
    cur = r.bytes;
    what.push(r.what);
  }
  return { bytes: cur, what: what.join("; ") };
}

// ---------------- the worker: runs cases [from, to) ----------------
function corpus() {
  return readdirSync(coreDir).filter((f) => f.endsWith(".wasm")).sort()
    .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(path.join(coreDir, f))) }));
}

/** Case i's input: deterministic in (SEED, i). */
function makeCase(i, files, validFiles) {
  const rnd = caseRng(i);
  // a quarter of the cases: a module V8 accepts, changed only inside its code
  const gentle = rnd() < 0.25 && validFiles.length > 0;
  const src = gentle ? validFiles[int(rnd, validFiles.length)] : files[int(rnd, files.length)];
  const { bytes, what } = gentle ? codeTweak(src.bytes, rnd) : mutate(src.bytes, rnd);
  return { file: src.name, bytes, what };
}

async function workerMain({ from, to, progress }) {
  const wrt = await import(pathToFileURL(distIndex).href);
  const files = corpus();
  const validFiles = files.filter((f) => WebAssembly.validate(f.bytes));
  const current = new Int32Array(progress); // [0] = case being run, for the watchdog
  const isClean = (e) => e instanceof wrt.WrtError && !(e instanceof wrt.WrtInternalError);
  const stats = { cases: 0, loadError: 0, loaded: 0, instantiated: 0, instantiateError: 0, calls: 0, results: 0, traps: 0, outOfFuel: 0, withImports: 0, failures: 0 };
  const errorKinds = {};
  const failures = [];
  let engine = null;
  const newEngine = () => wrt.Engine.load({ log: false, config: CONFIG });
  const started = Date.now();

  for (let i = from; i < to; i++) {
    Atomics.store(current, 0, i);
    if (TRACE && i % TRACE === 0) process.stderr.write(`[fuzz] case ${i} at ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    if (engine === null || engine.dead || i % ENGINE_RECYCLE === 0) engine = newEngine();
    const { file, bytes, what } = makeCase(i, files, validFiles);
    stats.cases++;
    let stage = "load";
    let module = null, instance = null;
    try {
      try {
        module = wrt.Module.load(engine, bytes);
      } catch (e) {
        if (!isClean(e)) throw e;
        if (!(e instanceof wrt.WrtCodedError) || !(e.code > 0)) throw e;
        stats.loadError++;
        errorKinds[e.name] = (errorKinds[e.name] ?? 0) + 1;
        continue;
      }
      stats.loaded++;
      stage = "imports";
      if (module.imports().length > 0) { stats.withImports++; continue; }
      stage = "instantiate";
      try {
        instance = wrt.Instance.instantiate(module, {}, { fuel: FUEL });
      } catch (e) {
        if (!isClean(e)) throw e;
        stats.instantiateError++;
        continue;
      }
      stats.instantiated++;
      let calls = 0;
      for (const [name, ext] of Object.entries(instance.exports)) {
        if (calls >= MAX_CALLS_PER_MODULE) break;
        if (!(ext instanceof wrt.Func) || ext.type.params.length !== 0) continue;
        stage = `invoke ${JSON.stringify(name)}`;
        calls++;
        stats.calls++;
        try {
          ext.invoke([], { fuel: FUEL, raw: true });
          stats.results++;
        } catch (e) {
          if (!isClean(e)) throw e;
          if (e instanceof wrt.WrtTrap) stats.traps++;
          else if (e instanceof wrt.WrtOutOfFuel) stats.outOfFuel++;
          else throw e; // a nullary call must end in results, a trap or out of fuel
        }
      }
    } catch (e) {
      stats.failures++;
      if (failures.length < MAX_REPORTED) failures.push({ i, file, what, stage, error: `${e?.name ?? typeof e}: ${e?.message ?? e}` });
      engine = null; // never reuse an interpreter after an unclean event
      continue;
    } finally {
      if (engine !== null && !engine.dead) {
        try {
          instance?.drop();
          module?.drop();
          // Handles are reused after a drop, but host-shims/node keeps its Func
          // wrappers (with their cached types) by handle: without this the next
          // module's exports would get a stale wrapper. That API bug has its own
          // test below; here it must not hide what the interpreter does.
          if (instance) engine.wrappers.clear();
        } catch (e) {
          stats.failures++;
          if (failures.length < MAX_REPORTED) failures.push({ i, file, what, stage: "drop", error: `${e?.name}: ${e?.message}` });
          engine = null;
        }
      }
    }
    if (engine !== null && i % 64 === 63) engine.collect();
  }
  parentPort.postMessage({ done: true, stats, errorKinds, failures });
}

if (!isMainThread && workerData?.fuzz) {
  await workerMain(workerData.fuzz);
}

// ---------------- the test: a watchdog over worker runs ----------------
const haveSuite = existsSync(coreDir);

/** Runs cases [from, to) in a worker; resolves with its report, or {hungAt} if a case hangs. */
function runWorker(from, to) {
  const progress = new SharedArrayBuffer(4);
  const current = new Int32Array(progress);
  Atomics.store(current, 0, from);
  const worker = new Worker(new URL(import.meta.url), { workerData: { fuzz: { from, to, progress } } });
  return new Promise((resolve) => {
    let last = from, since = Date.now(), settled = false;
    const finish = (r) => { if (!settled) { settled = true; clearInterval(timer); resolve(r); } };
    const timer = setInterval(() => {
      const now = Atomics.load(current, 0);
      if (now !== last) { last = now; since = Date.now(); return; }
      if (Date.now() - since > HANG_MS) { worker.terminate(); finish({ hungAt: now }); }
    }, 250);
    worker.on("message", (m) => { if (m.done) finish(m); });
    worker.on("error", (e) => finish({ crashedAt: Atomics.load(current, 0), error: `${e?.name}: ${e?.message}` }));
    worker.on("exit", (code) => finish({ crashedAt: Atomics.load(current, 0), error: `worker exited with ${code}` }));
  });
}

if (isMainThread) test("malformed-input fuzzing: only clean errors or clean runs", {
  skip: !haveSuite && !ci ? `spec suite not found at ${coreDir}: skipping the malformed-input fuzz test` : false,
  timeout: TIME_BUDGET_MS + 60_000,
}, async (t) => {
  assert.ok(haveSuite, `spec suite not found at ${coreDir} (required under CI=true; set WRT_TESTSUITE)`);
  assert.ok(existsSync(distIndex), "host-shims/node/dist/index.js is missing: run `npm run build`");
  const files = corpus();
  assert.ok(files.length > 100, `expected the core suite's binaries in ${coreDir}`);

  const total = {};
  const errorKinds = {};
  const failures = [];
  const started = Date.now();
  let from = ONLY ?? FROM;
  const last = ONLY !== null ? ONLY + 1 : CASES;
  let unclean = 0;
  while (from < last && unclean < 100) {
    if (Date.now() - started > TIME_BUDGET_MS) {
      failures.push({ i: from, file: "-", what: "-", stage: "-", error: `time budget of ${TIME_BUDGET_MS / 1000} s exceeded before case ${from}` });
      break;
    }
    const r = await runWorker(from, last);
    if (r.done) {
      for (const [k, v] of Object.entries(r.stats)) total[k] = (total[k] ?? 0) + v;
      for (const [k, v] of Object.entries(r.errorKinds)) errorKinds[k] = (errorKinds[k] ?? 0) + v;
      failures.push(...r.failures);
      unclean += r.stats.failures;
      break;
    }
    const at = r.hungAt ?? r.crashedAt;
    const { file, what } = makeCase(at, files, files.filter((f) => WebAssembly.validate(f.bytes)));
    failures.push({ i: at, file, what, stage: "-", error: r.hungAt !== undefined ? `no result after ${HANG_MS / 1000} s: a run that its fuel budget should have bounded` : r.error });
    unclean++;
    total.cases = (total.cases ?? 0) + (at - from + 1);
    from = at + 1;
  }

  const secs = ((Date.now() - started) / 1000).toFixed(1);
  t.diagnostic(`seed 0x${SEED.toString(16)}, ${total.cases ?? 0} cases in ${secs} s over ${files.length} binaries`);
  t.diagnostic(`outcomes: ${JSON.stringify(total)}`);
  t.diagnostic(`load errors by type: ${JSON.stringify(errorKinds)}`);
  const report = (unclean > failures.length ? `  ${unclean} unclean cases; the first ${failures.length}:\n` : "") + failures.map((f) => `  case ${f.i} (${f.file}: ${f.what}) at ${f.stage}: ${f.error}  [WRT_FUZZ_SEED=0x${SEED.toString(16)} WRT_FUZZ_ONLY=${f.i}]`).join("\n");
  assert.equal(unclean, 0, `unclean outcomes:\n${report}`);
  if (ONLY === null) assert.ok((total.cases ?? 0) >= Math.min(CASES - FROM, 20_000), `only ${total.cases} cases ran`);
});

// ---------------- findings of the fuzzer, kept as focused tests ----------------
async function watBytes(src) {
  const { default: wabtInit } = await import("wabt");
  const wabt = await wabtInit();
  const m = wabt.parseWat("finding.wat", src);
  m.resolveNames();
  m.validate();
  const { buffer } = m.toBinary({});
  m.destroy();
  return buffer;
}

if (isMainThread) test("fuzz finding: an export handle reused after a drop gets the new function's type", async () => {
  assert.ok(existsSync(distIndex), "host-shims/node/dist/index.js is missing: run `npm run build`");
  const wrt = await import(pathToFileURL(distIndex).href);
  const engine = wrt.Engine.load({ log: false });
  const a = wrt.Module.load(engine, await watBytes(`(module (func (export "f") (param i32) (result i32) local.get 0))`));
  const ia = wrt.Instance.instantiate(a, {});
  assert.deepEqual(ia.invoke("f", [5]), [5]);
  ia.drop();
  a.drop();
  engine.collect();
  const b = wrt.Module.load(engine, await watBytes(`(module (func (export "g") (result i32) i32.const 7))`));
  const ib = wrt.Instance.instantiate(b, {});
  assert.deepEqual(ib.func("g").type, { params: [], results: ["i32"] });
  assert.deepEqual(ib.invoke("g", []), [7]);
});

if (isMainThread) test("fuzz finding: a fuel budget smaller than the next instruction's cost ends in WrtOutOfFuel, not a hang", async () => {
  assert.ok(existsSync(distIndex), "host-shims/node/dist/index.js is missing: run `npm run build`");
  // An endless counting loop (fused instructions may cost more than 1 unit):
  // invoke() with a total budget must give up with WrtOutOfFuel. Run in a
  // child process so that a hang fails this test instead of blocking it.
  const bytes = Buffer.from(await watBytes(`
    (module (func (export "spin") (local i32)
      (loop (local.set 0 (i32.add (local.get 0) (i32.const 1))) (br_if 0 (local.get 0)))))`)).toString("base64");
  const script = `
    const wrt = await import(${JSON.stringify(pathToFileURL(distIndex).href)});
    const engine = wrt.Engine.load({ log: false });
    const inst = wrt.Instance.instantiate(wrt.Module.load(engine, Buffer.from(${JSON.stringify(bytes)}, "base64")), {});
    for (const fuel of [1, 2, 3, 10, 1000, 5000, 12345]) {
      try { inst.invoke("spin", [], { fuel }); console.log("fuel " + fuel + ": returned"); }
      catch (e) { console.log("fuel " + fuel + ": " + e.name); }
    }
  `;
  const { spawnSync } = await import("node:child_process");
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8", timeout: 10_000 });
  assert.notEqual(r.signal, "SIGTERM", `hung (killed after 10 s); output so far:\n${r.stdout}`);
  assert.equal(r.status, 0, r.stderr);
  for (const fuel of [1, 2, 3, 10, 1000, 5000, 12345]) assert.match(r.stdout, new RegExp(`fuel ${fuel}: WrtOutOfFuel`));
});
