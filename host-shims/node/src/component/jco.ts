// jco (npm @bytecodealliance/jco: wasm-tools' wit-parser and wit-component
// compiled to Wasm) for the WIT tooling. Its WASI filesystem shim starts with
// no preopened directory, so reading a WIT directory fails inside it ("No
// such file or directory"); the host root is preopened once, on first use.

import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";
import * as jco from "@bytecodealliance/jco";

let preopened = false;

async function preopenRoot(): Promise<void> {
  if (preopened) return;
  const require = createRequire(import.meta.url);
  const transpile = createRequire(require.resolve("@bytecodealliance/jco-transpile"));
  const shim = await import(pathToFileURL(transpile.resolve("@bytecodealliance/preview2-shim/filesystem")).href);
  shim._setPreopens({ "/": "/" });
  preopened = true;
}

/** jco traps (a Rust panic) on some bad inputs; turn that into a plain Error with the panic text. */
async function guarded<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`${what}: ${msg.split("\n")[0]}`);
  }
}

/** The WIT of a component (jco componentWit). */
export function componentWit(bytes: Uint8Array): Promise<string> {
  return guarded("printing WIT", () => jco.componentWit(bytes));
}

/** Embeds the WIT world `world` of directory (or file) `witPath` into a core module, then makes a component. */
export async function componentFromCore(core: Uint8Array, witPath: string, world: string): Promise<Uint8Array> {
  await preopenRoot();
  const embedded = await guarded("embedding WIT", () =>
    jco.componentEmbed({ binary: core, witPath: path.resolve(witPath), world }));
  return guarded("making the component", () => jco.componentNew(embedded));
}

/** Component text (the component-model text format) to binary; no validation (jco parse). */
export function parseComponentText(text: string): Promise<Uint8Array> {
  return guarded("parsing component text", () => jco.parse(text));
}
