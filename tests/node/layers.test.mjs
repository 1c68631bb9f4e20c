// Import structure (issue 12 part 8): no import circle in assembly/ or
// host-shims/node/src, and the Node host's layers import only downwards
// (docs/architecture.md). scripts/check-deps.mjs runs dependency-cruiser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const check = (...args) => spawnSync(process.execPath, [path.join(root, "scripts/check-deps.mjs"), ...args], { encoding: "utf8" });

test("the repository has no import circle or layer break (beyond the named known ones)", () => {
  const r = check();
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /no import circle or layer break/);
  assert.doesNotMatch(r.stdout, /known circle/, "assembly/ and the host have no import circle left to tolerate");
  assert.match(r.stdout, /check-deps: (\d+) modules/);
  const n = Number(/check-deps: (\d+) modules/.exec(r.stdout)[1]);
  assert.ok(n > 50, `only ${n} modules cruised: the .js -> .ts resolution is broken`);
});

/** A scratch tree shaped like the repository: files by path -> text. */
function scratch(files) {
  const dir = mkdtempSync(path.join(tmpdir(), "wrt-layers-"));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), text);
  }
  return dir;
}

test("the check catches a circle between two host files (NodeNext .js names)", (t) => {
  const dir = scratch({
    "host-shims/node/src/api/a.ts": 'import { b } from "./b.js";\nexport const a = () => b;\n',
    "host-shims/node/src/api/b.ts": 'import { a } from "./a.js";\nexport const b = () => a;\n',
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = check("--root", dir, "host-shims/node/src");
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /import circle: host-shims\/node\/src\/api\/(a|b)\.ts/);
});

test("the check catches a type-only circle and an upward import", (t) => {
  const dir = scratch({
    "host-shims/node/src/binding/raw.ts": 'import type { T } from "../api/t.js";\nexport type R = T | 1;\n',
    "host-shims/node/src/api/t.ts": 'import type { R } from "../binding/raw.js";\nexport type T = R | 2;\n',
    "host-shims/node/src/api/uses-cli.ts": 'import { main } from "../cli/main.js";\nexport const m = main;\n',
    "host-shims/node/src/cli/main.ts": "export function main(): number { return 0; }\n",
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = check("--root", dir, "host-shims/node/src");
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /import circle/);
  assert.match(r.stderr, /binding-is-the-bottom: host-shims\/node\/src\/binding\/raw\.ts imports host-shims\/node\/src\/api\/t\.ts/);
  assert.match(r.stderr, /api-below-front-ends: host-shims\/node\/src\/api\/uses-cli\.ts imports host-shims\/node\/src\/cli\/main\.ts/);
});

test("the check catches a circle in assembly/ and a stale known entry", (t) => {
  const dir = scratch({
    "assembly/exec/x.ts": 'import { y } from "./y";\nexport function x(): i32 { return y(); }\n',
    "assembly/exec/y.ts": 'import { x } from "./x";\nexport function y(): i32 { return x(); }\n',
    ".dependency-cruiser-known.json": JSON.stringify({ circles: [{ files: ["assembly/a.ts", "assembly/b.ts"], owner: "nobody" }] }),
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = check("--root", dir, "assembly");
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /import circle: assembly\/exec\/(x|y)\.ts/);
  assert.match(r.stderr, /stale entry .*assembly\/a\.ts <-> assembly\/b\.ts/);
});
