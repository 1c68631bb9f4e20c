// Precompiled images (docs/image-format.md): a module compiled by the full
// build runs in the device build (build/wrt-device.wasm, no validator or
// compiler) with the same results, a snapshot moves between the two builds,
// and a damaged or foreign image is refused with a reason, leaving the
// interpreter usable.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  Engine, Module, Instance, WrtImageError, WrtDecodeError, ErrCode,
} from "../../host-shims/node/dist/index.js";
import { GUEST, checkpoint } from "./snapshot-guest.mjs";
import { root, guestDir, crc32, imageParts, buildImage } from "./support.mjs";

const DEVICE = path.join(root, "build/wrt-device.wasm");
const cli = path.join(root, "host-shims/node/dist/cli.js");
const full = (config) => new Engine({ log: false, config });
/** The full build with images allowed (they are refused by default: image-trust.test.mjs). */
const fullImages = (config) => new Engine({ log: false, config, allowImages: true });
const device = (config) => new Engine({ log: false, wasmPath: DEVICE, config });
const imageOf = (bytes, config) => Module.load(full(config), bytes).image();
const IMAGE = imageOf(GUEST);

/** Every export of the snapshot guest, from a fresh instance of `module`. */
function runAll(module) {
  const inst = Instance.instantiate(module, { env: { checkpoint } });
  return {
    work: inst.invoke("work", [300]),
    mem: inst.memory("mem").read(0, inst.memory("mem").byteLength),
    calls: inst.global("calls").value,
    tab: inst.table("tab").size,
  };
}

test("an image runs in the device build and in the full build like the .wasm", () => {
  const want = runAll(Module.load(full(), GUEST));
  assert.deepEqual(runAll(Module.load(fullImages(), IMAGE)), want, "full build, image");
  assert.deepEqual(runAll(Module.load(device(), IMAGE)), want, "device build, image");
});

test("the image holds the module bytes unchanged and is reproducible", () => {
  assert.deepEqual(imageOf(GUEST), IMAGE, "two compiles, the same image");
  const modLen = new DataView(IMAGE.buffer, IMAGE.byteOffset).getUint32(32, true);
  assert.equal(modLen, GUEST.length);
  assert.deepEqual(IMAGE.subarray(36, 36 + modLen), GUEST);
});

test("a call stopped in the full build (.wasm) continues in the device build (image), same result and fuel", () => {
  const e = full();
  const inst = Instance.instantiate(Module.load(e, GUEST), { env: { checkpoint } });
  // the same slices in one engine, never migrated
  const still = Instance.instantiate(Module.load(full(), GUEST), { env: { checkpoint } });
  let ref = still.call("work", [300], 5_000n);
  while (!ref.done) ref = ref.resume(7_000n);
  let r = inst.call("work", [300], 5_000n);
  assert.ok(!r.done, "the call must run out of fuel first");
  let hops = 0;
  let cur = e;
  while (!r.done) {
    // alternate builds: full -> device -> full -> ...
    const toDevice = hops % 2 === 0;
    const restored = Engine.restore(cur.snapshot(), {
      modules: [toDevice ? IMAGE : GUEST], hostFunctions: { 1: checkpoint }, log: false, wasmPath: toDevice ? DEVICE : undefined,
    });
    cur = restored.engine;
    r = restored.call.resume(7_000n);
    hops++;
  }
  assert.ok(hops >= 3, `only ${hops} hops`);
  assert.deepEqual(r.results, ref.results);
  assert.equal(r.fuelLeft, ref.fuelLeft, "fuel left");
});

test("the device build refuses a .wasm, with what to do instead", () => {
  assert.throws(() => Module.load(device(), GUEST), (e) =>
    e instanceof WrtImageError && e.code === ErrCode.ImageMagic && /wrt compile/.test(e.message));
});

test("an image is refused when compiled for another fuel setup", () => {
  const unmetered = imageOf(GUEST, { fuelMetering: 0 });
  assert.throws(() => Module.load(device(), unmetered), (e) =>
    e instanceof WrtImageError && e.code === ErrCode.ImageVersion && /without fuel metering/.test(e.message));
  assert.doesNotThrow(() => runAll(Module.load(device({ fuelMetering: 0 }), unmetered)));
  // another fuel cost table (raw API: op 0 costs 5)
  const other = device();
  other.writeBytes(new Uint8Array([5, 0, 0, 0]));
  assert.equal(other.raw.wrt_fuel_costs(1), 0);
  assert.throws(() => Module.load(other, IMAGE), (e) => e instanceof WrtImageError && /fuel cost table/.test(e.message));
});

