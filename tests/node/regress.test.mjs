// Regression cases (tests/regress/NNN.wasm + NNN.json, tests/regress/README.md):
// what WRT must do with each module, checked against the note's expectation
// (written from the spec) and V8's opinion.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Engine, Module, WrtDecodeError, WrtValidationError } from "../../host-shims/node/dist/index.js";
import { root } from "./support.mjs";

const dir = path.join(root, "tests/regress");
const cases = readdirSync(dir).filter((f) => /^\d{3}\.wasm$/.test(f)).sort();

test("there are regression cases, each with its note", () => {
  assert.ok(cases.length >= 3, `only ${cases.length} cases`);
  for (const f of cases) {
    const meta = JSON.parse(readFileSync(path.join(dir, f.replace(".wasm", ".json")), "utf8"));
    assert.ok(meta.note?.length > 20, `${f}: no note`);
    assert.ok(["malformed", "invalid", "ok"].includes(meta.expect?.load), `${f}: expect.load`);
    assert.ok(["accept", "reject"].includes(meta.v8), `${f}: v8`);
  }
});

for (const f of cases) {
  const meta = JSON.parse(readFileSync(path.join(dir, f.replace(".wasm", ".json")), "utf8"));
  test(`regress ${f}: ${meta.note.split(/[.:]/)[0]}`, () => {
    const bytes = new Uint8Array(readFileSync(path.join(dir, f)));
    assert.equal(WebAssembly.validate(bytes), meta.v8 === "accept", "V8's opinion changed: check the note");
    const engine = new Engine({ log: false });
    let err = null;
    try {
      Module.load(engine, bytes).drop();
    } catch (e) {
      err = e;
    }
    const { load, code, text } = meta.expect;
    if (load === "ok") {
      assert.equal(err, null, String(err));
    } else {
      assert.ok(err instanceof (load === "malformed" ? WrtDecodeError : WrtValidationError), `expected a ${load} module, got ${err}`);
      if (code !== undefined) assert.equal(err.code, code, err.message);
      if (text !== undefined) assert.ok(err.message.includes(text), err.message);
    }
    if (meta.diff) {
      const r = spawnSync(process.execPath, [path.join(root, "fuzz/run.mjs"), "--replay", path.join(dir, f)], { cwd: root, encoding: "utf8", timeout: 120_000 });
      assert.equal(r.status, 0, `${r.stdout}${r.stderr}`.slice(-2000));
    }
  });
}
