// The npm package (issue 12 part 6): `npm pack` gives a tarball that installs
// in a scratch project, where `import { Engine, ... } from "wrt"` works
// (exports map), its types resolve for TypeScript (NodeNext), the `wrt` bin
// runs, and the README's JavaScript snippet runs as written.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
/**
 * The environment of a user's shell: npm test sets npm_config_* and puts
 * node_modules/.bin first on PATH, where a dependency brings an old npm/npx.
 */
const userEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
userEnv.PATH = (process.env.PATH ?? "").split(path.delimiter).filter((d) => !d.includes(`node_modules${path.sep}.bin`)).join(path.delimiter);


test("npm pack installs in a scratch project: import from \"wrt\", types, the bin, the README snippet", (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), "wrt-pack-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // --ignore-scripts: the build is already there (npm ci ran `prepare`)
  const pack = spawnSync(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: root, encoding: "utf8", env: userEnv });
  assert.equal(pack.status, 0, pack.stderr);
  const info = JSON.parse(pack.stdout)[0];
  const files = new Set(info.files.map((f) => f.path));
  for (const f of ["host-shims/node/dist/index.js", "host-shims/node/dist/index.d.ts", "host-shims/node/dist/cli.js", "build/wrt.wasm", "build/wrt-c.wasm", "build/wrt-device.wasm", "build/wrt-device-simd.wasm", "examples/hello.wasm", "package.json", "README.md"]) {
    assert.ok(files.has(f), `${f} missing from the package`);
  }
  assert.ok(![...files].some((f) => f.startsWith("tests/") || f.startsWith("assembly/") || f.endsWith(".map") || f.startsWith("docs/team/")), "the package carries sources or tests");
  const project = path.join(dir, "app");
  mkdirSync(project);
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", type: "module", private: true }));
  const install = spawnSync(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", path.join(dir, info.filename)], { cwd: project, encoding: "utf8", timeout: 180_000, env: userEnv });
  assert.equal(install.status, 0, install.stderr);

  mkdirSync(path.join(project, "examples"));
  copyFileSync(path.join(root, "examples/hello.wasm"), path.join(project, "examples/hello.wasm"));
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const snippet = /From JavaScript[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)[1];
  writeFileSync(path.join(project, "main.mjs"), snippet);
  const run = spawnSync(process.execPath, ["main.mjs"], { cwd: project, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, "[ 75025 ]\n");

  const bin = spawnSync(path.join(project, "node_modules/.bin/wrt"), ["run", "examples/hello.wasm", "--invoke", "fib", "20"], { cwd: project, encoding: "utf8" });
  assert.equal(bin.status, 0, bin.stderr);
  assert.equal(bin.stdout, "i32:6765\n");

  // the native engine is not in the package: its first use builds it, saying so in one line;
  // a missing compiler is one line with the install hint, not a stack trace
  const wrtBin = path.join(project, "node_modules/.bin/wrt");
  const noCc = spawnSync(wrtBin, ["run", "--engine", "native", "examples/hello.wasm", "--invoke", "fib", "20"], { cwd: project, encoding: "utf8", env: { ...userEnv, CC: "/nonexistent/cc", WRT_NATIVE: "" }, timeout: 300_000 });
  assert.equal(noCc.status, 1, noCc.stdout + noCc.stderr);
  assert.match(noCc.stderr, /^wrt: building the native engine .*\nwrt: cannot build the native engine: .*not found.*install: apt-get install gcc wabt/);
  assert.equal(noCc.stderr.trim().split("\n").length, 2, noCc.stderr);
  const nat = spawnSync(wrtBin, ["run", "--engine", "native", "examples/hello.wasm", "--invoke", "fib", "20"], { cwd: project, encoding: "utf8", env: { ...userEnv, WRT_NATIVE: "" }, timeout: 300_000 });
  assert.equal(nat.status, 0, nat.stderr);
  assert.equal(nat.stdout, "i32:6765\n");
  assert.match(nat.stderr, /^wrt: building the native engine /);
  const again = spawnSync(wrtBin, ["run", "--engine", "native", "examples/hello.wasm", "--invoke", "fib", "20"], { cwd: project, encoding: "utf8", env: { ...userEnv, WRT_NATIVE: "" } });
  assert.equal(again.stderr, "", "built once");

  writeFileSync(path.join(project, "check.ts"), `import { Engine, Module, Instance, type FuelOptions, type CallResult } from "wrt";
const engine: Engine = Engine.load();
const opts: FuelOptions = { fuel: 10n };
const f = (m: Module): Instance => Instance.instantiate(m, {});
export const r: CallResult<unknown> | null = null;
export { engine, opts, f };
`);
  writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: ["check.ts"] }));
  const tsc = spawnSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "."], { cwd: project, encoding: "utf8" });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
});
