// The raw ABI (docs/embedding-api.md) called at random: every export of
// build/wrt.wasm with handles that exist and handles that do not, counts,
// sizes and config values from a pool of edge cases and random 32-bit
// integers, guest calls and short runs in between. Whatever the order, the
// interpreter must answer with an error code, never die (an abort or a trap
// of build/wrt.wasm itself is WrtInternalError: the engine is gone), and
// afterwards still load, run and snapshot a module.
//
// Found by this fuzz (kept in limits.test.mjs): a value stack configured
// larger than the heap's largest block ended the interpreter at the next
// wrt_call; 2^28 call frames wrapped the frame buffer's size to 0.
//
//   WRT_ABI_FUZZ_CALLS=N   calls per seed (default 1500)
//   WRT_ABI_FUZZ_SEEDS=A-B seeds A to B (default 1-4)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Engine, Module, Instance, RAW_EXPORTS, RAW_EXPORT_NAMES, WrtInternalError, seededRandom } from "../../host-shims/node/dist/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const hello = readFileSync(path.join(root, "examples/hello.wasm"));
const CALLS = Number(process.env.WRT_ABI_FUZZ_CALLS ?? 1500);
const EDGE = [0, 1, 2, 3, 4, 7, 8, 16, 255, 256, 1023, 1024, 4096, 65535, 65536, -1, -2];
const HUGE = [1 << 20, 1 << 26, 1 << 28, 1 << 30, 0x7fffffff, -0x80000000];

function fuzz(seed) {
  const rnd = seededRandom(seed);
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const engine = Engine.load({ log: false });
  const mod = Module.load(engine, hello);
  const inst = Instance.instantiate(mod, {});
  const handles = [0, 1, 2, 3, -1, 0x10000000, 0x20000000, 0x30000000, 0x40000000, 0x7fffffff, mod.handle, inst.handle,
    ...Object.values(inst.exports).map((x) => x.handle)];
  const value = () => {
    const r = rnd();
    // huge sizes rarely: a module load of 1 GiB of the I/O buffer is slow, not wrong
    return r < 0.45 ? pick(handles) : r < 0.9 ? pick(EDGE) : r < 0.95 ? pick(HUGE) : Math.floor(rnd() * 2 ** 32) - 2 ** 31;
  };
  const trail = [];
  for (let i = 0; i < CALLS; i++) {
    const name = pick(RAW_EXPORT_NAMES);
    const sig = RAW_EXPORTS[name];
    const args = sig.params.map((t) => (t === "i64" ? BigInt(value()) : value()));
    if (name === "wrt_run") args[0] = BigInt(pick([0, 1, 10, 1000, -1]));
    // config: a real key more often than not, with edge and huge values
    if (name === "wrt_config" && rnd() < 0.7) [args[0], args[1]] = [Math.floor(rnd() * 20), BigInt(pick([...EDGE, ...HUGE]))];
    // calls of the module's real functions with their own argument counts (fib: 1, main: 0)
    if (name === "wrt_call" && rnd() < 0.7) [args[0], args[1]] = pick([[inst.exports.fib.handle, 1], [inst.exports.main.handle, 0]]);
    trail.push(`${name}(${args.map(String).join(", ")})`);
    if (trail.length > 6) trail.shift();
    try {
      engine.raw[name](...args);
    } catch (e) {
      if (e instanceof WrtInternalError) assert.fail(`seed ${seed}: the interpreter died: ${e.message}\n  after ${trail.join("\n  ")}`);
      throw e;
    }
  }
  // still an interpreter: drop any call in progress, then load, run and snapshot anew
  // (the fuzz set limits at random: put back the defaults of docs/embedding-api.md)
  engine.raw.wrt_abandon();
  const defaults = {
    valueStackBytes: 1 << 20, callStackFrames: 32768, maxPagesPerInstance: 16384, maxPagesTotal: 32768,
    maxTableElements: 10_000_000, maxInstances: 10_000, maxModuleBytes: 64 << 20, fuelMetering: 1, hostMemoryPages: 65536,
    loadBudgetBytes: 0,
  };
  for (const [k, v] of Object.entries(defaults)) engine.configure(k, v);
  const again = Instance.instantiate(Module.load(engine, hello), {});
  assert.deepEqual(again.invoke("fib", [20]), [6765], `seed ${seed}`);
  assert.ok(engine.snapshot().length > 0);
}

// WRT_ABI_FUZZ_SEEDS=FROM-TO runs other seeds (a longer search; default 1-4)
const [from, to] = (process.env.WRT_ABI_FUZZ_SEEDS ?? "1-4").split("-").map(Number);
for (let seed = from; seed <= (to ?? from); seed++) {
  test(`raw ABI at random, seed ${seed}: errors, never a dead interpreter`, () => fuzz(seed));
}

// Finds of this fuzz, kept.
test("raw ABI: counts whose byte size wraps 32 bits are refused (wrt_instantiate, wrt_call, wrt_host_return)", () => {
  const engine = Engine.load({ log: false });
  const mod = Module.load(engine, hello);
  // 2^30 imports x 4 bytes wrapped to 0 and passed the I/O buffer check, then the array of 2^30 ended the interpreter
  assert.equal(engine.raw.wrt_instantiate(mod.handle, 1 << 30), -1);
  assert.match(engine.lastError().message, /bad import count/);
  assert.equal(engine.raw.wrt_call(0, 1 << 29), -1);
  assert.equal(engine.raw.wrt_host_return(1 << 29), -1);
  assert.deepEqual(Instance.instantiate(mod, {}).invoke("fib", [10]), [55]);
});

test("raw ABI: an I/O buffer the interpreter's memory cannot hold is refused (0), not grown into a dead interpreter", () => {
  const engine = Engine.load({ log: false });
  const inst = Instance.instantiate(Module.load(engine, hello), {});
  assert.deepEqual(inst.invoke("fib", [11]), [89]); // the stacks are taken now, before memory is scarce
  const pages = engine.instance.exports.memory.buffer.byteLength / 65536;
  // the interpreter's memory may reach 4 pages more than it has: a 64 MiB buffer cannot fit
  engine.configure("hostMemoryPages", pages + 4);
  assert.equal(engine.raw.wrt_io(64 << 20), 0);
  assert.equal(engine.raw.wrt_module_load(64 << 20), -1);
  assert.ok(engine.raw.wrt_io(1024) > 0);
  assert.deepEqual(inst.invoke("fib", [12]), [144]);
});
