// A board build is clean (issue 12): `flash-scripts/build.sh` for the QEMU
// Cortex-M3 board compiles the firmware with -Wall -Wextra and prints no
// compiler warning (it used to warn that fail_text was unused in every
// build without snapshots).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ci = /^(1|true|yes)$/i.test(process.env.CI ?? "");
const haveGcc = spawnSync("arm-none-eabi-gcc", ["--version"]).status === 0;

test("the mps2-an385 firmware builds without a compiler warning", { skip: !haveGcc && !ci && "arm-none-eabi-gcc missing" }, (t) => {
  assert.ok(haveGcc, "arm-none-eabi-gcc missing (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi)");
  const dir = mkdtempSync(path.join(tmpdir(), "wrt-board-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = spawnSync(path.join(root, "flash-scripts/build.sh"), ["mps2-an385", path.join(root, "examples/hello.wasm"), "--invoke", "main", "--out", path.join(dir, "fw.elf")], { cwd: root, encoding: "utf8", timeout: 600_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /warning:/, r.stderr);
});
