// A short, seeded run of the structure-aware image fuzzer (fuzz/images.mjs;
// the long run: `npm run fuzz -- --mode images --modules 100000 --seconds 900`):
// crafted images (one field with meaning changed, CRC made right) loaded
// through the raw ABI and the Node API of both builds; accepted ones run
// briefly. No interpreter fault, the two builds and the two paths agree, and
// the run really exercised the verifier (enough accepted, refused and run).
import { test } from "node:test";
import assert from "node:assert/strict";
import { fuzzImages, summary } from "../../fuzz/images.mjs";

test("image fuzzing: 3,000 crafted images, 0 faults, 0 disagreements", { timeout: 300_000 }, () => {
  const s = fuzzImages({ seed: 20261203, count: 3000, seeds: 120, runEvery: 3 });
  const detail = `${summary(s)}\n${[...s.faults, ...s.disagreements].slice(0, 10).join("\n")}`;
  assert.deepEqual(s.faults, [], detail);
  assert.deepEqual(s.disagreements, [], detail);
  assert.equal(s.crafted, 3000);
  assert.ok(s.accepted >= 300 && s.accepted <= 2700, `accepted ${s.accepted}: the mutations must be both caught and survivable`);
  assert.ok(s.run >= 100, `only ${s.run} accepted images run`);
  for (const k of ["op", "operand", "info", "side", "length", "module"]) assert.ok(s.byKind[k] >= 50, `${k} mutations: ${s.byKind[k]}`);
});
