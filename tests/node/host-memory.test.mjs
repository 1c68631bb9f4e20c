// The interpreter's own memory stays below the wasm2c runtime's limit and
// the native host refuses to grow it past that (issue 18 part 6): the C
// check tests/c/host-memory.c, linked with the native build's objects.
// Needs gcc and wabt (as tests/node/native.test.mjs); skips without them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { root, ci, missingTools } from "./support.mjs";

const why = missingTools(["gcc", "wasm2c"]);
const skip = why && !ci ? why : false;

test("the native interpreter's memory cannot grow to 65,536 pages (the runtime's sizes would wrap)", { skip }, () => {
  if (why) assert.fail(`${why} (CI=true: the native tests must run)`);
  const objDir = path.join(root, "build/c/native");
  const shim = path.join(objDir, "wrt.shim.o");
  const stale = !existsSync(shim) || statSync(shim).mtimeMs < statSync(path.join(root, "host-shims/c/wrt.c")).mtimeMs
    || statSync(shim).mtimeMs < statSync(path.join(root, "build/wrt.wasm")).mtimeMs;
  if (stale) {
    const r = spawnSync(process.execPath, [path.join(root, "scripts/build-c.mjs"), "--native"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  }
  const exe = path.join(mkdtempSync(path.join(tmpdir(), "wrt-hostmem-")), "host-memory");
  const objs = ["wrt.o", "wasm-rt-impl.o", "wrt.shim.o", "wrt_log_posix.shim.o", "wrt_sign.shim.o", "monocypher.shim.o", "monocypher-ed25519.shim.o"].map((o) => path.join(objDir, o));
  const cc = spawnSync("gcc", ["-std=gnu11", "-O1", "-I", path.join(root, "host-shims/c"), "-I", path.join(root, "build/c"),
    path.join(root, "tests/c/host-memory.c"), ...objs, "-lm", "-lpthread", "-o", exe], { encoding: "utf8" });
  assert.equal(cc.status, 0, cc.stderr);
  const r = spawnSync(exe, [], { encoding: "utf8" });
  assert.equal(r.stdout.trim(), "ok", r.stdout + r.stderr);
  assert.equal(r.status, 0);
});
