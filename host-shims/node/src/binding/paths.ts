// Where the package's build outputs are, from the compiled file's location:
// host-shims/node/dist/<layer>/x.js, or host-shims/node/dist/cli.js when the
// `wrt` command is the one-file bundle (scripts/bundle-cli.mjs) -> the
// package root.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

let root: string | null = null;

/** The package root (the directory holding package.json and build/): the nearest one above host-shims/node/dist. */
export function packageRoot(): string {
  if (root !== null) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (path.basename(dir) === "host-shims" && existsSync(path.join(dir, "..", "package.json"))) return (root = path.dirname(dir));
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return (root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", ".."));
}

/** A file under the package's build/ directory. */
export function buildPath(name: string): string {
  return path.join(packageRoot(), "build", name);
}
