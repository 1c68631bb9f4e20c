// Ed25519 signatures over modules, images and snapshots (docs/signing.md,
// issue 18 part 2), with real keys: a signed input loads where its key is
// trusted; unsigned, tampered, or signed by another key is refused with
// WrtSignatureError (135) and a clear text before the interpreter sees it;
// without a requirement the trailer is taken off. Signatures are checked
// against node:crypto's own verify of the raw parts (the trailer format by
// hand), and the CLI's keygen / sign / --require-signature.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createPublicKey, verify } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  Engine, Module, Instance, WrtSignatureError, signBytes, readSignature, keyId, rawPublicKey, generateSigningKeys,
} from "../../host-shims/node/dist/index.js";
import { root, wat } from "./support.mjs";

const A = generateSigningKeys();
const B = generateSigningKeys();
const MOD = wat(`(module (memory 1) (func (export "f") (param i32) (result i32) local.get 0 i32.const 1 i32.add)
  (func (export "spin") (loop br 0)))`, { name: "signed.wat" });
const flip = (b, at) => { const c = b.slice(); c[at] ^= 1; return c; };
const refused = (fn, re) => assert.throws(fn, (e) => e instanceof WrtSignatureError && e.code === 135 && re.test(e.message), "a WrtSignatureError");

test("the trailer: 80 bytes after the unchanged payload; the signature verifies with the public key; key id = SHA-512(raw key)[0..8)", () => {
  const s = signBytes(MOD, A.privateKey);
  assert.equal(s.length, MOD.length + 80);
  assert.deepEqual(s.subarray(0, MOD.length), MOD);
  const dv = new DataView(s.buffer, s.byteOffset + MOD.length);
  assert.equal(dv.getUint32(72, true), MOD.length);
  assert.equal(dv.getUint32(76, true), 0x47545257); // "WRTG"
  // independently: node:crypto over the payload and the raw key from the JWK export
  const raw = Buffer.from(createPublicKey(A.publicKey).export({ format: "jwk" }).x, "base64url");
  assert.deepEqual(Buffer.from(rawPublicKey(A.publicKey)), raw);
  assert.ok(verify(null, MOD, createPublicKey(A.publicKey), s.subarray(MOD.length, MOD.length + 64)));
  const id = createHash("sha512").update(raw).digest().subarray(0, 8).toString("hex");
  assert.equal(Buffer.from(s.subarray(MOD.length + 64, MOD.length + 72)).toString("hex"), id);
  assert.equal(keyId(A.publicKey), id);
  assert.equal(readSignature(s).keyId, id);
  assert.equal(readSignature(MOD), null);
});

test("a module signed by a trusted key loads and runs; unsigned, tampered and foreign ones are refused", () => {
  const e = new Engine({ log: false, requireSignature: [B.publicKey, A.publicKey] });
  const s = signBytes(MOD, A.privateKey);
  const inst = Instance.instantiate(Module.load(e, s), {});
  assert.deepEqual(inst.invoke("f", [41]), [42]);
  refused(() => Module.load(e, MOD), /^signature required: the module is not signed$/);
  refused(() => Module.load(e, flip(s, 20)), /does not match its signature .*changed after signing/); // a payload byte
  refused(() => Module.load(e, flip(s, MOD.length + 3)), /does not match its signature/); // a signature byte
  const other = generateSigningKeys();
  refused(() => Module.load(e, signBytes(MOD, other.privateKey)), new RegExp(`signed by key ${keyId(other.publicKey)}, which is not a trusted key`));
  // a raw 32-byte public key works as well as PEM
  const raw = new Engine({ log: false, requireSignature: rawPublicKey(A.publicKey) });
  assert.ok(Module.load(raw, s));
});

test("without requireSignature a trailer is taken off unchecked", () => {
  const e = new Engine({ log: false });
  const inst = Instance.instantiate(Module.load(e, flip(signBytes(MOD, A.privateKey), MOD.length + 3)), {});
  assert.deepEqual(inst.invoke("f", [1]), [2]);
});

