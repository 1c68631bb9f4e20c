// The C host checks the signatures the Node API makes (docs/signing.md):
// tests/c/signature.c, linked with the native build's objects (Monocypher's
// Ed25519), gets files signed by node:crypto's Ed25519 and must accept the
// signed one and refuse unsigned, tampered and foreign ones with
// WRT_ERR_SIGNATURE (135) and the texts. Needs gcc and wabt (as
// tests/node/native.test.mjs); skips without them, fails under CI=true.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Engine, Module, Instance, signBytes, generateSigningKeys, rawPublicKey } from "../../host-shims/node/dist/index.js";
import { root, ci, missingTools, wat } from "./support.mjs";

const why = missingTools(["gcc", "wasm2c"]);
const skip = why && !ci ? why : false;
const SHIM_OBJS = ["wrt.o", "wasm-rt-impl.o", "wrt.shim.o", "wrt_log_posix.shim.o", "wrt_sign.shim.o", "monocypher.shim.o", "monocypher-ed25519.shim.o"];

test("Node-signed modules and snapshots verify in the C host; unsigned, tampered, foreign refused", { skip }, () => {
  if (why) assert.fail(`${why} (CI=true: the native tests must run)`);
  const objDir = path.join(root, "build/c/native");
  const newer = (a, b) => statSync(a).mtimeMs >= statSync(b).mtimeMs;
  const stale = SHIM_OBJS.some((o) => !existsSync(path.join(objDir, o)))
    || !newer(path.join(objDir, "wrt.shim.o"), path.join(root, "host-shims/c/wrt.c"))
    || !newer(path.join(objDir, "wrt_sign.shim.o"), path.join(root, "host-shims/c/wrt_sign.c"))
    || !newer(path.join(objDir, "wrt.shim.o"), path.join(root, "build/wrt.wasm"));
  if (stale) {
    const r = spawnSync(process.execPath, [path.join(root, "scripts/build-c.mjs"), "--native"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  }
  const dir = mkdtempSync(path.join(tmpdir(), "wrt-sig-c-"));
  const exe = path.join(dir, "signature");
  const cc = spawnSync("gcc", ["-std=gnu11", "-O1", "-I", path.join(root, "host-shims/c"), "-I", path.join(root, "build/c"),
    path.join(root, "tests/c/signature.c"), ...SHIM_OBJS.map((o) => path.join(objDir, o)), "-lm", "-lpthread", "-o", exe], { encoding: "utf8" });
  assert.equal(cc.status, 0, cc.stderr);

  const a = generateSigningKeys(), b = generateSigningKeys();
  const mod = wat(`(module (func (export "spin") (loop br 0)))`, { name: "sig-c.wat" });
  const signed = signBytes(mod, a.privateKey);
  const tampered = signed.slice();
  tampered[mod.length + 5] ^= 1; // a signature byte: the module itself stays valid (loads unchecked)
  // a snapshot of that module, halted in spin, signed
  const e = new Engine({ log: false });
  const call = Instance.instantiate(Module.load(e, mod), {}).call("spin", [], 100);
  const snap = signBytes(e.snapshot(), a.privateKey);
  call.abandon();
  const files = { signed, unsigned: mod, tampered, foreign: signBytes(mod, b.privateKey), snapshot: snap };
  for (const [k, v] of Object.entries(files)) writeFileSync(path.join(dir, k), v);
  const hex = Buffer.from(rawPublicKey(a.publicKey)).toString("hex");
  const r = spawnSync(exe, [hex, ...Object.keys(files).map((k) => path.join(dir, k))], { encoding: "utf8" });
  assert.equal(r.stdout.trim(), "ok", r.stdout + r.stderr);
  assert.equal(r.status, 0);
});
