// Builds every examples/*.wat into examples/*.wasm with the npm `wabt`
// package (no system tools needed), examples/as/*.ts with this repository's
// asc, and examples/wasi/*.c with clang-14 and wasi-libc when they are
// installed. The .wasm files are committed so that the README's commands
// work right after `npm ci`.
// Usage: node examples/build.mjs
import wabtInit from "wabt";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const dir = path.dirname(fileURLToPath(import.meta.url));
const wabt = await wabtInit();

for (const name of readdirSync(dir).filter((f) => f.endsWith(".wat")).sort()) {
  const src = readFileSync(path.join(dir, name), "utf8");
  const mod = wabt.parseWat(name, src);
  mod.resolveNames();
  mod.validate();
  const { buffer } = mod.toBinary({ log: false, write_debug_names: false });
  mod.destroy();
  const out = path.join(dir, name.replace(/\.wat$/, ".wasm"));
  writeFileSync(out, buffer);
  console.log(`${path.relative(process.cwd(), out)}: ${buffer.length} bytes`);
}

const root = path.resolve(dir, "..");
for (const name of readdirSync(path.join(dir, "as")).filter((f) => f.endsWith(".ts")).sort()) {
  const out = path.join(dir, "as", name.replace(/\.ts$/, ".wasm"));
  // from the repository root, like a user would: asc must use its defaults (wrt.asconfig.json is the interpreter's)
  const r = spawnSync(path.join(root, "node_modules/.bin/asc"), [path.join("examples/as", name), "-O", "-o", path.relative(root, out)], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(1);
  console.log(`${path.relative(process.cwd(), out)}: ${readFileSync(out).length} bytes`);
}

const clang = spawnSync("clang-14", ["--version"]).status === 0 && existsSync("/usr/lib/wasm32-wasi/libc.a");
for (const name of readdirSync(path.join(dir, "wasi")).filter((f) => f.endsWith(".c")).sort()) {
  const out = path.join(dir, "wasi", name.replace(/\.c$/, ".wasm"));
  if (!clang) {
    console.log(`${path.relative(process.cwd(), out)}: kept (clang-14 or wasi-libc missing: apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32)`);
    continue;
  }
  const r = spawnSync("clang-14", ["--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-Wl,--strip-all", "-o", out, path.join(dir, "wasi", name)], { stdio: "inherit" });
  if (r.status !== 0) process.exit(1);
  console.log(`${path.relative(process.cwd(), out)}: ${readFileSync(out).length} bytes`);
}
