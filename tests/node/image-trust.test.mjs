// Issue 18: "the full build accepts any bytes that start with the image magic
// (`wrt run x.wrti`, `Module.load`, and an image inside a snapshot
// container), so 'run the full build and load the .wasm' is not
// enforceable". Images are refused by the full build unless the embedder
// sets allowImages (Node option, config key 14, CLI --allow-images); the
// device build loads images only (docs/image-format.md, "Trust").
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { Engine, Module, Instance, WrtImageError, ErrCode, writeContainer } from "../../host-shims/node/dist/index.js";
import { root, wat, guestDir } from "./support.mjs";

const cli = path.join(root, "host-shims/node/dist/cli.js");
const DEVICE = path.join(root, "build/wrt-device.wasm");
const GUEST = wat(`(module (func (export "main") (param i32) (result i32)
  (local $i i32) (local $s i32)
  (block $out (loop $l
    (br_if $out (i32.ge_u (local.get $i) (local.get 0)))
    (local.set $s (i32.add (local.get $s) (local.get $i)))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $l)))
  (local.get $s)))`);
const IMAGE = Module.load(new Engine({ log: false }), GUEST).image();
const notAllowed = (e) => e instanceof WrtImageError && e.code === ErrCode.ImageNotAllowed && /allowImages/.test(e.message);

test("the full build refuses image bytes unless allowImages; the .wasm always loads", () => {
  assert.throws(() => Module.load(new Engine({ log: false }), IMAGE), notAllowed, "default: refused");
  assert.throws(() => Module.load(new Engine({ log: false, allowImages: false }), IMAGE), notAllowed, "allowImages: false");
  const sum = (e, bytes) => Instance.instantiate(Module.load(e, bytes), {}).invoke("main", [100]);
  assert.deepEqual(sum(new Engine({ log: false }), GUEST), [4950]);
  assert.deepEqual(sum(new Engine({ log: false, allowImages: true }), IMAGE), [4950], "Node option");
  assert.deepEqual(sum(new Engine({ log: false, config: { allowImages: 1 } }), IMAGE), [4950], "config key 14");
  // the raw ABI: key 14 takes 0 or 1 only
  const e = new Engine({ log: false });
  assert.equal(e.raw.wrt_config(14, 2n), -1);
  assert.equal(e.raw.wrt_config(14, 1n), 0);
  assert.deepEqual(sum(e, IMAGE), [4950], "set through wrt_config");
  assert.equal(e.raw.wrt_config(14, 0n), 0);
  assert.throws(() => Module.load(e, IMAGE), notAllowed, "turned off again");
  // the device build has nothing else to load
  assert.deepEqual(sum(new Engine({ log: false, wasmPath: DEVICE }), IMAGE), [4950], "device build");
});

test("a snapshot restored with an image among its modules is refused by the full build unless allowed", () => {
  const e = new Engine({ log: false, allowImages: true });
  const inst = Instance.instantiate(Module.load(e, IMAGE), {});
  const r = inst.call("main", [1000], 500n);
  assert.ok(!r.done);
  const snap = e.snapshot();
  r.abandon();
  assert.throws(() => Engine.restore(snap, { modules: [IMAGE], log: false }), notAllowed);
  const back = Engine.restore(snap, { modules: [IMAGE], log: false, allowImages: true });
  let c = back.call.resume(1_000_000n);
  assert.deepEqual(c.results, [499500]);
});

test("CLI: `wrt run x.wrti` and `wrt resume` of a container holding an image need --allow-images", () => {
  const { dir } = guestDir("wrt-image-trust-");
  const img = path.join(dir, "sum.wrti");
  writeFileSync(img, IMAGE);
  const run = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
  let r = run("run", img, "--invoke", "main", "100");
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr + r.stdout, /refused image: precompiled images are not allowed/);
  r = run("run", img, "--allow-images", "--invoke", "main", "100");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /4950/);
  // a container (module bytes + snapshot) whose module is an image
  const e = new Engine({ log: false, allowImages: true });
  const call = Instance.instantiate(Module.load(e, IMAGE), {}).call("main", [1000], 500n);
  const box = path.join(dir, "s.bin");
  writeFileSync(box, writeContainer({ flags: 0, modules: [IMAGE], snapshot: e.snapshot() }));
  call.abandon();
  r = run("resume", box);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr + r.stdout, /precompiled images are not allowed/);
  assert.doesNotMatch(r.stderr, /    at /, "no stack trace");
  r = run("resume", box, "--allow-images");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /499500/);
});