test("every single-byte change and every truncation of an image is refused; the interpreter stays usable", () => {
  const e = device();
  let refused = 0;
  for (let i = 0; i < IMAGE.length; i++) {
    const bad = IMAGE.slice();
    bad[i] ^= 0x5a;
    assert.throws(() => Module.load(e, bad), (err) => err instanceof WrtImageError, `byte ${i}`);
    refused++;
  }
  for (const n of [0, 3, 4, 31, 32, 60, IMAGE.length - 5, IMAGE.length - 1]) {
    assert.throws(() => Module.load(e, IMAGE.subarray(0, n)), (err) => err instanceof WrtImageError, `first ${n} bytes`);
    refused++;
  }
  assert.ok(refused > 500);
  assert.deepEqual(runAll(Module.load(e, IMAGE)), runAll(Module.load(full(), GUEST)), "the good image still loads");
});

test("an image that passes its checksum but is inconsistent is refused with the byte offset", () => {
  const dv = (b) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  const reseal = (b) => {
    dv(b).setUint32(b.length - 4, crc32(b.subarray(0, b.length - 4)), true);
    return b;
  };
  // the module part, broken: a decode error pointing into the image
  const badModule = IMAGE.slice();
  badModule[36] = 0x01; // the module's magic
  assert.throws(() => Module.load(device(), reseal(badModule)), (err) => err instanceof WrtImageError || err instanceof WrtDecodeError);
  // an op outside the op table
  const parts = imageParts(IMAGE);
  assert.deepEqual(buildImage(parts), IMAGE, "the test's image codec");
  const badOp = buildImage({ ...parts, code: [0xff, ...parts.code.slice(1)] });
  assert.throws(() => Module.load(device(), badOp), (err) =>
    err instanceof WrtImageError && err.code === ErrCode.ImageCorrupt && /code: unknown op or op past the end: 255/.test(err.message));
  // a function that does not start where the previous one ends (here: at the code's start)
  const info = parts.info.slice();
  info[0] += 4;
  assert.throws(() => Module.load(device(), buildImage({ ...parts, info })), (err) =>
    err instanceof WrtImageError && /code range of function 0/.test(err.message));
  // another internal-code version
  const badIr = IMAGE.slice();
  dv(badIr).setUint32(8, 9999, true);
  assert.throws(() => Module.load(device(), reseal(badIr)), (err) =>
    err instanceof WrtImageError && err.code === ErrCode.ImageVersion && /internal-code version than the image.s 9999/.test(err.message));
});

test("`wrt compile` writes the image; a malformed .wasm is reported, exit 1", () => {
  const { dir, guest } = guestDir("wrt-image-");
  const src = guest("fib", `(module (func $fib (export "fib") (param i32) (result i32)
    local.get 0 i32.const 2 i32.lt_u
    if (result i32) local.get 0
    else local.get 0 i32.const 1 i32.sub call $fib local.get 0 i32.const 2 i32.sub call $fib i32.add end))`);
  const out = path.join(dir, "fib.wrti");
  const r = spawnSync(process.execPath, [cli, "compile", src, "-o", out], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const img = new Uint8Array(readFileSync(out));
  const inst = Instance.instantiate(Module.load(device(), img), {});
  assert.deepEqual(inst.invoke("fib", [20]), [6765]);
  const bad = path.join(dir, "bad.wasm");
  writeFileSync(bad, new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]));
  const b = spawnSync(process.execPath, [cli, "compile", bad, "-o", path.join(dir, "bad.wrti")], { encoding: "utf8" });
  assert.equal(b.status, 1);
  assert.match(b.stderr, /bad\.wasm: malformed: unknown binary version/);
});


test("resealed images with lengths that do not add up are refused, not read past their end", () => {
  const dv = (b) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  const reseal = (b) => (dv(b).setUint32(b.length - 4, crc32(b.subarray(0, b.length - 4)), true), b);
  const [codeAt, infoAt, sideAt] = imageParts(IMAGE).starts;
  const e = device();
  for (const [at, v] of [[32, IMAGE.length - 38], [32, IMAGE.length - 37], [32, 0xfffffff0], [codeAt, 0x3fffffff],
    [codeAt, 0xffffffff], [infoAt, 1], [sideAt, 0], [sideAt, 0x7fffffff]]) {
    const bad = IMAGE.slice();
    dv(bad).setUint32(at, v, true);
    assert.throws(() => Module.load(e, reseal(bad)), (err) => err instanceof WrtImageError || err instanceof WrtDecodeError, `${at}=${v}`);
  }
  assert.ok(!e.dead);
  assert.deepEqual(runAll(Module.load(e, IMAGE)), runAll(Module.load(full(), GUEST)));
});
