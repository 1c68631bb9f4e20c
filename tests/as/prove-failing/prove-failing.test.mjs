// Proves that as-pect assertions bite: runs as-pect on a spec full of
// deliberately wrong expectations and checks that it exits non-zero and
// names each failed assertion (and still passes the one true assertion).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const asp = path.join(root, "node_modules/@as-pect/cli/bin/asp.js");

test("as-pect reports deliberately wrong assertions as failures", () => {
  const r = spawnSync(process.execPath, [asp, "--config", "tests/as/prove-failing/as-pect.config.js"], {
    cwd: root, encoding: "utf8", timeout: 120_000,
  });
  const out = (r.stdout + r.stderr).replace(/\x1b\[[0-9;]*m/g, "");
  assert.notEqual(r.status, 0, "as-pect must exit non-zero on failing assertions\n" + out);
  for (const tag of ["PROVE-FAIL-VALUE", "PROVE-FAIL-STRING", "PROVE-FAIL-STRICT"]) {
    assert.match(out, new RegExp(`❌ ${tag}`), `${tag} must be reported as failed\n` + out);
  }
  assert.match(out, /\[Actual\]\s*:\s*4294967295 as u32/);
  assert.match(out, /\[Tests\]: 1 \/ 4/, "exactly the one true assertion passes\n" + out);
  assert.doesNotMatch(out, /❌ PROVE-PASS/);
});
