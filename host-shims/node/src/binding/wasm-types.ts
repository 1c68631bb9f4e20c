// The few WebAssembly JS API types this package uses. Node has them at run
// time, but @types/node 20 does not declare them and lib.dom is not wanted.
declare global {
  namespace WebAssembly {
    class Module {
      constructor(bytes: BufferSource);
      static exports(m: Module): { name: string; kind: string }[];
      static imports(m: Module): { module: string; name: string; kind: string }[];
    }
    class Instance {
      constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
      readonly exports: Record<string, unknown>;
    }
    class Memory {
      constructor(descriptor: { initial: number; maximum?: number });
      readonly buffer: ArrayBuffer;
      grow(delta: number): number;
    }
    class RuntimeError extends Error {}
    class CompileError extends Error {}
    class LinkError extends Error {}
  }
  type BufferSource = ArrayBufferView | ArrayBuffer;
}
export {};