test("snapshots: a signed one restores into an engine that requires the key; unsigned or tampered ones are refused and change nothing", () => {
  const src = new Engine({ log: false });
  const inst = Instance.instantiate(Module.load(src, MOD), {});
  const r = inst.call("spin", [], 1000);
  assert.equal(r.done, false);
  const snap = src.snapshot();
  r.abandon();
  const signed = signBytes(snap, A.privateKey);
  const e = new Engine({ log: false, requireSignature: A.publicKey });
  Module.load(e, signBytes(MOD, A.privateKey));
  refused(() => e.restore(snap), /^signature required: the snapshot is not signed$/);
  refused(() => e.restore(flip(signed, 100)), /the snapshot does not match its signature/);
  refused(() => e.restore(signBytes(snap, B.privateKey)), /which is not a trusted key/);
  const state = e.restore(signed);
  assert.ok(state.call, "the call in progress came back");
});

test("images: a signed image loads into the device build when its key is required", () => {
  const image = Module.load(new Engine({ log: false }), MOD).image();
  const device = path.join(root, "build/wrt-device.wasm");
  const e = new Engine({ log: false, wasmPath: device, requireSignature: A.publicKey });
  const inst = Instance.instantiate(Module.load(e, signBytes(image, A.privateKey)), {});
  assert.deepEqual(inst.invoke("f", [7]), [8]);
  refused(() => Module.load(e, image), /not signed/);
  refused(() => Module.load(e, flip(signBytes(image, A.privateKey), 40)), /changed after signing/);
});

test("CLI: wrt keygen, wrt sign, wrt run/resume --require-signature", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "wrt-sign-"));
  const cli = (...args) => spawnSync(process.execPath, [path.join(root, "host-shims/node/dist/cli.js"), ...args], { encoding: "utf8", cwd: dir });
  const f = (n) => path.join(dir, n);
  writeFileSync(f("m.wasm"), MOD);
  assert.equal(cli("keygen", f("k")).status, 0);
  assert.equal(cli("keygen", f("other")).status, 0);
  const s = cli("sign", f("m.wasm"), "--key", f("k.key"), "-o", f("m.signed.wasm"));
  assert.equal(s.status, 0, s.stderr);
  assert.match(s.stdout, /signed by key [0-9a-f]{16}/);
  const ok = cli("run", f("m.signed.wasm"), "--invoke", "f", "5", "--require-signature", f("k.pub"));
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), "i32:6");
  const unsigned = cli("run", f("m.wasm"), "--invoke", "f", "5", "--require-signature", f("k.pub"));
  assert.equal(unsigned.status, 1);
  assert.equal(unsigned.stderr.trim(), `wrt: ${f("m.wasm")}: signature required: the module is not signed`);
  const foreign = cli("run", f("m.signed.wasm"), "--invoke", "f", "5", "--require-signature", f("other.pub"));
  assert.equal(foreign.status, 1);
  assert.match(foreign.stderr, /signature refused: the module is signed by key [0-9a-f]{16}, which is not a trusted key/);
  writeFileSync(f("t.wasm"), flip(readFileSync(f("m.signed.wasm")), 12));
  const tampered = cli("run", f("t.wasm"), "--invoke", "f", "5", "--require-signature", f("k.pub"));
  assert.equal(tampered.status, 1);
  assert.match(tampered.stderr, /changed after signing/);
  // a snapshot file: run out of fuel, sign the file, resume with the key
  const run = cli("run", f("m.wasm"), "--invoke", "spin", "--fuel", "500", "--snapshot-out", f("s.bin"));
  assert.equal(run.status, 2, run.stderr);
  assert.equal(cli("sign", f("s.bin"), "--key", f("k.key"), "-o", f("s.signed.bin")).status, 0);
  const resumed = cli("resume", f("s.signed.bin"), "--fuel", "500", "--require-signature", f("k.pub"));
  assert.equal(resumed.status, 2, resumed.stderr); // still spinning: out of fuel again, after the signature was accepted
  const r2 = cli("resume", f("s.bin"), "--fuel", "500", "--require-signature", f("k.pub"));
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /signature required: the snapshot file is not signed/);
  const bad = cli("run", f("m.signed.wasm"), "--invoke", "f", "5", "--require-signature", f("m.wasm"));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /not an Ed25519 public key/);
});
