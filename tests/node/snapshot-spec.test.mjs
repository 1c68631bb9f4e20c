// Spec files run with every invocation snapshotted and restored into a
// fresh interpreter at every fuel slice (`wrt spec --snapshot-every-slice`).
// A subset that covers every kind of op and finishes in seconds; the whole
// suite in this mode takes about 15 minutes (docs/snapshot-format.md).
// It caught an op whose length table entry was off by one (select), which
// made a position after it look like no op boundary.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ci = /^(1|true|yes)$/i.test(process.env.CI ?? "");
const suite = process.env.WRT_TESTSUITE ?? path.resolve(root, "../shared/testsuite");
const skip = existsSync(suite) ? false : ci ? false : `spec suite not found at ${suite}`;

const FILES = ["select", "br_table", "i64", "conversions", "local_tee", "return", "block", "loop", "if",
  "call_indirect", "table_init", "bulk", "global", "ref_func", "unwind", "br_if", "memory_size"];

for (const slice of ["random"]) {
  test(`core subset, snapshot and restore at every fuel slice (${slice})`, { skip }, () => {
    const files = FILES.map((f) => path.join(suite, "core", `${f}.json`));
    const r = spawnSync(process.execPath, [path.join(root, "host-shims/node/dist/cli.js"), "spec",
      "--snapshot-every-slice", "--fuel-slice", slice, "--seed", "7", ...files], { encoding: "utf8", timeout: 600_000 });
    assert.equal(r.status, 0, r.stdout.slice(-3000) + r.stderr);
    const last = r.stdout.trim().split("\n").at(-1);
    assert.match(last, /^spec: \d+ passed, 0 failed, \d+ skipped$/);
    assert.ok(Number(last.match(/(\d+) passed/)[1]) > 3000, last);
    assert.match(r.stdout, /snapshots: [1-9]/, "no snapshot was taken");
  });
}
