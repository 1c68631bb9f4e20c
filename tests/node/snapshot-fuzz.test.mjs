// The structure-aware snapshot fuzzer (fuzz/snapshots.mjs), a short seeded
// run: real snapshots with fields mutated by meaning and the CRC
// recomputed, restored through the raw ABI and the Node API, accepted ones
// run on. No interpreter fault, no refusal other than a snapshot error, the
// original always restores after a refusal. `npm run fuzz` runs 100,000.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fuzzSnapshots, summary } from "../../fuzz/snapshots.mjs";

const COUNT = Number(process.env.WRT_SNAPSHOT_FUZZ_COUNT ?? 4000);

test(`${COUNT} crafted snapshots: 0 interpreter faults, accepted ones run on`, async () => {
  const st = await fuzzSnapshots({ count: COUNT, seed: 20261203, log: (l) => console.log(l) });
  console.log(summary(st));
  assert.equal(st.faults, 0);
  assert.equal(st.crafted, COUNT);
  assert.ok(st.accepted > COUNT / 20 && st.refused > COUNT / 2, summary(st)); // the mutations reach both sides
  assert.ok(st.sources >= 10, "spec-suite modules and guests as sources");
});
