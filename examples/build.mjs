// Builds every examples/*.wat into examples/*.wasm with the npm `wabt`
// package (no system tools needed). The .wasm files are committed so that
// `npx wrt run examples/hello.wasm --invoke main` works right after `npm ci`.
// Usage: node examples/build.mjs
import wabtInit from "wabt";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
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
