// Bundles the `wrt` command (host-shims/node/dist/cli.js, as tsc wrote it)
// into one file in its place (part of `npm run build:node`).
//
// Node loads each ES module on its own (resolve, read, compile, link): the
// command's 47 modules took about 45 ms of a `wrt run` on a trivial guest,
// one file takes a few (docs/internal-code.md, "Start-up of `wrt run`").
// commander stays an import of its own (CommonJS inside, loads quickly);
// the Component Model tools stay a dynamic import (they pull in jco).
// The other files of dist/ stay as they are: they are the Node API
// (dist/index.js) and what the tests import. Without esbuild (a build that
// skipped devDependencies) the unbundled command is kept: it works, only
// starts slower.
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const entry = path.join(root, "host-shims/node/dist/cli.js");
const tmp = `${entry}.bundle.tmp`;

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  console.warn("bundle-cli: esbuild not installed (npm ci): host-shims/node/dist/cli.js stays unbundled (slower start-up)");
  process.exit(0);
}
// tsc rewrites cli.js on every build; a second run of this script would read
// its own output, which has no relative imports left: the same bundle.
await esbuild.build({
  entryPoints: [entry],
  outfile: tmp,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["commander"],
  logLevel: "warning",
  legalComments: "none",
});
const text = readFileSync(tmp, "utf8");
if (!text.startsWith("#!")) writeFileSync(tmp, `#!/usr/bin/env node\n${text}`);
renameSync(tmp, entry);
rmSync(`${entry}.map`, { force: true }); // tsc's map described the unbundled file
console.log(`bundle-cli: ${path.relative(root, entry)}: ${(readFileSync(entry).length / 1024).toFixed(0)} KiB`);
