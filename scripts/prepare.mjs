// npm's `prepare` (npm ci, npm install): `npm run build` unless every build
// output is newer than every file it is built from.
//
// Why not always: inside this repository `npx wrt` installs the package
// from its own folder into npx's cache, and npm runs `prepare` in this
// folder to do so. An unconditional build rewrote build/*.wasm and
// host-shims/node/dist/ under whatever else was running: in `npm test`, the
// README quick-start test's `npx wrt` rebuilt them while a firmware test's
// `wrt compile` read build/wrt.wasm, and found it empty.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUTPUTS = ["build/wrt.wasm", "build/wrt-c.wasm", "build/wrt-device.wasm", "build/wrt-device-simd.wasm",
  "host-shims/node/dist/index.js", "host-shims/node/dist/cli.js"];
const INPUTS = ["assembly", "host-shims/node/src", "scripts", "package.json", "package-lock.json",
  "wrt.asconfig.json", "host-shims/node/tsconfig.json"];

/** The newest modification time of a file, or of any file under a folder. */
function newest(p) {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const e of readdirSync(p)) t = Math.max(t, newest(path.join(p, e)));
  return t;
}

const abs = (p) => path.join(root, p);
const missing = OUTPUTS.filter((o) => !existsSync(abs(o)));
const oldestOut = missing.length ? -Infinity : Math.min(...OUTPUTS.map((o) => statSync(abs(o)).mtimeMs));
const newestIn = Math.max(...INPUTS.filter((i) => existsSync(abs(i))).map((i) => newest(abs(i))));
if (oldestOut > newestIn) {
  console.log("prepare: the build is newer than its sources; not rebuilt (npm run build forces it)");
  process.exit(0);
}
const r = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
