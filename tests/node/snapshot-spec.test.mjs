// A quick check of `wrt spec --snapshot-every-slice` (every invocation
// snapshotted and restored into a fresh interpreter at every fuel slice) on
// a few core files, with a fixed seed, against the plain run of the same
// files. The whole core suite runs in this mode in `npm test`
// (scripts/test.mjs, `--fuel-slice spread`); this one stays small so that
// node:test alone exercises the mode too. The mode caught an op whose length
// table entry was off by one (select), which made a position after it look
// like no op boundary.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { testsuiteDir } from "../../fuzz/lib/testsuite.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ci = /^(1|true|yes)$/i.test(process.env.CI ?? "");
const suite = testsuiteDir();
const skip = existsSync(suite) ? false : ci ? false : `spec suite not found at ${suite}`;

// spread: long invocations too (memory_fill); random (slices of 1..64): short ones only
const FILES = { spread: ["select", "br_table", "call_indirect", "memory_fill"], random: ["select", "br_table", "local_tee"] };

function spec(names, ...flags) {
  const files = names.map((f) => path.join(suite, "core", `${f}.json`));
  const r = spawnSync(process.execPath, [path.join(root, "host-shims/node/dist/cli.js"), "spec", ...flags, ...files],
    { encoding: "utf8", timeout: 300_000 });
  assert.equal(r.status, 0, r.stdout.slice(-3000) + r.stderr);
  const last = r.stdout.trim().split("\n").at(-1);
  assert.match(last, /^spec: \d+ passed, 0 failed, \d+ skipped$/);
  return { passed: Number(last.match(/(\d+) passed/)[1]), out: r.stdout };
}

for (const slice of ["spread", "random"]) {
  test(`core files, snapshot and restore at every fuel slice (${slice}), as many passed as plain`, { skip }, () => {
    const plain = spec(FILES[slice]);
    const sliced = spec(FILES[slice], "--snapshot-every-slice", "--fuel-slice", slice, "--seed", "7");
    assert.equal(sliced.passed, plain.passed);
    assert.match(sliced.out, /snapshots: [1-9]/, "no snapshot was taken");
  });
}
