// Where the package's build outputs are, from the compiled file's location
// (host-shims/node/dist/<layer>/x.js -> the package root).

import { fileURLToPath } from "node:url";
import path from "node:path";

/** The package root (the directory holding package.json and build/). */
export function packageRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
}

/** A file under the package's build/ directory. */
export function buildPath(name: string): string {
  return path.join(packageRoot(), "build", name);
}
