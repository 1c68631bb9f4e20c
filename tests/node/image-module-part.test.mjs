// The device build decodes an image's module part but does not validate it
// (no validator on a board). An index of the module part that names nothing
// (an import's type, an export, the start function, an element segment's
// table or function, a data segment's memory, ref.func and global.get in a
// constant expression) used to abort the device interpreter at instantiate
// ("Index out of range"). Now each is refused with a clear error where it is
// used (ImageCorrupt, 133), never an interpreter fault, and the full build
// (allowImages) refuses the same image at load, as an invalid module.
// docs/image-format.md, "Trust"; the image fuzzer's "module" mutations.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Engine, Module, Instance, Global, WrtCodedError, WrtInternalError } from "../../host-shims/node/dist/index.js";
import { decodeImage, encodeImage, moduleFields, withField } from "../../fuzz/images.mjs";
import { wat } from "./support.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const DEVICE = path.join(root, "build/wrt-device.wasm");

const SRC = `(module
  (import "env" "f" (func $f (param i32)))
  (import "env" "g" (global i32))
  (table $t0 1 funcref)
  (table $t 2 funcref)
  (memory 1)
  (global $h i32 (global.get 0))
  (global $r funcref (ref.func $a))
  (func $a)
  (elem (table $t) (i32.const 0) func $a)
  (data (i32.const 0) "x")
  (export "a" (func $a))
  (start $a))`;
const BASE = wat(SRC, { name: "module-part.wat" });

/** An image of BASE (compiled by the full build) whose module part is `mod`. */
function imageWith(mod) {
  const parts = decodeImage(Module.load(new Engine({ log: false }), BASE).image());
  return encodeImage({ ...parts, module: mod });
}

/** BASE with the field named `what` (fuzz/images.mjs moduleFields) set to `value`. */
function mutated(what, value) {
  const f = moduleFields(BASE).find((x) => x.what === what);
  assert.ok(f, `no field ${what}`);
  return withField(BASE, f, value);
}

/** Loads into the device build and instantiates (imports given); returns what happened. */
function onDevice(image) {
  const engine = new Engine({ log: false, wasmPath: DEVICE });
  const module = Module.load(engine, image); // accepted: the module part is decoded only
  const imports = { env: { f: () => {}, g: Global.create(engine, { type: "i32", mutable: false }, 5) } };
  try {
    const inst = Instance.instantiate(module, imports);
    inst.func("a");
    return "ok";
  } catch (e) {
    assert.ok(!(e instanceof WrtInternalError), `interpreter fault: ${e.message}`);
    assert.ok(e instanceof WrtCodedError, String(e));
    return `${e.code}: ${e.message}`;
  }
}

const CASES = [
  ["import 0 type", 7, /133: .*import of no such type/],
  ["global 0 global.get", 1, /133: .*names nothing/],
  ["global 1 ref.func", 9, /133: .*names nothing/],
  ["elem 0 function", 9, /133: .*names nothing/],
  ["elem 0 table", 9, /133: .*names nothing/],
  ["export 0 index", 9, /export "a" names nothing/],
  ["start", 9, /133: .*start function names nothing/],
];

test("the unchanged image instantiates on the device build", () => {
  assert.equal(onDevice(imageWith(BASE)), "ok");
});

for (const [what, value, expect] of CASES) {
  test(`device build: ${what} = ${value} is refused with an error, not a fault; the full build refuses the image at load`, () => {
    const mod = mutated(what, value);
    assert.ok(!WebAssembly.validate(mod), "the mutation makes the module invalid (V8)");
    const image = imageWith(mod);
    assert.match(onDevice(image), expect);
    assert.throws(() => Module.load(new Engine({ log: false, allowImages: true }), image),
      (e) => e instanceof WrtCodedError && !(e instanceof WrtInternalError) && e.code !== 133);
  });
}

test("device build: a data segment of memory 5 (there is one memory) is refused with an error, not a fault", () => {
  // flags 0 -> 2 and a memory index after it: two bytes where one was
  const f = moduleFields(BASE).find((x) => x.what === "data 0 offset op");
  const flagsAt = f.at - 1;
  assert.equal(BASE[flagsAt], 0);
  const withFlags = withField(BASE, { at: flagsAt, len: 1, value: 2, byte: true }, 2);
  const mod = withField(withFlags, { at: flagsAt + 1, len: 0, value: 0 }, 5); // insert the memory index
  assert.ok(!WebAssembly.validate(mod));
  assert.match(onDevice(imageWith(mod)), /133: .*names nothing/);
});
