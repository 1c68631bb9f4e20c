// The "node" engine: build/wrt.wasm compiled by V8 and run in this process.
// Beside it, engines/native.ts runs the wasm2c build in a child process
// behind the same raw exports.

import { readFileSync } from "node:fs";
import type { HostImports } from "../binding/abi.js";
import { buildPath } from "../binding/paths.js";
import { Wasm, type WasmInstance, type WasmModule } from "../binding/wasm-types.js";

/** Default location of build/wrt.wasm in this package. */
export function defaultWasmPath(): string {
  return buildPath("wrt.wasm");
}

const compiledCache = new Map<string, WasmModule>();

/** Compiles (once per path and process) the interpreter binary. */
export function compileInterpreter(wasmPath = defaultWasmPath()): WasmModule {
  let m = compiledCache.get(wasmPath);
  if (!m) {
    m = new Wasm.Module(readFileSync(wasmPath));
    compiledCache.set(wasmPath, m);
  }
  return m;
}

/** A fresh instance of the interpreter with the given host imports. */
export function instantiateWasm(module: WasmModule, imports: HostImports): WasmInstance {
  return new Wasm.Instance(module, imports as unknown as Record<string, Record<string, unknown>>);
}
