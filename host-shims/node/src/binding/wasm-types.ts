// The few WebAssembly JS API types this package uses, as its own named
// types (not global declarations: those would clash with lib.dom in a
// dependent project's type check). `Wasm` is the runtime's WebAssembly
// namespace, looked up at each use (a test harness may replace a member).

/** A compiled module (WebAssembly.Module). */
export interface WasmModule {
  readonly __brand?: "WebAssembly.Module";
}

/** A linear memory (WebAssembly.Memory). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}

/** An instance (WebAssembly.Instance). */
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmNamespace {
  Module: new (bytes: ArrayBufferView | ArrayBuffer) => WasmModule;
  Instance: new (module: WasmModule, imports?: Record<string, Record<string, unknown>>) => WasmInstance;
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  RuntimeError: new (message?: string) => Error;
  CompileError: new (message?: string) => Error;
  LinkError: new (message?: string) => Error;
}

/** The runtime's WebAssembly namespace (Node has it; @types/node 20 does not declare it). */
export const Wasm: WasmNamespace = (globalThis as unknown as { WebAssembly: WasmNamespace }).WebAssembly;
