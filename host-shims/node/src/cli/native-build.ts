// The native engine (build/wrt-native) is not built by `npm ci`: the first
// command that needs it builds it (scripts/build-c.mjs --native, ~10 s),
// saying so in one line; a missing tool (gcc, wabt's wasm2c) is one line
// with the Debian package to install.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../binding/paths.js";
import { defaultNativePath } from "../engines/native.js";
import { FileError } from "./exit-codes.js";
import { err } from "./io.js";

export function ensureNativeEngine(): void {
  const binary = defaultNativePath();
  if (existsSync(binary)) return;
  if (process.env["WRT_NATIVE"]) throw new FileError(`the native engine WRT_NATIVE=${binary} does not exist`);
  const script = path.join(packageRoot(), "scripts", "build-c.mjs");
  if (!existsSync(script)) throw new FileError(`the native engine ${binary} is missing and this package cannot build it (no scripts/build-c.mjs)`);
  err(`wrt: building the native engine ${path.relative(process.cwd(), binary) || binary} (first use; needs gcc and wabt, ~10 s)`);
  const r = spawnSync(process.execPath, [script, "--native"], { cwd: packageRoot(), encoding: "utf8" });
  if (r.status !== 0 || !existsSync(binary)) {
    const lines = `${r.stderr ?? ""}\n${r.stdout ?? ""}`.split("\n").map((l) => l.trim()).filter(Boolean);
    const why = lines.find((l) => /not found|missing|error/i.test(l)) ?? lines.at(-1) ?? `exit ${r.status}`;
    throw new FileError(`cannot build the native engine: ${why.replace(/^build-c: /, "")} (install: apt-get install gcc wabt; then npm run build:native)`);
  }
}
