// WRT's own component validator (assembly/component/, exported by the full
// build as wrt_component_validate), run in V8 from the host.

import { readFileSync } from "node:fs";
import { defaultWasmPath } from "../engines/node.js";

/** The validator's verdict: ok, or the error code, byte offset and text. */
export interface ComponentVerdict {
  ok: boolean;
  code: number;
  offset: number;
  message: string;
}

interface ValidatorExports {
  memory: WebAssembly.Memory;
  wrt_io(size: number): number;
  wrt_error_code(): number;
  wrt_error_offset(): number;
  wrt_error_text(): number;
  wrt_component_validate(len: number): number;
  wrt_collect(): void;
}

/** Error codes of assembly/errors.ts for components. */
export const COMPONENT_MALFORMED = 140;
export const COMPONENT_INVALID = 141;
export const COMPONENT_UNSUPPORTED = 142;

/** One interpreter instance per process for validation (it keeps no state between calls). */
export class ComponentValidator {
  private x: ValidatorExports;

  constructor(wasmPath = process.env.WRT_COMPONENT_WASM ?? defaultWasmPath()) {
    const mod = new WebAssembly.Module(readFileSync(wasmPath));
    const inst = new WebAssembly.Instance(mod, {
      wrt: {
        log: () => {},
        abort: () => { throw new Error("wrt.wasm aborted"); },
      },
    });
    this.x = inst.exports as unknown as ValidatorExports;
    if (typeof this.x.wrt_component_validate !== "function") {
      throw new Error(`${wasmPath} has no wrt_component_validate (the device build has no component validator)`);
    }
  }

  validate(bytes: Uint8Array): ComponentVerdict {
    const p = this.x.wrt_io(bytes.length);
    if (p === 0) return { ok: false, code: 104, offset: -1, message: "component larger than the I/O buffer may be" };
    new Uint8Array(this.x.memory.buffer, p, bytes.length).set(bytes);
    const status = this.x.wrt_component_validate(bytes.length);
    // --runtime minimal: garbage is freed only when the host asks, between calls
    this.x.wrt_collect();
    if (status === 0) return { ok: true, code: 0, offset: -1, message: "" };
    const code = this.x.wrt_error_code();
    const offset = this.x.wrt_error_offset();
    const len = this.x.wrt_error_text();
    const q = this.x.wrt_io(0);
    const message = new TextDecoder().decode(new Uint8Array(this.x.memory.buffer, q, len));
    return { ok: false, code, offset, message };
  }
}
